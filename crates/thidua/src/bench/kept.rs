//! `thidua bench kept`: the kept dashboards while wards write (issue 19, target 5). On a database
//! filled by `thidua demo` (or `--scale hanoi`), DOET's officer asks for three dashboards — the
//! city's, a ward's that writes, a ward's that does not — from `readers` concurrent loops through
//! the router for `seconds` each, first while nobody writes, then while `writers` wards each
//! create one household every `every_ms` milliseconds through the use cases, as their officers
//! do. Every request and every write is timed; the two runs' percentiles are printed side by side.

use super::pages::{get, percentile};
use crate::config::Config;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use thidua_app::ports::HouseholdInput;
use thidua_domain::registry::NodeKind;

/// Options of `thidua bench kept`.
#[derive(Debug, Clone)]
pub struct KeptBench {
    pub year: i64,
    pub writers: usize,
    pub every_ms: u64,
    pub seconds: f64,
    pub readers: usize,
}

/// p50 and p95 of some timings, in ms.
fn spread(mut ms: Vec<f64>) -> (f64, f64, usize) {
    ms.sort_by(f64::total_cmp);
    (percentile(&ms, 50.0), percentile(&ms, 95.0), ms.len())
}

/// `readers` loops asking for `path` for `seconds`; every answer must be a 200.
async fn read(router: &axum::Router, path: &str, cookie: &str, readers: usize, seconds: f64) -> Result<Vec<f64>, String> {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let loops = (0..readers.max(1)).map(|_| {
        let (router, path, cookie) = (router.clone(), path.to_string(), cookie.to_string());
        tokio::spawn(async move {
            let mut ms = Vec::new();
            while Instant::now() < until {
                let (status, _, t) = get(&router, &path, &cookie).await?;
                if !status.is_success() {
                    return Err(format!("{path}: {status}"));
                }
                ms.push(t);
            }
            Ok::<_, String>(ms)
        })
    });
    let mut all = Vec::new();
    for h in loops.collect::<Vec<_>>() {
        all.extend(h.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

pub async fn kept(config: &Config, opts: KeptBench) -> Result<(), String> {
    let e = |x: thidua_app::AppError| format!("{x:?}");
    let app = crate::open_app(config).await?;
    let engine = app.backend();
    let admin = app.operator().await.map_err(e)?;
    let snap = app.snapshot().await.map_err(e)?;
    // Wards (or communes) with a village holding households, each with its first such village.
    let mut wards: Vec<(i64, i64)> = snap
        .units
        .values()
        .filter(|u| u.active && u.kind.holds_households())
        .filter_map(|v| Some((v.parent_id?, v.id)))
        .filter(|(w, _)| {
            snap.units.get(w).is_some_and(|w| w.active && matches!(w.kind, NodeKind::Ward | NodeKind::Commune | NodeKind::Township))
        })
        .collect();
    wards.sort_unstable();
    wards.dedup_by_key(|(w, _)| *w);
    if wards.len() <= opts.writers {
        return Err(format!("{} wards with villages: need more than the {} writers", wards.len(), opts.writers));
    }
    let (writing, quiet) = (wards[0].0, wards[opts.writers].0);
    let name = |id: i64| snap.units.get(&id).map(|u| u.name.clone()).unwrap_or_default();

    let web = thidua_web::WebConfig { max_upload_bytes: 1 << 20, max_import_rows: 1000, ..Default::default() };
    let router = thidua_web::router(app.clone(), web);
    let (_, session) = super::sign_in::sign_in(&app, "sogd").await?;
    let cookie = format!("{}={}", thidua_web::SESSION_COOKIE, session.token);
    let y = opts.year;
    let pages = [
        ("the city".to_string(), format!("/dashboard?year={y}")),
        (format!("a ward that writes ({})", name(writing)), format!("/dashboard?unit={writing}&year={y}")),
        (format!("a ward that does not ({})", name(quiet)), format!("/dashboard?unit={quiet}&year={y}")),
    ];
    println!(
        "engine: {engine}; year {y}; {} readers per dashboard for {:.1} s; {} wards write one household every {} ms each",
        opts.readers, opts.seconds, opts.writers, opts.every_ms
    );

    let mut alone = Vec::new();
    for (what, path) in &pages {
        let s = spread(read(&router, path, &cookie, opts.readers, opts.seconds).await?);
        println!("no writes, {what}: {} requests, p50 {:.1} ms, p95 {:.1} ms", s.2, s.0, s.1);
        alone.push(s);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let pid = std::process::id();
    let writers: Vec<_> = wards[..opts.writers]
        .iter()
        .enumerate()
        .map(|(w, (_, village))| {
            let (app, admin, stop, village) = (app.clone(), admin.clone(), stop.clone(), *village);
            let every = Duration::from_millis(opts.every_ms);
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                let mut ms = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    tick.tick().await;
                    let input = HouseholdInput {
                        code: format!("KEPT-{pid}-{w:02}-{:06}", ms.len()),
                        unit_id: village,
                        head_name: "Nguyễn Thị Ghi".into(),
                        address: None,
                        member_count: Some(3),
                    };
                    let start = Instant::now();
                    app.create_household(&admin, input).await.map_err(|e| format!("ward {w}: {e:?}"))?;
                    ms.push(start.elapsed().as_secs_f64() * 1000.0);
                }
                Ok::<_, String>(ms)
            })
        })
        .collect();
    let started = Instant::now();
    let mut during = Vec::new();
    let mut failed = None;
    for (what, path) in &pages {
        match read(&router, path, &cookie, opts.readers, opts.seconds).await {
            Ok(ms) => {
                let s = spread(ms);
                println!("{} wards writing, {what}: {} requests, p50 {:.1} ms, p95 {:.1} ms", opts.writers, s.2, s.0, s.1);
                during.push(s);
            }
            Err(err) => {
                failed = Some(err);
                break;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut writes = Vec::new();
    for w in writers {
        writes.extend(w.await.map_err(|e| e.to_string())??);
    }
    if let Some(err) = failed {
        return Err(err);
    }
    let rate = writes.len() as f64 / started.elapsed().as_secs_f64();
    let w = spread(writes);
    println!("writes: {} ({rate:.1}/s), p50 {:.1} ms, p95 {:.1} ms", w.2, w.0, w.1);
    let cells: Vec<String> = alone.iter().zip(&during).map(|(a, d)| format!("{:.1} / {:.1} → {:.1} / {:.1}", a.0, a.1, d.0, d.1)).collect();
    println!("| {engine} | {} × 1/{} ms ({rate:.1}/s, p95 {:.1} ms) | {} |", opts.writers, opts.every_ms, w.1, cells.join(" | "));
    Ok(())
}
