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

/// Through what a citizen's or a household's data was read (issue 18 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadChannel {
    Page,
    Api,
    Export,
    Command,
}

/// What a read showed: one record, or a list of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadWhat {
    Person,
    Household,
    People,
    Households,
}

coded!(ReadChannel {
    Page => "page", "Trang";
    Api => "api", "API";
    Export => "export", "Xuất tệp";
    Command => "cli", "Dòng lệnh";
});
coded!(ReadWhat {
    Person => "person", "Công dân";
    Household => "household", "Hộ gia đình";
    People => "people", "Danh sách công dân";
    Households => "households", "Danh sách hộ";
});

/// One read to log: who, when, through what, which record (or, for a list, its unit and
/// filter in `detail`) and how many rows it showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadDraft {
    pub at_ms: i64,
    pub user_id: i64,
    pub username: String,
    pub channel: ReadChannel,
    pub what: ReadWhat,
    pub subject_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub rows: i64,
    pub detail: String,
}

/// A logged read, as the inspector sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRecord {
    pub id: i64,
    pub read: ReadDraft,
}

/// Filters of the read log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadFilter {
    pub username: Option<String>,
    pub what: Option<ReadWhat>,
    pub subject_id: Option<i64>,
    /// Reads of records of this unit's subtree (a list over the whole scope has no unit).
    pub unit: Option<i64>,
}

/// The log of who read whose data: appended in batches, never edited.
#[async_trait]
pub trait ReadLogStore: Send + Sync {
    /// Appends the reads in one transaction: all of them or none.
    async fn record_reads(&self, reads: &[ReadDraft]) -> StoreResult<()>;
    /// The newest reads first, of records in the scope (a list over the whole city is seen
    /// only by a city-wide scope), paged by key.
    async fn reads_page(&self, scope: &Scope, filter: &ReadFilter, page: PageRequest) -> StoreResult<Page<ReadRecord>>;
}
