//! Who may do what where: every read and write of the registry (and of every other area) is
//! decided here through [`thidua_domain::access::decide`], leaving the proof (`Authorized`).

use super::TreeSnapshot;
use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::{Actor, App, Authorized};
use thidua_domain::access::{self, Action, Decision};

impl App {
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

    /// The audit entry of an edit to a registry record (`<entity>.update`): the record as it
    /// was, and what was set.
    pub(crate) fn update_draft<O: serde::Serialize, I: serde::Serialize>(
        &self,
        actor: &Actor,
        proof: &Authorized,
        (entity, id, unit): (&str, i64, i64),
        old: &O,
        input: &I,
    ) -> AppResult<AuditDraft> {
        let (old, new) = (crate::error::payload(old)?, crate::error::payload(input)?);
        Ok(self.draft(actor, proof, &format!("{entity}.update"), entity, id, Some(unit), old, new))
    }

    /// The audit entry of deactivating or reactivating a registry record.
    pub(crate) fn active_draft(
        &self,
        actor: &Actor,
        proof: &Authorized,
        (entity, id, unit): (&str, i64, i64),
        was: bool,
        active: bool,
    ) -> AuditDraft {
        let action = format!("{entity}.{}", if active { "reactivate" } else { "deactivate" });
        self.draft(
            actor,
            proof,
            &action,
            entity,
            id,
            Some(unit),
            Some(serde_json::json!({"active": was})),
            Some(serde_json::json!({"active": active})),
        )
    }
}
