//! `thidua bench import`: the bulk household import against the engine's own loader, in the
//! same run on the same machine. It makes a fresh database holding the demo city (a SQLite file,
//! or with `--postgres` a new database on that server, dropped afterwards), writes a households
//! CSV of N rows over its villages, and times:
//!
//! - **raw**: the engine's loader into a plain table without index (`sqlite3 .import`,
//!   `psql \copy`) — the loader's speed, the figure issue 19 names;
//! - **same table**: the engine's loader into a staging table, then one `INSERT … SELECT` into
//!   `households` with its real indexes, constraints and triggers, rolled back — what a DBA's
//!   hand load of the same rows costs, without validation, scope, audit or counts;
//! - **thidua**: `thidua import households` of the CSV through the real pipeline.
//!
//! The plain-table baseline runs before and after the import, the same-table one twice before
//! (after it, the codes are taken); the faster run counts.

use super::{peak_rss_mib, reset_peak_rss};
use crate::config::Config;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use thidua_domain::import::ImportKind;
use thidua_domain::text;

const FAMILY: [&str; 10] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu"];
const GIVEN: [&str; 12] = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Long", "Mai", "Nam", "Thảo", "Việt"];

/// The staged form's columns, as `households` names them.
const STAGED: &str = "code, unit_id, head_name, head_folded, head_sort_key, head_birth_year, head_gender, address, member_count";
const STAGED_TYPES: &str = "code TEXT, unit_id BIGINT, head_name TEXT, head_folded TEXT, head_sort_key TEXT, \
     head_birth_year BIGINT, head_gender TEXT, address TEXT, member_count BIGINT";

/// Writes the households CSV of `rows` rows over `villages` (code, id) and, when `staged` is
/// given, the same rows as the table stores them (ids resolved, folded name and sort key
/// computed; tab-separated, the format both engines' loaders read) for the same-table baseline.
fn generate(path: &Path, staged: Option<&Path>, rows: usize, villages: &[(String, i64)]) -> std::io::Result<u64> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut s = match staged {
        Some(p) => Some(std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(p)?)),
        None => None,
    };
    writeln!(w, "Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ,Năm sinh chủ hộ,Giới tính chủ hộ,Địa chỉ,Số nhân khẩu")?;
    for i in 0..rows {
        let name = format!("{} {} {}", FAMILY[i % 10], MIDDLE[(i / 10) % 6], GIVEN[(i / 60) % 12]);
        let female = (i / 10) % 6 == 1 || (i / 10) % 6 == 4;
        let (village, unit_id) = &villages[i % villages.len()];
        let (birth, address, members) = (1940 + i % 60, format!("Số {} ngõ {}", i % 300 + 1, i % 90 + 1), i % 6 + 1);
        writeln!(w, "BENCH-{i:08},{village},{name},{birth},{},{address},{members}", if female { "Nữ" } else { "Nam" })?;
        if let Some(s) = s.as_mut() {
            let (folded, key) = (text::fold(&name), text::name_sort_key(&name));
            let gender = if female { "female" } else { "male" };
            writeln!(s, "BENCH-{i:08}\t{unit_id}\t{name}\t{folded}\t{key}\t{birth}\t{gender}\t{address}\t{members}")?;
        }
    }
    w.flush()?;
    if let Some(mut s) = s {
        s.flush()?;
    }
    Ok(std::fs::metadata(path)?.len())
}

/// The database a benchmark runs on, and how to remove it.
pub(super) struct Fresh {
    pub(super) app: thidua_app::App,
    pub(super) url: String,
    /// The server's URL and the database's name, for a PostgreSQL database made for the run.
    made: Option<(String, String)>,
    pub(super) csv: PathBuf,
    pub(super) staged: Option<PathBuf>,
    pub(super) bytes: u64,
}

