//! Officers' side of publishing: articles on exemplary models, good practices and initiatives
//! (written by a unit, reviewed by DOET), and the learning resources a school or centre shares.

use super::form::{field, num, pairs};
use super::{Upload, read_upload, unit_name};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::ports::{ArticleRow, PageRequest};
use thidua_domain::access::Action;
use thidua_domain::publications::{ArticleKind, ArticleState, ArticleStep, ArticleText, RESOURCE_LEVELS, RESOURCE_TOPICS, ResourceText};

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    page: Option<i64>,
}

pub(crate) struct ArticleLine {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub unit: String,
    pub state: &'static str,
    pub state_code: String,
    pub updated: String,
}

pub(crate) struct ResourceLine {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub topic: &'static str,
    pub level: &'static str,
    pub unit: String,
    pub published: bool,
    pub link: String,
}

#[derive(Template)]
#[template(path = "publications.html")]
struct ListPage {
    l: Layout,
    state: String,
    articles: Vec<ArticleLine>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
    resources: Vec<ResourceLine>,
    units: Vec<(i64, String)>,
    topics: &'static [(&'static str, &'static str)],
    levels: &'static [(&'static str, &'static str)],
    error: Option<String>,
    reviewer: bool,
}

/// The units the actor may write for (their entry units where `Action::Report` is allowed).
async fn writable_units(state: &AppState, auth: &Auth) -> Result<Vec<(i64, String)>, WebError> {
    let mut out = Vec::new();
    for u in state.app.entry_units(&auth.actor).await? {
        if state.app.can(&auth.actor, Action::Report, u.id).await {
            out.push((u.id, u.name));
        }
    }
    Ok(out)
}

async fn list_page(state: &AppState, auth: &Auth, q: ListQuery, error: Option<String>) -> Result<Response, WebError> {
    let filter = q.state.as_deref().and_then(ArticleState::parse);
    let page = PageRequest::new(super::page_no(q.page), 50);
    let got = state.app.articles_in_scope(&auth.actor, filter, page).await?;
    let snap = state.app.snapshot().await?;
    let articles = got
        .items
        .iter()
        .map(|a| ArticleLine {
            id: a.id,
            title: a.title.clone(),
            kind: ArticleKind::parse(&a.kind).map_or("", |k| k.label_vi()),
            unit: unit_name(&snap, a.unit_id),
            state: a.state.label_vi(),
            state_code: a.state.code().into(),
            updated: view::datetime_ms(a.updated_at_ms),
        })
        .collect();
    let resources = state
        .app
        .resources_in_scope(&auth.actor, PageRequest::new(1, 100))
        .await?
        .items
        .into_iter()
        .map(|r| resource_line(&snap, r))
        .collect();
    let reviewer = state.app.allowed_somewhere(&auth.actor, &[Action::ReviewReports]).await?.first().copied().unwrap_or(false);
    let refused = error.is_some();
    let state_code = filter.map(|s| s.code().to_string()).unwrap_or_default();
    Ok(view::render_form(
        &ListPage {
            l: Layout::new(state, auth, "Bài viết điển hình và học liệu", "publications").await.vietnamese_only(),
            base_url: format!("/publications?state={state_code}&"),
            state: state_code,
            articles,
            total: got.total,
            pages: got.pages(),
            page_links: view::page_links(got.page, got.pages()),
            resources,
            units: writable_units(state, auth).await?,
            topics: &RESOURCE_TOPICS,
            levels: &RESOURCE_LEVELS,
            error,
            reviewer,
        },
        refused,
    ))
}

pub(crate) fn resource_line(snap: &thidua_app::registry::TreeSnapshot, r: thidua_app::ports::ResourceRow) -> ResourceLine {
    let link = match (&r.url, &r.file_name) {
        (Some(url), _) => url.clone(),
        (None, Some(_)) => format!("/hoc-lieu/{}/tep", r.id),
        _ => String::new(),
    };
    ResourceLine {
        id: r.id,
        version: r.version,
        topic: thidua_domain::publications::topic_label(&r.topic).unwrap_or(""),
        level: thidua_domain::publications::level_label(&r.level).unwrap_or(""),
        unit: unit_name(snap, r.unit_id),
        published: r.state == thidua_domain::publications::ResourceState::Published,
        title: r.title,
        link,
    }
}

