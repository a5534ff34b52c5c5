//! Issue 20, hardening: each test is one probe that once stopped the server, lost data silently
//! or leaked across units, run against the router (and the binary) on both engines where
//! storage is involved.

use crate::support::{Client, Engine, demo_app, engines};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::io::Write;

/// A workbook whose only cells are A1 and XFD1048576: the file that made the old reader ask
/// for a 512 GiB grid and abort the process.
pub fn far_corners_xlsx() -> Vec<u8> {
    workbook(r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#)
}

/// The same far corner below the household template's header row, so that the header passes.
fn far_corner_below_a_good_header() -> Vec<u8> {
    let cell = |r: &str, t: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#);
    workbook(&format!(
        r#"<row r="1">{}{}{}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        cell("A1", "Mã hộ"),
        cell("B1", "Mã thôn/tổ dân phố"),
        cell("C1", "Họ và tên chủ hộ")
    ))
}

/// A workbook of one sheet holding `rows` (the XML inside `<sheetData>`).
pub fn workbook(rows: &str) -> Vec<u8> {
    let sheet = format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &str); 3] = [
        ("xl/workbook.xml", r#"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", &sheet),
    ];
    for (name, xml) in parts {
        z.start_file(name, opts).expect("start");
        z.write_all(xml.as_bytes()).expect("write");
    }
    z.finish().expect("zip").into_inner()
}

#[tokio::test]
async fn a_read_only_inspector_s_upload_is_refused_before_the_file_is_read() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("kiemtra").await;
    let csrf = c.csrf.clone();
    let bomb = far_corners_xlsx();
    for path in ["/titles/upload", "/import"] {
        let r = c.post_multipart(path, &[("_csrf", &csrf), ("kind", "households")], "x.xlsx", &bomb).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text());
    }
    let r = c
        .send(
            Request::post("/api/v1/import/households?dry_run=true")
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(Body::from(bomb.clone()))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
}

/// A body that breaks off after its first bytes, as a dropped phone connection leaves it.
fn broken_body(head: &[u8]) -> Body {
    let head = axum::body::Bytes::copy_from_slice(head);
    Body::from_stream(futures_util::stream::iter([Ok(head), Err(std::io::Error::other("connection reset"))]))
}

#[tokio::test]
async fn an_upload_that_breaks_off_is_the_sender_s_error_not_the_server_s() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("phuongbadinh").await;
    let start = b"--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nx";
    for path in ["/import", "/titles/upload", "/publications/resources"] {
        let req = Request::post(path).header(header::CONTENT_TYPE, "multipart/form-data; boundary=b").body(broken_body(start));
        let r = c.send(req.expect("request")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text());
    }
    let req = Request::post("/api/v1/import/households?dry_run=true")
        .header(header::CONTENT_TYPE, "text/csv")
        .header("x-csrf-token", c.csrf.clone())
        .body(broken_body(b"M\xc3\xa3 h\xe1\xbb\x99,"));
    let r = c.send(req.expect("request")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("ngắt giữa chừng"), "{}", r.text());
}

#[tokio::test]
async fn a_ward_officer_s_hostile_workbook_gets_a_vietnamese_reason_and_the_server_goes_on() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("phuongbadinh").await;
    let csrf = c.csrf.clone();
    let r = c
        .post_multipart(
            "/import",
            &[("_csrf", &csrf), ("kind", "households"), ("dry_run", "1")],
            "x.xlsx",
            &far_corner_below_a_good_header(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("XFD1048576") && r.text().contains("512 cột"), "{}", r.text());
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
}

/// `n` households of village BD-TDP01 as an import file.
fn households_csv(prefix: &str, n: usize) -> String {
    let mut csv = String::from("Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ\n");
    for i in 0..n {
        csv.push_str(&format!("{prefix}-{i:05},BD-TDP01,Nguyễn Văn Số {i}\n"));
    }
    csv
}

