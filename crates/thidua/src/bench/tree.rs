//! `thidua bench tree` (issue 14 §7): the unit tree with its successions and dated memberships,
//! on a database filled by `thidua demo --scale hanoi` (the real 126 wards and communes, the 556
//! units before them, ~4,000 villages each with its earlier parent). Each run opens a fresh
//! application, so nothing is cached: loading the tree, the tree as of 31/12/2024 and 31/12/2025
//! (every unit's chain on that date), the coverage of 2024 in its own tree (the yearly report)
//! and in the 2025 tree (the mid-term review), and the city's coverage page (`/titles`) cold and
//! then warm. It prints the median and the slowest of each.

use crate::config::Config;
use axum::http::StatusCode;
use std::time::Instant;

/// Milliseconds since `start`.
fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// (median, slowest) of `times`.
fn summary(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times.get(times.len() / 2).copied().unwrap_or(0.0), times.last().copied().unwrap_or(0.0))
}

pub async fn tree(config: &Config, user: &str, runs: usize) -> Result<(), String> {
    let err = |e: thidua_app::AppError| e.to_string();
    let labels = [
        "tree loaded (units, successions, memberships)",
        "tree as of 31/12/2024 (every unit's chain)",
        "tree as of 31/12/2025",
        "coverage 2024 in its own tree (cold)",
        "coverage 2024 in the 2025 tree (cold)",
        "coverage page /titles, first request",
        "coverage page /titles, warm (p95 of 20)",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
    let mut shape = String::new();
    for _ in 0..runs.max(1) {
        let app = crate::open_app(config).await?;
        let t = Instant::now();
        let snap = app.snapshot().await.map_err(err)?;
        times[0].push(ms(t));
        if shape.is_empty() {
            let memberships: usize = snap.units.values().map(|u| u.earlier_parents.len()).sum();
            let successions: usize = snap.units.values().map(|u| u.successors.len()).sum();
            shape = format!("{} units, {successions} successions, {memberships} earlier memberships", snap.units.len());
        }
        for (i, year) in [(1, 2024), (2, 2025)] {
            let date = time::Date::from_calendar_date(year, time::Month::December, 31).map_err(|e| e.to_string())?;
            let t = Instant::now();
            std::hint::black_box(snap.tree.chains(date));
            times[i].push(ms(t));
        }
        let t = Instant::now();
        app.year_coverage(2024).await.map_err(err)?;
        times[3].push(ms(t));
        let t = Instant::now();
        app.year_coverage_in(2024, 2025).await.map_err(err)?;
        times[4].push(ms(t));
        let web = thidua_web::WebConfig { max_upload_bytes: 1 << 20, max_import_rows: 1000, ..Default::default() };
        let router = thidua_web::router(app.clone(), web);
        let (_, session) = super::sign_in::sign_in(&app, user).await?;
        let cookie = format!("{}={}", thidua_web::SESSION_COOKIE, session.token);
        let (status, _, first) = super::pages::get(&router, "/titles?year=2025", &cookie).await?;
        if status != StatusCode::OK {
            return Err(format!("/titles answered {status}"));
        }
        times[5].push(first);
        let mut warm = Vec::with_capacity(20);
        for _ in 0..20 {
            warm.push(super::pages::get(&router, "/titles?year=2025", &cookie).await?.2);
        }
        warm.sort_by(f64::total_cmp);
        times[6].push(warm[warm.len() * 95 / 100 - 1]);
    }
    println!("engine: {}; {shape}; {runs} runs, each on a fresh application", crate::open_app(config).await?.backend());
    for (label, t) in labels.iter().zip(times) {
        let (median, slowest) = summary(t);
        println!("{label}: median {median:.1} ms, slowest {slowest:.1} ms");
    }
    Ok(())
}
