//! Commendation: campaigns, dossiers and their nominees and documents, the flow's transitions
//! (one transaction each, with the quota and claim guards), decisions and award history.

mod transition;

use crate::audit;
use crate::db::{SqlStore, V, err, get_i64, get_opt_i64, get_opt_str, get_str, q, scope_clause};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use thidua_app::error::StorageError;
use thidua_app::ports::{
    AuditDraft, AwardDecisionRow, AwardHistoryRow, BatchRow, CampaignRow, CommentRow, ConsolidationRow, DocumentRow, EventRow, NomineeEdit,
    NomineeRow, Page, PageRequest, QuotaCounts, Scope, StoreResult,
};
use thidua_domain::text;

const CAMPAIGN: &str = "id, code, year, body, status, origin, version, created_at, created_by";
const BATCH: &str = "b.id, b.campaign_id, b.level, b.proposer_unit_id, b.number, b.summary, b.state, b.consolidation_id, b.decision_id, \
                     b.submitted_at, b.state_since, b.version, b.created_at, b.created_by";
const NOMINEE: &str = "n.id, n.batch_id, n.campaign_id, n.kind, n.class, n.subject_type, n.subject_id, n.unit_id, n.name, n.birth_year, \
                       n.position, n.achievement, n.cites_initiative, n.outcome, n.outcome_reason, n.decision_id, n.reward_vnd, n.certificate, n.origin";
const DOCUMENT: &str =
    "id, batch_id, nominee_id, kind, file_name, content_type, size, sha256, replaces_id, current, uploaded_at, uploaded_by";
const DECISION: &str = "d.id, d.campaign_id, d.issuer_unit_id, d.level, d.number, d.signed_on, d.signer, d.signer_title, d.central, d.scan_sha256, d.awarded, \
                        d.reward_vnd, d.created_at, d.created_by";

fn campaign(r: &AnyRow) -> StoreResult<CampaignRow> {
    Ok(CampaignRow {
        id: get_i64(r, "id")?,
        code: get_str(r, "code")?,
        year: get_i64(r, "year")?,
        body: get_str(r, "body")?,
        status: get_str(r, "status")?,
        origin: get_str(r, "origin")?,
        version: get_i64(r, "version")?,
        created_at_ms: get_i64(r, "created_at")?,
        created_by: get_str(r, "created_by")?,
    })
}

fn batch(r: &AnyRow) -> StoreResult<BatchRow> {
    Ok(BatchRow {
        id: get_i64(r, "id")?,
        campaign_id: get_i64(r, "campaign_id")?,
        level: get_str(r, "level")?,
        proposer_unit_id: get_i64(r, "proposer_unit_id")?,
        number: get_str(r, "number")?,
        summary: get_str(r, "summary")?,
        state: crate::db::get_code(r, "state", thidua_domain::commendation::workflow::State::parse)?,
        consolidation_id: get_opt_i64(r, "consolidation_id")?,
        decision_id: get_opt_i64(r, "decision_id")?,
        submitted_at_ms: get_opt_i64(r, "submitted_at")?,
        state_since_ms: get_i64(r, "state_since")?,
        version: get_i64(r, "version")?,
        created_at_ms: get_i64(r, "created_at")?,
        created_by: get_str(r, "created_by")?,
    })
}

fn nominee(r: &AnyRow) -> StoreResult<NomineeRow> {
    Ok(NomineeRow {
        id: get_i64(r, "id")?,
        batch_id: get_i64(r, "batch_id")?,
        campaign_id: get_i64(r, "campaign_id")?,
        kind: get_str(r, "kind")?,
        class: get_str(r, "class")?,
        subject_type: get_str(r, "subject_type")?,
        subject_id: get_i64(r, "subject_id")?,
        unit_id: get_i64(r, "unit_id")?,
        name: get_str(r, "name")?,
        birth_year: get_opt_i64(r, "birth_year")?,
        position: get_str(r, "position")?,
        achievement: get_str(r, "achievement")?,
        cites_initiative: get_i64(r, "cites_initiative")? != 0,
        outcome: crate::db::get_code(r, "outcome", thidua_domain::commendation::workflow::Outcome::parse)?,
        outcome_reason: get_opt_str(r, "outcome_reason")?,
        decision_id: get_opt_i64(r, "decision_id")?,
        reward_vnd: get_opt_i64(r, "reward_vnd")?,
        certificate: get_opt_str(r, "certificate")?,
        origin: crate::db::get_opt_code(r, "origin", thidua_domain::commendation::Origin::parse)?,
    })
}

