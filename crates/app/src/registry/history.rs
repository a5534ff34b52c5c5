//! The audit log as the registry shows it: a scoped page of entries, and one record's history.

use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App};
use thidua_domain::access::Action;

impl App {
    pub async fn audit_page(&self, actor: &Actor, filter: &AuditFilter, page: PageRequest) -> AppResult<Page<AuditRecord>> {
        let scope = self.scope(actor, Action::ReadAudit).await?;
        if matches!(&scope, Scope::Roots(r) if r.is_empty()) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.audit_page(&scope, filter, page).await?)
    }

    /// Audit entries of one record (by id, and by code for the entry that created it).
    pub(crate) async fn history(&self, entity: &str, keys: &[String]) -> AppResult<Vec<AuditRecord>> {
        let mut out = Vec::new();
        for key in keys {
            let filter = AuditFilter { entity: Some(entity.into()), entity_id: Some(key.clone()), ..Default::default() };
            // Every entry, page by page: a long history is never cut at a page's length.
            for page in 1.. {
                let got = self.store.audit_page(&Scope::All, &filter, PageRequest::new(page, 500)).await?;
                let last = got.items.len() < 500;
                out.extend(got.items);
                if last {
                    break;
                }
            }
        }
        out.sort_by_key(|a| a.seq);
        out.dedup_by_key(|a| a.seq);
        Ok(out)
    }

    /// The history of a unit, if the actor may read it, with the divisions that moved it (each
    /// recorded once, on the divided unit, naming every unit it moved).
    pub async fn unit_history(&self, actor: &Actor, id: i64) -> AppResult<Vec<AuditRecord>> {
        let u = self.unit(actor, id).await?;
        let mut out = self.history("unit", &[id.to_string(), u.code]).await?;
        let moved_me = |e: &AuditRecord| {
            let moves = e.new.as_deref().and_then(|n| serde_json::from_str::<Vec<serde_json::Value>>(n).ok()).unwrap_or_default();
            e.action == "unit.divide" && moves.iter().any(|m| m.get("unit_id").and_then(serde_json::Value::as_i64) == Some(id))
        };
        for e in &u.earlier_parents {
            out.extend(self.history("unit", &[e.parent.to_string()]).await?.into_iter().filter(moved_me));
        }
        out.sort_by_key(|a| a.seq);
        out.dedup_by_key(|a| a.seq);
        Ok(out)
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
