//! Shares read from the registry (issue 13 §12), on SQLite and PostgreSQL: every title still
//! valid in the data year counts, each person once; an organisation's members and learners are
//! counted apart from the citizens who live in a commune (Circular 24/2023, Điều 2).

use crate::support::{Client, actor, demo_app, engines, unit_id};
use axum::http::StatusCode;
use thidua_app::App;
use thidua_app::ports::PageRequest;
use thidua_app::titles::{DecisionForm, SheetTarget};
use thidua_domain::titles::{Stage, Subject};

async fn set_of(app: &App, year: i64, pick: impl Fn(&thidua_app::ports::CriteriaSetRecord) -> bool) -> i64 {
    app.sets_for_year(year).await.expect("sets").into_iter().find(|r| pick(r)).expect("a set").id
}

/// The citizens of `group` assessed for `year`, every indicator met, and recognised by the
/// decision of `ward`. Returns their citizen codes.
pub(crate) async fn recognise_citizens(app: &App, group: &str, ward: &str, year: i64) -> Vec<String> {
    let admin = actor(app, "admin").await;
    let set = set_of(app, year, |r| r.title == "cong_dan_hoc_tap").await;
    let table = crate::titles::sheet_of(app, set, unit_id(app, group).await, 0, Subject::Citizen).await;
    let codes: Vec<String> = table.rows.iter().map(|r| r[1].clone()).collect();
    let target = SheetTarget { criteria_set: set, year, stage: Stage::Verified };
    app.import_assessments(&admin, target, &table, &crate::titles::file(), false).await.expect("assessed");
    let form = DecisionForm {
        criteria_set: set,
        year,
        issuing_unit: unit_id(app, ward).await,
        number: format!("{year}/QĐ-UBND"),
        signed_on: time::Date::from_calendar_date(i32::try_from(year).expect("y") + 1, time::Month::January, 20).expect("date"),
        signer: "Nguyễn Văn Hòa".into(),
        signer_title: "Chủ tịch".into(),
        only: None,
    };
    app.issue_decision(&admin, form).await.expect("recognised");
    codes
}

#[tokio::test]
async fn a_citizen_recognised_for_2024_still_counts_in_the_communes_2025_share_and_no_longer_in_2026() {
    // QĐ 324 (provisional set): a Công dân học tập title is valid one year after its data year;
    // Circular 25/2023, Điều 6 TC5.CT1 counts the commune's citizens holding it.
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let bd = unit_id(&app, "P-BADINH").await;
        let codes = recognise_citizens(&app, "BD-TDP01", "P-BADINH", 2024).await;
        let admin = actor(&app, "admin").await;
        let residents =
            app.people(&admin, Some(bd), None, None, thidua_app::ports::PersonSort::Name, PageRequest::new(1, 1)).await.expect("q").total;
        let share = |year: i64| {
            let app = app.clone();
            async move {
                let set = app.load_set(set_of(&app, year, |r| r.set_id == "tt25-2023-cdht-xa-md1").await).await.expect("set").set;
                app.derived_shares(&set, bd, year).await.expect("shares").get("TC5.CT1").copied()
            }
        };
        let n = codes.len() as u64;
        assert!(n > 0, "{engine:?}");
        assert_eq!(share(2024).await, Some((n, residents as u64)), "{engine:?}: recognised that year");
        assert_eq!(share(2025).await, Some((n, residents as u64)), "{engine:?}: still valid the year after");
        assert_eq!(share(2026).await, Some((0, residents as u64)), "{engine:?}: expired");
    }
}

