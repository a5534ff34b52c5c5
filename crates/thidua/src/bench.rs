//! The benchmark commands (`thidua bench …`): each measures one path of the application against
//! a baseline run in the same process on the same machine (the engine's own loader, `/healthz`,
//! the single-writer case), and prints a table row for BENCHMARKS.md.

use crate::config::Config;
pub use monitoring::monitoring;
pub use pages::{PagesBench, pages};
pub use reads::{ReadsBench, reads};
use std::path::Path;
pub use tree::tree;

use std::time::Instant;

mod hostile;
mod import;
mod isolation;
mod kept;
mod monitoring;
mod pages;
mod reads;
pub(crate) mod sign_in;
mod tree;
pub use hostile::{hostile, xlsx_import};
use import::fresh_city_with_csv;
pub use import::import;
pub use isolation::isolation;
pub use kept::{KeptBench, kept};

/// Peak resident set size of this process so far (VmHWM), in MiB.
pub(super) fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak RSS counter (Linux `clear_refs` 5), so the peak covers the import only.
pub(super) fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

// --- learning titles at Hanoi scale (issue 3) -------------------------------------------------

/// Options of `thidua bench titles`.
#[derive(Debug, Clone)]
pub struct TitlesBench {
    /// Rows of the CSV bulk assessment import.
    pub rows: usize,
    /// The ward whose households fill the xlsx sheet.
    pub ward: String,
    /// Seconds of each `wrk` run.
    pub seconds: u32,
    /// Year of the benchmark's own assessments (the generator's year must stay untouched).
    pub year: i64,
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1048576.0
}

/// Loads `csv` into a plain unindexed table, as the engine's own bulk loader does: the `sqlite3`
/// shell's `.import` into a fresh file, or `psql \copy` into a new table of the same database.
pub(super) fn raw_load(database_url: &str, dir: &Path, csv: &Path, columns: usize) -> Result<f64, String> {
    let cols: Vec<String> = (1..=columns).map(|i| format!("c{i} TEXT")).collect();
    if database_url.starts_with("postgres") {
        let script = format!(
            "DROP TABLE IF EXISTS bench_raw;\nCREATE TABLE bench_raw ({});\n\\copy bench_raw FROM '{}' WITH (FORMAT csv, HEADER true)\nDROP TABLE bench_raw;\n",
            cols.join(", "),
            csv.display()
        );
        import::shell(database_url, &script)
    } else {
        let db = dir.join("raw.db");
        let _ = std::fs::remove_file(&db);
        let script = format!(
            "PRAGMA journal_mode=WAL;\nCREATE TABLE raw ({});\n.mode csv\n.import --skip 1 {} raw\n",
            cols.join(", "),
            csv.display()
        );
        import::shell(&format!("sqlite:{}", db.display()), &script)
    }
}

