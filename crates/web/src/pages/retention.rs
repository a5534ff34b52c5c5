//! The retention job's page (issue 18 §3): what is past its retention period per purpose, as the
//! last scans found it, for an administrator of the city to confirm; and a scan on demand.

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
use thidua_app::ports::PageRequest;
use thidua_domain::dates::moment_in_hanoi;

struct SweepVm {
    id: i64,
    version: i64,
    purpose: String,
    retention: String,
    what: &'static str,
    cutoff: String,
    due: String,
    due_n: i64,
    scanned: String,
    state: &'static str,
    listed: bool,
    applied: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "retention.html")]
struct RetentionPage {
    l: Layout,
    rows: Vec<SweepVm>,
    error: Option<String>,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

async fn page(state: &AppState, auth: &Auth, n: i64, error: Option<String>) -> Result<Response, WebError> {
    let list = state.app.retention_sweeps(&auth.actor, PageRequest::new(n, 50)).await?;
    let number = |v: i64| thidua_domain::text::number(i128::from(v));
    let rows = list
        .items
        .iter()
        .map(|v| {
            let s = &v.record;
            SweepVm {
                id: s.id,
                version: s.version,
                purpose: v.purpose_name.clone(),
                retention: v.retention.clone(),
                what: s.what.label(),
                cutoff: s.cutoff.words(),
                due: number(s.due),
                due_n: s.due,
                scanned: moment_in_hanoi(s.scanned_at_ms).unwrap_or_default(),
                state: match s.state.as_str() {
                    "listed" => "Chờ xác nhận",
                    "applied" => "Đã xóa",
                    _ => "Đã có lần rà soát mới hơn",
                },
                listed: s.state == "listed",
                applied: s
                    .applied
                    .as_ref()
                    .map(|(by, at, n)| format!("{} mục, {} ({by})", number(*n), moment_in_hanoi(*at).unwrap_or_default()))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "retention.title"), "admin").await;
    let pages = list.pages();
    let refused = error.is_some();
    let page = RetentionPage {
        l,
        rows,
        error,
        pages,
        page_links: (1..=pages).map(|p| (p, p == list.page)).collect(),
        base_url: "/admin/retention?".into(),
    };
    Ok(view::render_form(&page, refused))
}

pub async fn retention_get(State(state): State<AppState>, auth: Auth, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    page(&state, &auth, q.page.unwrap_or(1), None).await
}

pub async fn scan_post(State(state): State<AppState>, auth: Auth, Form(f): Form<super::form::VersionForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.scan_retention(Some(&auth.actor)).await?;
    Ok(Redirect::to("/admin/retention").into_response())
}

pub async fn apply_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<super::form::VersionForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.apply_retention(&auth.actor, id, f.version).await {
        Ok(_) => Ok(Redirect::to("/admin/retention").into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => page(&state, &auth, 1, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}
