//! What the machine's operator does from the command line (no signed-in user): health, upkeep,
//! the audit chain's verification, the users' list, the files a backup must carry. None of
//! these is reachable from a web route; a user's reads and writes go through the use cases that
//! authorise them.

use crate::error::AppResult;
use crate::ports::{AuditStore, GrantRecord, UserRecord};
use crate::{App, AppConfig};
use thidua_domain::audit::{GENESIS, verify_chain};

impl App {
    /// The operator at the command line: a system administrator over every root of the tree
    /// (audited as «cli»).
    pub async fn operator(&self) -> AppResult<crate::Actor> {
        let snap = self.snapshot().await?;
        let mut roots = snap.roots();
        if roots.is_empty() {
            roots.push(0);
        }
        Ok(crate::Actor {
            user_id: 0,
            username: "cli".into(),
            full_name: "Dòng lệnh quản trị".into(),
            home_unit: roots[0],
            grants: roots
                .into_iter()
                .map(|r| thidua_domain::access::Grant::new(thidua_domain::access::Role::SystemAdmin, r, true))
                .collect(),
        })
    }

    /// Now, by the application's clock.
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// The use cases' tunables.
    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// Which database engine holds the data ("sqlite" or "postgres").
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }

    /// Deletes expired sessions and old sign-in failures; returns how many rows went.
    pub async fn purge_expired(&self) -> AppResult<u64> {
        Ok(self.store.purge_expired(self.clock.now()).await?)
    }

    /// Regroups the possible duplicates an interrupted import left to regroup; how many wards.
    pub async fn refresh_pending_twins(&self) -> AppResult<usize> {
        Ok(self.store.refresh_pending_twins().await?)
    }

    /// The stored size in bytes and the row count of one of the big tables (for benchmarks).
    pub async fn table_size(&self, table: crate::ports::BulkTable) -> AppResult<(u64, u64)> {
        Ok(self.store.table_size(table).await?)
    }

    /// The id of an account by its name (names are lower case).
    pub async fn user_id(&self, username: &str) -> AppResult<Option<i64>> {
        Ok(self.store.user_by_username(&username.to_lowercase()).await?.map(|u| u.id))
    }

    /// Every account with its grants, for the operator's list.
    pub async fn users_with_grants(&self) -> AppResult<Vec<(UserRecord, Vec<GrantRecord>)>> {
        let mut out = Vec::new();
        for u in self.store.users().await? {
            let grants = self.store.grants(u.id).await?;
            out.push((u, grants));
        }
        Ok(out)
    }

    /// The SHA-256 names of every stored file a record refers to: what a backup must carry.
    pub async fn blob_references(&self) -> AppResult<Vec<String>> {
        Ok(self.store.blob_references().await?)
    }

    /// Recomputes the whole audit chain in chunks up to the head recorded when verification
    /// starts, and checks its end against that head; returns the number of entries.
    pub async fn verify_audit(&self) -> Result<i64, String> {
        verify_audit_chain(self.store.as_ref(), 5000).await
    }
}

/// The audit chain's verification over the audit port alone: every entry from the first, `chunk`
/// at a time, up to the head recorded when it starts (entries written meanwhile are for the next
/// run), each hash recomputed from its content and its predecessor, and the last one checked
/// against the head, so that an edited, removed or cut-off entry is found. Returns the number of
/// entries.
pub async fn verify_audit_chain<S: AuditStore + ?Sized>(log: &S, chunk: i64) -> Result<i64, String> {
    let (head_seq, head_hash) = log.audit_head().await.map_err(|e| e.to_string())?;
    let mut prev = GENESIS.to_string();
    let mut after = 0;
    let mut erasures = thidua_domain::audit::Erasures::default();
    loop {
        let mut entries = log.audit_after(after, chunk).await.map_err(|e| e.to_string())?;
        entries.retain(|a| a.seq <= head_seq);
        if entries.is_empty() {
            thidua_domain::audit::check_head((after, &prev), (head_seq, &head_hash)).map_err(|e| format!("NHẬT KÝ BỊ SỬA: {e}"))?;
            erasures.finish().map_err(|e| format!("NHẬT KÝ BỊ SỬA: {e}"))?;
            return Ok(after);
        }
        for a in &entries {
            erasures.see(a.seq, a.sealing, a.erased_by.is_some(), &a.action, a.payloads()).map_err(|e| format!("NHẬT KÝ BỊ SỬA: {e}"))?;
        }
        let content = entries.iter().map(|a| (a.content(), a.prev_hash.as_str(), a.hash.as_str()));
        let (last, hash) = verify_chain(content, &prev, after + 1).map_err(|e| format!("NHẬT KÝ BỊ SỬA: {e}"))?;
        after = last;
        prev = hash;
    }
}

#[cfg(test)]
mod tests {
    //! The verification on an in-memory audit log: no database, the same chain rules.

    use super::verify_audit_chain;
    use crate::ports::{AuditDraft, AuditFilter, AuditRecord, AuditStore, Page, PageRequest, Scope, StoreResult};
    use std::sync::Mutex;
    use thidua_domain::audit::{GENESIS, Sealing, entry_hash, payload_digest};

    /// An audit log in memory that chains its entries as the database does.
    struct MemoryLog {
        entries: Mutex<Vec<AuditRecord>>,
        head: Mutex<(i64, String)>,
    }

