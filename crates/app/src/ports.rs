//! The ports the use cases need: storage and the clock. Storage adapters implement [`Store`]
//! for SQLite and PostgreSQL; tests and the binary choose which.

use crate::error::StorageError;
use async_trait::async_trait;
use serde::Serialize;
use thidua_domain::access::{Grant, ScopeRoot};
use thidua_domain::import::{HouseholdRow, PersonRow, UnitRow};
use thidua_domain::registry::{Gender, NodeKind};
use thidua_domain::titles::Subject;
use time::{Date, OffsetDateTime};

pub type StoreResult<T> = Result<T, StorageError>;

/// The current time, as a port so that tests can fix it.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A node of the tree as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: NodeKind,
    pub parent_id: Option<i64>,
    pub location_id: Option<i64>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub successor_id: Option<i64>,
    pub active: bool,
    pub version: i64,
}

/// Fields of a unit that an officer can set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub kind: NodeKind,
    pub parent_id: Option<i64>,
    pub location_id: Option<i64>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub successor_id: Option<i64>,
}

/// A household as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdRecord {
    pub id: i64,
    pub code: String,
    pub unit_id: i64,
    pub head_name: String,
    pub address: Option<String>,
    pub member_count: Option<i64>,
    pub active: bool,
    pub version: i64,
}

/// Fields of a household that an officer can set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdInput {
    pub code: String,
    pub unit_id: i64,
    pub head_name: String,
    pub address: Option<String>,
    pub member_count: Option<i64>,
}

/// A person as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRecord {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub gender: Option<Gender>,
    pub unit_id: i64,
    pub household_id: Option<i64>,
    pub position: Option<String>,
    pub active: bool,
    pub version: i64,
}

/// Fields of a person that an officer can set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonInput {
    pub code: String,
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub gender: Option<Gender>,
    pub unit_id: i64,
    pub household_id: Option<i64>,
    pub position: Option<String>,
}

/// A clan (dòng họ) as stored: its home unit, representative and the villages it spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClanRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    pub representative_name: Option<String>,
    pub villages: Vec<i64>,
    pub active: bool,
    pub version: i64,
}

/// Fields of a clan that an officer can set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClanInput {
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    pub representative_name: Option<String>,
    pub villages: Vec<i64>,
}

/// A stored version of a criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriteriaSetRecord {
    pub id: i64,
    pub set_id: String,
    pub version: i64,
    pub title: String,
    pub title_vi: String,
    pub level: Option<i64>,
    pub subject: String,
    pub from_year: i64,
    pub to_year: Option<i64>,
    pub provisional: bool,
    pub source_toml: String,
    pub sha256: String,
    /// "shipped" (from `criteria/`) or "uploaded".
    pub origin: String,
    pub created_at_ms: i64,
    pub created_by: String,
}

/// A subject of a learning title as the registry knows it: a household, person, clan or unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Where the subject belongs (for a unit subject, the unit itself).
    pub unit_id: i64,
}

/// An assessment to store (one subject, title, year and stage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentInput {
    pub title: String,
    pub subject_id: i64,
    pub year: i64,
    /// "self" or "verified".
    pub stage: String,
    pub unit_id: i64,
    /// The set's mức độ, 0 for sets without levels.
    pub level: i64,
    /// Row id of the criteria-set version.
    pub criteria_set: i64,
    /// Compact answers (`thidua_domain::assessment::encode_answers`).
    pub answers: String,
    pub points: i64,
    /// The outcome computed by the set's rule, never typed in.
    pub passed: bool,
    pub note: Option<String>,
    pub assessor: String,
}

/// An assessment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentRecord {
    pub id: i64,
    pub input: AssessmentInput,
    pub decision_id: Option<i64>,
    pub certificate: Option<String>,
    pub version: i64,
    pub updated_at_ms: i64,
}

/// An assessment in a list, with its subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentItem {
    pub record: AssessmentRecord,
    pub subject_code: String,
    pub subject_name: String,
    pub unit_name: String,
}

