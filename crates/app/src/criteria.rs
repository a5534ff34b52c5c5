//! Learning-title criteria sets: the shipped sets are stored at start-up; DOET adds new versions
//! by uploading a TOML file. A stored version is never changed.

use crate::error::{AppError, AppResult, StorageError};
use crate::ports::{AuditDraft, CriteriaSetRecord};
use crate::{Actor, App};
use sha2::{Digest, Sha256};
use thidua_domain::access::Action;
use thidua_domain::criteria::{self, CriteriaSet};

fn record(set: &CriteriaSet, source: &str, origin: &str, by: &str, at_ms: i64) -> CriteriaSetRecord {
    CriteriaSetRecord {
        id: 0,
        set_id: set.id.clone(),
        version: i64::from(set.version),
        title: set.title.clone(),
        title_vi: set.title_vi.clone(),
        level: set.level.map(i64::from),
        subject: set.subject.clone(),
        from_year: i64::from(set.from_year),
        to_year: set.to_year.map(i64::from),
        provisional: set.provisional,
        source_toml: source.to_string(),
        sha256: hex::encode(Sha256::digest(source.as_bytes())),
        origin: origin.into(),
        created_at_ms: at_ms,
        created_by: by.into(),
    }
}

impl App {
    pub(crate) fn now_ms(&self) -> i64 {
        (self.clock.now().unix_timestamp_nanos() / 1_000_000) as i64
    }

    /// Stores every shipped set that is not stored yet. A shipped set whose text changed without
    /// a new version is refused: versions are immutable.
    pub async fn sync_shipped_criteria(&self) -> AppResult<usize> {
        let stored = self.store.criteria_sets().await?;
        let mut added = 0;
        for (file, text) in criteria::SHIPPED {
            let set = CriteriaSet::from_toml(text).map_err(|e| AppError::Invalid(format!("{file}: {e}")))?;
            let rec = record(&set, text, "shipped", "thidua", self.now_ms());
            match stored.iter().find(|s| s.set_id == rec.set_id && s.version == rec.version) {
                Some(s) if s.sha256 == rec.sha256 => {}
                Some(_) => {
                    return Err(AppError::Invalid(format!(
                        "bộ tiêu chí {} phiên bản {} đã lưu với nội dung khác: hãy tăng version trong {file}",
                        rec.set_id, rec.version
                    )));
                }
                None => match self.store.insert_criteria_set(&rec, None).await {
                    Ok(_) => added += 1,
                    // Another server process stored it at the same moment.
                    Err(StorageError::Unique(_)) => {}
                    Err(e) => return Err(e.into()),
                },
            }
        }
        Ok(added)
    }

    /// Every stored version, for anyone who may read the registry somewhere.
    pub async fn criteria_sets(&self, actor: &Actor) -> AppResult<Vec<CriteriaSetRecord>> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        Ok(self.store.criteria_sets().await?)
    }

    /// One stored version and its parsed content.
    pub async fn criteria_set(&self, actor: &Actor, id: i64) -> AppResult<(CriteriaSetRecord, CriteriaSet)> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        let rec = self.store.criteria_set(id).await?.ok_or(AppError::NotFound)?;
        let set = CriteriaSet::from_toml(&rec.source_toml).map_err(|e| AppError::Invalid(e.to_string()))?;
        Ok((rec, set))
    }

    /// Adds a version uploaded by DOET (or a system administrator) for the whole city.
    pub async fn upload_criteria_set(&self, actor: &Actor, source: &str) -> AppResult<i64> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCriteria, root).await?;
        let source = thidua_domain::text::clean_multiline(source);
        let set = CriteriaSet::from_toml(&source).map_err(|e| AppError::Invalid(e.to_string()))?;
        let latest = self.store.criteria_sets().await?.iter().filter(|s| s.set_id == set.id).map(|s| s.version).max();
        if let Some(v) = latest.filter(|v| *v >= i64::from(set.version)) {
            return Err(AppError::Invalid(format!(
                "bộ tiêu chí {} đã có phiên bản {v}; phiên bản mới phải lớn hơn (các phiên bản đã lưu không bao giờ bị sửa)",
                set.id
            )));
        }
        let rec = record(&set, &source, "uploaded", &actor.username, self.now_ms());
        let audit = AuditDraft {
            actor: actor.username.clone(),
            on_behalf_of: via.via().map(str::to_string),
            proof: via.clone(),
            action: "criteria.upload".into(),
            entity: "criteria_set".into(),
            entity_id: set.id.clone(),
            unit_id: Some(root),
            old: None,
            new: Some(serde_json::json!({"set_id": set.id, "version": set.version, "sha256": rec.sha256, "provisional": set.provisional})),
            at_ms: rec.created_at_ms,
        };
        Ok(self.store.insert_criteria_set(&rec, Some(audit)).await?)
    }
}
