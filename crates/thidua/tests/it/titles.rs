//! Learning titles end to end through the use cases, on SQLite and PostgreSQL: a ward assesses a
//! residential group's households in bulk, issues a decision, and the registry counts it.

use crate::support::{actor, demo_app, engines, unit_id};
use thidua_app::AppError;
use thidua_app::import::FileInfo;
use thidua_app::ports::{AssessmentFilter, PageRequest};
use thidua_app::titles::{AssessmentForm, DecisionForm, SheetTarget};
use thidua_domain::assessment::sheet_headers;
use thidua_domain::criteria::IndicatorKind;
use thidua_domain::import::Table;
use thidua_domain::titles::{Stage, Subject};

pub(crate) fn file() -> FileInfo {
    FileInfo { name: "danh-gia.xlsx".into(), sha256: "1".into() }
}

pub(crate) async fn household_set(app: &thidua_app::App) -> i64 {
    app.sets_for_year(2025).await.expect("sets").into_iter().find(|s| s.title == "gia_dinh_hoc_tap").map(|s| s.id).expect("household set")
}

/// A filled sheet for the households of a group: full marks, except `weak` rows that score 5
/// on every indicator (below the pass mark).
pub(crate) async fn sheet(app: &thidua_app::App, set: i64, group: i64, weak: usize) -> Table {
    sheet_of(app, set, group, weak, Subject::Household).await
}

/// A filled sheet for the `subject`s of a group (see [`sheet`]); shares at 100 %.
pub(crate) async fn sheet_of(app: &thidua_app::App, set: i64, group: i64, weak: usize, subject: Subject) -> Table {
    let admin = actor(app, "admin").await;
    // Households and citizens: the year does not narrow them (only units that ended or began).
    let (loaded, _, subjects) = app.template_subjects(&admin, set, group, 2025).await.expect("template");
    let headers = sheet_headers(&loaded.set, subject);
    let rows = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut r = vec![(i + 1).to_string(), s.code.clone(), s.name.clone(), String::new()];
            r.extend(loaded.set.indicators().map(|ind| match ind.kind {
                IndicatorKind::Points { max_points } if i < weak => max_points.min(5).to_string(),
                IndicatorKind::Points { max_points } => max_points.to_string(),
                IndicatorKind::Share { .. } => "100%".into(),
                IndicatorKind::PassFail => "Đ".into(),
            }));
            r.push(String::new());
            r
        })
        .collect();
    Table { headers, rows }
}

