//! An organisation's members and learners (Circular 24/2023, Điều 2): the people whose
//! «Công dân học tập» titles its «Đơn vị học tập» indicators count (issue 13 §12). A person lives
//! in a village and may belong to any number of organisations; whoever keeps the organisation's
//! registry lists them by their citizen codes, all or nothing.

use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App};
use std::collections::BTreeSet;
use thidua_domain::access::Action;
use thidua_domain::institutions::{self, Relation};
use thidua_domain::titles::Subject;

/// The most codes one submission lists (a large school's pupils; a bigger list goes in parts).
pub const MAX_CODES: usize = 5_000;

/// An organisation's members and learners, a page at a time.
#[derive(Debug, Clone)]
pub struct MembersView {
    pub unit: UnitRecord,
    pub members: i64,
    pub learners: i64,
    pub page: Page<MemberRow>,
    pub may_edit: bool,
    /// Learners can be listed (an education unit).
    pub takes_learners: bool,
}

impl App {
    pub async fn unit_members(&self, actor: &Actor, unit: i64, page: PageRequest) -> AppResult<MembersView> {
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        let snap = self.snapshot().await?;
        let u = snap.units.get(&unit).cloned().ok_or(AppError::NotFound)?;
        if !institutions::has_members(u.kind) {
            return Err(AppError::Invalid(format!("{} ({}): người dân là cư dân, không phải thành viên.", u.name, u.kind.label_vi())));
        }
        let (members, learners) = self.store.unit_member_counts(unit).await?;
        let classes = self.unit_facts_all().await?.classes(&snap, Subject::Unit, unit, self.today().year());
        Ok(MembersView {
            members,
            learners,
            page: self.store.unit_members(unit, page).await?,
            may_edit: self.shows(actor, &snap, Action::WriteRegistry, unit),
            takes_learners: institutions::relation_fits(u.kind, Relation::Learner) && classes.counts_learners(),
            unit: u,
        })
    }

    /// Lists people (one citizen code per line, or separated by commas or spaces) as members or
    /// learners of `unit`. Every code must name an active citizen; one that does not refuses the
    /// whole list, naming each bad code. Returns how many were listed.
    pub async fn add_unit_members(&self, actor: &Actor, unit: i64, codes: &str, relation: &str) -> AppResult<usize> {
        let via = self.authorize(actor, Action::WriteRegistry, unit).await?;
        let snap = self.snapshot().await?;
        let u = snap.units.get(&unit).ok_or(AppError::NotFound)?;
        let relation = Relation::parse(relation).ok_or_else(|| AppError::Invalid("Chọn thành viên hoặc người học.".into()))?;
        if !institutions::relation_fits(u.kind, relation) {
            return Err(AppError::Invalid(format!("{} ({}) không có «{}».", u.name, u.kind.label_vi(), relation.label_vi())));
        }
        // Circular 24/2023, Điều 2: «người học» excludes preschool, primary and THCS pupils.
        let year = self.today().year();
        let classes = self.unit_facts_all().await?.classes(&snap, Subject::Unit, unit, year);
        if relation == Relation::Learner && !classes.counts_learners() {
            let kind = classes.in_force.map(|t| t.institution.label_vi()).unwrap_or_default();
            return Err(AppError::Invalid(format!(
                "{} ({kind}): học sinh mầm non, tiểu học, THCS không tính là «người học» (Thông tư 24/2023/TT-BGDĐT, Điều 2).",
                u.name
            )));
        }
        // Refuse an absurd body before splitting it (a code is at most 40 characters).
        if codes.len() > MAX_CODES * 42 {
            return Err(AppError::Invalid(format!("Mỗi lần liệt kê tối đa {MAX_CODES} mã.")));
        }
        let wanted: BTreeSet<String> = codes
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        if wanted.is_empty() {
            return Err(AppError::Invalid("Chưa có mã công dân nào.".into()));
        }
        if wanted.len() > MAX_CODES {
            return Err(AppError::Invalid(format!("{} mã: mỗi lần liệt kê tối đa {MAX_CODES} mã.", wanted.len())));
        }
        let list: Vec<String> = wanted.iter().cloned().collect();
        let found = self.store.subjects_by_code(Subject::Citizen, &list).await?;
        let known: BTreeSet<&str> = found.iter().map(|s| s.code.as_str()).collect();
        let missing: Vec<&str> = list.iter().map(String::as_str).filter(|c| !known.contains(c)).collect();
        if !missing.is_empty() {
            let shown: Vec<&str> = missing.iter().take(20).copied().collect();
            let more = if missing.len() > shown.len() { format!(" và {} mã khác", missing.len() - shown.len()) } else { String::new() };
            return Err(AppError::Invalid(format!(
                "Không có công dân mang mã: {}{more}. Chưa ghi mã nào; sửa danh sách rồi gửi lại.",
                shown.join(", ")
            )));
        }
        let rows: Vec<(i64, &'static str)> = found.iter().map(|s| (s.id, relation.code())).collect();
        let audit = self.draft(
            actor,
            &via,
            "unit.members_add",
            "unit",
            unit,
            Some(unit),
            None,
            Some(serde_json::json!({"relation": relation.code(), "people": rows.len(), "codes": list})),
        );
        Ok(self.store.add_unit_members(unit, &rows, &actor.username, self.now_ms(), audit).await?)
    }

    /// Takes a person off an organisation's list.
    pub async fn remove_unit_member(&self, actor: &Actor, unit: i64, person: i64) -> AppResult<()> {
        let via = self.authorize(actor, Action::WriteRegistry, unit).await?;
        let audit =
            self.draft(actor, &via, "unit.members_remove", "unit", unit, Some(unit), None, Some(serde_json::json!({"person": person})));
        Ok(self.store.remove_unit_member(unit, person, audit).await?)
    }
}
