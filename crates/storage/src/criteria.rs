//! Stored criteria sets: insert-only rows, one per version.

use crate::audit;
use crate::db::{SqlStore, V, err, get_i64, get_opt_i64, get_str, q};
use sqlx::Row;
use sqlx::any::AnyRow;
use thidua_app::ports::{AuditDraft, CriteriaSetRecord, StoreResult};

const COLUMNS: &str = "id, set_id, version, title, title_vi, level, subject, from_year, to_year, provisional, source_toml, sha256, origin, created_at, created_by";

fn record(r: &AnyRow) -> StoreResult<CriteriaSetRecord> {
    Ok(CriteriaSetRecord {
        id: get_i64(r, "id")?,
        set_id: get_str(r, "set_id")?,
        version: get_i64(r, "version")?,
        title: get_str(r, "title")?,
        title_vi: get_str(r, "title_vi")?,
        level: get_opt_i64(r, "level")?,
        subject: get_str(r, "subject")?,
        from_year: get_i64(r, "from_year")?,
        to_year: get_opt_i64(r, "to_year")?,
        provisional: get_i64(r, "provisional")? != 0,
        source_toml: get_str(r, "source_toml")?,
        sha256: get_str(r, "sha256")?,
        origin: get_str(r, "origin")?,
        created_at_ms: get_i64(r, "created_at")?,
        created_by: get_str(r, "created_by")?,
    })
}

#[async_trait::async_trait]
impl thidua_app::ports::CriteriaStore for SqlStore {
    async fn criteria_sets(&self) -> StoreResult<Vec<CriteriaSetRecord>> {
        self.fetch(&format!("SELECT {COLUMNS} FROM criteria_sets ORDER BY title, level, set_id, version"), vec![])
            .await?
            .iter()
            .map(record)
            .collect()
    }
    async fn criteria_set(&self, id: i64) -> StoreResult<Option<CriteriaSetRecord>> {
        self.fetch_opt(&format!("SELECT {COLUMNS} FROM criteria_sets WHERE id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(record)
            .transpose()
    }
    /// Inserts a version (with its audit entry when a person uploaded it).
    async fn insert_criteria_set(&self, r: &CriteriaSetRecord, audit_draft: Option<AuditDraft>) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let head = match &audit_draft {
            Some(_) => Some(audit::lock_head(&mut tx).await?),
            None => None,
        };
        let row = q(
            "INSERT INTO criteria_sets (set_id, version, title, title_vi, level, subject, from_year, to_year, provisional, source_toml, sha256, origin, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            vec![
                V::text(r.set_id.clone()),
                V::int(r.version),
                V::text(r.title.clone()),
                V::text(r.title_vi.clone()),
                V::opt_int(r.level),
                V::text(r.subject.clone()),
                V::int(r.from_year),
                V::opt_int(r.to_year),
                V::flag(r.provisional),
                V::text(r.source_toml.clone()),
                V::text(r.sha256.clone()),
                V::text(r.origin.clone()),
                V::int(r.created_at_ms),
                V::text(r.created_by.clone()),
            ],
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        if let (Some(head), Some(draft)) = (head, audit_draft) {
            audit::append(&mut tx, head, thidua_app::ports::AuditDraft { entity_id: id.to_string(), ..draft }).await?;
        }
        tx.commit().await.map_err(err)?;
        Ok(id)
    }
}
