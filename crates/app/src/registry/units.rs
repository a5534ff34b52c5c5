//! Units of the tree: read, created, edited and (de)activated, each change audited.

use super::TreeSnapshot;
use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App};
use thidua_domain::access::{self, Action};
use thidua_domain::commendation::eligibility::PredecessorRule;
use thidua_domain::text;

/// A unit another took over, and the titles it was recognised with ([`App::predecessor_titles`]).
#[derive(Debug, Clone)]
pub struct PredecessorTitles {
    pub unit: UnitRecord,
    pub whole: bool,
    pub from: Option<time::Date>,
    /// Whether they count as the successor's own when it is nominated.
    pub counts: bool,
    /// (title, data year, decision number, signed on)
    pub titles: Vec<(String, i64, String, time::Date)>,
}

impl App {
    pub async fn unit(&self, actor: &Actor, id: i64) -> AppResult<UnitRecord> {
        let snap = self.snapshot().await?;
        let unit = snap.units.get(&id).cloned().ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, id).await?;
        Ok(unit)
    }

    /// Children of a unit that the actor may read.
    pub async fn children(&self, actor: &Actor, id: i64) -> AppResult<Vec<UnitRecord>> {
        self.authorize(actor, Action::ReadRegistry, id).await?;
        let snap = self.snapshot().await?;
        Ok(snap.children.get(&Some(id)).into_iter().flatten().filter_map(|c| snap.units.get(c).cloned()).collect())
    }

    /// Units matching a diacritic-insensitive search, within scope: the first `limit` (current
    /// ones first, by name) and how many match in all.
    pub async fn search_units(&self, actor: &Actor, q: &str, limit: usize) -> AppResult<(Vec<UnitRecord>, usize)> {
        let snap = self.snapshot().await?;
        let needle = text::fold(q);
        let now = self.clock.now();
        let mut out: Vec<UnitRecord> = snap
            .units
            .values()
            .filter(|u| text::fold(&u.name).contains(&needle) || u.code.to_lowercase().contains(&needle))
            .filter(|u| access::decide(&actor.grants, Action::ReadRegistry, u.id, &snap.tree, now).is_allowed())
            .cloned()
            .collect();
        out.sort_by_key(|u| (!u.active, text::fold(&u.name)));
        let total = out.len();
        out.truncate(limit);
        Ok((out, total))
    }

    pub(crate) fn validate_unit(&self, snap: &TreeSnapshot, input: &UnitInput, self_id: Option<i64>) -> AppResult<()> {
        let code = thidua_domain::registry::Code::parse(&input.code).map_err(|e| AppError::Invalid(e.to_string()))?;
        if let Some(existing) = snap.by_code.get(code.as_str())
            && Some(*existing) != self_id
        {
            return Err(AppError::Conflict(format!("mã «{code}» đã được dùng")));
        }
        if input.name.trim().is_empty() {
            return Err(AppError::Invalid("tên đơn vị không được để trống".into()));
        }
        if let (Some(f), Some(t)) = (input.valid_from, input.valid_to)
            && t < f
        {
            return Err(AppError::Invalid("ngày hết hiệu lực trước ngày bắt đầu hiệu lực".into()));
        }
        if let (Some(id), Some(p)) = (self_id, input.parent_id)
            && snap.tree.ancestors(p).contains(&id)
        {
            return Err(AppError::Invalid("không thể đặt đơn vị làm cấp trên của chính nó".into()));
        }
        if !input.successors.is_empty() && input.valid_to.is_none() {
            return Err(AppError::Invalid(
                "đơn vị còn hoạt động không có đơn vị kế thừa: ghi ngày hết hiệu lực (ngày giải thể, sáp nhập) trước".into(),
            ));
        }
        if input.successors.iter().any(|s| Some(s.to) == self_id) {
            return Err(AppError::Invalid("đơn vị không thể kế thừa chính nó".into()));
        }
        if input.successors.len() > 1 && input.successors.iter().any(|s| s.whole) {
            return Err(AppError::Invalid("một đơn vị nhận toàn bộ thì là đơn vị kế thừa duy nhất".into()));
        }
        for s in &input.successors {
            if !snap.units.contains_key(&s.to) {
                return Err(AppError::Invalid(format!("đơn vị kế thừa {} không tồn tại", s.to)));
            }
        }
        Ok(())
    }

    /// The links of a unit that hand its records to another unit (its successor) or place it
    /// in another unit's area (its location) need the right over that other unit too.
    pub(crate) async fn authorize_links(&self, actor: &Actor, input: &UnitInput, old: Option<&UnitRecord>) -> AppResult<()> {
        for s in &input.successors {
            if old.is_none_or(|o| !o.successors.iter().any(|x| x.to == s.to)) {
                self.authorize(actor, Action::WriteRegistry, s.to).await?;
            }
        }
        if let Some(l) = input.location_id
            && old.is_none_or(|o| o.location_id != Some(l))
        {
            self.authorize(actor, Action::WriteRegistry, l).await?;
        }
        Ok(())
    }

    pub async fn create_unit(&self, actor: &Actor, mut input: UnitInput) -> AppResult<i64> {
        input.name = crate::error::field(thidua_domain::limits::Field::Name, "Tên đơn vị", &input.name)?;
        input.code = input.code.trim().to_ascii_uppercase();
        let parent = input.parent_id.ok_or_else(|| AppError::Invalid("phải chọn đơn vị cấp trên".into()))?;
        let via = self.authorize(actor, Action::WriteRegistry, parent).await?;
        self.authorize_links(actor, &input, None).await?;
        let snap = self.snapshot().await?;
        self.validate_unit(&snap, &input, None)?;
        let audit = self.draft(actor, &via, "unit.create", "unit", &input.code, Some(parent), None, crate::error::payload(&input)?);
        Ok(self.store.create_unit(&input, audit).await?)
    }

    pub async fn update_unit(&self, actor: &Actor, id: i64, version: i64, mut input: UnitInput) -> AppResult<()> {
        input.name = crate::error::field(thidua_domain::limits::Field::Name, "Tên đơn vị", &input.name)?;
        input.code = input.code.trim().to_ascii_uppercase();
        let old = self.unit(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, id).await?;
        if let Some(p) = input.parent_id
            && Some(p) != old.parent_id
        {
            self.authorize(actor, Action::WriteRegistry, p).await?;
        }
        // Ending a unit, or moving its start, changes what its parent counts: the parent's
        // right is needed as well.
        if (input.valid_from != old.valid_from || input.valid_to != old.valid_to)
            && let Some(p) = old.parent_id
        {
            self.authorize(actor, Action::WriteRegistry, p).await?;
        }
        self.authorize_links(actor, &input, Some(&old)).await?;
        let snap = self.snapshot().await?;
        self.validate_unit(&snap, &input, Some(id))?;
        let audit = self.update_draft(actor, &via, ("unit", id, id), &old, &input)?;
        Ok(self.store.update_unit(id, version, &input, audit).await?)
    }

    pub async fn set_unit_active(&self, actor: &Actor, id: i64, version: i64, active: bool) -> AppResult<()> {
        let old = self.unit(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, id).await?;
        let audit = self.active_draft(actor, &via, ("unit", id, id), old.active, active);
        Ok(self.store.set_unit_active(id, version, active, audit).await?)
    }

    /// Moves the units still under an ended unit (its villages and residential groups) to the
    /// units that took it over (issue 14 §2): for a divided unit each village to the successor
    /// that took its part — needed, or they count nowhere new; for a unit that went whole into
    /// another, to that unit — optional, its records already roll up there, but the tree then
    /// reads as it is. Each belongs to its old ward up to the ended ward's last day and to its new
    /// ward from the day after, so its households and their titles count under the old ward in
    /// the years before and under the new one after. All moves in one write; a unit changed
    /// since it was read is refused as stale. Needs the right to write the ended unit and every
    /// unit receiving a village.
    pub async fn divide_unit(&self, actor: &Actor, divided: i64, moves: &[(i64, i64, i64)]) -> AppResult<usize> {
        let unit = self.unit(actor, divided).await?;
        let via = self.authorize(actor, Action::WriteRegistry, divided).await?;
        let last_day = match unit.valid_to {
            Some(d) if !unit.successors.is_empty() => d,
            _ => return Err(AppError::Invalid(format!("{} chưa kết thúc hoặc chưa có đơn vị kế thừa", unit.name))),
        };
        let snap = self.snapshot().await?;
        let mut out: Vec<UnitMove> = Vec::with_capacity(moves.len());
        for &(child, expected_version, to) in moves {
            let c = snap.units.get(&child).ok_or(AppError::NotFound)?;
            if c.parent_id != Some(divided) {
                return Err(AppError::Conflict(format!("{} không còn thuộc {}", c.name, unit.name)));
            }
            if !unit.successors.iter().any(|s| s.to == to) {
                return Err(AppError::Invalid(format!("{}: đơn vị nhận không phải đơn vị kế thừa của {}", c.name, unit.name)));
            }
            if out.iter().any(|m| m.unit_id == child) {
                return Err(AppError::Invalid(format!("{} được chọn hai lần", c.name)));
            }
            self.authorize(actor, Action::WriteRegistry, to).await?;
            out.push(UnitMove { unit_id: child, expected_version, from_parent: divided, to_parent: to, last_day });
        }
        if out.is_empty() {
            return Err(AppError::Invalid("chưa chọn đơn vị kế thừa cho thôn, tổ dân phố nào".into()));
        }
        let payload = crate::error::payload(&out)?;
        let audit = self.draft(actor, &via, "unit.divide", "unit", divided, Some(divided), None, payload);
        self.store.move_units(&out, audit).await?;
        Ok(out.len())
    }

    /// The learning titles of the units `id` took over (issue 14 §3), recognised before they
    /// ended: shown in its history as its predecessors', with the rule saying whether they count
    /// as its own when it is nominated.
    pub async fn predecessor_titles(&self, actor: &Actor, id: i64) -> AppResult<(Vec<PredecessorTitles>, PredecessorRule)> {
        self.authorize(actor, Action::ReadRegistry, id).await?;
        let snap = self.snapshot().await?;
        let rule = crate::commendation::rules()?.predecessors.clone();
        let mut out = Vec::new();
        for a in snap.tree.absorbed(id) {
            let Some(unit) = snap.units.get(&a.unit).cloned() else { continue };
            let mut titles = Vec::new();
            for t in thidua_domain::titles::TITLES.iter().filter(|t| t.subject.accepts_node(unit.kind)) {
                for s in self.store.subject_assessments(t.code, unit.id).await? {
                    let Some(decision) = s.decision_id.filter(|_| s.input.passed) else { continue };
                    let d = self.store.decision(decision).await?.ok_or(AppError::NotFound)?;
                    titles.push((crate::titles::title_label(t.code, s.input.level), s.input.year, d.number, d.signed_on));
                }
            }
            titles.sort_by_key(|t| (t.1, t.3));
            out.push(PredecessorTitles { unit, whole: a.whole, from: a.from, counts: rule.counts(a.whole), titles });
        }
        Ok((out, rule))
    }

    /// Divided units whose villages have not all been moved to a new ward yet, with those
    /// villages, within what the actor may read (`thidua units unassigned`, the unit page).
    pub async fn unassigned_units(&self, actor: &Actor) -> AppResult<Vec<(UnitRecord, Vec<UnitRecord>)>> {
        let snap = self.snapshot().await?;
        let read = Action::ReadRegistry;
        Ok(snap
            .tree
            .unassigned()
            .into_iter()
            .filter(|(u, _)| self.shows(actor, &snap, read, *u))
            .filter_map(|(u, kids)| {
                let unit = snap.units.get(&u)?.clone();
                Some((unit, kids.iter().filter_map(|k| snap.units.get(k).cloned()).collect()))
            })
            .collect())
    }

    // --- households ----------------------------------------------------------------------------
}
