//! The e-mail outbox and users' addresses.

use crate::audit;
use crate::db::{SqlStore, V, err, get_i64, get_opt_i64, get_opt_str, get_str, q};
use sqlx::any::AnyRow;
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, MailDraft, MailOutcome, MailRecord, Page, PageRequest, StoreResult};

const MAIL_COLUMNS: &str =
    "id, kind, user_id, to_addr, subject, body, created_at, attempts, next_attempt_at, sent_at, gave_up_at, last_error";

fn mail(r: &AnyRow) -> StoreResult<MailRecord> {
    Ok(MailRecord {
        id: get_i64(r, "id")?,
        kind: get_str(r, "kind")?,
        user_id: get_opt_i64(r, "user_id")?,
        to: get_str(r, "to_addr")?,
        subject: get_str(r, "subject")?,
        body: get_str(r, "body")?,
        created_at_ms: get_i64(r, "created_at")?,
        attempts: get_i64(r, "attempts")?,
        next_attempt_at_ms: get_i64(r, "next_attempt_at")?,
        sent_at_ms: get_opt_i64(r, "sent_at")?,
        gave_up_at_ms: get_opt_i64(r, "gave_up_at")?,
        last_error: get_opt_str(r, "last_error")?,
    })
}

#[async_trait::async_trait]
impl thidua_app::ports::MailStore for SqlStore {
    async fn set_user_contact(&self, user_id: i64, email: Option<&str>, unit_head: bool, draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let n =
            q("UPDATE users SET email = $1, unit_head = $2 WHERE id = $3", vec![V::opt_text(email), V::flag(unit_head), V::int(user_id)])
                .execute(&mut **tx)
                .await
                .map_err(err)?
                .rows_affected();
        if n == 0 {
            return Err(StorageError::Database("user not found".into()));
        }
        tx.commit(draft).await?;
        Ok(())
    }
    async fn enqueue_mail(&self, mails: &[MailDraft], mut draft: AuditDraft) -> StoreResult<u64> {
        if mails.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let mut queued = 0u64;
        for m in mails {
            queued += q(
                "INSERT INTO mail_outbox (dedupe_key, kind, user_id, to_addr, subject, body, created_at, next_attempt_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (dedupe_key) DO NOTHING",
                vec![
                    V::text(m.dedupe_key.clone()),
                    V::text(m.kind.clone()),
                    V::opt_int(m.user_id),
                    V::text(m.to.clone()),
                    V::text(m.subject.clone()),
                    V::text(m.body.clone()),
                    V::int(draft.at_ms),
                ],
            )
            .execute(&mut *tx)
            .await
            .map_err(err)?
            .rows_affected();
        }
        if queued > 0 {
            let head = audit::lock_head(&mut tx).await?;
            let mut new = draft.new.take().unwrap_or_else(|| serde_json::json!({}));
            if let Some(o) = new.as_object_mut() {
                o.insert("queued".into(), serde_json::json!(queued));
            }
            draft.new = Some(new);
            audit::append(&mut tx, head, draft).await?;
        }
        tx.commit().await.map_err(err)?;
        Ok(queued)
    }
    async fn claim_mail(&self, now_ms: i64, lease_until_ms: i64, limit: i64) -> StoreResult<Vec<MailRecord>> {
        let candidates = self
            .fetch(
                &format!(
                    "SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1 \
                     ORDER BY next_attempt_at, id LIMIT $2"
                ),
                vec![V::int(now_ms), V::int(limit.clamp(1, 1000))],
            )
            .await?
            .iter()
            .map(mail)
            .collect::<StoreResult<Vec<_>>>()?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for mut m in candidates {
            // Only the process whose UPDATE still sees the old next attempt wins the mail.
            let n = self
                .exec(
                    "UPDATE mail_outbox SET next_attempt_at = $1, attempts = attempts + 1 \
                     WHERE id = $2 AND next_attempt_at = $3 AND sent_at IS NULL AND gave_up_at IS NULL",
                    vec![V::int(lease_until_ms), V::int(m.id), V::int(m.next_attempt_at_ms)],
                )
                .await?;
            if n == 1 {
                m.attempts += 1;
                m.next_attempt_at_ms = lease_until_ms;
                claimed.push(m);
            }
        }
        Ok(claimed)
    }
    async fn finish_mail(&self, id: i64, at_ms: i64, outcome: &MailOutcome) -> StoreResult<()> {
        let (sql, values) = match outcome {
            MailOutcome::Sent => ("UPDATE mail_outbox SET sent_at = $1, last_error = NULL WHERE id = $2", vec![V::int(at_ms), V::int(id)]),
            MailOutcome::Retry { error, next_at_ms } => (
                "UPDATE mail_outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3",
                vec![V::int(*next_at_ms), V::text(error.clone()), V::int(id)],
            ),
            MailOutcome::GaveUp { error } => (
                "UPDATE mail_outbox SET gave_up_at = $1, last_error = $2 WHERE id = $3",
                vec![V::int(at_ms), V::text(error.clone()), V::int(id)],
            ),
        };
        self.exec(sql, values).await.map(|_| ())
    }
    async fn mail_outbox(&self, page: PageRequest) -> StoreResult<Page<MailRecord>> {
        self.paged((MAIL_COLUMNS, "FROM mail_outbox", "id DESC"), crate::db::Binds::new(), page, mail).await
    }
}