#[tokio::test]
async fn a_ward_assesses_in_bulk_recognises_and_the_registry_counts_it() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let set = household_set(&app).await;
        let group = unit_id(&app, "BD-TDP01").await;
        let ward_id = unit_id(&app, "P-BADINH").await;
        let table = sheet(&app, set, group, 3).await;
        let n = table.rows.len();
        let report = app
            .import_assessments(&ward, SheetTarget { criteria_set: set, year: 2025, stage: Stage::Verified }, &table, &file(), false)
            .await
            .expect("import");
        assert_eq!((report.rows, report.written, report.passed), (n, n, n - 3), "{engine:?}");

        let cov = app.coverage(&ward, 2025, Some(ward_id)).await.expect("coverage");
        let col = cov.titles.iter().position(|t| t.code == "gia_dinh_hoc_tap").expect("column");
        assert_eq!(
            (cov.total.cells[col].assessed, cov.total.cells[col].passed, cov.total.cells[col].recognised),
            (n as u64, (n - 3) as u64, 0)
        );
        assert!(cov.total.cells[col].eligible >= n as u64);

        let form = DecisionForm {
            criteria_set: set,
            year: 2025,
            issuing_unit: ward_id,
            number: "15/QĐ-UBND".into(),
            signed_on: time::macros::date!(2026 - 01 - 20),
            signer: "Vũ Văn Hùng".into(),
            signer_title: "Chủ tịch".into(),
            only: None,
        };
        let id = app.issue_decision(&ward, form.clone()).await.expect("decision");
        let view = app.decision(&ward, id).await.expect("view");
        assert_eq!(view.items.len(), n - 3, "{engine:?}");
        assert_eq!(view.decision.issuing_body, "Ủy ban nhân dân Phường Ba Đình");

        // Nothing is left to recognise, and the same number cannot be used twice.
        assert!(matches!(app.issue_decision(&ward, form).await, Err(AppError::Invalid(_))), "{engine:?}");
        let cov = app.coverage(&ward, 2025, Some(ward_id)).await.expect("coverage");
        assert_eq!(cov.total.cells[col].recognised, (n - 3) as u64, "{engine:?}");
        let city = app.coverage(&actor(&app, "admin").await, 2025, None).await.expect("city");
        let col = city.titles.iter().position(|t| t.code == "gia_dinh_hoc_tap").expect("column");
        assert_eq!(city.total.cells[col].recognised, (n - 3) as u64, "{engine:?}: rolled up to the city");

        // A certificate verifies publicly; the recognised assessment is frozen.
        let code = view.items[0].record.certificate.clone().expect("certificate code");
        let public = app.verify_certificate(&code).await.expect("verify");
        assert_eq!((public.year, public.decision_number.as_str()), (2025, "15/QĐ-UBND"));
        assert!(matches!(app.verify_certificate("0000000000000000").await, Err(AppError::NotFound)));
        let again = app
            .import_assessments(&ward, SheetTarget { criteria_set: set, year: 2025, stage: Stage::Verified }, &table, &file(), false)
            .await;
        let Err(AppError::Rows(rows)) = again else { panic!("{engine:?}: re-import of recognised households must fail") };
        assert_eq!(rows.len(), n - 3, "{engine:?}");
        assert!(rows[0].reason.contains("đã được công nhận"));

        // The history shows the year.
        let h = view.items[0].record.input.subject_id;
        let history = app.title_history(&ward, Subject::Household, h, 2025).await.expect("history");
        assert_eq!(history[0].recognised_years, vec![2025]);
        assert_eq!(history[0].streak, 1);
    }
}

#[tokio::test]
async fn a_sheet_with_a_bad_row_writes_nothing_and_reports_every_error() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let set = household_set(&app).await;
        let group = unit_id(&app, "BD-TDP01").await;
        let mut table = sheet(&app, set, group, 0).await;
        table.rows[1][4] = "99".into();
        table.rows[2][1] = "HGD-KHONG-CO".into();
        let Err(AppError::Rows(errors)) = app
            .import_assessments(&ward, SheetTarget { criteria_set: set, year: 2025, stage: Stage::Verified }, &table, &file(), false)
            .await
        else {
            panic!("{engine:?}: must fail");
        };
        let at: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(at, vec![(3, "TC1.CT1"), (4, "Mã hộ")], "{engine:?}");
        let page = app
            .assessments(
                &ward,
                &AssessmentFilter { title: "gia_dinh_hoc_tap".into(), year: Some(2025), ..Default::default() },
                PageRequest::new(1, 10),
            )
            .await
            .expect("list");
        assert_eq!(page.total, 0, "{engine:?}: nothing written");
    }
}

#[tokio::test]
async fn a_ward_cannot_assess_households_of_another_ward() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ba_dinh = actor(&app, "phuongbadinh").await;
        let set = household_set(&app).await;
        let other = unit_id(&app, "CG-TDP01").await;
        let table = sheet(&app, set, other, 0).await;
        let Err(AppError::Rows(errors)) = app
            .import_assessments(&ba_dinh, SheetTarget { criteria_set: set, year: 2025, stage: Stage::Verified }, &table, &file(), false)
            .await
        else {
            panic!("{engine:?}: must fail");
        };
        assert_eq!(errors.len(), table.rows.len());
        assert!(errors[0].reason.contains("ngoài phạm vi"));
        let h = app.template_subjects(&actor(&app, "admin").await, set, other, 2025).await.expect("t").2[0].id;
        let form = AssessmentForm { criteria_set: set, subject_id: h, year: 2025, ..Default::default() };
        assert!(matches!(app.save_assessment(&ba_dinh, form).await, Err(AppError::Forbidden)), "{engine:?}");
    }
}