pub async fn list_get(State(state): State<AppState>, auth: Auth, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    list_page(&state, &auth, q, None).await
}

#[derive(Template)]
#[template(path = "article_form.html")]
struct ArticlePage {
    l: Layout,
    /// 0 for a new article.
    id: i64,
    version: i64,
    unit: String,
    units: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str, bool)>,
    t: ArticleText,
    state: &'static str,
    state_code: String,
    review_comment: String,
    has_photo: bool,
    can_edit: bool,
    steps: Vec<(&'static str, &'static str, bool)>,
    error: Option<String>,
    published_at: String,
}

async fn article_page(
    state: &AppState,
    auth: &Auth,
    a: Option<ArticleRow>,
    typed: Option<(ArticleKind, ArticleText)>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let snap = state.app.snapshot().await?;
    let units = writable_units(state, auth).await?;
    let a_state = a.as_ref().map_or(ArticleState::Draft, |a| a.state);
    let kind =
        typed.as_ref().map(|(k, _)| *k).or_else(|| a.as_ref().and_then(|a| ArticleKind::parse(&a.kind))).unwrap_or(ArticleKind::Model);
    let t = match (typed, &a) {
        (Some((_, t)), _) => t,
        (None, Some(a)) => ArticleText {
            title: a.title.clone(),
            summary: a.summary.clone(),
            body: a.body.clone(),
            subjects: a.subjects.clone(),
            recognition: a.recognition.clone(),
            photo_caption: a.photo_caption.clone(),
        },
        (None, None) => ArticleText::default(),
    };
    let (can_write, can_review) = match &a {
        Some(a) => (
            state.app.can(&auth.actor, Action::Report, a.unit_id).await,
            state.app.can(&auth.actor, Action::ReviewReports, a.unit_id).await,
        ),
        None => (!units.is_empty(), false),
    };
    let steps = ArticleStep::ALL
        .into_iter()
        .filter(|s| a.is_some() && thidua_domain::publications::next(a_state, *s).is_ok())
        .filter(|s| if s.by_reviewer() { can_review } else { can_write })
        .map(|s| (s.code(), s.label_vi(), s.needs_reason()))
        .collect();
    let refused = error.is_some();
    let title = a.as_ref().map_or("Viết bài mới".to_string(), |a| a.title.clone());
    Ok(view::render_form(
        &ArticlePage {
            l: Layout::new(state, auth, title, "publications").await.vietnamese_only(),
            id: a.as_ref().map_or(0, |a| a.id),
            version: a.as_ref().map_or(0, |a| a.version),
            unit: a.as_ref().map(|a| unit_name(&snap, a.unit_id)).unwrap_or_default(),
            units,
            kinds: ArticleKind::ALL.iter().map(|k| (k.code(), k.label_vi(), *k == kind)).collect(),
            t,
            state: a_state.label_vi(),
            state_code: a_state.code().into(),
            review_comment: a.as_ref().map(|a| a.review_comment.clone()).unwrap_or_default(),
            has_photo: a.as_ref().is_some_and(|a| a.photo_sha256.is_some()),
            can_edit: can_write && a_state.editable(),
            steps,
            error,
            published_at: a.as_ref().and_then(|a| a.published_at_ms).map(view::datetime_ms).unwrap_or_default(),
        },
        refused,
    ))
}

pub async fn new_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    state.app.require_somewhere(&auth.actor, Action::Report).await?;
    article_page(&state, &auth, None, None, None).await
}

pub async fn article_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let a = state.app.article(&auth.actor, id).await?;
    article_page(&state, &auth, Some(a), None, None).await
}

