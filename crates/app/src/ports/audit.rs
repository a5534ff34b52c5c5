//! The storage ports of audit, each implemented directly by `thidua_storage::SqlStore` (no
//! forwarding layer); `Store` in the parent module is all of them together.

use super::*;

/// The tables that grow with the city, whose size the operator watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkTable {
    Households,
    People,
    Assessments,
    Clans,
    AuditLog,
}

/// Health, size and write count of the database, for the operator, the caches and the benchmarks.
#[async_trait]
pub trait OpsStore: Send + Sync {
    /// Which engine this is ("sqlite" or "postgres"), for diagnostics.
    fn backend(&self) -> &'static str;
    async fn ping(&self) -> StoreResult<()>;
    /// Bytes on disk of one of the bulk tables with its indexes, and its row count, for
    /// capacity planning.
    async fn table_size(&self, table: BulkTable) -> StoreResult<(u64, u64)>;
    /// The audit chain's head: it moves in the same transaction as every write, so a value
    /// computed from the database stays true while this number does not change.
    async fn write_version(&self) -> StoreResult<i64>;
}

/// The hash-chained audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn audit_page(&self, scope: &Scope, filter: &AuditFilter, page: PageRequest) -> StoreResult<Page<AuditRecord>>;
    /// Entries with `seq` greater than `after`, in order, at most `limit`.
    async fn audit_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>>;
    /// The chain's head as recorded in `audit_head`: (sequence number, hash) of the newest entry.
    async fn audit_head(&self) -> StoreResult<(i64, String)>;
    async fn append_audit(&self, audit: AuditDraft) -> StoreResult<i64>;
}

/// What a backup must carry besides the database.
#[async_trait]
pub trait BackupStore: Send + Sync {
    /// Every stored file the database refers to (SHA-256 of dossier documents, decision scans,
    /// article photos, resource files), each once.
    async fn blob_references(&self) -> StoreResult<Vec<String>>;
}
