//! Requests from data subjects (issue 18 §2): registered from the citizen's page at their ward,
//! listed with their time limits, acknowledged, answered (an access request with the workbook of
//! everything held and every read), and closed; a deletion request carried out.

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Form, Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::ports::{PageRequest, ReadChannel, RequestChannel, RequestState, SubjectRequestFilter};
use thidua_app::subject_requests::{RequestForm, RequestView};
use thidua_domain::access::Action;
use thidua_domain::dates::format_dmy;

/// A request as a row of the register or the head of its page.
struct RequestVm {
    id: i64,
    version: i64,
    kind: String,
    kind_code: String,
    person: String,
    person_id: i64,
    channel: &'static str,
    received: String,
    acknowledge_by: String,
    acknowledged: String,
    done_by: String,
    state: &'static str,
    open: bool,
    /// «quá hạn» once the answer's last day has passed while the request is open.
    late: bool,
    outcome: String,
    closed: String,
    detail: String,
    registered_by: String,
}

impl RequestVm {
    fn new(v: &RequestView, today: time::Date) -> RequestVm {
        let r = &v.record;
        let open = r.state == RequestState::Open;
        RequestVm {
            id: r.id,
            version: r.version,
            kind: v.kind_name.clone(),
            kind_code: r.draft.kind.clone(),
            person: v.person_name.clone(),
            person_id: r.draft.person_id,
            channel: r.draft.channel.label(),
            received: format_dmy(r.draft.received_on),
            acknowledge_by: format_dmy(r.draft.acknowledge_by),
            acknowledged: r.acknowledged_on.map(format_dmy).unwrap_or_default(),
            done_by: format_dmy(r.draft.done_by),
            state: r.state.label(),
            open,
            late: open && today > r.draft.done_by,
            outcome: r.outcome.clone().unwrap_or_default(),
            closed: r.closed_on.map(format_dmy).unwrap_or_default(),
            detail: r.draft.detail.clone(),
            registered_by: r.draft.registered_by.clone(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    #[serde(default)]
    all: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "subject_requests.html")]
struct RegisterPage {
    l: Layout,
    rows: Vec<RequestVm>,
    all: bool,
    total: String,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
    /// DOET and the administrators keep the breach register: linked from here.
    can_breaches: bool,
}

pub async fn requests_get(State(state): State<AppState>, auth: Auth, Query(q): Query<RegisterQuery>) -> Result<Response, WebError> {
    let all = q.all == "1";
    let filter = SubjectRequestFilter { open_only: !all, person_id: None };
    let page = state.app.subject_requests(&auth.actor, &filter, PageRequest::new(q.page.unwrap_or(1), 50)).await?;
    let today = state.app.today();
    let rows = page.items.iter().map(|v| RequestVm::new(v, today)).collect();
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "requests.title"), "people").await;
    let pages = page.pages();
    let root = state.app.snapshot().await?.roots().first().copied().unwrap_or_default();
    let can_breaches = state.app.can(&auth.actor, Action::ProtectData, root).await;
    Ok(view::render(&RegisterPage {
        can_breaches,
        l,
        rows,
        all,
        total: thidua_domain::text::number(i128::from(page.total)),
        pages,
        page_links: (1..=pages).map(|p| (p, p == page.page)).collect(),
        base_url: format!("/privacy/requests?{}", if all { "all=1&" } else { "" }),
    }))
}

#[derive(Deserialize, Default)]
pub struct NewRequestForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    detail: String,
}

#[derive(Template)]
#[template(path = "subject_request_form.html")]
struct FormPage {
    l: Layout,
    person_id: i64,
    person: String,
    kinds: Vec<(String, String, u32)>,
    channels: Vec<(&'static str, &'static str)>,
    f: NewRequestForm,
    error: Option<String>,
    basis: String,
    provisional: bool,
}

async fn form_page(state: &AppState, auth: &Auth, person_id: i64, f: NewRequestForm, error: Option<String>) -> Result<Response, WebError> {
    let p = state.app.read_person(&auth.actor, person_id, ReadChannel::Page).await?;
    state.app.authorize(&auth.actor, Action::WriteRegistry, p.unit_id).await?;
    let rules = thidua_domain::subject_requests::shipped().map_err(WebError::bad_request)?;
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "requests.new"), "people").await;
    let refused = error.is_some();
    let page = FormPage {
        l,
        person_id,
        person: p.full_name,
        kinds: rules.kinds.iter().map(|k| (k.code.clone(), k.name.clone(), k.days)).collect(),
        channels: RequestChannel::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        f,
        error,
        basis: rules.basis.clone(),
        provisional: !rules.verified,
    };
    Ok(view::render_form(&page, refused))
}

pub async fn new_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let f = NewRequestForm { received_on: format_dmy(state.app.today()), channel: "desk".into(), ..Default::default() };
    form_page(&state, &auth, id, f, None).await
}

pub async fn new_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<NewRequestForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let form = RequestForm {
        person_id: id,
        kind: f.kind.clone(),
        channel: f.channel.clone(),
        received_on: f.received_on.clone(),
        detail: f.detail.clone(),
    };
    match state.app.register_subject_request(&auth.actor, form).await {
        Ok(request) => Ok(Redirect::to(&format!("/privacy/requests/{request}")).into_response()),
        Err(AppError::Invalid(m)) => form_page(&state, &auth, id, f, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "subject_request.html")]
struct RequestPage {
    l: Layout,
    r: RequestVm,
    can_handle: bool,
    error: Option<String>,
}

async fn request_page(state: &AppState, auth: &Auth, id: i64, error: Option<String>) -> Result<Response, WebError> {
    let v = state.app.subject_request(&auth.actor, id).await?;
    let can_handle = state.app.can(&auth.actor, Action::WriteRegistry, v.record.draft.unit_id).await;
    let title = format!("{} {id}", crate::i18n::t(auth.lang, "requests.one"));
    let l = Layout::new(state, auth, &title, "people").await;
    let refused = error.is_some();
    Ok(view::render_form(&RequestPage { l, r: RequestVm::new(&v, state.app.today()), can_handle, error }, refused))
}

pub async fn request_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    request_page(&state, &auth, id, None).await
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    done: String,
    #[serde(default)]
    outcome: String,
}

/// The steps of a request's page.
enum Step {
    Acknowledge,
    Close,
    Erase,
}

/// Runs one step on a request; a refusal the officer can fix (no outcome written, already
/// closed, changed meanwhile) shows the request again with the reason.
async fn step(state: &AppState, auth: &Auth, id: i64, f: StepForm, step: Step) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let (app, actor) = (&state.app, &auth.actor);
    let r = match step {
        Step::Acknowledge => app.acknowledge_subject_request(actor, id, f.version).await,
        Step::Close => app.close_subject_request(actor, id, f.version, f.done == "true", &f.outcome).await,
        Step::Erase => app.erase_on_request(actor, id, f.version).await.map(|_| ()),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/privacy/requests/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => request_page(state, auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn acknowledge_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    step(&state, &auth, id, f, Step::Acknowledge).await
}

pub async fn close_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    step(&state, &auth, id, f, Step::Close).await
}

pub async fn erase_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    step(&state, &auth, id, f, Step::Erase).await
}

pub async fn access_xlsx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let named = state.app.access_export(&auth.actor, id).await?;
    let bytes = thidua_documents::write_xlsx(&named.value)
        .map_err(|e| WebError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(super::xlsx_response(&named.file_name, bytes))
}
