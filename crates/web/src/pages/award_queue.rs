//! The appraisal queue, DOET's consolidation, the Chairman's decision, the decisions registry
//! and the printable certificates.

use super::dossier::{NomineeLine, nominee_line};
use super::form::{date_field, field, pairs};
use crate::AppState;
use crate::error::WebError;
use crate::extract::Path;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use thidua_app::AppError;
use thidua_app::commendation::{self as c, DecisionInput, ForwardInput, QueueItem};
use thidua_domain::commendation::awards::format_vnd;
use thidua_domain::commendation::workflow::Step;

struct QueueLine {
    id: i64,
    version: i64,
    number: String,
    proposer: String,
    campaign: String,
    campaign_id: i64,
    level: String,
    level_code: String,
    state: &'static str,
    nominees: usize,
    waiting_days: i64,
    forwardable: bool,
    decidable: bool,
    /// For the decision form: the nominees still proposed (id, name, kind), to refuse some.
    candidates: Vec<(i64, String, &'static str)>,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    l: Layout,
    rows: Vec<QueueLine>,
    total: i64,
    any_forward: bool,
    any_decide: bool,
    /// (campaign:level, label) of the dossiers DOET can send on, for «send all».
    forward_groups: Vec<(String, String)>,
    error: Option<String>,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

/// Dossiers a queue page lists.
const QUEUE_PAGE: i64 = 100;

async fn queue_page(state: &AppState, auth: &Auth, error: Option<String>) -> Result<Response, WebError> {
    queue_page_with(state, auth, error, None, 1).await
}

async fn queue_page_with(
    state: &AppState,
    auth: &Auth,
    error: Option<String>,
    flash: Option<String>,
    page: i64,
) -> Result<Response, WebError> {
    let listed = state.app.appraisal_queue(&auth.actor, None, thidua_app::ports::PageRequest::new(page, QUEUE_PAGE)).await?;
    let (total, pages, current) = (listed.total, listed.pages(), listed.page);
    let items: Vec<QueueItem> = listed.items;
    let rows: Vec<QueueLine> = items
        .into_iter()
        .map(|q| QueueLine {
            forwardable: q.steps.contains(&Step::Forward),
            decidable: q.steps.iter().any(|s| matches!(s, Step::Decide | Step::ProposeUpward | Step::RecordCentral)),
            id: q.batch.id,
            version: q.batch.version,
            number: q.batch.number.clone(),
            proposer: q.proposer,
            campaign: q.campaign,
            campaign_id: q.batch.campaign_id,
            level: q.level_name,
            level_code: q.batch.level.clone(),
            state: q.batch.state.label_vi(),
            nominees: q.nominees,
            waiting_days: q.waiting_days,
            candidates: Vec::new(),
        })
        .collect();
    let mut rows = rows;
    let decidable: Vec<i64> = rows.iter().filter(|r| r.decidable).map(|r| r.id).collect();
    if !decidable.is_empty() {
        for n in state.app.decision_candidates(&auth.actor, &decidable).await? {
            if let Some(r) = rows.iter_mut().find(|r| r.id == n.batch_id) {
                r.candidates.push((
                    n.id,
                    n.name.clone(),
                    thidua_domain::commendation::NomineeKind::parse(&n.kind).map(|k| k.label_vi()).unwrap_or(""),
                ));
            }
        }
    }
    let (any_forward, any_decide) = (rows.iter().any(|r| r.forwardable), rows.iter().any(|r| r.decidable));
    let mut forward_groups: Vec<(String, String)> = Vec::new();
    for r in rows.iter().filter(|r| r.forwardable) {
        let key = format!("{}:{}", r.campaign_id, r.level_code);
        if !forward_groups.iter().any(|(k, _)| *k == key) {
            forward_groups.push((key, format!("{} — {}", r.campaign, r.level)));
        }
    }
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "awards.queue"), "queue").await.with_flash(flash);
    let refused = error.is_some();
    let page = QueuePage {
        l,
        rows,
        total,
        any_forward,
        any_decide,
        forward_groups,
        error,
        pages,
        page_links: view::page_links(current, pages),
        base_url: "/awards/queue?".into(),
    };
    Ok(view::render_form(&page, refused))
}

#[derive(serde::Deserialize, Default)]
pub struct QueueQuery {
    sent: Option<String>,
    page: Option<i64>,
}

