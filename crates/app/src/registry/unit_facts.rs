//! Facts about units that decide which indicators of Circulars 24 and 25/2023 apply (issue 13
//! §13, §14): an education unit's type, recorded by those who keep its registry, and the years
//! a commune is in a difficult area, recorded by DOET from the decision that lists it. Both are
//! read by every evaluation, one by one and in bulk, through [`UnitFacts::classes`].

use super::TreeSnapshot;
use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App};
use std::collections::HashMap;
use thidua_domain::access::Action;
use thidua_domain::institutions::{self, Classes, Institution, InstitutionType, Ownership};
use thidua_domain::limits::{self, Field};
use thidua_domain::registry::NodeKind;
use thidua_domain::titles::Subject;

/// Every recorded fact, loaded once for an evaluation or a bulk import.
#[derive(Debug, Clone, Default)]
pub struct UnitFacts {
    types: HashMap<i64, Vec<InstitutionType>>,
    difficult: HashMap<i64, Vec<i32>>,
}

impl UnitFacts {
    fn of(types: Vec<(i64, InstitutionType)>, difficult: &[DifficultAreaRow]) -> UnitFacts {
        let mut facts = UnitFacts::default();
        for (unit, t) in types {
            facts.types.entry(unit).or_default().push(t);
        }
        for d in difficult {
            if let Ok(y) = i32::try_from(d.year) {
                facts.difficult.entry(d.unit_id).or_default().push(y);
            }
        }
        facts
    }

    /// The classes a subject is judged as for data `year`: an education unit by its recorded type,
    /// a commune by whether it is in a difficult area that year; other subjects by none.
    pub fn classes(&self, snap: &TreeSnapshot, subject: Subject, unit: i64, year: i32) -> Classes {
        let kind = snap.units.get(&unit).map(|u| u.kind);
        let none = Classes { classes: vec![], declared: true, in_force: None };
        match (subject, kind) {
            (Subject::Unit | Subject::Commune, Some(kind)) => institutions::classes_for(
                kind,
                year,
                self.types.get(&unit).map_or(&[][..], Vec::as_slice),
                self.difficult.get(&unit).map_or(&[][..], Vec::as_slice),
            ),
            _ => none,
        }
    }
}

/// What the unit page shows of a unit's facts, and what the viewer may record.
#[derive(Debug, Clone)]
pub struct UnitFactsView {
    pub unit: UnitRecord,
    /// An education unit: its type is recorded here.
    pub education: bool,
    /// A ward, commune or township: it can be marked as a difficult area.
    pub commune: bool,
    /// Recorded types, oldest first.
    pub types: Vec<InstitutionType>,
    /// The classes it is judged as this year, and whether its type is recorded.
    pub now: Classes,
    pub difficult: Vec<DifficultAreaRow>,
    pub may_record_type: bool,
    pub may_mark_difficult: bool,
}

/// A type as typed in the unit page's form.
#[derive(Debug, Clone, Default)]
pub struct InstitutionTypeInput {
    pub from_year: String,
    pub institution: String,
    pub ownership: String,
    pub basis: String,
}

fn year_of(s: &str) -> AppResult<i32> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1945..=2100).contains(y))
        .ok_or_else(|| AppError::Invalid(format!("«{}» không phải một năm (1945–2100).", s.trim())))
}

fn basis_of(s: &str) -> AppResult<String> {
    let b = limits::checked(Field::Name, "Căn cứ", s).map_err(|e| AppError::Invalid(e.to_string()))?;
    if b.is_empty() {
        return Err(AppError::Invalid("Ghi căn cứ (số, ngày văn bản, cơ quan ban hành).".into()));
    }
    Ok(b)
}

fn is_commune(kind: NodeKind) -> bool {
    Subject::Commune.accepts_node(kind)
}

impl App {
    /// Every recorded fact (small tables: read whole).
    pub async fn unit_facts_all(&self) -> AppResult<UnitFacts> {
        Ok(UnitFacts::of(self.store.institution_types().await?, &self.store.difficult_areas().await?))
    }

