//! One step of the flow for one or more dossiers, in one transaction: the version check, the
//! quota as a conditional UPDATE, one claim per subject and campaign, outcomes and certificate
//! codes, the consolidation or decision it creates, and one chained audit entry per dossier.

use super::{bump, returning_id};
use crate::audit;
use crate::db::{SqlStore, V, err, q};
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, QuotaCap, StoreResult, Transition};

#[async_trait::async_trait]
impl thidua_app::ports::WorkflowStore for SqlStore {
    /// One step of the flow for one or more dossiers, all or nothing.
    async fn transition(&self, t: &Transition, drafts: Vec<AuditDraft>) -> StoreResult<(Option<i64>, Option<i64>)> {
        let mut tx = self.begin_write().await?;
        // The audit head is taken first (it serialises writers); each further entry takes it
        // again right before it is written, so that every entry chains to the one before.
        let mut first = if drafts.is_empty() { None } else { Some(audit::lock_head(&mut tx).await?) };
        for m in &t.moves {
            bump(&mut tx, m.batch_id, m.expected_version).await?;
        }
        let consolidation = match &t.new_consolidation {
            Some(c) => Some(
                returning_id(
                    &mut tx,
                    "INSERT INTO consolidations (campaign_id, level, number, signed_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    vec![V::int(c.campaign_id), V::text(c.level.clone()), V::text(c.number.clone()), V::text(c.signed_on.to_string()), V::int(t.at_ms), V::text(t.actor.clone())],
                )
                .await?,
            ),
            None => None,
        };
        let decision = match &t.new_decision {
            Some(d) => Some(
                returning_id(
                    &mut tx,
                    "INSERT INTO award_decisions (campaign_id, level, number, signed_on, signer, signer_title, central, scan_sha256, awarded, reward_vnd, created_at, created_by, issuer_unit_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                    vec![
                        V::int(d.campaign_id),
                        V::text(d.level.clone()),
                        V::text(d.number.clone()),
                        V::text(d.signed_on.to_string()),
                        V::text(d.signer.clone()),
                        V::text(d.signer_title.clone()),
                        V::flag(d.central),
                        V::opt_text(d.scan_sha256.clone()),
                        V::int(d.awarded),
                        V::int(d.reward_vnd),
                        V::int(t.at_ms),
                        V::text(t.actor.clone()),
                        V::int(d.issuer_unit_id),
                    ],
                )
                .await?,
            ),
            None => None,
        };
        for m in &t.moves {
            let n = q(
                "UPDATE nomination_batches SET state = $1, state_since = $2, \
                 consolidation_id = CASE WHEN $3 = 1 THEN $4 ELSE consolidation_id END, \
                 decision_id = CASE WHEN $5 = 1 THEN $6 ELSE decision_id END, \
                 submitted_at = CASE WHEN $7 = 1 THEN $8 ELSE submitted_at END \
                 WHERE id = $9 AND state = $10",
                vec![
                    V::text(m.to_state.clone()),
                    V::int(t.at_ms),
                    V::flag(m.join_consolidation),
                    V::opt_int(consolidation),
                    V::flag(m.join_decision),
                    V::opt_int(decision),
                    V::flag(m.submitted),
                    V::int(t.at_ms),
                    V::int(m.batch_id),
                    V::text(m.from_state.clone()),
                ],
            )
            .execute(&mut *tx)
            .await
            .map_err(err)?
            .rows_affected();
            if n == 0 {
                return Err(StorageError::Stale);
            }
            let event = returning_id(
                &mut tx,
                "INSERT INTO batch_events (batch_id, step, from_state, to_state, actor, at, comment, snapshot) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    V::int(m.batch_id),
                    V::text(m.step.clone()),
                    V::text(m.from_state.clone()),
                    V::text(m.to_state.clone()),
                    V::text(t.actor.clone()),
                    V::int(t.at_ms),
                    V::text(m.comment.clone()),
                    V::text(m.snapshot.clone()),
                ],
            )
            .await?;
            for (nominee, doc, text) in &m.comments {
                q(
                    "INSERT INTO batch_comments (batch_id, event_id, nominee_id, document_id, comment) VALUES ($1, $2, $3, $4, $5)",
                    vec![V::int(m.batch_id), V::int(event), V::opt_int(*nominee), V::opt_int(*doc), V::text(text.clone())],
                )
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            }
        }
        for quota in &t.quota {
            q(
                "INSERT INTO quota_usage (campaign_id, level, proposer_unit_id, collectives, individuals, households) VALUES ($1, $2, $3, 0, 0, 0) \
                 ON CONFLICT (campaign_id, level, proposer_unit_id) DO NOTHING",
                vec![V::int(quota.campaign_id), V::text(quota.level.clone()), V::int(quota.proposer_unit_id)],
            )
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            let sign = if quota.add { 1 } else { -1 };
            let c = quota.counts;
            let mut values = vec![
                V::int(sign * c.collectives),
                V::int(sign * c.individuals),
                V::int(sign * c.households),
                V::int(quota.campaign_id),
                V::text(quota.level.clone()),
                V::int(quota.proposer_unit_id),
            ];
            // The cap is checked by the same statement that adds: under PostgreSQL's row lock the
            // condition is re-read after a concurrent update, so two submissions cannot both pass.
            let cap = match (quota.add, quota.cap) {
                (false, _) | (true, QuotaCap::None) => String::new(),
                (true, QuotaCap::Separate { collectives, individuals }) => {
                    values.push(V::int(collectives));
                    values.push(V::int(individuals));
                    " AND collectives + $1 <= $7 AND individuals + households + $2 + $3 <= $8".into()
                }
                (true, QuotaCap::Total { total }) => {
                    values.push(V::int(total));
                    " AND collectives + individuals + households + $1 + $2 + $3 <= $7".into()
                }
            };
            let n = q(
                &format!(
                    "UPDATE quota_usage SET collectives = collectives + $1, individuals = individuals + $2, households = households + $3 \
                     WHERE campaign_id = $4 AND level = $5 AND proposer_unit_id = $6{cap}"
                ),
                values,
            )
            .execute(&mut *tx)
            .await
            .map_err(err)?
            .rows_affected();
            if n == 0 {
                return Err(StorageError::Refused("quota".into()));
            }
        }
        for nominee_id in &t.release {
            q("DELETE FROM nomination_claims WHERE nominee_id = $1", vec![V::int(*nominee_id)]).execute(&mut *tx).await.map_err(err)?;
        }
        for c in &t.claim {
            let (subject_type, subject_id) = (&c.subject_type, c.subject_id);
            q(
                "INSERT INTO nomination_claims (campaign_id, level, subject_type, subject_id, nominee_id) VALUES ($1, $2, $3, $4, $5)",
                vec![
                    V::int(c.campaign_id),
                    V::text(c.level.clone()),
                    V::text(subject_type.clone()),
                    V::int(subject_id),
                    V::int(c.nominee_id),
                ],
            )
            .execute(&mut *tx)
            .await
            .map_err(|e| match err(e) {
                StorageError::Unique(_) => StorageError::Refused(format!("claim:{subject_type}:{subject_id}")),
                other => other,
            })?;
        }
        // An awarded nominee gets its certificate code from the database's own generator.
        let random = match self.backend {
            crate::db::Backend::Sqlite => "lower(hex(randomblob(8)))",
            crate::db::Backend::Postgres => "substr(md5(random()::text || clock_timestamp()::text || id::text), 1, 16)",
        };
        for (nominee_id, outcome, reason, reward) in &t.outcomes {
            let sql = format!(
                "UPDATE nominees SET outcome = $1, outcome_reason = $2, reward_vnd = $3, decision_id = COALESCE($4, decision_id), \
                 certificate = CASE WHEN $1 = 'awarded' AND $4 IS NOT NULL THEN {random} ELSE certificate END WHERE id = $5"
            );
            q(
                &sql,
                vec![V::text(outcome.clone()), V::opt_text(reason.clone()), V::opt_int(*reward), V::opt_int(decision), V::int(*nominee_id)],
            )
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        for d in drafts {
            let head = match first.take() {
                Some(h) => h,
                None => audit::lock_head(&mut tx).await?,
            };
            audit::append(&mut tx, head, d).await?;
        }
        tx.commit().await.map_err(err)?;
        Ok((consolidation, decision))
    }
}
