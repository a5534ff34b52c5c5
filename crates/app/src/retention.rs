//! The retention job (issue 18 §3): for each purpose of the record of processing with a sweep,
//! a scan lists how many records are past their period on the day; an administrator of the city
//! confirms a scan, and the job removes exactly what its cutoff selects, audited with the count.
//! The server scans once a day; `thidua retention scan` does it from a scheduler.

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::ports::{Page, PageRequest, SweepRecord};
use thidua_domain::access::Action;

/// A scan as the administrator reads it.
#[derive(Debug, Clone)]
pub struct SweepView {
    pub record: SweepRecord,
    pub purpose_name: String,
    pub retention: String,
}

fn record_of_processing() -> AppResult<thidua_domain::processing::Record> {
    thidua_domain::processing::shipped().map_err(|e| AppError::Storage(crate::error::StorageError::Corrupt(e)))
}

impl App {
    /// Scans every purpose with a sweep as of today; `by` is the administrator who asked, or
    /// none for the scheduled job. Returns the new scans.
    pub async fn scan_retention(&self, by: Option<&Actor>) -> AppResult<Vec<SweepRecord>> {
        let proof = match by {
            Some(actor) => Some(self.authorize_city(actor, Action::ManageUsers).await?),
            None => None,
        };
        let today = self.today();
        let mut scans = Vec::new();
        for p in record_of_processing()?.purposes {
            let Some(sweep) = p.sweep else { continue };
            let cutoff = sweep.cutoff(today);
            let due = self.store.sweep_due(sweep.what, cutoff).await?;
            let new = serde_json::json!({"purpose": p.code, "what": sweep.what.code(), "cutoff": cutoff.code(), "due": due});
            let audit = match (by, &proof) {
                (Some(actor), Some(proof)) => self.draft(actor, proof, "retention.scan", "retention_sweep", "", None, None, Some(new)),
                _ => self.audit_system("system", "retention.scan", "retention_sweep", "", Some(new)),
            };
            let id = self.store.record_sweep(&p.code, sweep.what, cutoff, due, audit).await?;
            scans.extend(self.store.sweep(id).await?);
        }
        Ok(scans)
    }

    /// The scans, newest first, for an administrator of the city.
    pub async fn retention_sweeps(&self, actor: &Actor, page: PageRequest) -> AppResult<Page<SweepView>> {
        self.authorize_city(actor, Action::ManageUsers).await?;
        let record = record_of_processing()?;
        let page = self.store.sweeps(page).await?;
        let items = page
            .items
            .iter()
            .map(|s| {
                let p = record.purpose(&s.purpose);
                SweepView {
                    record: s.clone(),
                    purpose_name: p.map_or_else(|| s.purpose.clone(), |p| p.name.clone()),
                    retention: p.map(|p| p.retention.clone()).unwrap_or_default(),
                }
            })
            .collect();
        Ok(page.with_items(items))
    }

    /// Removes what a listed scan selects, once an administrator of the city confirms it.
    pub async fn apply_retention(&self, actor: &Actor, id: i64, version: i64) -> AppResult<i64> {
        let proof = self.authorize_city(actor, Action::ManageUsers).await?;
        let s = self.store.sweep(id).await?.ok_or(AppError::NotFound)?;
        if s.state != "listed" {
            return Err(AppError::Conflict(format!("lần rà soát số {id} không còn chờ xác nhận")));
        }
        if s.due == 0 {
            return Err(AppError::Invalid("lần rà soát này không có gì đến hạn xóa".into()));
        }
        let new = serde_json::json!({"purpose": s.purpose, "what": s.what.code(), "cutoff": s.cutoff.code(), "listed": s.due});
        let audit = self.draft(actor, &proof, "retention.apply", "retention_sweep", id, None, None, Some(new));
        self.store.apply_sweep(id, version, &actor.username, audit).await.map_err(|e| match e {
            crate::error::StorageError::Stale => {
                AppError::Conflict("lần rà soát vừa được xác nhận hoặc thay bằng lần mới: tải lại trang".into())
            }
            other => other.into(),
        })
    }

    /// Scans waiting for an administrator's confirmation, for the work list.
    pub(crate) async fn retention_waiting(&self, actor: &Actor) -> AppResult<Vec<crate::commendation::Waiting>> {
        let snap = self.snapshot().await?;
        let Some(root) = snap.roots().first().copied() else { return Ok(vec![]) };
        if !self.shows(actor, &snap, Action::ManageUsers, root) {
            return Ok(vec![]);
        }
        let listed: Vec<SweepRecord> =
            self.store.sweeps(PageRequest::new(1, 50)).await?.items.into_iter().filter(|s| s.state == "listed" && s.due > 0).collect();
        Ok(listed
            .into_iter()
            .map(|s| crate::commendation::Waiting {
                what: format!("{} hết thời hạn lưu trữ ({}) chờ xác nhận xóa", s.what.label(), s.cutoff.words()),
                count: usize::try_from(s.due).unwrap_or(usize::MAX),
                link: "/admin/retention".into(),
            })
            .collect())
    }
}
