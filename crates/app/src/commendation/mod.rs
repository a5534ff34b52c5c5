//! Commendation use cases: campaigns, a proposer's dossier (tờ trình) with its nominees and
//! documents, eligibility from the title registry, the quota held at submission, and the flow
//! DOET → DOHA → council → Chairman. Rules come from `thidua_domain::commendation`; every write
//! goes through one store call with its audit entry.

mod campaigns;
pub mod documents;
mod dossier;
mod due;
pub(crate) use due::working_days_left;
mod flow;
mod legal_bases;
pub use legal_bases::{DecreeInput, LegalBasesView};
mod record;
pub mod records;

use crate::error::{AppError, AppResult, StorageError};
use crate::ports::*;
use crate::{Actor, App};
use serde_json::json;
use std::collections::HashMap;
use std::sync::OnceLock;
use thidua_domain::access::{Action, Role};
use thidua_domain::commendation::awards::Awards;
use thidua_domain::commendation::campaign::{Campaign, Campaigns, QuotaFor};
use thidua_domain::commendation::eligibility::{self, DocKind, Facts, Finding, Rules};
use thidua_domain::commendation::quota::{Counts, ProposerKind, Shape};
use thidua_domain::commendation::workflow::{self, Outcome, Route, State, Step};
use thidua_domain::commendation::{Class, NomineeKind};
use thidua_domain::dates;
use thidua_domain::titles::Subject;
use time::Date;

/// Largest dossier file accepted.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

fn shipped<T>(cell: &'static OnceLock<Result<T, String>>, load: fn() -> Result<T, String>) -> AppResult<&'static T> {
    cell.get_or_init(load).as_ref().map_err(|e| AppError::Invalid(e.clone()))
}

/// The award levels (shipped data).
pub fn awards() -> AppResult<&'static Awards> {
    static CELL: OnceLock<Result<Awards, String>> = OnceLock::new();
    shipped(&CELL, Awards::shipped)
}

/// The decrees detailing the Law, by their dates in force, as shipped; `App::decrees` adds
/// those DOHA recorded.
pub fn decrees() -> AppResult<&'static [thidua_domain::commendation::bases::Decree]> {
    static CELL: OnceLock<Result<Vec<thidua_domain::commendation::bases::Decree>, String>> = OnceLock::new();
    shipped(&CELL, thidua_domain::commendation::bases::decrees).map(Vec::as_slice)
}

/// The transitional rules of Decree 152/2025 Art. 60 (shipped data).
pub fn transitions() -> AppResult<&'static thidua_domain::commendation::transition::Transitions> {
    static CELL: OnceLock<Result<thidua_domain::commendation::transition::Transitions, String>> = OnceLock::new();
    shipped(&CELL, thidua_domain::commendation::transition::shipped)
}

/// The day the city sent a dossier upward (its last «Đề nghị cấp trên khen thưởng» step), if it did.
fn sent_upward_on(events: &[EventRow]) -> Option<Date> {
    let code = Step::ProposeUpward.code();
    events.iter().filter(|e| e.step == code).map(|e| e.at_ms).max().and_then(dates::date_in_hanoi)
}

/// The city's duties with a state-level award's dossier (shipped data).
pub fn procedure() -> AppResult<&'static thidua_domain::commendation::procedure::Procedure> {
    static CELL: OnceLock<Result<thidua_domain::commendation::procedure::Procedure, String>> = OnceLock::new();
    shipped(&CELL, thidua_domain::commendation::procedure::Procedure::shipped)
}

/// The day a state-level dossier's time limit at the city starts: the last time DOET sent it
/// on to DOHA, when DOHA then found it complete (Art. 35(3) «kể từ ngày nhận đủ hồ sơ»; thidua
/// knows the sending day, not the receipt). With whether the `by` step followed it.
fn city_clock(events: &[EventRow], after: &str, by: &str) -> Option<(Date, bool)> {
    let start = events.iter().filter(|e| e.step == after).max_by_key(|e| e.id)?;
    let later = |code: &str| events.iter().any(|e| e.id > start.id && e.step == code);
    if !later(Step::DohaAccept.code()) {
        return None;
    }
    Some((dates::date_in_hanoi(start.at_ms)?, later(by)))
}

