//! Commendation through the use cases, on SQLite and PostgreSQL: a ward proposes households it
//! recognised as «Gia đình học tập» for the 2030 final review; eligibility, quota, the return
//! and resubmission, DOET's consolidation, DOHA, the council and the Chairman's decision.

use crate::support::{Engine, TestDb, actor, demo_app, engines, unit_id};
use crate::titles::{file, household_set, sheet};
use std::sync::Arc;
use thidua_app::commendation::{DecisionInput, ForwardInput, NewBatch, NewNominee, StepInput};
use thidua_app::ports::NomineeEdit;
use thidua_app::titles::{DecisionForm, SheetTarget};
use thidua_app::{Actor, App, AppConfig, AppError, Clock};
use thidua_domain::commendation::eligibility::{DocKind, Severity};
use thidua_domain::commendation::workflow::{Outcome, State, Step};
use thidua_domain::titles::Stage;
use time::OffsetDateTime;
use time::macros::{date, datetime};

/// 1 May 2030, 09:00 in Hanoi: before the final review's deadline (15/6/2030).
struct May2030;

impl Clock for May2030 {
    fn now(&self) -> OffsetDateTime {
        datetime!(2030-05-01 02:00 UTC)
    }
}

pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// The demo city on `engine`, seen on 1 May 2030, with the households of BD-TDP01 assessed for
/// 2029 (the first two below the pass mark) and the others recognised by the ward.
pub(crate) async fn city(engine: Engine) -> (App, TestDb, Vec<(String, i64)>) {
    let (app, db) = demo_app(engine).await;
    let store = thidua_storage::connect(&db.url, 4).await.expect("connect");
    let blobs = thidua_storage::LocalBlobs::new(std::env::temp_dir().join(format!("thidua_blobs_c{}", std::process::id())));
    let app2 = App::new(Arc::new(store), Arc::new(May2030), AppConfig::default()).with_blobs(Arc::new(blobs));
    drop(app);
    let ward = actor(&app2, "phuongbadinh").await;
    let set = household_set(&app2).await;
    let group = unit_id(&app2, "BD-TDP01").await;
    let table = sheet(&app2, set, group, 2).await;
    app2.import_assessments(&ward, SheetTarget { criteria_set: set, year: 2029, stage: Stage::Verified }, &table, &file(), false)
        .await
        .expect("assessments");
    let form = DecisionForm {
        criteria_set: set,
        year: 2029,
        issuing_unit: unit_id(&app2, "P-BADINH").await,
        number: "3/QĐ-UBND".into(),
        signed_on: date!(2030 - 01 - 15),
        signer: "Vũ Văn Hùng".into(),
        signer_title: "Chủ tịch".into(),
        only: None,
    };
    app2.issue_decision(&ward, form).await.expect("decision");
    let households = table.rows.iter().map(|r| (r[1].clone(), 0)).collect();
    (app2, db, households)
}

pub(crate) async fn final_review(app: &App, who: &Actor) -> i64 {
    app.campaigns(who).await.expect("campaigns").into_iter().find(|c| c.row.code == "tong-ket-2030").expect("final review").row.id
}

pub(crate) async fn dossier(app: &App, ward: &Actor, number: &str) -> i64 {
    dossier_at(app, ward, number, "bang_khen_ubnd_tp").await
}

async fn dossier_at(app: &App, ward: &Actor, number: &str, level: &str) -> i64 {
    let campaign = final_review(app, ward).await;
    let id = app
        .create_batch(
            ward,
            NewBatch {
                campaign_id: campaign,
                level: level.into(),
                proposer_unit: unit_id(app, "P-BADINH").await,
                number: number.into(),
                summary: String::new(),
            },
        )
        .await
        .expect("batch");
    for kind in [DocKind::ToTrinh, DocKind::BienBan] {
        let v = app.store().batch(id).await.expect("q").expect("batch").version;
        app.upload_document(ward, id, v, None, kind, "to-trinh.pdf", PDF).await.expect("upload");
    }
    id
}

pub(crate) async fn version(app: &App, id: i64) -> i64 {
    app.store().batch(id).await.expect("q").expect("batch").version
}

pub(crate) async fn nominate(app: &App, ward: &Actor, batch: i64, code: &str) -> i64 {
    let n = app
        .add_nominee(
            ward,
            batch,
            version(app, batch).await,
            NewNominee {
                subject_type: "household".into(),
                code: code.into(),
                position: String::new(),
                achievement: "Gia đình nhiều năm liền học tập tốt.".into(),
                cites_initiative: false,
                external: None,
            },
        )
        .await
        .expect("nominee");
    app.upload_document(ward, batch, version(app, batch).await, Some(n), DocKind::BaoCaoThanhTich, "bao-cao.pdf", PDF)
        .await
        .expect("report");
    n
}

