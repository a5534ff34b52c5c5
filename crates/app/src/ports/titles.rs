//! The storage ports of titles, each implemented directly by `thidua_storage::SqlStore` (no
//! forwarding layer); `Store` in the parent module is all of them together.

use super::*;

/// Criteria sets: rows are never updated, a change is a new version.
#[async_trait]
pub trait CriteriaStore: Send + Sync {
    async fn criteria_sets(&self) -> StoreResult<Vec<CriteriaSetRecord>>;
    async fn criteria_set(&self, id: i64) -> StoreResult<Option<CriteriaSetRecord>>;
    async fn insert_criteria_set(&self, record: &CriteriaSetRecord, audit: Option<AuditDraft>) -> StoreResult<i64>;
}

/// Learning-title assessments, recognition decisions and the tallies.
#[async_trait]
pub trait TitlesStore: Send + Sync {
    /// Subjects of `subject` kind by code (households, people, clans; units by unit code).
    async fn subjects_by_code(&self, subject: Subject, codes: &[String]) -> StoreResult<Vec<SubjectRef>>;
    async fn subject_by_id(&self, subject: Subject, id: i64) -> StoreResult<Option<SubjectRef>>;
    /// Active households, people or clans attached to `unit`, in Vietnamese name order.
    async fn subjects_of_unit(&self, subject: Subject, unit: i64) -> StoreResult<Vec<SubjectRef>>;
    /// For a title, year and stage: which of these subjects already have an assessment, and
    /// whether a decision recognised it (subject id → decided).
    async fn assessed_subjects(&self, title: &str, year: i64, stage: &str, subjects: &[i64]) -> StoreResult<Vec<(i64, bool)>>;
    /// Stores one assessment: a new one, or (with `expected_version`) a change of a stored one.
    async fn save_assessment(&self, input: &AssessmentInput, expected_version: Option<i64>, audit: AuditDraft) -> StoreResult<i64>;
    async fn assessment(&self, id: i64) -> StoreResult<Option<AssessmentRecord>>;
    async fn assessments(&self, scope: &Scope, filter: &AssessmentFilter, page: PageRequest) -> StoreResult<Page<AssessmentItem>>;
    /// (id, level) of every assessment a filter selects, unordered: a decision's candidates.
    async fn assessment_ids(&self, scope: &Scope, filter: &AssessmentFilter) -> StoreResult<Vec<(i64, i64)>>;
    /// Every assessment of one subject for one title, by year.
    async fn subject_assessments(&self, title: &str, subject_id: i64) -> StoreResult<Vec<AssessmentRecord>>;
    /// Records a decision and marks its assessments recognised, each with a new certificate
    /// code; fails as stale when any of them is no longer verified, passed and undecided.
    async fn issue_decision(&self, input: &DecisionInput, created_by: &str, audit: AuditDraft) -> StoreResult<i64>;
    async fn decision(&self, id: i64) -> StoreResult<Option<DecisionRecord>>;
    /// Decisions issued by units in scope, newest first.
    async fn decisions(&self, scope: &Scope, page: PageRequest) -> StoreResult<Page<DecisionRecord>>;
    async fn certificate(&self, code: &str) -> StoreResult<Option<(AssessmentRecord, DecisionRecord)>>;
    /// (tallies, unit counts): each changes whenever a title tally, or a unit's counts, change
    /// (for caches in every process).
    async fn coverage_versions(&self) -> StoreResult<(i64, i64)>;
    async fn tallies(&self, year: i64) -> StoreResult<Vec<TallyRow>>;
    async fn unit_counts(&self) -> StoreResult<Vec<(i64, UnitCounts)>>;
    async fn duplicate_subjects(&self, scope: &Scope, title: &str, year: i64, page: PageRequest) -> StoreResult<Page<DuplicateGroup>>;
    /// Per title: the subjects' own assessments (stage «self») of `year` in scope that no
    /// verified assessment of the same subject follows yet.
    async fn unverified_counts(&self, scope: &Scope, year: i64) -> StoreResult<Vec<(String, i64)>>;
}