pub async fn queue_get(
    State(state): State<AppState>,
    auth: Auth,
    crate::extract::Query(q): crate::extract::Query<QueueQuery>,
) -> Result<Response, WebError> {
    let flash = q.sent.map(|n| format!("Đã gửi Sở Nội vụ (Ban Thi đua – Khen thưởng) tờ trình số {}.", thidua_domain::text::clean(&n)));
    queue_page_with(&state, &auth, None, flash, q.page.unwrap_or(1)).await
}

/// Dossiers ticked in a queue form, all of one campaign and level: (campaign, level, [(id, version)]).
type Picked = (i64, String, Vec<(i64, i64)>);

/// The dossiers ticked in a queue form: `pick` = `id:version:campaign:level`.
fn picked(p: &[(String, String)]) -> Result<Picked, String> {
    let mut out = Vec::new();
    let mut key: Option<(i64, String)> = None;
    for (_, v) in p.iter().filter(|(k, _)| k == "pick") {
        let parts: Vec<&str> = v.splitn(4, ':').collect();
        let [id, version, campaign, level] = parts.as_slice() else { return Err("Lựa chọn hồ sơ không hợp lệ.".into()) };
        let (id, version, campaign) = (id.parse::<i64>(), version.parse::<i64>(), campaign.parse::<i64>());
        let (Ok(id), Ok(version), Ok(campaign)) = (id, version, campaign) else {
            return Err("Lựa chọn hồ sơ không hợp lệ.".into());
        };
        match &key {
            Some((c, l)) if *c != campaign || l != level => return Err("Chỉ chọn các hồ sơ cùng đợt và cùng hình thức khen thưởng.".into()),
            _ => key = Some((campaign, level.to_string())),
        }
        out.push((id, version));
    }
    let (campaign, level) = key.ok_or("Hãy chọn ít nhất một hồ sơ.")?;
    Ok((campaign, level, out))
}

pub async fn forward_post(State(state): State<AppState>, auth: Auth, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    // «Send all»: every accepted dossier of one campaign and level, on any page.
    let all = field(&p, "all");
    let chosen = match all.split_once(':') {
        Some((c, level)) => match c.parse::<i64>() {
            Ok(c) => state.app.forwardable(&auth.actor, c, level).await.map(|b| (c, level.to_string(), b)).map_err(|e| e.to_string()),
            Err(_) => Err("Lựa chọn đợt không hợp lệ.".to_string()),
        },
        None => picked(&p),
    };
    let input = match (chosen, date_field(&p, "signed_on", "Ngày tờ trình")) {
        (Ok((campaign_id, level, batches)), Ok(signed_on)) => {
            ForwardInput { campaign_id, level, batches, number: field(&p, "number").into(), signed_on }
        }
        (Err(m), _) | (_, Err(m)) => return queue_page(&state, &auth, Some(m)).await,
    };
    let number = input.number.clone();
    match state.app.forward(&auth.actor, input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/awards/queue?{}", serde_urlencoded::to_string([("sent", number)]).unwrap_or_default()))
                .into_response())
        }
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => queue_page(&state, &auth, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn decide_post(State(state): State<AppState>, auth: Auth, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let refused: Vec<(i64, String)> = p
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("refuse_")?.parse::<i64>().ok()?, v.clone())))
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let input = match (picked(&p), date_field(&p, "signed_on", "Ngày ký")) {
        (Ok((campaign_id, level, batches)), Ok(signed_on)) => DecisionInput {
            campaign_id,
            level,
            batches,
            number: field(&p, "number").into(),
            signed_on,
            signer: field(&p, "signer").into(),
            signer_title: field(&p, "signer_title").into(),
            refused,
        },
        (Err(m), _) | (_, Err(m)) => return queue_page(&state, &auth, Some(m)).await,
    };
    match state.app.record_decision(&auth.actor, input).await {
        Ok(Some(d)) => Ok(Redirect::to(&format!("/awards/decisions/{d}")).into_response()),
        Ok(None) => Ok(Redirect::to("/awards/queue").into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => queue_page(&state, &auth, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "award_decision.html")]
struct DecisionPage {
    l: Layout,
    id: i64,
    number: String,
    signed_on: String,
    signer: String,
    signer_title: String,
    level: String,
    campaign: String,
    reward_total: String,
    rows: Vec<NomineeLine>,
    has_scan: bool,
    may_upload_scan: bool,
    error: Option<String>,
}

pub async fn decision_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    decision_page(&state, &auth, id, None).await
}

