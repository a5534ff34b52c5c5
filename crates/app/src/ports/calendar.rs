//! The storage ports of calendar, each implemented directly by `thidua_storage::SqlStore` (no
//! forwarding layer); `Store` in the parent module is all of them together.

use super::*;

/// The working-day calendar's yearly tables.
#[async_trait]
pub trait CalendarStore: Send + Sync {
    async fn calendar_tables(&self) -> StoreResult<Vec<CalendarTableRecord>>;
    /// Inserts (`expected` = None) or replaces version `expected` of a year's table; returns the
    /// new version. A concurrent edit is `Stale`.
    async fn save_calendar_table(&self, year: i64, body: &str, expected: Option<i64>, audit: AuditDraft) -> StoreResult<i64>;
}