#[tokio::test]
async fn the_whole_flow_from_the_ward_to_the_chairman() {
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let batch = dossier(&app, &ward, "21/TTr-UBND").await;
        let weak = nominate(&app, &ward, batch, &households[0].0).await;
        let good = nominate(&app, &ward, batch, &households[5].0).await;

        // The ineligible household is explained; submission is refused while it is there.
        let view = app.batch_view(&ward, batch).await.expect("view");
        let finding = view.nominees.iter().find(|n| n.row.id == weak).expect("weak").findings.clone();
        assert_eq!(finding[0].severity, Severity::Block, "{engine:?}");
        assert!(finding[0].message.contains("Gia đình học tập"), "{}", finding[0].message);
        assert!(view.nominees.iter().find(|n| n.row.id == good).expect("good").findings.is_empty(), "{engine:?}");
        assert!(view.quota.as_ref().is_some_and(|q| q.remaining == "còn 4 suất"));
        let Err(AppError::Invalid(why)) = app.take_step(&ward, batch, version(&app, batch).await, Step::Submit, StepInput::default()).await
        else {
            panic!("{engine:?}: an ineligible nominee must block submission")
        };
        assert!(why.contains("Gia đình học tập"), "{why}");
        app.remove_nominee(&ward, batch, version(&app, batch).await, weak).await.expect("remove");
        app.take_step(&ward, batch, version(&app, batch).await, Step::Submit, StepInput::default()).await.expect("submit");
        let view = app.batch_view(&ward, batch).await.expect("view");
        assert_eq!((view.state, view.quota.as_ref().map(|q| q.remaining.as_str())), (State::AtDoet, Some("còn 3 suất")));
        let fr = final_review(&app, &ward).await;
        assert_eq!(
            app.campaign_cost(&ward, fr).await.expect("cost"),
            (0, 5_700_000),
            "{engine:?}: one household proposed at 2.25 × the 2030 base salary (Decree 152/2025: 1.5 × 1.5 × 2,530,000 = 5,692,500 ↑)"
        );

        // DOET returns it with a comment on the nominee; the quota is given back meanwhile.
        let doet = actor(&app, "sogd").await;
        assert!(matches!(
            app.take_step(&ward, batch, version(&app, batch).await, Step::DoetAccept, StepInput::default()).await,
            Err(AppError::Forbidden)
        ));
        let report = view.nominees.iter().find(|n| n.row.id == good).expect("good").documents[0].id;
        let minutes = view.batch_documents.iter().find(|d| d.kind == DocKind::BienBan.code()).expect("minutes").id;
        let ask = StepInput {
            comment: "Bổ sung số liệu".into(),
            comments: vec![
                (Some(good), None, "Báo cáo thiếu kết quả năm 2029".into()),
                (None, Some(report), "Thiếu xác nhận của UBND phường".into()),
                (None, Some(minutes), "Biên bản chưa ghi kết quả biểu quyết".into()),
            ],
            drops: vec![],
        };
        app.take_step(&doet, batch, version(&app, batch).await, Step::DoetReturn, ask).await.expect("return");
        let view = app.batch_view(&ward, batch).await.expect("view");
        assert_eq!(view.state, State::ReturnedByDoet, "{engine:?}");
        assert!(view.can_edit);
        assert_eq!(view.nominees[0].comments.len(), 1, "{engine:?}: the nominee's own comment");
        assert_eq!(view.nominees[0].comments[0].comment, "Báo cáo thiếu kết quả năm 2029");
        let on_report = view.comments.iter().find(|c| c.document_id == Some(report)).expect("the report's comment");
        assert_eq!(on_report.nominee_id, Some(good), "{engine:?}: a document's comment belongs to its nominee");
        let mut ward_web = crate::support::Client::new(app.clone());
        ward_web.login("phuongbadinh").await;
        let page = ward_web.get(&format!("/awards/batches/{batch}")).await.text();
        for fix in ["Báo cáo thiếu kết quả năm 2029", "Thiếu xác nhận của UBND phường", "Biên bản chưa ghi kết quả biểu quyết"]
        {
            assert!(page.contains(fix), "{engine:?}: the dossier page shows «{fix}»");
        }
        assert_eq!(view.quota.as_ref().map(|q| q.remaining.as_str()), Some("còn 4 suất"));

        // The ward fixes the report; the earlier version is kept; it resubmits.
        let edit = NomineeEdit {
            position: String::new(),
            achievement: "Năm 2029: 100% thành viên đạt Công dân học tập.".into(),
            cites_initiative: false,
        };
        app.update_nominee(&ward, batch, version(&app, batch).await, good, edit).await.expect("edit");
        let fixed = b"%PDF-1.4\n% bao cao da bo sung ket qua 2029\n%%EOF\n";
        app.upload_document(&ward, batch, version(&app, batch).await, Some(good), DocKind::BaoCaoThanhTich, "bao-cao-v2.pdf", fixed)
            .await
            .expect("v2");
        app.take_step(&ward, batch, version(&app, batch).await, Step::Submit, StepInput::default()).await.expect("resubmit");
        let view = app.batch_view(&ward, batch).await.expect("view");
        assert!(view.comments.is_empty(), "{engine:?}: once resubmitted nothing is left to fix; the history keeps it");
        assert_eq!(view.earlier_documents.iter().filter(|d| d.nominee_id == Some(good)).count(), 1, "{engine:?}");
        assert_eq!(view.events.iter().map(|e| e.step.as_str()).collect::<Vec<_>>(), ["submit", "doet_return", "submit"]);
        assert!(view.events[0].snapshot.contains("bao-cao.pdf") && view.events[2].snapshot.contains("bao-cao-v2.pdf"));
        assert!(view.events[2].snapshot.contains("100% thành viên") && !view.events[0].snapshot.contains("100% thành viên"));

        // DOET accepts and forwards; two DOHA officers act at once and only one wins.
        app.take_step(&doet, batch, version(&app, batch).await, Step::DoetAccept, StepInput::default()).await.expect("accept");
        let campaign = final_review(&app, &doet).await;
        app.forward(
            &doet,
            ForwardInput {
                campaign_id: campaign,
                level: "bang_khen_ubnd_tp".into(),
                batches: vec![(batch, version(&app, batch).await)],
                number: "88/TTr-SGDĐT".into(),
                signed_on: date!(2030 - 06 - 20),
            },
        )
        .await
        .expect("forward");
        let doha = actor(&app, "btdkt").await;
        let queue = app.appraisal_queue(&doha, None, thidua_app::ports::PageRequest::new(1, 100)).await.expect("queue").items;
        assert_eq!(queue.len(), 1, "{engine:?}");
        assert_eq!((queue[0].nominees, queue[0].steps.clone()), (1, vec![Step::DohaReturn, Step::DohaAccept]));
        assert!(
            app.appraisal_queue(&ward, None, thidua_app::ports::PageRequest::new(1, 100)).await.expect("queue").items.is_empty(),
            "nothing waits for the ward"
        );
        let v = version(&app, batch).await;
        let (a, b) = tokio::join!(
            app.take_step(&doha, batch, v, Step::DohaAccept, StepInput::default()),
            app.take_step(&doha, batch, v, Step::DohaAccept, StepInput::default())
        );
        assert!(a.is_ok() != b.is_ok(), "{engine:?}: exactly one appraiser wins: {a:?} {b:?}");
        assert!(matches!(a.or(b), Ok(())));
        // Seed III.5.3.b: DOHA appraises «trình Chủ tịch Ủy ban nhân dân Thành phố quyết định» —
        // the council is named for state-level awards only (III.5.3.a).
        assert_eq!(app.store().batch(batch).await.expect("q").expect("batch").state, State::AtChairman, "{engine:?}");
        let council = actor(&app, "hoidong").await;
        let recommend = StepInput { comment: "Hội đồng nhất trí trình Chủ tịch".into(), ..StepInput::default() };
        assert!(
            app.take_step(&council, batch, version(&app, batch).await, Step::CouncilRecommend, recommend).await.is_err(),
            "{engine:?}: no council step on a City Bằng khen unless the campaign puts it"
        );
        assert!(matches!(
            app.record_decision(
                &doha,
                DecisionInput {
                    campaign_id: campaign,
                    level: "bang_khen_ubnd_tp".into(),
                    batches: vec![(batch, version(&app, batch).await)],
                    number: "x".into(),
                    signed_on: date!(2030 - 07 - 20),
                    signer: "x".into(),
                    signer_title: "x".into(),
                    refused: vec![],
                },
            )
            .await,
            Err(AppError::Forbidden)
        ));
        let office = actor(&app, "vpubnd").await;
        let decision = app
            .record_decision(
                &office,
                DecisionInput {
                    campaign_id: campaign,
                    level: "bang_khen_ubnd_tp".into(),
                    batches: vec![(batch, version(&app, batch).await)],
                    number: "4321/QĐ-UBND".into(),
                    signed_on: date!(2030 - 07 - 20),
                    signer: "Trần Sỹ Thanh".into(),
                    signer_title: "Chủ tịch".into(),
                    refused: vec![],
                },
            )
            .await
            .expect("decision")
            .expect("a decision id");
        let d = app.award_decision(&office, decision).await.expect("decision row");
        assert_eq!((d.awarded, d.reward_vnd), (1, 5_700_000), "{engine:?}: a household's Bằng khen is 2.25 × the base salary");
        let view = app.batch_view(&ward, batch).await.expect("view");
        assert_eq!(view.state, State::Decided);
        let subject = app.store().nominees(batch).await.expect("q").into_iter().find(|n| n.id == good).expect("good").subject_id;
        let history = app.award_history(&ward, "household", subject).await.expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].decision.number, "4321/QĐ-UBND");
        // Every step is in the audit log.
        let audit = app.verify_audit().await;
        assert!(audit.is_ok(), "{engine:?}: {audit:?}");
        // Every generated document opens and lists the right people.
        let rows = app.store().nominees(batch).await.expect("q");
        let (good_name, weak_name) = (
            rows.iter().find(|n| n.id == good).expect("good").name.clone(),
            rows.iter().find(|n| n.id == weak).expect("weak").name.clone(),
        );
        let consolidation = app.store().batch(batch).await.expect("q").expect("b").consolidation_id.expect("consolidated");
        let mut web = crate::support::Client::new(app.clone());
        web.login("admin").await;
        for (path, must) in [
            (format!("/awards/batches/{batch}/to-trinh.docx"), vec!["TỜ TRÌNH", "21/TTr-UBND", "Kính gửi: Sở Giáo dục và Đào tạo"]),
            (
                format!("/awards/batches/{batch}/nominees/{good}/report.docx"),
                vec!["BÁO CÁO THÀNH TÍCH", "Gia đình học tập năm 2029", "100% thành viên"],
            ),
            (format!("/awards/consolidations/{consolidation}/to-trinh.docx"), vec!["88/TTr-SGDĐT", "Sở Nội vụ", "Phường Ba Đình"]),
            (
                format!("/awards/consolidations/{consolidation}/draft-decision.docx"),
                vec!["QUYẾT ĐỊNH", "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Điều 1"],
            ),
            (
                format!("/awards/decisions/{decision}/decision.docx"),
                vec!["4321/QĐ-UBND", "Trần Sỹ Thanh", "5.700.000 đ", "chưa ghi nhận nghị định quy định chi tiết"],
            ),
        ] {
            let r = web.get(&path).await;
            assert_eq!(r.status, axum::http::StatusCode::OK, "{engine:?} {path}");
            let text = thidua_documents::docx_text(&r.body).unwrap_or_else(|e| panic!("{path} opens: {e}"));
            assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "{path}: national motto");
            for m in must {
                assert!(text.contains(m), "{engine:?} {path} should contain «{m}»:\n{text}");
            }
            assert!(text.contains(&good_name), "{path} lists {good_name}");
            assert!(!text.contains(&weak_name), "{path} must not list the removed {weak_name}");
        }
        for path in [
            format!("/awards/batches/{batch}/list.xlsx"),
            format!("/awards/consolidations/{consolidation}/list.xlsx"),
            format!("/awards/decisions/{decision}/list.xlsx"),
        ] {
            let r = web.get(&path).await;
            let table = thidua_documents::read_table(&r.body, 1000).unwrap_or_else(|e| panic!("{path} opens: {e:?}"));
            assert_eq!(table.rows.len(), 1, "{path}");
            assert_eq!(table.rows[0][1], good_name, "{path}");
        }
        // The printed Bằng khen carries a QR code to the public page, which names no household.
        let cert = web.get(&format!("/awards/certificates/{good}")).await.text();
        assert!(cert.contains("<svg") && cert.contains(&good_name), "{engine:?}");
        let code = app.store().nominee(good).await.expect("q").expect("n").certificate.expect("a certificate code");
        assert!(cert.contains(&format!("/xac-minh/{code}")));
        let mut public = crate::support::Client::new(app.clone());
        let page = public.get(&format!("/xac-minh/{code}")).await;
        assert_eq!(page.status, axum::http::StatusCode::OK, "{engine:?}");
        assert!(page.text().contains("là hợp lệ") && page.text().contains("4321/QĐ-UBND") && !page.text().contains(&good_name));
        // The campaign's cost: 5,700,000 đ decided, nothing left proposed.
        assert_eq!(app.campaign_cost(&office, campaign).await.expect("cost"), (5_700_000, 0), "{engine:?}");
        let campaign_page = web.get(&format!("/awards/campaigns/{campaign}")).await.text();
        assert!(campaign_page.contains("đã quyết định 5.700.000 đ"), "{engine:?}");
        let list = web.get("/awards/decisions").await.text();
        assert!(list.contains("4321/QĐ-UBND") && list.contains("5.700.000 đ"), "{engine:?}: the decision registry lists it");
        // The Chairman's office attaches the signed decision as scanned; a ward cannot, a Word
        // file is not a scan.
        let err = app.upload_decision_scan(&ward, decision, PDF).await.expect_err("a ward does not");
        assert!(matches!(err, AppError::Forbidden), "{engine:?}: {err:?}");
        let docx = web.get(&format!("/awards/decisions/{decision}/decision.docx")).await.body;
        let err = app.upload_decision_scan(&office, decision, &docx).await.expect_err("not a scan");
        assert!(err.to_string().contains("PDF, ảnh JPEG hoặc PNG"), "{err}");
        assert!(!web.get(&format!("/awards/decisions/{decision}")).await.text().contains("scan-link"), "no scan yet");
        let mut chairman_office = crate::support::Client::new(app.clone());
        chairman_office.login("vpubnd").await;
        let csrf = chairman_office.csrf.clone();
        let r =
            chairman_office.post_multipart(&format!("/awards/decisions/{decision}/scan"), &[("_csrf", &csrf)], "qd-4321.pdf", PDF).await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        assert!(web.get(&format!("/awards/decisions/{decision}")).await.text().contains("scan-link"), "{engine:?}");
        let scan = web.get(&format!("/awards/decisions/{decision}/scan")).await;
        assert_eq!((scan.status, scan.body.as_slice()), (axum::http::StatusCode::OK, PDF), "{engine:?}: the same bytes back");
        assert!(app.verify_audit().await.is_ok(), "{engine:?}: the upload is audited in the chain");
        let steps = app.store().batch_events(batch).await.expect("events").len();
        assert_eq!(steps, 7, "{engine:?}: submit, return, submit, accept, forward, DOHA, decision");
    }
}