/// Who sends dossiers of city and state awards to DOET (shipped data).
pub fn proposers() -> AppResult<&'static thidua_domain::commendation::proposers::Proposers> {
    static CELL: OnceLock<Result<thidua_domain::commendation::proposers::Proposers, String>> = OnceLock::new();
    shipped(&CELL, thidua_domain::commendation::proposers::Proposers::shipped)
}

/// The rule under which `unit` sends dossiers of the awards the city decides or proposes upward
/// to DOET on `on` (seed III.5.1), or why it cannot, naming the unit that proposes for it.
pub fn city_proposer(
    snap: &crate::registry::TreeSnapshot,
    unit: &UnitRecord,
    on: Date,
) -> AppResult<&'static thidua_domain::commendation::proposers::Rule> {
    let table = proposers()?;
    let under_city = |u: &UnitRecord| u.parent_id.and_then(|p| snap.units.get(&p)).is_some_and(|p| p.parent_id.is_none());
    if let Some(r) = table.rule(unit.kind, under_city(unit), on) {
        return Ok(r);
    }
    let mut above = unit.parent_id;
    while let Some(u) = above.and_then(|id| snap.units.get(&id)) {
        if let Some(r) = table.rule(u.kind, under_city(u), on) {
            return Err(AppError::Invalid(format!(
                "«{}» không trực tiếp gửi hồ sơ đề nghị khen thưởng cấp Thành phố về Sở GD&ĐT: hồ sơ của đơn vị do «{}» lập và đề nghị ({}). Giấy khen thì thủ trưởng đơn vị quyết định theo thẩm quyền.",
                unit.name, u.name, r.basis
            )));
        }
        above = u.parent_id;
    }
    Err(AppError::Invalid(format!(
        "«{}» không thuộc các đơn vị gửi hồ sơ đề nghị khen thưởng cấp Thành phố về Sở GD&ĐT vào ngày {} (Kế hoạch, mục III.5.1; các quận, huyện, thị xã đề nghị đến 30/6/2025).",
        unit.name,
        dates::format_dmy(on)
    )))
}

/// DOET's allocation as typed on the campaign page.
#[derive(Debug, Clone, Default)]
pub struct AllocationInput {
    pub level: String,
    /// A unit code, or `*` for each ward and commune without its own.
    pub unit: String,
    pub total: String,
    pub collectives: String,
    pub individuals: String,
    pub basis: String,
}

/// Why a ward or commune after the reform cannot submit: DOET has allocated it no number for
/// the campaign's level (issue 13 §3).
pub(crate) fn not_allocated(proposer: &str, campaign: &CampaignView) -> String {
    format!(
        "«{proposer}» chưa được Sở GD&ĐT phân bổ số lượng đề nghị cho hình thức này trong đợt «{}»: Kế hoạch giao «không quá 04» cho mỗi quận, huyện, thị xã, không cho từng xã, phường sau ngày 01/7/2025. Đề nghị Sở GD&ĐT phân bổ trên trang đợt khen thưởng.",
        campaign.campaign.name
    )
}

/// The eligibility rules (shipped data).
pub fn rules() -> AppResult<&'static Rules> {
    static CELL: OnceLock<Result<Rules, String>> = OnceLock::new();
    shipped(&CELL, Rules::shipped)
}

/// How the dossiers of `level` travel in `campaign`.
pub fn route_of(level: &str, campaign: &Campaign) -> AppResult<Route> {
    let award = awards()?.get(level).ok_or_else(|| AppError::Invalid(format!("Hình thức khen thưởng «{level}» không có.")))?;
    Ok(campaign.route(award))
}

/// A stored campaign with its rules read.
#[derive(Debug, Clone)]
pub struct CampaignView {
    pub row: CampaignRow,
    pub campaign: Campaign,
}

