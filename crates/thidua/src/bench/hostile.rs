//! `thidua bench xlsx-import` and `thidua bench hostile`: issue 20's two measurements.
//!
//! - A 1,000,000-row households `.xlsx` (written by rust_xlsxwriter with its shared-strings
//!   table, as Excel writes it) imported through the real pipeline into a fresh SQLite database:
//!   time, rows/s and the process's peak RSS (Linux `VmHWM`, reset just before the import).
//! - `/healthz` latency with wrk, first alone and then while three clients upload hostile files
//!   to `POST /import` as fast as they are answered (a 1 MiB workbook that inflates to 1 GiB,
//!   cells at A1 and XFD1048576, a row of 16,384 columns): p50/p99 of both runs, uploads
//!   answered, and the peak RSS of the serving process.

use super::{fresh_city_with_csv, peak_rss_mib, reset_peak_rss, serve, wrk};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use thidua_domain::import::ImportKind;

/// Writes the households CSV at `csv` again as an `.xlsx` at `xlsx`, streamed to disk (the
/// shared strings stay in memory, as in Excel's own files).
fn csv_to_xlsx(csv: &Path, xlsx: &Path) -> Result<u64, String> {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_low_memory().map_err(|e| e.to_string())?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(csv).map_err(|e| e.to_string())?;
    for (r, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| e.to_string())?;
        for (c, v) in rec.iter().enumerate() {
            let (row, col) = (u32::try_from(r).map_err(|e| e.to_string())?, u16::try_from(c).map_err(|e| e.to_string())?);
            ws.write_string(row, col, v).map_err(|e| e.to_string())?;
        }
    }
    wb.save(xlsx).map_err(|e| e.to_string())?;
    std::fs::metadata(xlsx).map(|m| m.len()).map_err(|e| e.to_string())
}