/// Filters of the assessment list (the title is required: it says which registry the subjects
/// come from).
#[derive(Debug, Clone, Default)]
pub struct AssessmentFilter {
    pub title: String,
    pub year: Option<i64>,
    pub unit: Option<i64>,
    pub stage: Option<String>,
    pub passed: Option<bool>,
    pub decided: Option<bool>,
    pub decision: Option<i64>,
}

/// A recognition decision to issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionInput {
    pub number: String,
    pub signed_on: Date,
    pub signer: String,
    pub signer_title: String,
    pub issuing_unit: i64,
    pub issuing_body: String,
    pub title: String,
    pub level: i64,
    pub year: i64,
    pub criteria_set: i64,
    /// The verified, passed, not yet recognised assessments it recognises.
    pub assessments: Vec<i64>,
}

/// A recognition decision as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub number: String,
    pub signed_on: Date,
    pub signer: String,
    pub signer_title: String,
    pub issuing_unit: i64,
    pub issuing_body: String,
    pub title: String,
    pub level: i64,
    pub year: i64,
    pub criteria_set: i64,
    pub subjects: i64,
    pub created_at_ms: i64,
    pub created_by: String,
}

/// Counts of one title in one unit and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TallyRow {
    pub unit_id: i64,
    pub title: String,
    pub level: i64,
    pub assessed: i64,
    pub passed: i64,
    pub recognised: i64,
}

/// Active households, people and clans attached to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct UnitCounts {
    pub households: i64,
    pub people: i64,
    pub clans: i64,
}

/// Subjects of one title and year that look like the same household or person assessed in two
/// places: same folded name and birth year, different records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateGroup {
    pub name: String,
    pub birth_year: Option<i64>,
    pub subjects: Vec<SubjectRef>,
}

/// A login account.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub password_hash: String,
    pub home_unit: i64,
    pub active: bool,
    /// Where reminders go; none, no mail.
    pub email: Option<String>,
    /// Heads their home unit (thủ trưởng): overdue tasks of the unit are escalated to them.
    pub unit_head: bool,
}

/// A grant as stored, with its id and the delegator's name for display.
#[derive(Debug, Clone)]
pub struct GrantRecord {
    pub id: i64,
    pub user_id: i64,
    pub grant: Grant,
}

/// A web session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

/// An API token's public description (never the token itself).
#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenRecord {
    pub id: i64,
    pub name: String,
    pub created_at_ms: i64,
    pub revoked: bool,
}

/// What a write records in the audit log (the storage adds sequence, time and hashes). Every
/// write of a record carries one, and one cannot be made without the proof that the write was
/// decided (`proof`): outside this crate an [`Authorized`] comes only from `App::authorize`.
///
/// ```compile_fail
/// // A draft without the proof is not a draft.
/// let _ = thidua_app::ports::AuditDraft {
///     actor: "x".into(), on_behalf_of: None, action: "household.update".into(), entity: "household".into(),
///     entity_id: "1".into(), unit_id: Some(1), old: None, new: None, at_ms: 0,
/// };
/// ```
///
/// ```compile_fail
/// // Nor can the proof be made by hand.
/// let _ = thidua_app::Authorized { kind: Default::default() };
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct AuditDraft {
    pub actor: String,
    pub on_behalf_of: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// The unit the record belongs to, so that auditors see entries of their own scope.
    pub unit_id: Option<i64>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
    pub at_ms: i64,
    /// Why the write may happen.
    #[serde(skip)]
    pub proof: crate::Authorized,
}

pub use crate::commendation::records::*;

mod publications;
mod rows;
pub use publications::*;
pub use rows::*;

/// Content-addressed file storage (local disk by default).
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores the bytes under their SHA-256 (hex), once; returns the hash.
    async fn put(&self, bytes: &[u8]) -> StoreResult<String>;
    async fn get(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>>;
}