#[tokio::test]
async fn two_dossiers_submitted_at_the_same_moment_never_exceed_the_quota() {
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let (a, b) = (dossier(&app, &ward, "1/TTr-UBND").await, dossier(&app, &ward, "2/TTr-UBND").await);
        for code in &households[2..5] {
            nominate(&app, &ward, a, &code.0).await;
        }
        for code in &households[5..8] {
            nominate(&app, &ward, b, &code.0).await;
        }
        let (va, vb) = (version(&app, a).await, version(&app, b).await);
        let (ra, rb) = tokio::join!(
            app.take_step(&ward, a, va, Step::Submit, StepInput::default()),
            app.take_step(&ward, b, vb, Step::Submit, StepInput::default())
        );
        assert!(ra.is_ok() != rb.is_ok(), "{engine:?}: 3 + 3 > 4, so exactly one passes: {ra:?} {rb:?}");
        let Err(AppError::Conflict(why)) = ra.and(rb) else { panic!("{engine:?}: the loser is told why") };
        assert!(why.contains("chỉ tiêu") && why.contains("04"), "{why}");
        let used =
            app.store().quota_used(final_review(&app, &ward).await, "bang_khen_ubnd_tp", unit_id(&app, "P-BADINH").await).await.expect("q");
        assert_eq!(used.households, 3, "{engine:?}");
    }
}

