//! Registry use cases: the unit tree, households and people, each read and write checked by
//! [`thidua_domain::access::decide`] and written with its audit entry.

use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App, Authorized};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use thidua_domain::access::{self, Action, Decision};
use thidua_domain::import::KnownUnits;
use thidua_domain::text;
use thidua_domain::tree::{Tree, TreeNode};

/// The whole tree as one immutable snapshot, with lookups by id and code.
#[derive(Debug, Default)]
pub struct TreeSnapshot {
    pub version: i64,
    pub tree: Tree,
    pub units: HashMap<i64, UnitRecord>,
    pub by_code: HashMap<String, i64>,
    pub children: HashMap<Option<i64>, Vec<i64>>,
}

impl TreeSnapshot {
    fn build(version: i64, records: Vec<UnitRecord>) -> AppResult<Self> {
        let tree = Tree::new(records.iter().map(|u| TreeNode {
            id: u.id,
            parent: u.parent_id,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
            successor: u.successor_id,
        }))
        .map_err(|e| AppError::Invalid(e.to_string()))?;
        let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
        for u in &records {
            children.entry(u.parent_id).or_default().push(u.id);
        }
        let by_code = records.iter().map(|u| (u.code.clone(), u.id)).collect();
        let units: HashMap<i64, UnitRecord> = records.into_iter().map(|u| (u.id, u)).collect();
        for list in children.values_mut() {
            list.sort_by(|a, b| {
                let (ua, ub) = (&units[a], &units[b]);
                (!ua.active, text::fold(&ua.name)).cmp(&(!ub.active, text::fold(&ub.name)))
            });
        }
        Ok(TreeSnapshot { version, tree, units, by_code, children })
    }

    /// Code → (id, kind) for import validation.
    pub fn known_units(&self) -> KnownUnits {
        self.units.values().map(|u| (u.code.clone(), (u.id, u.kind))).collect()
    }

    /// The root(s) of the tree (units without parent).
    pub fn roots(&self) -> Vec<i64> {
        self.children.get(&None).cloned().unwrap_or_default()
    }

    /// Names from the root down to the unit, for breadcrumbs.
    pub fn breadcrumb(&self, id: i64) -> Vec<&UnitRecord> {
        let mut out: Vec<&UnitRecord> = self.tree.ancestors(id).iter().filter_map(|a| self.units.get(a)).collect();
        out.reverse();
        out
    }
}

/// A per-process cache of the tree, refreshed whenever the stored tree version changes (so two
/// server processes never disagree for longer than one request).
#[derive(Clone, Default)]
pub struct TreeCache {
    inner: Arc<RwLock<Option<Arc<TreeSnapshot>>>>,
}

impl TreeCache {
    pub async fn get(&self, store: &dyn Store) -> AppResult<Arc<TreeSnapshot>> {
        let version = store.tree_version().await?;
        if let Ok(guard) = self.inner.read()
            && let Some(s) = guard.as_ref().filter(|s| s.version == version)
        {
            return Ok(s.clone());
        }
        let snapshot = Arc::new(TreeSnapshot::build(version, store.all_units().await?)?);
        if let Ok(mut guard) = self.inner.write() {
            *guard = Some(snapshot.clone());
        }
        Ok(snapshot)
    }
}

impl App {
    /// The current tree snapshot.
    pub async fn snapshot(&self) -> AppResult<Arc<TreeSnapshot>> {
        self.tree.get(self.store.as_ref()).await
    }

    /// Decides, or fails with `Forbidden`. The proof names the delegator, if the actor holds the
    /// grant by delegation; every audited write requires it.
    pub async fn authorize(&self, actor: &Actor, action: Action, target: i64) -> AppResult<Authorized> {
        let snap = self.snapshot().await?;
        match access::decide(&actor.grants, action, target, &snap.tree, self.clock.now()) {
            Decision::Allow { on_behalf_of: None, .. } => Ok(Authorized::grant(target, action, None)),
            Decision::Allow { on_behalf_of: Some(id), .. } => {
                let via = self.store.user(id).await?.map(|u| u.username).unwrap_or_else(|| format!("#{id}"));
                Ok(Authorized::grant(target, action, Some(via)))
            }
            Decision::Deny => Err(AppError::Forbidden),
        }
    }

    /// Whether the actor may do `action` on `unit`, with the snapshot a page already holds (for
    /// what it shows: links, pickers); what is then done is decided again by its use case.
    pub fn shows(&self, actor: &Actor, snap: &TreeSnapshot, action: Action, unit: i64) -> bool {
        access::decide(&actor.grants, action, unit, &snap.tree, self.clock.now()).is_allowed()
    }