fn document(r: &AnyRow) -> StoreResult<DocumentRow> {
    Ok(DocumentRow {
        id: get_i64(r, "id")?,
        batch_id: get_i64(r, "batch_id")?,
        nominee_id: get_opt_i64(r, "nominee_id")?,
        kind: get_str(r, "kind")?,
        file_name: get_str(r, "file_name")?,
        content_type: get_str(r, "content_type")?,
        size: get_i64(r, "size")?,
        sha256: get_str(r, "sha256")?,
        replaces_id: get_opt_i64(r, "replaces_id")?,
        current: get_i64(r, "current")? != 0,
        uploaded_at_ms: get_i64(r, "uploaded_at")?,
        uploaded_by: get_str(r, "uploaded_by")?,
    })
}

fn decision(r: &AnyRow) -> StoreResult<AwardDecisionRow> {
    Ok(AwardDecisionRow {
        id: get_i64(r, "id")?,
        campaign_id: get_i64(r, "campaign_id")?,
        issuer_unit_id: get_i64(r, "issuer_unit_id")?,
        level: get_str(r, "level")?,
        number: get_str(r, "number")?,
        signed_on: crate::db::get_date(r, "signed_on")?,
        signer: get_str(r, "signer")?,
        signer_title: get_str(r, "signer_title")?,
        central: get_i64(r, "central")? != 0,
        scan_sha256: get_opt_str(r, "scan_sha256")?,
        awarded: get_i64(r, "awarded")?,
        reward_vnd: get_i64(r, "reward_vnd")?,
        created_at_ms: get_i64(r, "created_at")?,
        created_by: get_str(r, "created_by")?,
    })
}

/// Bumps a dossier's version if it is still the one the user saw: the guard of every edit.
pub(super) async fn bump(tx: &mut Transaction<'static, Any>, batch: i64, expected: i64) -> StoreResult<()> {
    crate::db::update_versioned(
        tx,
        "UPDATE nomination_batches SET version = version + 1 WHERE id = $1 AND version = $2",
        vec![V::int(batch), V::int(expected)],
    )
    .await
}

pub(super) async fn returning_id(tx: &mut Transaction<'static, Any>, sql: &str, values: Vec<V>) -> StoreResult<i64> {
    let row = q(sql, values).fetch_one(&mut **tx).await.map_err(err)?;
    row.try_get::<i64, _>(0).map_err(err)
}

/// `FROM … WHERE …` of a dossier list and its values.
fn batch_filter(scope: &Scope, campaign: Option<i64>, states: &[String]) -> (String, crate::db::Binds) {
    let mut b = crate::db::Binds::new();
    let clause = scope_clause(scope, "u", &mut b);
    let mut sql = format!("FROM nomination_batches b JOIN units u ON u.id = b.proposer_unit_id WHERE {clause}");
    if let Some(c) = campaign {
        sql.push_str(&format!(" AND b.campaign_id = {}", b.bind(V::int(c))));
    }
    if !states.is_empty() {
        let marks: Vec<String> = states.iter().map(|s| b.bind(V::text(s.clone()))).collect();
        sql.push_str(&format!(" AND b.state IN ({})", marks.join(", ")));
    }
    (sql, b)
}