#[tokio::test]
async fn an_export_holds_every_row_the_user_may_see_not_the_first_page() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        let table = thidua_documents::read_table(households_csv("HGD-XK", 1_200).as_bytes(), 10_000).expect("csv");
        let file = thidua_app::import::FileInfo { name: "t.csv".into(), sha256: "t".into() };
        app.import(&officer, thidua_domain::import::ImportKind::Households, &table, &file, false, &|_| {}).await.expect("import");
        let in_db = app.households(&officer, None, None, thidua_app::ports::PageRequest::new(1, 1)).await.expect("count").total;
        assert!(in_db > 1_200, "{engine:?}: {in_db}");
        let mut c = Client::new(app.clone());
        c.login("phuongbadinh").await;
        let x = c.get("/households/export.xlsx").await;
        assert_eq!(x.status, StatusCode::OK);
        let exported = thidua_documents::read_table(&x.body, 100_000).expect("xlsx").rows.len();
        assert_eq!(exported as i64, in_db, "{engine:?}: the export has every household of the ward");
        let p = c.get("/people/export.xlsx").await;
        let people = app.people(&officer, None, None, None, thidua_app::ports::PersonSort::Name, thidua_app::ports::PageRequest::new(1, 1));
        let people = people.await.expect("count").total;
        assert_eq!(thidua_documents::read_table(&p.body, 100_000).expect("xlsx").rows.len() as i64, people, "{engine:?}");
    }
}

#[test]
fn an_export_cell_longer_than_excel_allows_is_cut_with_a_mark_not_refused() {
    let long = "Nguyễn ".repeat(20_000);
    let sheet = thidua_documents::Sheet { title: "Hộ".into(), headers: vec!["Tên".into()], rows: vec![vec![long], vec!["An".into()]] };
    let bytes = thidua_documents::write_xlsx(&[sheet]).expect("the export is written");
    let back = thidua_documents::read_table(&bytes, 10).expect("reads");
    assert_eq!(back.rows.len(), 2);
    assert!(back.rows[0][0].ends_with(thidua_documents::CUT_MARK), "the cut is marked");
    assert_eq!(back.rows[0][0].chars().count(), thidua_documents::CELL_CHARS);
}

fn input_of(u: &thidua_app::ports::UnitRecord) -> thidua_app::ports::UnitInput {
    thidua_app::ports::UnitInput {
        code: u.code.clone(),
        name: u.name.clone(),
        kind: u.kind,
        parent_id: u.parent_id,
        location_id: u.location_id,
        valid_from: u.valid_from,
        valid_to: u.valid_to,
        successors: u.successors.clone(),
    }
}

#[tokio::test]
async fn a_ward_cannot_hand_its_units_to_another_ward_through_successor_or_location() {
    use thidua_app::AppError;
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        let own = crate::support::unit_id(&app, "BD-TDP01").await;
        let foreign = crate::support::unit_id(&app, "CG-TDP01").await;
        let unit = app.unit(&officer, own).await.expect("own unit");
        // A living unit has no successor, whoever it would be.
        let whole = |to| vec![thidua_app::ports::Succession { to, whole: true }];
        let live = thidua_app::ports::UnitInput { successors: whole(crate::support::unit_id(&app, "BD-TDP02").await), ..input_of(&unit) };
        let r = app.update_unit(&officer, own, unit.version, live).await;
        assert!(matches!(r, Err(AppError::Invalid(ref m)) if m.contains("kế thừa")), "{engine:?}: {r:?}");
        // Ending it and naming another ward's group as successor needs that ward's right.
        let ended = thidua_app::ports::UnitInput {
            valid_to: Some(time::macros::date!(2026 - 06 - 30)),
            successors: whole(foreign),
            ..input_of(&unit)
        };
        let r = app.update_unit(&officer, own, unit.version, ended).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "{engine:?}: {r:?}");
        let located = thidua_app::ports::UnitInput { location_id: Some(foreign), ..input_of(&unit) };
        let r = app.update_unit(&officer, own, unit.version, located).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "{engine:?}: {r:?}");
        // The other ward's officer still cannot read Ba Đình's group.
        let other = crate::support::actor(&app, "phuonghoankiem").await;
        assert!(matches!(app.unit(&other, own).await, Err(AppError::Forbidden)), "{engine:?}");
        assert_eq!(app.unit(&officer, own).await.expect("unit").successors, unit.successors, "{engine:?}: nothing changed");
    }
}