    /// Whether the actor may do `action` on `target` (for showing or hiding buttons).
    pub async fn can(&self, actor: &Actor, action: Action, target: i64) -> bool {
        match self.snapshot().await {
            Ok(snap) => self.shows(actor, &snap, action, target),
            Err(_) => false,
        }
    }

    /// The scope filter of list queries for `action`.
    pub async fn scope(&self, actor: &Actor, action: Action) -> AppResult<Scope> {
        let snap = self.snapshot().await?;
        let roots = access::list_scope(&actor.grants, action, &snap.tree, self.clock.now());
        let all = roots.iter().any(|r| r.subtree && snap.roots().contains(&r.node));
        Ok(if all { Scope::All } else { Scope::Roots(roots) })
    }

    /// Whether the actor may do each action somewhere (for menus), from one tree snapshot.
    pub async fn allowed_somewhere(&self, actor: &Actor, actions: &[Action]) -> AppResult<Vec<bool>> {
        let snap = self.snapshot().await?;
        let now = self.clock.now();
        Ok(actions.iter().map(|a| !access::list_scope(&actor.grants, *a, &snap.tree, now).is_empty()).collect())
    }

    /// Refuses actors who may do `action` nowhere.
    pub async fn require_somewhere(&self, actor: &Actor, action: Action) -> AppResult<()> {
        match self.allowed_somewhere(actor, &[action]).await?.first() {
            Some(true) => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }

    /// Decides an action over the whole city (campaigns, criteria, the Chairman's decisions, the
    /// calendar), or fails with `Forbidden`.
    pub async fn authorize_city(&self, actor: &Actor, action: Action) -> AppResult<Authorized> {
        let root = self.snapshot().await?.roots().first().copied().ok_or(AppError::NotFound)?;
        self.authorize(actor, action, root).await
    }

    /// The units the actor's grants start from, for the home page.
    pub async fn entry_units(&self, actor: &Actor) -> AppResult<Vec<UnitRecord>> {
        let snap = self.snapshot().await?;
        let now = self.clock.now();
        let mut out: Vec<UnitRecord> = Vec::new();
        for g in actor.grants.iter().filter(|g| g.active_at(now)) {
            if let Some(u) = snap.units.get(&g.scope)
                && !out.iter().any(|o| o.id == u.id)
            {
                out.push(u.clone());
            }
        }
        Ok(out)
    }

    // One argument per column of the audit entry; a struct here would only rename them.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn draft(
        &self,
        actor: &Actor,
        proof: &Authorized,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        unit_id: Option<i64>,
        old: Option<serde_json::Value>,
        new: Option<serde_json::Value>,
    ) -> AuditDraft {
        AuditDraft {
            actor: actor.username.clone(),
            on_behalf_of: proof.via().map(str::to_string),
            proof: proof.clone(),
            action: action.into(),
            entity: entity.into(),
            entity_id: entity_id.to_string(),
            unit_id,
            old,
            new,
            at_ms: (self.clock.now().unix_timestamp_nanos() / 1_000_000) as i64,
        }
    }

    // --- units -----------------------------------------------------------------------------

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

    /// Units matching a diacritic-insensitive search, within scope.
    pub async fn search_units(&self, actor: &Actor, q: &str, limit: usize) -> AppResult<Vec<UnitRecord>> {
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
        out.truncate(limit);
        Ok(out)
    }

    fn validate_unit(&self, snap: &TreeSnapshot, input: &UnitInput, self_id: Option<i64>) -> AppResult<()> {
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
        if input.successor_id.is_some() && input.valid_to.is_none() {
            return Err(AppError::Invalid(
                "đơn vị còn hoạt động không có đơn vị kế thừa: ghi ngày hết hiệu lực (ngày giải thể, sáp nhập) trước".into(),
            ));
        }
        if input.successor_id.is_some() && input.successor_id == self_id {
            return Err(AppError::Invalid("đơn vị không thể kế thừa chính nó".into()));
        }
        Ok(())
    }