#[async_trait::async_trait]
impl thidua_app::ports::CampaignStore for SqlStore {
    async fn campaign_rows(&self) -> StoreResult<Vec<CampaignRow>> {
        self.fetch(&format!("SELECT {CAMPAIGN} FROM campaigns ORDER BY year, code"), vec![]).await?.iter().map(campaign).collect()
    }
    async fn insert_campaign(&self, c: &CampaignRow, draft: Option<AuditDraft>) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let head = match &draft {
            Some(_) => Some(audit::lock_head(&mut tx).await?),
            None => None,
        };
        let id = returning_id(
            &mut tx,
            "INSERT INTO campaigns (code, year, body, status, origin, version, created_at, created_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
            vec![
                V::text(c.code.clone()),
                V::int(c.year),
                V::text(c.body.clone()),
                V::text(c.status.clone()),
                V::text(c.origin.clone()),
                V::int(c.created_at_ms),
                V::text(c.created_by.clone()),
            ],
        )
        .await?;
        if let (Some(head), Some(d)) = (head, draft) {
            audit::append(&mut tx, head, AuditDraft { entity_id: id.to_string(), ..d }).await?;
        }
        tx.commit().await.map_err(err)?;
        Ok(id)
    }
    async fn update_campaign(&self, id: i64, expected: i64, body: &str, status: &str, draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        crate::db::update_versioned(
            &mut tx,
            "UPDATE campaigns SET body = $1, status = $2, version = version + 1 WHERE id = $3 AND version = $4",
            vec![V::text(body.to_string()), V::text(status.to_string()), V::int(id), V::int(expected)],
        )
        .await?;
        tx.commit(draft).await.map(|_| ())
    }
    async fn extension(&self, campaign: i64, unit: i64) -> StoreResult<Option<String>> {
        Ok(
            match self
                .fetch_opt(
                    "SELECT due_before FROM campaign_extensions WHERE campaign_id = $1 AND unit_id = $2",
                    vec![V::int(campaign), V::int(unit)],
                )
                .await?
            {
                Some(r) => Some(get_str(&r, "due_before")?),
                None => None,
            },
        )
    }
    async fn grant_extension(&self, campaign: i64, unit: i64, due_before: &str, reason: &str, draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        q("DELETE FROM campaign_extensions WHERE campaign_id = $1 AND unit_id = $2", vec![V::int(campaign), V::int(unit)])
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        q(
            "INSERT INTO campaign_extensions (campaign_id, unit_id, due_before, reason, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![V::int(campaign), V::int(unit), V::text(due_before), V::text(reason), V::text(draft.actor.clone()), V::int(draft.at_ms)],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        q("DELETE FROM extension_requests WHERE campaign_id = $1 AND unit_id = $2", vec![V::int(campaign), V::int(unit)])
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        tx.commit(draft).await.map(|_| ())
    }
    async fn request_extension(&self, r: &thidua_app::ports::ExtensionRequestRow, draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        q("DELETE FROM extension_requests WHERE campaign_id = $1 AND unit_id = $2", vec![V::int(r.campaign_id), V::int(r.unit_id)])
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        q(
            "INSERT INTO extension_requests (campaign_id, unit_id, reason, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)",
            vec![
                V::int(r.campaign_id),
                V::int(r.unit_id),
                V::text(r.reason.clone()),
                V::text(r.requested_by.clone()),
                V::int(r.requested_at_ms),
            ],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        tx.commit(draft).await.map(|_| ())
    }
    async fn extension_requests(&self) -> StoreResult<Vec<thidua_app::ports::ExtensionRequestRow>> {
        let rows = self
            .fetch(
                "SELECT campaign_id, unit_id, reason, requested_by, requested_at FROM extension_requests ORDER BY requested_at, campaign_id, unit_id",
                vec![],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(thidua_app::ports::ExtensionRequestRow {
                    campaign_id: get_i64(r, "campaign_id")?,
                    unit_id: get_i64(r, "unit_id")?,
                    reason: get_str(r, "reason")?,
                    requested_by: get_str(r, "requested_by")?,
                    requested_at_ms: get_i64(r, "requested_at")?,
                })
            })
            .collect()
    }
    async fn decline_extension(&self, campaign: i64, unit: i64, draft: AuditDraft) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let n = q("DELETE FROM extension_requests WHERE campaign_id = $1 AND unit_id = $2", vec![V::int(campaign), V::int(unit)])
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        tx.commit(draft).await?;
        Ok(true)
    }
}