/// A nominee as the dossier page shows it.
#[derive(Debug, Clone)]
pub struct NomineeView {
    pub row: NomineeRow,
    pub findings: Vec<Finding>,
    /// The titles in force on the campaign's reference day, with the decisions they rest on.
    pub rests_on: Vec<String>,
    pub documents: Vec<DocumentRow>,
    pub comments: Vec<CommentRow>,
    /// Reward if awarded at this level (đồng), when the level carries one for the class.
    pub reward_vnd: Option<i64>,
}

/// Where the dossier stands against its level's deadline.
#[derive(Debug, Clone)]
pub struct DeadlineView {
    /// «trước ngày»: the proposer's dossier reaches DOET before this day; `None` when the plan
    /// sets none for the level (a Giấy khen) or it waits for the conference date (`pending`).
    pub due_before: Option<Date>,
    pub extension: Option<Date>,
    /// Working days from today until the last day allowed (0 when due today or late).
    pub working_days_left: u32,
    pub late: bool,
    /// The decision is due before this day (the bodies' own review of a Giấy khen; the
    /// Chairman's before the conference).
    pub decided_before: Option<Date>,
    /// The seed line or the campaign's text the deadline rests on.
    pub basis: String,
    /// What the deadline still waits for, in words.
    pub pending: Option<String>,
}

/// One award level's deadlines in a campaign, in words, for the campaign pages.
#[derive(Debug, Clone)]
pub struct LevelDeadlineLine {
    pub level: String,
    pub level_name: String,
    pub route: Route,
    pub due: thidua_domain::commendation::campaign::LevelDue,
}

/// Each level's deadlines of `campaign` on `calendar`.
pub fn deadline_lines(campaign: &Campaign, calendar: &thidua_domain::calendar::Calendar) -> AppResult<Vec<LevelDeadlineLine>> {
    let awards = awards()?;
    campaign
        .levels
        .iter()
        .map(|level| {
            let award = awards.get(level).ok_or_else(|| AppError::Invalid(format!("Hình thức khen thưởng «{level}» không có.")))?;
            let route = campaign.route(award);
            Ok(LevelDeadlineLine { level: level.clone(), level_name: award.name.clone(), route, due: campaign.due(level, route, calendar) })
        })
        .collect()
}

/// The quota of the dossier's proposer at its level.
#[derive(Debug, Clone)]
pub struct QuotaView {
    pub shape: Shape,
    pub used: Counts,
    /// Text of what is left, e.g. «còn 3 tập thể và 1 cá nhân».
    pub remaining: String,
    pub basis: String,
}

/// Everything the dossier page needs.
#[derive(Debug, Clone)]
pub struct BatchView {
    pub batch: BatchRow,
    pub state: State,
    pub campaign: CampaignView,
    pub proposer: UnitRecord,
    pub level_name: String,
    /// How the dossier travels: its own head decides, the City Chairman, or the central level.
    pub route: Route,
    /// The day the nominees' learning titles are judged on.
    pub reference_day: Date,
    pub nominees: Vec<NomineeView>,
    pub dropped: Vec<NomineeRow>,
    pub batch_documents: Vec<DocumentRow>,
    pub batch_findings: Vec<Finding>,
    pub earlier_documents: Vec<DocumentRow>,
    pub events: Vec<EventRow>,
    pub comments: Vec<CommentRow>,
    pub quota: Option<QuotaView>,
    pub deadline: DeadlineView,
    pub steps: Vec<Step>,
    pub can_edit: bool,
    pub reward_total_vnd: i64,
    /// Why the reward takes a former decree's coefficients (Decree 152/2025 Art. 60(3)), if it does.
    pub reward_rule: Option<String>,
    /// A state-level dossier DOHA found complete: the city's time limit to submit it upward
    /// (Decree 152/2025 Art. 35(3)); `late` only while it is not yet submitted.
    pub city_due: Option<thidua_domain::commendation::procedure::Due>,
    /// What the city publishes before its council meets on an order's nominees (Art. 44(2)).
    pub publication: Option<String>,
}