async fn api_status(c: &mut Client, token: &str) -> StatusCode {
    let req = Request::get("/api/v1/households?per_page=1").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty());
    c.send(req.expect("request")).await.status
}

#[tokio::test]
async fn api_tokens_end_with_a_password_change_and_an_administrator_s_reset() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        let mut c = Client::new(app.clone());
        let token = app.create_api_token(&officer, "máy trạm phường", &Default::default()).await.expect("token");
        assert_eq!(api_status(&mut c, &token).await, StatusCode::OK, "{engine:?}");
        app.change_password(&officer, crate::support::PASSWORD, "Mat-khau-moi-2026!").await.expect("change");
        assert_eq!(api_status(&mut c, &token).await, StatusCode::UNAUTHORIZED, "{engine:?}: the token ended with the password");
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        let second = app.create_api_token(&officer, "máy trạm 2", &Default::default()).await.expect("token");
        let admin = crate::support::actor(&app, "admin").await;
        app.reset_password(Some(&admin), officer.user_id, "Mat-khau-cap-lai-2026!").await.expect("reset");
        assert_eq!(api_status(&mut c, &second).await, StatusCode::UNAUTHORIZED, "{engine:?}: the token ended with the reset");
    }
}

#[tokio::test]
async fn after_login_only_same_site_paths_are_followed() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    for next in ["/\t/evil.example/x", "//evil.example", "/\\evil.example", "https://evil.example/"] {
        let mut c = Client::new(app.clone());
        let page = c.get("/login").await;
        let csrf = crate::support::csrf_of(&page.text());
        let r = c
            .post_form("/login", &[("_csrf", &csrf), ("username", "phuongbadinh"), ("password", crate::support::PASSWORD), ("next", next)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/", "{next:?}");
    }
}

#[tokio::test]
async fn a_unit_name_that_is_a_formula_is_text_in_the_open_data_csv() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let admin = crate::support::actor(&app, "admin").await;
    let ward = crate::support::unit_id(&app, "P-BADINH").await;
    let unit = app.unit(&admin, ward).await.expect("ward");
    let renamed = thidua_app::ports::UnitInput { name: "=HYPERLINK(\"http://evil.example\",\"Ba Đình\")".into(), ..input_of(&unit) };
    app.update_unit(&admin, ward, unit.version, renamed).await.expect("rename");
    let mut c = Client::new(app);
    let csv = c.get("/du-lieu-mo/danh-hieu.csv?year=2025").await;
    let text = csv.text();
    assert!(text.contains("'=HYPERLINK("), "{text}");
    assert!(!text.lines().any(|l| l.split(',').any(|cell| cell.trim_start_matches('"').starts_with('='))), "{text}");
}

#[tokio::test]
async fn delegation_stays_inside_the_delegator_s_office_and_can_be_ended_by_either() {
    use thidua_app::AppError;
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let now = time::OffsetDateTime::now_utc();
        let month = now + time::Duration::days(30);
        // The read-only inspector's city-wide grant does not become a ward officer's.
        let inspector = crate::support::actor(&app, "kiemtra").await;
        let r = app.delegate(&inspector, "phuongbadinh", 0, now, month).await;
        assert!(matches!(r, Err(AppError::Invalid(ref m)) if m.contains("cùng cơ quan")), "{engine:?}: {r:?}");
        // The ward officer delegates to a colleague of the ward's office.
        let ba_dinh = crate::support::unit_id(&app, "P-BADINH").await;
        let deputy_id = app.create_user(None, "phophuong.badinh", "Lê Thị Phó", crate::support::PASSWORD, ba_dinh).await.expect("user");
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        app.delegate(&officer, "phophuong.badinh", 0, now - time::Duration::minutes(1), month).await.expect("delegated");
        let deputy = app.actor(deputy_id).await.expect("deputy");
        let village = crate::support::unit_id(&app, "BD-TDP01").await;
        assert!(app.households(&deputy, Some(village), None, thidua_app::ports::PageRequest::new(1, 1)).await.is_ok(), "{engine:?}");
        // A delegated grant is not delegated again.
        let r = app.delegate(&deputy, "phuongbadinh", 0, now, month).await;
        assert!(matches!(r, Err(AppError::Invalid(_))), "{engine:?}: {r:?}");
        // Both see it; the deputy ends it and loses the access at once.
        let given = app.delegations(&officer).await.expect("given").given;
        let received = app.delegations(&deputy).await.expect("received").received;
        assert_eq!((given.len(), received.len()), (1, 1), "{engine:?}");
        assert_eq!(given[0].id, received[0].id);
        app.end_delegation(Some(&deputy), received[0].id).await.expect("ended");
        let deputy = app.actor(deputy_id).await.expect("deputy");
        let r = app.households(&deputy, Some(village), None, thidua_app::ports::PageRequest::new(1, 1)).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "{engine:?}: {r:?}");
        assert!(app.delegations(&officer).await.expect("given").given[0].ended, "{engine:?}");
        // Another ward's officer cannot end someone else's delegation.
        app.delegate(&officer, "phophuong.badinh", 0, now, month).await.expect("again");
        let second = app.delegations(&officer).await.expect("given").given[0].id;
        let other = crate::support::actor(&app, "phuonghoankiem").await;
        assert!(matches!(app.end_delegation(Some(&other), second).await, Err(AppError::Forbidden)), "{engine:?}");
    }
}

