//! `thidua bench monitoring`: issue 5 at Hanoi scale, on a database filled by `thidua demo --scale
//! hanoi`. Every reporting body writes, submits and has approved its yearly report through the use
//! cases; then this process serves the pages and measures DOET's consolidated city report (.docx)
//! and the units' annex (.xlsx) with curl, and the city dashboard, the public honour roll and
//! `/healthz` with wrk in the same run.

use super::{curl_time, five_runs, mib, serve, wrk};
use crate::config::Config;
use std::time::Instant;
use thidua_app::reports::{Activities, ReportInput};
use thidua_domain::reports::ReportStep;

pub async fn monitoring(config: &Config, year: i64, seconds: u32) -> Result<(), String> {
    let e = |x: thidua_app::AppError| format!("{x:?}");
    let app = crate::open_app(config).await?;
    let engine = app.backend();
    let dir = std::env::temp_dir().join(format!("thidua-bench-monitoring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let admin = app.operator().await.map_err(e)?;
    let snap = app.snapshot().await.map_err(e)?;
    let y = i32::try_from(year).map_err(|e| e.to_string())?;
    let mut bodies: Vec<_> = snap.units.values().filter(|u| thidua_app::App::reports_for(&snap, u, y)).map(|u| u.id).collect();
    bodies.sort_unstable();

    // 1. Every reporting body's report: written, submitted, approved (those not yet approved).
    let start = Instant::now();
    let mut written = 0;
    for (i, unit) in bodies.iter().enumerate() {
        let view = app.report_view(&admin, *unit, year).await.map_err(e)?;
        if view.state == thidua_domain::reports::ReportState::Approved {
            continue;
        }
        let input = ReportInput {
            activities: Activities { events: 12 + i as i64 % 7, week_events: 3, participants: 1_500 + 37 * i as i64, models: 2 },
            results: format!("Đơn vị đã triển khai Phong trào đến 100% thôn, tổ dân phố; {} lớp học cộng đồng được mở.", 20 + i),
            limits: "Một số hộ gia đình chưa quan tâm đến việc đăng ký danh hiệu.".into(),
            lessons: "Sự vào cuộc của cả hệ thống chính trị là yếu tố quyết định.".into(),
            proposals: "Đề nghị Thành phố bố trí kinh phí cho Trung tâm học tập cộng đồng.".into(),
        };
        app.save_report(&admin, *unit, year, view.row.version, &input).await.map_err(e)?;
        let v = app.report_view(&admin, *unit, year).await.map_err(e)?.row.version;
        app.report_step(&admin, *unit, year, v, ReportStep::Submit, "").await.map_err(e)?;
        let v = app.report_view(&admin, *unit, year).await.map_err(e)?.row.version;
        app.report_step(&admin, *unit, year, v, ReportStep::Approve, "").await.map_err(e)?;
        written += 1;
    }
    println!(
        "engine: {engine}; year {year}: {} reporting bodies, {written} reports written, submitted and approved in {:.1} s",
        bodies.len(),
        start.elapsed().as_secs_f64()
    );

    // 2. 2,000 households (those of the first villages) agree to be named on the honour roll,
    // recorded one by one as their ward's officer does it.
    let start = Instant::now();
    let mut villages: Vec<_> = snap.units.values().filter(|u| u.kind.holds_households()).map(|u| u.id).collect();
    villages.sort_unstable();
    let mut consents = 0;
    'villages: for v in villages {
        for s in app.subjects_of_unit(&admin, thidua_domain::titles::Subject::Household, v).await.map_err(|e| e.to_string())? {
            if consents == 2_000 {
                break 'villages;
            }
            app.set_public_consent(&admin, "household", s.id, true).await.map_err(e)?;
            consents += 1;
        }
    }
    println!("{consents} households' consent recorded in {:.1} s", start.elapsed().as_secs_f64());

    // 3. Served by this process, as DOET's officer.
    let addr = serve(&app).await?;
    let (_, session) = super::sign_in::sign_in(&app, "sogd").await?;
    let cookie = format!("{}={}", thidua_web::SESSION_COOKIE, session.token);
    let mut documents = Vec::new();
    for (what, path) in
        [("city report .docx", format!("/reports/{year}/city.docx")), ("units' annex .xlsx", format!("/reports/{year}/units.xlsx"))]
    {
        let (status, bytes, ms) = five_runs(format!("http://{addr}{path}"), cookie.clone()).await?;
        if status != "200" {
            return Err(format!("{what}: status {status}"));
        }
        let bytes: u64 = bytes.parse().unwrap_or(0);
        println!("{what}: {:.1} MiB; 5 runs: best {:.0} ms, median {:.0} ms, worst {:.0} ms", mib(bytes), ms[0], ms[2], ms[4]);
        documents.push(ms[2]);
    }

    let dashboard = format!("http://{addr}/dashboard?year={year}");
    let honour = format!("http://{addr}/vinh-danh?loai=danh-hieu&nam={year}");
    let health = format!("http://{addr}/healthz");
    let mut first = Vec::new();
    for url in [&dashboard, &honour] {
        let (url, cookie) = (url.clone(), cookie.clone());
        let t = tokio::task::spawn_blocking(move || curl_time(&url, &cookie)).await.map_err(|e| e.to_string())??;
        if t.1 != "200" {
            return Err(format!("status {} for the first request", t.1));
        }
        first.push(t);
    }
    println!(
        "first requests (nothing cached): dashboard {:.0} ms ({} bytes), honour roll {:.0} ms ({} bytes)",
        first[0].0, first[0].2, first[1].0, first[1].2
    );
    let dir2 = dir.clone();
    let (d, h, hz) = tokio::task::spawn_blocking(move || -> Result<_, String> {
        Ok((wrk(&dashboard, &cookie, seconds, &dir2)?, wrk(&honour, "", seconds, &dir2)?, wrk(&health, "", seconds, &dir2)?))
    })
    .await
    .map_err(|e| e.to_string())??;
    for (what, r) in [("city dashboard", d), ("honour roll", h), ("/healthz", hz)] {
        println!("wrk {what}: {:.0} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, errors {}", r.0, r.1, r.2, r.3, r.4);
    }
    println!("dashboard / healthz throughput {:.3}; honour roll / healthz {:.3}", d.0 / hz.0, h.0 / hz.0);
    println!(
        "| {engine} | {} | {:.0} | {:.0} | {:.2} | {:.0} | {:.2} | {:.0} | {:.0} | {:.3} |",
        bodies.len(),
        documents[0],
        documents[1],
        d.2,
        d.0,
        h.2,
        h.0,
        hz.0,
        d.0 / hz.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
