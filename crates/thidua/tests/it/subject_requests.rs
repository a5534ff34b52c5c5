//! Requests from data subjects (issue 18 §2): registered at the ward with the legal time limits,
//! in the handling officer's work list until answered; an access request answered with everything
//! held on the person and every read of it; a deletion carried out without breaking the audit
//! chain or the recognition decision the person is listed in. Both engines.

use crate::support::{Client, actor, demo_app, demo_app_at, engines, unit_id};
use crate::titles::{file, sheet_of};
use axum::http::StatusCode;
use thidua_app::ports::{PageRequest, PersonSort, ReadChannel, RequestState};
use thidua_app::subject_requests::RequestForm;
use thidua_app::titles::{DecisionForm, SheetTarget};
use thidua_app::{Actor, App, AppError};
use thidua_domain::titles::{Stage, Subject};

fn form(person_id: i64, kind: &str, received_on: &str) -> RequestForm {
    RequestForm {
        person_id,
        kind: kind.into(),
        channel: "desk".into(),
        received_on: received_on.into(),
        detail: "Công dân đến phường đề nghị".into(),
    }
}

/// The person's record with a position written in: an edit that puts the name in the history.
fn with_position(p: &thidua_app::ports::PersonRecord) -> thidua_app::ports::PersonInput {
    thidua_app::ports::PersonInput {
        code: p.code.clone(),
        full_name: p.full_name.clone(),
        birth_year: p.birth_year,
        gender: p.gender,
        unit_id: p.unit_id,
        household_id: p.household_id,
        position: Some("Tổ trưởng tổ dân phố".into()),
    }
}

/// The first citizen (by name) an officer sees.
async fn first_person(app: &App, officer: &Actor) -> i64 {
    app.people(officer, None, None, None, PersonSort::Name, PageRequest::new(1, 1)).await.expect("people").items[0].id
}

/// Ba Đình's first group assesses its citizens for 2025 and the ward recognises them all as
/// «Công dân học tập»: (decision id, the first recognised citizen, that citizen's certificate).
async fn recognised_citizen(app: &App, ward: &Actor) -> (i64, i64, String) {
    let set = app.sets_for_year(2025).await.expect("sets").into_iter().find(|s| s.title == "cong_dan_hoc_tap").expect("citizen set").id;
    let group = unit_id(app, "BD-TDP01").await;
    let table = sheet_of(app, set, group, 0, Subject::Citizen).await;
    app.import_assessments(ward, SheetTarget { criteria_set: set, year: 2025, stage: Stage::Verified }, &table, &file(), false)
        .await
        .expect("import");
    let decision = DecisionForm {
        criteria_set: set,
        year: 2025,
        issuing_unit: unit_id(app, "P-BADINH").await,
        number: "31/QĐ-UBND".into(),
        signed_on: time::macros::date!(2026 - 01 - 20),
        signer: "Vũ Văn Hùng".into(),
        signer_title: "Chủ tịch".into(),
        only: None,
    };
    let id = app.issue_decision(ward, decision).await.expect("decision");
    let view = app.decision(ward, id).await.expect("view");
    let first = &view.items[0].record;
    (id, first.input.subject_id, first.certificate.clone().expect("certificate"))
}

/// The digest of a recognition decision's list as its audit entry recorded it, and as the
/// decision's assessments give it today.
async fn decision_list_digests(app: &App, ward: &Actor, decision: i64) -> (String, String) {
    use sha2::Digest;
    let view = app.decision(ward, decision).await.expect("view");
    let mut ids: Vec<i64> = view.items.iter().map(|i| i.record.id).collect();
    ids.sort();
    let entries = app.store().audit_after(0, 1_000_000).await.expect("audit");
    let issued = entries.iter().rev().find(|a| a.action == "decision.issue" && a.entity_id == decision.to_string()).unwrap_or_else(|| {
        let seen: Vec<(String, String)> =
            entries.iter().filter(|a| a.entity == "decision").map(|a| (a.action.clone(), a.entity_id.clone())).collect();
        panic!("no decision.issue entry for {}: {seen:?}", view.decision.number)
    });
    let recorded: serde_json::Value = serde_json::from_str(issued.new.as_deref().expect("payload")).expect("json");
    let mut h = sha2::Sha256::new();
    for id in &ids {
        h.update(id.to_le_bytes());
    }
    (recorded["assessments"]["sha256_le_ids"].as_str().expect("digest").to_string(), hex::encode(h.finalize()))
}

