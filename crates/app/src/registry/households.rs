//! Households: listed in scope, read, created, edited and (de)activated.

use super::TreeSnapshot;
use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App};
use thidua_domain::access::Action;
use thidua_domain::text;

impl App {
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

    /// The active households and citizens recorded in `unit`'s subtree: the kept per-unit counts
    /// (`unit_counts`, refreshed by every registry write) summed up the tree as it stands, never a
    /// count of millions of rows per request (issue 19).
    pub async fn registry_totals(&self, actor: &Actor, unit: i64) -> AppResult<(i64, i64)> {
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        let snap = self.snapshot().await?;
        let within = |mut at: Option<i64>| {
            while let Some(u) = at {
                if u == unit {
                    return true;
                }
                at = snap.units.get(&u).and_then(|r| r.parent_id);
            }
            false
        };
        let (mut households, mut people) = (0, 0);
        for (u, c) in self.store.unit_counts().await? {
            if within(Some(u)) {
                households += c.households;
                people += c.people;
            }
        }
        Ok((households, people))
    }

    pub async fn household(&self, actor: &Actor, id: i64) -> AppResult<HouseholdRecord> {
        let h = self.store.household(id).await?.ok_or(AppError::NotFound)?;
        // Out of scope reads as "not found" to the caller's page, but is Forbidden here so that
        // the web layer can log it; it never reveals the record.
        self.authorize(actor, Action::ReadRegistry, h.unit_id).await?;
        Ok(h)
    }

    pub(crate) fn clean_household(&self, snap: &TreeSnapshot, mut input: HouseholdInput) -> AppResult<HouseholdInput> {
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
        let audit = self.update_draft(actor, &via, ("household", id, input.unit_id), &old, &input)?;
        Ok(self.store.update_household(id, version, &input, audit).await?)
    }

    pub async fn set_household_active(&self, actor: &Actor, id: i64, version: i64, active: bool) -> AppResult<()> {
        let old = self.household(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let audit = self.active_draft(actor, &via, ("household", id, old.unit_id), old.active, active);
        Ok(self.store.set_household_active(id, version, active, audit).await?)
    }

    // --- people ------------------------------------------------------------------------------
}