#[tokio::test]
async fn the_same_household_cannot_be_proposed_twice_in_a_campaign() {
    let (app, _db, households) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let (a, b) = (dossier(&app, &ward, "5/TTr-UBND").await, dossier(&app, &ward, "6/TTr-UBND").await);
    nominate(&app, &ward, a, &households[3].0).await;
    nominate(&app, &ward, b, &households[3].0).await;
    app.take_step(&ward, a, version(&app, a).await, Step::Submit, StepInput::default()).await.expect("first");
    let view = app.batch_view(&ward, b).await.expect("view");
    assert!(
        view.nominees[0].findings.iter().any(|f| f.code == "duplicate" && f.message.contains("Ba Đình")),
        "{:?}",
        view.nominees[0].findings
    );
    let r = app.take_step(&ward, b, version(&app, b).await, Step::Submit, StepInput::default()).await;
    assert!(matches!(r, Err(AppError::Invalid(ref m)) if m.contains("Mỗi đối tượng chỉ được đề nghị một lần")), "{r:?}");
}

#[tokio::test]
async fn a_late_dossier_is_refused_until_doet_extends_the_deadline() {
    let (_, db, households) = city(Engine::Sqlite).await;
    // Thursday 01/08/2030: the 2030 yearly round closed on 15/7/2030 (its households' 2029 titles,
    // recognised on 15/01/2030, are valid on its reference day 14/07/2030).
    let app = crate::award_routes::app_at(&db, datetime!(2030-08-01 02:00 UTC)).await;
    let ward = actor(&app, "phuongbadinh").await;
    let campaign = app.campaigns(&ward).await.expect("c").into_iter().find(|c| c.row.code == "hang-nam-2030").expect("2030").row.id;
    let ward_id = unit_id(&app, "P-BADINH").await;
    let batch = app
        .create_batch(
            &ward,
            NewBatch {
                campaign_id: campaign,
                level: "bang_khen_ubnd_tp".into(),
                proposer_unit: ward_id,
                number: "9/TTr".into(),
                summary: String::new(),
            },
        )
        .await
        .expect("batch");
    for kind in [DocKind::ToTrinh, DocKind::BienBan] {
        app.upload_document(&ward, batch, version(&app, batch).await, None, kind, "x.pdf", PDF).await.expect("upload");
    }
    nominate(&app, &ward, batch, &households[4].0).await;
    let r = app.take_step(&ward, batch, version(&app, batch).await, Step::Submit, StepInput::default()).await;
    assert!(matches!(r, Err(AppError::Invalid(ref m)) if m.contains("quá hạn") && m.contains("15/07/2030")), "{r:?}");
    let doet = actor(&app, "sogd").await;
    assert!(
        app.grant_extension(&ward, campaign, ward_id, date!(2030 - 08 - 20), "x").await.is_err(),
        "a ward cannot extend its own deadline"
    );
    let _ = doet;
    // DOET grants it on the dossier's page.
    let mut web = crate::support::Client::new(app.clone());
    web.login("sogd").await;
    let page = web.get(&format!("/awards/batches/{batch}")).await;
    assert!(page.text().contains("id=\"extension\""), "DOET sees the extension form");
    web.csrf = crate::support::csrf_of(&page.text());
    let r = web
        .post_form(
            &format!("/awards/batches/{batch}/extension"),
            &[("due_before", "20/08/2030"), ("reason", "Phường mới thành lập sau sáp nhập")],
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.text());
    app.take_step(&ward, batch, version(&app, batch).await, Step::Submit, StepInput::default()).await.expect("on time now");
    let view = app.batch_view(&ward, batch).await.expect("view");
    assert_eq!(view.deadline.extension, Some(date!(2030 - 08 - 20)));
}

