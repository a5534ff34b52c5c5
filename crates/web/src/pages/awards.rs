//! Commendation pages: the campaigns with their deadlines per award level, quotas, conference date
//! and extensions, and the list of the user's dossiers. The dossier page is `dossier.rs`; the
//! appraisal queue with DOET's consolidation and the Chairman's decision is `award_queue.rs`.

use super::form::{Typed, date_field, field, num, pairs};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use thidua_app::AppError;
use thidua_app::commendation::{self as c, CampaignView, NewBatch};
use thidua_domain::access::Action;
use thidua_domain::commendation::awards::format_vnd;
use thidua_domain::commendation::workflow::State as FlowState;
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
        quotas: v
            .campaign
            .quotas
            .iter()
            .map(|q| {
                let who = match q.unit.as_deref() {
                    None => q.proposer.label_vi().to_string(),
                    Some(thidua_domain::commendation::campaign::EVERY) => "Mỗi xã, phường (phân bổ của Sở GD&ĐT)".to_string(),
                    Some(code) => format!("{code} (phân bổ của Sở GD&ĐT)"),
                };
                let level = c::awards().ok().and_then(|a| a.get(&q.level).map(|x| x.name.clone())).unwrap_or_else(|| q.level.clone());
                format!("{level} — {who}: {} — {}", q.shape.describe(), q.basis)
            })
            .collect(),
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
    pub(super) fn subject(&self) -> Option<(String, String)> {
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
                unit: None,
                level: "bang_khen_ubnd_tp".into(),
                proposer: ProposerKind::Organisation,
                shape: Shape::Separate { collectives, individuals },
                basis: basis.clone(),
            });
        }
        if let Some(total) = n("locality_total")? {
            quotas.push(Quota {
                unit: None,
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
    /// Levels DOET allocates to the wards and communes: those the plan caps per locality.
    allocatable: Vec<(String, String)>,
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
        allocatable: v
            .campaign
            .levels
            .iter()
            .filter(|code| v.campaign.quota(code, thidua_domain::commendation::quota::ProposerKind::Locality).is_some())
            .map(|code| (code.clone(), awards.get(code).map(|a| a.name.clone()).unwrap_or_else(|| code.clone())))
            .collect(),
        error,
        typed,
    };
    Ok(view::render_form(&page, refused))
}

/// DOET allocates to the wards and communes how many they may propose (issue 13 §3).
pub async fn campaign_allocation_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let input = thidua_app::commendation::AllocationInput {
        level: field(&p, "level").into(),
        unit: field(&p, "unit").into(),
        total: field(&p, "total").into(),
        collectives: field(&p, "collectives").into(),
        individuals: field(&p, "individuals").into(),
        basis: field(&p, "basis").into(),
    };
    let r = state.app.set_allocation(&auth.actor, id, num(&p, "version")?, &input).await;
    after_campaign(&state, &auth, id, r, Typed::from("allocation", &p)).await
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