/// A new dossier.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub campaign_id: i64,
    pub level: String,
    pub proposer_unit: i64,
    pub number: String,
    pub summary: String,
}

/// A nominee to add, found in the registry by its code.
#[derive(Debug, Clone)]
pub struct NewNominee {
    /// unit | household | person | clan, or «external» for one not in the registry
    pub subject_type: String,
    /// The registry code (unused for an external nominee).
    pub code: String,
    pub position: String,
    pub achievement: String,
    pub cites_initiative: bool,
    /// The facts of a nominee from outside the registry (`subject_type` «external»).
    pub external: Option<ExternalNominee>,
}

/// A nominee from outside the registry: in the city but not registered, from outside the city,
/// a Vietnamese abroad or a foreigner (seed III.1, III.2.3.b), with what the dossier needs.
#[derive(Debug, Clone)]
pub struct ExternalNominee {
    pub name: String,
    /// An individual or a collective.
    pub collective: bool,
    pub birth_year: Option<i64>,
    pub origin: thidua_domain::commendation::Origin,
}

/// A step with what the appraiser writes.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub comment: String,
    /// (nominee, document, what to fix)
    pub comments: Vec<(Option<i64>, Option<i64>, String)>,
    /// (nominee, reason) taken out of the flow.
    pub drops: Vec<(i64, String)>,
}

/// DOET's consolidated submission to DOHA.
#[derive(Debug, Clone)]
pub struct ForwardInput {
    pub campaign_id: i64,
    pub level: String,
    /// (dossier, version seen)
    pub batches: Vec<(i64, i64)>,
    pub number: String,
    pub signed_on: Date,
}

/// The Chairman's decision, or the central level's result for a state-level award.
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub campaign_id: i64,
    pub level: String,
    pub batches: Vec<(i64, i64)>,
    pub number: String,
    pub signed_on: Date,
    pub signer: String,
    pub signer_title: String,
    /// (nominee, reason) left out of the decision.
    pub refused: Vec<(i64, String)>,
}

/// A proposing body's own head's decision on its dossier (Giấy khen, seed III.3.2.c).
#[derive(Debug, Clone)]
pub struct OwnDecisionInput {
    pub batch_id: i64,
    /// The dossier's version the officer saw.
    pub version: i64,
    pub number: String,
    pub signed_on: Date,
    pub signer: String,
    pub signer_title: String,
    /// (nominee, reason) left out of the decision.
    pub refused: Vec<(i64, String)>,
}

/// DOET's consolidated submission: its dossiers, each with its proposer and live nominees.
#[derive(Debug, Clone)]
pub struct ConsolidationView {
    pub row: ConsolidationRow,
    pub campaign: CampaignView,
    pub level_name: String,
    pub groups: Vec<(BatchRow, UnitRecord, Vec<NomineeRow>)>,
}

/// Something the user must do before a deadline.
#[derive(Debug, Clone)]
pub struct DueItem {
    pub what: String,
    pub campaign: String,
    pub unit: String,
    /// The unit whose task it is: its head hears of it once it is overdue.
    pub unit_id: i64,
    /// «trước ngày»
    pub due_before: Date,
    /// Working days left until the last day allowed; 0 or less once late.
    pub working_days_left: i64,
    pub urgency: thidua_domain::commendation::reminders::Urgency,
    pub link: String,
}

/// A subject an officer may mean by what they typed: its code and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub code: String,
    pub label: String,
}

/// What a typed code or name resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Code(String),
    Choose { candidates: Vec<Candidate>, more: bool },
    NotFound,
}

/// Something waiting for the actor's office, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub what: String,
    pub count: usize,
    pub link: String,
}

/// What a printed certificate (Bằng khen, Giấy khen) says.
#[derive(Debug, Clone)]
pub struct AwardCertificate {
    pub code: String,
    pub nominee: NomineeRow,
    pub decision: AwardDecisionRow,
    pub level_name: String,
    pub issuer: String,
    pub campaign: String,
}

