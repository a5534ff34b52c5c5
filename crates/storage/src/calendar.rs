//! The working-day calendar's per-year tables as edited by an administrator.

use crate::db::{SqlStore, V, err, get_i64, get_str, q};
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, CalendarTableRecord, StoreResult};

#[async_trait::async_trait]
impl thidua_app::ports::CalendarStore for SqlStore {
    async fn calendar_tables(&self) -> StoreResult<Vec<CalendarTableRecord>> {
        self.fetch("SELECT year, body, version, updated_at, updated_by FROM calendar_years ORDER BY year", vec![])
            .await?
            .iter()
            .map(|r| {
                Ok(CalendarTableRecord {
                    year: get_i64(r, "year")?,
                    body: get_str(r, "body")?,
                    version: get_i64(r, "version")?,
                    updated_at_ms: get_i64(r, "updated_at")?,
                    updated_by: get_str(r, "updated_by")?,
                })
            })
            .collect()
    }
    /// Stores a year's table: inserts it when `expected` is `None` (refused if another officer
    /// stored the year meanwhile), else replaces version `expected`.
    async fn save_calendar_table(&self, year: i64, body: &str, expected: Option<i64>, draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version = match expected {
            None => {
                q(
                    "INSERT INTO calendar_years (year, body, version, updated_at, updated_by) VALUES ($1, $2, 1, $3, $4)",
                    vec![V::int(year), V::text(body.to_string()), V::int(draft.at_ms), V::text(draft.actor.clone())],
                )
                .execute(&mut **tx)
                .await
                .map_err(|e| match err(e) {
                    StorageError::Unique(_) => StorageError::Stale,
                    other => other,
                })?;
                1
            }
            Some(v) => {
                crate::db::update_versioned(
                    &mut tx,
                    "UPDATE calendar_years SET body = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE year = $4 AND version = $5",
                    vec![V::text(body.to_string()), V::int(draft.at_ms), V::text(draft.actor.clone()), V::int(year), V::int(v)],
                )
                .await?;
                v + 1
            }
        };
        tx.commit(draft).await?;
        Ok(version)
    }
}
