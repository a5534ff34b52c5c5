//! Citizens: listed in scope, read, created, edited and (de)activated.

use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App};
use std::collections::HashMap;
use thidua_domain::access::Action;
use thidua_domain::text;

impl App {
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

    pub(crate) fn clean_person(&self, mut input: PersonInput) -> AppResult<PersonInput> {
        input.code = thidua_domain::registry::Code::parse(&input.code).map_err(|e| AppError::Invalid(e.to_string()))?.to_string();
        if thidua_domain::registry::looks_like_identity_number(&input.code) {
            return Err(AppError::Invalid(thidua_domain::registry::IDENTITY_NUMBER_REFUSED.into()));
        }
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
        let audit = self.update_draft(actor, &via, ("person", id, input.unit_id), &old, &input)?;
        Ok(self.store.update_person(id, version, &input, audit).await?)
    }

    pub async fn set_person_active(&self, actor: &Actor, id: i64, version: i64, active: bool) -> AppResult<()> {
        let old = self.person(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let audit = self.active_draft(actor, &via, ("person", id, old.unit_id), old.active, active);
        Ok(self.store.set_person_active(id, version, active, audit).await?)
    }

    // --- audit -----------------------------------------------------------------------------
}
