//! The storage ports of reports, each implemented directly by `thidua_storage::SqlStore` (no
//! forwarding layer); `Store` in the parent module is all of them together.

use super::*;

/// Units' yearly reports and the year's award counts.
#[async_trait]
pub trait ReportStore: Send + Sync {
    async fn report(&self, unit_id: i64, year: i64) -> StoreResult<Option<ReportRow>>;
    async fn report_by_id(&self, id: i64) -> StoreResult<Option<ReportRow>>;
    async fn reports(&self, year: i64) -> StoreResult<Vec<ReportRow>>;
    async fn report_events(&self, report_id: i64) -> StoreResult<Vec<ReportEventRow>>;
    /// Creates the report (`row.version == 0`; refused as stale if another officer created it
    /// meanwhile) or replaces version `row.version`; records the step, if any, and the audit
    /// entry in the same transaction. Returns the id.
    async fn save_report(&self, row: &ReportRow, event: Option<&ReportEventRow>, audit: AuditDraft) -> StoreResult<i64>;
    /// Records an event that leaves the report as it is (a comment of DOET or DOHA), with its
    /// audit entry, in one transaction.
    async fn add_report_event(&self, event: &ReportEventRow, audit: AuditDraft) -> StoreResult<()>;
    async fn report_year_locked(&self, year: i64) -> StoreResult<bool>;
    async fn set_report_year_locked(&self, year: i64, locked: bool, audit: AuditDraft) -> StoreResult<()>;
    /// Awarded nominees by proposing unit and level, for decisions signed in `year`.
    async fn award_counts(&self, year: i64) -> StoreResult<Vec<AwardCount>>;
}

/// The public honour roll and the consents it rests on.
#[async_trait]
pub trait HonourStore: Send + Sync {
    /// Awarded nominees, newest decision first, of decisions signed in `year` (any when `None`).
    async fn honour_awards(&self, year: Option<i64>, page: PageRequest) -> StoreResult<Page<HonourAward>>;
    /// Recognised collectives of `year`, and the households and citizens who consented; which
    /// titles are which is the domain's (`titles::honour_titles`).
    async fn honour_titles(
        &self,
        year: i64,
        titles: &thidua_domain::titles::HonourTitles,
        page: PageRequest,
    ) -> StoreResult<Page<HonourTitle>>;
    /// Records a household's or citizen's consent to be named in public (or its withdrawal).
    async fn set_public_consent(&self, subject_type: &str, id: i64, consent: bool, audit: AuditDraft) -> StoreResult<()>;
    /// A household's or citizen's consent.
    async fn public_consent(&self, subject_type: &str, id: i64) -> StoreResult<bool>;
}