    impl MemoryLog {
        fn new() -> MemoryLog {
            MemoryLog { entries: Mutex::new(Vec::new()), head: Mutex::new((0, GENESIS.to_string())) }
        }
    }

    #[async_trait::async_trait]
    impl AuditStore for MemoryLog {
        async fn audit_page(&self, scope: &Scope, filter: &AuditFilter, page: PageRequest) -> StoreResult<Page<AuditRecord>> {
            let entries = self.entries.lock().map_err(|e| crate::error::StorageError::Database(e.to_string()))?;
            let keep = |a: &&AuditRecord| {
                let unit_ok = match scope {
                    Scope::All => true,
                    Scope::Roots(roots) => a.unit_id.is_some_and(|u| roots.iter().any(|r| r.node == u)),
                };
                unit_ok
                    && filter.actor.as_ref().is_none_or(|x| &a.actor == x)
                    && filter.entity.as_ref().is_none_or(|x| &a.entity == x)
                    && filter.entity_id.as_ref().is_none_or(|x| &a.entity_id == x)
                    && filter.action.as_ref().is_none_or(|x| &a.action == x)
            };
            let all: Vec<AuditRecord> = entries.iter().rev().filter(keep).cloned().collect();
            let total = all.len() as i64;
            let items = all.into_iter().skip(page.offset() as usize).take(page.per_page as usize).collect();
            Ok(Page::new(items, total, &page))
        }

        async fn audit_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>> {
            let entries = self.entries.lock().map_err(|e| crate::error::StorageError::Database(e.to_string()))?;
            Ok(entries.iter().filter(|a| a.seq > after).take(limit as usize).cloned().collect())
        }

        async fn audit_head(&self) -> StoreResult<(i64, String)> {
            Ok(self.head.lock().map_err(|e| crate::error::StorageError::Database(e.to_string()))?.clone())
        }

        async fn append_audit(&self, d: AuditDraft) -> StoreResult<i64> {
            let mut head = self.head.lock().map_err(|e| crate::error::StorageError::Database(e.to_string()))?;
            let (old, new) = (d.old.as_ref().map(|v| v.to_string()), d.new.as_ref().map(|v| v.to_string()));
            let (old_digest, new_digest) = (old.as_deref().map(payload_digest), new.as_deref().map(payload_digest));
            let seq = head.0 + 1;
            let content = d.content(seq, old_digest.as_deref(), new_digest.as_deref());
            let hash = entry_hash(&head.1, &content);
            let record = AuditRecord {
                seq,
                at_ms: d.at_ms,
                actor: d.actor.clone(),
                on_behalf_of: d.on_behalf_of.clone(),
                action: d.action.clone(),
                entity: d.entity.clone(),
                entity_id: d.entity_id.clone(),
                unit_id: d.unit_id,
                old,
                new,
                prev_hash: head.1.clone(),
                hash: hash.clone(),
                sealing: Sealing::Digest,
                old_digest,
                new_digest,
                erased_by: None,
            };
            self.entries.lock().map_err(|e| crate::error::StorageError::Database(e.to_string()))?.push(record);
            *head = (seq, hash);
            Ok(seq)
        }
    }

    fn draft(i: i64) -> AuditDraft {
        AuditDraft {
            actor: "phuongbadinh".into(),
            on_behalf_of: None,
            action: "household.update".into(),
            entity: "household".into(),
            entity_id: i.to_string(),
            unit_id: Some(7),
            old: None,
            new: Some(serde_json::json!({"head_name": format!("Nguyễn Văn {i}")})),
            at_ms: 1_700_000_000_000 + i,
            proof: crate::Authorized::system("test"),
        }
    }

    /// A log of `n` entries.
    async fn log_of(n: i64) -> MemoryLog {
        let log = MemoryLog::new();
        for i in 1..=n {
            log.append_audit(draft(i)).await.expect("append");
        }
        log
    }

    #[tokio::test]
    async fn an_untouched_chain_verifies_across_chunks() {
        let log = log_of(23).await;
        assert_eq!(verify_audit_chain(&log, 5).await, Ok(23));
    }

    #[tokio::test]
    async fn an_edited_entry_is_found_by_its_number() {
        let log = log_of(12).await;
        log.entries.lock().expect("lock")[6].actor = "ke-gian".into();
        let err = verify_audit_chain(&log, 5).await.expect_err("the edit is found");
        assert!(err.contains("số 7"), "{err}");
    }

    #[tokio::test]
    async fn the_newest_entries_cut_off_are_found_against_the_head() {
        let log = log_of(12).await;
        log.entries.lock().expect("lock").truncate(10);
        let err = verify_audit_chain(&log, 5).await.expect_err("the truncation is found");
        assert!(err.contains("các mục mới nhất đã bị xóa"), "{err}");
    }

    #[tokio::test]
    async fn entries_written_while_verifying_wait_for_the_next_run() {
        let log = log_of(4).await;
        // The head read when verification starts is 4; a fifth entry lands later.
        let (seq, hash) = log.audit_head().await.expect("head");
        log.append_audit(draft(5)).await.expect("append");
        *log.head.lock().expect("lock") = (seq, hash);
        assert_eq!(verify_audit_chain(&log, 2).await, Ok(4));
    }
}
