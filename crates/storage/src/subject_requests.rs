//! The register of data subjects' requests and the erasure a deletion request carries out
//! (issue 18 §2).

use crate::db::{self, SqlStore, Table, V, err, get_code, get_date, get_i64, get_str, q};
use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use thidua_app::error::StorageError;
use thidua_app::ports::{
    AuditDraft, Erasure, Page, PageRequest, RequestChannel, RequestState, Scope, StoreResult, SubjectRequestDraft, SubjectRequestFilter,
    SubjectRequestRecord, SubjectRequestStore,
};
use thidua_domain::{dates, text};

const COLUMNS: &str = "r.id, r.version, r.person_id, r.unit_id, r.kind, r.channel, r.received_on, r.detail, r.acknowledge_by, \
                       r.done_by, r.acknowledged_on, r.state, r.outcome, r.closed_on, r.registered_by";

fn opt_date(r: &AnyRow, col: &str) -> StoreResult<Option<time::Date>> {
    match db::get_opt_str(r, col)? {
        None => Ok(None),
        Some(_) => get_date(r, col).map(Some),
    }
}

fn record(r: &AnyRow) -> StoreResult<SubjectRequestRecord> {
    Ok(SubjectRequestRecord {
        id: get_i64(r, "id")?,
        version: get_i64(r, "version")?,
        draft: SubjectRequestDraft {
            person_id: get_i64(r, "person_id")?,
            unit_id: get_i64(r, "unit_id")?,
            kind: get_str(r, "kind")?,
            channel: get_code(r, "channel", RequestChannel::parse)?,
            received_on: get_date(r, "received_on")?,
            detail: get_str(r, "detail")?,
            acknowledge_by: get_date(r, "acknowledge_by")?,
            done_by: get_date(r, "done_by")?,
            registered_by: get_str(r, "registered_by")?,
        },
        acknowledged_on: opt_date(r, "acknowledged_on")?,
        state: get_code(r, "state", RequestState::parse)?,
        outcome: db::get_opt_str(r, "outcome")?,
        closed_on: opt_date(r, "closed_on")?,
    })
}

/// Closes version `expected` of an open request.
async fn close(
    tx: &mut crate::audit::Write,
    (id, expected): (i64, i64),
    state: RequestState,
    outcome: &str,
    on: time::Date,
) -> StoreResult<()> {
    db::update_versioned(
        tx,
        "UPDATE subject_requests SET state = $1, outcome = $2, closed_on = $3, version = version + 1 \
         WHERE id = $4 AND version = $5 AND state = 'open'",
        vec![V::text(state.code()), V::text(outcome), V::text(dates::to_iso(on)), V::int(id), V::int(expected)],
    )
    .await
}

#[async_trait]
impl SubjectRequestStore for SqlStore {
    async fn register_request(&self, d: &SubjectRequestDraft, audit: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let id = tx
            .insert_id(
                "INSERT INTO subject_requests (person_id, unit_id, kind, channel, received_on, detail, acknowledge_by, done_by, state, \
             registered_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) RETURNING id",
                vec![
                    V::int(d.person_id),
                    V::int(d.unit_id),
                    V::text(d.kind.clone()),
                    V::text(d.channel.code()),
                    V::text(dates::to_iso(d.received_on)),
                    V::text(d.detail.clone()),
                    V::text(dates::to_iso(d.acknowledge_by)),
                    V::text(dates::to_iso(d.done_by)),
                    V::text(d.registered_by.clone()),
                    V::int(audit.at_ms),
                ],
            )
            .await?;
        tx.commit_new(audit, id).await
    }

    async fn subject_request(&self, id: i64) -> StoreResult<Option<SubjectRequestRecord>> {
        let row = self.fetch_opt(&format!("SELECT {COLUMNS} FROM subject_requests r WHERE r.id = $1"), vec![V::int(id)]).await?;
        row.as_ref().map(record).transpose()
    }

