//! Who looked at whom (issue 18 §4): reading a citizen's or a household's page, a list, an
//! export or the API is logged before the data is shown, and the inspector of the records'
//! units finds it; a read that cannot be logged is not shown. Both engines.

use crate::support::{Client, actor, demo_app, engines, unit_id};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use thidua_app::ports::{PageRequest, PersonSort, ReadChannel, ReadFilter, ReadRecord, ReadWhat};
use thidua_app::{Actor, App, AppError};
use thidua_domain::access::{Grant, Role};

/// The first citizen (by name) an officer sees.
async fn first_person(app: &App, officer: &Actor) -> (i64, i64) {
    let page = app.people(officer, None, None, None, PersonSort::Name, PageRequest::new(1, 1)).await.expect("people");
    let p = page.items.first().expect("a citizen");
    (p.id, p.unit_id)
}

async fn reads(app: &App, filter: ReadFilter) -> Vec<ReadRecord> {
    let inspector = actor(app, "kiemtra").await;
    app.reads(&inspector, &filter, PageRequest::new(1, 100)).await.expect("reads").items
}

/// An inspector whose grant covers one ward only.
async fn ward_inspector(app: &App, ward: i64) -> Actor {
    Actor { grants: vec![Grant::new(Role::Auditor, ward, true)], ..actor(app, "phuongbadinh").await }
}

#[tokio::test]
async fn opening_a_citizen_s_page_is_logged_and_the_inspector_finds_who_opened_it() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let (person, unit) = first_person(&app, &officer).await;
        let filter = ReadFilter { what: Some(ReadWhat::Person), subject_id: Some(person), ..Default::default() };
        assert!(reads(&app, filter.clone()).await.is_empty(), "{engine:?}: nobody has read it yet");
        let mut c = Client::new(app.clone());
        c.login("phuongbadinh").await;
        assert_eq!(c.get(&format!("/people/{person}")).await.status, StatusCode::OK, "{engine:?}");
        let logged = reads(&app, filter).await;
        assert_eq!(logged.len(), 1, "{engine:?}: {logged:?}");
        let r = &logged[0].read;
        assert_eq!((r.username.as_str(), r.channel, r.unit_id, r.rows), ("phuongbadinh", ReadChannel::Page, Some(unit), 1), "{engine:?}");
        // The inspector's page lists it, and the citizen's page links the inspector there.
        let mut inspector = Client::new(app.clone());
        inspector.login("kiemtra").await;
        let page = inspector.get(&format!("/people/{person}")).await.text();
        let link = format!("/audit/reads?what=person&#38;subject={person}");
        assert!(page.contains(&link), "{engine:?}: the inspector is offered the record's read log");
        let log = inspector.get(&format!("/audit/reads?what=person&subject={person}")).await;
        assert_eq!(log.status, StatusCode::OK, "{engine:?}");
        assert!(log.text().contains("phuongbadinh") && log.text().contains("kiemtra"), "{engine:?}: both reads are listed");
        assert!(!c.get(&format!("/people/{person}")).await.text().contains("/audit/reads"), "{engine:?}: not offered to the officer");
    }
}

#[tokio::test]
async fn a_list_an_export_and_the_api_log_what_they_showed_and_how_many_rows() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let mut c = Client::new(app.clone());
        c.login("phuongbadinh").await;
        assert_eq!(c.get("/people?q=nguyen").await.status, StatusCode::OK, "{engine:?}");
        let export = c.get("/people/export.csv?q=nguyen").await;
        let exported = thidua_documents::read_table(&export.body, 100_000).expect("a valid CSV").rows.len() as i64;
        let token = app.create_api_token(&officer, "đọc", &Default::default()).await.expect("token");
        let api = Request::get("/api/v1/people?q=nguyen").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty());
        let listed = c.send(api.expect("request")).await.json()["items"].as_array().map_or(0, Vec::len) as i64;
        let logged =
            reads(&app, ReadFilter { what: Some(ReadWhat::People), username: Some("phuongbadinh".into()), ..Default::default() }).await;
        let of =
            |channel| logged.iter().filter(|r| r.read.channel == channel).map(|r| (r.read.rows, r.read.detail.clone())).collect::<Vec<_>>();
        assert_eq!(of(ReadChannel::Export), vec![(exported, "tìm «nguyen»".to_string())], "{engine:?}");
        assert_eq!(of(ReadChannel::Api), vec![(listed, "tìm «nguyen»".to_string())], "{engine:?}");
        assert_eq!(of(ReadChannel::Page).len(), 1, "{engine:?}: the list page");
        assert!(exported > 0 && listed > 0, "{engine:?}: the demo has citizens named Nguyễn");
    }
}

