//! The public's side of publishing (no login): exemplary models, good practices and recognised
//! initiatives as DOET published them, and the catalogue of open learning resources.

use super::publications::{ResourceLine, resource_line};
use super::unit_name;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::ports::PageRequest;
use thidua_domain::publications::{ArticleKind, RESOURCE_LEVELS, RESOURCE_TOPICS};

/// Public pages change when DOET publishes or withdraws: browsers revalidate every time.
fn no_cache(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

#[derive(Deserialize)]
pub struct ArticlesQuery {
    #[serde(default)]
    loai: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<i64>,
}

struct Card {
    id: i64,
    title: String,
    kind: &'static str,
    summary: String,
    unit: String,
    published: String,
    has_photo: bool,
}

#[derive(Template)]
#[template(path = "public_articles.html")]
struct ArticlesPage {
    l: Layout,
    kinds: Vec<(&'static str, &'static str, bool)>,
    kind: String,
    q: String,
    cards: Vec<Card>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

pub async fn articles_get(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(q): Query<ArticlesQuery>,
) -> Result<Response, WebError> {
    let lang = crate::session::lang_of(&headers);
    let kind = q.loai.as_deref().and_then(ArticleKind::parse);
    let query = q.q.clone().unwrap_or_default();
    let got = state.app.public_articles(kind, &query, PageRequest::new(super::page_no(q.page), 20)).await?;
    let snap = state.app.snapshot().await?;
    let cards = got
        .items
        .iter()
        .map(|a| Card {
            id: a.id,
            title: a.title.clone(),
            kind: ArticleKind::parse(&a.kind).map_or("", |k| k.label_vi()),
            summary: a.summary.clone(),
            unit: unit_name(&snap, a.unit_id),
            published: a
                .published_at_ms
                .and_then(thidua_domain::dates::date_in_hanoi)
                .map(thidua_domain::dates::format_dmy)
                .unwrap_or_default(),
            has_photo: a.photo_sha256.is_some(),
        })
        .collect();
    let kind_code = kind.map(|k| k.code().to_string()).unwrap_or_default();
    let base_url = format!("/guong-dien-hinh?{}&", super::filter_query(None, &[("loai", &kind_code), ("q", &query)]));
    Ok(no_cache(view::render(&ArticlesPage {
        l: Layout::anonymous(lang, "Gương điển hình, cách làm hay, sáng kiến").vietnamese_only(),
        kinds: ArticleKind::ALL.iter().map(|k| (k.code(), k.label_vi(), Some(*k) == kind)).collect(),
        kind: kind_code,
        q: query,
        cards,
        total: got.total,
        pages: got.pages(),
        page_links: view::page_links(got.page, got.pages()),
        base_url,
    })))
}

#[derive(Template)]
#[template(path = "public_article.html")]
struct ArticlePage {
    l: Layout,
    id: i64,
    kind: &'static str,
    kind_code: &'static str,
    title: String,
    summary: String,
    paragraphs: Vec<String>,
    subjects: String,
    recognition: String,
    unit: String,
    published: String,
    has_photo: bool,
    photo_caption: String,
}

pub async fn article_get(State(state): State<AppState>, headers: axum::http::HeaderMap, Path(id): Path<i64>) -> Result<Response, WebError> {
    let lang = crate::session::lang_of(&headers);
    let a = state.app.public_article(id).await?;
    let snap = state.app.snapshot().await?;
    let kind = ArticleKind::parse(&a.kind).unwrap_or(ArticleKind::Model);
    Ok(no_cache(view::render(&ArticlePage {
        l: Layout::anonymous(lang, a.title.clone()).vietnamese_only(),
        id: a.id,
        kind: kind.label_vi(),
        kind_code: kind.code(),
        paragraphs: a.body.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        summary: a.summary,
        subjects: a.subjects,
        recognition: a.recognition,
        unit: unit_name(&snap, a.unit_id),
        published: a
            .published_at_ms
            .and_then(thidua_domain::dates::date_in_hanoi)
            .map(thidua_domain::dates::format_dmy)
            .unwrap_or_default(),
        has_photo: a.photo_sha256.is_some(),
        photo_caption: a.photo_caption,
        title: a.title,
    })))
}

pub async fn photo_get(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, WebError> {
    let (bytes, mime) = state.app.article_photo(None, id).await?;
    Ok(no_cache(([(header::CONTENT_TYPE, mime)], bytes).into_response()))
}

#[derive(Deserialize)]
pub struct ResourcesQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default, rename = "chu-de")]
    topic: Option<String>,
    #[serde(default)]
    cap: Option<String>,
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "public_resources.html")]
struct ResourcesPage {
    l: Layout,
    q: String,
    topic: String,
    level: String,
    topics: &'static [(&'static str, &'static str)],
    levels: &'static [(&'static str, &'static str)],
    rows: Vec<(ResourceLine, String)>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

pub async fn resources_get(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(q): Query<ResourcesQuery>,
) -> Result<Response, WebError> {
    let lang = crate::session::lang_of(&headers);
    let query = q.q.clone().unwrap_or_default();
    let (topic, level) = (q.topic.clone().unwrap_or_default(), q.cap.clone().unwrap_or_default());
    let got = state
        .app
        .public_resources(
            Some(topic.as_str()).filter(|t| !t.is_empty()),
            Some(level.as_str()).filter(|l| !l.is_empty()),
            &query,
            PageRequest::new(super::page_no(q.page), 50),
        )
        .await?;
    let snap = state.app.snapshot().await?;
    let rows = got.items.iter().map(|r| (resource_line(&snap, r.clone()), r.description.clone())).collect();
    let base_url = format!("/hoc-lieu?{}&", super::filter_query(None, &[("q", &query), ("chu-de", &topic), ("cap", &level)]));
    Ok(no_cache(view::render(&ResourcesPage {
        l: Layout::anonymous(lang, "Kho học liệu mở").vietnamese_only(),
        q: query,
        topic,
        level,
        topics: &RESOURCE_TOPICS,
        levels: &RESOURCE_LEVELS,
        rows,
        total: got.total,
        pages: got.pages(),
        page_links: view::page_links(got.page, got.pages()),
        base_url,
    })))
}

pub async fn resource_file_get(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, WebError> {
    let (bytes, mime, name) = state.app.resource_file(id).await?;
    let disposition = format!("attachment; filename*=UTF-8''{}", super::form::urlencode(&name));
    Ok(no_cache(([(header::CONTENT_TYPE, mime), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()))
}