#[tokio::test]
async fn deleting_a_title_holder_s_data_keeps_the_chain_the_decision_list_and_the_certificate() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let (decision, person_id, certificate) = recognised_citizen(&app, &ward).await;
        let before = app.person(&ward, person_id).await.expect("person");
        let name = before.full_name.clone();
        // An edit, so that the person's history holds the name more than once.
        app.update_person(&ward, person_id, before.version, with_position(&before)).await.expect("edit");
        let digests_before = decision_list_digests(&app, &ward, decision).await;
        assert_eq!(digests_before.0, digests_before.1, "{engine:?}: the list verifies before");

        let today = thidua_domain::dates::format_dmy(app.today());
        let request = app.register_subject_request(&ward, form(person_id, "deletion", &today)).await.expect("registered");
        let version = app.subject_request(&ward, request).await.expect("view").record.version;
        let report = app.erase_on_request(&ward, request, version).await.expect("erased");
        assert!(report.erased_entries >= 1, "{engine:?}: {report:?}");
        assert!(report.outcome.contains("Giữ lại") && report.outcome.contains("phiếu đánh giá"), "{engine:?}: {}", report.outcome);

        let after = app.person(&ward, person_id).await.expect("person");
        assert!(after.full_name.contains("Đã xóa dữ liệu cá nhân"), "{engine:?}: {}", after.full_name);
        assert_eq!((after.birth_year, after.gender, after.position.as_deref()), (None, None, None), "{engine:?}");
        let entries = app.store().audit_after(0, 1_000_000).await.expect("audit");
        let holding: Vec<i64> = entries
            .iter()
            .filter(|a| [&a.old, &a.new].iter().any(|p| p.as_deref().is_some_and(|t| t.contains(&name))))
            .map(|a| a.seq)
            .collect();
        assert!(holding.is_empty(), "{engine:?}: entries {holding:?} still hold «{name}»");
        assert!(app.verify_audit().await.is_ok(), "{engine:?}: {:?}", app.verify_audit().await);
        let digests_after = decision_list_digests(&app, &ward, decision).await;
        assert_eq!(digests_after, digests_before, "{engine:?}: the decision's list is the same list");
        let public = app.verify_certificate(&certificate).await.expect("the certificate still verifies");
        assert_eq!(public.decision_number, "31/QĐ-UBND");
        let closed = app.subject_request(&ward, request).await.expect("view").record;
        assert_eq!(closed.state, RequestState::Done, "{engine:?}");
        assert!(matches!(app.erase_on_request(&ward, request, closed.version).await, Err(AppError::Conflict(_))), "{engine:?}: once");
        let searched = app.people(&ward, None, None, Some(&name), PersonSort::Name, PageRequest::new(1, 50)).await.expect("search");
        assert!(searched.items.iter().all(|p| p.id != person_id), "{engine:?}: the old name no longer finds the person");
    }
}