#[tokio::test]
async fn only_pdf_word_excel_and_images_are_stored_and_only_by_content() {
    let (app, _db, _) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let batch = dossier(&app, &ward, "7/TTr").await;
    let r =
        app.upload_document(&ward, batch, version(&app, batch).await, None, DocKind::Khac, "bao-cao.pdf", b"MZ\x90\x00 not a pdf").await;
    assert!(matches!(r, Err(AppError::Invalid(ref m)) if m.contains("PDF")), "{r:?}");
    let (doc, bytes) = app.document_bytes(&ward, app.store().documents(batch).await.expect("q")[0].id).await.expect("read back");
    assert_eq!((bytes.as_slice(), doc.content_type.as_str()), (PDF, "application/pdf"));
    // Another ward cannot read it.
    let other = actor(&app, "phuonghoankiem").await;
    assert!(matches!(app.document_bytes(&other, doc.id).await, Err(AppError::Forbidden)));
}

#[tokio::test]
async fn the_ward_sees_what_is_due_with_working_days_left_until_it_submits() {
    let (app, _db, households) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let final_review = |items: &[thidua_app::commendation::DueItem]| {
        items.iter().find(|d| (d.campaign.contains("Tổng kết") || d.campaign.contains("tổng kết")) && d.what.contains("Gửi hồ sơ")).cloned()
    };
    let due = app.due_items(&ward).await.expect("due");
    let item = final_review(&due).expect("the final review is due");
    // From Wednesday 01/05/2030 (a holiday) to Friday 14/06/2030: 22 working days in May, 10 in June.
    assert_eq!((item.due_before, item.working_days_left), (date!(2030 - 06 - 15), 32));
    assert_eq!(item.urgency, thidua_domain::commendation::reminders::Urgency::Later);
    // III.5.3.a: the 15/6 day is for the state-level awards; the City Bằng khen waits for the
    // conference date (III.5.3.b).
    assert!(item.what.contains("cấp Nhà nước"), "{}", item.what);
    let of_final = due.iter().filter(|d| d.campaign.contains("tổng kết") && d.what.contains("Gửi hồ sơ")).count();
    assert_eq!(of_final, 1, "{due:?}");
    let batch = dossier_at(&app, &ward, "30/TTr-UBND", "bang_khen_thu_tuong").await;
    nominate(&app, &ward, batch, &households[6].0).await;
    app.take_step(&ward, batch, version(&app, batch).await, Step::Submit, StepInput::default()).await.expect("submit");
    assert!(final_review(&app.due_items(&ward).await.expect("due")).is_none(), "done once submitted");
    // DOET now has the consolidation to do before 15/07/2030.
    let doet = app.due_items(&actor(&app, "sogd").await).await.expect("due");
    assert!(doet.iter().any(|d| d.due_before == date!(2030 - 07 - 15) && d.what.contains("Sở Nội vụ")), "{doet:?}");
}