#[tokio::test]
async fn a_commune_title_after_july_2025_needs_the_city_level_body() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let admin = actor(&app, "admin").await;
        let set = app.sets_for_year(2025).await.expect("sets").into_iter().find(|s| s.set_id == "tt25-2023-cdht-xa-md1").expect("set").id;
        let ward_id = unit_id(&app, "P-BADINH").await;
        let form = DecisionForm {
            criteria_set: set,
            year: 2025,
            issuing_unit: ward_id,
            number: "1/QĐ".into(),
            signed_on: time::macros::date!(2026 - 03 - 01),
            signer: "A".into(),
            signer_title: "Chủ tịch".into(),
            only: None,
        };
        let Err(AppError::Invalid(reason)) = app.issue_decision(&admin, form).await else { panic!("{engine:?}: wrong level must fail") };
        assert!(reason.contains("Giám đốc Sở Giáo dục và Đào tạo"), "{reason}");
    }
}

#[tokio::test]
async fn a_form_assessment_computes_its_outcome_and_a_second_one_conflicts() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let set = household_set(&app).await;
        let group = unit_id(&app, "BD-TDP01").await;
        let (loaded, _, subjects) = app.template_subjects(&ward, set, group, 2025).await.expect("template");
        let cells = loaded
            .set
            .indicators()
            .map(|i| (i.code.clone(), if let IndicatorKind::Points { max_points } = i.kind { max_points.to_string() } else { "Đ".into() }))
            .collect();
        let form = AssessmentForm { criteria_set: set, subject_id: subjects[0].id, year: 2025, cells, ..Default::default() };
        let id = app.save_assessment(&ward, form.clone()).await.expect("save");
        let (view, _) = app.assessment(&ward, id).await.expect("view");
        assert!(view.record.input.passed && view.evaluation.recognised, "{engine:?}");
        assert_eq!(view.record.input.points, i64::from(loaded.set.max_points()));
        assert!(matches!(app.save_assessment(&ward, form).await, Err(AppError::Conflict(_))), "{engine:?}");
    }
}

/// Fills every indicator cell of a downloaded template with full marks (row `bad`: an
/// impossible score), keeping its information sheet.
pub(crate) fn fill_template(bytes: &[u8], bad: Option<usize>) -> Vec<u8> {
    let table = thidua_documents::read_table(bytes, 10_000).expect("template reads");
    let info = thidua_documents::read_pairs(bytes, thidua_documents::INFO_SHEET);
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut r = r.clone();
            for (c, h) in table.headers.iter().enumerate().skip(4) {
                // «TC1.CT1 (điểm 0–10)»: the maximum is the number before the closing parenthesis.
                if let Some(max) = h.rsplit('–').next().and_then(|t| t.trim_end_matches(')').parse::<u32>().ok()) {
                    r[c] = if Some(i) == bad { (max + 50).to_string() } else { max.to_string() };
                }
            }
            r
        })
        .collect();
    thidua_documents::assessment_template("Đánh giá", &table.headers, &[], &rows, &info, &[]).expect("xlsx")
}