#[tokio::test]
async fn an_access_request_exports_every_record_and_every_read_of_the_person() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let (_, person_id, _) = recognised_citizen(&app, &ward).await;
        let admin = actor(&app, "admin").await;
        let p = app.person(&ward, person_id).await.expect("person");
        app.update_person(&ward, person_id, p.version, with_position(&p)).await.expect("edit");
        app.read_person(&ward, person_id, ReadChannel::Page).await.expect("read");
        app.read_person(&admin, person_id, ReadChannel::Api).await.expect("read");
        let today = thidua_domain::dates::format_dmy(app.today());
        let request = app.register_subject_request(&ward, form(person_id, "access", &today)).await.expect("registered");
        let export = app.access_export(&ward, request).await.expect("export");
        let sheet = |title: &str| export.value.iter().find(|s| s.title == title).unwrap_or_else(|| panic!("sheet {title}")).clone();
        let person = app.person(&ward, person_id).await.expect("person");
        assert!(sheet("Thông tin cá nhân").rows.iter().any(|r| r[1] == person.full_name), "{engine:?}");
        let titles = sheet("Đánh giá danh hiệu").rows;
        assert!(titles.iter().any(|r| r[0] == "Công dân học tập" && r[1] == "2025" && r[5] == "Đã công nhận"), "{engine:?}: {titles:?}");
        let history = sheet("Lịch sử thay đổi").rows;
        assert!(history.iter().any(|r| r[2] == "Sửa công dân" && r[4].contains("Tổ trưởng")), "{engine:?}: the edit: {history:?}");
        let reads = sheet("Ai đã xem").rows;
        for (user, channel) in [("phuongbadinh", "Trang"), ("admin", "API")] {
            assert!(reads.iter().any(|r| r[1] == user && r[2] == channel), "{engine:?}: {user} via {channel}: {reads:?}");
        }
        // The web offers it as a workbook; the export itself is a read of the person.
        let mut c = Client::new(app.clone());
        c.login("phuongbadinh").await;
        let r = c.get(&format!("/privacy/requests/{request}/access.xlsx")).await;
        assert_eq!(r.status, StatusCode::OK, "{engine:?}");
        assert!(r.body.starts_with(b"PK"), "{engine:?}: an xlsx");
        let export = app.access_export(&ward, request).await.expect("export");
        let reads = &export.value.iter().find(|s| s.title == "Ai đã xem").expect("reads").rows;
        assert!(reads.iter().any(|r| r[2] == "Xuất tệp" && r[4].contains(&format!("yêu cầu số {request}"))), "{engine:?}: {reads:?}");
    }
}

#[tokio::test]
async fn a_request_waits_in_the_ward_s_work_list_with_its_time_limits_until_answered() {
    for engine in engines() {
        // Monday 2 March 2026: acknowledged by Wednesday, an access request answered by 12 March.
        let (app, _db, clock) = demo_app_at(engine, time::macros::datetime!(2026-03-02 02:00 UTC)).await;
        let ward = actor(&app, "phuongbadinh").await;
        let person = first_person(&app, &ward).await;
        let request = app.register_subject_request(&ward, form(person, "access", "02/03/2026")).await.expect("registered");
        let v = app.subject_request(&ward, request).await.expect("view").record;
        assert_eq!((v.draft.acknowledge_by, v.draft.done_by), (time::macros::date!(2026 - 03 - 04), time::macros::date!(2026 - 03 - 12)));
        let due = app.due_items(&ward).await.expect("due");
        let item = due.iter().find(|d| d.link == format!("/privacy/requests/{request}")).expect("in the work list");
        assert!(item.what.starts_with("Xác nhận đã nhận"), "{engine:?}: {}", item.what);
        app.acknowledge_subject_request(&ward, request, v.version).await.expect("acknowledged");
        // Late: the answer's last day has passed.
        clock.set(time::macros::datetime!(2026-03-16 02:00 UTC));
        let due = app.due_items(&ward).await.expect("due");
        let item = due.iter().find(|d| d.link == format!("/privacy/requests/{request}")).expect("still listed");
        assert!(item.what.starts_with("Giải quyết yêu cầu") && item.working_days_left < 0, "{engine:?}: {item:?}");
        let v = app.subject_request(&ward, request).await.expect("view").record;
        let empty = app.close_subject_request(&ward, request, v.version, true, "  ").await;
        assert!(matches!(empty, Err(AppError::Invalid(_))), "{engine:?}: an outcome is required");
        app.close_subject_request(&ward, request, v.version, true, "Đã giao bản dữ liệu cho công dân").await.expect("closed");
        let due = app.due_items(&ward).await.expect("due");
        assert!(due.iter().all(|d| d.link != format!("/privacy/requests/{request}")), "{engine:?}: gone once answered");
    }
}

