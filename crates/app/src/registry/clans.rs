//! Clans (dòng họ): read and written through their home unit's scope; the villages a clan
//! spans must each be readable by whoever sets them.

use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App};
use thidua_domain::access::Action;
use thidua_domain::text;

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

    pub(crate) async fn clean_clan(&self, actor: &Actor, mut input: ClanInput) -> AppResult<ClanInput> {
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
        let audit = self.update_draft(actor, &via, ("clan", id, input.unit_id), &old, &input)?;
        Ok(self.store.update_clan(id, version, &input, audit).await?)
    }

    pub async fn set_clan_active(&self, actor: &Actor, id: i64, version: i64, active: bool) -> AppResult<()> {
        let old = self.clan(actor, id).await?;
        let via = self.authorize(actor, Action::WriteRegistry, old.unit_id).await?;
        let audit = self.active_draft(actor, &via, ("clan", id, old.unit_id), old.active, active);
        Ok(self.store.set_clan_active(id, version, active, audit).await?)
    }

    /// The history of a clan, if the actor may read it.
    pub async fn clan_history(&self, actor: &Actor, id: i64) -> AppResult<Vec<AuditRecord>> {
        let c = self.clan(actor, id).await?;
        self.history("clan", &[id.to_string(), c.code]).await
    }
}