#[tokio::test]
async fn doha_opens_a_conference_campaign_and_the_decision_deadline_follows_the_calendar() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut ward = crate::support::Client::new(app.clone());
    ward.login("phuongbadinh").await;
    let r = ward
        .post_form("/awards/campaigns", &[("code", "x"), ("name", "x"), ("basis", "x"), ("kind", "conference"), ("year", "2028")])
        .await;
    assert_eq!(r.status, axum::http::StatusCode::FORBIDDEN, "a ward does not open campaigns");
    let mut doha = crate::support::Client::new(app.clone());
    doha.login("btdkt").await;
    let form = [
        ("code", "Hội nghị điển hình 2028"),
        ("name", "Khen thưởng tại Hội nghị biểu dương điển hình học tập 2028"),
        ("basis", "Kế hoạch số 12/KH-SNV ngày 10/01/2028"),
        ("kind", "conference"),
        ("year", "2028"),
        ("levels", "bang_khen_ubnd_tp"),
        ("levels", "giay_khen"),
        ("unit_due", "15/03/2028"),
        ("doet_due", "01/04/2028"),
        ("conference", "19/05/2028"),
        ("org_collectives", "3"),
        ("org_individuals", "2"),
        ("locality_total", "2"),
    ];
    let r = doha.post_form("/awards/campaigns", &form).await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.text());
    let page = doha.get(&r.location()).await.text();
    // 30 working days before Friday 19/05/2028, back over 30/4 (Sunday, in lieu Tuesday 02/5) and
    // 01/5: that day is the last allowed, so the decision is due before the next.
    let cal = app.calendar().await.expect("calendar");
    let due = cal.working_days_before(date!(2028 - 05 - 19), 30);
    assert_eq!(cal.working_days_between(due, date!(2028 - 05 - 19)), 30);
    let before = thidua_domain::dates::format_dmy(due.next_day().expect("next day"));
    assert!(page.contains(&format!("quyết định trước ngày {before}")), "the page shows the decision deadline {before}");
    assert!(page.contains("không quá 03 tập thể và 02 cá nhân") && page.contains("không quá 02 tập thể hoặc cá nhân"), "the quotas");
    let c = app
        .campaigns(&actor(&app, "btdkt").await)
        .await
        .expect("c")
        .into_iter()
        .find(|c| c.row.code == "hoi-nghi-dien-hinh-2028")
        .expect("stored under a folded code");
    assert_eq!(c.campaign.conference, Some(date!(2028 - 05 - 19)));
}

#[tokio::test]
async fn doet_forwards_several_dossiers_in_one_submission_and_the_audit_chain_holds() {
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let doet = actor(&app, "sogd").await;
        let mut picked = Vec::new();
        for (i, number) in ["41/TTr-UBND", "42/TTr-UBND"].into_iter().enumerate() {
            let b = dossier(&app, &ward, number).await;
            nominate(&app, &ward, b, &households[2 + i].0).await;
            app.take_step(&ward, b, version(&app, b).await, Step::Submit, StepInput::default()).await.expect("submit");
            app.take_step(&doet, b, version(&app, b).await, Step::DoetAccept, StepInput::default()).await.expect("accept");
            picked.push((b, version(&app, b).await));
        }
        let campaign = final_review(&app, &doet).await;
        // «Send all» from the queue page forwards both without ticking them.
        let mut web = crate::support::Client::new(app.clone());
        web.login("sogd").await;
        let queue = web.get("/awards/queue").await.text();
        assert!(queue.contains(&format!("value=\"{campaign}:bang_khen_ubnd_tp\"")), "the queue offers «send all»");
        let all = format!("{campaign}:bang_khen_ubnd_tp");
        let r = web.post_form("/awards/forward", &[("all", all.as_str()), ("number", "90/TTr-SGDĐT"), ("signed_on", "25/06/2030")]).await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.text());
        let id = app.store().batch(picked[0].0).await.expect("q").expect("b").consolidation_id.expect("forwarded");
        assert_eq!(
            app.store().batch(picked[1].0).await.expect("q").expect("b").consolidation_id,
            Some(id),
            "{engine:?}: in the same submission"
        );
        let view = app.consolidation_view(&doet, id).await.expect("view");
        assert_eq!(view.groups.iter().map(|g| g.2.len()).sum::<usize>(), 2, "{engine:?}");
        assert!(app.verify_audit().await.is_ok(), "{engine:?}: one entry per dossier, chained");
        // A ward cannot read DOET's consolidated submission.
        assert!(matches!(app.consolidation_view(&ward, id).await, Err(AppError::Forbidden)));
    }
}

