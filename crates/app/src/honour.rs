//! The public honour roll (no login): decided awards and recognised learning titles. A household
//! or a citizen is named only with its recorded consent; otherwise the line says where, not who.

use crate::error::{AppError, AppResult};
use crate::ports::{Page, PageRequest};
use crate::registry::TreeSnapshot;
use crate::{Actor, App};
use std::sync::Arc;
use thidua_domain::access::Action;
use thidua_domain::dates;
use thidua_domain::registry::NodeKind;
use thidua_domain::titles::TITLES;

/// Largest page of the public roll.
pub const MAX_PER_PAGE: i64 = 100;

/// A line of the public roll, ready to show.
#[derive(Debug, Clone)]
pub struct HonourLine {
    /// The subject's name, or «a household of …» when it did not consent.
    pub name: String,
    pub named: bool,
    /// Village and ward, or the unit.
    pub place: String,
    /// The award level's or title's name (with its level, mức độ, where there is one).
    pub what: String,
    pub decision: String,
    pub signed_on: String,
}

/// Where a unit is, for the public: «Tổ dân phố số 1, Phường Hoàn Kiếm».
fn place(snap: &TreeSnapshot, unit: i64) -> String {
    let Some(u) = snap.units.get(&unit) else { return String::new() };
    match u.parent_id.and_then(|p| snap.units.get(&p)) {
        Some(parent) if matches!(parent.kind, NodeKind::Ward | NodeKind::Commune | NodeKind::Township | NodeKind::District) => {
            format!("{}, {}", u.name, parent.name)
        }
        _ => u.name.clone(),
    }
}

impl App {
    /// Decided awards, newest first (of decisions signed in `year`, or all).
    pub async fn honour_awards(&self, year: Option<i64>, page: PageRequest) -> AppResult<Arc<Page<HonourLine>>> {
        let page = PageRequest::new(page.page, page.per_page.clamp(1, MAX_PER_PAGE));
        let (version, now) = (self.follow_writes().await?, self.now_ms());
        let key = (false, year, page.page, page.per_page);
        if let Some(p) = self.views.honour.get(&key, now, |at| self.views.feed.holds(at, crate::changes::Change::touches_any)) {
            return Ok(p);
        }
        let snap = self.snapshot().await?;
        let awards = crate::commendation::awards()?;
        let mut got = self.store.honour_awards(year, page).await?;
        let items = std::mem::take(&mut got.items)
            .into_iter()
            .map(|a| {
                let place = place(&snap, a.unit_id);
                let (name, named) = match a.name {
                    Some(n) => (n, true),
                    None if a.subject_type == "household" => ("Một hộ gia đình (không công khai tên theo nguyện vọng)".to_string(), false),
                    None => ("Một công dân (không công khai tên theo nguyện vọng)".to_string(), false),
                };
                HonourLine {
                    name,
                    named,
                    place,
                    what: awards.get(&a.level).map(|x| x.name.clone()).unwrap_or(a.level),
                    decision: a.decision_number,
                    signed_on: dates::format_dmy(a.signed_on),
                }
            })
            .collect();
        let built = Arc::new(got.with_items(items));
        self.views.honour.put(key, version, now, built.clone());
        Ok(built)
    }

    /// Recognised titles of `year`: collectives and clans, and households and citizens who
    /// consented.
    pub async fn honour_titles(&self, year: i64, page: PageRequest) -> AppResult<Arc<Page<HonourLine>>> {
        let page = PageRequest::new(page.page, page.per_page.clamp(1, MAX_PER_PAGE));
        let (version, now) = (self.follow_writes().await?, self.now_ms());
        let key = (true, Some(year), page.page, page.per_page);
        if let Some(p) = self.views.honour.get(&key, now, |at| self.views.feed.holds(at, crate::changes::Change::touches_any)) {
            return Ok(p);
        }
        let snap = self.snapshot().await?;
        let mut got = self.store.honour_titles(year, &thidua_domain::titles::honour_titles(), page).await?;
        let items = std::mem::take(&mut got.items)
            .into_iter()
            .map(|t| {
                let label = TITLES.iter().find(|x| x.code == t.title).map_or(t.title.clone(), |x| x.label_vi.to_string());
                let what =
                    if t.level > 0 { format!("{label} năm {year}, mức độ {}", t.level) } else { format!("{label} năm {year}") };
                let name = match t.subject_type.as_str() {
                    "unit" => snap.units.get(&t.subject_id).map(|u| u.name.clone()).unwrap_or_default(),
                    _ => t.name.unwrap_or_default(),
                };
                let place = if t.subject_type == "unit" {
                    snap.units.get(&t.subject_id).and_then(|u| u.parent_id).map(|p| place(&snap, p)).unwrap_or_default()
                } else {
                    place(&snap, t.unit_id)
                };
                HonourLine {
                    name,
                    named: true,
                    place,
                    what,
                    decision: format!("{} ({})", t.decision_number, t.issuing_body),
                    signed_on: dates::format_dmy(t.signed_on),
                }
            })
            .collect();
        let built = Arc::new(got.with_items(items));
        self.views.honour.put(key, version, now, built.clone());
        Ok(built)
    }

    /// Whether a household or citizen agreed to be named on the public honour roll, for whoever
    /// reads its record.
    pub async fn public_consent(&self, actor: &Actor, subject_type: &str, id: i64) -> AppResult<bool> {
        if !matches!(subject_type, "household" | "person") {
            return Err(AppError::NotFound);
        }
        self.authorize(actor, Action::ReadRegistry, self.subject_unit(subject_type, id).await?).await?;
        Ok(self.store.public_consent(subject_type, id).await?)
    }

    /// What a consent recorded today rests on: the personal-data texts in force (legal.md §11.2).
    pub fn consent_basis(&self) -> AppResult<String> {
        static LAWS: std::sync::OnceLock<Result<Vec<thidua_domain::privacy::Law>, String>> = std::sync::OnceLock::new();
        let laws = LAWS.get_or_init(thidua_domain::privacy::shipped).as_ref().map_err(|e| AppError::Invalid(e.clone()))?;
        Ok(thidua_domain::privacy::consent_basis(laws, self.today()))
    }

    /// Records a household's or citizen's consent to be named on the public honour roll (or its
    /// withdrawal), by an officer of its unit, with the texts it rests on that day.
    pub async fn set_public_consent(&self, actor: &Actor, subject_type: &str, id: i64, consent: bool) -> AppResult<()> {
        if !matches!(subject_type, "household" | "person") {
            return Err(AppError::NotFound);
        }
        let unit = self.subject_unit(subject_type, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, unit).await?;
        let before = self.store.public_consent(subject_type, id).await?;
        let audit = self.draft(
            actor,
            &via,
            &format!("{subject_type}.public_consent"),
            subject_type,
            id,
            Some(unit),
            Some(serde_json::json!({"public_consent": before})),
            Some(serde_json::json!({"public_consent": consent, "basis": self.consent_basis()?})),
        );
        Ok(self.store.set_public_consent(subject_type, id, consent, audit).await?)
    }
}
