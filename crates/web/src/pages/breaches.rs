//! The register of personal-data breaches (issue 18 §5), for DOET and the system's
//! administrators: record one with its 72-hour clock, read the notification to send, record that
//! it was sent.

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
use thidua_app::breaches::{BreachForm, BreachView, affected_words, moment_words};
use thidua_app::ports::PageRequest;

struct BreachVm {
    id: i64,
    version: i64,
    discovered: String,
    notify_by: String,
    description: String,
    categories: String,
    affected: String,
    notified: String,
    late: bool,
    notification: String,
    recorded_by: String,
}

impl BreachVm {
    fn new(v: &BreachView) -> BreachVm {
        let d = &v.record.draft;
        BreachVm {
            id: v.record.id,
            version: v.record.version,
            discovered: moment_words(d.discovered_at_ms),
            notify_by: moment_words(d.notify_by_ms),
            description: d.description.clone(),
            categories: v.categories.join("; "),
            affected: affected_words(d.affected, &d.affected_note),
            notified: v.record.notified.as_ref().map(|(at, by)| format!("{} ({by})", moment_words(*at))).unwrap_or_default(),
            late: v.late,
            notification: v.notification.clone(),
            recorded_by: d.recorded_by.clone(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "breaches.html")]
struct ListPage {
    l: Layout,
    rows: Vec<BreachVm>,
    categories: Vec<(String, String)>,
    f: BreachForm,
    chosen: Vec<String>,
    error: Option<String>,
    basis: String,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

async fn list_page(state: &AppState, auth: &Auth, page: i64, f: BreachForm, error: Option<String>) -> Result<Response, WebError> {
    let list = state.app.breaches(&auth.actor, PageRequest::new(page, 50)).await?;
    let rules = thidua_domain::breaches::shipped().map_err(WebError::bad_request)?;
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "breaches.title"), "admin").await;
    let pages = list.pages();
    let refused = error.is_some();
    Ok(view::render_form(
        &ListPage {
            l,
            rows: list.items.iter().map(BreachVm::new).collect(),
            categories: rules.categories.iter().map(|c| (c.code.clone(), c.name.clone())).collect(),
            chosen: f.categories.clone(),
            f,
            error,
            basis: rules.basis.clone(),
            pages,
            page_links: (1..=pages).map(|p| (p, p == list.page)).collect(),
            base_url: "/admin/breaches?".into(),
        },
        refused,
    ))
}

pub async fn breaches_get(State(state): State<AppState>, auth: Auth, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let now = state.app.today();
    let f = BreachForm { discovered_on: thidua_domain::dates::format_dmy(now), ..Default::default() };
    list_page(&state, &auth, q.page.unwrap_or(1), f, None).await
}

pub async fn breaches_post(
    State(state): State<AppState>,
    auth: Auth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    auth.verify_csrf(&get("_csrf"))?;
    let f = BreachForm {
        discovered_on: get("discovered_on"),
        discovered_at: get("discovered_at"),
        description: get("description"),
        categories: fields.iter().filter(|(n, _)| n == "categories").map(|(_, v)| v.clone()).collect(),
        suspect_user: get("suspect_user"),
        window_from: get("window_from"),
        window_to: get("window_to"),
        affected_note: get("affected_note"),
        consequences: get("consequences"),
        measures: get("measures"),
        contact: get("contact"),
    };
    match state.app.record_breach(&auth.actor, f.clone()).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/breaches/{id}")).into_response()),
        Err(AppError::Invalid(m)) => list_page(&state, &auth, 1, f, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "breach.html")]
struct BreachPage {
    l: Layout,
    b: BreachVm,
    addressee: String,
    content_verified: bool,
    error: Option<String>,
}

async fn breach_page(state: &AppState, auth: &Auth, id: i64, error: Option<String>) -> Result<Response, WebError> {
    let v = state.app.breach(&auth.actor, id).await?;
    let title = format!("{} {id}", crate::i18n::t(auth.lang, "breaches.one"));
    let l = Layout::new(state, auth, &title, "admin").await;
    let refused = error.is_some();
    let page = BreachPage { l, b: BreachVm::new(&v), addressee: v.addressee.clone(), content_verified: v.content_verified, error };
    Ok(view::render_form(&page, refused))
}

pub async fn breach_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    breach_page(&state, &auth, id, None).await
}

pub async fn notify_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<super::form::VersionForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.mark_breach_notified(&auth.actor, id, f.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/breaches/{id}")).into_response()),
        Err(AppError::Conflict(m)) => breach_page(&state, &auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}