async fn decision_page(state: &AppState, auth: &Auth, id: i64, error: Option<String>) -> Result<Response, WebError> {
    let d = state.app.award_decision(&auth.actor, id).await?;
    let may_upload_scan = state.app.authorize_decision_scan(&auth.actor, id).await.is_ok();
    let campaign = state.app.campaign(&auth.actor, d.campaign_id).await?;
    let rows = state.app.decision_nominees(&auth.actor, id).await?.iter().map(nominee_line).collect();
    let l = Layout::new(state, auth, format!("Quyết định số {}", d.number), "awards").await.vietnamese_only();
    let refused = error.is_some();
    Ok(view::render_form(
        &DecisionPage {
            l,
            id,
            has_scan: d.scan_sha256.is_some(),
            may_upload_scan,
            error,
            level: c::awards()?.get(&d.level).map(|a| a.name.clone()).unwrap_or_default(),
            campaign: campaign.campaign.name,
            reward_total: format_vnd(d.reward_vnd),
            number: d.number,
            signed_on: thidua_domain::dates::format_dmy(d.signed_on),
            signer: d.signer,
            signer_title: d.signer_title,
            rows,
        },
        refused,
    ))
}

/// The Chairman's office attaches the signed decision as scanned.
pub async fn decision_scan_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    // Permission is decided from the session before a byte of the scan is read.
    state.app.authorize_decision_scan(&auth.actor, id).await?;
    let u = super::read_upload(mp).await?;
    auth.verify_csrf(u.field("_csrf"))?;
    match state.app.upload_decision_scan(&auth.actor, id, &u.bytes).await {
        Ok(()) => Ok(Redirect::to(&format!("/awards/decisions/{id}")).into_response()),
        Err(AppError::Invalid(m)) => decision_page(&state, &auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn decision_scan_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let (bytes, mime) = state.app.decision_scan(&auth.actor, id).await?;
    let ext = match mime {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    let disposition = format!("inline; filename=\"quyet-dinh-{id}-ban-quet.{ext}\"");
    Ok(([(axum::http::header::CONTENT_TYPE, mime.to_string()), (axum::http::header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

struct DecisionLine {
    id: i64,
    /// The body whose head signed it (a ward for its own Giấy khen, the city for the Chairman's).
    issuer: String,
    number: String,
    signed_on: String,
    level: String,
    campaign: String,
    awarded: i64,
    reward: String,
}

#[derive(Template)]
#[template(path = "award_decisions.html")]
struct DecisionsPage {
    l: Layout,
    rows: Vec<DecisionLine>,
}

/// The registry of commendation decisions.
pub async fn decisions_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    let campaigns = state.app.campaigns(&auth.actor).await?;
    let awards = c::awards()?;
    let snap = state.app.snapshot().await?;
    let rows = state
        .app
        .award_decisions(&auth.actor)
        .await?
        .into_iter()
        .map(|d| DecisionLine {
            id: d.id,
            issuer: snap.units.get(&d.issuer_unit_id).map(|u| u.name.clone()).unwrap_or_default(),
            level: awards.get(&d.level).map(|a| a.name.clone()).unwrap_or_default(),
            campaign: campaigns.iter().find(|c| c.row.id == d.campaign_id).map(|c| c.campaign.name.clone()).unwrap_or_default(),
            awarded: d.awarded,
            reward: format_vnd(d.reward_vnd),
            number: d.number,
            signed_on: thidua_domain::dates::format_dmy(d.signed_on),
        })
        .collect();
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "awards.decisions"), "awards").await;
    Ok(view::render(&DecisionsPage { l, rows }))
}

#[derive(Template)]
#[template(path = "award_certificate.html")]
struct CertificatePage {
    l: Layout,
    c: thidua_app::commendation::AwardCertificate,
    qr_svg: String,
    url: String,
    place: String,
    /// The decision's date, dd/mm/yyyy.
    signed_on: String,
}

/// A printable Bằng khen / Giấy khen with a QR code to the public verification page.
pub async fn certificate_get(
    State(state): State<AppState>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let c = state.app.award_certificate(&auth.actor, id).await?;
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    let url = format!("{scheme}://{host}/xac-minh/{}", c.code);
    let snap = state.app.snapshot().await?;
    let place = snap.units.get(&c.nominee.unit_id).map(|u| u.name.clone()).unwrap_or_default();
    let l = Layout::new(&state, &auth, c.level_name.clone(), "awards").await.vietnamese_only();
    let signed_on = thidua_domain::dates::format_dmy(c.decision.signed_on);
    Ok(view::render(&CertificatePage { l, qr_svg: view::qr_svg(&url)?, url, place, signed_on, c }))
}