#[tokio::test]
async fn another_ward_can_neither_register_nor_see_a_request_about_a_ba_dinh_citizen() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let other = actor(&app, "phuonghoankiem").await;
        let person = first_person(&app, &ward).await;
        let refused = app.register_subject_request(&other, form(person, "deletion", "01/12/2026")).await;
        assert!(matches!(refused, Err(AppError::Forbidden)), "{engine:?}: {refused:?}");
        let request = app.register_subject_request(&ward, form(person, "deletion", "01/12/2026")).await.expect("registered");
        assert!(matches!(app.subject_request(&other, request).await, Err(AppError::Forbidden)), "{engine:?}");
        let listed = app.subject_requests(&other, &Default::default(), PageRequest::new(1, 50)).await.expect("list");
        assert!(listed.items.iter().all(|r| r.record.id != request), "{engine:?}");
        assert!(matches!(app.erase_on_request(&other, request, 1).await, Err(AppError::Forbidden)), "{engine:?}");
        // A deletion is closed as done only by carrying it out.
        let closing = app.close_subject_request(&ward, request, 1, true, "xong").await;
        assert!(matches!(closing, Err(AppError::Invalid(_))), "{engine:?}: {closing:?}");
    }
}

#[tokio::test]
async fn a_ward_officer_registers_and_carries_out_a_deletion_from_the_pages() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let person = first_person(&app, &ward).await;
        let name = app.person(&ward, person).await.expect("person").full_name;
        let mut c = Client::new(app.clone());
        c.login("phuongbadinh").await;
        assert!(c.get(&format!("/people/{person}")).await.text().contains(&format!("/people/{person}/privacy-request")), "{engine:?}");
        // A mistyped date keeps what was typed and says what to type.
        let typo = c
            .post_form(
                &format!("/people/{person}/privacy-request"),
                &[("kind", "deletion"), ("channel", "desk"), ("received_on", "31/02/2026")],
            )
            .await;
        assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(typo.text().contains("ngày/tháng/năm") && typo.text().contains("31/02/2026"), "{engine:?}");
        let today = thidua_domain::dates::format_dmy(app.today());
        let r = c
            .post_form(&format!("/people/{person}/privacy-request"), &[("kind", "deletion"), ("channel", "desk"), ("received_on", &today)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}");
        let at = r.headers.get("location").and_then(|v| v.to_str().ok()).expect("to the request").to_string();
        let page = c.get(&at).await.text();
        assert!(page.contains("data-confirm") && page.contains("Xóa dữ liệu cá nhân"), "{engine:?}: the irreversible step asks first");
        let erased = c.post_form(&format!("{at}/erase"), &[("version", "1")]).await;
        assert_eq!(erased.status, StatusCode::SEE_OTHER, "{engine:?}: {}", erased.text());
        let page = c.get(&at).await.text();
        assert!(page.contains("Đã giải quyết") && page.contains("Giữ lại") && !page.contains(&name), "{engine:?}");
    }
}

#[tokio::test]
async fn the_register_and_a_request_s_page_name_the_person_and_are_logged_as_reads() {
    use thidua_app::ports::{ReadFilter, ReadWhat};
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let person = first_person(&app, &ward).await;
        let request = app.register_subject_request(&ward, form(person, "correction", "01/12/2026")).await.expect("registered");
        app.subject_request(&ward, request).await.expect("page");
        app.subject_requests(&ward, &Default::default(), PageRequest::new(1, 50)).await.expect("register");
        let inspector = actor(&app, "kiemtra").await;
        let of = |what: ReadWhat, subject: Option<i64>| ReadFilter {
            what: Some(what),
            subject_id: subject,
            username: Some("phuongbadinh".into()),
            unit: None,
        };
        let person_reads = app.reads(&inspector, &of(ReadWhat::Person, Some(person)), PageRequest::new(1, 10)).await.expect("reads").items;
        assert!(person_reads.iter().any(|r| r.read.detail == format!("yêu cầu số {request}")), "{engine:?}: {person_reads:?}");
        let lists = app.reads(&inspector, &of(ReadWhat::People, None), PageRequest::new(1, 10)).await.expect("reads").items;
        assert!(lists.iter().any(|r| r.read.detail == "sổ yêu cầu về dữ liệu cá nhân" && r.read.rows == 1), "{engine:?}: {lists:?}");
    }
}