#[tokio::test]
async fn an_inspector_of_one_ward_sees_the_reads_of_its_records_and_not_another_ward_s() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let (ba_dinh, hoan_kiem) = (unit_id(&app, "P-BADINH").await, unit_id(&app, "P-HOANKIEM").await);
        let (ours, _) = first_person(&app, &actor(&app, "phuongbadinh").await).await;
        let (theirs, _) = first_person(&app, &actor(&app, "phuonghoankiem").await).await;
        let doet = actor(&app, "sogd").await;
        for id in [ours, theirs] {
            app.read_person(&doet, id, ReadChannel::Api).await.expect("read");
        }
        // The ward officer lists their whole ward, without naming it: logged under the ward.
        let officer = actor(&app, "phuongbadinh").await;
        app.read_people(&officer, ReadChannel::Page, None, None, None, PersonSort::Name, PageRequest::new(1, 5)).await.expect("list");
        let inspector = ward_inspector(&app, ba_dinh).await;
        let seen = app.reads(&inspector, &ReadFilter::default(), PageRequest::new(1, 100)).await.expect("reads");
        let what: Vec<(ReadWhat, Option<i64>, Option<i64>)> =
            seen.items.iter().map(|r| (r.read.what, r.read.subject_id, r.read.unit_id)).collect();
        assert_eq!(what, vec![(ReadWhat::People, None, Some(ba_dinh)), (ReadWhat::Person, Some(ours), what[1].2)], "{engine:?}");
        let other = ReadFilter { unit: Some(hoan_kiem), ..Default::default() };
        assert!(matches!(app.reads(&inspector, &other, PageRequest::new(1, 10)).await, Err(AppError::Forbidden)), "{engine:?}");
        // An officer without the audit role reads no log at all.
        let none = app.reads(&officer, &ReadFilter::default(), PageRequest::new(1, 10)).await.expect("an empty scope");
        assert!(none.items.is_empty(), "{engine:?}");
    }
}

#[tokio::test]
async fn a_read_that_cannot_be_logged_is_refused_and_nothing_is_shown() {
    for engine in engines() {
        let (app, db) = demo_app(engine).await;
        let (person, _) = first_person(&app, &actor(&app, "phuongbadinh").await).await;
        let mut c = Client::new(app.clone());
        c.login("phuongbadinh").await;
        let name = app.person(&actor(&app, "phuongbadinh").await, person).await.expect("person").full_name;
        let direct = thidua_storage::connect(&db.url, 1).await.expect("connect");
        sqlx::Executor::execute(direct.pool(), "ALTER TABLE read_log RENAME TO read_log_away").await.expect("rename");
        let r = c.get(&format!("/people/{person}")).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{engine:?}");
        assert!(r.text().contains("nhật ký truy cập") && !r.text().contains(&name), "{engine:?}: refused in Vietnamese, unshown");
        let api = Request::get(format!("/api/v1/people/{person}")).body(Body::empty()).expect("request");
        assert_eq!(c.send(api).await.status, StatusCode::SERVICE_UNAVAILABLE, "{engine:?}: the API too");
        sqlx::Executor::execute(direct.pool(), "ALTER TABLE read_log_away RENAME TO read_log").await.expect("rename back");
        assert_eq!(c.get(&format!("/people/{person}")).await.status, StatusCode::OK, "{engine:?}: and shown again once it can");
    }
}

#[tokio::test]
async fn birth_year_and_gender_are_shown_to_who_keeps_or_inspects_the_registry_and_not_to_the_council() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let page = app.people(&officer, None, None, None, PersonSort::Name, PageRequest::new(1, 50)).await.expect("people");
        let p = page.items.iter().find(|p| p.birth_year.is_some() && p.gender.is_some()).expect("a citizen with both");
        for (who, shown) in
            [("phuongbadinh", true), ("kiemtra", true), ("sogd", true), ("hoidong", false), ("vpubnd", false), ("btdkt", false)]
        {
            let reader = actor(&app, who).await;
            let seen = app.read_person(&reader, p.id, ReadChannel::Page).await.expect("read");
            assert_eq!(seen.birth_year.is_some() && seen.gender.is_some(), shown, "{engine:?}: {who}");
            let list = app
                .read_people(&reader, ReadChannel::Export, Some(p.unit_id), None, None, PersonSort::Name, PageRequest::new(1, 500))
                .await;
            let row = list.expect("list").items.into_iter().find(|r| r.id == p.id).expect("listed");
            assert_eq!(row.birth_year.is_some(), shown, "{engine:?}: {who} in a list or an export");
        }
    }
}