/// What the public verification page shows of an award: no person's or household's name.
#[derive(Debug, Clone)]
pub struct PublicAward {
    pub code: String,
    pub level_name: String,
    pub issuer: String,
    pub decision_number: String,
    pub signed_on: String,
    pub class: String,
    /// Only a collective (a unit, a village, a clan) is named in public.
    pub collective_name: Option<String>,
}

/// A dossier in an appraiser's queue.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub batch: BatchRow,
    pub proposer: String,
    pub campaign: String,
    pub level_name: String,
    pub nominees: usize,
    pub waiting_days: i64,
    pub steps: Vec<Step>,
}

fn subject_of(subject_type: &str, kind: NomineeKind) -> Option<Subject> {
    Some(match (subject_type, kind) {
        ("person", _) => Subject::Citizen,
        ("household", _) => Subject::Household,
        ("clan", _) => Subject::Clan,
        ("unit", NomineeKind::Commune) => Subject::Commune,
        ("unit", NomineeKind::District) => Subject::District,
        ("unit", NomineeKind::Village) => Subject::Village,
        ("unit", NomineeKind::Unit) => Subject::Unit,
        _ => return None,
    })
}

fn class_of(n: &NomineeRow) -> Class {
    match n.class.as_str() {
        "individual" => Class::Individual,
        "household" => Class::Household,
        _ => Class::Collective,
    }
}

fn counts(nominees: &[&NomineeRow]) -> QuotaCounts {
    let c = Counts::of(nominees.iter().map(|n| class_of(n)));
    QuotaCounts { collectives: i64::from(c.collectives), individuals: i64::from(c.individuals), households: i64::from(c.households) }
}

fn to_counts(q: QuotaCounts) -> Counts {
    let u = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
    Counts { collectives: u(q.collectives), individuals: u(q.individuals), households: u(q.households) }
}

fn cap_of(shape: Option<Shape>) -> QuotaCap {
    match shape {
        Some(Shape::Separate { collectives, individuals }) => {
            QuotaCap::Separate { collectives: i64::from(collectives), individuals: i64::from(individuals) }
        }
        Some(Shape::Total { total }) => QuotaCap::Total { total: i64::from(total) },
        None => QuotaCap::None,
    }
}

fn clean(s: &str) -> String {
    thidua_domain::text::clean(s)
}

impl App {
    /// The audit entry of a commendation write (what is new; nothing is overwritten).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn audit_new(
        &self,
        actor: &Actor,
        via: &crate::Authorized,
        action: &str,
        entity: &str,
        id: impl ToString,
        unit: i64,
        new: serde_json::Value,
    ) -> AuditDraft {
        self.draft(actor, via, action, entity, id, Some(unit), None, Some(new))
    }
}

fn subject_label(t: &str) -> &'static str {
    match t {
        "person" => "công dân",
        "household" => "hộ gia đình",
        "clan" => "dòng họ",
        _ => "đơn vị",
    }
}

fn unit_name(snap: &crate::registry::TreeSnapshot, id: i64) -> String {
    snap.units.get(&id).map(|u| u.name.clone()).unwrap_or_default()
}

/// A guard's refusal in words.
fn refusal(e: StorageError, quota: Option<Shape>) -> AppError {
    match e {
        StorageError::Refused(what) if what == "quota" => AppError::Conflict(format!(
            "Vượt chỉ tiêu của đợt: {}. Hồ sơ khác của đơn vị vừa được gửi; hãy bớt đối tượng.",
            quota.map(|q| q.describe()).unwrap_or_default()
        )),
        StorageError::Refused(what) if what.starts_with("claim:") => AppError::Conflict(
            "Một đối tượng trong danh sách vừa được đơn vị khác đề nghị cùng hình thức khen thưởng trong cùng đợt.".into(),
        ),
        other => other.into(),
    }
}

/// The subject a nominee row points to, for the registry's scope checks.
pub fn nominee_subject(n: &NomineeRow) -> Option<Subject> {
    subject_of(&n.subject_type, NomineeKind::parse(&n.kind)?)
}