/// Runs `wrk` for `seconds` against `url` with the session cookie; returns (requests/s, p50 ms,
/// p95 ms, p99 ms, non-2xx responses).
fn wrk(url: &str, cookie: &str, seconds: u32, dir: &Path) -> Result<(f64, f64, f64, f64, u64), String> {
    let script = dir.join("p95.lua");
    std::fs::write(
        &script,
        "done = function(summary, latency, requests)\n  io.write(string.format(\"RESULT %f %f %f %f %d\\n\", summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\nend\n",
    )
    .map_err(|e| e.to_string())?;
    let out = std::process::Command::new("wrk")
        .args(["-t2", "-c8", &format!("-d{seconds}s"), "-s"])
        .arg(&script)
        .args(["-H", &format!("Cookie: {cookie}"), url])
        .output()
        .map_err(|e| format!("wrk không chạy được (apt-get install wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("RESULT ")).ok_or_else(|| format!("wrk: {text}"))?;
    let f: Vec<f64> = line.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    if f.len() != 5 {
        return Err(format!("wrk: {line}"));
    }
    Ok((f[0], f[1], f[2], f[3], f[4] as u64))
}

/// The benchmarks of issue 3 against a database filled by `thidua demo --scale hanoi`.
pub async fn titles(config: &Config, opts: TitlesBench) -> Result<(), String> {
    use thidua_app::titles::SheetTarget;
    use thidua_domain::titles::{Stage, Subject};
    let app = crate::open_app(config).await?;
    let engine = app.backend();
    let dir = std::env::temp_dir().join(format!("thidua-bench-titles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let snap = app.snapshot().await.map_err(|e| e.to_string())?;
    let ward = *snap.by_code.get(&opts.ward).ok_or_else(|| format!("không có đơn vị {} (chạy demo --scale hanoi trước)", opts.ward))?;
    let cli = app.operator().await.map_err(|e| e.to_string())?;
    let sets = app.sets_for_year(opts.year).await.map_err(|e| e.to_string())?;
    let newest = |title: &str| sets.iter().filter(|r| r.title == title).max_by_key(|r| r.version).map(|r| r.id);
    let household_set = app.load_set(newest("gia_dinh_hoc_tap").ok_or("no household set")?).await.map_err(|e| e.to_string())?;
    let citizen_set = app.load_set(newest("cong_dan_hoc_tap").ok_or("no citizen set")?).await.map_err(|e| e.to_string())?;
    println!("engine: {engine}; ward {}; year {}", opts.ward, opts.year);

    // 1. One ward's households as a filled .xlsx template, imported as the web upload does it.
    let mut subjects = Vec::new();
    for v in snap.units.values().filter(|u| u.parent_id == Some(ward) && u.kind.holds_households()) {
        for s in app.subjects_of_unit(&cli, Subject::Household, v.id).await.map_err(|e| e.to_string())? {
            subjects.push((s.code, s.name, v.name.clone()));
        }
    }
    let mut rng = crate::demo::Lcg(7);
    let csv = dir.join("ward.csv");
    crate::scale::write_sheet(&csv, &household_set, &subjects, &mut rng, 900).map_err(|e| e.to_string())?;
    let table = thidua_documents::read_table(&std::fs::read(&csv).map_err(|e| e.to_string())?, usize::MAX).map_err(|e| e.to_string())?;
    let info = vec![
        (thidua_documents::INFO_SET.to_string(), household_set.record.id.to_string()),
        (thidua_documents::INFO_YEAR.to_string(), opts.year.to_string()),
    ];
    let xlsx = thidua_documents::assessment_template("Gia đình học tập", &table.headers, &[], &table.rows, &info, &[])
        .map_err(|e| e.to_string())?;
    let xlsx_path = dir.join("ward.xlsx");
    std::fs::write(&xlsx_path, &xlsx).map_err(|e| e.to_string())?;
    drop(table);
    let (ward_actor, _) = sign_in::sign_in(&app, "phuong001").await?;
    reset_peak_rss();
    let start = Instant::now();
    let r = crate::commands::import_assessments_file(&app, &ward_actor, &xlsx_path, None, None, Stage::Verified, false, 200_000).await?;
    let xlsx_secs = start.elapsed().as_secs_f64();
    let xlsx_peak = peak_rss_mib().unwrap_or(f64::NAN);
    println!(
        "xlsx ward sheet: {} rows, {:.1} MiB, imported end to end in {xlsx_secs:.2} s ({:.0} rows/s), peak RSS {xlsx_peak:.0} MiB",
        r.written,
        mib(xlsx.len() as u64),
        r.written as f64 / xlsx_secs
    );

    // 2. Bulk CSV import of citizens' assessments, against the engine's raw load of the same file.
    // The sheet is written village by village, so that this process holds no list of a million.
    let mut villages: Vec<_> = snap.units.values().filter(|u| u.kind.holds_households()).collect();
    villages.sort_by(|a, b| a.code.cmp(&b.code));
    let csv = dir.join("citizens.csv");
    let mut sheet = crate::scale::SheetWriter::create(&csv, &citizen_set).map_err(|e| e.to_string())?;
    let mut rows = 0;
    'villages: for v in villages {
        for s in app.subjects_of_unit(&cli, Subject::Citizen, v.id).await.map_err(|e| e.to_string())? {
            if rows == opts.rows {
                break 'villages;
            }
            sheet.row(&s.code, &s.name, &v.name, rng.next(1000) < 850).map_err(|e| e.to_string())?;
            rows += 1;
        }
    }
    sheet.finish().map_err(|e| e.to_string())?;
    let columns = thidua_domain::assessment::sheet_headers(&citizen_set.set, Subject::Citizen).len();
    let (size_before, count_before) = app.table_size(thidua_app::ports::BulkTable::Assessments).await.map_err(|e| e.to_string())?;
    let raw1 = raw_load(&config.database_url, &dir, &csv, columns)?;
    reset_peak_rss();
    let start = Instant::now();
    let target = SheetTarget { criteria_set: citizen_set.record.id, year: opts.year, stage: Stage::Verified };
    let source = thidua_documents::CsvFile::open(&csv, usize::MAX).map_err(|e| e.to_string())?;
    let file = thidua_app::import::FileInfo { name: "citizens.csv".into(), sha256: "bench".into() };
    let r = app.import_assessments(&cli, target, &source, &file, false).await.map_err(|e| format!("{e:?}"))?;
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_rss_mib().unwrap_or(f64::NAN);
    let raw2 = raw_load(&config.database_url, &dir, &csv, columns)?;
    let raw = raw1.min(raw2);
    let (rate, raw_rate) = (r.written as f64 / secs, rows as f64 / raw);
    println!(
        "csv bulk import: {} rows ({:.1} MiB) in {secs:.2} s = {rate:.0} rows/s, peak RSS {peak:.0} MiB",
        r.written,
        mib(std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0))
    );
    println!(
        "raw load ({}): {raw:.2} s = {raw_rate:.0} rows/s (runs {raw1:.2} s, {raw2:.2} s); ratio {:.2}",
        if engine == "postgres" { "psql \\copy" } else { "sqlite3 .import" },
        rate / raw_rate
    );

    // 3. Size of the assessments table with its indexes.
    let (size, count) = app.table_size(thidua_app::ports::BulkTable::Assessments).await.map_err(|e| e.to_string())?;
    let per_million = size as f64 / count.max(1) as f64 * 1e6;
    println!(
        "assessments: {count} rows, {:.0} MiB with indexes = {:.0} MiB per million (the {} rows just imported added {:.0} MiB)",
        mib(size),
        mib(per_million as u64),
        count - count_before,
        mib(size.saturating_sub(size_before))
    );

    // 4. The city coverage page and /healthz, served by this process, measured with wrk.
    let addr = serve(&app).await?;
    let (_, session) = sign_in::sign_in(&app, "sogd").await?;
    let cookie = format!("{}={}", thidua_web::SESSION_COOKIE, session.token);
    let year = opts.year - 1;
    let page = format!("http://{addr}/titles?year={year}");
    let start = Instant::now();
    let first = tokio::task::spawn_blocking({
        let (page, cookie) = (page.clone(), cookie.clone());
        move || {
            std::process::Command::new("curl")
                .args(["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H"])
                .arg(format!("Cookie: {cookie}"))
                .arg(&page)
                .output()
        }
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| format!("curl: {e}"))?;
    let cold = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "coverage page {year}, first request (cold cache): {cold:.0} ms, status and bytes: {}",
        String::from_utf8_lossy(&first.stdout)
    );
    let seconds = opts.seconds;
    let health = format!("http://{addr}/healthz");
    let (dir2, cookie2) = (dir.clone(), cookie.clone());
    let (cov, hz) = tokio::task::spawn_blocking(move || -> Result<_, String> {
        let cov = wrk(&page, &cookie2, seconds, &dir2)?;
        let hz = wrk(&health, &cookie2, seconds, &dir2)?;
        Ok((cov, hz))
    })
    .await
    .map_err(|e| e.to_string())??;
    println!("wrk coverage: {:.0} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, errors {}", cov.0, cov.1, cov.2, cov.3, cov.4);
    println!("wrk /healthz: {:.0} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, errors {}", hz.0, hz.1, hz.2, hz.3, hz.4);
    println!("coverage / healthz throughput: {:.2}", cov.0 / hz.0);
    println!(
        "| {engine} | {:.2} | {rate:.0} | {raw_rate:.0} | {:.2} | {peak:.0} | {:.0} | {:.2} | {:.0} | {:.2} |",
        xlsx_secs,
        rate / raw_rate,
        mib(per_million as u64),
        cov.2,
        cov.0,
        cov.0 / hz.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Serves the application's pages from this process on a free local port.
async fn serve(app: &thidua_app::App) -> Result<std::net::SocketAddr, String> {
    let web_config = thidua_web::WebConfig { max_upload_bytes: 1 << 20, max_import_rows: 1000, ..Default::default() };
    let router = thidua_web::router(app.clone(), web_config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    });
    Ok(addr)
}

/// Times one GET with curl: (milliseconds, status, bytes).
fn curl_time(url: &str, cookie: &str) -> Result<(f64, String, String), String> {
    let out = std::process::Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{time_total} %{http_code} %{size_download}", "-H"])
        .arg(format!("Cookie: {cookie}"))
        .arg(url)
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut parts = text.split_whitespace();
    let secs: f64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(|| format!("curl: {text}"))?;
    Ok((secs * 1000.0, parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string()))
}

/// Five GETs of one document with curl: the first answer's status and size, and the five times
/// in milliseconds, fastest first.
async fn five_runs(url: String, cookie: String) -> Result<(String, String, Vec<f64>), String> {
    let times = tokio::task::spawn_blocking(move || -> Result<Vec<(f64, String, String)>, String> {
        (0..5).map(|_| curl_time(&url, &cookie)).collect()
    })
    .await
    .map_err(|e| e.to_string())??;
    let mut ms: Vec<f64> = times.iter().map(|t| t.0).collect();
    ms.sort_by(f64::total_cmp);
    let first = times.into_iter().next().ok_or("curl: no run")?;
    Ok((first.1, first.2, ms))
}

/// The commendation benchmark of issue 4 against a database filled by `thidua demo --scale hanoi`.
pub async fn awards(config: &Config, target: usize, seconds: u32) -> Result<(), String> {
    use thidua_app::commendation::{ForwardInput, NewBatch, StepInput};
    use thidua_app::ports::{BatchMove, NomineeRow, QuotaCap, QuotaChange, QuotaCounts, Transition};
    use thidua_app::ports::{DossierStore, WorkflowStore};
    use thidua_domain::commendation::eligibility::DocKind;
    use thidua_domain::commendation::workflow::{State, Step};
    use thidua_domain::registry::NodeKind;
    use thidua_domain::titles::Subject;
    let e = |x: thidua_app::AppError| format!("{x:?}");
    let app = crate::open_app(config).await?;
    let engine = app.backend();
    let dir = std::env::temp_dir().join(format!("thidua-bench-awards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let admin = app.operator().await.map_err(e)?;
    let snap = app.snapshot().await.map_err(e)?;
    // A copy of the final review of its own, so that the benchmark can run again on the same data.
    let fin = app.campaigns(&admin).await.map_err(e)?.into_iter().find(|c| c.row.code == "tong-ket-2030").ok_or("no 2030 campaign")?;
    let mut copy = fin.campaign.clone();
    copy.code = format!("tong-ket-2030-bench-{}", std::process::id());
    let id = app.create_campaign(&admin, copy).await.map_err(e)?;
    let campaign = app.campaign(&admin, id).await.map_err(e)?;
    let level = "bang_khen_ubnd_tp";
    let mut units: Vec<_> = snap.units.values().collect();
    units.sort_by_key(|u| u.id);
    let wards: Vec<_> = units.iter().filter(|u| matches!(u.kind, NodeKind::Ward | NodeKind::Commune) && u.valid_to.is_none()).collect();
    let orgs: Vec<_> = units
        .iter()
        .filter(|u| matches!(u.kind, NodeKind::Agency | NodeKind::Enterprise))
        .chain(units.iter().filter(|u| u.kind == NodeKind::School))
        .collect();
    // Collective nominees: wards take villages from the front, organisations schools (then
    // villages) from the back; each unit is nominated once.
    let mut pool: std::collections::VecDeque<i64> = units
        .iter()
        .filter(|u| u.kind.holds_households())
        .chain(units.iter().filter(|u| u.kind == NodeKind::School))
        .map(|u| u.id)
        .collect();
    // Citizens and households, drawn village by village as needed.
    let mut people: Vec<(i64, String, i64)> = Vec::new();
    let mut households: Vec<(i64, String, i64)> = Vec::new();
    let mut village_pool = units.iter().filter(|u| u.kind.holds_households()).map(|u| u.id).collect::<Vec<_>>().into_iter();
    let mut refill = async |people: &mut Vec<(i64, String, i64)>, households: &mut Vec<(i64, String, i64)>| -> Result<(), String> {
        let v = village_pool.next().ok_or("not enough villages")?;
        for s in app.subjects_of_unit(&admin, Subject::Citizen, v).await.map_err(|e| e.to_string())?.into_iter().take(40) {
            people.push((s.id, s.name, s.unit_id));
        }
        for s in app.subjects_of_unit(&admin, Subject::Household, v).await.map_err(|e| e.to_string())?.into_iter().take(10) {
            households.push((s.id, s.name, s.unit_id));
        }
        Ok(())
    };
    // The generated city has no titles for 2028–2030, so the eligibility rules would refuse every
    // nominee: the dossiers are seeded straight into storage, through a connection of the
    // benchmark's own (the application's store is reachable only through its use cases), each
    // write with its audit entry; what is measured afterwards goes through the use cases.
    let seed = thidua_storage::connect(&config.database_url, 2).await.map_err(|e| e.to_string())?;
    let pdf = b"%PDF-1.4\n% bao cao thanh tich (benchmark)\n%%EOF\n";
    let start = Instant::now();
    let (mut made, mut batches) = (0usize, Vec::new());
    let proposers: Vec<(&&&thidua_app::ports::UnitRecord, bool)> =
        wards.iter().map(|w| (w, true)).chain(orgs.iter().map(|o| (o, false))).collect();
    for (proposer, locality) in proposers {
        if made >= target {
            break;
        }
        let batch = app
            .create_batch(
                &admin,
                NewBatch {
                    campaign_id: campaign.row.id,
                    level: level.into(),
                    proposer_unit: proposer.id,
                    number: format!("{}/TTr", made + 1),
                    summary: String::new(),
                },
            )
            .await
            .map_err(e)?;
        // The benchmark's administrator may nominate for the proposer: the proof its seeded
        // writes carry.
        let proof = app.authorize(&admin, thidua_domain::access::Action::Nominate, proposer.id).await.map_err(e)?;
        // A ward proposes 2 villages, 1 household and 1 citizen (4 in total); an organisation
        // 7 collectives and 6 individuals.
        let (n_coll, n_hh, n_ind) = if locality { (2, 1, 1) } else { (7, 0, 6) };
        let mut rows = Vec::new();
        for _ in 0..n_coll {
            let id = if locality { pool.pop_front() } else { pool.pop_back() }.ok_or("not enough units")?;
            let u = &snap.units[&id];
            let kind = if locality { "village" } else { "unit" };
            rows.push((kind, "collective", "unit", id, u.name.clone(), id));
        }
        for _ in 0..n_hh {
            while households.is_empty() {
                refill(&mut people, &mut households).await?;
            }
            let (id, name, unit) = households.pop().ok_or("no household")?;
            rows.push(("household", "household", "household", id, name, unit));
        }
        for _ in 0..n_ind {
            while people.is_empty() {
                refill(&mut people, &mut households).await?;
            }
            let (id, name, unit) = people.pop().ok_or("no citizen")?;
            rows.push(("individual", "individual", "person", id, name, unit));
        }
        let mut nominees = Vec::new();
        for (kind, class, subject_type, subject_id, name, unit_id) in rows {
            let v = seed.batch(batch).await.map_err(|e| e.to_string())?.ok_or("batch")?.version;
            let row = NomineeRow {
                id: 0,
                batch_id: batch,
                campaign_id: campaign.row.id,
                kind: kind.into(),
                class: class.into(),
                subject_type: subject_type.into(),
                subject_id,
                unit_id,
                name,
                birth_year: None,
                position: String::new(),
                achievement: "Nhiều năm liền tiêu biểu trong Phong trào thi đua xây dựng xã hội học tập.".into(),
                cites_initiative: false,
                outcome: thidua_domain::commendation::workflow::Outcome::Proposed,
                outcome_reason: None,
                decision_id: None,
                reward_vnd: None,
                certificate: None,
                origin: None,
            };
            let draft = thidua_app::ports::AuditDraft {
                actor: admin.username.clone(),
                on_behalf_of: None,
                action: "nominee.add".into(),
                entity: "nominee".into(),
                entity_id: String::new(),
                unit_id: Some(proposer.id),
                old: None,
                new: None,
                at_ms: 0,
                proof: proof.clone(),
            };
            let id = seed.add_nominee(batch, v, &row, draft).await.map_err(|e| e.to_string())?;
            let v = seed.batch(batch).await.map_err(|e| e.to_string())?.ok_or("batch")?.version;
            app.upload_document(&admin, batch, v, Some(id), DocKind::BaoCaoThanhTich, "bao-cao.pdf", pdf).await.map_err(e)?;
            nominees.push(NomineeRow { id, ..row });
            made += 1;
        }
        for kind in [DocKind::ToTrinh, DocKind::BienBan] {
            let v = seed.batch(batch).await.map_err(|e| e.to_string())?.ok_or("batch")?.version;
            app.upload_document(&admin, batch, v, None, kind, "to-trinh.pdf", pdf).await.map_err(e)?;
        }
        // Submitted through the store's transition with its quota cap (the generated city has
        // no titles for 2028–2030, so the eligibility rules would refuse every nominee).
        let b = seed.batch(batch).await.map_err(|e| e.to_string())?.ok_or("batch")?;
        let count = |c: &str| nominees.iter().filter(|n| n.class == c).count() as i64;
        let cap = if locality { QuotaCap::Total { total: 4 } } else { QuotaCap::Separate { collectives: 7, individuals: 6 } };
        let t = Transition {
            moves: vec![BatchMove {
                batch_id: batch,
                expected_version: b.version,
                step: Step::Submit.code().into(),
                from_state: State::Draft.code().into(),
                to_state: State::AtDoet.code().into(),
                comment: String::new(),
                snapshot: "{}".into(),
                comments: vec![],
                join_consolidation: false,
                join_decision: false,
                submitted: true,
            }],
            quota: vec![QuotaChange {
                campaign_id: campaign.row.id,
                level: level.into(),
                proposer_unit_id: proposer.id,
                counts: QuotaCounts { collectives: count("collective"), individuals: count("individual"), households: count("household") },
                cap,
                add: true,
            }],
            claim: nominees.iter().map(|n| thidua_app::ports::Claim::of(campaign.row.id, level, n)).collect(),
            actor: admin.username.clone(),
            at_ms: 1,
            ..Transition::default()
        };
        let draft = thidua_app::ports::AuditDraft {
            actor: admin.username.clone(),
            on_behalf_of: None,
            action: "batch.submit".into(),
            entity: "nomination_batch".into(),
            entity_id: batch.to_string(),
            unit_id: Some(proposer.id),
            old: None,
            new: None,
            at_ms: 1,
            proof: proof.clone(),
        };
        seed.transition(&t, vec![draft]).await.map_err(|e| e.to_string())?;
        let v = seed.batch(batch).await.map_err(|e| e.to_string())?.ok_or("batch")?.version;
        app.take_step(&admin, batch, v, Step::DoetAccept, StepInput::default()).await.map_err(e)?;
        batches.push(batch);
    }
    let seeded = start.elapsed().as_secs_f64();
    let mut picked = Vec::new();
    for b in &batches {
        picked.push((*b, seed.batch(*b).await.map_err(|e| e.to_string())?.ok_or("batch")?.version));
    }
    let on = time::Date::from_calendar_date(2030, time::Month::July, 10).map_err(|e| e.to_string())?;
    let consolidation = app
        .forward(
            &admin,
            ForwardInput {
                campaign_id: campaign.row.id,
                level: level.into(),
                batches: picked,
                number: "88/TTr-SGDĐT".into(),
                signed_on: on,
            },
        )
        .await
        .map_err(e)?;
    println!(
        "engine: {engine}; {made} nominees in {} dossiers, each with its report, submitted, accepted and forwarded in {seeded:.0} s",
        batches.len()
    );

    // The documents and the queue, served by this process.
    let addr = serve(&app).await?;
    let (_, session) = sign_in::sign_in(&app, "btdkt").await.map_err(|e| format!("{e} (demo --scale creates btdkt)"))?;
    let cookie = format!("{}={}", thidua_web::SESSION_COOKIE, session.token);
    let mut results = Vec::new();
    for (what, path) in [
        ("DOET consolidated submission .docx", format!("/awards/consolidations/{consolidation}/to-trinh.docx")),
        ("DOET consolidated list .xlsx", format!("/awards/consolidations/{consolidation}/list.xlsx")),
        ("DOHA draft decision .docx", format!("/awards/consolidations/{consolidation}/draft-decision.docx")),
    ] {
        let (status, bytes, ms) = five_runs(format!("http://{addr}{path}"), cookie.clone()).await?;
        println!("{what}: status {status}, {bytes} bytes; 5 runs: best {:.0} ms, median {:.0} ms, worst {:.0} ms", ms[0], ms[2], ms[4]);
        results.push(ms[2]);
    }
    let queue = format!("http://{addr}/awards/queue");
    let health = format!("http://{addr}/healthz");
    let (dir2, cookie2) = (dir.clone(), cookie.clone());
    let (q, hz) = tokio::task::spawn_blocking(move || -> Result<_, String> {
        Ok((wrk(&queue, &cookie2, seconds, &dir2)?, wrk(&health, &cookie2, seconds, &dir2)?))
    })
    .await
    .map_err(|e| e.to_string())??;
    println!(
        "wrk appraisal queue (DOHA, {} dossiers): {:.0} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, errors {}",
        batches.len(),
        q.0,
        q.1,
        q.2,
        q.3,
        q.4
    );
    println!("wrk /healthz: {:.0} req/s, p95 {:.2} ms; queue / healthz throughput {:.3}", hz.0, hz.2, q.0 / hz.0);
    println!(
        "| {engine} | {made} | {} | {:.0} | {:.0} | {:.0} | {:.2} | {:.0} |",
        batches.len(),
        results[0],
        results[1],
        results[2],
        q.2,
        q.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
