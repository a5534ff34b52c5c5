//! `thidua bench reads` (issue 18 §4): what logging who read whose data costs. The same pages —
//! the officer's home (its dashboard figures), a list of citizens, citizens' and households'
//! own pages — are requested by CLIENTS concurrent loops for SECONDS each, through the router
//! (no network), by two applications on the same database in the same process: one that logs
//! every read (as every server does) and one that does not; the two alternate twice, so that a
//! warm cache or a busy disk favours neither. It prints requests per second, p50 and p99 of each.

use crate::config::Config;
use axum::http::StatusCode;
use std::time::{Duration, Instant};
use thidua_app::App;
use thidua_app::ports::{HouseholdSort, PageRequest, PersonSort};

/// What to request and how hard.
#[derive(Debug, Clone)]
pub struct ReadsBench {
    pub user: String,
    pub clients: usize,
    pub seconds: f64,
}

/// One kind of page: its label and the paths requested in turn.
struct Kind {
    label: &'static str,
    paths: Vec<String>,
}

/// The pages of each kind, from the officer's own records.
async fn kinds(app: &App, actor: &thidua_app::Actor) -> Result<Vec<Kind>, String> {
    let people = app.people(actor, None, None, None, PersonSort::Name, PageRequest::new(1, 200)).await.map_err(|e| e.to_string())?;
    let households =
        app.households_sorted(actor, None, None, HouseholdSort::Code, PageRequest::new(1, 200)).await.map_err(|e| e.to_string())?;
    if people.items.is_empty() || households.items.is_empty() {
        return Err("the user sees no citizen or household: fill the database with `thidua demo` first".into());
    }
    Ok(vec![
        Kind { label: "trang chủ (bảng số liệu)", paths: vec!["/".into()] },
        Kind { label: "danh sách công dân", paths: (1..=5).map(|p| format!("/people?page={p}")).collect() },
        Kind { label: "hồ sơ công dân", paths: people.items.iter().map(|p| format!("/people/{}", p.id)).collect() },
        Kind { label: "hồ sơ hộ gia đình", paths: households.items.iter().map(|h| format!("/households/{}", h.id)).collect() },
    ])
}

/// Requests per second, p50 and p99 (ms) of `clients` loops over `paths` for `seconds`.
async fn load(router: &axum::Router, cookie: &str, paths: &[String], clients: usize, seconds: f64) -> Result<(f64, f64, f64), String> {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let mut loops = Vec::with_capacity(clients);
    for c in 0..clients {
        let (router, cookie, paths) = (router.clone(), cookie.to_string(), paths.to_vec());
        loops.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut i = c;
            while Instant::now() < until {
                let (status, _, ms) = super::pages::get(&router, &paths[i % paths.len()], &cookie).await?;
                if status != StatusCode::OK {
                    return Err(format!("{} answered {status}", paths[i % paths.len()]));
                }
                times.push(ms);
                i += clients;
            }
            Ok::<_, String>(times)
        }));
    }
    let start = Instant::now();
    let mut all = Vec::new();
    for l in loops {
        all.extend(l.await.map_err(|e| e.to_string())??);
    }
    let elapsed = start.elapsed().as_secs_f64().max(seconds);
    all.sort_by(f64::total_cmp);
    Ok((all.len() as f64 / elapsed, super::pages::percentile(&all, 50.0), super::pages::percentile(&all, 99.0)))
}

pub async fn reads(config: &Config, opts: ReadsBench) -> Result<(), String> {
    let logging = crate::open_app_logging_reads(config, true).await?;
    let silent = crate::open_app_logging_reads(config, false).await?;
    let engine = logging.backend();
    let (actor, session) = super::sign_in::sign_in(&logging, &opts.user).await?;
    let cookie = format!("{}={}", thidua_web::SESSION_COOKIE, session.token);
    let kinds = kinds(&logging, &actor).await?;
    let web = thidua_web::WebConfig::default();
    let routers = [("không ghi nhật ký", thidua_web::router(silent, web.clone())), ("ghi nhật ký", thidua_web::router(logging, web))];
    println!("engine: {engine}; user {}; {} concurrent clients; {} s per measure", opts.user, opts.clients, opts.seconds);
    println!("| trang | nhật ký | round | req/s | p50 ms | p99 ms |");
    println!("|---|---|---:|---:|---:|---:|");
    for kind in &kinds {
        for round in 1..=2 {
            for (mode, router) in &routers {
                let (rate, p50, p99) = load(router, &cookie, &kind.paths, opts.clients, opts.seconds).await?;
                println!("| {} | {mode} | {round} | {rate:.0} | {p50:.1} | {p99:.1} |", kind.label);
            }
        }
    }
    Ok(())
}