#[tokio::test]
async fn through_the_pages_a_ward_fills_a_template_recognises_and_a_certificate_verifies() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let mut c = crate::support::Client::new(app.clone());
    c.login("phuongbadinh").await;
    let set = household_set(&app).await;
    let group = unit_id(&app, "BD-TDP01").await;
    let ward = unit_id(&app, "P-BADINH").await;
    let template = c.get(&format!("/titles/template?set={set}&unit={group}&year=2025")).await;
    assert_eq!(template.status, axum::http::StatusCode::OK);
    let bytes = template.body.clone();

    let bad = fill_template(&bytes, Some(1));
    let fields = [("title", "gia_dinh_hoc_tap"), ("unit", &*group.to_string()), ("year", "2025")];
    let csrf = c.csrf.clone();
    let mut with_csrf = vec![("_csrf", csrf.as_str())];
    with_csrf.extend(fields.iter().map(|(k, v)| (*k, *v)));
    let r = c.post_multipart("/titles/upload", &with_csrf, "danh-gia.xlsx", &bad).await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("vượt mức tối đa"), "{}", r.text());

    let good = fill_template(&bytes, None);
    let r = c.post_multipart("/titles/upload", &with_csrf, "danh-gia.xlsx", &good).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("Đã ghi"));

    let r = c
        .post_form(
            "/titles/decisions",
            &[
                ("set", &set.to_string()),
                ("year", "2025"),
                ("unit", &ward.to_string()),
                ("title", "gia_dinh_hoc_tap"),
                ("number", "21/QĐ-UBND"),
                ("signed_on", "20/01/2026"),
                ("signer", "Vũ Văn Hùng"),
                ("signer_title", "Chủ tịch"),
            ],
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.text());
    let at = r.location();
    let docx = c.get(&format!("{at}/decision.docx")).await;
    let text = thidua_documents::docx_text(&docx.body).expect("docx reads");
    assert!(text.contains("Số: 21/QĐ-UBND") && text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "{text}");
    let (_, _, subjects) = app.template_subjects(&actor(&app, "admin").await, set, group, 2025).await.expect("t");
    for s in &subjects {
        assert!(text.contains(&s.name), "the decision lists {}", s.name);
    }
    let page = c.get(&at).await.text();
    let cert_path = page.split("href=\"/titles/certificates/").nth(1).and_then(|s| s.split('"').next()).expect("certificate link");
    let cert = c.get(&format!("/titles/certificates/{cert_path}")).await.text();
    assert!(cert.contains("<svg"), "the certificate carries a QR code");
    let verify = cert.split("id=\"verify-link\" href=\"").nth(1).and_then(|s| s.split('"').next()).expect("verify link");
    let path = &verify[verify.find("/xac-minh/").expect("path")..];
    let mut public = crate::support::Client::new(app.clone());
    let v = public.get(path).await;
    assert_eq!(v.status, axum::http::StatusCode::OK);
    let html = v.text();
    assert!(html.contains("Gia đình học tập") && html.contains("21/QĐ-UBND"));
    assert!(!subjects.iter().any(|s| html.contains(&s.name)), "the public page names nobody");
}

#[tokio::test]
async fn through_the_form_an_assessor_enters_one_household_and_sees_each_verdict() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let mut c = crate::support::Client::new(app.clone());
    c.login("phuongbadinh").await;
    let group = unit_id(&app, "BD-TDP02").await;
    let admin = actor(&app, "admin").await;
    let household = app.households(&admin, Some(group), None, PageRequest::new(1, 1)).await.expect("list").items[0].clone();
    let form = c.get(&format!("/titles/assess?title=gia_dinh_hoc_tap&subject={}&year=2025", household.id)).await;
    assert_eq!(form.status, axum::http::StatusCode::OK);
    let html = form.text();
    assert!(html.contains(&household.head_name) && html.contains("c_TC1.CT1"), "the form is built from the set");

    let set = household_set(&app).await;
    let loaded = app.load_set(set).await.expect("set");
    let (set_s, subject_s) = (set.to_string(), household.id.to_string());
    let mut fields: Vec<(String, String)> = vec![
        ("set".into(), set_s.clone()),
        ("subject".into(), subject_s.clone()),
        ("year".into(), "2025".into()),
        ("stage".into(), "verified".into()),
    ];
    for ind in loaded.set.indicators() {
        let v = match ind.kind {
            IndicatorKind::Points { max_points } => max_points.to_string(),
            _ => "Đ".into(),
        };
        fields.push((format!("c_{}", ind.code), v));
    }
    let as_refs = |f: &[(String, String)]| f.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();

    // A mark above the maximum is refused with the indicator named, and nothing is stored.
    let mut bad = as_refs(&fields);
    bad[4].1 = "999".into();
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.post_form("/titles/assess", &pairs).await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("TC1.CT1") && r.text().contains("999"), "{}", r.text());

    // Full marks: stored, and its page shows the outcome the rule computed and each verdict.
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.post_form("/titles/assess", &pairs).await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&r.location()).await.text();
    assert!(page.contains("<strong>Đạt</strong>") && page.contains("id=\"verdicts\""), "{page}");

    // The household's page now lists the title once it is recognised; before that, none.
    let hh = c.get(&format!("/households/{}", household.id)).await.text();
    assert!(hh.contains("Chưa được công nhận danh hiệu nào"));
}