/// `thidua bench xlsx-import`.
pub async fn xlsx_import(rows: usize, dir: Option<PathBuf>) -> Result<(), String> {
    let keep = dir.is_some();
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("thidua-bench-xlsx-{}", std::process::id())));
    let (app, csv, _) = fresh_city_with_csv(&dir, rows).await?;
    let xlsx = dir.join("households.xlsx");
    let started = Instant::now();
    let bytes = csv_to_xlsx(&csv, &xlsx)?;
    println!("Tệp: {rows} dòng, {:.1} MiB .xlsx (viết trong {:.1} s)", bytes as f64 / 1048576.0, started.elapsed().as_secs_f64());
    reset_peak_rss();
    let start = Instant::now();
    let report = crate::commands::import_file(&app, ImportKind::Households, &xlsx, false, rows, false).await?;
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_rss_mib().unwrap_or(f64::NAN);
    if report.created != rows {
        return Err(format!("imported {} rows, expected {rows}", report.created));
    }
    println!("thidua import households (.xlsx): {secs:.2} s, {:.0} rows/s, peak RSS {peak:.0} MiB", rows as f64 / secs);
    println!("| {rows} | {:.1} | {secs:.2} | {:.0} | {peak:.0} |", bytes as f64 / 1048576.0, rows as f64 / secs);
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// A workbook whose sheet is `rows_xml` inside `<sheetData>`, `filler` repeated to `fill` bytes
/// after it, deflated at the highest level.
fn workbook(rows_xml: &str, filler: &[u8], fill: usize) -> Result<Vec<u8>, String> {
    let e = |x: std::io::Error| x.to_string();
    let z_err = |x: zip::result::ZipError| x.to_string();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    z.start_file("xl/workbook.xml", opts).map_err(z_err)?;
    z.write_all(br#"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#).map_err(e)?;
    z.start_file("xl/_rels/workbook.xml.rels", opts).map_err(z_err)?;
    z.write_all(br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#).map_err(e)?;
    z.start_file("xl/worksheets/sheet1.xml", opts).map_err(z_err)?;
    z.write_all(b"<worksheet><sheetData>").map_err(e)?;
    z.write_all(rows_xml.as_bytes()).map_err(e)?;
    if !filler.is_empty() {
        let block = filler.repeat((1 << 20) / filler.len());
        let mut left = fill;
        while left > 0 {
            let n = left.min(block.len());
            z.write_all(&block[..n]).map_err(e)?;
            left -= n;
        }
    }
    z.write_all(b"</sheetData></worksheet>").map_err(e)?;
    Ok(z.finish().map_err(z_err)?.into_inner())
}

/// The three hostile files of the measurement, written to `dir`.
fn hostile_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let header = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã hộ</t></is></c><c r="B1" t="inlineStr"><is><t>Mã thôn/tổ dân phố</t></is></c><c r="C1" t="inlineStr"><is><t>Họ và tên chủ hộ</t></is></c></row>"#;
    let mut wide = String::from(r#"<row r="2">"#);
    for i in 0..16_384usize {
        wide.push_str(&format!(r#"<c><v>{i}</v></c>"#));
    }
    wide.push_str("</row>");
    let files = [
        ("bom-1GiB.xlsx", workbook(header, b"<x/>", 1 << 30)?),
        ("goc-xa.xlsx", workbook(&format!(r#"{header}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#), b"", 0)?),
        ("16384-cot.xlsx", workbook(&format!("{header}{wide}"), b"", 0)?),
    ];
    let mut paths = vec![];
    for (name, bytes) in files {
        let p = dir.join(name);
        std::fs::write(&p, &bytes).map_err(|e| e.to_string())?;
        println!("tệp độc: {name}, {:.2} MiB", bytes.len() as f64 / 1048576.0);
        paths.push(p);
    }
    Ok(paths)
}

/// One upload with curl: the HTTP status.
fn upload(url: &str, cookie: &str, csrf: &str, file: &Path) -> Result<String, String> {
    let out = std::process::Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H"])
        .arg(format!("Cookie: {cookie}"))
        .args(["-F", &format!("_csrf={csrf}"), "-F", "kind=households", "-F", "dry_run=1", "-F"])
        .arg(format!("file=@{}", file.display()))
        .arg(url)
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

/// `thidua bench hostile`.
pub async fn hostile(seconds: u32) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("thidua-bench-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let db = dir.join("bench.db");
    let config = crate::config::Config { database_url: format!("sqlite:{}", db.display()), ..Default::default() };
    let app = crate::open_app(&config).await?;
    crate::demo::load(&app).await.map_err(|e| e.to_string())?;
    let files = hostile_files(&dir)?;
    let addr = serve(&app).await?;
    let (_, session) = super::sign_in::sign_in(&app, "phuongbadinh").await?;
    let cookie = format!("{}={}", thidua_web::SESSION_COOKIE, session.token);
    let health = format!("http://{addr}/healthz");
    let (d, c, h) = (dir.clone(), cookie.clone(), health.clone());
    let alone = tokio::task::spawn_blocking(move || wrk(&h, &c, seconds, &d)).await.map_err(|e| e.to_string())??;
    reset_peak_rss();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut uploaders = vec![];
    for i in 0..3 {
        let (stop, url, cookie, csrf) = (stop.clone(), format!("http://{addr}/import"), cookie.clone(), session.csrf.clone());
        let files = files.clone();
        uploaders.push(std::thread::spawn(move || {
            let mut answered: Vec<(String, f64)> = vec![];
            let mut n = i;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let started = Instant::now();
                let status = upload(&url, &cookie, &csrf, &files[n % files.len()]).unwrap_or_else(|e| e);
                answered.push((status, started.elapsed().as_secs_f64()));
                n += 1;
            }
            answered
        }));
    }
    let (d, c, h) = (dir.clone(), cookie.clone(), health.clone());
    let during = tokio::task::spawn_blocking(move || wrk(&h, &c, seconds, &d)).await.map_err(|e| e.to_string())??;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut answers: Vec<(String, f64)> = vec![];
    for u in uploaders {
        answers.extend(u.join().map_err(|_| "an uploader failed".to_string())?);
    }
    let peak = peak_rss_mib().unwrap_or(f64::NAN);
    let refused = answers.iter().filter(|(s, _)| s == "422").count();
    let slowest = answers.iter().map(|(_, t)| *t).fold(0.0, f64::max);
    println!("/healthz alone:            {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms", alone.0, alone.1, alone.3);
    println!("/healthz during 3 uploads: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, errors {}", during.0, during.1, during.3, during.4);
    println!(
        "uploads answered: {} ({} refused with a reason, 422), slowest {:.2} s; peak RSS {peak:.0} MiB",
        answers.len(),
        refused,
        slowest
    );
    println!(
        "| {:.2} | {:.2} | {:.2} | {:.2} | {} | {refused} | {slowest:.2} | {peak:.0} |",
        alone.1,
        alone.3,
        during.1,
        during.3,
        answers.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
    if answers.iter().any(|(s, _)| s != "422") {
        return Err(format!(
            "an upload was not refused with 422: {:?}",
            answers.iter().filter(|(s, _)| s != "422").take(3).collect::<Vec<_>>()
        ));
    }
    Ok(())
}
