//! `thidua bench isolation`: another ward's small writes while one ward imports (issue 19,
//! target 3). On a fresh database holding the demo city (SQLite, or a new PostgreSQL database
//! with `--postgres`), Hoàn Kiếm's officer creates one household through the JSON API every
//! `--every-ms` milliseconds, served by this process: first alone, then while a second process
//! (`thidua import households`) loads N households into Ba Đình's villages. Each write is timed by
//! curl; the two runs' percentiles are printed side by side.

use super::import::fresh_city;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The importing ward, and the writing ward's officer and village.
const IMPORTING_WARD: &str = "P-BADINH";
const WRITER: &str = "phuonghoankiem";
const WRITER_VILLAGE: &str = "HK-TDP01";

/// One write: milliseconds and HTTP status.
fn post(url: &str, token: &str, body: &str) -> Result<(f64, String), String> {
    let out = std::process::Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{time_total} %{http_code}", "-X", "POST", "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .args(["-H", "Content-Type: application/json", "--data-binary", body, url])
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut parts = text.split_whitespace();
    let secs: f64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(|| format!("curl: {text}"))?;
    Ok((secs * 1000.0, parts.next().unwrap_or("").to_string()))
}

/// The writes of one run.
#[derive(Default)]
struct Run {
    ms: Vec<f64>,
    failed: Vec<String>,
}

impl Run {
    fn percentile(&self, p: f64) -> f64 {
        if self.ms.is_empty() {
            return f64::NAN;
        }
        let mut v = self.ms.clone();
        v.sort_by(f64::total_cmp);
        super::pages::percentile(&v, p * 100.0)
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{what}: {} writes, p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms, failed {}",
            self.ms.len(),
            self.percentile(0.50),
            self.percentile(0.95),
            self.percentile(0.99),
            self.percentile(1.0),
            self.failed.len()
        )
    }
}

/// Writes one household every `every` until `done` says stop.
async fn write_while(
    url: &str,
    token: &str,
    village: i64,
    every: Duration,
    next_code: &mut usize,
    mut done: impl FnMut() -> Result<bool, String>,
) -> Result<Run, String> {
    let mut run = Run::default();
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !done()? {
        tick.tick().await;
        *next_code += 1;
        let body =
            serde_json::json!({"code": format!("HK-GHI-{next_code:06}"), "unit_id": village, "head_name": "Nguyễn Thị Ghi"}).to_string();
        let (url, token) = (url.to_string(), token.to_string());
        let (ms, status) = tokio::task::spawn_blocking(move || post(&url, &token, &body)).await.map_err(|e| e.to_string())??;
        if status == "200" || status == "201" {
            run.ms.push(ms);
        } else {
            run.failed.push(status);
        }
    }
    Ok(run)
}

/// `importer` is the thidua executable the importing process runs.
pub async fn isolation(
    rows: usize,
    postgres: Option<String>,
    every_ms: u64,
    alone_secs: u64,
    importer: &std::path::Path,
) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("thidua-bench-isolation-{}", std::process::id()));
    let fresh = fresh_city(&dir, rows, postgres.as_deref(), false, Some(IMPORTING_WARD)).await?;
    let app = fresh.app.clone();
    let engine = app.backend();
    let snap = app.snapshot().await.map_err(|e| e.to_string())?;
    let village = *snap.by_code.get(WRITER_VILLAGE).ok_or("no writer village")?;
    let (writer, _) = super::sign_in::sign_in(&app, WRITER).await?;
    let token = app
        .create_api_token(&writer, "bench isolation", &thidua_app::auth::TokenScope { can_write: true, days: 1, ..Default::default() })
        .await
        .map_err(|e| format!("{e:?}"))?;
    let addr = super::serve(&app).await?;
    let url = format!("http://{addr}/api/v1/households");
    let every = Duration::from_millis(every_ms);
    println!("engine: {engine}; {rows} households into {IMPORTING_WARD}'s villages; {WRITER} writes one every {every_ms} ms");

    let mut code = 0;
    let start = Instant::now();
    let alone = write_while(&url, &token, village, every, &mut code, || Ok(start.elapsed() >= Duration::from_secs(alone_secs))).await?;
    println!("{}", alone.line("alone"));

    let mut child = std::process::Command::new(importer)
        .args(["--database-url", &fresh.url, "import", "households"])
        .arg(&fresh.csv)
        .env("THIDUA_MAX_IMPORT_ROWS", rows.to_string())
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut status = None;
    let during = write_while(&url, &token, village, every, &mut code, || {
        status = child.try_wait().map_err(|e| e.to_string())?;
        Ok(status.is_some())
    })
    .await?;
    let import_secs = start.elapsed().as_secs_f64();
    let status = status.ok_or("import status")?;
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        return Err(format!("the import failed: {err}"));
    }
    println!("{}", during.line(&format!("during the import ({import_secs:.1} s)")));
    println!(
        "| {engine} | {rows} | {import_secs:.1} | {:.1} / {:.1} | {:.1} / {:.1} / {:.1} / {:.0} | {} |",
        alone.percentile(0.5),
        alone.percentile(0.99),
        during.percentile(0.5),
        during.percentile(0.95),
        during.percentile(0.99),
        during.percentile(1.0),
        during.ms.len()
    );
    let failed = alone.failed.len() + during.failed.len();
    fresh.remove().await?;
    let _ = std::fs::remove_dir_all(PathBuf::from(&dir));
    if failed > 0 {
        return Err(format!("{failed} writes failed: {:?}", [alone.failed, during.failed].concat()));
    }
    Ok(())
}
