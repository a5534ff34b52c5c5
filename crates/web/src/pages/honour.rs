//! The public honour roll (Bảng vàng), without login: decided awards and recognised learning
//! titles; households and citizens named only with their consent.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Query;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::honour::HonourLine;
use thidua_app::ports::PageRequest;

#[derive(Deserialize)]
pub struct HonourQuery {
    /// `khen-thuong` (default) or `danh-hieu`.
    #[serde(default)]
    loai: Option<String>,
    #[serde(default)]
    nam: Option<i64>,
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "honour.html")]
struct HonourPage {
    l: Layout,
    titles_tab: bool,
    year: String,
    rows: Vec<HonourLine>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
    /// On the titles tab: the recognised families and citizens by ward, named or not (the same
    /// counts as open data and the dashboard, small ones hidden): (place, families, citizens).
    by_place: Vec<(String, String, String)>,
}

const PER_PAGE: i64 = 50;

pub async fn honour_get(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(q): Query<HonourQuery>,
) -> Result<Response, WebError> {
    let lang = crate::session::lang_of(&headers);
    let titles_tab = q.loai.as_deref() == Some("danh-hieu");
    let page = PageRequest::new(q.page.unwrap_or(1), PER_PAGE);
    let this_year = state.app.working_year();
    let year = q.nam.filter(|y| (2000..=2100).contains(y));
    let got = if titles_tab {
        state.app.honour_titles(year.unwrap_or(this_year), page).await?
    } else {
        state.app.honour_awards(year, page).await?
    };
    let year_text = match (titles_tab, year) {
        (_, Some(y)) => y.to_string(),
        (true, None) => this_year.to_string(),
        (false, None) => String::new(),
    };
    let base_url = format!("/vinh-danh?loai={}&nam={year_text}&", if titles_tab { "danh-hieu" } else { "khen-thuong" });
    let by_place = if titles_tab { by_place(&state, year.unwrap_or(this_year)).await? } else { vec![] };
    let mut r = view::render(&HonourPage {
        l: Layout::anonymous(lang, "Bảng vàng Phong trào xây dựng xã hội học tập").vietnamese_only(),
        titles_tab,
        year: year_text,
        total: got.total,
        pages: got.pages(),
        page_links: view::page_links(got.page, got.pages()),
        rows: got.items.clone(),
        base_url,
        by_place,
    });
    // Public, but a withdrawn consent must take effect at once: caches revalidate every time.
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-cache"));
    Ok(r.into_response())
}

/// Recognised learning families and citizens per ward (and the city first), from open data:
/// every one counted where it lives, named on the roll only with consent.
async fn by_place(state: &AppState, year: i64) -> Result<Vec<(String, String, String)>, WebError> {
    let stats = state.app.open_statistics(year).await?;
    let shown = |v: Option<u64>| v.map(|n| thidua_domain::text::number(n.into())).unwrap_or_else(|| "x".into());
    let mut out: Vec<(String, String, String)> = Vec::new();
    for s in stats.iter().filter(|s| s.title == "gia_dinh_hoc_tap" || s.title == "cong_dan_hoc_tap") {
        let at = match out.iter().position(|(place, ..)| *place == s.unit_name) {
            Some(i) => i,
            None => {
                out.push((s.unit_name.clone(), "0".into(), "0".into()));
                out.len() - 1
            }
        };
        if s.title == "gia_dinh_hoc_tap" {
            out[at].1 = shown(s.recognised);
        } else {
            out[at].2 = shown(s.recognised);
        }
    }
    Ok(out)
}
