//! The ports the use cases need: storage and the clock. Storage adapters implement [`Store`]
//! for SQLite and PostgreSQL; tests and the binary choose which.

use crate::error::StorageError;
use async_trait::async_trait;
use serde::Serialize;
use thidua_domain::access::{Grant, ScopeRoot};
use thidua_domain::import::{HouseholdRow, PersonRow, UnitRow};
use thidua_domain::registry::{Gender, NodeKind};
use thidua_domain::titles::Subject;
pub use thidua_domain::tree::{EarlierParent, Succession};
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
    /// The units that took it over when it ended, whole or in part.
    pub successors: Vec<Succession>,
    /// The parents it had before `parent_id`, each up to a last day.
    pub earlier_parents: Vec<EarlierParent>,
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
    pub successors: Vec<Succession>,
}

/// A household as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdRecord {
    pub id: i64,
    pub code: String,
    pub unit_id: i64,
    pub head_name: String,
    /// As imported (the household form does not set them).
    pub head_birth_year: Option<i64>,
    pub head_gender: Option<Gender>,
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
    /// The ward or commune whose villages and residential groups hold the records.
    pub ward_id: i64,
    pub subjects: Vec<SubjectRef>,
    /// Those assessed for the title in the year asked about.
    pub assessed: Vec<i64>,
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
    /// Only a full session opens anything; the others wait for the sign-in's second step.
    pub stage: SessionStage,
}

/// An API token's public description (never the token itself).
#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenRecord {
    pub id: i64,
    pub name: String,
    pub created_at_ms: i64,
    pub revoked: bool,
    /// May send writes (POST, PUT); otherwise it only reads.
    pub can_write: bool,
    /// The unit whose subtree it is limited to; none, the whole of its user's scope.
    pub area: Option<i64>,
    /// When it ends; none for a token made before tokens ended.
    pub expires_at_ms: Option<i64>,
}

/// What an API token may do, where, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub user_id: i64,
    pub can_write: bool,
    pub area: Option<i64>,
    pub expires_at: Option<OffsetDateTime>,
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

impl AuditDraft {
    /// The entry's content as the chain hashes it, numbered `seq`, with `old` and `new` the
    /// digests of the stored text of their JSON (`Sealing::Digest`): what the store hashes when
    /// it appends, and what verification recomputes.
    pub fn content<'a>(&'a self, seq: i64, old: Option<&'a str>, new: Option<&'a str>) -> thidua_domain::audit::AuditContent<'a> {
        thidua_domain::audit::AuditContent {
            seq,
            at_ms: self.at_ms,
            actor: &self.actor,
            on_behalf_of: self.on_behalf_of.as_deref(),
            action: &self.action,
            entity: &self.entity,
            entity_id: &self.entity_id,
            old,
            new,
        }
    }
}

pub use crate::commendation::records::*;

/// An enum stored as a code, with its Vietnamese label: `ALL`, `code`, `label`, `parse`.
macro_rules! coded {
    ($t:ident { $($v:ident => $code:literal, $label:literal;)+ }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$($t::$v),+];
            pub fn code(self) -> &'static str {
                match self { $($t::$v => $code),+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($t::$v => $label),+ }
            }
            pub fn parse(s: &str) -> Option<$t> {
                match s { $($code => Some($t::$v),)+ _ => None }
            }
        }
    };
}

mod audit;
mod auth;
mod calendar;
mod commendation;
mod mail;
mod privacy;
mod publications;
mod registry;
mod reports;
mod titles;
pub use audit::{AuditStore, BackupStore, BulkTable, OpsStore, ReadChannel, ReadDraft, ReadFilter, ReadLogStore, ReadRecord, ReadWhat};
pub use auth::{AuthStore, DeviceSeen, SecondFactorRecord, SessionDraft, SessionInfo, SessionStage};
pub use calendar::CalendarStore;
pub use commendation::{AwardStore, CampaignStore, DossierStore, LegalBasisStore, WorkflowStore};
pub use mail::MailStore;
pub use privacy::{
    BreachDraft, BreachRecord, BreachStore, Erasure, ReadFootprint, RequestChannel, RequestState, RetentionStore, SubjectRequestDraft,
    SubjectRequestFilter, SubjectRequestRecord, SubjectRequestStore, SweepRecord,
};
pub use publications::PublicationStore;
pub use registry::{ClanStore, DifficultAreaRow, ImportStore, MemberRow, PeopleStore, PeopleWhom, UnitFactsStore, UnitMove, UnitStore};
pub use reports::{HonourStore, ReportStore};
pub use titles::{CriteriaStore, TitlesStore};
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
#[derive(Debug, Clone)]
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
    /// How the payloads entered the hash, and the digests a `Digest`-sealed entry hashed.
    pub sealing: thidua_domain::audit::Sealing,
    pub old_digest: Option<String>,
    pub new_digest: Option<String>,
    /// The data subject's request whose erasure blanked this entry's personal values.
    pub erased_by: Option<i64>,
}