#[async_trait::async_trait]
impl thidua_app::ports::DossierStore for SqlStore {
    async fn create_batch(&self, b: &BatchRow, draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let id = returning_id(
            &mut tx,
            "INSERT INTO nomination_batches (campaign_id, level, proposer_unit_id, number, summary, state, state_since, version, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) RETURNING id",
            vec![
                V::int(b.campaign_id),
                V::text(b.level.clone()),
                V::int(b.proposer_unit_id),
                V::text(b.number.clone()),
                V::text(b.summary.clone()),
                V::text(b.state.code()),
                V::int(b.created_at_ms),
                V::int(b.created_at_ms),
                V::text(b.created_by.clone()),
            ],
        )
        .await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..draft }).await?;
        Ok(id)
    }
    async fn batch(&self, id: i64) -> StoreResult<Option<BatchRow>> {
        self.fetch_opt(&format!("SELECT {BATCH} FROM nomination_batches b WHERE b.id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(batch)
            .transpose()
    }
    async fn batches(&self, scope: &Scope, campaign: Option<i64>, states: &[String]) -> StoreResult<Vec<BatchRow>> {
        let (from, values) = batch_filter(scope, campaign, states);
        self.fetch(&format!("SELECT {BATCH} {from} ORDER BY b.state_since, b.id"), values.into_values()).await?.iter().map(batch).collect()
    }
    /// One page of the dossiers, oldest in their state first, and how many there are.
    async fn batch_page(&self, scope: &Scope, campaign: Option<i64>, states: &[String], page: PageRequest) -> StoreResult<Page<BatchRow>> {
        let (from, values) = batch_filter(scope, campaign, states);
        self.paged((BATCH, &from, "b.state_since, b.id"), values, page, batch).await
    }
    async fn nominees(&self, batch_id: i64) -> StoreResult<Vec<NomineeRow>> {
        self.fetch(&format!("SELECT {NOMINEE} FROM nominees n WHERE n.batch_id = $1 ORDER BY n.id"), vec![V::int(batch_id)])
            .await?
            .iter()
            .map(nominee)
            .collect()
    }
    async fn nominees_of_batches(&self, batches: &[i64]) -> StoreResult<Vec<NomineeRow>> {
        let mut out = Vec::new();
        for chunk in batches.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let rows = self
                .fetch(
                    &format!("SELECT {NOMINEE} FROM nominees n WHERE n.batch_id IN ({}) ORDER BY n.batch_id, n.id", marks.join(", ")),
                    chunk.iter().map(|b| V::int(*b)).collect(),
                )
                .await?;
            for r in &rows {
                out.push(nominee(r)?);
            }
        }
        Ok(out)
    }
    async fn nominee_counts(&self, batches: &[i64]) -> StoreResult<Vec<(i64, i64)>> {
        let mut out = Vec::new();
        for chunk in batches.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let rows = self
                .fetch(
                    &format!(
                        "SELECT batch_id, COUNT(*) AS n FROM nominees WHERE batch_id IN ({}) AND outcome <> 'dropped' GROUP BY batch_id",
                        marks.join(", ")
                    ),
                    chunk.iter().map(|b| V::int(*b)).collect(),
                )
                .await?;
            for r in &rows {
                out.push((get_i64(r, "batch_id")?, get_i64(r, "n")?));
            }
        }
        Ok(out)
    }
    /// Live nominees (not dropped) of a campaign for the given subjects or folded names.
    async fn campaign_nominees(&self, campaign: i64, subjects: &[(String, i64)], names: &[String]) -> StoreResult<Vec<NomineeRow>> {
        let mut b = crate::db::Binds::new();
        let campaign = b.bind(V::int(campaign));
        let mut ors = Vec::new();
        for (t, id) in subjects {
            ors.push(format!("(n.subject_type = {} AND n.subject_id = {})", b.bind(V::text(t.clone())), b.bind(V::int(*id))));
        }
        for name in names {
            ors.push(format!("n.name_folded = {}", b.bind(V::text(name.clone()))));
        }
        if ors.is_empty() {
            return Ok(vec![]);
        }
        self.fetch(
            &format!(
                "SELECT {NOMINEE} FROM nominees n WHERE n.campaign_id = {campaign} AND n.outcome <> 'dropped' AND ({})",
                ors.join(" OR ")
            ),
            b.into_values(),
        )
        .await?
        .iter()
        .map(nominee)
        .collect()
    }
    async fn add_nominee(&self, batch_id: i64, expected: i64, n: &NomineeRow, draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        bump(&mut tx, batch_id, expected).await?;
        let id = returning_id(
            &mut tx,
            "INSERT INTO nominees (batch_id, campaign_id, kind, class, subject_type, subject_id, unit_id, name, name_folded, birth_year, position, \
             achievement, cites_initiative, outcome, created_at, origin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'proposed', $14, $15) RETURNING id",
            vec![
                V::int(batch_id),
                V::int(n.campaign_id),
                V::text(n.kind.clone()),
                V::text(n.class.clone()),
                V::text(n.subject_type.clone()),
                V::int(n.subject_id),
                V::int(n.unit_id),
                V::text(n.name.clone()),
                V::text(text::fold(&n.name)),
                V::opt_int(n.birth_year),
                V::text(n.position.clone()),
                V::text(n.achievement.clone()),
                V::flag(n.cites_initiative),
                V::int(draft.at_ms),
                V::opt_text(n.origin.map(|o| o.code().to_string())),
            ],
        )
        .await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..draft }).await?;
        Ok(id)
    }
    async fn update_nominee(
        &self,
        batch_id: i64,
        expected: i64,
        nominee_id: i64,
        edit: &NomineeEdit,
        draft: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        bump(&mut tx, batch_id, expected).await?;
        let n = q(
            "UPDATE nominees SET position = $1, achievement = $2, cites_initiative = $3 WHERE id = $4 AND batch_id = $5",
            vec![
                V::text(edit.position.clone()),
                V::text(edit.achievement.clone()),
                V::flag(edit.cites_initiative),
                V::int(nominee_id),
                V::int(batch_id),
            ],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?
        .rows_affected();
        if n == 0 {
            return Err(StorageError::Refused(format!("đề nghị số {nominee_id} không thuộc hồ sơ số {batch_id}")));
        }
        tx.commit(draft).await.map(|_| ())
    }
    async fn remove_nominee(&self, batch_id: i64, expected: i64, nominee_id: i64, draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        bump(&mut tx, batch_id, expected).await?;
        // Every statement is keyed on the batch the caller was authorised for as well as the
        // nominee: a nominee of another batch is never touched through this one.
        let n = q(
            "UPDATE nominees SET outcome = 'dropped', outcome_reason = $1 WHERE id = $2 AND batch_id = $3",
            vec![V::text("Đơn vị bỏ khỏi danh sách khi lập hồ sơ"), V::int(nominee_id), V::int(batch_id)],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?
        .rows_affected();
        if n != 1 {
            return Err(StorageError::Refused(format!("đề nghị số {nominee_id} không thuộc hồ sơ số {batch_id}")));
        }
        // Its documents stay (every version is kept) but no longer belong to a live nominee.
        q("UPDATE dossier_documents SET current = 0 WHERE nominee_id = $1 AND batch_id = $2", vec![V::int(nominee_id), V::int(batch_id)])
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        tx.commit(draft).await.map(|_| ())
    }
    async fn documents(&self, batch_id: i64) -> StoreResult<Vec<DocumentRow>> {
        self.fetch(&format!("SELECT {DOCUMENT} FROM dossier_documents WHERE batch_id = $1 ORDER BY id"), vec![V::int(batch_id)])
            .await?
            .iter()
            .map(document)
            .collect()
    }
    async fn document(&self, id: i64) -> StoreResult<Option<DocumentRow>> {
        self.fetch_opt(&format!("SELECT {DOCUMENT} FROM dossier_documents WHERE id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(document)
            .transpose()
    }
    /// Adds a document; the current one of the same kind (and nominee) becomes an earlier version.
    async fn add_document(&self, batch_id: i64, expected: i64, d: &DocumentRow, draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        bump(&mut tx, batch_id, expected).await?;
        let (same, values) = match d.nominee_id {
            Some(n) => ("nominee_id = $3", vec![V::int(batch_id), V::text(d.kind.clone()), V::int(n)]),
            None => ("nominee_id IS NULL", vec![V::int(batch_id), V::text(d.kind.clone())]),
        };
        let previous =
            q(&format!("SELECT id FROM dossier_documents WHERE batch_id = $1 AND kind = $2 AND {same} AND current = 1"), values.clone())
                .fetch_optional(&mut **tx)
                .await
                .map_err(err)?
                .map(|r| r.try_get::<i64, _>(0))
                .transpose()
                .map_err(err)?;
        // «Khác» documents accumulate; the others replace the current version.
        let replaces = if d.kind == "khac" { None } else { previous };
        if let Some(p) = replaces {
            q("UPDATE dossier_documents SET current = 0 WHERE id = $1", vec![V::int(p)]).execute(&mut **tx).await.map_err(err)?;
        }
        let id = returning_id(
            &mut tx,
            "INSERT INTO dossier_documents (batch_id, nominee_id, kind, file_name, content_type, size, sha256, replaces_id, current, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) RETURNING id",
            vec![
                V::int(batch_id),
                V::opt_int(d.nominee_id),
                V::text(d.kind.clone()),
                V::text(d.file_name.clone()),
                V::text(d.content_type.clone()),
                V::int(d.size),
                V::text(d.sha256.clone()),
                V::opt_int(replaces),
                V::int(draft.at_ms),
                V::text(draft.actor.clone()),
            ],
        )
        .await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..draft }).await?;
        Ok(id)
    }
    async fn quota_used(&self, campaign: i64, level: &str, unit: i64) -> StoreResult<QuotaCounts> {
        Ok(
            match self
                .fetch_opt(
                    "SELECT collectives, individuals, households FROM quota_usage WHERE campaign_id = $1 AND level = $2 AND proposer_unit_id = $3",
                    vec![V::int(campaign), V::text(level), V::int(unit)],
                )
                .await?
            {
                Some(r) => QuotaCounts {
                    collectives: get_i64(&r, "collectives")?,
                    individuals: get_i64(&r, "individuals")?,
                    households: get_i64(&r, "households")?,
                },
                None => QuotaCounts::default(),
            },
        )
    }
    async fn batch_events(&self, batch_id: i64) -> StoreResult<Vec<EventRow>> {
        self.fetch("SELECT id, batch_id, step, from_state, to_state, actor, at, comment, snapshot FROM batch_events WHERE batch_id = $1 ORDER BY id", vec![
            V::int(batch_id),
        ])
        .await?
        .iter()
        .map(|r| {
            Ok(EventRow {
                id: get_i64(r, "id")?,
                batch_id: get_i64(r, "batch_id")?,
                step: get_str(r, "step")?,
                from_state: get_str(r, "from_state")?,
                to_state: get_str(r, "to_state")?,
                actor: get_str(r, "actor")?,
                at_ms: get_i64(r, "at")?,
                comment: get_str(r, "comment")?,
                snapshot: get_str(r, "snapshot")?,
            })
        })
        .collect()
    }
    async fn batch_steps_of(&self, batches: &[i64]) -> StoreResult<Vec<(i64, String, i64)>> {
        let mut out = Vec::new();
        for chunk in batches.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let rows = self
                .fetch(
                    &format!(
                        "SELECT batch_id, to_state, at FROM batch_events WHERE batch_id IN ({}) ORDER BY batch_id, id",
                        marks.join(", ")
                    ),
                    chunk.iter().map(|b| V::int(*b)).collect(),
                )
                .await?;
            for r in &rows {
                out.push((get_i64(r, "batch_id")?, get_str(r, "to_state")?, get_i64(r, "at")?));
            }
        }
        Ok(out)
    }
    async fn batch_comments(&self, batch_id: i64) -> StoreResult<Vec<CommentRow>> {
        self.fetch(
            "SELECT id, batch_id, event_id, nominee_id, document_id, comment FROM batch_comments WHERE batch_id = $1 ORDER BY id",
            vec![V::int(batch_id)],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(CommentRow {
                id: get_i64(r, "id")?,
                batch_id: get_i64(r, "batch_id")?,
                event_id: get_i64(r, "event_id")?,
                nominee_id: get_opt_i64(r, "nominee_id")?,
                document_id: get_opt_i64(r, "document_id")?,
                comment: get_str(r, "comment")?,
            })
        })
        .collect()
    }
}

