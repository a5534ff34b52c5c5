//! `thidua bench pages` (issue 19): every page a signed-in officer can reach, timed. For each user
//! named, this process signs in and walks the application from its home page by the links of
//! each page it receives (GET only; file downloads and sign-out left out), keeping a few pages of
//! each kind of path (numbers in the path and the query's values aside) and the deep pages of long
//! lists; each page is requested `runs` times through the router (no network), the first one
//! uncached. It prints each page's p50 and p95 and fails when a p95 is over the limit or a page
//! answers with a server error — so a new slow page shows up without anyone thinking of it.

use crate::config::Config;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::time::Instant;
use tower::ServiceExt;

/// What to walk and how hard.
#[derive(Debug, Clone)]
pub struct PagesBench {
    pub users: Vec<String>,
    pub runs: usize,
    /// Pages kept of each kind of path.
    pub per_kind: usize,
    /// Pages walked at most per user.
    pub max_pages: usize,
    /// A page whose p95 is over this many milliseconds fails the run.
    pub limit_ms: f64,
    /// Pages a person types rather than follows (searches, a deep page of a long list), walked
    /// first for every user.
    pub typed: Vec<String>,
}

/// One page as measured.
struct Timed {
    user: String,
    path: String,
    status: StatusCode,
    bytes: usize,
    p50: f64,
    p95: f64,
}

/// The kind of a path: numbers in its segments and the values of its query aside; a list's page
/// beyond the 100th is its own kind (the deep pages of long lists).
fn kind_of(path: &str) -> String {
    let (p, q) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> =
        p.split('/').map(|s| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { "{n}" } else { s }).collect();
    let mut keys: Vec<String> = q
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            if k == "page" && v.parse::<u64>().is_ok_and(|n| n > 100) { "page(deep)".to_string() } else { k.to_string() }
        })
        .collect();
    keys.sort();
    keys.dedup();
    format!("{}?{}", segments.join("/"), keys.join("&"))
}

/// The same-site GET links of a page, as paths.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/") {
        rest = &rest[i + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = rest[..end].replace("&amp;", "&");
        rest = &rest[end..];
        let path = href.split('#').next().unwrap_or_default().to_string();
        let file = path.split('?').next().unwrap_or_default();
        let skipped = path.starts_with("/static/")
            || path.starts_with("//")
            || file.contains("logout")
            || file.starts_with("/lang")
            || [".docx", ".xlsx", ".pdf", ".csv", ".zip", ".json", ".png", ".svg", ".ico", ".xml", ".txt"]
                .iter()
                .any(|x| file.ends_with(x));
        if !skipped && !path.is_empty() {
            out.push(path);
        }
    }
    out
}

/// Nearest-rank percentile of sorted times.
pub(super) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub(super) async fn get(router: &axum::Router, path: &str, cookie: &str) -> Result<(StatusCode, Vec<u8>, f64), String> {
    let mut req = Request::get(path).body(Body::empty()).map_err(|e| e.to_string())?;
    req.headers_mut().insert(header::COOKIE, cookie.parse().map_err(|_| "cookie".to_string())?);
    req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 9))));
    let start = Instant::now();
    let res = router.clone().oneshot(req).await.map_err(|e| e.to_string())?;
    let status = res.status();
    let body = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes().to_vec();
    Ok((status, body, start.elapsed().as_secs_f64() * 1000.0))
}

