//! What the machine's operator does from the command line (no signed-in user): health, upkeep,
//! the audit chain's verification, the users' list, the files a backup must carry. None of
//! these is reachable from a web route; a user's reads and writes go through the use cases that
//! authorise them.

use crate::error::AppResult;
use crate::ports::{GrantRecord, UserRecord};
use crate::{App, AppConfig};
use thidua_domain::audit::{AuditContent, GENESIS, verify_chain};

impl App {
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

    /// The stored size in bytes and the row count of one of the big tables (for benchmarks).
    pub async fn table_size(&self, table: &str) -> AppResult<(u64, u64)> {
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
        let (head_seq, head_hash) = self.store.audit_head().await.map_err(|e| e.to_string())?;
        let mut prev = GENESIS.to_string();
        let mut after = 0;
        loop {
            let mut chunk = self.store.audit_after(after, 5000).await.map_err(|e| e.to_string())?;
            // Entries written after verification began are for the next run.
            chunk.retain(|a| a.seq <= head_seq);
            if chunk.is_empty() {
                thidua_domain::audit::check_head((after, &prev), (head_seq, &head_hash)).map_err(|e| format!("NHẬT KÝ BỊ SỬA: {e}"))?;
                return Ok(after);
            }
            let entries = chunk.iter().map(|a| {
                (
                    AuditContent {
                        seq: a.seq,
                        at_ms: a.at_ms,
                        actor: &a.actor,
                        on_behalf_of: a.on_behalf_of.as_deref(),
                        action: &a.action,
                        entity: &a.entity,
                        entity_id: &a.entity_id,
                        old: a.old.as_deref(),
                        new: a.new.as_deref(),
                    },
                    a.prev_hash.as_str(),
                    a.hash.as_str(),
                )
            });
            let (last, hash) = verify_chain(entries, &prev, after + 1).map_err(|e| format!("NHẬT KÝ BỊ SỬA: {e}"))?;
            after = last;
            prev = hash;
        }
    }
}
