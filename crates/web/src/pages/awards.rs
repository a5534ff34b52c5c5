//! Commendation pages: campaigns, a proposer's dossier (nominees, findings, documents, the flow's
//! steps and history), the appraisal queue with DOET's consolidation and the Chairman's decision.

use super::form::{Typed, date_field, field, num, pairs, urlencode};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use thidua_app::AppError;
use thidua_app::commendation::{self as c, BatchView, CampaignView, NewBatch, NewNominee, OwnDecisionInput, Resolved, StepInput};
use thidua_app::ports::NomineeEdit;
use thidua_domain::access::Action;
use thidua_domain::commendation::awards::format_vnd;
use thidua_domain::commendation::eligibility::{DocKind, Severity};
use thidua_domain::commendation::workflow::{Outcome, State as FlowState, Step};
use thidua_domain::dates;

pub(super) fn state_label(code: &str) -> &'static str {
    FlowState::parse(code).map(|s| s.label_vi()).unwrap_or("")
}

// ---------------------------------------------------------------- campaigns

struct CampaignRow {
    id: i64,
    name: String,
    kind: &'static str,
    year: i32,
    /// Each award level's deadlines in words, with their basis.
    deadlines: Vec<(String, String)>,
    levels: String,
    quotas: Vec<String>,
    open: bool,
}

/// One award level's deadlines in words: «Bằng khen …: đơn vị gửi Sở GD&ĐT trước ngày …».
fn deadline_text(l: &c::LevelDeadlineLine) -> String {
    let day = |d: Option<time::Date>| d.map(dates::format_dmy);
    if l.route == thidua_domain::commendation::workflow::Route::OwnHead {
        return match day(l.due.decided_before) {
            Some(d) => format!("{}: các cơ quan, đơn vị tự xét, quyết định theo thẩm quyền trước ngày {d}", l.level_name),
            None => format!("{}: thủ trưởng cơ quan, đơn vị quyết định theo thẩm quyền", l.level_name),
        };
    }
    if let Some(p) = &l.due.pending {
        return format!("{}: {p}", l.level_name);
    }
    let parts: Vec<String> = [
        day(l.due.unit_before).map(|d| format!("đơn vị gửi Sở GD&ĐT trước ngày {d}")),
        day(l.due.doet_before).map(|d| format!("Sở GD&ĐT gửi Sở Nội vụ trước ngày {d}")),
        day(l.due.decided_before).map(|d| format!("quyết định trước ngày {d}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() { format!("{}: chưa có hạn", l.level_name) } else { format!("{}: {}", l.level_name, parts.join("; ")) }
}

fn campaign_row(v: &CampaignView, calendar: &thidua_domain::calendar::Calendar) -> Result<CampaignRow, WebError> {
    let awards = c::awards().ok();
    let level = |code: &str| awards.and_then(|a| a.get(code)).map(|a| a.name.clone()).unwrap_or_else(|| code.to_string());
    Ok(CampaignRow {
        id: v.row.id,
        name: v.campaign.name.clone(),
        kind: v.campaign.kind.label_vi(),
        year: v.campaign.year,
        deadlines: c::deadline_lines(&v.campaign, calendar)?.iter().map(|l| (deadline_text(l), l.due.basis.clone())).collect(),
        levels: v.campaign.levels.iter().map(|l| level(l)).collect::<Vec<_>>().join("; "),
        quotas: v.campaign.quotas.iter().map(|q| format!("{}: {} — {}", q.proposer.label_vi(), q.shape.describe(), q.basis)).collect(),
        open: v.row.status == "open",
    })
}

struct BatchLine {
    id: i64,
    number: String,
    proposer: String,
    campaign: String,
    level: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "awards.html")]
struct AwardsPage {
    l: Layout,
    campaigns: Vec<CampaignRow>,
    mine: Vec<BatchLine>,
    can_appraise: bool,
    can_manage: bool,
    levels: Vec<(String, String)>,
    error: Option<String>,
    /// Started from a subject's page («Đề nghị khen thưởng»): (subject type, code), and the
    /// user's dossiers that can still take a nominee.
    nominate: Option<(String, String)>,
    editable: Vec<BatchLine>,
}

/// `?de_nghi=household&ma=HGD-…`: the subject a user started from.
#[derive(serde::Deserialize, Default)]
pub struct NominateQuery {
    #[serde(default)]
    de_nghi: String,
    #[serde(default)]
    ma: String,
}

impl NominateQuery {
    fn subject(&self) -> Option<(String, String)> {
        let kind = ["household", "person", "clan", "unit"].into_iter().find(|k| *k == self.de_nghi)?;
        (!self.ma.is_empty()).then(|| (kind.to_string(), self.ma.clone()))
    }
}

pub async fn awards_get(State(state): State<AppState>, auth: Auth, Query(q): Query<NominateQuery>) -> Result<Response, WebError> {
    awards_page(&state, &auth, None, q.subject()).await
}

async fn awards_page(
    state: &AppState,
    auth: &Auth,
    error: Option<String>,
    nominate: Option<(String, String)>,
) -> Result<Response, WebError> {
    let views = state.app.campaigns(&auth.actor).await?;
    let calendar = state.app.calendar().await?;
    let campaigns: Vec<CampaignRow> = views.iter().map(|v| campaign_row(v, &calendar)).collect::<Result<_, _>>()?;
    let snap = state.app.snapshot().await?;
    let awards = c::awards()?;
    let batches = state.app.my_batches(&auth.actor).await?;
    let editable_ids: Vec<i64> = batches.iter().filter(|b| b.state.editable_by_proposer()).map(|b| b.id).collect();
    let mine: Vec<BatchLine> = batches
        .into_iter()
        .map(|b| BatchLine {
            id: b.id,
            number: b.number,
            proposer: snap.units.get(&b.proposer_unit_id).map(|u| u.name.clone()).unwrap_or_default(),
            campaign: views.iter().find(|v| v.row.id == b.campaign_id).map(|v| v.campaign.name.clone()).unwrap_or_default(),
            level: awards.get(&b.level).map(|a| a.name.clone()).unwrap_or_default(),
            state: b.state.label_vi(),
        })
        .collect();
    let appraise = [Action::AppraiseDoet, Action::AppraiseDoha, Action::CouncilReview, Action::Decide];
    let can_appraise = state.app.allowed_somewhere(&auth.actor, &appraise).await?.into_iter().any(|x| x);
    let can_manage = match snap.roots().first() {
        Some(root) => state.app.can(&auth.actor, Action::ManageCampaigns, *root).await,
        None => false,
    };
    let levels = awards.awards.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "awards.title"), "awards").await;
    let refused = error.is_some();
    let editable = mine
        .iter()
        .filter(|b| nominate.is_some() && editable_ids.contains(&b.id))
        .map(|b| BatchLine {
            id: b.id,
            number: b.number.clone(),
            proposer: b.proposer.clone(),
            campaign: b.campaign.clone(),
            level: b.level.clone(),
            state: b.state,
        })
        .collect();
    Ok(view::render_form(&AwardsPage { l, campaigns, mine, can_appraise, can_manage, levels, error, nominate, editable }, refused))
}