#[tokio::test]
async fn a_schools_members_and_learners_are_counted_apart_and_only_from_its_own_lists() {
    // Circular 24/2023, Điều 2 and Điều 12 TC3.CT1: «thành viên» and «người học» are separate
    // figures; a school with nobody listed has its figures typed by the assessor.
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let school = unit_id(&app, "THPT-PHANDINHPHUNG").await;
        let set = app.load_set(set_of(&app, 2025, |r| r.set_id == "tt24-2023-dvht-tinh-md1").await).await.expect("set").set;
        assert!(app.derived_shares(&set, school, 2025).await.expect("shares").is_empty(), "{engine:?}: nobody listed, nothing derived");

        let codes = recognise_citizens(&app, "BD-TDP01", "P-BADINH", 2025).await;
        let mut ward = Client::new(app.clone());
        ward.login("admin").await;
        let path = format!("/units/{school}/members");
        // One unknown code refuses the whole list.
        let bad = format!("{}\nKHONG-CO-MA", codes[0]);
        let r = ward.post_form(&path, &[("relation", "member"), ("codes", &bad)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(r.text().contains("KHONG-CO-MA") && r.text().contains("Chưa ghi mã nào"), "{engine:?}");
        assert_eq!(app.store().unit_member_counts(school).await.expect("q"), (0, 0), "{engine:?}: all or nothing");

        let (members, learners) = (codes[..2].join("\n"), codes[2..].join(", "));
        assert_eq!(ward.post_form(&path, &[("relation", "member"), ("codes", &members)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(ward.post_form(&path, &[("relation", "learner"), ("codes", &learners)]).await.status, StatusCode::SEE_OTHER);
        // Someone listed who holds no title: the members' share is 2 of 3.
        let other = app
            .people(
                &actor(&app, "admin").await,
                Some(unit_id(&app, "P-HOANKIEM").await),
                None,
                None,
                thidua_app::ports::PersonSort::Name,
                PageRequest::new(1, 1),
            )
            .await
            .expect("q")
            .items[0]
            .code
            .clone();
        assert_eq!(ward.post_form(&path, &[("relation", "member"), ("codes", &other)]).await.status, StatusCode::SEE_OTHER);
        let shares = app.derived_shares(&set, school, 2025).await.expect("shares");
        let l = codes.len() as u64 - 2;
        assert_eq!(shares.get("TC3.CT1"), Some(&(2, 3)), "{engine:?}: members");
        assert_eq!(shares.get("TC3.CT1b"), Some(&(l, l)), "{engine:?}: learners, apart");
        let page = ward.get(&path).await.text();
        assert!(page.contains(&other) && page.contains("Người học"), "{engine:?}");

        // A primary school recorded as such has no «người học» (Circular 24/2023, Điều 2).
        let primary = unit_id(&app, "TH-BADINH").await;
        let input = thidua_app::registry::InstitutionTypeInput {
            from_year: "2020".into(),
            institution: "primary".into(),
            ownership: "public".into(),
            basis: "Quyết định thành lập (dữ liệu thử)".into(),
        };
        app.record_institution_type(&actor(&app, "admin").await, primary, &input).await.expect("typed");
        let r = ward.post_form(&format!("/units/{primary}/members"), &[("relation", "learner"), ("codes", &codes[0])]).await;
        assert!(r.text().contains("không tính là «người học»"), "{engine:?}: {}", r.text());

        // A ward has residents, not members.
        let r = ward.get(&format!("/units/{}/members", unit_id(&app, "P-BADINH").await)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
    }
}

#[tokio::test]
async fn an_enterprise_below_qd_1268s_share_of_workers_cannot_be_proposed_and_one_without_a_list_rests_on_its_dossier() {
    // Seed III.2.1.g: the share of an enterprise's workers «Công dân học tập» «đạt và vượt mục
    // tiêu theo Quyết định số 1268/QĐ-TTg» — 50 % by 2030, the milestone of the 2030 review's data.
    use crate::commendation::{PDF, city, final_review, version};
    use thidua_app::commendation::{NewBatch, NewNominee};
    use thidua_domain::commendation::eligibility::{DocKind, Severity};
    for engine in engines() {
        let (app, _db, _) = city(engine).await;
        let admin = actor(&app, "admin").await;
        let input = NewBatch {
            campaign_id: final_review(&app, &admin).await,
            level: "bang_khen_ubnd_tp".into(),
            proposer_unit: unit_id(&app, "SCT").await,
            number: "40/TTr-SCT".into(),
            summary: String::new(),
        };
        let batch = app.create_batch(&admin, input).await.expect("dossier");
        let nominee = NewNominee {
            subject_type: "unit".into(),
            code: "DN-HABECO".into(),
            position: String::new(),
            achievement: "Tổ chức học tập suốt đời cho công nhân.".into(),
            cites_initiative: false,
            external: None,
        };
        let n = app.add_nominee(&admin, batch, version(&app, batch).await, nominee).await.expect("nominee");
        app.upload_document(&admin, batch, version(&app, batch).await, Some(n), DocKind::BaoCaoThanhTich, "bc.pdf", PDF)
            .await
            .expect("report");
        let workers = |app: App| {
            let admin = admin.clone();
            async move {
                let v = app.batch_view(&admin, batch).await.expect("view");
                v.nominees[0].findings.iter().find(|f| f.code == "workers").cloned().expect("a finding on the workers")
            }
        };
        let f = workers(app.clone()).await;
        assert_eq!(f.severity, Severity::Warn, "{engine:?}: no list, the dossier decides: {}", f.message);
        assert!(f.message.contains("chưa có danh sách") && f.message.contains("50"), "{engine:?}: {}", f.message);

        // Four of ten workers hold the title for 2029: 40 % < 50 %.
        let holders = recognise_citizens(&app, "BD-TDP01", "P-BADINH", 2029).await;
        let others = app
            .people(
                &admin,
                Some(unit_id(&app, "P-HOANKIEM").await),
                None,
                None,
                thidua_app::ports::PersonSort::Name,
                PageRequest::new(1, 6),
            )
            .await
            .expect("q")
            .items;
        let mut listed: Vec<String> = holders[..4].to_vec();
        listed.extend(others.iter().map(|p| p.code.clone()));
        let habeco = unit_id(&app, "DN-HABECO").await;
        app.add_unit_members(&admin, habeco, &listed.join("\n"), "member").await.expect("listed");
        let f = workers(app.clone()).await;
        assert_eq!(f.severity, Severity::Block, "{engine:?}: {}", f.message);
        assert!(f.message.contains("4/10") && f.message.contains("50"), "{engine:?}: {}", f.message);
        let submit = app
            .take_step(&admin, batch, version(&app, batch).await, thidua_domain::commendation::workflow::Step::Submit, Default::default())
            .await;
        assert!(matches!(submit, Err(thidua_app::AppError::Invalid(ref m)) if m.contains("III.2.1.g")), "{engine:?}: {submit:?}");

        // Two more holders: 6 of 12 reaches 50 % exactly.
        app.add_unit_members(&admin, habeco, &holders[4..6].join(","), "member").await.expect("listed");
        let f = workers(app.clone()).await;
        assert_eq!(f.severity, Severity::Warn, "{engine:?}: {}", f.message);
        assert!(f.message.contains("6/12") && f.message.contains("đạt mục tiêu"), "{engine:?}: {}", f.message);
    }
}
