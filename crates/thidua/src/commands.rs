//! One function per subcommand.

use crate::cli::{AuditCommand, Cli, Command, UserCommand};
use crate::config::{Config, redact_url};
use crate::{demo, open_app};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use thidua_app::ports::{AuditFilter, PersonSort};
use thidua_app::{App, AppError};
use thidua_domain::access::Role;
use thidua_domain::import::ImportKind;
use thidua_domain::titles::Stage;

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("THIDUA_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if config.log_format == "json" { builder.json().try_init() } else { builder.try_init() };
}

/// Loads and validates the configuration from file, environment and flags.
pub fn load_config(cli: &Cli) -> Result<Config, String> {
    let mut config = Config::load(cli.config.as_deref(), &|k| std::env::var(k).ok())?;
    if let Some(url) = &cli.database_url {
        config.database_url = url.clone();
    }
    if let Command::Serve { bind: Some(b), .. } = &cli.command {
        config.bind = b.clone();
    }
    config.validate()?;
    Ok(config)
}

pub async fn dispatch(cli: Cli) -> Result<(), String> {
    let config = load_config(&cli)?;
    init_logging(&config);
    match cli.command {
        Command::Serve { demo, .. } => serve(&config, demo).await,
        Command::Migrate => {
            open_app(&config).await?;
            println!("Đã cập nhật cấu trúc cơ sở dữ liệu ({}).", redact_url(&config.database_url));
            Ok(())
        }
        Command::Demo { scale: None } => {
            let app = open_app(&config).await?;
            load_demo(&app).await
        }
        Command::Demo { scale: Some(scale) } => {
            let scale = crate::scale::Scale::parse(&scale).ok_or_else(|| format!("quy mô «{scale}» không có (hanoi, hanoi/N)"))?;
            let app = open_app(&crate::scale::generator_config(&config)).await?;
            crate::scale::generate(&app, &scale, true).await.map(|_| ())
        }
        Command::User { action } => user(&config, action).await,
        Command::Import { kind, file, dry_run, set, year, stage } if kind == "assessments" => {
            let app = open_app(&config).await?;
            let stage = Stage::parse(&stage).ok_or_else(|| format!("giai đoạn «{stage}» không có (verified, self)"))?;
            let actor = app.operator().await.map_err(describe)?;
            let r = import_assessments_file(&app, &actor, &file, set.as_deref(), year, stage, dry_run, config.max_import_rows).await?;
            if r.dry_run {
                println!("Kiểm tra xong {} dòng: không có lỗi, {} phiếu đạt. Chưa ghi gì.", r.rows, r.passed);
            } else {
                println!("Đã ghi {} phiếu đánh giá ({} đạt) từ {} dòng.", r.written, r.passed, r.rows);
            }
            Ok(())
        }
        Command::Import { kind, file, dry_run, .. } => import(&config, &kind, &file, dry_run).await,
        Command::Export { kind, file } => export(&config, &kind, &file).await,
        Command::Backup { verify, file } => backup(&config, &file, verify).await,
        Command::Restore { file } => restore(&config, &file).await,
        Command::Audit { action: AuditCommand::Verify } => {
            let app = open_app(&config).await?;
            let n = app.verify_audit().await?;
            println!("Nhật ký toàn vẹn: {n} mục, chuỗi băm khớp.");
            Ok(())
        }
        Command::Retention { action: crate::cli::RetentionCommand::Scan } => {
            let app = open_app(&config).await?;
            for s in app.scan_retention(None).await.map_err(|e| e.to_string())? {
                println!("{}: {} mục đến hạn ({}) — lần rà soát số {}", s.what.label(), s.due, s.cutoff.words(), s.id);
            }
            println!("Quản trị viên xác nhận xóa tại trang /admin/retention.");
            Ok(())
        }
        Command::Units { action: crate::cli::UnitsCommand::Unassigned } => {
            let app = open_app(&config).await?;
            let actor = app.operator().await.map_err(|e| e.to_string())?;
            let list = app.unassigned_units(&actor).await.map_err(|e| e.to_string())?;
            for (unit, villages) in &list {
                let names: Vec<String> = villages.iter().map(|v| format!("{} ({})", v.name, v.code)).collect();
                println!("{} ({}): {} chưa chuyển sang đơn vị mới — {}", unit.name, unit.code, villages.len(), names.join("; "));
            }
            let waiting: usize = list.iter().map(|(_, v)| v.len()).sum();
            println!(
                "{} đơn vị đã chia còn {} thôn, tổ dân phố chưa chuyển; chuyển tại trang của đơn vị («Chia thôn, tổ dân phố…»).",
                list.len(),
                waiting
            );
            Ok(())
        }
        Command::Mail { action: crate::cli::MailCommand::Send } => {
            let url =
                config.smtp_url.as_deref().ok_or("chưa cấu hình máy chủ thư: đặt THIDUA_SMTP_URL (hoặc smtp_url trong tệp cấu hình)")?;
            let sender = crate::mail::SmtpSender::new(url, &config.mail_from)?;
            let app = open_app(&config).await?;
            let (queued, d) = crate::mail::round(&app, &sender).await?;
            println!(
                "Thư mới xếp hàng: {queued}; đã gửi: {}; sẽ gửi lại: {}; bỏ sau {} lần thử: {}.",
                d.sent,
                d.retried,
                thidua_app::mail::MAX_ATTEMPTS,
                d.gave_up
            );
            Ok(())
        }
        Command::Bench { action: crate::cli::BenchCommand::Import { rows, dir, postgres } } => {
            crate::bench::import(rows, dir, postgres).await
        }
        Command::Bench { action: crate::cli::BenchCommand::Isolation { rows, postgres, every_ms, alone_secs } } => {
            let exe = std::env::current_exe().map_err(|e| e.to_string())?;
            crate::bench::isolation(rows, postgres, every_ms, alone_secs, &exe).await
        }
        Command::Bench { action: crate::cli::BenchCommand::XlsxImport { rows, dir } } => crate::bench::xlsx_import(rows, dir).await,
        Command::Bench { action: crate::cli::BenchCommand::Hostile { seconds } } => crate::bench::hostile(seconds).await,
        Command::Bench { action: crate::cli::BenchCommand::Titles { rows, ward, seconds, year } } => {
            crate::bench::titles(&config, crate::bench::TitlesBench { rows, ward, seconds, year }).await
        }
        Command::Calendar { action } => {
            let app = open_app(&config).await?;
            for line in calendar(&app, action).await? {
                println!("{line}");
            }
            Ok(())
        }
        Command::Bench { action: crate::cli::BenchCommand::Awards { nominees, seconds } } => {
            crate::bench::awards(&config, nominees, seconds).await
        }
        Command::Bench { action: crate::cli::BenchCommand::Monitoring { year, seconds } } => {
            crate::bench::monitoring(&config, year, seconds).await
        }
        Command::Bench { action: crate::cli::BenchCommand::Kept { year, writers, every_ms, seconds, readers } } => {
            crate::bench::kept(&config, crate::bench::KeptBench { year, writers, every_ms, seconds, readers }).await
        }
        Command::Bench { action: crate::cli::BenchCommand::Pages { users, runs, per_kind, max_pages, limit_ms, typed } } => {
            crate::bench::pages(&config, crate::bench::PagesBench { users, runs, per_kind, max_pages, limit_ms, typed }).await
        }
        Command::Bench { action: crate::cli::BenchCommand::Tree { user, runs } } => crate::bench::tree(&config, &user, runs).await,
        Command::Bench { action: crate::cli::BenchCommand::Reads { user, clients, seconds } } => {
            crate::bench::reads(&config, crate::bench::ReadsBench { user, clients, seconds }).await
        }
        Command::CheckConfig => {
            let app = open_app(&config).await?;
            app.ping().await.map_err(|e| e.to_string())?;
            println!("Cấu hình hợp lệ: {config:?}");
            println!("Cơ sở dữ liệu: {} — kết nối được.", app.backend());
            Ok(())
        }
    }
}