fn typed(u: &Upload) -> Result<(ArticleKind, ArticleText), WebError> {
    let kind = ArticleKind::parse(u.field("kind")).ok_or_else(|| WebError::bad_request("Chưa chọn loại bài."))?;
    Ok((
        kind,
        ArticleText {
            title: u.field("title").into(),
            summary: u.field("summary").into(),
            body: u.field("body").into(),
            subjects: u.field("subjects").into(),
            recognition: u.field("recognition").into(),
            photo_caption: u.field("photo_caption").into(),
        },
    ))
}

/// Creates an article (id 0 in the path of `/publications/articles`) or saves an edit.
async fn save(state: &AppState, auth: &Auth, id: i64, u: Upload) -> Result<Response, WebError> {
    auth.verify_csrf(u.field("_csrf"))?;
    // A new article names its unit in the form; who may write for it, before what is wrong.
    let unit: i64 =
        if id == 0 { u.field("unit").trim().parse().map_err(|_| WebError::bad_request("Chưa chọn đơn vị."))? } else { 0 };
    state.app.may_edit_article(&auth.actor, id, (id == 0).then_some(unit)).await?;
    let (kind, text) = typed(&u)?;
    let version: i64 = u.field("version").trim().parse().unwrap_or(0);
    let photo = (!u.bytes.is_empty()).then_some(u.bytes.as_slice());
    let input = thidua_app::publications::ArticleInput { unit, kind, text };
    match state.app.save_article(&auth.actor, id, version, &input, photo).await {
        Ok(id) => Ok(Redirect::to(&format!("/publications/articles/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            let a = if id == 0 { None } else { Some(state.app.article(&auth.actor, id).await?) };
            article_page(state, auth, a, Some((input.kind, input.text)), Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_post(State(state): State<AppState>, auth: Auth, mp: Multipart) -> Result<Response, WebError> {
    // Permission is decided from the session before a byte of the photo is read.
    state.app.may_edit_article(&auth.actor, 0, None).await?;
    let u = read_upload(mp).await?;
    save(&state, &auth, 0, u).await
}

pub async fn article_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, mp: Multipart) -> Result<Response, WebError> {
    state.app.may_edit_article(&auth.actor, id, None).await?;
    let u = read_upload(mp).await?;
    save(&state, &auth, id, u).await
}

pub async fn step_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let step = ArticleStep::parse(field(&p, "step")).ok_or_else(|| WebError::bad_request("Bước không có."))?;
    match state.app.article_step(&auth.actor, id, num(&p, "version")?, step, field(&p, "reason")).await {
        Ok(()) => Ok(Redirect::to(&format!("/publications/articles/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            let a = state.app.article(&auth.actor, id).await?;
            article_page(&state, &auth, Some(a), None, Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn photo_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let (bytes, mime) = state.app.article_photo(Some(&auth.actor), id).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, mime), (axum::http::header::CACHE_CONTROL, "private, no-store")], bytes).into_response())
}

pub async fn resource_post(State(state): State<AppState>, auth: Auth, mp: Multipart) -> Result<Response, WebError> {
    state.app.require_somewhere(&auth.actor, thidua_domain::access::Action::Report).await?;
    let u = read_upload(mp).await?;
    auth.verify_csrf(u.field("_csrf"))?;
    let unit: i64 = u.field("unit").trim().parse().map_err(|_| WebError::bad_request("Chưa chọn đơn vị."))?;
    let text = ResourceText {
        title: u.field("title").into(),
        topic: u.field("topic").into(),
        level: u.field("level").into(),
        description: u.field("description").into(),
        url: u.field("url").into(),
    };
    let file = (!u.bytes.is_empty()).then_some((u.file_name.as_str(), u.bytes.as_slice()));
    match state.app.add_resource(&auth.actor, unit, &text, file).await {
        Ok(_) => Ok(Redirect::to("/publications#resources").into_response()),
        Err(AppError::Invalid(m)) => list_page(&state, &auth, ListQuery { state: None, page: None }, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn resource_withdraw_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    match state.app.withdraw_resource(&auth.actor, id, num(&p, "version")?).await {
        Ok(()) => Ok(Redirect::to("/publications#resources").into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => list_page(&state, &auth, ListQuery { state: None, page: None }, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}