/// A year's table of the working-day calendar as stored (TOML of `calendar::YearTable`).
#[derive(Debug, Clone, Serialize)]
pub struct CalendarTableRecord {
    pub year: i64,
    pub body: String,
    pub version: i64,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

/// An audit entry as stored.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub on_behalf_of: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub unit_id: Option<i64>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// Filters of the audit list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
}

/// Which slice of a list to return and how to sort it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub fn new(page: i64, per_page: i64) -> Self {
        PageRequest { page: page.max(1), per_page: per_page.clamp(1, 500) }
    }

    pub fn offset(&self) -> i64 {
        // A page far beyond the data is an empty page, never an overflow.
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// Everything, for exports.
    pub fn all() -> Self {
        PageRequest { page: 1, per_page: i64::MAX / 4 }
    }
}

/// One page of a list and the total count.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        if self.per_page <= 0 { 1 } else { ((self.total + self.per_page - 1) / self.per_page).max(1) }
    }
}

/// Sort orders of person lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PersonSort {
    /// Vietnamese name order (given name, middle, family).
    #[default]
    Name,
    Code,
    BirthYear,
}

/// Sort orders of household lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HouseholdSort {
    #[default]
    Code,
    /// Head of household, in Vietnamese name order.
    HeadName,
    /// Village / residential group name.
    Unit,
}

/// A scope filter resolved to the stored tree: every list query of a scoped user carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything (only for a system-wide grant on the tree's root).
    All,
    Roots(Vec<ScopeRoot>),
}

/// Counts returned by an import.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: usize,
}

/// One bulk import in progress (one database transaction).
#[async_trait]
pub trait ImportTx: Send {
    async fn insert_households(&mut self, rows: &[(HouseholdRow, i64)]) -> StoreResult<()>;
    async fn insert_people(&mut self, rows: &[(PersonRow, i64, Option<i64>)]) -> StoreResult<()>;
    /// Inserts assessments, replacing a stored one of the same subject, title, year and stage
    /// that no decision has recognised yet.
    async fn upsert_assessments(&mut self, rows: &[AssessmentInput], fresh: bool) -> StoreResult<()>;
    async fn commit(self: Box<Self>, audit: AuditDraft) -> StoreResult<()>;
}

pub use thidua_domain::import::RowSource;

/// The storage port.
#[async_trait]
pub trait Store: Send + Sync {
    /// Which engine this is ("sqlite" or "postgres"), for diagnostics.
    fn backend(&self) -> &'static str;
    async fn ping(&self) -> StoreResult<()>;
    /// Bytes on disk of one of the bulk tables (`households`, `people`, `assessments`) with its
    /// indexes, and its row count, for capacity planning.
    async fn table_size(&self, table: &str) -> StoreResult<(u64, u64)>;