#[tokio::test]
async fn someone_guessing_at_the_administrator_slows_down_but_never_locks_the_owner_out() {
    use thidua_app::AppError;
    for engine in engines() {
        let (app, _db, clock) = crate::support::demo_app_at(engine, time::macros::datetime!(2026-12-01 02:00 UTC)).await;
        for _ in 0..5 {
            assert!(matches!(app.login("admin", "doan-mo", "203.0.113.9").await, Err(AppError::Unauthenticated)));
        }
        // The sixth try, even with the right password, waits a few seconds, not a quarter hour.
        let r = app.login("admin", crate::support::PASSWORD, "10.1.1.1").await;
        assert!(matches!(r, Err(AppError::Throttled(s)) if (1..=2).contains(&s)), "{engine:?}: {r:?}");
        clock.advance(time::Duration::seconds(3));
        assert!(app.login("admin", crate::support::PASSWORD, "10.1.1.1").await.is_ok(), "{engine:?}: the owner signs in");
        // The owner was told, in the audit log of their account.
        let admin = crate::support::actor(&app, "admin").await;
        let filter = thidua_app::ports::AuditFilter { action: Some("auth.throttled".into()), ..Default::default() };
        let told = app.audit_page(&admin, &filter, thidua_app::ports::PageRequest::new(1, 5)).await.expect("audit");
        assert_eq!(told.total, 1, "{engine:?}");
        // Whoever keeps guessing waits longer each time: after a sixth failure, 4 seconds.
        for _ in 0..6 {
            clock.advance(time::Duration::seconds(60));
            assert!(matches!(app.login("admin", "doan-mo", "203.0.113.9").await, Err(AppError::Unauthenticated)));
        }
        let r = app.login("admin", "doan-mo", "203.0.113.9").await;
        assert!(matches!(r, Err(AppError::Throttled(s)) if (3..=4).contains(&s)), "{engine:?}: {r:?}");
    }
}