/// A dossier of the given households taken to the Chairman's office (DOET accepts and forwards,
/// DOHA accepts, the council recommends where it is on the award's way).
pub(crate) async fn before_the_chairman(app: &App, number: &str, level: &str, households: &[&str]) -> (i64, Vec<i64>) {
    let ward = actor(app, "phuongbadinh").await;
    let batch = dossier_at(app, &ward, number, level).await;
    let mut nominees = Vec::new();
    for h in households {
        nominees.push(nominate(app, &ward, batch, h).await);
    }
    app.take_step(&ward, batch, version(app, batch).await, Step::Submit, StepInput::default()).await.expect("submit");
    let doet = actor(app, "sogd").await;
    app.take_step(&doet, batch, version(app, batch).await, Step::DoetAccept, StepInput::default()).await.expect("accept");
    let input = ForwardInput {
        campaign_id: final_review(app, &doet).await,
        level: level.into(),
        batches: vec![(batch, version(app, batch).await)],
        number: format!("9{number}"),
        signed_on: date!(2030 - 06 - 20),
    };
    app.forward(&doet, input).await.expect("forward");
    let doha = actor(app, "btdkt").await;
    app.take_step(&doha, batch, version(app, batch).await, Step::DohaAccept, StepInput::default()).await.expect("doha");
    if app.store().batch(batch).await.expect("q").expect("batch").state == State::AtCouncil {
        let council = actor(app, "hoidong").await;
        let recommend = StepInput { comment: "Nhất trí".into(), ..StepInput::default() };
        app.take_step(&council, batch, version(app, batch).await, Step::CouncilRecommend, recommend).await.expect("council");
    }
    (batch, nominees)
}

#[tokio::test]
async fn the_chairmans_office_refuses_one_nominee_with_a_reason_on_the_queue_page() {
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        let (batch, nominees) = before_the_chairman(&app, "22/TTr-UBND", "bang_khen_ubnd_tp", &[&households[5].0, &households[6].0]).await;
        let (kept, refused) = (nominees[0], nominees[1]);
        let mut office = crate::support::Client::new(app.clone());
        office.login("vpubnd").await;
        let queue = office.get("/awards/queue").await.text();
        assert!(queue.contains(&format!("name=\"refuse_{refused}\"")), "{engine:?}: a reason field per nominee");
        let b = app.store().batch(batch).await.expect("q").expect("batch");
        let pick = format!("{}:{}:{}:{}", b.id, b.version, b.campaign_id, b.level);
        let refuse_field = format!("refuse_{refused}");
        let r = office
            .post_form(
                "/awards/decide",
                &[
                    ("pick", &pick),
                    ("number", "4400/QĐ-UBND"),
                    ("signed_on", "22/07/2030"),
                    ("signer", "Trần Sỹ Thanh"),
                    ("signer_title", "Chủ tịch"),
                    (&refuse_field, "Gia đình có thành viên vi phạm quy định địa phương năm 2030"),
                ],
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let outcomes: Vec<(i64, Outcome, Option<String>)> =
            app.store().nominees(batch).await.expect("q").into_iter().map(|n| (n.id, n.outcome, n.outcome_reason)).collect();
        assert!(outcomes.contains(&(kept, Outcome::Awarded, None)), "{engine:?}: {outcomes:?}");
        assert!(
            outcomes.contains(&(refused, Outcome::Refused, Some("Gia đình có thành viên vi phạm quy định địa phương năm 2030".into()))),
            "{engine:?}: {outcomes:?}"
        );
        let page = office.get(&r.location()).await.text();
        assert!(page.contains("Gia đình có thành viên vi phạm quy định địa phương năm 2030"), "{engine:?}: the decision page says why");
        let d = app.store().batch(batch).await.expect("q").expect("batch").decision_id.expect("decided");
        let row = app.store().award_decision(d).await.expect("q").expect("decision");
        assert_eq!((row.awarded, row.reward_vnd), (1, 5_700_000), "{engine:?}: only the kept household is paid");
    }
}