#[async_trait::async_trait]
impl thidua_app::ports::AwardStore for SqlStore {
    async fn consolidation(&self, id: i64) -> StoreResult<Option<ConsolidationRow>> {
        self.fetch_opt(
            "SELECT id, campaign_id, level, number, signed_on, created_at, created_by FROM consolidations WHERE id = $1",
            vec![V::int(id)],
        )
        .await?
        .map(|r| {
            Ok(ConsolidationRow {
                id: get_i64(&r, "id")?,
                campaign_id: get_i64(&r, "campaign_id")?,
                level: get_str(&r, "level")?,
                number: get_str(&r, "number")?,
                signed_on: crate::db::get_date(&r, "signed_on")?,
                created_at_ms: get_i64(&r, "created_at")?,
                created_by: get_str(&r, "created_by")?,
            })
        })
        .transpose()
    }
    async fn set_decision_scan(&self, id: i64, sha256: &str, draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let n = q("UPDATE award_decisions SET scan_sha256 = $1 WHERE id = $2", vec![V::text(sha256), V::int(id)])
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::Database("decision not found".into()));
        }
        tx.commit(draft).await?;
        Ok(())
    }
    async fn award_decision(&self, id: i64) -> StoreResult<Option<AwardDecisionRow>> {
        self.fetch_opt(&format!("SELECT {DECISION} FROM award_decisions d WHERE d.id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(decision)
            .transpose()
    }
    async fn nominee(&self, id: i64) -> StoreResult<Option<NomineeRow>> {
        self.fetch_opt(&format!("SELECT {NOMINEE} FROM nominees n WHERE n.id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(nominee)
            .transpose()
    }
    async fn nominee_by_certificate(&self, code: &str) -> StoreResult<Option<NomineeRow>> {
        self.fetch_opt(&format!("SELECT {NOMINEE} FROM nominees n WHERE n.certificate = $1"), vec![V::text(code)])
            .await?
            .as_ref()
            .map(nominee)
            .transpose()
    }
    async fn award_decisions(&self) -> StoreResult<Vec<AwardDecisionRow>> {
        self.fetch(&format!("SELECT {DECISION} FROM award_decisions d ORDER BY d.id DESC"), vec![]).await?.iter().map(decision).collect()
    }
    async fn decision_nominees(&self, decision_id: i64) -> StoreResult<Vec<NomineeRow>> {
        self.fetch(
            &format!("SELECT {NOMINEE} FROM nominees n WHERE n.decision_id = $1 ORDER BY n.batch_id, n.id"),
            vec![V::int(decision_id)],
        )
        .await?
        .iter()
        .map(nominee)
        .collect()
    }
    async fn award_history(&self, subject_type: &str, subject_id: i64) -> StoreResult<Vec<AwardHistoryRow>> {
        let rows = self
            .fetch(
                &format!(
                    "SELECT {NOMINEE}, c.code AS campaign_code FROM nominees n JOIN campaigns c ON c.id = n.campaign_id \
                     WHERE n.subject_type = $1 AND n.subject_id = $2 AND n.outcome = 'awarded' AND n.decision_id IS NOT NULL ORDER BY n.id DESC"
                ),
                vec![V::text(subject_type), V::int(subject_id)],
            )
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let n = nominee(r)?;
            let Some(d) = self.award_decision(n.decision_id.unwrap_or_default()).await? else { continue };
            out.push(AwardHistoryRow { nominee: n, decision: d, campaign_code: get_str(r, "campaign_code")? });
        }
        Ok(out)
    }
}