    /// The links of a unit that hand its records to another unit (its successor) or place it
    /// in another unit's area (its location) need the right over that other unit too.
    async fn authorize_links(&self, actor: &Actor, input: &UnitInput, old: Option<&UnitRecord>) -> AppResult<()> {
        if let Some(s) = input.successor_id
            && old.is_none_or(|o| o.successor_id != Some(s))
        {
            self.authorize(actor, Action::WriteRegistry, s).await?;
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
        let audit =
            self.draft(actor, &via, "unit.update", "unit", id, Some(id), crate::error::payload(&old)?, crate::error::payload(&input)?);
        Ok(self.store.update_unit(id, version, &input, audit).await?)
    }

    pub async fn set_unit_active(&self, actor: &Actor, id: i64, version: i64, active: bool) -> AppResult<()> {
        let old = self.unit(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, id).await?;
        let action = if active { "unit.reactivate" } else { "unit.deactivate" };
        let audit = self.draft(
            actor,
            &via,
            action,
            "unit",
            id,
            Some(id),
            Some(serde_json::json!({"active": old.active})),
            Some(serde_json::json!({"active": active})),
        );
        Ok(self.store.set_unit_active(id, version, active, audit).await?)
    }

    // --- households ----------------------------------------------------------------------------

    pub async fn households(
        &self,
        actor: &Actor,
        unit: Option<i64>,
        q: Option<&str>,
        page: PageRequest,
    ) -> AppResult<Page<HouseholdRecord>> {
        self.households_sorted(actor, unit, q, HouseholdSort::Code, page).await
    }

    pub async fn households_sorted(
        &self,
        actor: &Actor,
        unit: Option<i64>,
        q: Option<&str>,
        sort: HouseholdSort,
        page: PageRequest,
    ) -> AppResult<Page<HouseholdRecord>> {
        if let Some(u) = unit {
            self.authorize(actor, Action::ReadRegistry, u).await?;
        }
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        let folded = q.map(text::fold).filter(|s| !s.is_empty());
        Ok(self.store.households(&scope, unit, folded.as_deref(), sort, page).await?)
    }

    pub async fn household(&self, actor: &Actor, id: i64) -> AppResult<HouseholdRecord> {
        let h = self.store.household(id).await?.ok_or(AppError::NotFound)?;
        // Out of scope reads as "not found" to the caller's page, but is Forbidden here so that
        // the web layer can log it; it never reveals the record.
        self.authorize(actor, Action::ReadRegistry, h.unit_id).await?;
        Ok(h)
    }

    fn clean_household(&self, snap: &TreeSnapshot, mut input: HouseholdInput) -> AppResult<HouseholdInput> {
        input.code = thidua_domain::registry::Code::parse(&input.code).map_err(|e| AppError::Invalid(e.to_string()))?.to_string();
        input.head_name = crate::error::field(thidua_domain::limits::Field::PersonName, "Họ và tên chủ hộ", &input.head_name)?;
        input.address = crate::error::opt_field(thidua_domain::limits::Field::Address, "Địa chỉ", input.address)?;
        if input.head_name.is_empty() {
            return Err(AppError::Invalid("họ và tên chủ hộ không được để trống".into()));
        }
        match snap.units.get(&input.unit_id) {
            Some(u) if u.kind.holds_households() => Ok(input),
            Some(u) => Err(AppError::Invalid(format!("{} không phải thôn hoặc tổ dân phố", u.name))),
            None => Err(AppError::Invalid("không tìm thấy thôn/tổ dân phố".into())),
        }
    }

    pub async fn create_household(&self, actor: &Actor, input: HouseholdInput) -> AppResult<i64> {
        let snap = self.snapshot().await?;
        let input = self.clean_household(&snap, input)?;
        let via = self.authorize(actor, Action::WriteRegistry, input.unit_id).await?;
        let audit = self.draft(
            actor,
            &via,
            "household.create",
            "household",
            &input.code,
            Some(input.unit_id),
            None,
            crate::error::payload(&input)?,
        );
        Ok(self.store.create_household(&input, audit).await?)
    }

    pub async fn update_household(&self, actor: &Actor, id: i64, version: i64, input: HouseholdInput) -> AppResult<()> {
        let old = self.household(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let snap = self.snapshot().await?;
        let input = self.clean_household(&snap, input)?;
        self.authorize(actor, Action::WriteRegistry, input.unit_id).await?;
        let audit = self.draft(
            actor,
            &via,
            "household.update",
            "household",
            id,
            Some(input.unit_id),
            crate::error::payload(&old)?,
            crate::error::payload(&input)?,
        );
        Ok(self.store.update_household(id, version, &input, audit).await?)
    }

    pub async fn set_household_active(&self, actor: &Actor, id: i64, version: i64, active: bool) -> AppResult<()> {
        let old = self.household(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let action = if active { "household.reactivate" } else { "household.deactivate" };
        let audit = self.draft(
            actor,
            &via,
            action,
            "household",
            id,
            Some(old.unit_id),
            Some(serde_json::json!({"active": old.active})),
            Some(serde_json::json!({"active": active})),
        );
        Ok(self.store.set_household_active(id, version, active, audit).await?)
    }

    // --- people ------------------------------------------------------------------------------

    pub async fn people(
        &self,
        actor: &Actor,
        unit: Option<i64>,
        household: Option<i64>,
        q: Option<&str>,
        sort: PersonSort,
        page: PageRequest,
    ) -> AppResult<Page<PersonRecord>> {
        if let Some(u) = unit {
            self.authorize(actor, Action::ReadRegistry, u).await?;
        }
        if let Some(h) = household {
            self.household(actor, h).await?;
        }
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        let folded = q.map(text::fold).filter(|s| !s.is_empty());
        Ok(self.store.people(&scope, unit, household, folded.as_deref(), sort, page).await?)
    }

    /// The codes of the households these people belong to, in a few queries (for exports).
    pub async fn household_codes_of(&self, people: &[PersonRecord]) -> AppResult<HashMap<i64, String>> {
        let mut ids: Vec<i64> = people.iter().filter_map(|p| p.household_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            out.extend(self.store.household_codes(chunk).await?);
        }
        Ok(out)
    }

    pub async fn person(&self, actor: &Actor, id: i64) -> AppResult<PersonRecord> {
        let p = self.store.person(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, p.unit_id).await?;
        Ok(p)
    }

    fn clean_person(&self, mut input: PersonInput) -> AppResult<PersonInput> {
        input.code = thidua_domain::registry::Code::parse(&input.code).map_err(|e| AppError::Invalid(e.to_string()))?.to_string();
        input.full_name = crate::error::field(thidua_domain::limits::Field::PersonName, "Họ và tên", &input.full_name)?;
        input.position = crate::error::opt_field(thidua_domain::limits::Field::Short, "Chức vụ, nghề nghiệp", input.position)?;
        if input.full_name.is_empty() {
            return Err(AppError::Invalid("họ và tên không được để trống".into()));
        }
        if let Some(y) = input.birth_year
            && !(1900..=2030).contains(&y)
        {
            return Err(AppError::Invalid(format!("năm sinh {y} không hợp lệ (1900–2030)")));
        }
        Ok(input)
    }

    pub async fn create_person(&self, actor: &Actor, input: PersonInput) -> AppResult<i64> {
        let input = self.clean_person(input)?;
        let via = self.authorize(actor, Action::WriteRegistry, input.unit_id).await?;
        if let Some(h) = input.household_id {
            self.household(actor, h).await?;
        }
        let audit =
            self.draft(actor, &via, "person.create", "person", &input.code, Some(input.unit_id), None, crate::error::payload(&input)?);
        Ok(self.store.create_person(&input, audit).await?)
    }

    pub async fn update_person(&self, actor: &Actor, id: i64, version: i64, input: PersonInput) -> AppResult<()> {
        let old = self.person(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let input = self.clean_person(input)?;
        self.authorize(actor, Action::WriteRegistry, input.unit_id).await?;
        let audit = self.draft(
            actor,
            &via,
            "person.update",
            "person",
            id,
            Some(input.unit_id),
            crate::error::payload(&old)?,
            crate::error::payload(&input)?,
        );
        Ok(self.store.update_person(id, version, &input, audit).await?)
    }

    pub async fn set_person_active(&self, actor: &Actor, id: i64, version: i64, active: bool) -> AppResult<()> {
        let old = self.person(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let action = if active { "person.reactivate" } else { "person.deactivate" };
        let audit = self.draft(
            actor,
            &via,
            action,
            "person",
            id,
            Some(old.unit_id),
            Some(serde_json::json!({"active": old.active})),
            Some(serde_json::json!({"active": active})),
        );
        Ok(self.store.set_person_active(id, version, active, audit).await?)
    }

    // --- audit -----------------------------------------------------------------------------

    pub async fn audit_page(&self, actor: &Actor, filter: &AuditFilter, page: PageRequest) -> AppResult<Page<AuditRecord>> {
        let scope = self.scope(actor, Action::ReadAudit).await?;
        if matches!(&scope, Scope::Roots(r) if r.is_empty()) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.audit_page(&scope, filter, page).await?)
    }

    /// Audit entries of one record (by id, and by code for the entry that created it).
    async fn history(&self, entity: &str, keys: &[String]) -> AppResult<Vec<AuditRecord>> {
        let mut out = Vec::new();
        for key in keys {
            let filter = AuditFilter { entity: Some(entity.into()), entity_id: Some(key.clone()), ..Default::default() };
            out.extend(self.store.audit_page(&Scope::All, &filter, PageRequest::new(1, 500)).await?.items);
        }
        out.sort_by_key(|a| a.seq);
        out.dedup_by_key(|a| a.seq);
        Ok(out)
    }

    /// The history of a unit, if the actor may read it.
    pub async fn unit_history(&self, actor: &Actor, id: i64) -> AppResult<Vec<AuditRecord>> {
        let u = self.unit(actor, id).await?;
        self.history("unit", &[id.to_string(), u.code]).await
    }

    /// The history of a household, if the actor may read it.
    pub async fn household_history(&self, actor: &Actor, id: i64) -> AppResult<Vec<AuditRecord>> {
        let h = self.household(actor, id).await?;
        self.history("household", &[id.to_string(), h.code]).await
    }

    /// The history of a person, if the actor may read them.
    pub async fn person_history(&self, actor: &Actor, id: i64) -> AppResult<Vec<AuditRecord>> {
        let p = self.person(actor, id).await?;
        self.history("person", &[id.to_string(), p.code]).await
    }
}

/// Clans (dòng họ): read and written through their home unit's scope; the villages a clan
/// spans must each be readable by whoever sets them.
impl App {
    pub async fn clans(&self, actor: &Actor, unit: Option<i64>, q: Option<&str>, page: PageRequest) -> AppResult<Page<ClanRecord>> {
        if let Some(u) = unit {
            self.authorize(actor, Action::ReadRegistry, u).await?;
        }
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        let folded = q.map(text::fold).filter(|s| !s.is_empty());
        Ok(self.store.clans(&scope, unit, folded.as_deref(), page).await?)
    }

    pub async fn clan(&self, actor: &Actor, id: i64) -> AppResult<ClanRecord> {
        let c = self.store.clan(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, c.unit_id).await?;
        Ok(c)
    }

    async fn clean_clan(&self, actor: &Actor, mut input: ClanInput) -> AppResult<ClanInput> {
        input.code = thidua_domain::registry::Code::parse(&input.code).map_err(|e| AppError::Invalid(e.to_string()))?.to_string();
        input.name = crate::error::field(thidua_domain::limits::Field::Name, "Tên dòng họ", &input.name)?;
        input.representative_name =
            crate::error::opt_field(thidua_domain::limits::Field::PersonName, "Người đại diện", input.representative_name)?;
        if input.name.is_empty() {
            return Err(AppError::Invalid("tên dòng họ không được để trống".into()));
        }
        let snap = self.snapshot().await?;
        input.villages.sort_unstable();
        input.villages.dedup();
        for v in &input.villages {
            match snap.units.get(v) {
                Some(u) if u.kind.holds_households() => {}
                Some(u) => return Err(AppError::Invalid(format!("{} không phải thôn hoặc tổ dân phố", u.name))),
                None => return Err(AppError::Invalid("không tìm thấy thôn/tổ dân phố".into())),
            }
            self.authorize(actor, Action::ReadRegistry, *v).await?;
        }
        Ok(input)
    }

    pub async fn create_clan(&self, actor: &Actor, input: ClanInput) -> AppResult<i64> {
        let input = self.clean_clan(actor, input).await?;
        let via = self.authorize(actor, Action::WriteRegistry, input.unit_id).await?;
        let audit = self.draft(actor, &via, "clan.create", "clan", &input.code, Some(input.unit_id), None, crate::error::payload(&input)?);
        Ok(self.store.create_clan(&input, audit).await?)
    }

    pub async fn update_clan(&self, actor: &Actor, id: i64, version: i64, input: ClanInput) -> AppResult<()> {
        let old = self.clan(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let input = self.clean_clan(actor, input).await?;
        self.authorize(actor, Action::WriteRegistry, input.unit_id).await?;
        let audit = self.draft(
            actor,
            &via,
            "clan.update",
            "clan",
            id,
            Some(input.unit_id),
            crate::error::payload(&old)?,
            crate::error::payload(&input)?,
        );
        Ok(self.store.update_clan(id, version, &input, audit).await?)
    }

    pub async fn set_clan_active(&self, actor: &Actor, id: i64, version: i64, active: bool) -> AppResult<()> {
        let old = self.clan(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let action = if active { "clan.reactivate" } else { "clan.deactivate" };
        let audit = self.draft(
            actor,
            &via,
            action,
            "clan",
            id,
            Some(old.unit_id),
            Some(serde_json::json!({"active": old.active})),
            Some(serde_json::json!({"active": active})),
        );
        Ok(self.store.set_clan_active(id, version, active, audit).await?)
    }

    /// The history of a clan, if the actor may read it.
    pub async fn clan_history(&self, actor: &Actor, id: i64) -> AppResult<Vec<AuditRecord>> {
        let c = self.clan(actor, id).await?;
        self.history("clan", &[id.to_string(), c.code]).await
    }
}