impl Fresh {
    /// Drops a PostgreSQL database made for the run (the application's connections first).
    pub(super) async fn remove(self) -> Result<(), String> {
        let Fresh { app, made, .. } = self;
        drop(app);
        if let Some((server, name)) = made {
            psql(&server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        }
        Ok(())
    }
}

fn psql(server: &str, sql: &str) -> Result<(), String> {
    let out = std::process::Command::new("psql")
        .args([server, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .map_err(|e| format!("psql không chạy được (apt-get install postgresql-client): {e}"))?;
    if !out.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}

/// A fresh database holding the demo city — a SQLite file in `dir`, or a new database on the
/// PostgreSQL server `postgres` — and the households CSV of `rows` rows over its villages (those
/// of the ward `ward` only, when given).
pub(super) async fn fresh_city(dir: &Path, rows: usize, postgres: Option<&str>, staged: bool, ward: Option<&str>) -> Result<Fresh, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let (url, made) = match postgres {
        Some(server) => {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
            let name = format!("thidua_bench_{}_{nanos}", std::process::id());
            psql(server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
            psql(server, &format!("CREATE DATABASE {name}"))?;
            let base = server.rsplit_once('/').map(|(b, _)| b).filter(|b| b.contains("://") && !b.ends_with('/')).unwrap_or(server);
            (format!("{base}/{name}"), Some((server.to_string(), name)))
        }
        None => {
            let db = dir.join("bench.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            (format!("sqlite:{}", db.display()), None)
        }
    };
    let config = Config { database_url: url.clone(), max_import_rows: rows.max(1), ..Config::default() };
    let app = crate::open_app(&config).await?;
    crate::demo::load(&app).await.map_err(|e| e.to_string())?;
    let snap = app.snapshot().await.map_err(|e| e.to_string())?;
    let ward = match ward {
        Some(code) => Some(*snap.by_code.get(code).ok_or_else(|| format!("không có đơn vị {code}"))?),
        None => None,
    };
    let mut villages: Vec<(String, i64)> = snap
        .units
        .values()
        .filter(|u| u.kind.holds_households() && (ward.is_none() || u.parent_id == ward))
        .map(|u| (u.code.clone(), u.id))
        .collect();
    villages.sort();
    let csv = dir.join("households.csv");
    let staged = staged.then(|| dir.join("households.tsv"));
    let bytes = generate(&csv, staged.as_deref(), rows, &villages).map_err(|e| e.to_string())?;
    Ok(Fresh { app, url, made, csv, staged, bytes })
}

/// A fresh SQLite database in `dir` holding the demo city, and the households CSV of `rows`
/// rows over its villages: (app, CSV, its size).
pub(super) async fn fresh_city_with_csv(dir: &Path, rows: usize) -> Result<(thidua_app::App, PathBuf, u64), String> {
    let f = fresh_city(dir, rows, None, false, None).await?;
    Ok((f.app, f.csv, f.bytes))
}

/// Runs `script` through the engine's shell (`sqlite3` or `psql`) on `url`; the seconds it took.
pub(super) fn shell(url: &str, script: &str) -> Result<f64, String> {
    let (program, args) = match url.strip_prefix("sqlite:") {
        Some(path) => ("sqlite3", vec![path.to_string()]),
        None => ("psql", vec![url.to_string(), "-q".into(), "-v".into(), "ON_ERROR_STOP=1".into()]),
    };
    let start = Instant::now();
    let mut child = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{program} không chạy được: {e}"))?;
    child.stdin.take().ok_or("stdin")?.write_all(script.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || stderr.contains("Error") || stderr.contains("ERROR") {
        return Err(format!("{program}: {stderr}"));
    }
    Ok(secs)
}

/// The same-table baseline: the engine's loader into a staging table, then one set-based
/// insert into `households` with everything the table carries, rolled back.
fn same_table(url: &str, staged: &Path) -> Result<f64, String> {
    let insert = format!("INSERT INTO households ({STAGED}, created_at, updated_at) SELECT {STAGED}, 0, 0 FROM bench_stage;");
    let script = if url.starts_with("sqlite:") {
        format!(
            "BEGIN;\nCREATE TEMP TABLE bench_stage ({STAGED_TYPES});\n.mode tabs\n.import {} bench_stage\n{insert}\nROLLBACK;\n",
            staged.display()
        )
    } else {
        format!(
            "BEGIN;\nCREATE TEMP TABLE bench_stage ({STAGED_TYPES});\n\\copy bench_stage FROM '{}'\n{insert}\nROLLBACK;\n",
            staged.display()
        )
    };
    shell(url, &script)
}

pub async fn import(rows: usize, dir: Option<PathBuf>, postgres: Option<String>) -> Result<(), String> {
    let keep = dir.is_some();
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("thidua-bench-import-{}", std::process::id())));
    let fresh = fresh_city(&dir, rows, postgres.as_deref(), true, None).await?;
    let engine = fresh.app.backend();
    let staged = fresh.staged.clone().ok_or("staged file")?;
    println!("engine: {engine}; tệp: {rows} dòng, {:.1} MiB", fresh.bytes as f64 / 1048576.0);

    let raw1 = super::raw_load(&fresh.url, &dir, &fresh.csv, 7)?;
    let same1 = same_table(&fresh.url, &staged)?;
    let same2 = same_table(&fresh.url, &staged)?;
    reset_peak_rss();
    let start = Instant::now();
    let report = crate::commands::import_file(&fresh.app, ImportKind::Households, &fresh.csv, false, rows, false).await?;
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_rss_mib().unwrap_or(f64::NAN);
    if report.created != rows {
        return Err(format!("imported {} rows, expected {rows}", report.created));
    }
    let raw2 = super::raw_load(&fresh.url, &dir, &fresh.csv, 7)?;
    let (raw, same) = (raw1.min(raw2), same1.min(same2));
    let rate = |s: f64| rows as f64 / s;
    let loader = if engine == "postgres" { "psql \\copy" } else { "sqlite3 .import" };
    println!("thidua import households: {secs:.2} s, {:.0} rows/s, peak RSS {peak:.0} MiB", rate(secs));
    println!("{loader}, plain table:  {raw:.2} s, {:.0} rows/s (runs {raw1:.2} s, {raw2:.2} s)", rate(raw));
    println!("{loader} + INSERT … SELECT into households: {same:.2} s, {:.0} rows/s (runs {same1:.2} s, {same2:.2} s)", rate(same));
    println!("ratio thidua / plain table: {:.2}; thidua / same table: {:.2}", raw / secs, same / secs);
    println!("| {engine} | {rows} | {secs:.2} | {peak:.0} | {raw:.2} | {:.2} | {same:.2} | {:.2} |", raw / secs, same / secs);
    fresh.remove().await?;
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
