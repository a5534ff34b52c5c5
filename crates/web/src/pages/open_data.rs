//! Open data and the press feed, public and without login: titles by ward and year as CSV and
//! JSON (no personal data, small counts suppressed), and an Atom feed of the newest decisions.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Query;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::open_data::{FeedEntry, SUPPRESS_BELOW};

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    nam: Option<i64>,
}

fn year_of(state: &AppState, q: &YearQuery) -> i64 {
    q.nam.unwrap_or_else(|| state.app.working_year())
}

fn public(mut r: Response, content_type: &'static str) -> Response {
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    r.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    r
}

#[derive(Template)]
#[template(path = "open_data.html")]
struct OpenDataPage {
    l: Layout,
    year: i64,
    suppress_below: u64,
}

pub async fn open_data_get(State(state): State<AppState>, headers: axum::http::HeaderMap, Query(q): Query<YearQuery>) -> Response {
    let lang = crate::session::lang_of(&headers);
    view::render(&OpenDataPage {
        l: Layout::anonymous(lang, "Dữ liệu mở").vietnamese_only(),
        year: year_of(&state, &q),
        suppress_below: SUPPRESS_BELOW,
    })
}

pub async fn titles_json_get(State(state): State<AppState>, Query(q): Query<YearQuery>) -> Result<Response, WebError> {
    let rows = state.app.open_statistics(year_of(&state, &q)).await?;
    let body = serde_json::json!({
        "dataset": "Danh hiệu học tập theo đơn vị và năm",
        "publisher": "Sở Giáo dục và Đào tạo Hà Nội",
        "license": "Dữ liệu tổng hợp, không có dữ liệu cá nhân; số từ 1 đến 4 được ẩn (null)",
        "suppressed_below": SUPPRESS_BELOW,
        "rows": rows,
    });
    Ok(public(body.to_string().into_response(), "application/json; charset=utf-8"))
}

pub async fn titles_csv_get(State(state): State<AppState>, Query(q): Query<YearQuery>) -> Result<Response, WebError> {
    let rows = state.app.open_statistics(year_of(&state, &q)).await?;
    let n = |v: Option<u64>| v.map(|x| thidua_domain::text::number(x.into())).unwrap_or_else(|| "x".to_string());
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.year.to_string(),
                r.unit_code.clone(),
                r.unit_name.clone(),
                r.title.clone(),
                r.title_name.clone(),
                n(r.eligible),
                n(r.recognised),
                r.coverage.map(|c| c.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let headers = ["nam", "ma_don_vi", "don_vi", "ma_danh_hieu", "danh_hieu", "thuoc_dien", "duoc_cong_nhan", "ty_le_phan_tram"];
    let body = thidua_documents::write_csv(&headers, &rows).map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(public(body.into_response(), "text/csv; charset=utf-8"))
}

#[derive(Template)]
#[template(path = "feed.atom", escape = "xml")]
struct Feed {
    base: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

/// The Atom feed for the press: the newest decisions.
pub async fn feed_get(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Result<Response, WebError> {
    let entries = state.app.press_feed(50).await?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let base = format!("http://{host}");
    let updated = entries.first().map(|e| e.updated.clone()).unwrap_or_else(|| "2023-01-01T00:00:00Z".into());
    let xml = askama::Template::render(&Feed { base, updated, entries })
        .map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(public(xml.into_response(), "application/atom+xml; charset=utf-8"))
}

#[derive(Deserialize)]
pub struct RankQuery {
    #[serde(default)]
    nam: Option<i64>,
    #[serde(default, rename = "chi-so")]
    chi_so: Option<String>,
}

#[derive(Template)]
#[template(path = "ranking.html")]
struct RankingPage {
    l: Layout,
    year: i64,
    title: String,
    titles: Vec<(&'static str, &'static str)>,
    rows: Vec<(String, String, String, String, String)>,
}

/// Wards ranked by an indicator (in place of a map: no boundary data the project may ship).
pub async fn ranking_get(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(q): Query<RankQuery>,
) -> Result<Response, WebError> {
    let lang = crate::session::lang_of(&headers);
    let year = q.nam.unwrap_or_else(|| state.app.working_year());
    let title = q.chi_so.unwrap_or_else(|| "gia_dinh_hoc_tap".into());
    let lines = state.app.ranking(&title, year).await?;
    let n = |v: Option<u64>| v.map(|x| thidua_domain::text::number(x.into())).unwrap_or_else(|| "x".to_string());
    let rows = lines
        .into_iter()
        .map(|r| {
            (
                if r.rank > 0 { r.rank.to_string() } else { "—".into() },
                r.unit_name,
                n(r.recognised),
                n(r.eligible),
                thidua_domain::text::percent(r.coverage),
            )
        })
        .collect();
    let titles = thidua_domain::titles::titles_in_year(year).map(|t| (t.code, t.label_vi)).collect();
    let mut r =
        view::render(&RankingPage {
            l: Layout::anonymous(lang, "Xếp hạng theo chỉ số").vietnamese_only(), year, title, titles, rows
        });
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(r)
}
