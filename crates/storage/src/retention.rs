//! The retention job's scans and their application (issue 18 §3).

use crate::db::{self, SqlStore, V, err, get_i64, get_opt_i64, get_opt_str, get_str, q};
use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeSet;
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, Page, PageRequest, RetentionStore, StoreResult, SweepRecord};
use thidua_domain::processing::{Cutoff, SweepWhat};

const COLUMNS: &str =
    "s.id, s.version, s.purpose, s.what, s.cutoff, s.due, s.scanned_at_ms, s.state, s.applied_by, s.applied_at_ms, s.removed";

fn record(r: &AnyRow) -> StoreResult<SweepRecord> {
    let what = get_str(r, "what")?;
    let cutoff = get_str(r, "cutoff")?;
    let applied = match (get_opt_str(r, "applied_by")?, get_opt_i64(r, "applied_at_ms")?, get_opt_i64(r, "removed")?) {
        (Some(by), Some(at), Some(n)) => Some((by, at, n)),
        _ => None,
    };
    Ok(SweepRecord {
        id: get_i64(r, "id")?,
        version: get_i64(r, "version")?,
        purpose: get_str(r, "purpose")?,
        what: SweepWhat::parse(&what).ok_or_else(|| StorageError::Corrupt(format!("retention_sweeps.what {what}")))?,
        cutoff: Cutoff::parse(&cutoff).ok_or_else(|| StorageError::Corrupt(format!("retention_sweeps.cutoff {cutoff}")))?,
        due: get_i64(r, "due")?,
        scanned_at_ms: get_i64(r, "scanned_at_ms")?,
        state: get_str(r, "state")?,
        applied,
    })
}

/// The condition selecting what a sweep removes, and its one bound value.
fn selection(what: SweepWhat, cutoff: Cutoff) -> StoreResult<(&'static str, &'static str, V)> {
    match (what, cutoff) {
        (SweepWhat::UnrecognisedAssessments, Cutoff::YearBefore(y)) => Ok(("assessments", "decision_id IS NULL AND year < $1", V::int(y))),
        (SweepWhat::ReadLog, Cutoff::DayBefore(d)) => {
            let ms = d.midnight().assume_offset(time::macros::offset!(+7)).unix_timestamp() * 1000;
            Ok(("read_log", "at_ms < $1", V::int(ms)))
        }
        _ => Err(StorageError::Corrupt(format!("a {} sweep with a cutoff {}", what.code(), cutoff.code()))),
    }
}

#[async_trait]
impl RetentionStore for SqlStore {
    async fn sweep_due(&self, what: SweepWhat, cutoff: Cutoff) -> StoreResult<i64> {
        let (table, cond, value) = selection(what, cutoff)?;
        self.count(&format!("SELECT COUNT(*) FROM {table} WHERE {cond}"), vec![value]).await
    }

    async fn record_sweep(&self, purpose: &str, what: SweepWhat, cutoff: Cutoff, due: i64, audit: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        q(
            "UPDATE retention_sweeps SET state = 'superseded', version = version + 1 WHERE purpose = $1 AND state = 'listed'",
            vec![V::text(purpose)],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        let id = tx
            .insert_id(
            "INSERT INTO retention_sweeps (purpose, what, cutoff, due, scanned_at_ms, state) VALUES ($1, $2, $3, $4, $5, 'listed') RETURNING id",
            vec![V::text(purpose), V::text(what.code()), V::text(cutoff.code()), V::int(due), V::int(audit.at_ms)],
        )
            .await?;
        tx.commit_new(audit, id).await
    }

    async fn sweeps(&self, page: PageRequest) -> StoreResult<Page<SweepRecord>> {
        self.paged((COLUMNS, "FROM retention_sweeps s", "s.id DESC"), db::Binds::new(), page, record).await
    }

    async fn sweep(&self, id: i64) -> StoreResult<Option<SweepRecord>> {
        let row = self.fetch_opt(&format!("SELECT {COLUMNS} FROM retention_sweeps s WHERE s.id = $1"), vec![V::int(id)]).await?;
        row.as_ref().map(record).transpose()
    }

    async fn apply_sweep(&self, id: i64, expected: i64, by: &str, audit: AuditDraft) -> StoreResult<i64> {
        let s = self.sweep(id).await?.ok_or(StorageError::Stale)?;
        let (table, cond, value) = selection(s.what, s.cutoff)?;
        let mut tx = self.write().await?;
        db::update_versioned(
            &mut tx,
            "UPDATE retention_sweeps SET state = 'applying', version = version + 1 WHERE id = $1 AND version = $2 AND state = 'listed'",
            vec![V::int(id), V::int(expected)],
        )
        .await?;
        // The tallies of the units and years whose assessments go are counted again.
        let pairs: BTreeSet<(i64, i64)> = if s.what == SweepWhat::UnrecognisedAssessments {
            let rows = q(&format!("SELECT DISTINCT year, unit_id FROM assessments WHERE {cond}"), vec![value.clone()])
                .fetch_all(&mut **tx)
                .await
                .map_err(err)?;
            rows.iter()
                .map(|r| Ok((r.try_get::<i64, _>(0).map_err(err)?, r.try_get::<i64, _>(1).map_err(err)?)))
                .collect::<StoreResult<_>>()?
        } else {
            BTreeSet::new()
        };
        let removed = q(&format!("DELETE FROM {table} WHERE {cond}"), vec![value]).execute(&mut **tx).await.map_err(err)?.rows_affected();
        let removed = i64::try_from(removed).unwrap_or(i64::MAX);
        if !pairs.is_empty() {
            crate::assessments::refresh_tallies(&mut tx, self.backend, &pairs).await?;
        }
        q(
            "UPDATE retention_sweeps SET state = 'applied', applied_by = $1, applied_at_ms = $2, removed = $3 WHERE id = $4",
            vec![V::text(by), V::int(audit.at_ms), V::int(removed), V::int(id)],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        let mut audit = audit;
        if let Some(new) = audit.new.as_mut() {
            new["removed"] = serde_json::json!(removed);
        }
        tx.commit(audit).await?;
        Ok(removed)
    }
}
