//! What the store keeps of commendation: campaigns, dossiers, nominees, documents, the flow's
//! events and comments, and decisions.

use serde::Serialize;

/// A proposer's open request that DOET extend its deadline for a campaign.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExtensionRequestRow {
    pub campaign_id: i64,
    pub unit_id: i64,
    pub reason: String,
    pub requested_by: String,
    pub requested_at_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignRow {
    pub id: i64,
    pub code: String,
    pub year: i64,
    /// TOML of `domain::commendation::campaign::Campaign`.
    pub body: String,
    pub status: String,
    pub origin: String,
    pub version: i64,
    pub created_at_ms: i64,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchRow {
    pub id: i64,
    pub campaign_id: i64,
    pub level: String,
    pub proposer_unit_id: i64,
    pub number: String,
    pub summary: String,
    pub state: thidua_domain::commendation::workflow::State,
    pub consolidation_id: Option<i64>,
    pub decision_id: Option<i64>,
    pub submitted_at_ms: Option<i64>,
    pub state_since_ms: i64,
    pub version: i64,
    pub created_at_ms: i64,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NomineeRow {
    pub id: i64,
    pub batch_id: i64,
    pub campaign_id: i64,
    pub kind: String,
    pub class: String,
    pub subject_type: String,
    pub subject_id: i64,
    pub unit_id: i64,
    pub name: String,
    pub birth_year: Option<i64>,
    pub position: String,
    pub achievement: String,
    pub cites_initiative: bool,
    pub outcome: thidua_domain::commendation::workflow::Outcome,
    pub outcome_reason: Option<String>,
    pub decision_id: Option<i64>,
    pub reward_vnd: Option<i64>,
    /// The certificate code of an awarded nominee.
    pub certificate: Option<String>,
    /// Where a nominee from outside the registry comes from (`subject_type` «external»).
    pub origin: Option<thidua_domain::commendation::Origin>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentRow {
    pub id: i64,
    pub batch_id: i64,
    pub nominee_id: Option<i64>,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub replaces_id: Option<i64>,
    pub current: bool,
    pub uploaded_at_ms: i64,
    pub uploaded_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub id: i64,
    pub batch_id: i64,
    pub step: String,
    pub from_state: String,
    pub to_state: String,
    pub actor: String,
    pub at_ms: i64,
    pub comment: String,
    /// JSON: the nominees and current documents as they stood at the step.
    pub snapshot: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommentRow {
    pub id: i64,
    pub batch_id: i64,
    pub event_id: i64,
    pub nominee_id: Option<i64>,
    pub document_id: Option<i64>,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsolidationRow {
    pub id: i64,
    pub campaign_id: i64,
    pub level: String,
    pub number: String,
    pub signed_on: time::Date,
    pub created_at_ms: i64,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AwardDecisionRow {
    pub id: i64,
    pub campaign_id: i64,
    /// The body whose head signed it: the proposer for its own Giấy khen, the city for the
    /// Chairman's decisions and for the central results the city records. Numbers are unique
    /// within one body's decisions.
    pub issuer_unit_id: i64,
    pub level: String,
    pub number: String,
    pub signed_on: time::Date,
    pub signer: String,
    pub signer_title: String,
    /// Recorded from the central level (state-level award).
    pub central: bool,
    pub scan_sha256: Option<String>,
    pub awarded: i64,
    pub reward_vnd: i64,
    pub created_at_ms: i64,
    pub created_by: String,
}

/// Nominees held against a quota.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QuotaCounts {
    pub collectives: i64,
    pub individuals: i64,
    pub households: i64,
}

/// A cap the store enforces in the same statement that adds to the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaCap {
    Separate { collectives: i64, individuals: i64 },
    Total { total: i64 },
    None,
}

/// Take (`add`) or give back (`!add`) quota for a proposer.
#[derive(Debug, Clone)]
pub struct QuotaChange {
    pub campaign_id: i64,
    pub level: String,
    pub proposer_unit_id: i64,
    pub counts: QuotaCounts,
    pub cap: QuotaCap,
    pub add: bool,
}

/// One dossier's move in a transition.
#[derive(Debug, Clone)]
pub struct BatchMove {
    pub batch_id: i64,
    pub expected_version: i64,
    pub step: String,
    pub from_state: String,
    pub to_state: String,
    pub comment: String,
    pub snapshot: String,
    /// (nominee, document, text) asked to fix.
    pub comments: Vec<(Option<i64>, Option<i64>, String)>,
    /// Set the dossier's consolidation to the one created in this transition.
    pub join_consolidation: bool,
    /// Set the dossier's decision to the one created in this transition.
    pub join_decision: bool,
    pub submitted: bool,
}

/// A subject held by one nominee for one campaign and award level: two proposers cannot both
/// propose it for the same award of the same campaign; the plan forbids nothing more (a subject
/// may be proposed for a state award and a City Bằng khen in one campaign).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub campaign_id: i64,
    pub level: String,
    pub subject_type: String,
    pub subject_id: i64,
    pub nominee_id: i64,
}

impl Claim {
    /// The claim a nominee of a dossier of `level` in `campaign_id` takes on submission.
    pub fn of(campaign_id: i64, level: &str, n: &NomineeRow) -> Claim {
        Claim { campaign_id, level: level.into(), subject_type: n.subject_type.clone(), subject_id: n.subject_id, nominee_id: n.id }
    }
}

/// Everything one step changes, done in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Transition {
    pub moves: Vec<BatchMove>,
    pub quota: Vec<QuotaChange>,
    /// Subjects to claim for their campaign and award level.
    pub claim: Vec<Claim>,
    /// Nominees whose claims are released.
    pub release: Vec<i64>,
    /// (nominee, outcome, reason, reward) to set; the decision created here is linked to them.
    pub outcomes: Vec<(i64, String, Option<String>, Option<i64>)>,
    pub new_consolidation: Option<ConsolidationRow>,
    pub new_decision: Option<AwardDecisionRow>,
    pub actor: String,
    pub at_ms: i64,
}

/// A subject's award: the nominee, its decision and campaign.
#[derive(Debug, Clone, Serialize)]
pub struct AwardHistoryRow {
    pub nominee: NomineeRow,
    pub decision: AwardDecisionRow,
    pub campaign_code: String,
}

/// What the proposer writes about a nominee.
#[derive(Debug, Clone, Default)]
pub struct NomineeEdit {
    pub position: String,
    pub achievement: String,
    pub cites_initiative: bool,
}