pub async fn pages(config: &Config, opts: PagesBench) -> Result<(), String> {
    let app = crate::open_app(config).await?;
    let engine = app.backend();
    let web = thidua_web::WebConfig { max_upload_bytes: 1 << 20, max_import_rows: 1000, ..Default::default() };
    let router = thidua_web::router(app.clone(), web);
    let mut all: Vec<Timed> = Vec::new();
    for user in &opts.users {
        let (_, session) = super::sign_in::sign_in(&app, user).await?;
        let cookie = format!("{}={}", thidua_web::SESSION_COOKIE, session.token);
        let mut queue: VecDeque<String> = std::iter::once("/".to_string()).chain(opts.typed.iter().cloned()).collect();
        let mut seen: HashSet<String> = queue.iter().cloned().collect();
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        let mut walked = 0;
        let start = Instant::now();
        while let Some(path) = queue.pop_front() {
            if walked == opts.max_pages {
                println!("{user}: stopped at {} pages; {} more links not followed", opts.max_pages, queue.len() + 1);
                break;
            }
            walked += 1;
            let mut times = Vec::with_capacity(opts.runs);
            let (status, body, first) = get(&router, &path, &cookie).await?;
            times.push(first);
            for _ in 1..opts.runs {
                times.push(get(&router, &path, &cookie).await?.2);
            }
            times.sort_by(f64::total_cmp);
            let html = String::from_utf8_lossy(&body);
            if status == StatusCode::OK {
                for link in links(&html) {
                    let kind = kind_of(&link);
                    let n = kinds.entry(kind).or_default();
                    if *n < opts.per_kind && seen.insert(link.clone()) {
                        *n += 1;
                        queue.push_back(link);
                    }
                }
            }
            all.push(Timed {
                user: user.clone(),
                path,
                status,
                bytes: body.len(),
                p50: percentile(&times, 50.0),
                p95: percentile(&times, 95.0),
            });
        }
        println!("{user}: {walked} pages walked in {:.1} s", start.elapsed().as_secs_f64());
    }
    all.sort_by(|a, b| b.p95.total_cmp(&a.p95));
    println!("engine: {engine}; {} runs a page; limit p95 {} ms", opts.runs, opts.limit_ms);
    println!("| user | page | status | KiB | p50 ms | p95 ms |");
    println!("|---|---|---:|---:|---:|---:|");
    for t in &all {
        let flag = if t.p95 > opts.limit_ms { " **over**" } else { "" };
        println!("| {} | `{}` | {} | {} | {:.1} | {:.1}{flag} |", t.user, t.path, t.status.as_u16(), t.bytes / 1024, t.p50, t.p95);
    }
    let slow: Vec<&Timed> = all.iter().filter(|t| t.p95 > opts.limit_ms).collect();
    let broken: Vec<&Timed> = all.iter().filter(|t| t.status.is_server_error()).collect();
    println!("{} pages; {} over {} ms; {} server errors", all.len(), slow.len(), opts.limit_ms, broken.len());
    if slow.is_empty() && broken.is_empty() {
        Ok(())
    } else {
        let names: Vec<String> =
            slow.iter().chain(&broken).map(|t| format!("{} {} ({:.0} ms, {})", t.user, t.path, t.p95, t.status)).collect();
        Err(format!("pages over the limit or failing: {}", names.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_one_kind_differ_only_by_their_numbers_and_query_values() {
        assert_eq!(kind_of("/units/34"), kind_of("/units/55"));
        assert_eq!(kind_of("/people?q=an&page=2"), kind_of("/people?page=3&q=lan"));
        assert_ne!(kind_of("/people?page=2"), kind_of("/people?page=5000"), "a deep page is its own kind");
        assert_ne!(kind_of("/units/34"), kind_of("/units/34/members"));
    }

    #[test]
    fn only_same_site_pages_are_followed() {
        let html = r#"<a href="/units/3?x=1&amp;page=2#top">a</a><a href="https://x.vn/">b</a><a href="/reports/2025/city.docx">c</a><a href="/logout">d</a><link href="/static/app.css"><a href="/lang/en">e</a>"#;
        assert_eq!(links(html), ["/units/3?x=1&page=2"]);
    }

    #[test]
    fn the_95th_percentile_of_five_runs_is_the_slowest() {
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0, 9.0], 95.0), 9.0);
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0, 9.0], 50.0), 3.0);
    }
}