#[tokio::test]
async fn a_households_page_offers_its_assessment_to_whoever_may_assess_it() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let village = unit_id(&app, "BD-TDP01").await;
    let household = app.households(&ward, Some(village), None, PageRequest::new(1, 1)).await.expect("list").items.remove(0);
    let year = app.working_year();
    let mut c = crate::support::Client::new(app.clone());
    c.login("phuongbadinh").await;
    let page = c.get(&format!("/households/{}", household.id)).await.text().replace("&#38;", "&");
    let href = format!("/titles/assess?title=gia_dinh_hoc_tap&subject={}&year={year}", household.id);
    assert!(page.contains(&href) && page.contains(&format!("Đánh giá «Gia đình học tập» năm {year}")), "{page}");
    let form = c.get(&href).await;
    assert_eq!(form.status, axum::http::StatusCode::OK);
    assert!(form.text().contains("id=\"assess-form\""));
    // The set is named as an officer knows it, not by its file code.
    assert!(form.text().contains("«Gia đình học tập» theo Quyết định 242/QĐ-KHVN"), "{}", form.text());
    assert!(!form.text().contains("qd242-gdht-tam-thoi"));
    // The city's inspector reads the household but is not offered its assessment.
    let mut inspector = crate::support::Client::new(app.clone());
    inspector.login("kiemtra").await;
    let page = inspector.get(&format!("/households/{}", household.id)).await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(!page.text().contains("id=\"assess-link\""));
}

#[tokio::test]
async fn a_village_page_offers_the_village_community_assessment() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let mut c = crate::support::Client::new(app.clone());
    c.login("phuongbadinh").await;
    let village = unit_id(&app, "BD-TDP01").await;
    let page = c.get(&format!("/units/{village}")).await.text().replace("&#38;", "&");
    assert!(page.contains(&format!("title=cong_dong_hoc_tap_thon&subject={village}&")), "{page}");
}

#[tokio::test]
async fn the_assessment_template_offers_each_indicators_values_and_explains_them_with_an_example() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let set = household_set(&app).await;
    let group = unit_id(&app, "BD-TDP01").await;
    let mut c = crate::support::Client::new(app.clone());
    c.login("phuongbadinh").await;
    let r = c.get(&format!("/titles/template?set={set}&unit={group}&year=2026")).await;
    assert_eq!(r.status, axum::http::StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.body.clone())).expect("an xlsx");
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").expect("the sheet"), &mut sheet).expect("read");
    assert!(sheet.contains("<dataValidation"), "each indicator's column checks what is typed");
    assert!(sheet.contains("showInputMessage=\"1\""), "and says what to type when the cell is selected");
    let info = thidua_documents::read_pairs(&r.body, thidua_documents::INFO_SHEET);
    assert!(
        info.iter().any(|(k, v)| k.starts_with("Cột ") && v.contains("ví dụ:")),
        "the instructions give an example per column: {info:?}"
    );
}