impl AuditRecord {
    /// The entry's content as its hash covers it.
    pub fn content(&self) -> thidua_domain::audit::AuditContent<'_> {
        let [old, new] = self.payloads();
        thidua_domain::audit::AuditContent {
            seq: self.seq,
            at_ms: self.at_ms,
            actor: &self.actor,
            on_behalf_of: self.on_behalf_of.as_deref(),
            action: &self.action,
            entity: &self.entity,
            entity_id: &self.entity_id,
            old: old.sealed(self.sealing),
            new: new.sealed(self.sealing),
        }
    }

    /// The two payloads as stored.
    pub fn payloads(&self) -> [thidua_domain::audit::StoredPayload<'_>; 2] {
        [
            thidua_domain::audit::StoredPayload { text: self.old.as_deref(), digest: self.old_digest.as_deref() },
            thidua_domain::audit::StoredPayload { text: self.new.as_deref(), digest: self.new_digest.as_deref() },
        ]
    }
}

/// Filters of the audit list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
}

/// Where a page of a long list starts (keyset paging, issue 19): after or before the sort key of
/// a row a page showed, or at the end of the list. The key is opaque outside storage, which
/// refuses one it did not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    After(String),
    Before(String),
    Last,
}

/// Rows a list skips by page number at most: deeper pages are reached by [`At`], never by
/// `OFFSET` over millions of rows.
pub const MAX_OFFSET: i64 = 10_000;

/// Rows a filtered list counts at most; beyond, its total reads "more than" this.
pub const COUNT_CAP: i64 = 10_000;

/// Which slice of a list to return and how to sort it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
    /// Keyset position; when given, `page` is not used to skip rows.
    pub at: Option<At>,
}

impl PageRequest {
    pub fn new(page: i64, per_page: i64) -> Self {
        PageRequest { page: page.max(1), per_page: per_page.clamp(1, 500), at: None }
    }

    /// A page of `per_page` rows from a keyset position.
    pub fn at(at: Option<At>, per_page: i64) -> Self {
        PageRequest { at, ..PageRequest::new(1, per_page) }
    }

    pub fn offset(&self) -> i64 {
        // A page far beyond the data is an empty page, never an overflow.
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// Everything, for exports.
    pub fn all() -> Self {
        PageRequest { page: 1, per_page: i64::MAX / 4, at: None }
    }
}

/// One page of a list and the total count.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// `total` is a lower bound: the list has more rows than were counted ([`COUNT_CAP`]).
    pub at_least: bool,
    /// Keyset positions of the next and previous pages, for lists paged by key.
    pub next: Option<At>,
    pub prev: Option<At>,
}

impl<T> Page<T> {
    /// A page of a list paged by number, with its exact total.
    pub fn new(items: Vec<T>, total: i64, req: &PageRequest) -> Self {
        Page { items, total, page: req.page, per_page: req.per_page, at_least: false, next: None, prev: None }
    }

    /// The same page with its items made into something else (a view of each row).
    pub fn with_items<U>(&self, items: Vec<U>) -> Page<U> {
        Page {
            items,
            total: self.total,
            page: self.page,
            per_page: self.per_page,
            at_least: self.at_least,
            next: self.next.clone(),
            prev: self.prev.clone(),
        }
    }

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

/// One bulk import in progress (one database transaction). A row the database refuses fails the
/// batch it is in, at the latest the commit; either way nothing of the import is written.
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

/// `Store` is every area's port; anything that implements them all is one.
macro_rules! store_of_ports {
    ($(#[$doc:meta])* $($port:ident),+ $(,)?) => {
        $(#[$doc])*
        pub trait Store: $($port +)+ Send + Sync {}

        impl<T: $($port +)+ Send + Sync> Store for T {}
    };
}

store_of_ports!(
    /// The storage port: every area's port, implemented together by one store. Use cases call
    /// the area's methods; a fake for a unit test implements only the areas its use case needs.
    OpsStore,
    UnitStore,
    UnitFactsStore,
    PeopleStore,
    ClanStore,
    ImportStore,
    ReportStore,
    HonourStore,
    MailStore,
    CalendarStore,
    CampaignStore,
    DossierStore,
    WorkflowStore,
    AwardStore,
    LegalBasisStore,
    CriteriaStore,
    TitlesStore,
    AuthStore,
    AuditStore,
    ReadLogStore,
    SubjectRequestStore,
    BreachStore,
    RetentionStore,
    BackupStore,
    PublicationStore,
);