/// A date given as YYYY-MM-DD or dd/mm/yyyy.
fn cli_date(s: &str) -> Result<time::Date, String> {
    thidua_domain::dates::parse_dmy(s).map_err(|_| format!("ngày «{s}» không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)"))
}

fn iso(d: time::Date) -> String {
    thidua_domain::dates::to_iso(d)
}

/// The output lines of `thidua calendar …`.
pub async fn calendar(app: &App, action: crate::cli::CalendarCommand) -> Result<Vec<String>, String> {
    use crate::cli::CalendarCommand as C;
    if let C::Lunar { date } = &action {
        let d = cli_date(date)?;
        let l = thidua_domain::lunar::to_lunar(d).ok_or_else(|| format!("ngày {date} nằm ngoài khoảng tính được"))?;
        return Ok(vec![l.to_string()]);
    }
    let cal = app.calendar().await.map_err(describe)?;
    let in_range = |d: time::Date| {
        if thidua_domain::calendar::YEARS.contains(&d.year()) {
            Ok(d)
        } else {
            Err(format!("lịch chỉ tính cho các năm 2000–2060 (nhận {})", iso(d)))
        }
    };
    Ok(match action {
        C::Holidays { year } => {
            in_range(time::Date::from_calendar_date(year, time::Month::January, 1).map_err(|e| e.to_string())?)?;
            cal.holidays(year).into_iter().map(|h| format!("{} {}", iso(h.date), h.name)).collect()
        }
        C::Add { date, n } => vec![iso(in_range(cal.add_working_days(in_range(cli_date(&date)?)?, n))?)],
        C::Sub { date, n } => vec![iso(in_range(cal.working_days_before(in_range(cli_date(&date)?)?, n))?)],
        C::Lunar { .. } => vec![],
    })
}