#[tokio::test]
async fn a_state_level_award_is_proposed_upward_and_the_central_result_recorded_later() {
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        let (batch, nominees) = before_the_chairman(&app, "23/TTr-UBND", "bang_khen_thu_tuong", &[&households[5].0]).await;
        let mut office = crate::support::Client::new(app.clone());
        office.login("vpubnd").await;
        let b = app.store().batch(batch).await.expect("q").expect("batch");
        let pick = format!("{}:{}:{}:{}", b.id, b.version, b.campaign_id, b.level);
        // The Chairman proposes to the Prime Minister: no decision yet.
        let r = office
            .post_form(
                "/awards/decide",
                &[
                    ("pick", &pick),
                    ("number", "310/TTr-UBND"),
                    ("signed_on", "25/07/2030"),
                    ("signer", "Trần Sỹ Thanh"),
                    ("signer_title", "Chủ tịch"),
                ],
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let b = app.store().batch(batch).await.expect("q").expect("batch");
        assert_eq!((b.state, b.decision_id), (State::ProposedUpward, None), "{engine:?}");
        let page = office.get(&format!("/awards/batches/{batch}")).await.text();
        assert!(page.contains(State::ProposedUpward.label_vi()), "{engine:?}: the dossier says it went up");
        // Months later the Prime Minister's decision arrives and is recorded.
        let queue = office.get("/awards/queue").await.text();
        assert!(queue.contains("23/TTr-UBND"), "{engine:?}: it waits for the central result");
        let pick = format!("{}:{}:{}:{}", b.id, b.version, b.campaign_id, b.level);
        let r = office
            .post_form(
                "/awards/decide",
                &[
                    ("pick", &pick),
                    ("number", "1520/QĐ-TTg"),
                    ("signed_on", "20/11/2030"),
                    ("signer", "Thủ tướng"),
                    ("signer_title", "Thủ tướng Chính phủ"),
                ],
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let b = app.store().batch(batch).await.expect("q").expect("batch");
        assert_eq!(b.state, State::CentralDecided, "{engine:?}");
        let decision = app.store().award_decision(b.decision_id.expect("recorded")).await.expect("q").expect("decision");
        assert_eq!((decision.number.as_str(), decision.central, decision.awarded), ("1520/QĐ-TTg", true, 1), "{engine:?}");
        // Decree 152/2025 Art. 54(1)(a), (3): a household 1.5 × 3.5 = 5.25 × 2,530,000 = 13,282,500 → 13,290,000 đ.
        assert_eq!(decision.reward_vnd, 13_290_000, "{engine:?}");
        let n = app.store().nominee(nominees[0]).await.expect("q").expect("nominee");
        assert_eq!(n.outcome, Outcome::Awarded);
        let page = office.get(&format!("/awards/decisions/{}", decision.id)).await.text();
        assert!(page.contains("1520/QĐ-TTg") && page.contains("Bằng khen của Thủ tướng Chính phủ"), "{engine:?}");
    }
}

#[tokio::test]
async fn the_public_honour_roll_names_a_household_only_with_its_recorded_consent() {
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        let (batch, nominees) = before_the_chairman(&app, "24/TTr-UBND", "bang_khen_ubnd_tp", &[&households[5].0]).await;
        let office = actor(&app, "vpubnd").await;
        let b = app.store().batch(batch).await.expect("q").expect("batch");
        let input = DecisionInput {
            campaign_id: b.campaign_id,
            level: b.level.clone(),
            batches: vec![(batch, b.version)],
            number: "4500/QĐ-UBND".into(),
            signed_on: date!(2030 - 07 - 25),
            signer: "Trần Sỹ Thanh".into(),
            signer_title: "Chủ tịch".into(),
            refused: vec![],
        };
        app.record_decision(&office, input).await.expect("decision");
        let n = app.store().nominee(nominees[0]).await.expect("q").expect("nominee");
        let mut public = crate::support::Client::new(app.clone());
        let page = public.get("/vinh-danh?nam=2030").await;
        assert_eq!(page.status, axum::http::StatusCode::OK, "{engine:?}: no login needed");
        let text = page.text();
        assert!(text.contains("4500/QĐ-UBND") && text.contains("Bằng khen của Chủ tịch"), "{engine:?}: the decided award is listed");
        assert!(text.contains("Một hộ gia đình (không công khai tên"), "{engine:?}");
        assert!(!text.contains(&n.name), "{engine:?}: no consent, no name");
        let titles = public.get("/vinh-danh?loai=danh-hieu&nam=2029").await.text();
        assert!(!titles.contains(&n.name), "{engine:?}: nor on the titles roll");

        // The ward records the household's consent; the roll names it from then on.
        let mut ward = crate::support::Client::new(app.clone());
        ward.login("phuongbadinh").await;
        let r = ward.post_form(&format!("/households/{}/consent", n.subject_id), &[("consent", "true")]).await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{engine:?}");
        let mut other = crate::support::Client::new(app.clone());
        other.login("phuonghoankiem").await;
        let r = other.post_form(&format!("/households/{}/consent", n.subject_id), &[("consent", "false")]).await;
        assert_eq!(r.status, axum::http::StatusCode::FORBIDDEN, "{engine:?}: another ward cannot change it");
        let text = public.get("/vinh-danh?nam=2030").await.text();
        assert!(text.contains(&n.name), "{engine:?}: named with consent");
        let titles = public.get("/vinh-danh?loai=danh-hieu&nam=2029").await.text();
        assert!(titles.contains(&n.name) && titles.contains("Gia đình học tập năm 2029"), "{engine:?}: {titles}");
        assert!(app.verify_audit().await.is_ok(), "{engine:?}: the consent is in the audit chain");
        // legal.md §11.2: in 2030 a consent rests on Law 91/2025 (Art. 9) and Decree 356/2025,
        // said on the page and kept in the audit entry.
        let page = ward.get(&format!("/households/{}", n.subject_id)).await.text();
        assert!(page.contains("id=\"consent-basis\"") && page.contains("Điều 9 Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15"), "{engine:?}");
        let (all, filter) = (thidua_app::ports::Scope::All, thidua_app::ports::AuditFilter::default());
        let audit = app.store().audit_page(&all, &filter, thidua_app::ports::PageRequest::new(1, 5)).await.expect("audit");
        let entry = audit.items.iter().find(|e| e.action == "household.public_consent").expect("audited");
        assert!(entry.new.as_deref().is_some_and(|j| j.contains("91/2025/QH15") && j.contains("356/2025")), "{engine:?}: {:?}", entry.new);
    }
}

#[tokio::test]
async fn the_dashboard_shows_how_long_each_level_held_the_years_dossiers() {
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        before_the_chairman(&app, "26/TTr-UBND", "bang_khen_ubnd_tp", &[&households[5].0]).await;
        let d = app.dashboard(&actor(&app, "sogd").await, None, 2030).await.expect("dashboard");
        let of = |h: Holder| d.holders.iter().find(|x| x.holder == h).cloned();
        use thidua_domain::commendation::workflow::Holder;
        assert_eq!(of(Holder::Doet).map(|x| (x.passed, x.waiting)), Some((1, 0)), "{engine:?}: DOET appraised and forwarded it");
        assert_eq!(of(Holder::Council).map(|x| (x.passed, x.waiting)), None, "{engine:?}: III.5.3.b names no council for it");
        assert_eq!(of(Holder::Chairman).map(|x| (x.passed, x.waiting)), Some((0, 1)), "{engine:?}: it waits for the Chairman");
        assert!(d.dossiers.iter().any(|(s, n)| *s == State::AtChairman && *n == 1), "{engine:?}");
        let mut doet = crate::support::Client::new(app.clone());
        doet.login("sogd").await;
        let page = doet.get("/dashboard?year=2030").await.text();
        assert!(page.contains("id=\"dashboard-holders\"") && page.contains("Chủ tịch UBND Thành phố quyết định"), "{engine:?}");
    }
}
