//! The storage port of data subjects' requests (issue 18 §2), implemented directly by
//! `thidua_storage::SqlStore`.

use super::*;
use time::Date;

/// Where a state of a request is in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    /// Registered, maybe acknowledged, not yet answered.
    Open,
    /// Done as asked (or, for deletion, as far as the law allows: the outcome says what stays).
    Done,
    /// Refused, with the reason in the outcome.
    Refused,
}

/// How a request reached the ward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestChannel {
    /// Filed in person at the ward's one-stop desk.
    Desk,
    /// Sent in writing (letter, the public service portal's form).
    Writing,
    /// By e-mail.
    Email,
}

coded!(RequestState {
    Open => "open", "Đang giải quyết";
    Done => "done", "Đã giải quyết";
    Refused => "refused", "Từ chối";
});
coded!(RequestChannel {
    Desk => "desk", "Trực tiếp tại bộ phận một cửa";
    Writing => "writing", "Bằng văn bản";
    Email => "email", "Thư điện tử";
});

/// A request as registered: whose data, what was asked, when it was received, and the two time
/// limits computed then on the working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRequestDraft {
    pub person_id: i64,
    /// The person's unit when the request was registered: whose officers handle it.
    pub unit_id: i64,
    /// A kind of `privacy/requests.toml` (`access`, `correction`, …).
    pub kind: String,
    pub channel: RequestChannel,
    pub received_on: Date,
    pub detail: String,
    pub acknowledge_by: Date,
    pub done_by: Date,
    pub registered_by: String,
}

/// A registered request and where its handling is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRequestRecord {
    pub id: i64,
    pub version: i64,
    pub draft: SubjectRequestDraft,
    pub acknowledged_on: Option<Date>,
    pub state: RequestState,
    pub outcome: Option<String>,
    pub closed_on: Option<Date>,
}

/// Filters of the register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectRequestFilter {
    pub open_only: bool,
    pub person_id: Option<i64>,
}

/// One erasure on a deletion request, written in one transaction with its audit entry: the
/// person's record anonymised, the personal values of earlier audit entries blanked, the request
/// closed. A stale version of the person or of the request writes nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Erasure {
    pub request_id: i64,
    pub request_version: i64,
    pub person_id: i64,
    pub person_version: i64,
    /// The person's record as it stays: no name, birth year, gender or position.
    pub anonymous: PersonInput,
    /// The household headed by the person, whose head's name and birth data go with theirs.
    pub headed_household: Option<i64>,
    /// (seq, redacted old, redacted new) of each `Digest`-sealed entry to blank.
    pub payloads: Vec<(i64, Option<String>, Option<String>)>,
    /// The audit entries about the person were read up to this sequence number, under these
    /// (entity, entity_id) keys: one written since makes the erasure stale, so that nothing
    /// about the person is left unblanked by a write that came in between.
    pub seen_up_to: i64,
    pub keys: Vec<(String, String)>,
    pub outcome: String,
    pub closed_on: Date,
}

/// The register of data subjects' requests.
#[async_trait]
pub trait SubjectRequestStore: Send + Sync {
    /// Registers a request; the audit entry's `entity_id` becomes the new request's id.
    async fn register_request(&self, draft: &SubjectRequestDraft, audit: AuditDraft) -> StoreResult<i64>;
    async fn subject_request(&self, id: i64) -> StoreResult<Option<SubjectRequestRecord>>;
    /// Requests of persons in the scope, the earliest time limit first among open ones, then the
    /// newest closed ones.
    async fn subject_requests(
        &self,
        scope: &Scope,
        filter: &SubjectRequestFilter,
        page: PageRequest,
    ) -> StoreResult<Page<SubjectRequestRecord>>;
    /// Records that the request's receipt was confirmed to the person on `on`.
    async fn acknowledge_request(&self, id: i64, expected_version: i64, on: Date, audit: AuditDraft) -> StoreResult<()>;
    /// Closes an open request as done or refused with its outcome.
    async fn close_request(
        &self,
        id: i64,
        expected_version: i64,
        state: RequestState,
        outcome: &str,
        on: Date,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    /// Carries out an erasure (see [`Erasure`]) and closes its request as done.
    async fn erase_person(&self, erasure: &Erasure, audit: AuditDraft) -> StoreResult<()>;
}

/// A breach as recorded, and its notification once sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachDraft {
    pub unit_id: i64,
    pub discovered_at_ms: i64,
    pub notify_by_ms: i64,
    pub description: String,
    /// Codes of `privacy/breaches.toml`.
    pub categories: Vec<String>,
    /// The account the breach went through, and the window of its reads that counts.
    pub suspect: Option<(String, i64, i64)>,
    pub affected: Option<ReadFootprint>,
    pub affected_note: String,
    pub consequences: String,
    pub measures: String,
    pub contact: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachRecord {
    pub id: i64,
    pub version: i64,
    pub draft: BreachDraft,
    pub notified: Option<(i64, String)>,
}

/// What one account read in a window, from the read log: the distinct citizens and households
/// whose records it opened, and the rows of the lists and exports it was shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadFootprint {
    pub people: i64,
    pub households: i64,
    pub list_rows: i64,
}

/// The register of breaches.
#[async_trait]
pub trait BreachStore: Send + Sync {
    /// Records a breach; the audit entry's `entity_id` becomes its id.
    async fn record_breach(&self, draft: &BreachDraft, audit: AuditDraft) -> StoreResult<i64>;
    async fn breach(&self, id: i64) -> StoreResult<Option<BreachRecord>>;
    /// Not yet notified first, by their time limit; then the newest.
    async fn breaches(&self, page: PageRequest) -> StoreResult<Page<BreachRecord>>;
    async fn mark_notified(&self, id: i64, expected_version: i64, at_ms: i64, by: &str, audit: AuditDraft) -> StoreResult<()>;
    /// What user `user_id` read from `from_ms` to `to_ms` (inclusive).
    async fn read_footprint(&self, user_id: i64, from_ms: i64, to_ms: i64) -> StoreResult<ReadFootprint>;
}

/// One scan of the retention job for one purpose, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepRecord {
    pub id: i64,
    pub version: i64,
    pub purpose: String,
    pub what: thidua_domain::processing::SweepWhat,
    pub cutoff: thidua_domain::processing::Cutoff,
    pub due: i64,
    pub scanned_at_ms: i64,
    /// `listed` (waiting for an administrator), `applied`, or `superseded` by a later scan.
    pub state: String,
    pub applied: Option<(String, i64, i64)>,
}

/// The retention job's records.
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// How many records the cutoff selects now.
    async fn sweep_due(&self, what: thidua_domain::processing::SweepWhat, cutoff: thidua_domain::processing::Cutoff) -> StoreResult<i64>;
    /// Stores a scan, superseding the purpose's listed scans before it.
    async fn record_sweep(
        &self,
        purpose: &str,
        what: thidua_domain::processing::SweepWhat,
        cutoff: thidua_domain::processing::Cutoff,
        due: i64,
        audit: AuditDraft,
    ) -> StoreResult<i64>;
    async fn sweeps(&self, page: PageRequest) -> StoreResult<Page<SweepRecord>>;
    async fn sweep(&self, id: i64) -> StoreResult<Option<SweepRecord>>;
    /// Removes what a listed scan's cutoff selects, in one transaction with its audit entry;
    /// returns how many records went.
    async fn apply_sweep(&self, id: i64, expected_version: i64, by: &str, audit: AuditDraft) -> StoreResult<i64>;
}