async fn load_demo(app: &App) -> Result<(), String> {
    if !demo::is_empty(app).await.map_err(|e| e.to_string())? {
        return Err("cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống".into());
    }
    let (u, h, p, users) = demo::load(app).await.map_err(describe)?;
    println!("Đã nạp dữ liệu mẫu: {u} đơn vị, {h} hộ gia đình, {p} công dân, {users} tài khoản.");
    Ok(())
}

fn describe(e: AppError) -> String {
    match e {
        AppError::Rows(rows) => {
            let mut s = format!("dữ liệu có {} lỗi, không ghi dòng nào:", rows.len());
            for r in rows.iter().take(200) {
                s.push_str(&format!("\n  dòng {}, cột «{}»: {}", r.row, r.column, r.reason));
            }
            if rows.len() > 200 {
                s.push_str(&format!("\n  … và {} lỗi khác", rows.len() - 200));
            }
            s
        }
        AppError::Storage(inner) => format!("lỗi lưu trữ: {inner}"),
        other => other.to_string(),
    }
}

async fn serve(config: &Config, with_demo: bool) -> Result<(), String> {
    let app = open_app(config).await?;
    if with_demo && demo::is_empty(&app).await.map_err(|e| e.to_string())? {
        load_demo(&app).await?;
    }
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .map_err(|e| format!("không mở được cổng {}: {e} (cổng đang được dùng?)", config.bind))?;
    let web_config = thidua_web::WebConfig {
        secure_cookies: config.secure_cookies,
        max_upload_bytes: config.max_upload_mb * 1024 * 1024,
        max_import_rows: config.max_import_rows,
        trust_forwarded_for: config.trust_forwarded_for,
        metrics_token: config.metrics_token.clone(),
    };
    let router = thidua_web::router(app.clone(), web_config);
    println!("thidua đang chạy tại http://{} (cơ sở dữ liệu: {})", config.bind, app.backend());
    if with_demo {
        println!("Tài khoản mẫu (mật khẩu {}):", demo::DEMO_PASSWORD);
        for (u, name, role, scope) in demo::DEMO_USERS {
            // Administrators and roles over the whole city (scope HN) sign in in two steps.
            let two_steps = if config.require_2fa && (*role == thidua_domain::access::Role::SystemAdmin || *scope == "HN") {
                " — đăng nhập hai bước (ứng dụng xác thực trên điện thoại)"
            } else {
                ""
            };
            println!("  {u:<16} {} — {name} — phạm vi {scope}{two_steps}", role.label_vi());
        }
    }
    // Expired sessions and old login failures are purged by every instance; the DELETE is
    // idempotent, so several instances need no coordination. The housekeeping also regroups
    // the possible duplicates an interrupted import left (each ward once, under its lock).
    let purge_app = app.clone();
    tokio::spawn(async move {
        let mut last_scan: Option<std::time::Instant> = None;
        loop {
            if last_scan.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(86_400)) {
                match purge_app.scan_retention(None).await {
                    Ok(_) => last_scan = Some(std::time::Instant::now()),
                    Err(e) => tracing::warn!(error = %e, "retention scan failed"),
                }
            }
            if let Err(e) = purge_app.purge_expired().await {
                tracing::warn!(error = %e, "purge failed");
            }
            if let Err(e) = purge_app.refresh_pending_twins().await {
                tracing::warn!(error = %e, "possible duplicates left by an import not regrouped");
            }
            tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        }
    });
    match &config.smtp_url {
        Some(url) => {
            crate::mail::spawn(
                app.clone(),
                crate::mail::SmtpSender::new(url, &config.mail_from)?,
                std::time::Duration::from_secs(config.mail_every_secs),
            );
            println!("Nhắc việc qua thư điện tử: bật ({}).", redact_url(url));
        }
        None => println!("Nhắc việc qua thư điện tử: tắt (đặt THIDUA_SMTP_URL để bật); nhắc việc vẫn hiện trong ứng dụng."),
    }
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("máy chủ dừng do lỗi: {e}"))?;
    println!("thidua đã dừng.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn user(config: &Config, action: UserCommand) -> Result<(), String> {
    let app = open_app(config).await?;
    let snap = app.snapshot().await.map_err(describe)?;
    let unit_id =
        |code: &str| snap.by_code.get(&code.trim().to_ascii_uppercase()).copied().ok_or_else(|| format!("không có đơn vị mã «{code}»"));
    let user_id = |u: Option<i64>, name: &str| u.ok_or_else(|| format!("không có người dùng «{name}»"));
    match action {
        UserCommand::Add { username, full_name, unit, password } => {
            let id = app.create_user(None, &username, &full_name, &password, unit_id(&unit)?).await.map_err(describe)?;
            println!("Đã tạo người dùng {username} (#{id}).");
        }
        UserCommand::Grant { username, role, unit, only_this_unit } => {
            let role = Role::from_code(&role).ok_or_else(|| format!("vai trò «{role}» không có"))?;
            let u = app.user_id(&username).await.map_err(describe)?;
            app.grant(None, user_id(u, &username)?, role, unit_id(&unit)?, !only_this_unit).await.map_err(describe)?;
            println!("Đã cấp vai trò {} cho {username} tại {unit}.", role.label_vi());
        }
        UserCommand::Reset { username, password } => {
            let u = app.user_id(&username).await.map_err(describe)?;
            app.reset_password(None, user_id(u, &username)?, &password).await.map_err(describe)?;
            println!("Đã đặt lại mật khẩu cho {username}; các phiên đăng nhập cũ đã bị hủy.");
        }
        UserCommand::Reset2fa { username } => {
            let u = app.user_id(&username).await.map_err(describe)?;
            app.reset_second_factor(None, user_id(u, &username)?).await.map_err(describe)?;
            println!("Đã đặt lại đăng nhập hai bước của {username}; các phiên và mã truy cập API của người này đã kết thúc.");
        }
        UserCommand::List => {
            for (u, grants) in app.users_with_grants().await.map_err(describe)? {
                let roles: Vec<String> = grants
                    .iter()
                    .map(|g| format!("{}@{}", g.grant.role.code(), snap.units.get(&g.grant.scope).map(|x| x.code.as_str()).unwrap_or("?")))
                    .collect();
                println!("{:<16} {:<40} {}", u.username, u.full_name, roles.join(", "));
            }
        }
        UserCommand::Delegations { username } => {
            let u = app.user_id(&username).await.map_err(describe)?;
            let actor = app.actor(user_id(u, &username)?).await.map_err(describe)?;
            let d = app.delegations(&actor).await.map_err(describe)?;
            let date = |t: Option<time::OffsetDateTime>| {
                t.map(|t| thidua_domain::dates::format_dmy(t.to_offset(time::macros::offset!(+7)).date())).unwrap_or_default()
            };
            for (heading, list) in [("Đã giao", d.given), ("Được nhận", d.received)] {
                for v in list {
                    let scope = snap.units.get(&v.grant.scope).map(|x| x.code.as_str()).unwrap_or("?");
                    let status = if v.ended {
                        "đã kết thúc"
                    } else if v.in_force {
                        "đang hiệu lực"
                    } else {
                        "chưa đến hạn"
                    };
                    println!(
                        "#{:<6} {heading:<10} {:<40} {}@{scope} {}–{} ({status})",
                        v.id,
                        v.other,
                        v.grant.role.code(),
                        date(v.grant.valid_from),
                        date(v.grant.valid_until)
                    );
                }
            }
        }
        UserCommand::EndDelegation { grant } => {
            app.end_delegation(None, grant).await.map_err(describe)?;
            println!("Đã kết thúc ủy quyền #{grant}.");
        }
    }
    Ok(())
}

