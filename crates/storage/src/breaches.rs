//! The register of personal-data breaches (issue 18 §5), and what an account read in a window.

use crate::db::{self, SqlStore, V, get_i64, get_opt_i64, get_opt_str, get_str};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use thidua_app::ports::{AuditDraft, BreachDraft, BreachRecord, BreachStore, Page, PageRequest, ReadFootprint, StoreResult};

const COLUMNS: &str = "b.id, b.version, b.unit_id, b.discovered_at_ms, b.notify_by_ms, b.description, b.categories, b.suspect_user, \
                       b.window_from_ms, b.window_to_ms, b.affected_people, b.affected_households, b.affected_list_rows, b.affected_note, \
                       b.consequences, b.measures, b.contact, b.notified_at_ms, b.notified_by, b.recorded_by";

fn record(r: &AnyRow) -> StoreResult<BreachRecord> {
    let suspect = match (get_opt_str(r, "suspect_user")?, get_opt_i64(r, "window_from_ms")?, get_opt_i64(r, "window_to_ms")?) {
        (Some(u), Some(from), Some(to)) => Some((u, from, to)),
        _ => None,
    };
    let affected = match (get_opt_i64(r, "affected_people")?, get_opt_i64(r, "affected_households")?, get_opt_i64(r, "affected_list_rows")?)
    {
        (Some(people), Some(households), Some(list_rows)) => Some(ReadFootprint { people, households, list_rows }),
        _ => None,
    };
    let notified = match (get_opt_i64(r, "notified_at_ms")?, get_opt_str(r, "notified_by")?) {
        (Some(at), Some(by)) => Some((at, by)),
        _ => None,
    };
    Ok(BreachRecord {
        id: get_i64(r, "id")?,
        version: get_i64(r, "version")?,
        draft: BreachDraft {
            unit_id: get_i64(r, "unit_id")?,
            discovered_at_ms: get_i64(r, "discovered_at_ms")?,
            notify_by_ms: get_i64(r, "notify_by_ms")?,
            description: get_str(r, "description")?,
            categories: get_str(r, "categories")?.split(',').filter(|c| !c.is_empty()).map(String::from).collect(),
            suspect,
            affected,
            affected_note: get_str(r, "affected_note")?,
            consequences: get_str(r, "consequences")?,
            measures: get_str(r, "measures")?,
            contact: get_str(r, "contact")?,
            recorded_by: get_str(r, "recorded_by")?,
        },
        notified,
    })
}

#[async_trait]
impl BreachStore for SqlStore {
    async fn record_breach(&self, d: &BreachDraft, audit: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let (user, from, to) = match &d.suspect {
            Some((u, f, t)) => (Some(u.clone()), Some(*f), Some(*t)),
            None => (None, None, None),
        };
        let id = tx
            .insert_id(
                "INSERT INTO breaches (unit_id, discovered_at_ms, notify_by_ms, description, categories, suspect_user, window_from_ms, \
             window_to_ms, affected_people, affected_households, affected_list_rows, affected_note, consequences, measures, contact, \
             recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
                vec![
                    V::int(d.unit_id),
                    V::int(d.discovered_at_ms),
                    V::int(d.notify_by_ms),
                    V::text(d.description.clone()),
                    V::text(d.categories.join(",")),
                    V::opt_text(user),
                    V::opt_int(from),
                    V::opt_int(to),
                    V::opt_int(d.affected.map(|a| a.people)),
                    V::opt_int(d.affected.map(|a| a.households)),
                    V::opt_int(d.affected.map(|a| a.list_rows)),
                    V::text(d.affected_note.clone()),
                    V::text(d.consequences.clone()),
                    V::text(d.measures.clone()),
                    V::text(d.contact.clone()),
                    V::text(d.recorded_by.clone()),
                    V::int(audit.at_ms),
                ],
            )
            .await?;
        tx.commit_new(audit, id).await
    }

    async fn breach(&self, id: i64) -> StoreResult<Option<BreachRecord>> {
        let row = self.fetch_opt(&format!("SELECT {COLUMNS} FROM breaches b WHERE b.id = $1"), vec![V::int(id)]).await?;
        row.as_ref().map(record).transpose()
    }

    async fn breaches(&self, page: PageRequest) -> StoreResult<Page<BreachRecord>> {
        let order =
            "CASE WHEN b.notified_at_ms IS NULL THEN 0 ELSE 1 END, CASE WHEN b.notified_at_ms IS NULL THEN b.notify_by_ms END, b.id DESC";
        self.paged((COLUMNS, "FROM breaches b", order), db::Binds::new(), page, record).await
    }

    async fn mark_notified(&self, id: i64, expected: i64, at_ms: i64, by: &str, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        db::update_versioned(
            &mut tx,
            "UPDATE breaches SET notified_at_ms = $1, notified_by = $2, version = version + 1 \
             WHERE id = $3 AND version = $4 AND notified_at_ms IS NULL",
            vec![V::int(at_ms), V::text(by), V::int(id), V::int(expected)],
        )
        .await?;
        tx.commit(audit).await.map(|_| ())
    }

    async fn read_footprint(&self, user_id: i64, from_ms: i64, to_ms: i64) -> StoreResult<ReadFootprint> {
        let row = self
            .fetch_opt(
                "SELECT COUNT(DISTINCT CASE WHEN what = 'person' THEN subject_id END) AS people, \
                 COUNT(DISTINCT CASE WHEN what = 'household' THEN subject_id END) AS households, \
                 CAST(COALESCE(SUM(CASE WHEN what IN ('people', 'households') THEN row_count ELSE 0 END), 0) AS BIGINT) AS list_rows \
                 FROM read_log WHERE user_id = $1 AND at_ms >= $2 AND at_ms <= $3",
                vec![V::int(user_id), V::int(from_ms), V::int(to_ms)],
            )
            .await?;
        let Some(r) = row else { return Ok(ReadFootprint::default()) };
        Ok(ReadFootprint { people: get_i64(&r, "people")?, households: get_i64(&r, "households")?, list_rows: get_i64(&r, "list_rows")? })
    }
}