#[tokio::test]
async fn a_hundred_thousand_character_name_is_refused_and_a_huge_sign_in_name_never_breaks_the_audit_export() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let village = crate::support::unit_id(&app, "BD-TDP01").await.to_string();
    // A 40,000-character sign-in name, tried once.
    let mut anon = Client::new(app.clone());
    let page = anon.get("/login").await;
    let csrf = crate::support::csrf_of(&page.text());
    let huge = "x".repeat(40_000);
    let r = anon.post_form("/login", &[("_csrf", &csrf), ("username", &huge), ("password", "sai")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut c = Client::new(app.clone());
    c.login("phuongbadinh").await;
    let long = "Nguyễn ".repeat(15_000);
    let r = c.post_form("/households/new", &[("code", "HGD-DAI"), ("unit", &village), ("head_name", &long)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("quá giới hạn 120 ký tự"), "the page names the limit");
    let mut admin = Client::new(app);
    admin.login("admin").await;
    let x = admin.get("/audit/export.xlsx").await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.text());
    let table = thidua_documents::read_table(&x.body, 100_000).expect("the export opens");
    let longest = table.rows.iter().flatten().map(|c| c.chars().count()).max().unwrap_or(0);
    assert!(longest < 1_000, "no cell carries the 40,000 characters: {longest}");
}

/// A configuration on `db_url` whose files live in `dir` (or in S3 when CI provides one and the
/// database is PostgreSQL).
fn backup_config(db_url: &str, dir: &std::path::Path, prefix: &str) -> thidua::config::Config {
    let mut c = thidua::config::Config { database_url: db_url.to_string(), data_dir: dir.to_path_buf(), ..Default::default() };
    if db_url.starts_with("postgres")
        && let Some(endpoint) = crate::support::needed("THIDUA_TEST_S3_ENDPOINT", "the S3 half of the backup test")
    {
        c.s3_endpoint = Some(endpoint);
        c.s3_bucket = "thidua-test".into();
        c.s3_region = "ap-southeast-1".into();
        c.s3_access_key = "thidua".into();
        c.s3_secret_key = "thidua-secret".into();
        c.s3_prefix = prefix.into();
    }
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_holds_the_database_and_every_stored_file_and_restores_both() {
    for engine in engines() {
        let db = crate::support::TestDb::demo(engine).await;
        let dir = tempfile::tempdir().expect("dir");
        let prefix = format!("sao-luu-{}-{engine:?}/", std::process::id());
        let config = backup_config(&db.url, dir.path(), &prefix);
        if let Some(s3) = config.s3_config() {
            thidua_storage::S3Blobs::ensure_bucket(&s3).await.expect("bucket");
        }
        let app = thidua::open_app(&config).await.expect("app");
        let admin = crate::support::actor(&app, "admin").await;
        let ward = crate::support::unit_id(&app, "P-BADINH").await;
        let text = thidua_domain::publications::ResourceText {
            title: "Sổ tay học tập suốt đời".into(),
            topic: "ky-nang-song".into(),
            level: "moi-lua-tuoi".into(),
            ..Default::default()
        };
        let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
        app.add_resource(&admin, ward, &text, Some(("so-tay.pdf", &pdf))).await.expect("resource with a file");
        let references = app.store().blob_references().await.expect("references");
        assert!(!references.is_empty(), "{engine:?}");
        let archive = dir.path().join("sao-luu.zip");
        let manifest = thidua::backup::backup(&config, &archive).await.expect("backup");
        assert_eq!(manifest.files.len(), references.len(), "{engine:?}: every referenced file is in the archive");
        assert_eq!(manifest.database.is_some(), engine == Engine::Sqlite, "{engine:?}");
        let work = tempfile::tempdir().expect("work");
        thidua::backup::verify(&archive, work.path()).await.expect("the archive verifies");
        // The files are lost (a new disk, a new bucket); the restore brings them back.
        let fresh = backup_config(&db.url, &dir.path().join("moi"), &format!("{prefix}moi/"));
        thidua::backup::restore(&fresh, &archive).await.expect("restore");
        let restored = thidua::open_app(&fresh).await.expect("the restored server opens");
        assert!(restored.verify_audit().await.is_ok(), "{engine:?}: the restored audit chain verifies");
        let blobs = thidua::blob_store(&fresh).await.expect("the configured file store");
        for sha in &references {
            assert!(blobs.get(sha).await.expect("get").is_some(), "{engine:?}: {sha} restored");
        }
        // A damaged archive (one byte of the stored file changed) is refused.
        let mut bytes = std::fs::read(&archive).expect("read");
        let at = bytes.windows(4).position(|w| w == b"%PDF").expect("the file is stored as it is") + 10;
        bytes[at] ^= 0xFF;
        let broken = dir.path().join("hong.zip");
        std::fs::write(&broken, &bytes).expect("write");
        assert!(thidua::backup::verify(&broken, work.path()).await.is_err(), "{engine:?}: damage is found");
    }
}

#[tokio::test]
async fn the_api_answers_every_error_as_a_problem_and_dates_as_iso_strings() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let officer = crate::support::actor(&app, "sogd").await;
    let token = app.create_api_token(&officer, "hợp đồng API", &Default::default()).await.expect("token");
    let mut c = Client::new(app.clone());
    let get = |path: &str| Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).expect("req");
    for path in [
        "/api/v1/households?page=x",
        "/api/v1/units/77404484182885564416",
        "/api/v1/calendar/add",
        "/api/v1/households?per_page=0",
        "/api/v1/households?page=274175156478658432&per_page=294",
        "/api/v1/people?sort=tuoi",
        "/api/v1/titles/coverage?year=1999",
    ] {
        let r = c.send(get(path)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text());
        assert_eq!(r.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("application/problem+json"), "{path}");
        let detail = r.json()["detail"].as_str().unwrap_or("").to_string();
        assert!(!detail.is_empty() && !detail.contains("Failed to deserialize"), "{path}: a Vietnamese detail, got {detail}");
    }
    // The reform's successor wards carry their start date as an ISO 8601 string.
    let ward = crate::support::unit_id(&app, "P-BADINH").await;
    let unit = c.send(get(&format!("/api/v1/units/{ward}"))).await.json();
    assert!(unit["valid_from"].as_str().is_some_and(|d| d.len() == 10 && d.as_bytes()[4] == b'-'), "{unit}");
    let doc = c.send(Request::get("/api/openapi.json").body(Body::empty()).expect("req")).await.json();
    let required: Vec<bool> = doc["paths"]["/api/v1/calendar/add"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| p["required"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(required, vec![true, true], "date and n are documented as required");
}

/// A nominee is reached only through its own dossier (issue 20 §5): another ward's nominee named
/// in one's own dossier reads as absent, and nothing is written or audited.
#[tokio::test]
async fn a_ward_cannot_touch_another_wards_nominee_through_its_own_dossier() {
    use crate::commendation::{city, dossier, final_review, nominate, version};
    use crate::support::{actor, unit_id};
    use thidua_app::AppError;
    use thidua_app::commendation::NewBatch;
    use thidua_app::ports::NomineeEdit;
    use thidua_domain::commendation::workflow::Outcome;
    use time::macros::date;
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        let ba_dinh = actor(&app, "phuongbadinh").await;
        let theirs = dossier(&app, &ba_dinh, "8/TTr").await;
        let nominee = nominate(&app, &ba_dinh, theirs, &households[3].0).await;
        let hoan_kiem = actor(&app, "phuonghoankiem").await;
        let campaign = final_review(&app, &hoan_kiem).await;
        let own = app
            .create_batch(
                &hoan_kiem,
                NewBatch {
                    campaign_id: campaign,
                    level: "bang_khen_ubnd_tp".into(),
                    proposer_unit: unit_id(&app, "P-HOANKIEM").await,
                    number: "1/TTr-HK".into(),
                    summary: String::new(),
                },
            )
            .await
            .expect("own batch");
        let audit_before = app.store().write_version().await.expect("head");
        let removed = app.remove_nominee(&hoan_kiem, own, version(&app, own).await, nominee).await;
        assert!(matches!(removed, Err(AppError::NotFound)), "{engine:?}: {removed:?}");
        let edit = NomineeEdit { position: "x".into(), achievement: "đã bị sửa".into(), cites_initiative: true };
        let edited = app.update_nominee(&hoan_kiem, own, version(&app, own).await, nominee, edit).await;
        assert!(matches!(edited, Err(AppError::NotFound)), "{engine:?}: {edited:?}");
        let extended = app.grant_batch_extension(&hoan_kiem, theirs, date!(2030 - 07 - 01), "xin gia hạn").await;
        assert!(matches!(extended, Err(AppError::Forbidden)), "{engine:?}: {extended:?}");
        // Ba Đình's nominee, its report and the audit log are as they were.
        let docs = app.store().documents(theirs).await.expect("docs");
        assert!(docs.iter().any(|d| d.nominee_id == Some(nominee) && d.current), "{engine:?}: the report is still current");
        let n = app.store().nominees(theirs).await.expect("nominees").into_iter().find(|n| n.id == nominee).expect("nominee");
        assert_eq!((n.outcome, n.achievement.as_str()), (Outcome::Proposed, "Gia đình nhiều năm liền học tập tốt."), "{engine:?}");
        assert_eq!(app.store().write_version().await.expect("head"), audit_before, "{engine:?}: no audit entry was written");
    }
}
