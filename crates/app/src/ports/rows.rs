//! Rows and ports of the e-mail outbox, the yearly reports and the public honour roll.

use async_trait::async_trait;
use serde::Serialize;

/// An e-mail to queue: sent once per `dedupe_key`, however often the planner runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailDraft {
    pub dedupe_key: String,
    /// `reminder`, `overdue`, `escalation`.
    pub kind: String,
    pub user_id: Option<i64>,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A queued e-mail and where its delivery stands.
#[derive(Debug, Clone, Serialize)]
pub struct MailRecord {
    pub id: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at_ms: i64,
    pub attempts: i64,
    pub next_attempt_at_ms: i64,
    pub sent_at_ms: Option<i64>,
    pub gave_up_at_ms: Option<i64>,
    pub last_error: Option<String>,
}

/// What became of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    Sent,
    /// Try again at `next_at_ms`.
    Retry {
        error: String,
        next_at_ms: i64,
    },
    /// The last attempt failed: keep the mail with its error, send no more.
    GaveUp {
        error: String,
    },
}

/// Sends one e-mail (SMTP in production). An error is the server's answer, in words.
#[async_trait]
pub trait MailSender: Send + Sync {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String>;
}

/// A unit's yearly implementation report as stored.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ReportRow {
    pub id: i64,
    pub unit_id: i64,
    pub year: i64,
    pub state: thidua_domain::reports::ReportState,
    pub version: i64,
    /// JSON of the figures drawn from the registry, frozen at the last submission.
    pub figures: String,
    /// JSON of the figures the unit typed.
    pub activities: String,
    pub results: String,
    pub limits: String,
    pub lessons: String,
    pub proposals: String,
    pub first_submitted_at_ms: Option<i64>,
    pub submitted_at_ms: Option<i64>,
    pub approved_at_ms: Option<i64>,
    pub approved_by: Option<String>,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

/// A step of a report's flow.
#[derive(Debug, Clone, Serialize)]
pub struct ReportEventRow {
    pub id: i64,
    pub report_id: i64,
    pub step: String,
    pub from_state: String,
    pub to_state: String,
    pub actor: String,
    pub at_ms: i64,
    pub comment: String,
}

/// Awarded nominees of one proposing unit and award level in a year (by the decision's date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardCount {
    pub proposer_unit_id: i64,
    pub level: String,
    pub awarded: i64,
    /// Of which citing a recognised initiative.
    pub with_initiative: i64,
}

/// A decided award as the public honour roll lists it: the name only when the subject is a
/// collective or consented.
#[derive(Debug, Clone, Serialize)]
pub struct HonourAward {
    pub nominee_id: i64,
    /// unit | household | person | clan
    pub subject_type: String,
    /// `None`: a household or citizen who did not consent to be named.
    pub name: Option<String>,
    /// Where the subject belongs (village, ward or the unit itself).
    pub unit_id: i64,
    pub level: String,
    pub decision_number: String,
    pub signed_on: time::Date,
}

/// A recognised learning title on the public honour roll (collectives, and households and
/// citizens who consented).
#[derive(Debug, Clone, Serialize)]
pub struct HonourTitle {
    pub title: String,
    pub level: i64,
    pub subject_type: String,
    pub subject_id: i64,
    /// The clan's, household head's or citizen's name; units are named from the tree.
    pub name: Option<String>,
    pub unit_id: i64,
    pub decision_number: String,
    pub signed_on: time::Date,
    pub issuing_body: String,
}