    // --- the tree ---------------------------------------------------------------------
    /// A number that changes whenever any unit changes; lets every process refresh its cache.
    async fn tree_version(&self) -> StoreResult<i64>;
    async fn all_units(&self) -> StoreResult<Vec<UnitRecord>>;
    async fn unit(&self, id: i64) -> StoreResult<Option<UnitRecord>>;
    async fn create_unit(&self, input: &UnitInput, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_unit(&self, id: i64, expected_version: i64, input: &UnitInput, audit: AuditDraft) -> StoreResult<()>;
    async fn set_unit_active(&self, id: i64, expected_version: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;

    // --- households ---------------------------------------------------------------------
    async fn households(
        &self,
        scope: &Scope,
        unit: Option<i64>,
        query: Option<&str>,
        sort: HouseholdSort,
        page: PageRequest,
    ) -> StoreResult<Page<HouseholdRecord>>;
    async fn household(&self, id: i64) -> StoreResult<Option<HouseholdRecord>>;
    async fn create_household(&self, input: &HouseholdInput, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_household(&self, id: i64, expected_version: i64, input: &HouseholdInput, audit: AuditDraft) -> StoreResult<()>;
    async fn set_household_active(&self, id: i64, expected_version: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;

    // --- people ---------------------------------------------------------------------------
    async fn people(
        &self,
        scope: &Scope,
        unit: Option<i64>,
        household: Option<i64>,
        query: Option<&str>,
        sort: PersonSort,
        page: PageRequest,
    ) -> StoreResult<Page<PersonRecord>>;
    async fn person(&self, id: i64) -> StoreResult<Option<PersonRecord>>;
    async fn create_person(&self, input: &PersonInput, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_person(&self, id: i64, expected_version: i64, input: &PersonInput, audit: AuditDraft) -> StoreResult<()>;
    async fn set_person_active(&self, id: i64, expected_version: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;

    // --- clans -------------------------------------------------------------------------------
    async fn clans(&self, scope: &Scope, unit: Option<i64>, query: Option<&str>, page: PageRequest) -> StoreResult<Page<ClanRecord>>;
    async fn clan(&self, id: i64) -> StoreResult<Option<ClanRecord>>;
    async fn create_clan(&self, input: &ClanInput, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_clan(&self, id: i64, expected_version: i64, input: &ClanInput, audit: AuditDraft) -> StoreResult<()>;
    async fn set_clan_active(&self, id: i64, expected_version: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;

    // --- criteria sets (rows are never updated: a change is a new version) ------------------
    // --- yearly reports ----------------------------------------------------------------------
    async fn report(&self, unit_id: i64, year: i64) -> StoreResult<Option<ReportRow>>;
    async fn report_by_id(&self, id: i64) -> StoreResult<Option<ReportRow>>;
    async fn reports(&self, year: i64) -> StoreResult<Vec<ReportRow>>;
    async fn report_events(&self, report_id: i64) -> StoreResult<Vec<ReportEventRow>>;
    /// Creates the report (`row.version == 0`; refused as stale if another officer created it
    /// meanwhile) or replaces version `row.version`; records the step, if any, and the audit
    /// entry in the same transaction. Returns the id.
    async fn save_report(&self, row: &ReportRow, event: Option<&ReportEventRow>, audit: AuditDraft) -> StoreResult<i64>;
    async fn report_year_locked(&self, year: i64) -> StoreResult<bool>;
    async fn set_report_year_locked(&self, year: i64, locked: bool, audit: AuditDraft) -> StoreResult<()>;
    /// Awarded nominees by proposing unit and level, for decisions signed in `year`.
    async fn award_counts(&self, year: i64) -> StoreResult<Vec<AwardCount>>;

    // --- public honour roll ------------------------------------------------------------------
    /// Awarded nominees, newest decision first, of decisions signed in `year` (any when `None`).
    async fn honour_awards(&self, year: Option<i64>, page: PageRequest) -> StoreResult<Page<HonourAward>>;
    /// Recognised collectives of `year`, and the households and citizens who consented.
    async fn honour_titles(&self, year: i64, page: PageRequest) -> StoreResult<Page<HonourTitle>>;
    /// Records a household's or citizen's consent to be named in public (or its withdrawal).
    async fn set_public_consent(&self, subject_type: &str, id: i64, consent: bool, audit: AuditDraft) -> StoreResult<()>;
    /// A household's or citizen's consent.
    async fn public_consent(&self, subject_type: &str, id: i64) -> StoreResult<bool>;

    // --- e-mail ------------------------------------------------------------------------------
    /// Sets a user's e-mail address and whether they head their home unit.
    async fn set_user_contact(&self, user_id: i64, email: Option<&str>, unit_head: bool, audit: AuditDraft) -> StoreResult<()>;
    /// Queues the mails whose key is new (one transaction); returns how many were queued. The
    /// audit entry is written only when at least one was.
    async fn enqueue_mail(&self, mails: &[MailDraft], audit: AuditDraft) -> StoreResult<u64>;
    /// Claims up to `limit` mails due at `now_ms` for this process: each claimed mail's next
    /// attempt moves to `lease_until_ms` and its attempts count up, so no other process sends it
    /// meanwhile.
    async fn claim_mail(&self, now_ms: i64, lease_until_ms: i64, limit: i64) -> StoreResult<Vec<MailRecord>>;
    async fn finish_mail(&self, id: i64, at_ms: i64, outcome: &MailOutcome) -> StoreResult<()>;
    /// The outbox, newest first.
    async fn mail_outbox(&self, page: PageRequest) -> StoreResult<Page<MailRecord>>;

    async fn calendar_tables(&self) -> StoreResult<Vec<CalendarTableRecord>>;
    /// Inserts (`expected` = None) or replaces version `expected` of a year's table; returns the
    /// new version. A concurrent edit is `Stale`.
    async fn save_calendar_table(&self, year: i64, body: &str, expected: Option<i64>, audit: AuditDraft) -> StoreResult<i64>;
    // Commendation.
    async fn campaign_rows(&self) -> StoreResult<Vec<CampaignRow>>;
    async fn insert_campaign(&self, row: &CampaignRow, audit: Option<AuditDraft>) -> StoreResult<i64>;
    async fn update_campaign(&self, id: i64, expected_version: i64, body: &str, status: &str, audit: AuditDraft) -> StoreResult<()>;
    async fn extension(&self, campaign: i64, unit: i64) -> StoreResult<Option<String>>;
    async fn grant_extension(&self, campaign: i64, unit: i64, due_before: &str, reason: &str, audit: AuditDraft) -> StoreResult<()>;
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
    /// One step of the flow, all or nothing; returns the consolidation and decision it created.
    async fn transition(&self, t: &Transition, audit: Vec<AuditDraft>) -> StoreResult<(Option<i64>, Option<i64>)>;
    async fn batch_events(&self, batch: i64) -> StoreResult<Vec<EventRow>>;
    /// The steps of many dossiers, without their snapshots: (dossier, state reached, at ms), in order.
    async fn batch_steps_of(&self, batches: &[i64]) -> StoreResult<Vec<(i64, String, i64)>>;
    async fn batch_comments(&self, batch: i64) -> StoreResult<Vec<CommentRow>>;
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
    async fn criteria_sets(&self) -> StoreResult<Vec<CriteriaSetRecord>>;
    async fn criteria_set(&self, id: i64) -> StoreResult<Option<CriteriaSetRecord>>;
    async fn insert_criteria_set(&self, record: &CriteriaSetRecord, audit: Option<AuditDraft>) -> StoreResult<i64>;

    // --- imports (all rows in one transaction, one audit entry) ------------------------------
    async fn existing_household_codes(&self, codes: &[String]) -> StoreResult<Vec<String>>;
    async fn existing_person_codes(&self, codes: &[String]) -> StoreResult<Vec<String>>;
    /// household code → (id, unit id)
    async fn household_ids(&self, codes: &[String]) -> StoreResult<Vec<(String, i64, i64)>>;
    /// household id → code, for a chunk of ids.
    async fn household_codes(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>>;
    async fn import_units(&self, rows: &[UnitRow], audit: AuditDraft) -> StoreResult<ImportCounts>;
    /// Starts a bulk import: every batch goes into one transaction, committed with its audit
    /// entry, or rolled back when the handle is dropped.
    async fn begin_import(&self) -> StoreResult<Box<dyn ImportTx>>;

    // --- learning titles ---------------------------------------------------------------------
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
    /// Changes whenever any tally or unit count changes (for caches in every process).
    async fn tally_version(&self) -> StoreResult<i64>;
    async fn tallies(&self, year: i64) -> StoreResult<Vec<TallyRow>>;
    async fn unit_counts(&self) -> StoreResult<Vec<(i64, UnitCounts)>>;
    async fn duplicate_subjects(&self, scope: &Scope, title: &str, year: i64, limit: i64) -> StoreResult<Vec<DuplicateGroup>>;

    // --- users, sessions, tokens ---------------------------------------------------------
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>>;
    async fn user(&self, id: i64) -> StoreResult<Option<UserRecord>>;
    async fn users(&self) -> StoreResult<Vec<UserRecord>>;
    async fn create_user(
        &self,
        username: &str,
        full_name: &str,
        password_hash: &str,
        home_unit: i64,
        audit: AuditDraft,
    ) -> StoreResult<i64>;
    async fn set_password(&self, user_id: i64, password_hash: &str, audit: AuditDraft) -> StoreResult<()>;
    /// Activates or deactivates an account; deactivation also ends its sessions.
    async fn set_user_active(&self, user_id: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;
    async fn grants(&self, user_id: i64) -> StoreResult<Vec<GrantRecord>>;
    async fn add_grant(&self, user_id: i64, grant: &thidua_domain::access::Grant, audit: AuditDraft) -> StoreResult<i64>;
    /// The grants `delegator` has delegated (current and ended).
    async fn delegations_by(&self, delegator: i64) -> StoreResult<Vec<GrantRecord>>;
    async fn grant(&self, id: i64) -> StoreResult<Option<GrantRecord>>;
    /// Ends a delegated grant now; false if it is not a delegation or has ended already.
    async fn end_delegation(&self, id: i64, audit: AuditDraft) -> StoreResult<bool>;

    async fn create_session(&self, token_hash: &str, user_id: i64, csrf: &str, expires_at: OffsetDateTime) -> StoreResult<()>;
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn delete_user_sessions(&self, user_id: i64) -> StoreResult<()>;
    async fn purge_expired(&self, now: OffsetDateTime) -> StoreResult<u64>;

    async fn record_login_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()>;
    /// Failed sign-ins under `key` since `since`: how many, and when the last one was.
    async fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<(i64, Option<OffsetDateTime>)>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;

    async fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str, audit: AuditDraft) -> StoreResult<i64>;
    async fn api_token_user(&self, token_hash: &str) -> StoreResult<Option<i64>>;
    async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>>;
    async fn revoke_api_token(&self, user_id: i64, token_id: i64, audit: AuditDraft) -> StoreResult<bool>;

    // --- audit -------------------------------------------------------------------------------
    async fn audit_page(&self, scope: &Scope, filter: &AuditFilter, page: PageRequest) -> StoreResult<Page<AuditRecord>>;
    /// Entries with `seq` greater than `after`, in order, at most `limit`.
    async fn audit_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>>;
    /// Every stored file the database refers to (SHA-256 of dossier documents, decision scans,
    /// article photos, resource files), each once.
    async fn blob_references(&self) -> StoreResult<Vec<String>>;
    /// The chain's head as recorded in `audit_head`: (sequence number, hash) of the newest entry.
    async fn audit_head(&self) -> StoreResult<(i64, String)>;
    /// The audit chain's head: it moves in the same transaction as every write, so a value
    /// computed from the database stays true while this number does not change.
    async fn write_version(&self) -> StoreResult<i64>;
    async fn articles(&self, filter: &ArticleFilter, page: PageRequest) -> StoreResult<Page<ArticleRow>>;
    async fn article(&self, id: i64) -> StoreResult<Option<ArticleRow>>;
    /// Inserts (`version` 0) or updates at `version`; returns the id.
    async fn save_article(&self, row: &ArticleRow, audit: AuditDraft) -> StoreResult<i64>;
    async fn resources(&self, filter: &ResourceFilter, page: PageRequest) -> StoreResult<Page<ResourceRow>>;
    async fn resource(&self, id: i64) -> StoreResult<Option<ResourceRow>>;
    /// Inserts (`version` 0) or updates at `version`; returns the id.
    async fn save_resource(&self, row: &ResourceRow, audit: AuditDraft) -> StoreResult<i64>;
    async fn append_audit(&self, audit: AuditDraft) -> StoreResult<i64>;
}
