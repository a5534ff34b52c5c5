//! The facts that decide which indicators of Circulars 24 and 25/2023 apply (issue 13 §13,
//! §14), recorded on the unit page and used by every evaluation, on SQLite and PostgreSQL.

use crate::support::{Client, actor, demo_app, engines, unit_id};
use axum::http::StatusCode;
use std::collections::BTreeMap;
use thidua_app::App;
use thidua_app::titles::AssessmentForm;
use thidua_domain::criteria::Verdict;

/// Every cell of `set` for `year` answered «Đ», shares as `share`.
async fn answers(app: &App, set: i64, share: &str) -> BTreeMap<String, String> {
    let loaded = app.load_set(set).await.expect("set");
    loaded
        .set
        .indicators()
        .map(|i| {
            let cell = match i.kind {
                thidua_domain::criteria::IndicatorKind::Share { .. } => share.to_string(),
                _ => "Đ".to_string(),
            };
            (i.code.clone(), cell)
        })
        .collect()
}

async fn set_id(app: &App, year: i64, id: &str) -> i64 {
    app.sets_for_year(year).await.expect("sets").into_iter().find(|s| s.set_id == id).unwrap_or_else(|| panic!("{id}")).id
}

#[tokio::test]
async fn a_commune_doet_marks_as_a_difficult_area_is_judged_on_the_lower_training_thresholds_that_year() {
    // Circular 25/2023, Điều 6: «Đối với xã thuộc vùng khó khăn: tối thiểu 40%» instead of 50 %.
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let (bd, hk) = (unit_id(&app, "P-BADINH").await, unit_id(&app, "P-HOANKIEM").await);
        let mut ward = Client::new(app.clone());
        ward.login("phuongbadinh").await;
        let page = ward.get(&format!("/units/{bd}")).await.text();
        assert!(
            page.contains("id=\"difficult-none\"") && !page.contains("id=\"difficult-area-form\""),
            "{engine:?}: shown, not the ward's to set"
        );
        let r = ward.post_form(&format!("/units/{bd}/difficult-area"), &[("year", "2025"), ("difficult", "true"), ("basis", "x")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{engine:?}: the ward does not declare itself a difficult area");

        let mut doet = Client::new(app.clone());
        doet.login("sogd").await;
        let path = format!("/units/{bd}/difficult-area");
        let r = doet.post_form(&path, &[("year", "2025"), ("difficult", "true"), ("basis", "  ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}: a mark needs its basis");
        let basis = "Quyết định số 01/QĐ-UBND ngày 05/01/2025 (dữ liệu thử nghiệm)";
        let r = doet.post_form(&path, &[("year", "2025"), ("difficult", "true"), ("basis", basis)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let vill = doet
            .post_form(
                &format!("/units/{}/difficult-area", unit_id(&app, "TH-BADINH").await),
                &[("year", "2025"), ("difficult", "true"), ("basis", basis)],
            )
            .await;
        assert!(vill.text().contains("không phải đơn vị hành chính cấp xã"), "{engine:?}: only a commune");
        assert!(ward.get(&format!("/units/{bd}")).await.text().contains(basis), "{engine:?}: the ward sees the mark and its basis");

        let admin = actor(&app, "admin").await;
        let set = set_id(&app, 2025, "tt25-2023-cdht-xa-md1").await;
        let verdicts = |unit: i64| {
            let app = app.clone();
            let admin = admin.clone();
            async move {
                let cells = answers(&app, set, "45/100").await;
                let form = AssessmentForm { criteria_set: set, subject_id: unit, year: 2025, cells, ..Default::default() };
                let id = app.save_assessment(&admin, form).await.expect("saved");
                app.assessment(&admin, id).await.expect("view").0.evaluation.indicators
            }
        };
        let difficult = verdicts(bd).await;
        assert_eq!(difficult.get("TC5.CT2k"), Some(&Verdict::Pass), "{engine:?}: 45 % reaches the difficult area's 40 %");
        assert_eq!(difficult.get("TC5.CT2"), Some(&Verdict::NotApplicable), "{engine:?}");
        let elsewhere = verdicts(hk).await;
        assert!(matches!(elsewhere.get("TC5.CT2"), Some(Verdict::Fail(_))), "{engine:?}: but not the 50 % elsewhere");
        assert_eq!(elsewhere.get("TC5.CT2k"), Some(&Verdict::NotApplicable), "{engine:?}");

        // Cleared for 2025 (a later decision): the mark is gone, and audited both ways.
        let r = doet.post_form(&path, &[("year", "2025"), ("difficult", "false")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}");
        assert!(app.store().difficult_areas().await.expect("q").is_empty(), "{engine:?}");
        let audit = app.store().audit_after(0, 1_000_000).await.expect("audit");
        assert!(audit.iter().any(|a| a.action == "unit.difficult_area") && audit.iter().any(|a| a.action == "unit.difficult_area_cleared"));
    }
}

#[tokio::test]
async fn a_school_recorded_as_non_public_is_not_judged_on_the_state_budget_and_an_unrecorded_one_says_so() {
    // Circular 24/2023, Tiêu chí 1 CT3 (state bodies and public service units only) and Điều 2.
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let school = unit_id(&app, "TH-BADINH").await;
        let mut ward = Client::new(app.clone());
        ward.login("phuongbadinh").await;
        let page = ward.get(&format!("/units/{school}")).await.text();
        assert!(page.contains("id=\"type-not-declared\"") && page.contains("id=\"institution-type-form\""), "{engine:?}: it asks");

        let admin = actor(&app, "admin").await;
        let set = set_id(&app, 2025, "tt24-2023-dvht-huyen-md1").await;
        let assess = || {
            let (app, admin) = (app.clone(), admin.clone());
            async move {
                let cells = answers(&app, set, "95/100").await;
                let form = AssessmentForm { criteria_set: set, subject_id: school, year: 2025, cells, ..Default::default() };
                let id = app.save_assessment(&admin, form).await.expect("saved");
                app.assessment(&admin, id).await.expect("view").0
            }
        };
        let before = assess().await;
        assert!(!before.classes.declared, "{engine:?}");
        assert!(matches!(before.evaluation.indicators.get("TC1.CT3"), Some(Verdict::Pass)), "{engine:?}: judged as a public school");
        let shown = ward.get(&format!("/titles/assessments/{}", before.record.id)).await.text();
        assert!(shown.contains("id=\"classes\"") && shown.contains("Chưa khai báo"), "{engine:?}: the assessment says the type is missing");

        let path = format!("/units/{school}/institution-type");
        let bad =
            ward.post_form(&path, &[("from_year", "20x5"), ("institution", "primary"), ("ownership", "non_public"), ("basis", "QĐ")]).await;
        assert!(bad.text().contains("không phải một năm"), "{engine:?}");
        let basis = "Quyết định cho phép hoạt động giáo dục số 12/QĐ-UBND";
        let ok = ward
            .post_form(&path, &[("from_year", "2025"), ("institution", "primary"), ("ownership", "non_public"), ("basis", basis)])
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{engine:?}: {}", ok.text());
        let page = ward.get(&format!("/units/{school}")).await.text();
        assert!(page.contains("Trường tiểu học") && page.contains("Ngoài công lập") && page.contains(basis), "{engine:?}");
        let (view, _) = app.assessment(&admin, before.record.id).await.expect("view");
        assert!(view.classes.declared, "{engine:?}");
        assert_eq!(view.evaluation.indicators.get("TC1.CT3"), Some(&Verdict::NotApplicable), "{engine:?}: no state budget to judge");
        let other = ward
            .post_form(
                &format!("/units/{}/institution-type", unit_id(&app, "P-BADINH").await),
                &[("from_year", "2025"), ("institution", "primary"), ("ownership", "public"), ("basis", basis)],
            )
            .await;
        assert!(other.text().contains("không phải cơ sở giáo dục"), "{engine:?}");
    }
}
