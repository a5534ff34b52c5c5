//! Commendation use cases: campaigns, a proposer's dossier (tờ trình) with its nominees and
//! documents, eligibility from the title registry, the quota held at submission, and the flow
//! DOET → DOHA → council → Chairman. Rules come from `thidua_domain::commendation`; every write
//! goes through one store call with its audit entry.

pub mod records;

use crate::error::{AppError, AppResult, StorageError};
use crate::ports::*;
use crate::{Actor, App};
use serde_json::json;
use std::collections::HashMap;
use std::sync::OnceLock;
use thidua_domain::access::{Action, Role};
use thidua_domain::commendation::awards::Awards;
use thidua_domain::commendation::campaign::{Campaign, Campaigns};
use thidua_domain::commendation::eligibility::{self, DocKind, Facts, Finding, Rules};
use thidua_domain::commendation::quota::{Counts, ProposerKind, Shape};
use thidua_domain::commendation::workflow::{self, Outcome, State, Step};
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

/// The eligibility rules (shipped data).
pub fn rules() -> AppResult<&'static Rules> {
    static CELL: OnceLock<Result<Rules, String>> = OnceLock::new();
    shipped(&CELL, Rules::shipped)
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
    pub documents: Vec<DocumentRow>,
    pub comments: Vec<CommentRow>,
    /// Reward if awarded at this level (đồng), when the level carries one for the class.
    pub reward_vnd: Option<i64>,
}