    /// A unit's facts for its page.
    pub async fn unit_facts(&self, actor: &Actor, unit: i64) -> AppResult<UnitFactsView> {
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        let snap = self.snapshot().await?;
        let u = snap.units.get(&unit).cloned().ok_or(AppError::NotFound)?;
        let difficult = self.store.difficult_areas().await?;
        let facts = UnitFacts::of(self.store.institution_types().await?, &difficult);
        let year = self.today().year();
        let education = institutions::is_education_unit(u.kind);
        let subject = if education { Subject::Unit } else { Subject::Commune };
        Ok(UnitFactsView {
            education,
            commune: is_commune(u.kind),
            types: facts.types.get(&unit).cloned().unwrap_or_default(),
            now: facts.classes(&snap, subject, unit, year),
            difficult: difficult.into_iter().filter(|d| d.unit_id == unit).collect(),
            may_record_type: education && self.shows(actor, &snap, Action::WriteRegistry, unit),
            may_mark_difficult: is_commune(u.kind) && self.shows(actor, &snap, Action::ManageCriteria, unit),
            unit: u,
        })
    }

    /// Records what an education unit is from a data year on (Circular 24/2023, Điều 2).
    pub async fn record_institution_type(&self, actor: &Actor, unit: i64, input: &InstitutionTypeInput) -> AppResult<()> {
        let via = self.authorize(actor, Action::WriteRegistry, unit).await?;
        let snap = self.snapshot().await?;
        let u = snap.units.get(&unit).ok_or(AppError::NotFound)?;
        if !institutions::is_education_unit(u.kind) {
            return Err(AppError::Invalid(format!("{} ({}) không phải cơ sở giáo dục.", u.name, u.kind.label_vi())));
        }
        let t = InstitutionType {
            from_year: year_of(&input.from_year)?,
            institution: Institution::parse(&input.institution).ok_or_else(|| AppError::Invalid("Chọn loại cơ sở giáo dục.".into()))?,
            ownership: Ownership::parse(&input.ownership).ok_or_else(|| AppError::Invalid("Chọn công lập hoặc ngoài công lập.".into()))?,
            basis: basis_of(&input.basis)?,
        };
        let audit = self.draft(
            actor,
            &via,
            "unit.institution_type",
            "unit",
            unit,
            Some(unit),
            None,
            Some(serde_json::json!({"from_year": t.from_year, "institution": t.institution.code(), "ownership": t.ownership.code(), "basis": t.basis})),
        );
        Ok(self.store.record_institution_type(unit, &t, &actor.username, self.now_ms(), audit).await?)
    }

    /// DOET marks (or clears) a commune's year as a difficult area, with the decision that lists it
    /// (Circular 25/2023, Điều 6–7: lower shares of trained citizens for «xã vùng khó khăn»).
    pub async fn set_difficult_area(&self, actor: &Actor, unit: i64, year: &str, difficult: bool, basis: &str) -> AppResult<()> {
        let via = self.authorize(actor, Action::ManageCriteria, unit).await?;
        let snap = self.snapshot().await?;
        let u = snap.units.get(&unit).ok_or(AppError::NotFound)?;
        if !is_commune(u.kind) {
            return Err(AppError::Invalid(format!("{} ({}) không phải đơn vị hành chính cấp xã.", u.name, u.kind.label_vi())));
        }
        let year = year_of(year)?;
        let basis = if difficult { Some(basis_of(basis)?) } else { None };
        let audit = self.draft(
            actor,
            &via,
            if difficult { "unit.difficult_area" } else { "unit.difficult_area_cleared" },
            "unit",
            unit,
            Some(unit),
            None,
            Some(serde_json::json!({"year": year, "basis": basis})),
        );
        Ok(self.store.set_difficult_area(unit, i64::from(year), basis.as_deref(), &actor.username, self.now_ms(), audit).await?)
    }
}