async fn import(config: &Config, kind: &str, file: &Path, dry_run: bool) -> Result<(), String> {
    let kind = ImportKind::parse(kind).ok_or_else(|| format!("loại «{kind}» không có (units, households, people)"))?;
    let app = open_app(config).await?;
    let report = import_file(&app, kind, file, dry_run, config.max_import_rows, true).await?;
    if report.dry_run {
        println!("Kiểm tra xong {} dòng: không có lỗi (bảng mã {}). Chưa ghi gì.", report.rows, report.encoding.label());
    } else {
        println!("Đã nhập {} dòng, tạo {} bản ghi (bảng mã {}).", report.rows, report.created, report.encoding.label());
    }
    Ok(())
}

/// Imports a file as the command-line operator: CSV is streamed from disk, xlsx read whole.
pub async fn import_file(
    app: &App,
    kind: ImportKind,
    file: &Path,
    dry_run: bool,
    max_rows: usize,
    show_progress: bool,
) -> Result<thidua_app::import::ImportReport, String> {
    let head = {
        use std::io::Read;
        let mut buf = vec![0u8; 8];
        let n =
            std::fs::File::open(file).and_then(|mut f| f.read(&mut buf)).map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
        buf.truncate(n);
        buf
    };
    let spinner = if show_progress { ProgressBar::new_spinner() } else { ProgressBar::hidden() };
    spinner.set_message("Đang đọc và kiểm tra tệp…");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let bar = ProgressBar::hidden();
    bar.set_style(ProgressStyle::with_template("Đang ghi: {pos} dòng ({per_sec})").unwrap_or_else(|_| ProgressStyle::default_bar()));
    let progress = {
        let (bar, spinner) = (bar.clone(), spinner.clone());
        move |n: usize| {
            if bar.is_hidden() && show_progress {
                spinner.finish_and_clear();
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.inc(n as u64);
        }
    };
    let actor = app.operator().await.map_err(describe)?;
    let digest = file_digest(file)?;
    let info = thidua_app::import::FileInfo {
        name: file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
        sha256: digest,
    };
    let result = if head.starts_with(b"PK") {
        let bytes = std::fs::read(file).map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
        let sheet = thidua_documents::open_xlsx(bytes.into(), max_rows).map_err(|e| e.to_string())?;
        app.import_source(&actor, kind, &sheet, &info, dry_run, &progress).await
    } else {
        let source = thidua_documents::CsvFile::open(file, max_rows).map_err(|e| e.to_string())?;
        app.import_source(&actor, kind, &source, &info, dry_run, &progress).await
    };
    spinner.finish_and_clear();
    bar.finish_and_clear();
    result.map_err(describe)
}

/// The criteria set named on the command line: its code (newest version) or its storage number.
async fn resolve_set(app: &App, actor: &thidua_app::Actor, name: &str) -> Result<i64, String> {
    let sets = app.criteria_sets(actor).await.map_err(describe)?;
    if let Ok(id) = name.trim().parse::<i64>() {
        return sets.iter().find(|s| s.id == id).map(|s| s.id).ok_or_else(|| format!("không có bộ tiêu chí số {id}"));
    }
    sets.iter()
        .filter(|s| s.set_id == name.trim())
        .max_by_key(|s| s.version)
        .map(|s| s.id)
        .ok_or_else(|| format!("không có bộ tiêu chí «{name}» (xem trang «Bộ tiêu chí»)"))
}

/// Imports a filled assessment sheet (.xlsx template or CSV with the same columns) as `actor`.
/// CSV is streamed from disk; the set and year come from the flags, else from the template's
/// information sheet.
#[allow(clippy::too_many_arguments)]
pub async fn import_assessments_file(
    app: &App,
    actor: &thidua_app::Actor,
    file: &Path,
    set: Option<&str>,
    year: Option<i64>,
    stage: Stage,
    dry_run: bool,
    max_rows: usize,
) -> Result<thidua_app::titles::AssessmentImportReport, String> {
    let info = thidua_app::import::FileInfo {
        name: file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
        sha256: file_digest(file)?,
    };
    let head = {
        use std::io::Read;
        let mut buf = [0u8; 2];
        let n =
            std::fs::File::open(file).and_then(|mut f| f.read(&mut buf)).map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
        buf[..n].to_vec()
    };
    let set = match set {
        Some(name) => Some(resolve_set(app, actor, name).await?),
        None => None,
    };
    if head.starts_with(b"PK") {
        let bytes = std::fs::read(file).map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
        let (info_set, info_year) = thidua_documents::template_target(&bytes);
        let (Some(criteria_set), Some(year)) = (set.or(info_set), year.or(info_year)) else {
            return Err("tệp không có trang «Thông tin» của biểu mẫu: ghi rõ --set và --year".into());
        };
        let sheet = thidua_documents::open_xlsx(bytes.into(), max_rows).map_err(|e| e.to_string())?;
        let target = thidua_app::titles::SheetTarget { criteria_set, year, stage };
        app.import_assessments(actor, target, &sheet, &info, dry_run).await.map_err(describe)
    } else {
        let (Some(criteria_set), Some(year)) = (set, year) else {
            return Err("tệp CSV: ghi rõ bộ tiêu chí (--set) và năm đánh giá (--year)".into());
        };
        let source = thidua_documents::CsvFile::open(file, max_rows).map_err(|e| e.to_string())?;
        let target = thidua_app::titles::SheetTarget { criteria_set, year, stage };
        app.import_assessments(actor, target, &source, &info, dry_run).await.map_err(describe)
    }
}

/// SHA-256 of a file, read in blocks.
fn file_digest(file: &Path) -> Result<String, String> {
    use sha2::Digest;
    use std::io::Read;
    let mut f = std::fs::File::open(file).map_err(|e| format!("không đọc được {}: {e}", file.display()))?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

async fn export(config: &Config, kind: &str, file: &Path) -> Result<(), String> {
    use thidua_app::exports::ExportFilter;
    let app = open_app(config).await?;
    let actor = app.operator().await.map_err(describe)?;
    let all = ExportFilter::default();
    let write = |bytes: &[u8], out: &mut std::fs::File| {
        std::io::Write::write_all(out, bytes).map_err(|e| format!("không ghi được {}: {e}", file.display()))
    };
    // The registry's long lists page by page into a streamed workbook: any length, bounded memory.
    if let Some((title, kind)) = match kind {
        "households" => Some(("Hộ gia đình", ImportKind::Households)),
        "people" => Some(("Công dân", ImportKind::People)),
        _ => None,
    } {
        let page = |at| {
            let (app, actor, all) = (&app, &actor, &all);
            async move {
                match kind {
                    ImportKind::Households => {
                        app.households_export_page(
                            actor,
                            (all, thidua_app::ports::ReadChannel::Command),
                            thidua_app::ports::HouseholdSort::Code,
                            at,
                        )
                        .await
                    }
                    _ => app.people_export_page(actor, (all, thidua_app::ports::ReadChannel::Command), PersonSort::Name, at).await,
                }
            }
        };
        let mut out = std::fs::File::create(file).map_err(|e| format!("không ghi được {}: {e}", file.display()))?;
        let written = async {
            let mut book = thidua_documents::XlsxStream::new(title, &kind.headers()).map_err(|e| e.to_string())?;
            let (mut rows, mut at) = page(None).await.map_err(describe)?;
            let mut n = 0;
            loop {
                n += rows.len();
                write(&book.rows(&rows).map_err(|e| e.to_string())?, &mut out)?;
                let Some(next) = at else { break };
                (rows, at) = page(Some(next)).await.map_err(describe)?;
            }
            write(&book.finish().map_err(|e| e.to_string())?, &mut out)?;
            Ok::<_, String>(n)
        }
        .await;
        // A file cut off midway is removed, never left looking complete.
        let n = written.inspect_err(|_| {
            let _ = std::fs::remove_file(file);
        })?;
        println!("Đã xuất {n} dòng ra {}.", file.display());
        return Ok(());
    }
    let sheet = match kind {
        "units" => app.units_export(&actor, None).await,
        "clans" => app.clans_export(&actor, &all).await,
        "audit" => app.audit_export(&actor, &AuditFilter::default()).await,
        other => return Err(format!("loại «{other}» không có (units, households, people, clans, audit)")),
    }
    .map_err(describe)?
    .value;
    let n = sheet.rows.len();
    let bytes = thidua_documents::write_xlsx(&[sheet]).map_err(|e| e.to_string())?;
    std::fs::write(file, bytes).map_err(|e| format!("không ghi được {}: {e}", file.display()))?;
    println!("Đã xuất {n} dòng ra {}.", file.display());
    Ok(())
}

async fn backup(config: &Config, file: &Path, verify: bool) -> Result<(), String> {
    if verify {
        let work = tempfile::tempdir().map_err(|e| e.to_string())?;
        let m = crate::backup::verify(file, work.path()).await?;
        let db = if m.database.is_some() {
            format!("cơ sở dữ liệu (nhật ký {} mục) và ", m.audit_entries.unwrap_or(0))
        } else {
            String::new()
        };
        println!("Bản sao lưu {} toàn vẹn: {db}{} tệp, mọi mã băm khớp.", file.display(), m.files.len());
        return Ok(());
    }
    let m = crate::backup::backup(config, file).await?;
    match m.audit_entries {
        Some(n) => {
            println!("Đã sao lưu vào {}: cơ sở dữ liệu (nhật ký {n} mục) và {} tệp, kèm danh mục mã băm.", file.display(), m.files.len())
        }
        None => println!(
            "Đã sao lưu {} tệp vào {}. Cơ sở dữ liệu PostgreSQL sao lưu bằng pg_dump (xem docs/deployment.md).",
            m.files.len(),
            file.display()
        ),
    }
    Ok(())
}

async fn restore(config: &Config, file: &Path) -> Result<(), String> {
    let head = {
        let mut buf = [0u8; 16];
        let n =
            std::io::Read::read(&mut std::fs::File::open(file).map_err(|e| format!("không đọc được {}: {e}", file.display()))?, &mut buf)
                .map_err(|e| e.to_string())?;
        buf[..n].to_vec()
    };
    let (files, kept) = if head.starts_with(b"SQLite format 3") {
        // A bare database from a backup made before archives held the files.
        let Some(target) = config.sqlite_path() else {
            return Err("khôi phục PostgreSQL dùng pg_restore (xem docs/deployment.md)".into());
        };
        println!("Lưu ý: tệp chỉ có cơ sở dữ liệu, không có các tệp đính kèm.");
        (0, thidua_storage::restore_sqlite(file, &target).await.map_err(|e| e.to_string())?)
    } else {
        let (m, kept) = crate::backup::restore(config, file).await?;
        (m.files.len(), kept)
    };
    // Open it once: migrations bring an older backup up to date, and the chain is checked.
    let app = open_app(config).await?;
    let n = app.verify_audit().await?;
    println!("Đã khôi phục từ {}: nhật ký {n} mục, chuỗi băm khớp; {files} tệp vào kho tệp.", file.display());
    if !kept.is_empty() {
        println!("Tệp cũ được giữ lại: {kept}");
    }
    Ok(())
}
