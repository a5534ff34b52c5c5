//! `thidua bench import`: the bulk-import benchmark of issue 2. It generates a households CSV,
//! imports it into a fresh SQLite database through the real pipeline (three streaming passes,
//! validation, one transaction), and loads the same file with the `sqlite3` shell's `.import`
//! into a plain table as the raw baseline, on the same machine in the same run.

use crate::config::Config;
use std::io::Write;
use std::path::{Path, PathBuf};

use std::time::Instant;
use thidua_domain::import::ImportKind;

/// Peak resident set size of this process so far (VmHWM), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak RSS counter (Linux `clear_refs` 5), so the peak covers the import only.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

const FAMILY: [&str; 10] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu"];
const GIVEN: [&str; 12] = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Long", "Mai", "Nam", "Thảo", "Việt"];

fn generate(path: &Path, rows: usize, villages: &[String]) -> std::io::Result<u64> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(w, "Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ,Năm sinh chủ hộ,Giới tính chủ hộ,Địa chỉ,Số nhân khẩu")?;
    for i in 0..rows {
        let name = format!("{} {} {}", FAMILY[i % 10], MIDDLE[(i / 10) % 6], GIVEN[(i / 60) % 12]);
        let gender = if (i / 10) % 6 == 1 || (i / 10) % 6 == 4 { "Nữ" } else { "Nam" };
        writeln!(
            w,
            "BENCH-{i:08},{},{name},{},{gender},Số {} ngõ {},{}",
            villages[i % villages.len()],
            1940 + i % 60,
            i % 300 + 1,
            i % 90 + 1,
            i % 6 + 1
        )?;
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

fn sqlite3_import(dir: &Path, csv: &Path) -> Result<f64, String> {
    let db = dir.join("raw.db");
    let _ = std::fs::remove_file(&db);
    let script = format!(
        "PRAGMA journal_mode=WAL;\nCREATE TABLE raw (code TEXT, village TEXT, head_name TEXT, head_birth_year TEXT, head_gender TEXT, address TEXT, member_count TEXT);\n.mode csv\n.import --skip 1 {} raw\nSELECT count(*) FROM raw;\n",
        csv.display()
    );
    let start = Instant::now();
    let mut child = std::process::Command::new("sqlite3")
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("sqlite3 không chạy được (apt-get install sqlite3): {e}"))?;
    child.stdin.take().ok_or("stdin")?.write_all(script.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("sqlite3 failed: {}", String::from_utf8_lossy(&out.stdout)));
    }
    Ok(secs)
}

pub async fn import(rows: usize, dir: Option<PathBuf>) -> Result<(), String> {
    let keep = dir.is_some();
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("thidua-bench-{}", std::process::id())));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let db = dir.join("bench.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let config = Config { database_url: format!("sqlite:{}", db.display()), max_import_rows: rows.max(1), ..Config::default() };
    let app = crate::open_app(&config).await?;
    crate::demo::load(&app).await.map_err(|e| e.to_string())?;
    let snap = app.snapshot().await.map_err(|e| e.to_string())?;
    let mut villages: Vec<String> = snap.units.values().filter(|u| u.kind.holds_households()).map(|u| u.code.clone()).collect();
    villages.sort();
    let csv = dir.join("households.csv");
    let bytes = generate(&csv, rows, &villages).map_err(|e| e.to_string())?;
    println!("Tệp: {} dòng, {:.1} MiB", rows, bytes as f64 / 1048576.0);

    let raw_secs = sqlite3_import(&dir, &csv)?;
    reset_peak_rss();
    let start = Instant::now();
    let report = crate::commands::import_file(&app, ImportKind::Households, &csv, false, rows, false).await?;
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_rss_mib().unwrap_or(f64::NAN);
    let raw_secs_again = sqlite3_import(&dir, &csv)?;
    let raw = raw_secs.min(raw_secs_again);
    if report.created != rows {
        return Err(format!("imported {} rows, expected {rows}", report.created));
    }
    let rate = rows as f64 / secs;
    let raw_rate = rows as f64 / raw;
    println!("thidua import households: {secs:.2} s, {rate:.0} rows/s, peak RSS {peak:.0} MiB");
    println!("sqlite3 .import (raw):    {raw:.2} s, {raw_rate:.0} rows/s (runs: {raw_secs:.2} s, {raw_secs_again:.2} s)");
    println!("ratio thidua / raw:       {:.2}", rate / raw_rate);
    println!("| {rows} | {secs:.2} | {rate:.0} | {peak:.0} | {raw:.2} | {raw_rate:.0} | {:.2} |", rate / raw_rate);
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