#[tokio::test]
async fn the_households_own_assessments_wait_on_the_wards_home_page_until_verified() {
    for engine in engines() {
        let (app, _db, _clock) = crate::support::demo_app_at(engine, time::macros::datetime!(2026-12-01 02:00 UTC)).await;
        let ward = actor(&app, "phuongbadinh").await;
        let set = household_set(&app).await;
        let group = unit_id(&app, "BD-TDP03").await;
        let table = sheet(&app, set, group, 0).await;
        let own = SheetTarget { criteria_set: set, year: 2026, stage: Stage::SelfAssessed };
        app.import_assessments(&ward, own, &table, &file(), false).await.expect("the households' own assessments");
        let mut c = crate::support::Client::new(app.clone());
        c.login("phuongbadinh").await;
        let home = c.get("/").await.text();
        let waiting = home.split("id=\"waiting\"").nth(1).expect("the waiting list");
        assert!(waiting.contains("Phiếu tự đánh giá «Gia đình học tập» năm 2026 chờ thẩm định"), "{engine:?}: {waiting}");
        assert!(waiting.contains(&format!(">{}<", table.rows.len())), "{engine:?}: counted: {waiting}");
        let verified = SheetTarget { criteria_set: set, year: 2026, stage: Stage::Verified };
        app.import_assessments(&ward, verified, &table, &file(), false).await.expect("verified");
        assert!(!c.get("/").await.text().contains("Phiếu tự đánh giá"), "{engine:?}: verified, nothing waits");
    }
}

#[tokio::test]
async fn two_citizens_of_one_ward_with_the_same_name_and_birth_year_are_listed_until_one_is_removed() {
    // Issue 19: possible duplicates are kept as records are written (by ward, folded name and
    // birth year), not searched at request time; each page counts them all.
    use thidua_app::ports::PersonInput;
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let person = |code: &str, name: &str, group: i64| PersonInput {
            code: code.into(),
            full_name: name.into(),
            birth_year: Some(1931),
            gender: None,
            unit_id: group,
            household_id: None,
            position: None,
        };
        let (one, two) = (unit_id(&app, "BD-TDP01").await, unit_id(&app, "BD-TDP02").await);
        let first = app.create_person(&ward, person("CD-TWIN-1", "Trần Thị Duyên Hải", one)).await.expect("first");
        // Typed differently: the same once folded.
        let second = app.create_person(&ward, person("CD-TWIN-2", "TRẦN THỊ DUYÊN HẢI ", two)).await.expect("second");
        let find = |app: thidua_app::App, who: thidua_app::Actor| async move {
            let page = app.duplicate_subjects(&who, "cong_dan_hoc_tap", 2025, PageRequest::new(1, 500)).await.expect("page");
            let group = page.items.into_iter().find(|g| g.subjects.iter().any(|s| s.code == "CD-TWIN-1"));
            (group, page.total)
        };
        let (group, total) = find(app.clone(), ward.clone()).await;
        let group = group.unwrap_or_else(|| panic!("{engine:?}: the two are listed"));
        let mut codes: Vec<&str> = group.subjects.iter().map(|s| s.code.as_str()).collect();
        codes.sort_unstable();
        assert_eq!((codes, group.birth_year, group.ward_id), (vec!["CD-TWIN-1", "CD-TWIN-2"], Some(1931), unit_id(&app, "P-BADINH").await));
        assert!(total >= 1, "{engine:?}");
        let other = actor(&app, "phuonghoankiem").await;
        assert!(find(app.clone(), other).await.0.is_none(), "{engine:?}: another ward does not see them");
        // A correction of one name parts them; correcting it back pairs them again.
        let version = app.person(&ward, second).await.expect("person").version;
        app.update_person(&ward, second, version, person("CD-TWIN-2", "Trần Thị Duyên", two)).await.expect("renamed");
        assert!(find(app.clone(), ward.clone()).await.0.is_none(), "{engine:?}: no longer the same name");
        let version = app.person(&ward, second).await.expect("person").version;
        app.update_person(&ward, second, version, person("CD-TWIN-2", "Trần Thị Duyên Hải", two)).await.expect("back");
        assert!(find(app.clone(), ward.clone()).await.0.is_some(), "{engine:?}: the same name again");
        let version = app.person(&ward, first).await.expect("person").version;
        app.set_person_active(&ward, first, version, false).await.expect("removed");
        let (group, after) = find(app.clone(), ward.clone()).await;
        assert!(group.is_none(), "{engine:?}: one left, no pair");
        assert_eq!(after, total - 1, "{engine:?}");
    }
}
