//! The storage ports of commendation, each implemented directly by `thidua_storage::SqlStore` (no
//! forwarding layer); `Store` in the parent module is all of them together.

use super::*;

/// Commendation campaigns and their deadline extensions.
#[async_trait]
pub trait CampaignStore: Send + Sync {
    async fn campaign_rows(&self) -> StoreResult<Vec<CampaignRow>>;
    async fn insert_campaign(&self, row: &CampaignRow, audit: Option<AuditDraft>) -> StoreResult<i64>;
    async fn update_campaign(&self, id: i64, expected_version: i64, body: &str, status: &str, audit: AuditDraft) -> StoreResult<()>;
    async fn extension(&self, campaign: i64, unit: i64) -> StoreResult<Option<String>>;
    /// Grants the extension and closes the unit's open request for it, in one transaction.
    async fn grant_extension(&self, campaign: i64, unit: i64, due_before: &str, reason: &str, audit: AuditDraft) -> StoreResult<()>;
    /// Records (or replaces) the unit's request for an extension.
    async fn request_extension(&self, row: &ExtensionRequestRow, audit: AuditDraft) -> StoreResult<()>;
    async fn extension_requests(&self) -> StoreResult<Vec<ExtensionRequestRow>>;
    /// Closes the unit's open request without an extension; false when there was none.
    async fn decline_extension(&self, campaign: i64, unit: i64, audit: AuditDraft) -> StoreResult<bool>;
}

/// Dossiers (nomination batches), their nominees, files and history.
#[async_trait]
pub trait DossierStore: Send + Sync {
    async fn create_batch(&self, row: &BatchRow, audit: AuditDraft) -> StoreResult<i64>;
    async fn batch(&self, id: i64) -> StoreResult<Option<BatchRow>>;
    /// Dossiers whose proposer is in scope, optionally of one campaign and in some states.
    async fn batches(&self, scope: &Scope, campaign: Option<i64>, states: &[String]) -> StoreResult<Vec<BatchRow>>;
    /// One page of them, oldest in their state first.
    async fn batch_page(&self, scope: &Scope, campaign: Option<i64>, states: &[String], page: PageRequest) -> StoreResult<Page<BatchRow>>;
    async fn nominees(&self, batch: i64) -> StoreResult<Vec<NomineeRow>>;
    async fn nominees_of_batches(&self, batches: &[i64]) -> StoreResult<Vec<NomineeRow>>;
    /// (dossier, live nominees) for each dossier that has any.
    async fn nominee_counts(&self, batches: &[i64]) -> StoreResult<Vec<(i64, i64)>>;
    /// Live nominees of a campaign for these subjects or folded names.
    async fn campaign_nominees(&self, campaign: i64, subjects: &[(String, i64)], names_folded: &[String]) -> StoreResult<Vec<NomineeRow>>;
    async fn add_nominee(&self, batch: i64, expected_version: i64, row: &NomineeRow, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_nominee(
        &self,
        batch: i64,
        expected_version: i64,
        nominee: i64,
        edit: &NomineeEdit,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    async fn remove_nominee(&self, batch: i64, expected_version: i64, nominee: i64, audit: AuditDraft) -> StoreResult<()>;
    async fn documents(&self, batch: i64) -> StoreResult<Vec<DocumentRow>>;
    async fn document(&self, id: i64) -> StoreResult<Option<DocumentRow>>;
    async fn add_document(&self, batch: i64, expected_version: i64, row: &DocumentRow, audit: AuditDraft) -> StoreResult<i64>;
    async fn quota_used(&self, campaign: i64, level: &str, unit: i64) -> StoreResult<QuotaCounts>;
    async fn batch_events(&self, batch: i64) -> StoreResult<Vec<EventRow>>;
    /// The steps of many dossiers, without their snapshots: (dossier, state reached, at ms), in order.
    async fn batch_steps_of(&self, batches: &[i64]) -> StoreResult<Vec<(i64, String, i64)>>;
    async fn batch_comments(&self, batch: i64) -> StoreResult<Vec<CommentRow>>;
}

/// Dossiers moved between steps, with quotas, claims and outcomes, in one transaction.
#[async_trait]
pub trait WorkflowStore: Send + Sync {
    /// One step of the flow, all or nothing; returns the consolidation and decision it created.
    async fn transition(&self, t: &Transition, audit: Vec<AuditDraft>) -> StoreResult<(Option<i64>, Option<i64>)>;
}

/// DOET's consolidations, the Chairman's decisions and what they awarded.
#[async_trait]
pub trait AwardStore: Send + Sync {
    async fn consolidation(&self, id: i64) -> StoreResult<Option<ConsolidationRow>>;
    async fn award_decision(&self, id: i64) -> StoreResult<Option<AwardDecisionRow>>;
    /// Attaches the signed scan (its blob hash) to a decision, replacing an earlier one.
    async fn set_decision_scan(&self, id: i64, sha256: &str, audit: AuditDraft) -> StoreResult<()>;
    async fn award_decisions(&self) -> StoreResult<Vec<AwardDecisionRow>>;
    async fn nominee(&self, id: i64) -> StoreResult<Option<NomineeRow>>;
    async fn nominee_by_certificate(&self, code: &str) -> StoreResult<Option<NomineeRow>>;
    /// The nominees a decision settled (awarded or refused).
    async fn decision_nominees(&self, decision: i64) -> StoreResult<Vec<NomineeRow>>;
    async fn award_history(&self, subject_type: &str, subject_id: i64) -> StoreResult<Vec<AwardHistoryRow>>;
}

/// Decrees DOHA recorded (issue 13 §18), merged with the shipped ones by `bases::merge`.
#[async_trait]
pub trait LegalBasisStore: Send + Sync {
    async fn entered_decrees(&self) -> StoreResult<Vec<thidua_domain::commendation::bases::Decree>>;
    /// Records a decree (replacing an entry with the same number), with its audit entry.
    async fn save_decree(&self, d: &thidua_domain::commendation::bases::Decree, by: &str, at_ms: i64, audit: AuditDraft)
    -> StoreResult<()>;
}
