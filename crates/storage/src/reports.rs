//! Yearly implementation reports, their steps, the locked years, and the award counts the
//! reports draw on.

use crate::db::{SqlStore, V, err, get_i64, get_opt_i64, get_opt_str, get_str, q};
use sqlx::Row;
use sqlx::any::AnyRow;
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, AwardCount, ReportEventRow, ReportRow, StoreResult};

const REPORT: &str = "id, unit_id, year, state, version, figures, activities, results, limits, lessons, proposals, \
                      first_submitted_at, submitted_at, approved_at, approved_by, updated_at, updated_by";

fn report(r: &AnyRow) -> StoreResult<ReportRow> {
    Ok(ReportRow {
        id: get_i64(r, "id")?,
        unit_id: get_i64(r, "unit_id")?,
        year: get_i64(r, "year")?,
        state: crate::db::get_code(r, "state", thidua_domain::reports::ReportState::parse)?,
        version: get_i64(r, "version")?,
        figures: get_str(r, "figures")?,
        activities: get_str(r, "activities")?,
        results: get_str(r, "results")?,
        limits: get_str(r, "limits")?,
        lessons: get_str(r, "lessons")?,
        proposals: get_str(r, "proposals")?,
        first_submitted_at_ms: get_opt_i64(r, "first_submitted_at")?,
        submitted_at_ms: get_opt_i64(r, "submitted_at")?,
        approved_at_ms: get_opt_i64(r, "approved_at")?,
        approved_by: get_opt_str(r, "approved_by")?,
        updated_at_ms: get_i64(r, "updated_at")?,
        updated_by: get_str(r, "updated_by")?,
    })
}

fn values(row: &ReportRow) -> Vec<V> {
    vec![
        V::text(row.state.code()),
        V::text(row.figures.clone()),
        V::text(row.activities.clone()),
        V::text(row.results.clone()),
        V::text(row.limits.clone()),
        V::text(row.lessons.clone()),
        V::text(row.proposals.clone()),
        V::opt_int(row.first_submitted_at_ms),
        V::opt_int(row.submitted_at_ms),
        V::opt_int(row.approved_at_ms),
        V::opt_text(row.approved_by.clone()),
        V::int(row.updated_at_ms),
        V::text(row.updated_by.clone()),
    ]
}