    async fn subject_requests(
        &self,
        scope: &Scope,
        f: &SubjectRequestFilter,
        page: PageRequest,
    ) -> StoreResult<Page<SubjectRequestRecord>> {
        let mut wh = Vec::new();
        let mut b = db::Binds::new();
        if !matches!(scope, Scope::All) {
            let clause = db::scope_clause(scope, "u", &mut b);
            wh.push(format!("EXISTS (SELECT 1 FROM units u WHERE u.id = r.unit_id AND {clause})"));
        }
        if f.open_only {
            wh.push("r.state = 'open'".into());
        }
        if let Some(p) = f.person_id {
            wh.push(format!("r.person_id = {}", b.bind(V::int(p))));
        }
        let where_sql = if wh.is_empty() { String::new() } else { format!("WHERE {}", wh.join(" AND ")) };
        let order = "CASE WHEN r.state = 'open' THEN 0 ELSE 1 END, CASE WHEN r.state = 'open' THEN r.done_by END, r.id DESC";
        self.paged((COLUMNS, &format!("FROM subject_requests r {where_sql}"), order), b, page, record).await
    }

    async fn acknowledge_request(&self, id: i64, expected: i64, on: time::Date, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        db::update_versioned(
            &mut tx,
            "UPDATE subject_requests SET acknowledged_on = $1, version = version + 1 \
             WHERE id = $2 AND version = $3 AND state = 'open' AND acknowledged_on IS NULL",
            vec![V::text(dates::to_iso(on)), V::int(id), V::int(expected)],
        )
        .await?;
        tx.commit(audit).await.map(|_| ())
    }

    async fn close_request(
        &self,
        id: i64,
        expected: i64,
        state: RequestState,
        outcome: &str,
        on: time::Date,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        close(&mut tx, (id, expected), state, outcome, on).await?;
        tx.commit(audit).await.map(|_| ())
    }

    async fn erase_person(&self, e: &Erasure, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        for (entity, key) in &e.keys {
            let newer = q(
                "SELECT COUNT(*) FROM audit_log WHERE seq > $1 AND entity = $2 AND entity_id = $3",
                vec![V::int(e.seen_up_to), V::text(entity.clone()), V::text(key.clone())],
            )
            .fetch_one(&mut **tx)
            .await
            .map_err(err)?
            .try_get::<i64, _>(0)
            .map_err(err)?;
            if newer > 0 {
                return Err(StorageError::Stale);
            }
        }
        self.update_person_in(&mut tx, (e.person_id, e.person_version), &e.anonymous, audit.at_ms).await?;
        q("UPDATE people SET public_consent = 0 WHERE id = $1", vec![V::int(e.person_id)]).execute(&mut **tx).await.map_err(err)?;
        if let Some(household) = e.headed_household {
            let old_key = crate::twins::twin_key(&mut tx, Table::Households, household).await?;
            let name = &e.anonymous.full_name;
            q(
                "UPDATE households SET head_name = $1, head_folded = $2, head_sort_key = $3, head_birth_year = NULL, head_gender = NULL, \
                 public_consent = 0, updated_at = $4, version = version + 1 WHERE id = $5",
                vec![
                    V::text(name.clone()),
                    V::text(text::fold(name)),
                    V::text(text::name_sort_key(name)),
                    V::int(audit.at_ms),
                    V::int(household),
                ],
            )
            .execute(&mut **tx)
            .await
            .map_err(err)?;
            let key = crate::twins::twin_key(&mut tx, Table::Households, household).await?;
            crate::twins::refresh_twin_keys(&mut tx, self.backend, Table::Households, &[old_key, key]).await?;
        }
        for (seq, old, new) in &e.payloads {
            let n = q(
                "UPDATE audit_log SET old_json = $1, new_json = $2, erased_by = $3 WHERE seq = $4 AND sealing = 2 AND erased_by IS NULL",
                vec![V::opt_text(old.clone()), V::opt_text(new.clone()), V::int(e.request_id), V::int(*seq)],
            )
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
            if n != 1 {
                return Err(StorageError::Stale);
            }
        }
        close(&mut tx, (e.request_id, e.request_version), RequestState::Done, &e.outcome, e.closed_on).await?;
        tx.commit(audit).await.map(|_| ())
    }
}
