//! The working-day calendar as officers and scripts use it: the page, the administrator's edit of
//! a year's notice, the API and the `thidua calendar` command, on SQLite and PostgreSQL.

use crate::support::{Client, demo_app, engines};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

fn thidua(db: &str, args: &[&str]) -> String {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["--database-url", db, "calendar"])
        .args(args)
        .env_remove("THIDUA_DATABASE_URL")
        .output()
        .expect("run thidua");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn the_command_lists_holidays_and_steps_over_them() {
    let (_app, db) = demo_app(crate::support::Engine::Sqlite).await;
    let lines = thidua(&db.url, &["holidays", "2027"]);
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines[0], "2027-01-01 Tết Dương lịch");
    assert!(lines.iter().any(|l| l.starts_with("2027-02-06 Tết Nguyên đán Đinh Mùi")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("2027-02-10 Nghỉ bù")), "Tết's Saturday gives a day in lieu: {lines:?}");
    assert!(lines.contains(&"2027-04-16 Giỗ Tổ Hùng Vương (10/3 âm lịch)"));
    assert!(lines.contains(&"2027-05-01 Ngày Quốc tế lao động"), "a holiday on a Saturday is listed too");
    assert!(lines.contains(&"2027-05-03 Nghỉ bù Ngày Quốc tế lao động"));
    assert_eq!(thidua(&db.url, &["add", "2027-02-04", "1"]).trim(), "2027-02-12");
    assert_eq!(thidua(&db.url, &["sub", "2027-02-12", "1"]).trim(), "2027-02-04");
    assert_eq!(thidua(&db.url, &["lunar", "2025-07-25"]).trim(), "1/6/2025 nhuận");
    assert_eq!(thidua(&db.url, &["lunar", "2026-02-17"]).trim(), "1/1/2026");
}

#[tokio::test]
async fn an_administrator_enters_the_years_notice_and_every_deadline_follows_it() {
    for engine in engines() {
        let (app, db) = demo_app(engine).await;
        let mut admin = Client::new(app.clone());
        admin.login("admin").await;
        let page = admin.get("/calendar?year=2027").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains(">tạm tính</span>") && page.text().contains("Lưu lịch năm"));
        // The notice moves Tết and adds a bridge day swapped with a Saturday.
        let r = admin
            .post_form(
                "/calendar/2027",
                &[
                    ("version", ""),
                    ("basis", "Thông báo số 9999/TB-BNV (thử nghiệm)"),
                    ("verified", "on"),
                    ("tet", "04/02/2027\n05/02/2027\n08/02/2027\n09/02/2027\n10/02/2027"),
                    ("national", "03/09/2027"),
                    ("extra", ""),
                    ("days_off", "11/02/2027-12/02/2027 Nghỉ hoán đổi dịp Tết"),
                    ("working", "20/02/2027 Làm bù ngày 11/02\n27/02/2027 Làm bù ngày 12/02"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = admin.get("/calendar?year=2027").await.text();
        assert!(page.contains("9999/TB-BNV") && page.contains("Đã đối chiếu"));
        assert!(!page.contains(">tạm tính</span>"), "Tết now comes from the notice");
        let cal = app.calendar().await.expect("calendar");
        let d = |s: &str| thidua_domain::dates::parse_dmy(s).expect("date");
        assert!(!cal.is_working_day(d("12/02/2027")) && cal.is_working_day(d("20/02/2027")));
        // The command reads the same database.
        let lines = thidua(&db.url, &["holidays", "2027"]);
        assert!(lines.contains("2027-09-03 Quốc khánh (ngày liền kề)"), "{lines}");
        assert!(lines.contains("2027-02-04 Tết Nguyên đán Đinh Mùi\n"), "{lines}");
        // An edit made from a stale page is refused, and the form keeps what was typed.
        let r = admin
            .post_form("/calendar/2027", &[("version", ""), ("basis", "Bản cũ"), ("tet", ""), ("days_off", ""), ("working", "")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("người khác sửa") && r.text().contains("Bản cũ"));
        // Every save is in the audit log.
        let audit = admin.get("/api/v1/audit?action=calendar.save").await.json();
        assert!(audit.to_string().contains("calendar.save"), "{audit}");
    }
}

#[tokio::test]
async fn a_bad_line_in_the_notice_is_named_and_nothing_is_saved() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let mut admin = Client::new(app.clone());
    admin.login("admin").await;
    admin.get("/calendar?year=2028").await;
    let r = admin
        .post_form(
            "/calendar/2028",
            &[("basis", "Thông báo thử"), ("tet", "25/01/2028\n26/01/2028"), ("working", "05/02/2028 Làm bù\n31/02/2028 Sai ngày")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("dòng 2"), "{}", r.text());
    let r = admin.post_form("/calendar/2028", &[("basis", "Thông báo thử"), ("tet", "25/01/2028\n26/01/2028")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("5 ngày"), "{}", r.text());
    assert!(!app.calendar_tables().await.expect("tables").contains_key(&2028));
}

#[tokio::test]
async fn only_an_administrator_edits_the_calendar_but_every_officer_reads_it() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    for user in ["sogd", "phuongbadinh", "btdkt"] {
        let mut c = Client::new(app.clone());
        c.login(user).await;
        let page = c.get("/calendar?year=2027").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.text().contains("Lưu lịch năm"), "{user} sees no edit form");
        let r = c.post_form("/calendar/2027", &[("basis", "x"), ("verified", "on")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
}

#[tokio::test]
async fn the_api_answers_what_the_command_answers() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let mut c = Client::new(app.clone());
    c.login("admin").await;
    let y = c.get("/api/v1/calendar/2027").await.json();
    assert_eq!(y["table"], false);
    assert!(y["holidays"].as_array().expect("list").iter().any(|h| h["date"] == "2027-02-10" && h["in_lieu"] == true));
    assert_eq!(c.get("/api/v1/calendar/add?date=2027-02-04&n=1").await.json()["date"], "2027-02-12");
    assert_eq!(c.get("/api/v1/calendar/sub?date=12/02/2027&n=1").await.json()["date"], "2027-02-04");
    assert_eq!(c.get("/api/v1/calendar/lunar?date=2025-07-25").await.json()["text"], "1/6/2025 nhuận");
    assert_eq!(c.get("/api/v1/calendar/lunar?date=2025-13-01").await.status, StatusCode::BAD_REQUEST);
    let body = serde_json::json!({"verified": false, "basis": "Dự thảo", "national_day_adjacent": "01/09/2027", "version": null});
    let req = Request::put("/api/v1/calendar/2027")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-csrf-token", c.csrf.clone())
        .body(Body::from(body.to_string()))
        .expect("req");
    let r = c.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["version"], 1);
    let y = c.get("/api/v1/calendar/2027").await.json();
    assert_eq!(y["table"], true);
    assert!(y["holidays"].as_array().expect("list").iter().any(|h| h["date"] == "2027-09-01"));
}