#[async_trait::async_trait]
impl thidua_app::ports::ReportStore for SqlStore {
    async fn report(&self, unit_id: i64, year: i64) -> StoreResult<Option<ReportRow>> {
        self.fetch_opt(
            &format!("SELECT {REPORT} FROM yearly_reports WHERE unit_id = $1 AND year = $2"),
            vec![V::int(unit_id), V::int(year)],
        )
        .await?
        .as_ref()
        .map(report)
        .transpose()
    }
    async fn report_by_id(&self, id: i64) -> StoreResult<Option<ReportRow>> {
        self.fetch_opt(&format!("SELECT {REPORT} FROM yearly_reports WHERE id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(report)
            .transpose()
    }
    async fn reports(&self, year: i64) -> StoreResult<Vec<ReportRow>> {
        self.fetch(&format!("SELECT {REPORT} FROM yearly_reports WHERE year = $1 ORDER BY unit_id"), vec![V::int(year)])
            .await?
            .iter()
            .map(report)
            .collect()
    }
    async fn report_events(&self, report_id: i64) -> StoreResult<Vec<ReportEventRow>> {
        self.fetch(
            "SELECT id, report_id, step, from_state, to_state, actor, at, comment FROM report_events WHERE report_id = $1 ORDER BY id",
            vec![V::int(report_id)],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(ReportEventRow {
                id: get_i64(r, "id")?,
                report_id: get_i64(r, "report_id")?,
                step: get_str(r, "step")?,
                from_state: get_str(r, "from_state")?,
                to_state: get_str(r, "to_state")?,
                actor: get_str(r, "actor")?,
                at_ms: get_i64(r, "at")?,
                comment: get_str(r, "comment")?,
            })
        })
        .collect()
    }
    async fn save_report(&self, row: &ReportRow, event: Option<&ReportEventRow>, mut draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let id = if row.version == 0 {
            let mut v = vec![V::int(row.unit_id), V::int(row.year)];
            v.extend(values(row));
            let r = q(
                "INSERT INTO yearly_reports (unit_id, year, state, figures, activities, results, limits, lessons, proposals, \
                 first_submitted_at, submitted_at, approved_at, approved_by, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                v,
            )
            .fetch_one(&mut **tx)
            .await
            .map_err(|e| match err(e) {
                StorageError::Unique(_) => StorageError::Stale,
                other => other,
            })?;
            r.try_get::<i64, _>(0).map_err(err)?
        } else {
            let mut v = values(row);
            v.push(V::int(row.id));
            v.push(V::int(row.version));
            crate::db::update_versioned(
                &mut tx,
                "UPDATE yearly_reports SET state = $1, figures = $2, activities = $3, results = $4, limits = $5, lessons = $6, \
                 proposals = $7, first_submitted_at = $8, submitted_at = $9, approved_at = $10, approved_by = $11, updated_at = $12, \
                 updated_by = $13, version = version + 1 WHERE id = $14 AND version = $15",
                v,
            )
            .await?;
            row.id
        };
        if let Some(e) = event {
            insert_event(&mut tx, id, e).await?;
        }
        draft.entity_id = id.to_string();
        tx.commit(draft).await?;
        Ok(id)
    }
    async fn add_report_event(&self, event: &ReportEventRow, mut draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        insert_event(&mut tx, event.report_id, event).await?;
        draft.entity_id = event.report_id.to_string();
        tx.commit(draft).await?;
        Ok(())
    }
    async fn report_year_locked(&self, year: i64) -> StoreResult<bool> {
        Ok(self
            .fetch_opt("SELECT locked FROM report_years WHERE year = $1", vec![V::int(year)])
            .await?
            .map(|r| get_i64(&r, "locked"))
            .transpose()?
            .unwrap_or(0)
            != 0)
    }
    async fn set_report_year_locked(&self, year: i64, locked: bool, draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        q(
            "INSERT INTO report_years (year, locked, changed_at, changed_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (year) DO UPDATE SET locked = excluded.locked, changed_at = excluded.changed_at, changed_by = excluded.changed_by",
            vec![V::int(year), V::flag(locked), V::int(draft.at_ms), V::text(draft.actor.clone())],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        tx.commit(draft).await?;
        Ok(())
    }
    async fn award_counts(&self, year: i64) -> StoreResult<Vec<AwardCount>> {
        self.fetch(
            "SELECT b.proposer_unit_id AS unit, d.level AS level, COUNT(*) AS awarded, \
             SUM(CASE WHEN n.cites_initiative <> 0 THEN 1 ELSE 0 END) AS with_initiative \
             FROM nominees n JOIN award_decisions d ON d.id = n.decision_id JOIN nomination_batches b ON b.id = n.batch_id \
             WHERE n.outcome = 'awarded' AND substr(d.signed_on, 1, 4) = $1 GROUP BY b.proposer_unit_id, d.level",
            vec![V::text(year.to_string())],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(AwardCount {
                proposer_unit_id: get_i64(r, "unit")?,
                level: get_str(r, "level")?,
                awarded: get_i64(r, "awarded")?,
                with_initiative: get_i64(r, "with_initiative")?,
            })
        })
        .collect()
    }
}

async fn insert_event(tx: &mut crate::audit::Write, report_id: i64, e: &ReportEventRow) -> StoreResult<()> {
    q(
        "INSERT INTO report_events (report_id, step, from_state, to_state, actor, at, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            V::int(report_id),
            V::text(e.step.clone()),
            V::text(e.from_state.clone()),
            V::text(e.to_state.clone()),
            V::text(e.actor.clone()),
            V::int(e.at_ms),
            V::text(e.comment.clone()),
        ],
    )
    .execute(&mut ***tx)
    .await
    .map_err(err)?;
    Ok(())
}
