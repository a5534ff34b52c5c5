//! Yearly implementation reports through the real pages, on SQLite and PostgreSQL: figures
//! pre-filled from the registry, DOET's return and approval, the lock, the reopening of one unit
//! in a locked year, reporting on time as a rate, and DOET's consolidated .docx and .xlsx.

use crate::support::{Client, actor, demo_app_at, engines, unit_id};
use axum::http::StatusCode;
use thidua_app::App;
use time::macros::datetime;

async fn version(app: &App, unit: i64) -> String {
    app.store().report(unit, 2026).await.expect("q").map_or(0, |r| r.version).to_string()
}

#[tokio::test]
async fn a_ward_reports_doet_returns_it_the_ward_fixes_it_doet_approves_and_it_locks() {
    for engine in engines() {
        // Tuesday 01/12/2026, 09:00 in Hanoi: before the deadline (15/12).
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let registry = app.year_coverage(2026).await.expect("coverage").cell(hk, "gia_dinh_hoc_tap");
        assert!(registry.recognised > 0, "{engine:?}: the demo recognises households of Hoàn Kiếm in 2026");
        let mut ward = Client::new(app.clone());
        ward.login("phuonghoankiem").await;
        let path = format!("/reports/2026/{hk}");

        // The figures come from the registry, not from the ward's typing.
        let page = ward.get(&path).await.text();
        assert!(page.contains("Gia đình học tập"), "{engine:?}");
        let view = app.report_view(&actor(&app, "phuonghoankiem").await, hk, 2026).await.expect("view");
        let gdht = view.figures.titles.iter().find(|t| t.code == "gia_dinh_hoc_tap").expect("GĐHT figures");
        assert_eq!((gdht.recognised, gdht.eligible), (registry.recognised, registry.eligible), "{engine:?}");
        assert!(page.contains(&format!("<td>{}</td>", registry.recognised)), "{engine:?}: the page shows the registry's count");

        // Nothing written yet: it cannot be submitted; a number that is not one is refused.
        let r = ward.post_form(&format!("{path}/step"), &[("version", "0"), ("step", "submit")]).await;
        assert!(r.text().contains("Chưa viết phần «Kết quả đạt được»"), "{engine:?}: {}", r.text());
        let r = ward.post_form(&path, &[("version", "0"), ("events", "mười hai"), ("results", "x")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(r.text().contains("«Số hoạt động, sự kiện»: «mười hai» không phải số nguyên không âm."), "{}", r.text());
        assert!(app.store().report(hk, 2026).await.expect("q").is_none(), "{engine:?}: nothing stored");

        let draft = [
            ("events", "12"),
            ("week_events", "3"),
            ("participants", "4.500"),
            ("models", "2"),
            ("results", "100% tổ dân phố triển khai mô hình «Gia đình học tập»."),
            ("limits", "Một số hộ chưa cập nhật kết quả học tập của thành viên."),
            ("lessons", "Phối hợp chặt với Hội Khuyến học phường."),
            ("proposals", "Đề nghị Thành phố bổ sung kinh phí cho trung tâm học tập cộng đồng."),
        ];
        let mut form = vec![("version", version(&app, hk).await)];
        form.extend(draft.iter().map(|(k, v)| (*k, v.to_string())));
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(ward.post_form(&path, &fields).await.status, StatusCode::SEE_OTHER, "{engine:?}: draft saved");
        let v = version(&app, hk).await;
        assert_eq!(ward.post_form(&format!("{path}/step"), &[("version", &v), ("step", "submit")]).await.status, StatusCode::SEE_OTHER);

        // DOET returns it with what to fix; the ward sees it, fixes and resubmits.
        let mut doet = Client::new(app.clone());
        doet.login("sogd").await;
        let v = version(&app, hk).await;
        let r = doet.post_form(&format!("{path}/step"), &[("version", &v), ("step", "return")]).await;
        assert!(r.text().contains("cần ghi lý do"), "{engine:?}: a return says why");
        let why = "Bổ sung số hoạt động hưởng ứng Tuần lễ học tập suốt đời";
        let r = doet.post_form(&format!("{path}/step"), &[("version", &v), ("step", "return"), ("comment", why)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let page = ward.get(&path).await.text();
        assert!(page.contains("id=\"to-fix\"") && page.contains(why), "{engine:?}");
        let mut form = vec![("version", version(&app, hk).await)];
        form.extend(draft.iter().map(|(k, v)| (*k, if *k == "week_events" { "5".to_string() } else { v.to_string() })));
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(ward.post_form(&path, &fields).await.status, StatusCode::SEE_OTHER);
        let v = version(&app, hk).await;
        assert_eq!(ward.post_form(&format!("{path}/step"), &[("version", &v), ("step", "submit")]).await.status, StatusCode::SEE_OTHER);
        let r = ward.post_form(&format!("{path}/step"), &[("version", &version(&app, hk).await), ("step", "approve")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{engine:?}: a ward does not approve its own report");
        let v = version(&app, hk).await;
        assert_eq!(doet.post_form(&format!("{path}/step"), &[("version", &v), ("step", "approve")]).await.status, StatusCode::SEE_OTHER);

        // Approved: locked for the ward.
        let mut form = vec![("version", version(&app, hk).await)];
        form.extend(draft.iter().map(|(k, v)| (*k, v.to_string())));
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = ward.post_form(&path, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(r.text().contains("không sửa được"), "{engine:?}");
        let row = app.store().report(hk, 2026).await.expect("q").expect("report");
        assert_eq!(
            (row.state, row.activities.contains("\"week_events\":5")),
            (thidua_domain::reports::ReportState::Approved, true),
            "{engine:?}"
        );
        let steps: Vec<String> = app.store().report_events(row.id).await.expect("events").into_iter().map(|e| e.step).collect();
        assert_eq!(steps, ["submit", "return", "submit", "approve"], "{engine:?}");

        // DOET sees who reported on time; the consolidated report shows the ward's figures.
        let overview = doet.get("/reports?year=2026").await.text();
        let o = app.report_overview(&actor(&app, "sogd").await, 2026).await.expect("overview");
        assert_eq!((o.punctuality.on_time, o.punctuality.late), (1, 0), "{engine:?}");
        let snap = app.snapshot().await.expect("tree");
        let bodies = snap.units.values().filter(|u| App::reports_for(&snap, u, 2026)).count() as u32;
        assert!(bodies > 2 && snap.units.values().any(|u| u.code == "P-HOANKIEM" && App::reports_for(&snap, u, 2026)));
        assert_eq!(o.punctuality.expected, bodies, "{engine:?}: every ward, commune and agency of the city reports");
        let school = snap.units.values().find(|u| u.kind == thidua_domain::registry::NodeKind::School).expect("a school in the demo");
        assert!(!App::reports_for(&snap, school, 2026), "{engine:?}: a school reports through its ward, not to DOET");
        assert_eq!(o.punctuality.missing, bodies - 1);
        let rate = o.punctuality.on_time_rate().expect("rate");
        assert!(overview.contains(&thidua_domain::text::percent(Some(rate))), "{engine:?}: the rate is on the page");
        let docx = doet.get("/reports/2026/city.docx").await;
        assert_eq!(docx.status, StatusCode::OK, "{engine:?}");
        let text = thidua_documents::docx_text(&docx.body).expect("the report opens");
        for must in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "BÁO CÁO",
            "Kính gửi: Ủy ban nhân dân Thành phố Hà Nội",
            "Phường Hoàn Kiếm: Một số hộ chưa cập nhật kết quả học tập của thành viên.",
            "12 hoạt động, sự kiện, trong đó 5 hoạt động hưởng ứng",
            "4500 lượt người tham gia",
        ] {
            assert!(text.contains(must), "{engine:?}: the city report should contain «{must}»:\n{text}");
        }
        let xlsx = doet.get("/reports/2026/units.xlsx").await;
        let table = thidua_documents::read_table(&xlsx.body, 5000).expect("the annex opens");
        let line = table.rows.iter().find(|r| r[0] == "P-HOANKIEM").expect("Hoàn Kiếm's line");
        let col = table.headers.iter().position(|h| h == "Gia đình học tập — được công nhận").expect("GĐHT column");
        assert_eq!(line[col], registry.recognised.to_string(), "{engine:?}: the annex has the registry's figure");
        // The ward's own annex: its titles sheet carries the same figure.
        let annex = ward.get(&format!("{path}/annex.xlsx")).await;
        assert_eq!(annex.status, StatusCode::OK, "{engine:?}");
        let table = thidua_documents::read_table(&annex.body, 100).expect("the unit's annex opens");
        let gdht = table.rows.iter().find(|r| r[0] == "Gia đình học tập").expect("GĐHT line");
        assert_eq!(gdht[3], registry.recognised.to_string(), "{engine:?}");
        assert!(app.verify_audit().await.is_ok(), "{engine:?}: every step is in the audit chain");
    }
}

#[tokio::test]
async fn in_a_locked_year_doet_reopens_one_wards_report_and_its_late_submission_counts_as_late() {
    for engine in engines() {
        // Monday 21/12/2026: past the deadline.
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-21 02:00 UTC)).await;
        let bd = unit_id(&app, "P-BADINH").await;
        let mut doet = Client::new(app.clone());
        doet.login("sogd").await;
        assert_eq!(doet.post_form("/reports/2026/lock", &[("locked", "true")]).await.status, StatusCode::SEE_OTHER);
        let mut ward = Client::new(app.clone());
        ward.login("phuongbadinh").await;
        let path = format!("/reports/2026/{bd}");
        let r = ward.post_form(&path, &[("version", "0"), ("results", "Kết quả")]).await;
        assert!(r.text().contains("đã khóa"), "{engine:?}: {}", r.text());
        let r = ward.post_form(&format!("{path}/step"), &[("version", "0"), ("step", "reopen"), ("comment", "x")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{engine:?}: only DOET reopens");
        let r = doet
            .post_form(&format!("{path}/step"), &[("version", "0"), ("step", "reopen"), ("comment", "Cho phép gửi muộn do sáp nhập")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let v = version_of(&app, bd).await;
        assert_eq!(ward.post_form(&path, &[("version", &v), ("results", "Hoàn thành kế hoạch năm.")]).await.status, StatusCode::SEE_OTHER);
        let v = version_of(&app, bd).await;
        assert_eq!(ward.post_form(&format!("{path}/step"), &[("version", &v), ("step", "submit")]).await.status, StatusCode::SEE_OTHER);
        let o = app.report_overview(&actor(&app, "sogd").await, 2026).await.expect("overview");
        let line = o.rows.iter().find(|r| r.unit.id == bd).expect("Ba Đình");
        assert_eq!(line.on_time, Some(false), "{engine:?}: submitted on 21/12, late");
        assert_eq!((o.punctuality.on_time, o.punctuality.late), (0, 1), "{engine:?}");
        // Two DOET officers acting on the same version: one wins.
        let v = version_of(&app, bd).await;
        let sogd = actor(&app, "sogd").await;
        let (a, b) = tokio::join!(
            app.report_step(&sogd, bd, 2026, v.parse().expect("n"), thidua_domain::reports::ReportStep::Approve, ""),
            app.report_step(&sogd, bd, 2026, v.parse().expect("n"), thidua_domain::reports::ReportStep::Return, "Sửa lại")
        );
        assert!(a.is_ok() != b.is_ok(), "{engine:?}: exactly one wins: {a:?} {b:?}");
    }
}

async fn version_of(app: &App, unit: i64) -> String {
    app.store().report(unit, 2026).await.expect("q").map_or(0, |r| r.version).to_string()
}

#[tokio::test]
async fn the_dashboard_shows_the_registrys_counts_with_drill_down_charts_and_an_xlsx_of_every_table() {
    for engine in engines() {
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let snap = app.snapshot().await.expect("tree");
        let city = snap.roots()[0];
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let cov = app.year_coverage(2026).await.expect("coverage");
        let (city_gdht, ward_gdht) = (cov.cell(city, "gia_dinh_hoc_tap"), cov.cell(hk, "gia_dinh_hoc_tap"));
        assert!(ward_gdht.recognised > 0 && city_gdht.recognised >= ward_gdht.recognised, "{engine:?}");
        // Counted directly, not through the tallies: the registry's recognised households of 2026.
        let filter = thidua_app::ports::AssessmentFilter {
            title: "gia_dinh_hoc_tap".into(),
            year: Some(2026),
            unit: Some(hk),
            decided: Some(true),
            ..Default::default()
        };
        let direct =
            app.assessments(&actor(&app, "sogd").await, &filter, thidua_app::ports::PageRequest::new(1, 1)).await.expect("list").total
                as u64;
        assert_eq!(direct, ward_gdht.recognised, "{engine:?}: the tallies agree with the assessments themselves");

        let mut doet = Client::new(app.clone());
        doet.login("sogd").await;
        let page = doet.get("/dashboard?year=2026").await;
        assert_eq!(page.status, StatusCode::OK, "{engine:?}");
        let text = page.text();
        let row = text.split("<th scope=\"row\">Gia đình học tập</th>").nth(1).expect("the GĐHT row");
        assert!(row.contains(&format!("<td class=\"recognised\">{}</td>", city_gdht.recognised)), "{engine:?}: the city's count");
        assert!(text.contains("role=\"img\"") && text.contains("id=\"chart-titles\"") && text.contains("id=\"chart-trend\""), "charts");
        assert!(text.contains("60% (2030)"), "{engine:?}: QĐ 677's 2030 target for «Công dân học tập» is shown");
        // Drill down to the ward.
        assert!(text.contains(&format!("/dashboard?unit={hk}&amp;year=2026")), "{engine:?}: a link to the ward");
        let city_list = format!("/titles/list?title=gia_dinh_hoc_tap&amp;year=2026&amp;unit={city}");
        assert!(text.contains(&city_list), "{engine:?}: and from each title to its list");
        let ward_page = doet.get(&format!("/dashboard?unit={hk}&year=2026")).await.text();
        let row = ward_page.split("<th scope=\"row\">Gia đình học tập</th>").nth(1).expect("the ward's GĐHT row");
        assert!(row.contains(&format!("<td class=\"recognised\">{}</td>", ward_gdht.recognised)), "{engine:?}: the ward's count");
        // Every table in one workbook, with the same numbers.
        let xlsx = doet.get(&format!("/dashboard/export.xlsx?unit={hk}&year=2026")).await;
        let table = thidua_documents::read_table(&xlsx.body, 100).expect("the workbook opens");
        let line = table.rows.iter().find(|r| r[0] == "Gia đình học tập").expect("GĐHT line");
        assert_eq!(line[3], ward_gdht.recognised.to_string(), "{engine:?}");
        // A ward sees its own dashboard, not another ward's.
        let mut ward = Client::new(app.clone());
        ward.login("phuongbadinh").await;
        assert_eq!(ward.get(&format!("/dashboard?unit={hk}&year=2026")).await.status, StatusCode::FORBIDDEN, "{engine:?}");
        assert_eq!(ward.get("/dashboard?year=2026").await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_dashboard_is_computed_once_and_again_after_any_write_or_a_minute() {
    for engine in engines() {
        let (app, _db, clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let sogd = actor(&app, "sogd").await;
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let first = app.dashboard(&sogd, None, 2026).await.expect("dashboard");
        let again = app.dashboard(&sogd, None, 2026).await.expect("dashboard");
        assert!(std::sync::Arc::ptr_eq(&first, &again), "{engine:?}: served from memory while nothing changed");
        // Access is checked on every request, cached or not.
        let other = actor(&app, "phuongbadinh").await;
        assert!(matches!(app.dashboard(&other, Some(hk), 2026).await, Err(thidua_app::AppError::Forbidden)), "{engine:?}");

        // A ward submits its report: the city's dashboard counts it at once.
        let ward = actor(&app, "phuonghoankiem").await;
        let input = thidua_app::reports::ReportInput { results: "Kết quả tốt.".into(), ..Default::default() };
        app.save_report(&ward, hk, 2026, 0, &input).await.expect("draft");
        let v = app.store().report(hk, 2026).await.expect("q").expect("the draft").version;
        app.report_step(&ward, hk, 2026, v, thidua_domain::reports::ReportStep::Submit, "").await.expect("submit");
        let after = app.dashboard(&sogd, None, 2026).await.expect("dashboard");
        assert!(!std::sync::Arc::ptr_eq(&first, &after), "{engine:?}");
        assert_eq!(after.reports.on_time, first.reports.on_time + 1, "{engine:?}: {:?} then {:?}", first.reports, after.reports);

        // Nothing written, but a minute later (days waited move with the clock): computed again.
        clock.advance(time::Duration::seconds(61));
        let later = app.dashboard(&sogd, None, 2026).await.expect("dashboard");
        assert!(!std::sync::Arc::ptr_eq(&after, &later), "{engine:?}");
    }
}

#[tokio::test]
async fn a_write_in_one_ward_keeps_the_other_wards_dashboards_and_the_earlier_years() {
    // Issue 19, target 5: what a write touched decides which kept dashboards are computed again.
    use std::sync::Arc;
    for engine in engines() {
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let sogd = actor(&app, "sogd").await;
        let (hk, bd) = (unit_id(&app, "P-HOANKIEM").await, unit_id(&app, "P-BADINH").await);
        let board = |unit: i64, year: i64| {
            let (app, sogd) = (app.clone(), sogd.clone());
            async move { app.dashboard(&sogd, Some(unit), year).await.expect("dashboard") }
        };
        let city = app.dashboard(&sogd, None, 2026).await.expect("the city's dashboard");
        let (hk26, bd26) = (board(hk, 2026).await, board(bd, 2026).await);

        // Signing in writes to the audit chain, and changes no figure.
        app.login("phuongbadinh", "Thidua@2026", "test").await.expect("signs in");
        assert!(Arc::ptr_eq(&city, &board(city.unit.id, 2026).await), "{engine:?}: a sign-in keeps every dashboard");

        // A household in one of Hoàn Kiếm's villages: Hoàn Kiếm's and the city's figures move, Ba Đình's are kept.
        let ward = actor(&app, "phuonghoankiem").await;
        let village = unit_id(&app, "HK-TDP01").await;
        let input = thidua_app::ports::HouseholdInput {
            code: "HK-GIU-0001".into(),
            unit_id: village,
            head_name: "Trần Thị Giữ".into(),
            address: None,
            member_count: None,
        };
        app.create_household(&ward, input).await.expect("creates");
        let eligible = |d: &thidua_app::dashboard::Dashboard| {
            d.titles.iter().find(|t| t.code == "gia_dinh_hoc_tap").map(|t| t.cell.eligible).expect("households' title")
        };
        let (city2, hk26b, bd26b) = (board(city.unit.id, 2026).await, board(hk, 2026).await, board(bd, 2026).await);
        assert_eq!(eligible(&hk26b), eligible(&hk26) + 1, "{engine:?}: the ward counts the new household at once");
        assert_eq!(eligible(&city2), eligible(&city) + 1, "{engine:?}: so does the city");
        assert!(Arc::ptr_eq(&bd26, &bd26b), "{engine:?}: another ward's dashboard is kept");

        // Hoàn Kiếm's report of 2026: its 2026 dashboard is computed again, its 2025 one kept.
        let hk25 = board(hk, 2025).await;
        let input = thidua_app::reports::ReportInput { results: "Kết quả tốt.".into(), ..Default::default() };
        app.save_report(&ward, hk, 2026, 0, &input).await.expect("draft");
        assert!(Arc::ptr_eq(&hk25, &board(hk, 2025).await), "{engine:?}: an earlier year's dashboard is kept");
        assert!(!Arc::ptr_eq(&hk26b, &board(hk, 2026).await), "{engine:?}");
        assert!(Arc::ptr_eq(&bd26, &board(bd, 2026).await), "{engine:?}");

        // A change to a unit's facts may change any figure: every dashboard is computed again.
        app.set_difficult_area(&sogd, hk, "2026", true, "Quyết định số 1/QĐ-UBND ngày 02/01/2026").await.expect("marks");
        assert!(!Arc::ptr_eq(&bd26, &board(bd, 2026).await), "{engine:?}: a unit's change reaches every dashboard");
    }
}

#[tokio::test]
async fn open_data_publishes_ward_counts_without_small_ones_and_the_press_feed_lists_decisions() {
    for engine in engines() {
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let cell = app.year_coverage(2026).await.expect("coverage").cell(hk, "gia_dinh_hoc_tap");
        let mut public = Client::new(app.clone());
        let csv = public.get("/du-lieu-mo/danh-hieu.csv?nam=2026").await;
        assert_eq!(csv.status, StatusCode::OK, "{engine:?}: no login");
        let text = csv.text();
        assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
        let line = text.lines().find(|l| l.contains("P-HOANKIEM") && l.contains(",gia_dinh_hoc_tap,")).expect("Hoàn Kiếm's GĐHT line");
        assert!(line.contains(&format!(",{},{},", cell.eligible, cell.recognised)), "{engine:?}: the registry's counts: {line}");
        let small = text.lines().find(|l| l.contains("P-HOANKIEM") && l.contains(",cong_dong_hoc_tap_xa,")).expect("the ward's own title");
        assert!(small.contains(",x,"), "{engine:?}: one ward eligible is a count under five: {small}");
        // Never one suppressed count alone in a title's column: the city's total minus the
        // published ones would give it back.
        let stats = app.open_statistics(2026).await.expect("statistics");
        for t in thidua_domain::titles::TITLES {
            let wards: Vec<_> = stats.iter().filter(|s| s.title == t.code && s.unit_code != "HN").collect();
            let city = stats.iter().find(|s| s.title == t.code && s.unit_code == "HN");
            for (what, total, hidden) in [
                ("eligible", city.and_then(|c| c.eligible), wards.iter().filter(|s| s.eligible.is_none()).count()),
                ("recognised", city.and_then(|c| c.recognised), wards.iter().filter(|s| s.recognised.is_none()).count()),
            ] {
                assert!(total.is_none() || hidden != 1, "{engine:?}: {} {what}: one suppressed count alone", t.code);
            }
        }
        let json: serde_json::Value = serde_json::from_str(&public.get("/du-lieu-mo/danh-hieu.json?nam=2026").await.text()).expect("JSON");
        let rows = json["rows"].as_array().expect("rows");
        let hk_small = rows.iter().find(|r| r["unit_code"] == "P-HOANKIEM" && r["title"] == "cong_dong_hoc_tap_xa").expect("row");
        assert!(hk_small["eligible"].is_null() && hk_small["coverage"].is_null(), "{engine:?}: suppressed as null");
        // No person's or household's name anywhere in the data.
        let consenting = app.honour_titles(2026, thidua_app::ports::PageRequest::new(1, 5)).await.expect("roll").items.clone();
        assert!(!consenting.is_empty());
        for r in consenting {
            assert!(!text.contains(&r.name), "{engine:?}: {} must not be in open data", r.name);
        }
        // Ranked wards in place of a map: Hoàn Kiếm first; equal coverage, equal rank.
        let ranking = app.ranking("gia_dinh_hoc_tap", 2026).await.expect("ranking");
        assert_eq!((ranking[0].rank, ranking[0].unit_code.as_str()), (1, "P-HOANKIEM"), "{engine:?}");
        let zero: Vec<usize> = ranking.iter().filter(|r| r.coverage == Some(0.0)).map(|r| r.rank).collect();
        assert!(zero.windows(2).all(|w| w[0] == w[1]) && zero.first().is_none_or(|r| *r == 2), "{engine:?}: ties share a rank: {zero:?}");
        let page = public.get("/xep-hang?chi-so=gia_dinh_hoc_tap&nam=2026").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("<tr><td>1</td><th scope=\"row\">Phường Hoàn Kiếm</th>"), "{engine:?}");
        assert_eq!(public.get("/xep-hang?chi-so=khong-co").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let feed = public.get("/tin-tuc.atom").await;
        assert_eq!(feed.status, StatusCode::OK);
        let xml = feed.text();
        assert!(xml.starts_with("<?xml") && xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""), "{engine:?}");
        assert!(
            xml.contains("<entry>") && xml.contains("18/QĐ-UBND") && xml.contains("công nhận «Gia đình học tập» năm 2026"),
            "{engine:?}: {xml}"
        );
    }
}

#[tokio::test]
async fn the_mid_term_and_final_reviews_set_each_phase_against_the_national_targets() {
    for engine in engines() {
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let snap = app.snapshot().await.expect("tree");
        let city = snap.roots()[0];
        let cov = app.year_coverage(2026).await.expect("coverage");
        let gdht_2026 = cov.cell(city, "gia_dinh_hoc_tap");
        let sogd = actor(&app, "sogd").await;
        let review = app.phase_review(&sogd, None, 2030).await.expect("review");
        let gdht = review.titles.iter().find(|t| t.code == "gia_dinh_hoc_tap").expect("GĐHT");
        let phase2 = gdht.phases.iter().find(|p| p.from == 2026).expect("phase 2 has begun");
        assert_eq!((phase2.end_year, phase2.end), (2026, gdht_2026), "{engine:?}: phase 2 counted up to this year only");
        let cdht = review.titles.iter().find(|t| t.code == "cong_dan_hoc_tap").expect("CDHT");
        let p2 = cdht.phases.iter().find(|p| p.from == 2026).expect("phase 2");
        assert_eq!(p2.target.as_ref().map(|t| t.share), Some(60.0), "{engine:?}: QĐ 677's 2030 target");
        assert_eq!(p2.met(), Some(false), "{engine:?}: 0% is below 60%");
        let p1 = cdht.phases.iter().find(|p| p.from == 2023).expect("phase 1");
        assert_eq!(p1.target.as_ref().map(|t| t.share), Some(40.0), "{engine:?}: and its 2025 target");
        let mut doet = Client::new(app.clone());
        doet.login("sogd").await;
        let page = doet.get("/reports/review/2030").await.text();
        assert!(page.contains("Tổng kết giai đoạn 2023 – 2030") && page.contains("2026 – 2030 (đến 2026)"), "{engine:?}");
        assert!(page.contains("Chưa đạt"), "{engine:?}");
        assert_eq!(doet.get("/reports/review/2027").await.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}: only 2025 and 2030");
        let docx = doet.get("/reports/review/2025/report.docx").await;
        let text = thidua_documents::docx_text(&docx.body).expect("the review opens");
        assert!(text.contains("Sơ kết giai đoạn 1 (2023 – 2025)") && text.contains("Quyết định số 387/QĐ-TTg"), "{engine:?}: {text}");
    }
}

#[tokio::test]
async fn a_wards_unsent_yearly_report_is_on_its_home_page_until_doet_has_it_waiting() {
    for engine in engines() {
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let mut ward = Client::new(app.clone());
        ward.login("phuonghoankiem").await;
        let home = ward.get("/").await.text().replace("&#38;", "&");
        assert!(home.contains("Gửi báo cáo năm 2026 về Sở GD&ĐT"), "{engine:?}: the ward's draft is due 15/12: {home}");
        assert!(home.contains(&format!("href=\"/reports/2026/{hk}\"")), "{engine:?}: one click to the report");
        let due = home.split("id=\"due\"").nth(1).unwrap_or("");
        assert!(due.contains("15/12/2026") && due.contains("còn 9 ngày làm việc"), "{engine:?}: the date and the working days left: {due}");

        // Sent: off the ward's list, and on DOET's with how many wait.
        let ward_actor = actor(&app, "phuonghoankiem").await;
        let input = thidua_app::reports::ReportInput { results: "Kết quả tốt.".into(), ..Default::default() };
        app.save_report(&ward_actor, hk, 2026, 0, &input).await.expect("draft");
        let v = app.store().report(hk, 2026).await.expect("q").expect("the draft").version;
        app.report_step(&ward_actor, hk, 2026, v, thidua_domain::reports::ReportStep::Submit, "").await.expect("submit");
        assert!(!ward.get("/").await.text().contains("Gửi báo cáo năm 2026"), "{engine:?}: sent, no longer due");
        let mut doet = Client::new(app.clone());
        doet.login("sogd").await;
        let home = doet.get("/").await.text();
        let waiting = home.split("id=\"waiting\"").nth(1).expect("DOET's waiting list");
        assert!(
            waiting.contains("Báo cáo năm 2026 chờ Sở GD&amp;ĐT xem xét") || waiting.contains("Báo cáo năm 2026 chờ Sở GD&#38;ĐT xem xét"),
            "{engine:?}: {waiting}"
        );
        assert!(home.contains("href=\"/awards/queue\""), "{engine:?}: the dossier queue is in DOET's menu");
    }
}

#[tokio::test]
async fn doha_reads_a_sent_report_and_comments_on_it_without_changing_its_state() {
    // Seed VII: the yearly report goes «về Sở Giáo dục và Đào tạo, Sở Nội vụ».
    for engine in engines() {
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let path = format!("/reports/2026/{hk}");
        let mut doha = Client::new(app.clone());
        doha.login("btdkt").await;
        let why = "Đề nghị bổ sung số liệu khen thưởng của phường.";

        // A draft is the ward's own: no comment yet.
        let ward_actor = actor(&app, "phuonghoankiem").await;
        let input = thidua_app::reports::ReportInput { results: "Kết quả tốt.".into(), ..Default::default() };
        app.save_report(&ward_actor, hk, 2026, 0, &input).await.expect("draft");
        assert!(!doha.get(&path).await.text().contains("id=\"report-comment\""), "{engine:?}: no comment box on a draft");
        let r = doha.post_form(&format!("{path}/comment"), &[("comment", why)]).await;
        assert!(r.text().contains("chưa góp ý được"), "{engine:?}: {}", r.text());

        let v = app.store().report(hk, 2026).await.expect("q").expect("draft").version;
        app.report_step(&ward_actor, hk, 2026, v, thidua_domain::reports::ReportStep::Submit, "").await.expect("submit");
        let page = doha.get(&path).await.text();
        assert!(page.contains("id=\"report-comment\"") && page.contains("Kết quả tốt."), "{engine:?}: DOHA reads it and may comment");
        assert!(!page.contains("report-step-approve"), "{engine:?}: approving stays DOET's");
        let before = app.store().report(hk, 2026).await.expect("q").expect("report");
        let r = doha.post_form(&format!("{path}/comment"), &[("comment", "   ")]).await;
        assert!(r.text().contains("Chưa viết nội dung góp ý"), "{engine:?}");
        let r = doha.post_form(&format!("{path}/comment"), &[("comment", why)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let after = app.store().report(hk, 2026).await.expect("q").expect("report");
        assert_eq!((after.state, after.version), (before.state, before.version), "{engine:?}: state and version unchanged");

        // The ward sees who said what, and DOET can still approve the version it read.
        let mut ward = Client::new(app.clone());
        ward.login("phuonghoankiem").await;
        let events = ward.get(&path).await.text();
        let events = events.split("id=\"report-events\"").nth(1).expect("the history");
        assert!(events.contains("Góp ý") && events.contains(why), "{engine:?}: {events}");
        assert_eq!(ward.post_form(&format!("{path}/comment"), &[("comment", why)]).await.status, StatusCode::FORBIDDEN);
        let sogd = actor(&app, "sogd").await;
        app.report_step(&sogd, hk, 2026, after.version, thidua_domain::reports::ReportStep::Approve, "").await.expect("approve");
        let audited = app.store().audit_after(0, 100_000).await.expect("audit");
        assert!(audited.iter().any(|a| a.action == "report.comment" && a.actor == "btdkt"), "{engine:?}: the comment is audited");
    }
}

/// The number inside `<strong>` (or a cell) right after `marker`, dots between thousands allowed.
fn number_after(page: &str, marker: &str) -> u64 {
    let rest = page.split(marker).nth(1).unwrap_or_else(|| panic!("«{marker}» not on the page"));
    let digits: String = rest
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or_else(|_| panic!("no number after «{marker}»"))
}

#[tokio::test]
async fn the_same_figure_agrees_on_the_home_card_the_list_the_coverage_the_dashboard_open_data_and_the_honour_roll() {
    for engine in engines() {
        let (app, _db, _clock) = demo_app_at(engine, datetime!(2026-12-01 02:00 UTC)).await;
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let mut ward = Client::new(app.clone());
        ward.login("phuonghoankiem").await;
        // Households of the ward: the home card and the list.
        let home = ward.get("/").await.text();
        let card = number_after(&home, &format!("href=\"/households?unit={hk}\">"));
        let list = number_after(&ward.get(&format!("/households?unit={hk}")).await.text(), "id=\"count\"");
        assert_eq!(card, list, "{engine:?}: the home card and the list count the same households");
        // Recognised learning families of 2026: the coverage table, the dashboard, open data.
        let coverage = ward.get(&format!("/titles?year=2026&unit={hk}")).await.text();
        let total_row = coverage.split("<tr class=\"total\">").nth(1).expect("the ward's total row");
        let recognised_coverage = number_after(total_row, "<td data-title=\"gia_dinh_hoc_tap\">");
        let dashboard = ward.get(&format!("/dashboard?year=2026&unit={hk}")).await.text();
        let row = dashboard.split("<th scope=\"row\">Gia đình học tập</th>").nth(1).expect("the dashboard's row");
        let recognised_dashboard = number_after(row, "class=\"recognised\"");
        let open: serde_json::Value =
            serde_json::from_str(&Client::new(app.clone()).get("/du-lieu-mo/danh-hieu.json?nam=2026").await.text()).expect("JSON");
        let published = open["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["unit_code"] == "P-HOANKIEM" && r["title"] == "gia_dinh_hoc_tap")
            .and_then(|r| r["recognised"].as_u64())
            .expect("Hoàn Kiếm's families are many enough to publish");
        assert_eq!(recognised_dashboard, published, "{engine:?}: the dashboard and open data");
        assert_eq!(recognised_coverage, published, "{engine:?}: the coverage table and open data");
        // The public honour roll counts every recognised family where it lives, named or not.
        let roll = Client::new(app.clone()).get("/vinh-danh?loai=danh-hieu&nam=2026").await.text();
        let by_place = roll.split("id=\"honour-by-place\"").nth(1).expect("the roll's counts by place");
        assert_eq!(number_after(by_place, "<th scope=\"row\">Phường Hoàn Kiếm</th>"), published, "{engine:?}: the honour roll");
    }
}

#[tokio::test]
async fn a_report_figure_that_is_not_a_number_is_marked_beside_its_box_and_the_rest_is_kept() {
    let (app, _db, _clock) = demo_app_at(crate::support::Engine::Sqlite, datetime!(2026-12-01 02:00 UTC)).await;
    let hk = unit_id(&app, "P-HOANKIEM").await;
    let mut ward = Client::new(app.clone());
    ward.login("phuonghoankiem").await;
    let r = ward
        .post_form(
            &format!("/reports/2026/{hk}"),
            &[("version", "0"), ("events", "mười hai"), ("participants", "350"), ("results", "Kết quả tốt.")],
        )
        .await;
    let page = r.text();
    assert!(page.contains("href=\"#events\""), "the summary leads to the box: {page}");
    assert!(page.contains("id=\"events\" aria-invalid=\"true\" aria-describedby=\"events-error\""), "the box is marked");
    assert!(page.contains("value=\"350\"") && page.contains(">Kết quả tốt.</textarea>"), "what was typed is kept");
}