/// An officer's new campaign.
pub async fn campaign_new_post(State(state): State<AppState>, auth: Auth, body: Bytes) -> Result<Response, WebError> {
    use thidua_domain::commendation::campaign::{Campaign, CampaignKind, Quota};
    use thidua_domain::commendation::quota::{ProposerKind, Shape};
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    // Who may, before what is wrong with the form.
    let snap = state.app.snapshot().await?;
    let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
    state.app.authorize(&auth.actor, Action::ManageCampaigns, root).await?;
    let parsed = (|| -> Result<Campaign, String> {
        let year: i32 = field(&p, "year").trim().parse().map_err(|_| "Năm không hợp lệ.".to_string())?;
        let kind = CampaignKind::parse(field(&p, "kind")).ok_or("Loại đợt không có.")?;
        let n = |name: &str| -> Result<Option<u32>, String> {
            let v = field(&p, name).trim();
            if v.is_empty() { Ok(None) } else { v.parse::<u32>().map(Some).map_err(|_| format!("Chỉ tiêu «{v}» phải là số.")) }
        };
        let mut quotas = Vec::new();
        let basis = "Văn bản phát động của đợt".to_string();
        if let (Some(collectives), Some(individuals)) = (n("org_collectives")?, n("org_individuals")?) {
            quotas.push(Quota {
                level: "bang_khen_ubnd_tp".into(),
                proposer: ProposerKind::Organisation,
                shape: Shape::Separate { collectives, individuals },
                basis: basis.clone(),
            });
        }
        if let Some(total) = n("locality_total")? {
            quotas.push(Quota {
                level: "bang_khen_ubnd_tp".into(),
                proposer: ProposerKind::Locality,
                shape: Shape::Total { total },
                basis,
            });
        }
        let conference = field(&p, "conference").trim();
        Ok(Campaign {
            code: field(&p, "code").into(),
            kind,
            year,
            name: field(&p, "name").into(),
            phase: if year <= 2025 { 1 } else { 2 },
            basis: field(&p, "basis").into(),
            levels: p.iter().filter(|(k, _)| k == "levels").map(|(_, v)| v.clone()).collect(),
            unit_due_before: Some(date_field(&p, "unit_due", "Hạn đơn vị gửi")?),
            doet_due_before: Some(date_field(&p, "doet_due", "Hạn Sở GD&ĐT gửi")?),
            decision_working_days_before_conference: (!conference.is_empty()).then_some(30),
            conference: if conference.is_empty() { None } else { Some(date_field(&p, "conference", "Ngày hội nghị")?) },
            deadlines: vec![],
            council_for: p.iter().filter(|(k, _)| k == "council_for").map(|(_, v)| v.clone()).collect(),
            quotas,
        })
    })();
    let r = match parsed {
        Ok(c) => state.app.create_campaign(&auth.actor, c).await,
        Err(m) => Err(AppError::Invalid(m)),
    };
    match r {
        Ok(id) => Ok(Redirect::to(&format!("/awards/campaigns/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => awards_page(&state, &auth, Some(m), None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn campaign_conference_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let conference =
        if field(&p, "conference").trim().is_empty() { Ok(None) } else { date_field(&p, "conference", "Ngày hội nghị").map(Some) };
    let r = match conference {
        Ok(d) => state.app.set_conference(&auth.actor, id, num(&p, "version")?, d).await,
        Err(m) => Err(AppError::Invalid(m)),
    };
    after_campaign(&state, &auth, id, r, Typed::from("conference", &p)).await
}

/// A campaign edit's result: back to the campaign, or its page again with the reason.
async fn after_campaign(state: &AppState, auth: &Auth, id: i64, r: Result<(), AppError>, typed: Typed) -> Result<Response, WebError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/awards/campaigns/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => campaign_page(state, auth, id, Some(m), typed).await,
        Err(e) => Err(e.into()),
    }
}

/// A proposer whose deadline passed asks DOET to extend it.
pub async fn extension_request_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let r = state.app.request_extension(&auth.actor, id, num(&p, "unit")?, field(&p, "reason")).await;
    after_campaign(&state, &auth, id, r, Typed::from("extension-request", &p)).await
}

#[derive(Template)]
#[template(path = "extensions.html")]
struct ExtensionsPage {
    l: Layout,
    rows: Vec<RequestLine>,
    error: Option<String>,
}

/// One request for an extension as DOET reads it.
struct RequestLine {
    campaign_id: i64,
    campaign: String,
    unit_id: i64,
    unit: String,
    asked: String,
    by: String,
    reason: String,
    /// The campaign's own deadline.
    due: String,
}

async fn extensions_page(state: &AppState, auth: &Auth, error: Option<String>) -> Result<Response, WebError> {
    let requests = state.app.extension_requests(&auth.actor).await?;
    let snap = state.app.snapshot().await?;
    let names = state.app.display_names(requests.iter().map(|r| r.requested_by.clone()).collect()).await?;
    let calendar = state.app.calendar().await?;
    let mut rows = Vec::new();
    for r in &requests {
        let c = state.app.campaign(&auth.actor, r.campaign_id).await?;
        rows.push(RequestLine {
            campaign_id: r.campaign_id,
            campaign: c.campaign.name.clone(),
            unit_id: r.unit_id,
            unit: snap.units.get(&r.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
            asked: view::datetime_ms(r.requested_at_ms),
            by: names.get(&r.requested_by).cloned().unwrap_or_else(|| r.requested_by.clone()),
            reason: r.reason.clone(),
            due: c::deadline_lines(&c.campaign, &calendar)?
                .iter()
                .filter_map(|l| l.due.unit_before)
                .min()
                .map(dates::format_dmy)
                .unwrap_or_default(),
        });
    }
    let l = Layout::new(state, auth, "Đề nghị gia hạn gửi hồ sơ", "queue").await.vietnamese_only();
    let refused = error.is_some();
    Ok(view::render_form(&ExtensionsPage { l, rows, error }, refused))
}

/// DOET's list of the proposers' requests for an extension.
pub async fn extensions_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    extensions_page(&state, &auth, None).await
}

/// DOET grants a request (with the new date) or declines it (with a reason).
pub async fn extension_answer_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((campaign, unit)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let r = match field(&p, "decision") {
        "grant" => match date_field(&p, "due_before", "Hạn mới") {
            Ok(due) => state.app.grant_extension(&auth.actor, campaign, unit, due, field(&p, "reason")).await,
            Err(m) => Err(AppError::Invalid(m)),
        },
        "decline" => state.app.decline_extension(&auth.actor, campaign, unit, field(&p, "reason")).await,
        _ => Err(AppError::Invalid("Chọn gia hạn hoặc không gia hạn.".into())),
    };
    match r {
        Ok(()) => Ok(Redirect::to("/awards/extensions").into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => extensions_page(&state, &auth, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn campaign_status_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let r = state.app.set_campaign_status(&auth.actor, id, num(&p, "version")?, field(&p, "open") == "true").await;
    after_campaign(&state, &auth, id, r, Typed::default()).await
}

/// A proposing body late for some award levels of a campaign.
struct LateNotice {
    unit_id: i64,
    name: String,
    /// (award level, due before)
    levels: Vec<(String, String)>,
    /// When the unit asked DOET for an extension, if it did and no answer came yet.
    asked: Option<String>,
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    l: Layout,
    c: CampaignRow,
    basis: String,
    conference: String,
    levels: Vec<(String, String)>,
    can_nominate: bool,
    can_manage: bool,
    version: i64,
    cost_decided: String,
    cost_proposed: String,
    home_unit: String,
    /// The bodies the user may propose for: (code, name).
    proposers: Vec<(String, String)>,
    /// Bodies whose deadline for an award level of this campaign has passed.
    late: Vec<LateNotice>,
    error: Option<String>,
    typed: Typed,
}

async fn campaign_page(state: &AppState, auth: &Auth, id: i64, error: Option<String>, typed: Typed) -> Result<Response, WebError> {
    let v = state.app.campaign(&auth.actor, id).await?;
    let calendar = state.app.calendar().await?;
    let awards = c::awards()?;
    let snap = state.app.snapshot().await?;
    let home_unit = snap.units.get(&auth.actor.home_unit).map(|u| u.code.clone()).unwrap_or_default();
    let can_nominate =
        v.row.status == "open" && state.app.allowed_somewhere(&auth.actor, &[Action::Nominate]).await?.first().copied().unwrap_or(false);
    let can_manage = match snap.roots().first() {
        Some(root) => state.app.can(&auth.actor, Action::ManageCampaigns, *root).await,
        None => false,
    };
    let l = Layout::new(state, auth, v.campaign.name.clone(), "awards").await;
    let refused = error.is_some();
    let (decided, proposed) = state.app.campaign_cost(&auth.actor, id).await?;
    let page = CampaignPage {
        can_manage,
        version: v.row.version,
        cost_decided: format_vnd(decided),
        cost_proposed: format_vnd(proposed),
        l,
        basis: v.campaign.basis.clone(),
        conference: v.campaign.conference.map(dates::format_dmy).unwrap_or_default(),
        levels: v
            .campaign
            .levels
            .iter()
            .map(|code| (code.clone(), awards.get(code).map(|a| a.name.clone()).unwrap_or_else(|| code.clone())))
            .collect(),
        c: campaign_row(&v, &calendar)?,
        can_nominate,
        home_unit,
        proposers: state.app.proposing_units(&auth.actor).await?.into_iter().map(|u| (u.code, u.name)).collect(),
        late: if v.row.status == "open" {
            let asked = state.app.my_extension_requests(&auth.actor, id).await?;
            let mut late: Vec<LateNotice> = Vec::new();
            for (u, level, d) in state.app.campaign_deadlines(&auth.actor, id).await?.into_iter().filter(|(_, _, d)| d.late) {
                let Some(due) = d.extension.or(d.due_before) else { continue };
                match late.iter_mut().find(|x| x.unit_id == u.id) {
                    Some(x) => x.levels.push((level, dates::format_dmy(due))),
                    None => {
                        let open = asked.iter().find(|r| r.unit_id == u.id).map(|r| view::datetime_ms(r.requested_at_ms));
                        late.push(LateNotice { unit_id: u.id, name: u.name, levels: vec![(level, dates::format_dmy(due))], asked: open });
                    }
                }
            }
            late
        } else {
            vec![]
        },
        error,
        typed,
    };
    Ok(view::render_form(&page, refused))
}

pub async fn campaign_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    campaign_page(&state, &auth, id, None, Typed::default()).await
}

pub async fn batch_new_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let snap = state.app.snapshot().await?;
    let code = field(&p, "unit").trim();
    let Some(unit) = snap.by_code.get(code).copied() else {
        return campaign_page(&state, &auth, id, Some(format!("Không có đơn vị mã «{code}».")), Typed::from("new-batch", &p)).await;
    };
    let input = NewBatch {
        campaign_id: id,
        level: field(&p, "level").into(),
        proposer_unit: unit,
        number: field(&p, "number").into(),
        summary: field(&p, "summary").into(),
    };
    match state.app.create_batch(&auth.actor, input).await {
        Ok(b) => Ok(Redirect::to(&format!("/awards/batches/{b}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => campaign_page(&state, &auth, id, Some(m), Typed::from("new-batch", &p)).await,
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- a dossier

pub(super) struct DocLine {
    id: i64,
    kind: &'static str,
    file: String,
    size_kb: i64,
    uploaded: String,
    /// What the appraiser asked to fix in this document (latest return).
    comments: Vec<String>,
}

pub(super) struct FindingLine {
    block: bool,
    message: String,
}

pub(super) struct NomineeLine {
    pub(super) id: i64,
    pub(super) certificate: bool,
    pub(super) name: String,
    pub(super) kind: &'static str,
    /// Where a nominee from outside the registry comes from; empty for one of the registry.
    pub(super) origin: &'static str,
    pub(super) position: String,
    pub(super) achievement: String,
    pub(super) cites_initiative: bool,
    pub(super) findings: Vec<FindingLine>,
    /// The titles in force on the campaign's reference day, with their decisions.
    pub(super) rests_on: Vec<String>,
    pub(super) documents: Vec<DocLine>,
    pub(super) comments: Vec<String>,
    pub(super) reward: String,
    pub(super) outcome: &'static str,
    pub(super) outcome_reason: String,
}

struct EventLine {
    at: String,
    actor: String,
    step: &'static str,
    to: &'static str,
    comment: String,
}

#[derive(Template)]
#[template(path = "batch.html")]
struct BatchPage {
    l: Layout,
    v: BatchView,
    state_label: &'static str,
    campaign_name: String,
    nominees: Vec<NomineeLine>,
    dropped: Vec<NomineeLine>,
    batch_docs: Vec<DocLine>,
    batch_findings: Vec<String>,
    earlier: Vec<DocLine>,
    events: Vec<EventLine>,
    general_comments: Vec<String>,
    due: String,
    /// The day the level's decision is due before (the body's own review of a Giấy khen).
    decided_before: String,
    extension: String,
    quota: String,
    quota_basis: String,
    reward_total: String,
    steps: Vec<(&'static str, &'static str, bool)>,
    /// Where a nominee from outside the registry may come from: (code, label).
    origins: Vec<(&'static str, &'static str)>,
    /// The proposer's officer may record its own head's decision (Giấy khen).
    own_decision: bool,
    /// The dossier's award is its proposer's own head's to decide: no city deadline or quota.
    own_route: bool,
    /// «Chủ tịch Ủy ban nhân dân Phường Hoàn Kiếm»: who decides a Giấy khen of this proposer.
    head: String,
    /// Who decides, in words, with the plan's basis.
    decider: &'static str,
    /// The day the nominees' titles are judged on, dd/mm/yyyy.
    reference_day: String,
    today: String,
    can_drop: bool,
    can_read_city: bool,
    can_extend: bool,
    error: Option<String>,
    typed: Typed,
}

fn doc_line(d: &thidua_app::ports::DocumentRow, comments: &[thidua_app::ports::CommentRow]) -> DocLine {
    DocLine {
        comments: comments.iter().filter(|c| c.document_id == Some(d.id)).map(|c| c.comment.clone()).collect(),
        id: d.id,
        kind: DocKind::parse(&d.kind).map(|k| k.label_vi()).unwrap_or(""),
        file: d.file_name.clone(),
        size_kb: (d.size + 1023) / 1024,
        uploaded: format!("{} · {}", view::datetime_ms(d.uploaded_at_ms), d.uploaded_by),
    }
}

pub(super) fn nominee_line(n: &thidua_app::ports::NomineeRow) -> NomineeLine {
    NomineeLine {
        id: n.id,
        certificate: n.certificate.is_some() && n.outcome == Outcome::Awarded,
        name: n.name.clone(),
        kind: thidua_domain::commendation::NomineeKind::parse(&n.kind).map(|k| k.label_vi()).unwrap_or(""),
        origin: n.origin.map(|o| o.label_vi()).unwrap_or(""),
        position: n.position.clone(),
        achievement: n.achievement.clone(),
        cites_initiative: n.cites_initiative,
        findings: vec![],
        rests_on: vec![],
        documents: vec![],
        comments: vec![],
        reward: n.reward_vnd.map(format_vnd).unwrap_or_default(),
        outcome: n.outcome.label_vi(),
        outcome_reason: n.outcome_reason.clone().unwrap_or_default(),
    }
}

async fn batch_page(state: &AppState, auth: &Auth, id: i64, error: Option<String>, typed: Typed) -> Result<Response, WebError> {
    let v = state.app.batch_view(&auth.actor, id).await?;
    let nominees = v
        .nominees
        .iter()
        .map(|n| NomineeLine {
            findings: n.findings.iter().map(|f| FindingLine { block: f.severity == Severity::Block, message: f.message.clone() }).collect(),
            rests_on: n.rests_on.clone(),
            documents: n.documents.iter().map(|d| doc_line(d, &v.comments)).collect(),
            comments: n.comments.iter().map(|c| c.comment.clone()).collect(),
            reward: match (&n.row.reward_vnd, n.reward_vnd) {
                (Some(r), _) => format_vnd(*r),
                (None, Some(r)) => format!("{} (dự kiến)", format_vnd(r)),
                (None, None) => String::new(),
            },
            ..nominee_line(&n.row)
        })
        .collect();
    let names = state.app.display_names(v.events.iter().map(|e| e.actor.clone()).collect()).await?;
    let events = v
        .events
        .iter()
        .map(|e| EventLine {
            at: view::datetime_ms(e.at_ms),
            actor: names.get(&e.actor).cloned().unwrap_or_else(|| e.actor.clone()),
            step: Step::parse(&e.step).map(|s| s.label_vi()).unwrap_or(""),
            to: state_label(&e.to_state),
            comment: e.comment.clone(),
        })
        .collect();
    let steps = v.steps.iter().filter(|s| **s != Step::DecideOwn).map(|s| (s.code(), s.label_vi(), s.needs_comment())).collect();
    let own_decision = v.steps.contains(&Step::DecideOwn);
    let can_drop = v.steps.iter().any(|s| matches!(s, Step::DoetAccept | Step::DohaAccept));
    let quota = v.quota.as_ref().map(|q| format!("{} ({})", q.shape.describe(), q.remaining)).unwrap_or_else(|| match v.route {
        thidua_domain::commendation::workflow::Route::OwnHead => {
            "Do đơn vị quy định theo thẩm quyền (Kế hoạch, mục III.3.2.c, III.3.3.c)".into()
        }
        _ => "Không giới hạn trong Kế hoạch".into(),
    });
    let snap = state.app.snapshot().await?;
    let can_read_city = match snap.roots().first() {
        Some(root) => state.app.can(&auth.actor, Action::ReadRegistry, *root).await,
        None => false,
    };
    let can_extend = v.state.editable_by_proposer() && state.app.can(&auth.actor, Action::AppraiseDoet, v.batch.proposer_unit_id).await;
    let l = Layout::new(state, auth, format!("Hồ sơ {}", v.batch.number), "awards").await.vietnamese_only();
    let refused = error.is_some();
    let page = BatchPage {
        l,
        state_label: v.state.label_vi(),
        campaign_name: v.campaign.campaign.name.clone(),
        dropped: v.dropped.iter().map(nominee_line).collect(),
        batch_docs: v.batch_documents.iter().map(|d| doc_line(d, &v.comments)).collect(),
        batch_findings: v.batch_findings.iter().map(|f| f.message.clone()).collect(),
        earlier: v.earlier_documents.iter().map(|d| doc_line(d, &[])).collect(),
        general_comments: v
            .comments
            .iter()
            .filter(|c| c.nominee_id.is_none() && c.document_id.is_none())
            .map(|c| c.comment.clone())
            .collect(),
        due: v.deadline.due_before.map(dates::format_dmy).unwrap_or_default(),
        decided_before: v.deadline.decided_before.map(dates::format_dmy).unwrap_or_default(),
        extension: v.deadline.extension.map(dates::format_dmy).unwrap_or_default(),
        quota_basis: v.quota.as_ref().map(|q| q.basis.clone()).unwrap_or_default(),
        reward_total: format_vnd(v.reward_total_vnd),
        nominees,
        events,
        steps,
        origins: thidua_domain::commendation::Origin::ALL.into_iter().map(|o| (o.code(), o.label_vi())).collect(),
        own_decision,
        own_route: v.route == thidua_domain::commendation::workflow::Route::OwnHead,
        head: thidua_app::commendation::documents::head_of(&v.proposer),
        decider: v.route.decider_vi(),
        reference_day: dates::format_dmy(v.reference_day),
        today: dates::format_dmy(state.app.today()),
        can_drop,
        can_read_city,
        can_extend,
        quota,
        error,
        typed,
        v,
    };
    Ok(view::render_form(&page, refused))
}

pub async fn batch_get(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<NominateQuery>,
) -> Result<Response, WebError> {
    // From a subject's page: the add-nominee form comes filled with it.
    let typed = match q.subject() {
        Some((kind, code)) => Typed::from("add-nominee", &[("subject_type".to_string(), kind), ("code".to_string(), code)]),
        None => Typed::default(),
    };
    batch_page(&state, &auth, id, None, typed).await
}

/// Runs a dossier edit; a refusal shows the page again with its reason and what was typed.
async fn after(state: &AppState, auth: &Auth, id: i64, r: Result<(), AppError>, typed: Typed) -> Result<Response, WebError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/awards/batches/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => batch_page(state, auth, id, Some(m), typed).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn nominee_add_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    // A name as well as a code: resolved inside the proposer's subtree, several offered to choose.
    let typed = Typed::from("add-nominee", &p);
    // One not in the registry: its facts come from the form.
    if field(&p, "subject_type") == "external" {
        let birth = field(&p, "ext_birth_year").trim();
        let external = match (thidua_domain::commendation::Origin::parse(field(&p, "ext_origin")), birth.parse::<i64>()) {
            (Some(origin), Ok(y)) => Ok((origin, Some(y))),
            (Some(origin), Err(_)) if birth.is_empty() => Ok((origin, None)),
            (None, _) => Err(AppError::Invalid("Hãy chọn đối tượng ở đâu (trong, ngoài Thành phố, ở nước ngoài).".into())),
            (Some(_), Err(_)) => Err(AppError::Invalid(format!("Năm sinh «{birth}» phải là số, ví dụ 1975."))),
        };
        let r = match external {
            Ok((origin, birth_year)) => {
                let input = NewNominee {
                    subject_type: "external".into(),
                    code: String::new(),
                    position: field(&p, "position").into(),
                    achievement: field(&p, "achievement").into(),
                    cites_initiative: !field(&p, "cites_initiative").is_empty(),
                    external: Some(c::ExternalNominee {
                        name: field(&p, "ext_name").into(),
                        collective: field(&p, "ext_collective") == "1",
                        birth_year,
                        origin,
                    }),
                };
                state.app.add_nominee(&auth.actor, id, num(&p, "version")?, input).await.map(|_| ())
            }
            Err(e) => Err(e),
        };
        return after(&state, &auth, id, r, typed).await;
    }
    let code = match state.app.resolve_nominee(&auth.actor, id, field(&p, "subject_type"), field(&p, "code")).await {
        Ok(Resolved::Code(code)) => code,
        Ok(Resolved::Choose { candidates, more }) => {
            let choices = candidates.into_iter().map(|c| (c.code, c.label)).collect();
            let why = format!("Có nhiều đối tượng khớp với «{}»: chọn đúng đối tượng rồi bấm «Thêm».", field(&p, "code").trim());
            return batch_page(&state, &auth, id, Some(why), typed.with_choices(choices, more)).await;
        }
        Ok(Resolved::NotFound) => {
            let why = format!("Không tìm thấy «{}» (theo tên hoặc mã) trong đơn vị đề nghị.", field(&p, "code").trim());
            return after(&state, &auth, id, Err(AppError::Invalid(why)), typed).await;
        }
        Err(e) => return after(&state, &auth, id, Err(e), typed).await,
    };
    let input = NewNominee {
        subject_type: field(&p, "subject_type").into(),
        code,
        position: field(&p, "position").into(),
        achievement: field(&p, "achievement").into(),
        cites_initiative: !field(&p, "cites_initiative").is_empty(),
        external: None,
    };
    let r = state.app.add_nominee(&auth.actor, id, num(&p, "version")?, input).await.map(|_| ());
    after(&state, &auth, id, r, Typed::from("add-nominee", &p)).await
}

pub async fn nominee_edit_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, nominee)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let edit = NomineeEdit {
        position: field(&p, "position").into(),
        achievement: field(&p, "achievement").into(),
        cites_initiative: !field(&p, "cites_initiative").is_empty(),
    };
    let r = state.app.update_nominee(&auth.actor, id, num(&p, "version")?, nominee, edit).await;
    after(&state, &auth, id, r, Typed::from(format!("nominee-{nominee}"), &p)).await
}

pub async fn nominee_remove_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, nominee)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let r = state.app.remove_nominee(&auth.actor, id, num(&p, "version")?, nominee).await;
    after(&state, &auth, id, r, Typed::default()).await
}

pub async fn document_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, mp: Multipart) -> Result<Response, WebError> {
    // Permission is decided from the session before a byte of the file is read.
    state.app.may_add_document(&auth.actor, id).await?;
    let u = super::read_upload(mp).await?;
    auth.verify_csrf(u.field("_csrf"))?;
    let kind = DocKind::parse(u.field("kind")).ok_or_else(|| WebError::bad_request("Loại tài liệu không có."))?;
    let version: i64 = u.field("version").trim().parse().map_err(|_| WebError::bad_request("Thiếu phiên bản hồ sơ."))?;
    let nominee = u.field("nominee").trim().parse::<i64>().ok();
    let r = state.app.upload_document(&auth.actor, id, version, nominee, kind, &u.file_name, &u.bytes).await.map(|_| ());
    after(&state, &auth, id, r, Typed::default()).await
}

pub async fn document_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let (doc, bytes) = state.app.document_bytes(&auth.actor, id).await?;
    let disposition = format!("attachment; filename*=UTF-8''{}", urlencode(&doc.file_name));
    Ok(([(header::CONTENT_TYPE, doc.content_type), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

pub async fn step_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let step = Step::parse(field(&p, "step")).ok_or_else(|| WebError::bad_request("Bước không có."))?;
    let mut input = StepInput { comment: field(&p, "comment").into(), ..StepInput::default() };
    for (k, v) in &p {
        if v.trim().is_empty() {
            continue;
        }
        if let Some(n) = k.strip_prefix("fix_").and_then(|n| n.parse::<i64>().ok()) {
            input.comments.push((Some(n), None, v.clone()));
        }
        if let Some(d) = k.strip_prefix("fixdoc_").and_then(|d| d.parse::<i64>().ok()) {
            input.comments.push((None, Some(d), v.clone()));
        }
        if let Some(n) = k.strip_prefix("drop_").and_then(|n| n.parse::<i64>().ok()) {
            input.drops.push((n, v.clone()));
        }
    }
    let r = state.app.take_step(&auth.actor, id, num(&p, "version")?, step, input).await;
    after(&state, &auth, id, r, Typed::from(format!("step-{}", step.code()), &p)).await
}

/// The proposing body records its own head's decision on its Giấy khen dossier.
pub async fn own_decision_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let typed = Typed::from("own-decision", &p);
    let refused: Vec<(i64, String)> = p
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("refuse_")?.parse::<i64>().ok()?, v.clone())))
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let input = match date_field(&p, "signed_on", "Ngày ký") {
        Ok(signed_on) => OwnDecisionInput {
            batch_id: id,
            version: num(&p, "version")?,
            number: field(&p, "number").into(),
            signed_on,
            signer: field(&p, "signer").into(),
            signer_title: field(&p, "signer_title").into(),
            refused,
        },
        Err(m) => return batch_page(&state, &auth, id, Some(m), typed).await,
    };
    match state.app.decide_own(&auth.actor, input).await {
        Ok(d) => Ok(Redirect::to(&format!("/awards/decisions/{d}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => batch_page(&state, &auth, id, Some(m), typed).await,
        Err(e) => Err(e.into()),
    }
}

/// DOET extends the proposer's deadline for this campaign.
pub async fn extension_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let r = match date_field(&p, "due_before", "Hạn mới") {
        Ok(due) => state.app.grant_batch_extension(&auth.actor, id, due, field(&p, "reason")).await,
        Err(m) => Err(AppError::Invalid(m)),
    };
    after(&state, &auth, id, r, Typed::from("extension", &p)).await
}