/// Where the dossier stands against its deadline.
#[derive(Debug, Clone)]
pub struct DeadlineView {
    /// «trước ngày»
    pub due_before: Date,
    pub extension: Option<Date>,
    /// Working days from today until the last day allowed (0 when due today or late).
    pub working_days_left: u32,
    pub late: bool,
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
    pub state_level: bool,
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
    /// unit | household | person | clan
    pub subject_type: String,
    pub code: String,
    pub position: String,
    pub achievement: String,
    pub cites_initiative: bool,
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
    /// «trước ngày»
    pub due_before: Date,
    /// Working days left until the last day allowed; 0 or less once late.
    pub working_days_left: i64,
    pub urgency: thidua_domain::commendation::reminders::Urgency,
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

fn state_of(b: &BatchRow) -> AppResult<State> {
    State::parse(&b.state).ok_or_else(|| AppError::Storage(StorageError::Corrupt(format!("trạng thái hồ sơ «{}»", b.state))))
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
    fn audit_new(
        &self,
        actor: &Actor,
        via: Option<String>,
        action: &str,
        entity: &str,
        id: impl ToString,
        unit: i64,
        new: serde_json::Value,
    ) -> AuditDraft {
        self.draft(actor, via, action, entity, id, Some(unit), None, Some(new))
    }

    /// Stores the plan's campaigns that are not stored yet (the reviews and every yearly round).
    pub async fn sync_shipped_campaigns(&self) -> AppResult<usize> {
        let shipped = Campaigns::shipped().map_err(AppError::Invalid)?;
        let stored: Vec<String> = self.store.campaign_rows().await?.into_iter().map(|c| c.code).collect();
        let mut added = 0;
        for c in shipped.all() {
            if stored.contains(&c.code) {
                continue;
            }
            let row = CampaignRow {
                id: 0,
                code: c.code.clone(),
                year: i64::from(c.year),
                body: c.to_toml(),
                status: "open".into(),
                origin: "shipped".into(),
                version: 1,
                created_at_ms: self.now_ms(),
                created_by: "thidua".into(),
            };
            match self.store.insert_campaign(&row, None).await {
                Ok(_) => added += 1,
                Err(StorageError::Unique(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(added)
    }

    fn campaign_view(row: CampaignRow) -> AppResult<CampaignView> {
        let campaign = Campaign::from_toml(&row.body).map_err(|e| AppError::Invalid(format!("đợt {}: {e}", row.code)))?;
        Ok(CampaignView { row, campaign })
    }

    pub async fn campaigns(&self, actor: &Actor) -> AppResult<Vec<CampaignView>> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        self.store.campaign_rows().await?.into_iter().map(App::campaign_view).collect()
    }

    pub async fn campaign(&self, actor: &Actor, id: i64) -> AppResult<CampaignView> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        let row = self.store.campaign_rows().await?.into_iter().find(|c| c.id == id).ok_or(AppError::NotFound)?;
        App::campaign_view(row)
    }

    /// An officer's campaign (a review conference, or a round the plan does not list).
    pub async fn create_campaign(&self, actor: &Actor, mut c: Campaign) -> AppResult<i64> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCampaigns, root).await?;
        c.name = clean(&c.name);
        c.basis = clean(&c.basis);
        c.code = thidua_domain::text::fold(&clean(&c.code)).replace(' ', "-");
        if c.code.is_empty() || c.name.is_empty() || c.basis.is_empty() {
            return Err(AppError::Invalid("Hãy ghi mã, tên và căn cứ (văn bản phát động) của đợt.".into()));
        }
        if c.levels.is_empty() || c.levels.iter().any(|l| awards().ok().and_then(|a| a.get(l)).is_none()) {
            return Err(AppError::Invalid("Hãy chọn ít nhất một hình thức khen thưởng có trong danh mục.".into()));
        }
        if c.doet_due_before < c.unit_due_before {
            return Err(AppError::Invalid("Hạn Sở GD&ĐT gửi Sở Nội vụ phải sau hạn các đơn vị gửi Sở GD&ĐT.".into()));
        }
        // The stored form must read back as it was written.
        let body = c.to_toml();
        Campaign::from_toml(&body).map_err(AppError::Invalid)?;
        let row = CampaignRow {
            id: 0,
            code: c.code.clone(),
            year: i64::from(c.year),
            body,
            status: "open".into(),
            origin: "officer".into(),
            version: 1,
            created_at_ms: self.now_ms(),
            created_by: actor.username.clone(),
        };
        let draft =
            self.audit_new(actor, via, "campaign.create", "campaign", 0, root, json!({"code": c.code, "name": c.name, "year": c.year}));
        Ok(self.store.insert_campaign(&row, Some(draft)).await?)
    }

    /// Opens or closes a campaign to new dossiers.
    pub async fn set_campaign_status(&self, actor: &Actor, id: i64, expected_version: i64, open: bool) -> AppResult<()> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCampaigns, root).await?;
        let view = self.campaign(actor, id).await?;
        let status = if open { "open" } else { "closed" };
        let draft = self.audit_new(actor, via, "campaign.status", "campaign", id, root, json!({"status": status}));
        Ok(self.store.update_campaign(id, expected_version, &view.row.body, status, draft).await?)
    }

    /// Sets the date of the review conference (the Chairman decides 30 working days before it).
    pub async fn set_conference(&self, actor: &Actor, id: i64, expected_version: i64, conference: Option<Date>) -> AppResult<()> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCampaigns, root).await?;
        let mut view = self.campaign(actor, id).await?;
        view.campaign.conference = conference;
        let draft = self.audit_new(
            actor,
            via,
            "campaign.conference",
            "campaign",
            id,
            root,
            json!({"conference": conference.map(dates::format_dmy)}),
        );
        Ok(self.store.update_campaign(id, expected_version, &view.campaign.to_toml(), &view.row.status, draft).await?)
    }

    /// DOET extends a unit's deadline for a campaign.
    pub async fn grant_extension(&self, actor: &Actor, campaign_id: i64, unit: i64, due_before: Date, reason: &str) -> AppResult<()> {
        let via = self.authorize(actor, Action::AppraiseDoet, unit).await?;
        let reason = clean(reason);
        if reason.is_empty() {
            return Err(AppError::Invalid("Hãy ghi lý do gia hạn.".into()));
        }
        let view = self.campaign(actor, campaign_id).await?;
        if due_before <= view.campaign.unit_due_before {
            return Err(AppError::Invalid(format!("Hạn mới phải sau hạn của đợt ({}).", dates::format_dmy(view.campaign.unit_due_before))));
        }
        let draft = self.audit_new(
            actor,
            via,
            "campaign.extension",
            "campaign",
            campaign_id,
            unit,
            json!({"unit": unit, "due_before": dates::format_dmy(due_before), "reason": reason}),
        );
        Ok(self.store.grant_extension(campaign_id, unit, &dates::format_dmy(due_before), &reason, draft).await?)
    }

    /// A proposer opens a dossier for a campaign and award level.
    pub async fn create_batch(&self, actor: &Actor, input: NewBatch) -> AppResult<i64> {
        let via = self.authorize(actor, Action::Nominate, input.proposer_unit).await?;
        let snap = self.snapshot().await?;
        let unit = snap.units.get(&input.proposer_unit).ok_or(AppError::NotFound)?;
        if ProposerKind::of_node(unit.kind).is_none() {
            return Err(AppError::Invalid(format!(
                "«{}» không phải cơ quan, tổ chức hay xã, phường: hồ sơ do đơn vị quản lý đề nghị (Luật Thi đua, khen thưởng 2022, Điều 83).",
                unit.name
            )));
        }
        let view = self.campaign(actor, input.campaign_id).await?;
        if view.row.status != "open" {
            return Err(AppError::Invalid("Đợt khen thưởng đã đóng.".into()));
        }
        if !view.campaign.levels.contains(&input.level) {
            return Err(AppError::Invalid("Đợt này không có hình thức khen thưởng đã chọn.".into()));
        }
        let (number, summary) = (clean(&input.number), clean(&input.summary));
        if number.is_empty() {
            return Err(AppError::Invalid("Hãy ghi số tờ trình (ví dụ 45/TTr-UBND).".into()));
        }
        let level_name = awards()?.get(&input.level).map(|a| a.name.clone()).unwrap_or_default();
        let summary = if summary.is_empty() { format!("Đề nghị tặng {level_name} — {}", view.campaign.name) } else { summary };
        let now = self.now_ms();
        let row = BatchRow {
            id: 0,
            campaign_id: input.campaign_id,
            level: input.level.clone(),
            proposer_unit_id: input.proposer_unit,
            number,
            summary,
            state: State::Draft.code().into(),
            consolidation_id: None,
            decision_id: None,
            submitted_at_ms: None,
            state_since_ms: now,
            version: 1,
            created_at_ms: now,
            created_by: actor.username.clone(),
        };
        let draft = self.audit_new(
            actor,
            via,
            "batch.create",
            "nomination_batch",
            0,
            input.proposer_unit,
            json!({"campaign": view.row.code, "level": input.level, "number": row.number}),
        );
        Ok(self.store.create_batch(&row, draft).await?)
    }

    /// The dossier, for anyone who may read its proposer's records.
    async fn readable_batch(&self, actor: &Actor, id: i64) -> AppResult<BatchRow> {
        let b = self.store.batch(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, b.proposer_unit_id).await?;
        Ok(b)
    }

    /// The facts of each live nominee, for the eligibility rules.
    async fn facts(&self, batch: &BatchRow, nominees: &[NomineeRow], docs: &[DocumentRow]) -> AppResult<Vec<Facts>> {
        let rules = rules()?;
        let subjects: Vec<(String, i64)> = nominees.iter().map(|n| (n.subject_type.clone(), n.subject_id)).collect();
        let names: Vec<String> = nominees.iter().map(|n| thidua_domain::text::fold(&n.name)).collect();
        let others: Vec<NomineeRow> = self
            .store
            .campaign_nominees(batch.campaign_id, &subjects, &names)
            .await?
            .into_iter()
            .filter(|o| o.batch_id != batch.id)
            .collect();
        // (proposer name, whether that dossier has been submitted) of each other dossier.
        let mut proposer_of: HashMap<i64, (String, bool)> = HashMap::new();
        let snap = self.snapshot().await?;
        for o in &others {
            if let std::collections::hash_map::Entry::Vacant(e) = proposer_of.entry(o.batch_id)
                && let Some(b) = self.store.batch(o.batch_id).await?
            {
                let submitted = State::parse(&b.state).is_some_and(|s| s.holds_quota());
                e.insert((snap.units.get(&b.proposer_unit_id).map(|u| u.name.clone()).unwrap_or_default(), submitted));
            }
        }
        let who = |batch: i64| proposer_of.get(&batch).cloned().unwrap_or_default();
        let mut out = Vec::new();
        for n in nominees {
            let kind = NomineeKind::parse(&n.kind);
            let mut titles = Vec::new();
            if let Some(rule) = kind.and_then(|k| rules.rule(k)) {
                for t in &rule.titles {
                    for a in self.store.subject_assessments(t, n.subject_id).await? {
                        if a.decision_id.is_some() && a.input.passed && a.input.stage == "verified" {
                            titles.push((t.clone(), i32::try_from(a.input.year).unwrap_or(0)));
                        }
                    }
                }
            }
            let same = |o: &&NomineeRow| o.subject_type == n.subject_type && o.subject_id == n.subject_id;
            // Submitted elsewhere blocks; still in another draft only warns (first to submit wins).
            let nominated_elsewhere = others.iter().filter(same).filter(|o| who(o.batch_id).1).map(|o| who(o.batch_id).0).collect();
            let folded = thidua_domain::text::fold(&n.name);
            let mut look_alikes: Vec<String> = others
                .iter()
                .filter(|o| !same(o) && o.subject_type == n.subject_type && thidua_domain::text::fold(&o.name) == folded)
                .filter(|o| o.birth_year.is_none() || n.birth_year.is_none() || o.birth_year == n.birth_year)
                .map(|o| {
                    let year = o.birth_year.map(|y| format!(" ({y})")).unwrap_or_default();
                    format!("{}{year}, {}", o.name, who(o.batch_id).0)
                })
                .collect();
            look_alikes.extend(
                others
                    .iter()
                    .filter(same)
                    .filter(|o| !who(o.batch_id).1)
                    .map(|o| format!("{} — đang có trong hồ sơ chưa gửi của {}", o.name, who(o.batch_id).0)),
            );
            let documents =
                docs.iter().filter(|d| d.current && d.nominee_id == Some(n.id)).filter_map(|d| DocKind::parse(&d.kind)).collect();
            let same_award_before = self
                .store
                .award_history(&n.subject_type, n.subject_id)
                .await?
                .into_iter()
                .filter(|h| h.decision.level == batch.level)
                .map(|h| (dates::parse_dmy(&h.decision.signed_on).map(|d| d.year()).unwrap_or(0), h.decision.number))
                .collect();
            out.push(Facts {
                kind,
                titles,
                nominated_elsewhere,
                look_alikes,
                documents,
                cites_initiative: n.cites_initiative,
                same_award_before,
            });
        }
        Ok(out)
    }

    async fn deadline(&self, batch: &BatchRow, campaign: &Campaign) -> AppResult<DeadlineView> {
        let extension = self.store.extension(batch.campaign_id, batch.proposer_unit_id).await?.and_then(|s| dates::parse_dmy(&s).ok());
        let today = self.today();
        let due = extension.map_or(campaign.unit_due_before, |e| e.max(campaign.unit_due_before));
        let late = !Campaign::on_time(today, campaign.unit_due_before, extension);
        let calendar = self.calendar().await?;
        let last_day = due.previous_day().unwrap_or(due);
        let left = if late { 0 } else { calendar.working_days_between(today, last_day) };
        Ok(DeadlineView { due_before: campaign.unit_due_before, extension, working_days_left: left, late })
    }

    fn roles_for(&self, actor: &Actor, unit: i64, snap: &crate::registry::TreeSnapshot) -> Vec<Role> {
        let now = self.clock.now();
        actor
            .grants
            .iter()
            .filter(|g| g.active_at(now) && (g.scope == unit || (g.include_descendants && snap.tree.covers(g.scope, unit))))
            .map(|g| g.role)
            .collect()
    }

    /// The dossier page: nominees with their findings, documents, history, quota and deadline.
    pub async fn batch_view(&self, actor: &Actor, id: i64) -> AppResult<BatchView> {
        let batch = self.readable_batch(actor, id).await?;
        let state = state_of(&batch)?;
        let campaign = self.campaign(actor, batch.campaign_id).await?;
        let snap = self.snapshot().await?;
        let proposer = snap.units.get(&batch.proposer_unit_id).cloned().ok_or(AppError::NotFound)?;
        let award = awards()?.get(&batch.level).cloned();
        let all = self.store.nominees(id).await?;
        let (live, dropped): (Vec<NomineeRow>, Vec<NomineeRow>) = all.into_iter().partition(|n| n.outcome != Outcome::Dropped.code());
        let docs = self.store.documents(id).await?;
        let comments = self.store.batch_comments(id).await?;
        let facts = self.facts(&batch, &live, &docs).await?;
        let rules = rules()?;
        let on = self.today();
        let mut nominees = Vec::new();
        for (row, f) in live.into_iter().zip(facts) {
            let reward_vnd = awards()?.reward(&batch.level, class_of(&row), on).map(|a| a.vnd);
            nominees.push(NomineeView {
                findings: rules.check(campaign.campaign.year, &f),
                documents: docs.iter().filter(|d| d.current && d.nominee_id == Some(row.id)).cloned().collect(),
                comments: comments.iter().filter(|c| c.nominee_id == Some(row.id)).cloned().collect(),
                reward_vnd,
                row,
            });
        }
        let batch_documents: Vec<DocumentRow> = docs.iter().filter(|d| d.current && d.nominee_id.is_none()).cloned().collect();
        let present: Vec<DocKind> = batch_documents.iter().filter_map(|d| DocKind::parse(&d.kind)).collect();
        let batch_findings = rules.batch_findings(&present);
        let kind = ProposerKind::of_node(proposer.kind);
        let quota = match kind.and_then(|k| campaign.campaign.quota(&batch.level, k)) {
            Some(q) => {
                let used = to_counts(self.store.quota_used(batch.campaign_id, &batch.level, batch.proposer_unit_id).await?);
                Some(QuotaView { shape: q.shape, used, remaining: q.shape.remaining(used).describe(), basis: q.basis.clone() })
            }
            None => None,
        };
        let deadline = self.deadline(&batch, &campaign.campaign).await?;
        let state_level = award.as_ref().is_some_and(|a| a.state_level);
        let roles = self.roles_for(actor, batch.proposer_unit_id, &snap);
        let steps = workflow::available(state, state_level, &roles);
        let can_edit = state.editable_by_proposer() && self.can(actor, Action::Nominate, batch.proposer_unit_id).await;
        let reward_total_vnd = nominees.iter().filter_map(|n| n.reward_vnd).sum();
        Ok(BatchView {
            events: self.store.batch_events(id).await?,
            earlier_documents: docs.iter().filter(|d| !d.current).cloned().collect(),
            level_name: award.map(|a| a.name).unwrap_or_else(|| batch.level.clone()),
            batch,
            state,
            campaign,
            proposer,
            state_level,
            nominees,
            dropped,
            batch_documents,
            batch_findings,
            comments,
            quota,
            deadline,
            steps,
            can_edit,
            reward_total_vnd,
        })
    }

    /// The dossier, if the actor may still change it as its proposer.
    async fn editable_batch(&self, actor: &Actor, id: i64) -> AppResult<(BatchRow, Option<String>)> {
        let b = self.store.batch(id).await?.ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::Nominate, b.proposer_unit_id).await?;
        if !state_of(&b)?.editable_by_proposer() {
            return Err(AppError::Invalid(format!("Hồ sơ đang ở bước «{}»: không sửa được.", state_of(&b)?.label_vi())));
        }
        Ok((b, via))
    }

    /// Adds a nominee from the registry: a unit, household, citizen or clan of the proposer's
    /// own subtree.
    pub async fn add_nominee(&self, actor: &Actor, batch_id: i64, expected_version: i64, input: NewNominee) -> AppResult<i64> {
        let (batch, via) = self.editable_batch(actor, batch_id).await?;
        let snap = self.snapshot().await?;
        let code = clean(&input.code);
        let (kind, subject_id, unit_id, name, birth_year, default_position) = match input.subject_type.as_str() {
            "unit" => {
                let id = *snap.by_code.get(&code).ok_or_else(|| AppError::Invalid(format!("Không có đơn vị mã «{code}».")))?;
                let u = snap.units.get(&id).ok_or(AppError::NotFound)?;
                let kind =
                    NomineeKind::of_node(u.kind).ok_or_else(|| AppError::Invalid(format!("«{}» không thuộc diện khen thưởng.", u.name)))?;
                (kind, id, id, u.name.clone(), None, String::new())
            }
            "person" | "household" | "clan" => {
                let subject = match input.subject_type.as_str() {
                    "person" => Subject::Citizen,
                    "household" => Subject::Household,
                    _ => Subject::Clan,
                };
                let found = self.store.subjects_by_code(subject, std::slice::from_ref(&code)).await?;
                let s = found
                    .into_iter()
                    .next()
                    .ok_or_else(|| AppError::Invalid(format!("Không có {} mã «{code}».", subject_label(&input.subject_type))))?;
                let (kind, birth, position) = match subject {
                    Subject::Citizen => {
                        let p = self.store.person(s.id).await?.ok_or(AppError::NotFound)?;
                        (NomineeKind::Individual, p.birth_year, p.position.unwrap_or_default())
                    }
                    Subject::Household => (NomineeKind::Household, None, String::new()),
                    _ => (NomineeKind::Clan, None, String::new()),
                };
                (kind, s.id, s.unit_id, s.name, birth, position)
            }
            other => return Err(AppError::Invalid(format!("Loại đối tượng «{other}» không có (unit, household, person, clan)."))),
        };
        // Only the proposer's own subtree: the same scope rule as every record.
        if !(unit_id == batch.proposer_unit_id || snap.tree.covers(batch.proposer_unit_id, unit_id)) {
            return Err(AppError::Invalid(format!(
                "«{name}» không thuộc {}: mỗi đơn vị chỉ đề nghị đối tượng do mình quản lý.",
                unit_name(&snap, batch.proposer_unit_id)
            )));
        }
        if self
            .store
            .nominees(batch_id)
            .await?
            .iter()
            .any(|n| n.outcome != "dropped" && n.subject_type == input.subject_type && n.subject_id == subject_id)
        {
            return Err(AppError::Invalid(format!("«{name}» đã có trong danh sách.")));
        }
        let position = if input.position.trim().is_empty() { default_position } else { clean(&input.position) };
        let row = NomineeRow {
            id: 0,
            batch_id,
            campaign_id: batch.campaign_id,
            kind: kind.code().into(),
            class: kind.class().code().into(),
            subject_type: input.subject_type.clone(),
            subject_id,
            unit_id,
            name: name.clone(),
            birth_year,
            position,
            achievement: thidua_domain::text::clean_multiline(&input.achievement),
            cites_initiative: input.cites_initiative,
            outcome: Outcome::Proposed.code().into(),
            outcome_reason: None,
            decision_id: None,
            reward_vnd: None,
            certificate: None,
        };
        let draft = self.audit_new(
            actor,
            via,
            "nominee.add",
            "nominee",
            0,
            batch.proposer_unit_id,
            json!({"batch": batch_id, "subject_type": input.subject_type, "code": code, "name": name}),
        );
        Ok(self.store.add_nominee(batch_id, expected_version, &row, draft).await?)
    }

    /// Changes what the proposer writes about a nominee.
    pub async fn update_nominee(
        &self,
        actor: &Actor,
        batch_id: i64,
        expected_version: i64,
        nominee: i64,
        edit: NomineeEdit,
    ) -> AppResult<()> {
        let (batch, via) = self.editable_batch(actor, batch_id).await?;
        let edit =
            NomineeEdit { position: clean(&edit.position), achievement: thidua_domain::text::clean_multiline(&edit.achievement), ..edit };
        let draft = self.audit_new(
            actor,
            via,
            "nominee.update",
            "nominee",
            nominee,
            batch.proposer_unit_id,
            json!({"batch": batch_id, "achievement_chars": edit.achievement.chars().count(), "cites_initiative": edit.cites_initiative}),
        );
        Ok(self.store.update_nominee(batch_id, expected_version, nominee, &edit, draft).await?)
    }

    pub async fn remove_nominee(&self, actor: &Actor, batch_id: i64, expected_version: i64, nominee: i64) -> AppResult<()> {
        let (batch, via) = self.editable_batch(actor, batch_id).await?;
        let draft = self.audit_new(actor, via, "nominee.remove", "nominee", nominee, batch.proposer_unit_id, json!({"batch": batch_id}));
        Ok(self.store.remove_nominee(batch_id, expected_version, nominee, draft).await?)
    }

    /// Uploads a dossier file (PDF, DOCX, XLSX, JPEG, PNG, judged by content), stored under its
    /// SHA-256; the earlier version of the same document is kept.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_document(
        &self,
        actor: &Actor,
        batch_id: i64,
        expected_version: i64,
        nominee: Option<i64>,
        kind: DocKind,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<i64> {
        let (batch, via) = self.editable_batch(actor, batch_id).await?;
        if bytes.is_empty() {
            return Err(AppError::Invalid("Tệp rỗng.".into()));
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(AppError::Invalid(format!("Tệp lớn hơn {} MB.", MAX_DOCUMENT_BYTES / (1024 * 1024))));
        }
        let ty = thidua_domain::files::sniff(bytes).ok_or_else(|| {
            AppError::Invalid("Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG (kiểm tra theo nội dung tệp).".into())
        })?;
        if let Some(n) = nominee
            && !self.store.nominees(batch_id).await?.iter().any(|x| x.id == n && x.outcome != "dropped")
        {
            return Err(AppError::NotFound);
        }
        let blobs = self.blobs.as_ref().ok_or_else(|| AppError::Invalid("Chưa cấu hình nơi lưu tệp hồ sơ.".into()))?;
        let sha = blobs.put(bytes).await?;
        let name = clean(file_name);
        let name = if name.is_empty() { format!("tai-lieu.{}", ty.extension()) } else { name };
        let row = DocumentRow {
            id: 0,
            batch_id,
            nominee_id: nominee,
            kind: kind.code().into(),
            file_name: name.clone(),
            content_type: ty.mime().into(),
            size: bytes.len() as i64,
            sha256: sha.clone(),
            replaces_id: None,
            current: true,
            uploaded_at_ms: self.now_ms(),
            uploaded_by: actor.username.clone(),
        };
        let draft = self.audit_new(
            actor,
            via,
            "document.upload",
            "dossier_document",
            0,
            batch.proposer_unit_id,
            json!({"batch": batch_id, "nominee": nominee, "kind": kind.code(), "file": name, "sha256": sha}),
        );
        Ok(self.store.add_document(batch_id, expected_version, &row, draft).await?)
    }

    /// A stored file, for whoever may read its dossier.
    pub async fn document_bytes(&self, actor: &Actor, id: i64) -> AppResult<(DocumentRow, Vec<u8>)> {
        let doc = self.store.document(id).await?.ok_or(AppError::NotFound)?;
        self.readable_batch(actor, doc.batch_id).await?;
        let blobs = self.blobs.as_ref().ok_or(AppError::NotFound)?;
        let bytes = blobs.get(&doc.sha256).await?.ok_or(AppError::NotFound)?;
        Ok((doc, bytes))
    }

    fn snapshot_json(nominees: &[NomineeRow], docs: &[DocumentRow]) -> String {
        json!({
            "nominees": nominees.iter().map(|n| json!({"id": n.id, "name": n.name, "kind": n.kind, "outcome": n.outcome, "achievement": n.achievement, "position": n.position})).collect::<Vec<_>>(),
            "documents": docs.iter().filter(|d| d.current).map(|d| json!({"id": d.id, "nominee": d.nominee_id, "kind": d.kind, "file": d.file_name, "sha256": d.sha256})).collect::<Vec<_>>(),
        })
        .to_string()
    }

    /// One step on one dossier: submit, withdraw, DOET's return or acceptance, DOHA's return or
    /// acceptance, the council's recommendation.
    pub async fn take_step(&self, actor: &Actor, batch_id: i64, expected_version: i64, step: Step, input: StepInput) -> AppResult<()> {
        if matches!(step, Step::Forward | Step::Decide | Step::ProposeUpward | Step::RecordCentral) {
            return Err(AppError::Invalid("Bước này thực hiện trên nhiều hồ sơ cùng lúc (tổng hợp, quyết định).".into()));
        }
        let batch = self.store.batch(batch_id).await?.ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, step.action(), batch.proposer_unit_id).await?;
        let from = state_of(&batch)?;
        let state_level = awards()?.get(&batch.level).is_some_and(|a| a.state_level);
        let to = workflow::next(from, step, state_level).map_err(AppError::Invalid)?;
        let comment = thidua_domain::text::clean_multiline(&input.comment);
        if step.needs_comment() && comment.is_empty() && input.comments.iter().all(|c| c.2.trim().is_empty()) {
            return Err(AppError::Invalid(format!("«{}» cần ghi lý do hoặc nội dung cần sửa.", step.label_vi())));
        }
        let nominees = self.store.nominees(batch_id).await?;
        let docs = self.store.documents(batch_id).await?;
        let live: Vec<&NomineeRow> = nominees.iter().filter(|n| n.outcome != "dropped").collect();
        let mut t = Transition { actor: actor.username.clone(), at_ms: self.now_ms(), ..Transition::default() };
        let campaign = self.campaign(actor, batch.campaign_id).await?;
        let snap = self.snapshot().await?;
        let proposer = snap.units.get(&batch.proposer_unit_id).cloned().ok_or(AppError::NotFound)?;
        let quota = ProposerKind::of_node(proposer.kind).and_then(|k| campaign.campaign.quota(&batch.level, k)).map(|q| q.shape);
        let quota_change = |nominees: &[&NomineeRow], add: bool| QuotaChange {
            campaign_id: batch.campaign_id,
            level: batch.level.clone(),
            proposer_unit_id: batch.proposer_unit_id,
            counts: counts(nominees),
            cap: cap_of(quota),
            add,
        };
        match step {
            Step::Submit => {
                if live.is_empty() {
                    return Err(AppError::Invalid("Danh sách đề nghị chưa có ai.".into()));
                }
                let deadline = self.deadline(&batch, &campaign.campaign).await?;
                if deadline.late {
                    return Err(AppError::Invalid(format!(
                        "Đã quá hạn gửi hồ sơ (trước ngày {}{}). Sở GD&ĐT có thể gia hạn cho đơn vị.",
                        dates::format_dmy(deadline.due_before),
                        deadline.extension.map(|e| format!(", gia hạn đến trước ngày {}", dates::format_dmy(e))).unwrap_or_default()
                    )));
                }
                let live_rows: Vec<NomineeRow> = live.iter().map(|n| (*n).clone()).collect();
                let facts = self.facts(&batch, &live_rows, &docs).await?;
                let rules = rules()?;
                let mut problems = Vec::new();
                for (n, f) in live.iter().zip(facts) {
                    for finding in
                        rules.check(campaign.campaign.year, &f).into_iter().filter(|x| x.severity == eligibility::Severity::Block)
                    {
                        problems.push(format!("{}: {}", n.name, finding.message));
                    }
                }
                let present: Vec<DocKind> =
                    docs.iter().filter(|d| d.current && d.nominee_id.is_none()).filter_map(|d| DocKind::parse(&d.kind)).collect();
                problems.extend(rules.batch_findings(&present).into_iter().map(|f| format!("Hồ sơ: {}", f.message)));
                if !problems.is_empty() {
                    return Err(AppError::Invalid(format!("Chưa gửi được hồ sơ:\n{}", problems.join("\n"))));
                }
                t.quota.push(quota_change(&live, true));
                t.claim = live.iter().map(|n| (batch.campaign_id, n.subject_type.clone(), n.subject_id, n.id)).collect();
            }
            Step::Withdraw | Step::DoetReturn if from.holds_quota() => {
                t.quota.push(quota_change(&live, false));
                t.release = live.iter().map(|n| n.id).collect();
            }
            _ => {}
        }
        if !input.drops.is_empty() {
            if !matches!(step, Step::DoetAccept | Step::DohaAccept) {
                return Err(AppError::Invalid("Chỉ bỏ đối tượng khi thẩm định đạt hồ sơ.".into()));
            }
            let mut dropped = Vec::new();
            for (id, reason) in &input.drops {
                let n = live.iter().find(|n| n.id == *id).ok_or(AppError::NotFound)?;
                let reason = clean(reason);
                if reason.is_empty() {
                    return Err(AppError::Invalid(format!("Hãy ghi lý do không trình «{}».", n.name)));
                }
                t.outcomes.push((*id, Outcome::Dropped.code().into(), Some(reason), None));
                dropped.push(*n);
            }
            if dropped.len() == live.len() {
                return Err(AppError::Invalid("Không thể bỏ mọi đối tượng: hãy trả lại hồ sơ.".into()));
            }
            t.quota.push(quota_change(&dropped, false));
            t.release.extend(dropped.iter().map(|n| n.id));
        }
        t.moves.push(BatchMove {
            batch_id,
            expected_version,
            step: step.code().into(),
            from_state: from.code().into(),
            to_state: to.code().into(),
            comment: comment.clone(),
            snapshot: App::snapshot_json(&nominees, &docs),
            comments: input.comments.iter().filter(|c| !c.2.trim().is_empty()).map(|(n, d, c)| (*n, *d, clean(c))).collect(),
            join_consolidation: false,
            join_decision: false,
            submitted: step == Step::Submit,
        });
        let draft = self.audit_new(
            actor,
            via,
            &format!("batch.{}", step.code()),
            "nomination_batch",
            batch_id,
            batch.proposer_unit_id,
            json!({"from": from.code(), "to": to.code(), "comment": comment, "drops": input.drops.len()}),
        );
        self.store.transition(&t, vec![draft]).await.map_err(|e| refusal(e, quota))?;
        Ok(())
    }

    /// DOET sends the accepted dossiers of a campaign and level to DOHA in one consolidated
    /// submission (tờ trình of DOET).
    pub async fn forward(&self, actor: &Actor, input: ForwardInput) -> AppResult<i64> {
        let number = clean(&input.number);
        if number.is_empty() || input.batches.is_empty() {
            return Err(AppError::Invalid("Hãy ghi số tờ trình của Sở GD&ĐT và chọn ít nhất một hồ sơ.".into()));
        }
        let mut t = Transition { actor: actor.username.clone(), at_ms: self.now_ms(), ..Transition::default() };
        let mut drafts = Vec::new();
        for (id, version) in &input.batches {
            let b = self.store.batch(*id).await?.ok_or(AppError::NotFound)?;
            let via = self.authorize(actor, Action::AppraiseDoet, b.proposer_unit_id).await?;
            if b.campaign_id != input.campaign_id || b.level != input.level {
                return Err(AppError::Invalid(format!("Hồ sơ {} thuộc đợt hoặc hình thức khác.", b.number)));
            }
            let from = state_of(&b)?;
            let to = workflow::next(from, Step::Forward, false).map_err(|e| AppError::Invalid(format!("{}: {e}", b.number)))?;
            let nominees = self.store.nominees(*id).await?;
            let docs = self.store.documents(*id).await?;
            t.moves.push(BatchMove {
                batch_id: *id,
                expected_version: *version,
                step: Step::Forward.code().into(),
                from_state: from.code().into(),
                to_state: to.code().into(),
                comment: format!("Tờ trình số {number} ngày {}", dates::format_dmy(input.signed_on)),
                snapshot: App::snapshot_json(&nominees, &docs),
                comments: vec![],
                join_consolidation: true,
                join_decision: false,
                submitted: false,
            });
            drafts.push(self.audit_new(actor, via, "batch.forward", "nomination_batch", id, b.proposer_unit_id, json!({"number": number})));
        }
        t.new_consolidation = Some(ConsolidationRow {
            id: 0,
            campaign_id: input.campaign_id,
            level: input.level.clone(),
            number,
            signed_on: dates::format_dmy(input.signed_on),
            created_at_ms: t.at_ms,
            created_by: actor.username.clone(),
        });
        let (consolidation, _) = self.store.transition(&t, drafts).await?;
        consolidation.ok_or_else(|| AppError::Storage(StorageError::Corrupt("consolidation".into())))
    }

    /// The Chairman's office records the decision over dossiers before the Chairman: the awarded
    /// list is every live nominee except those refused. For a state-level award this records the
    /// proposal upward (no decision) or, once proposed, the central level's decision.
    pub async fn record_decision(&self, actor: &Actor, input: DecisionInput) -> AppResult<Option<i64>> {
        let award = awards()?.get(&input.level).cloned().ok_or_else(|| AppError::Invalid("Hình thức khen thưởng không có.".into()))?;
        let mut t = Transition { actor: actor.username.clone(), at_ms: self.now_ms(), ..Transition::default() };
        let mut drafts = Vec::new();
        let (mut awarded, mut total) = (0i64, 0i64);
        let mut step_taken = None;
        for (id, version) in &input.batches {
            let b = self.store.batch(*id).await?.ok_or(AppError::NotFound)?;
            if b.campaign_id != input.campaign_id || b.level != input.level {
                return Err(AppError::Invalid(format!("Hồ sơ {} thuộc đợt hoặc hình thức khác.", b.number)));
            }
            let from = state_of(&b)?;
            let step = match (award.state_level, from) {
                (true, State::AtChairman) => Step::ProposeUpward,
                (true, _) => Step::RecordCentral,
                (false, _) => Step::Decide,
            };
            if step_taken.is_some_and(|s| s != step) {
                return Err(AppError::Invalid("Các hồ sơ đang ở các bước khác nhau.".into()));
            }
            step_taken = Some(step);
            let via = self.authorize(actor, step.action(), b.proposer_unit_id).await?;
            let to = workflow::next(from, step, award.state_level).map_err(|e| AppError::Invalid(format!("{}: {e}", b.number)))?;
            let nominees = self.store.nominees(*id).await?;
            let docs = self.store.documents(*id).await?;
            if step != Step::ProposeUpward {
                for n in nominees.iter().filter(|n| n.outcome == "proposed") {
                    match input.refused.iter().find(|r| r.0 == n.id) {
                        Some((_, reason)) => t.outcomes.push((n.id, Outcome::Refused.code().into(), Some(clean(reason)), None)),
                        None => {
                            let reward = awards()?.reward(&input.level, class_of(n), input.signed_on).map(|a| a.vnd);
                            awarded += 1;
                            total += reward.unwrap_or(0);
                            t.outcomes.push((n.id, Outcome::Awarded.code().into(), None, reward));
                        }
                    }
                }
            }
            t.moves.push(BatchMove {
                batch_id: *id,
                expected_version: *version,
                step: step.code().into(),
                from_state: from.code().into(),
                to_state: to.code().into(),
                comment: format!("Quyết định số {} ngày {}", clean(&input.number), dates::format_dmy(input.signed_on)),
                snapshot: App::snapshot_json(&nominees, &docs),
                comments: vec![],
                join_consolidation: false,
                join_decision: step != Step::ProposeUpward,
                submitted: false,
            });
            drafts.push(self.audit_new(
                actor,
                via,
                &format!("batch.{}", step.code()),
                "nomination_batch",
                id,
                b.proposer_unit_id,
                json!({"number": input.number, "refused": input.refused.len()}),
            ));
        }
        let step = step_taken.ok_or_else(|| AppError::Invalid("Hãy chọn ít nhất một hồ sơ.".into()))?;
        if step != Step::ProposeUpward {
            let (number, signer, signer_title) = (clean(&input.number), clean(&input.signer), clean(&input.signer_title));
            if number.is_empty() || signer.is_empty() || signer_title.is_empty() {
                return Err(AppError::Invalid("Hãy ghi số quyết định, người ký và chức vụ.".into()));
            }
            t.new_decision = Some(AwardDecisionRow {
                id: 0,
                campaign_id: input.campaign_id,
                level: input.level.clone(),
                number,
                signed_on: dates::format_dmy(input.signed_on),
                signer,
                signer_title,
                central: step == Step::RecordCentral,
                scan_sha256: None,
                awarded,
                reward_vnd: total,
                created_at_ms: t.at_ms,
                created_by: actor.username.clone(),
            });
        }
        let (_, decision) = self.store.transition(&t, drafts).await?;
        Ok(decision)
    }

    /// Dossiers waiting for a step the actor can take, oldest first.
    pub async fn appraisal_queue(&self, actor: &Actor, campaign: Option<i64>, page: PageRequest) -> AppResult<Page<QueueItem>> {
        let snap = self.snapshot().await?;
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        // Only the states in which one of the actor's roles has a step, so that a page is full.
        let now_t = self.clock.now();
        let roles: Vec<Role> = actor.grants.iter().filter(|g| g.active_at(now_t)).map(|g| g.role).collect();
        let waiting: Vec<String> = State::ALL
            .into_iter()
            .filter(|s| {
                [false, true]
                    .iter()
                    .any(|lvl| workflow::available(*s, *lvl, &roles).iter().any(|st| *st != Step::Withdraw && *st != Step::Submit))
            })
            .map(|s| s.code().to_string())
            .collect();
        if waiting.is_empty() {
            return Ok(Page { items: vec![], total: 0, page: page.page, per_page: page.per_page });
        }
        let listed = self.store.batch_page(&scope, campaign, &waiting, page).await?;
        let total = listed.total;
        let batches = listed.items;
        let ids: Vec<i64> = batches.iter().map(|b| b.id).collect();
        let counts: HashMap<i64, usize> = self.store.nominee_counts(&ids).await?.into_iter().map(|(b, n)| (b, n as usize)).collect();
        let campaigns: HashMap<i64, String> = self
            .store
            .campaign_rows()
            .await?
            .into_iter()
            .filter_map(|c| App::campaign_view(c).ok())
            .map(|v| (v.row.id, v.campaign.name))
            .collect();
        let now = self.now_ms();
        let mut out = Vec::new();
        for b in batches {
            let state = state_of(&b)?;
            let award = awards()?.get(&b.level);
            let roles = self.roles_for(actor, b.proposer_unit_id, &snap);
            let steps: Vec<Step> = workflow::available(state, award.is_some_and(|a| a.state_level), &roles)
                .into_iter()
                .filter(|s| *s != Step::Withdraw)
                .collect();
            if steps.is_empty() {
                continue;
            }
            out.push(QueueItem {
                proposer: unit_name(&snap, b.proposer_unit_id),
                campaign: campaigns.get(&b.campaign_id).cloned().unwrap_or_default(),
                level_name: award.map(|a| a.name.clone()).unwrap_or_default(),
                nominees: counts.get(&b.id).copied().unwrap_or(0),
                waiting_days: (now - b.state_since_ms) / 86_400_000,
                steps,
                batch: b,
            });
        }
        Ok(Page { items: out, total, page: page.page, per_page: page.per_page })
    }

    /// The dossiers of a campaign and level that DOET has accepted and not yet sent on (or that
    /// DOHA returned), with their versions: what «send all» forwards.
    pub async fn forwardable(&self, actor: &Actor, campaign: i64, level: &str) -> AppResult<Vec<(i64, i64)>> {
        let scope = self.scope(actor, Action::AppraiseDoet).await?;
        let states = [State::AcceptedByDoet, State::ReturnedByDoha].map(|s| s.code().to_string());
        Ok(self
            .store
            .batches(&scope, Some(campaign), &states)
            .await?
            .into_iter()
            .filter(|b| b.level == level)
            .map(|b| (b.id, b.version))
            .collect())
    }

    /// DOET's consolidated submission with every dossier in it, for the city-level readers
    /// (DOET, DOHA, the council, the Chairman's office).
    pub async fn consolidation_view(&self, actor: &Actor, id: i64) -> AppResult<ConsolidationView> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, root).await?;
        let row = self.store.consolidation(id).await?.ok_or(AppError::NotFound)?;
        let campaign = self.campaign(actor, row.campaign_id).await?;
        let batches: Vec<BatchRow> = self
            .store
            .batches(&Scope::All, Some(row.campaign_id), &[])
            .await?
            .into_iter()
            .filter(|b| b.consolidation_id == Some(id))
            .collect();
        let ids: Vec<i64> = batches.iter().map(|b| b.id).collect();
        let mut by_batch: HashMap<i64, Vec<NomineeRow>> = HashMap::new();
        for n in self.store.nominees_of_batches(&ids).await? {
            if n.outcome != Outcome::Dropped.code() {
                by_batch.entry(n.batch_id).or_default().push(n);
            }
        }
        let mut groups = Vec::new();
        for b in batches {
            let unit = snap.units.get(&b.proposer_unit_id).cloned().ok_or(AppError::NotFound)?;
            let nominees = by_batch.remove(&b.id).unwrap_or_default();
            groups.push((b, unit, nominees));
        }
        groups.sort_by_cached_key(|g| thidua_domain::text::fold(&g.1.name));
        let level_name = awards()?.get(&row.level).map(|a| a.name.clone()).unwrap_or_default();
        Ok(ConsolidationView { row, campaign, level_name, groups })
    }

    /// What the registry knows of a nominee for its achievement report: the learning titles
    /// recognised («Gia đình học tập năm 2026, Quyết định số …») and the awards received.
    pub async fn nominee_record(&self, actor: &Actor, n: &NomineeRow) -> AppResult<(Vec<String>, Vec<String>)> {
        self.readable_batch(actor, n.batch_id).await?;
        let mut titles = Vec::new();
        for t in thidua_domain::titles::TITLES.iter().filter(|t| Some(t.subject) == nominee_subject(n)) {
            for a in self.store.subject_assessments(t.code, n.subject_id).await? {
                if let (Some(d), true) = (a.decision_id, a.input.passed) {
                    let number = self.store.decision(d).await?.map(|x| x.number).unwrap_or_default();
                    titles.push(format!("{} năm {} (Quyết định số {number})", t.label_vi, a.input.year));
                }
            }
        }
        let level = |code: &str| awards().ok().and_then(|a| a.get(code)).map(|a| a.name.clone()).unwrap_or_else(|| code.to_string());
        let awards = self
            .store
            .award_history(&n.subject_type, n.subject_id)
            .await?
            .into_iter()
            .map(|h| format!("{} (Quyết định số {} ngày {})", level(&h.decision.level), h.decision.number, h.decision.signed_on))
            .collect();
        Ok((titles, awards))
    }

    /// What the actor must do for open campaigns, most urgent first: the proposer's dossier to
    /// submit (or a returned one to fix) before the units' deadline; DOET's consolidation before
    /// its deadline; the Chairman's decision before the conference. Campaigns whose deadline is
    /// more than 60 working days away, or passed more than 20 working days ago, are left out.
    pub async fn due_items(&self, actor: &Actor) -> AppResult<Vec<DueItem>> {
        use thidua_domain::commendation::reminders::urgency;
        let today = self.today();
        let calendar = self.calendar().await?;
        let snap = self.snapshot().await?;
        let thresholds = self.config.reminder_working_days.clone();
        let left = |due_before: Date| -> i64 {
            let last = due_before.previous_day().unwrap_or(due_before);
            if last >= today {
                calendar.working_days_between(today, last) as i64
            } else {
                -(calendar.working_days_between(last, today) as i64)
            }
        };
        let in_window = |days: i64| (-20..=60).contains(&days);
        let mut out = Vec::new();
        let campaigns: Vec<CampaignView> = self.campaigns(actor).await?.into_iter().filter(|c| c.row.status == "open").collect();
        let nominate = match self.scope(actor, Action::Nominate).await? {
            Scope::All => vec![],
            Scope::Roots(r) => r.into_iter().map(|r| r.node).collect::<Vec<_>>(),
        };
        let proposers: Vec<&UnitRecord> =
            nominate.iter().filter_map(|id| snap.units.get(id)).filter(|u| ProposerKind::of_node(u.kind).is_some() && u.active).collect();
        for c in &campaigns {
            for u in &proposers {
                let ext = self.store.extension(c.row.id, u.id).await?.and_then(|s| dates::parse_dmy(&s).ok());
                let due = ext.map_or(c.campaign.unit_due_before, |e| e.max(c.campaign.unit_due_before));
                let days = left(due);
                if !in_window(days) {
                    continue;
                }
                let scope = Scope::Roots(vec![thidua_domain::access::ScopeRoot { node: u.id, subtree: false }]);
                let mine = self.store.batches(&scope, Some(c.row.id), &[]).await?;
                let submitted = mine.iter().any(|b| {
                    State::parse(&b.state).is_some_and(|s| s.holds_quota() || matches!(s, State::Decided | State::CentralDecided))
                });
                let returned: Vec<&BatchRow> = mine.iter().filter(|b| b.state == State::ReturnedByDoet.code()).collect();
                for b in &returned {
                    out.push(DueItem {
                        what: format!("Hoàn thiện, gửi lại hồ sơ {} bị Sở GD&ĐT trả lại", b.number),
                        campaign: c.campaign.name.clone(),
                        unit: u.name.clone(),
                        due_before: due,
                        working_days_left: days,
                        urgency: urgency(days, &thresholds),
                        link: format!("/awards/batches/{}", b.id),
                    });
                }
                if !submitted && returned.is_empty() {
                    let link = mine
                        .first()
                        .map(|b| format!("/awards/batches/{}", b.id))
                        .unwrap_or_else(|| format!("/awards/campaigns/{}", c.row.id));
                    out.push(DueItem {
                        what: "Gửi hồ sơ đề nghị khen thưởng đến Sở GD&ĐT".into(),
                        campaign: c.campaign.name.clone(),
                        unit: u.name.clone(),
                        due_before: due,
                        working_days_left: days,
                        urgency: urgency(days, &thresholds),
                        link,
                    });
                }
            }
        }
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        if self.can(actor, Action::AppraiseDoet, root).await {
            let waiting = [State::AtDoet, State::AcceptedByDoet, State::ReturnedByDoha].map(|s| s.code().to_string());
            for c in &campaigns {
                let days = left(c.campaign.doet_due_before);
                if !in_window(days) || self.store.batches(&Scope::All, Some(c.row.id), &waiting).await?.is_empty() {
                    continue;
                }
                out.push(DueItem {
                    what: "Thẩm định, tổng hợp hồ sơ gửi Sở Nội vụ (Ban TĐKT)".into(),
                    campaign: c.campaign.name.clone(),
                    unit: "Sở Giáo dục và Đào tạo".into(),
                    due_before: c.campaign.doet_due_before,
                    working_days_left: days,
                    urgency: urgency(days, &thresholds),
                    link: "/awards/queue".into(),
                });
            }
        }
        if self.can(actor, Action::Decide, root).await {
            for c in &campaigns {
                let Some(due) = c.campaign.decision_due(&calendar) else { continue };
                // «trước ngày hội nghị 30 ngày làm việc»: the decision day itself is allowed.
                let due_before = due.next_day().unwrap_or(due);
                let days = left(due_before);
                if in_window(days) {
                    out.push(DueItem {
                        what: format!(
                            "Quyết định khen thưởng (hội nghị ngày {})",
                            c.campaign.conference.map(dates::format_dmy).unwrap_or_default()
                        ),
                        campaign: c.campaign.name.clone(),
                        unit: "Văn phòng UBND Thành phố".into(),
                        due_before,
                        working_days_left: days,
                        urgency: urgency(days, &thresholds),
                        link: "/awards/queue".into(),
                    });
                }
            }
        }
        out.sort_by_key(|d| (d.working_days_left, d.due_before));
        Ok(out)
    }

    /// The dossiers of the actor's own units.
    pub async fn my_batches(&self, actor: &Actor) -> AppResult<Vec<BatchRow>> {
        let scope = self.scope(actor, Action::Nominate).await?;
        Ok(self.store.batches(&scope, None, &[]).await?)
    }

    /// A subject's awards (unit, household, person or clan), for its page.
    pub async fn award_history(&self, actor: &Actor, subject_type: &str, subject_id: i64, unit: i64) -> AppResult<Vec<AwardHistoryRow>> {
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        Ok(self.store.award_history(subject_type, subject_id).await?)
    }

    /// The list a decision settled, in the order of the dossiers.
    pub async fn decision_nominees(&self, actor: &Actor, id: i64) -> AppResult<Vec<NomineeRow>> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        Ok(self.store.decision_nominees(id).await?)
    }

    /// The certificate of an awarded nominee, for whoever may read its dossier.
    pub async fn award_certificate(&self, actor: &Actor, nominee_id: i64) -> AppResult<AwardCertificate> {
        let n = self.store.nominee(nominee_id).await?.ok_or(AppError::NotFound)?;
        self.readable_batch(actor, n.batch_id).await?;
        self.certificate_of(n).await
    }

    async fn certificate_of(&self, n: NomineeRow) -> AppResult<AwardCertificate> {
        let (Some(code), Some(decision_id)) = (n.certificate.clone(), n.decision_id) else { return Err(AppError::NotFound) };
        let decision = self.store.award_decision(decision_id).await?.ok_or(AppError::NotFound)?;
        let award = awards()?.get(&decision.level).cloned().ok_or(AppError::NotFound)?;
        let campaign = self.store.campaign_rows().await?.into_iter().find(|c| c.id == n.campaign_id).map(App::campaign_view).transpose()?;
        let issuer = match award.issuer {
            thidua_domain::commendation::awards::Issuer::CityChairman => "Chủ tịch Ủy ban nhân dân Thành phố Hà Nội".to_string(),
            thidua_domain::commendation::awards::Issuer::PrimeMinister => "Thủ tướng Chính phủ".to_string(),
            thidua_domain::commendation::awards::Issuer::President => "Chủ tịch nước".to_string(),
            thidua_domain::commendation::awards::Issuer::ProposerHead => award.issuer_label.clone(),
        };
        Ok(AwardCertificate {
            code,
            nominee: n,
            decision,
            level_name: award.name,
            issuer,
            campaign: campaign.map(|c| c.campaign.name).unwrap_or_default(),
        })
    }

    /// The public check of a certificate code (no login): valid or not, and what it is.
    pub async fn verify_award(&self, code: &str) -> AppResult<PublicAward> {
        let code = code.trim().to_ascii_lowercase();
        if code.len() != 16 || !code.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let n = self.store.nominee_by_certificate(&code).await?.ok_or(AppError::NotFound)?;
        if n.outcome != Outcome::Awarded.code() {
            return Err(AppError::NotFound);
        }
        let c = self.certificate_of(n).await?;
        let class = class_of(&c.nominee);
        Ok(PublicAward {
            code,
            level_name: c.level_name,
            issuer: c.issuer,
            decision_number: c.decision.number,
            signed_on: c.decision.signed_on,
            class: class.label_vi().into(),
            collective_name: (class == Class::Collective).then_some(c.nominee.name),
        })
    }

    /// A campaign's reward cost: (decided, still proposed) in đồng. Decided is the sum of its
    /// decisions; proposed prices every live nominee of a submitted dossier at today's rules.
    pub async fn campaign_cost(&self, actor: &Actor, id: i64) -> AppResult<(i64, i64)> {
        let view = self.campaign(actor, id).await?;
        let decided = self.store.award_decisions().await?.iter().filter(|d| d.campaign_id == id).map(|d| d.reward_vnd).sum();
        let waiting: Vec<String> = State::ALL.into_iter().filter(|s| s.holds_quota()).map(|s| s.code().to_string()).collect();
        let batches = self.store.batches(&Scope::All, Some(view.row.id), &waiting).await?;
        let level: HashMap<i64, String> = batches.iter().map(|b| (b.id, b.level.clone())).collect();
        let ids: Vec<i64> = batches.iter().map(|b| b.id).collect();
        let today = self.today();
        let mut proposed = 0;
        for n in self.store.nominees_of_batches(&ids).await? {
            if n.outcome == Outcome::Proposed.code()
                && let Some(l) = level.get(&n.batch_id)
            {
                proposed += awards()?.reward(l, class_of(&n), today).map(|a| a.vnd).unwrap_or(0);
            }
        }
        Ok((decided, proposed))
    }

    /// Every commendation decision, newest first (decisions are public acts).
    pub async fn award_decisions(&self, actor: &Actor) -> AppResult<Vec<AwardDecisionRow>> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        Ok(self.store.award_decisions().await?)
    }

    pub async fn award_decision(&self, actor: &Actor, id: i64) -> AppResult<AwardDecisionRow> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        self.store.award_decision(id).await?.ok_or(AppError::NotFound)
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
        StorageError::Refused(what) if what.starts_with("claim:") => {
            AppError::Conflict("Một đối tượng trong danh sách vừa được đơn vị khác đề nghị trong cùng đợt.".into())
        }
        other => other.into(),
    }
}

/// The subject a nominee row points to, for the registry's scope checks.
pub fn nominee_subject(n: &NomineeRow) -> Option<Subject> {
    subject_of(&n.subject_type, NomineeKind::parse(&n.kind)?)
}
