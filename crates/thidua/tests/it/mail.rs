//! E-mail reminders over a real SMTP conversation with a local sink, on SQLite and PostgreSQL:
//! the reminder before the final review's deadline, the overdue notice with the escalation to the
//! ward's head, retries when the server refuses, and two servers flushing the outbox at once.

use crate::smtp_sink::Sink;
use crate::support::{Engine, ManualClock, TestDb, actor, demo_app, engines, unit_id};
use std::sync::Arc;
use thidua::mail::SmtpSender;
use thidua_app::mail::{Delivery, MAX_ATTEMPTS};
use thidua_app::ports::{MailDraft, PageRequest};
use thidua_app::{App, AppConfig};
use time::Duration;
use time::macros::datetime;

const OFFICER: &str = "thang.vd@badinh.hanoi.gov.vn";
const HEAD: &str = "chutich@badinh.hanoi.gov.vn";

/// The demo city seen on Wednesday 12/06/2030 at 09:00 in Hanoi (the final review's proposals
/// are due before Saturday 15/06), Ba Đình's officer with an address, and the ward's head.
async fn city(engine: Engine) -> (App, TestDb, Arc<ManualClock>, Sink, SmtpSender) {
    let (app, db) = demo_app(engine).await;
    drop(app);
    let store = thidua_storage::connect(&db.url, 4).await.expect("connect");
    let clock = Arc::new(ManualClock::at(datetime!(2030-06-12 02:00 UTC)));
    let config = AppConfig { public_url: "https://thidua.hanoi.gov.vn".into(), ..AppConfig::default() };
    let app = App::new(Arc::new(store), clock.clone(), config);
    app.sync_shipped_campaigns().await.expect("campaigns");
    let admin = actor(&app, "admin").await;
    let ward = actor(&app, "phuongbadinh").await;
    app.set_user_contact(&ward, ward.user_id, &format!("  {OFFICER} "), None).await.expect("the officer sets their own address");
    let head = app
        .create_user(Some(&admin), "chutichbadinh", "Nguyễn Hữu Chính", "mật-khẩu-đủ-dài-2030", unit_id(&app, "P-BADINH").await)
        .await
        .expect("head");
    app.set_user_contact(&admin, head, HEAD, Some(true)).await.expect("the administrator marks the head");
    let sink = Sink::start().await;
    let sender = SmtpSender::new(&sink.url(), "Hệ thống thidua <no-reply@thidua.hanoi.gov.vn>").expect("sender");
    (app, db, clock, sink, sender)
}

#[tokio::test]
async fn the_officer_is_reminded_once_by_mail_before_the_deadline() {
    for engine in engines() {
        let (app, _db, _clock, sink, sender) = city(engine).await;
        assert_eq!(app.plan_reminders().await.expect("plan"), 1, "{engine:?}: one task within 3 working days");
        assert_eq!(app.plan_reminders().await.expect("plan"), 0, "{engine:?}: planning again queues nothing new");
        assert_eq!(app.deliver_mail(&sender, 50).await.expect("deliver"), Delivery { sent: 1, retried: 0, gave_up: 0 });
        assert_eq!(app.deliver_mail(&sender, 50).await.expect("deliver"), Delivery::default(), "{engine:?}: sent once");
        let got = sink.received();
        assert_eq!(got.len(), 1, "{engine:?}");
        let m = &got[0];
        assert_eq!(m.to, vec![OFFICER.to_string()]);
        assert_eq!(m.from, "no-reply@thidua.hanoi.gov.vn");
        // Wednesday 12/06 → the last day allowed, Friday 14/06: two working days left.
        assert_eq!(m.subject(), "[thidua] Còn 2 ngày làm việc: Gửi hồ sơ đề nghị khen thưởng cấp Nhà nước đến Sở GD&ĐT", "{engine:?}");
        assert!(m.body.starts_with("Kính gửi Vũ Đức Thắng (UBND phường Ba Đình),"), "{}", m.body);
        assert!(m.body.contains("Hạn: trước ngày 15/06/2030"), "{}", m.body);
        assert!(m.body.contains("https://thidua.hanoi.gov.vn/awards/campaigns/"), "{}", m.body);
        let outbox = app.mail_outbox(&actor(&app, "admin").await, PageRequest::new(1, 20)).await.expect("outbox");
        assert_eq!(outbox.total, 1);
        assert!(outbox.items[0].sent_at_ms.is_some() && outbox.items[0].attempts == 1);
    }
}

#[tokio::test]
async fn after_the_deadline_the_head_of_the_ward_hears_of_it() {
    for engine in engines() {
        let (app, _db, clock, sink, sender) = city(engine).await;
        // Tuesday 18/06/2030: the proposals were due before 15/06 (last day Friday 14/06) and none was
        // sent: Monday and Tuesday are two working days late.
        clock.set(datetime!(2030-06-18 02:00 UTC));
        assert_eq!(app.plan_reminders().await.expect("plan"), 2, "{engine:?}: the officer's notice and the head's escalation");
        assert_eq!(app.deliver_mail(&sender, 50).await.expect("deliver").sent, 2);
        let got = sink.received();
        let to_head = got.iter().find(|m| m.to == vec![HEAD.to_string()]).expect("the head got a mail");
        assert_eq!(to_head.subject(), "[thidua] Phường Ba Đình quá hạn: Gửi hồ sơ đề nghị khen thưởng cấp Nhà nước đến Sở GD&ĐT");
        assert!(to_head.body.starts_with("Kính gửi Nguyễn Hữu Chính, thủ trưởng Phường Ba Đình,"), "{}", to_head.body);
        assert!(to_head.body.contains("Đã quá hạn 2 ngày làm việc"), "{}", to_head.body);
        let to_officer = got.iter().find(|m| m.to == vec![OFFICER.to_string()]).expect("the officer got a mail");
        assert_eq!(to_officer.subject(), "[thidua] Quá hạn: Gửi hồ sơ đề nghị khen thưởng cấp Nhà nước đến Sở GD&ĐT");
        clock.advance(Duration::days(1));
        assert_eq!(app.plan_reminders().await.expect("plan"), 0, "{engine:?}: one escalation, not one a day");
    }
}

#[tokio::test]
async fn a_refused_mail_is_retried_later_and_kept_with_its_error_when_given_up() {
    for engine in engines() {
        let (app, _db, clock, sink, sender) = city(engine).await;
        sink.refuse(OFFICER, true);
        app.plan_reminders().await.expect("plan");
        assert_eq!(app.deliver_mail(&sender, 50).await.expect("deliver"), Delivery { sent: 0, retried: 1, gave_up: 0 });
        let admin = actor(&app, "admin").await;
        let row = app.mail_outbox(&admin, PageRequest::new(1, 5)).await.expect("outbox").items.remove(0);
        assert_eq!(row.attempts, 1);
        assert!(row.last_error.as_deref().is_some_and(|e| e.contains("550")), "{:?}", row.last_error);
        assert_eq!(app.deliver_mail(&sender, 50).await.expect("deliver"), Delivery::default(), "{engine:?}: not before its time");
        clock.advance(Duration::minutes(6));
        sink.refuse(OFFICER, false);
        assert_eq!(app.deliver_mail(&sender, 50).await.expect("deliver").sent, 1, "{engine:?}: the retry goes through");
        assert_eq!(sink.received().len(), 1);

        // An address the server never accepts: given up after the last attempt, kept.
        sink.refuse("nobody@badinh.hanoi.gov.vn", true);
        let draft = MailDraft {
            dedupe_key: "test:nobody".into(),
            kind: "reminder".into(),
            user_id: None,
            to: "nobody@badinh.hanoi.gov.vn".into(),
            subject: "Thử".into(),
            body: "Thử".into(),
        };
        app.store().enqueue_mail(&[draft], audit(&app)).await.expect("enqueue");
        let mut total = Delivery::default();
        for _ in 0..MAX_ATTEMPTS {
            let d = app.deliver_mail(&sender, 50).await.expect("deliver");
            total.retried += d.retried;
            total.gave_up += d.gave_up;
            clock.advance(Duration::hours(4));
        }
        assert_eq!((total.retried, total.gave_up), (MAX_ATTEMPTS as u64 - 1, 1), "{engine:?}");
        let row = app.mail_outbox(&admin, PageRequest::new(1, 5)).await.expect("outbox").items.remove(0);
        assert!(row.gave_up_at_ms.is_some() && row.sent_at_ms.is_none() && row.last_error.is_some(), "{row:?}");
        assert_eq!(app.deliver_mail(&sender, 50).await.expect("deliver"), Delivery::default(), "no attempt after giving up");
    }
}

#[tokio::test]
async fn two_servers_flushing_the_outbox_at_once_send_each_mail_once() {
    for engine in engines() {
        let (app, _db, _clock, sink, sender) = city(engine).await;
        let drafts: Vec<MailDraft> = (0..24)
            .map(|i| MailDraft {
                dedupe_key: format!("test:{i}"),
                kind: "reminder".into(),
                user_id: None,
                to: format!("canbo{i}@hanoi.gov.vn"),
                subject: format!("Nhắc việc {i}"),
                body: "Nội dung".into(),
            })
            .collect();
        assert_eq!(app.store().enqueue_mail(&drafts, audit(&app)).await.expect("enqueue"), 24);
        let other = SmtpSender::new(&sink.url(), "no-reply@thidua.hanoi.gov.vn").expect("sender");
        let (a, b) = tokio::join!(app.deliver_mail(&sender, 24), app.deliver_mail(&other, 24));
        let (a, b) = (a.expect("first"), b.expect("second"));
        assert_eq!(a.sent + b.sent, 24, "{engine:?}: {a:?} {b:?}");
        let mut to: Vec<String> = sink.received().into_iter().flat_map(|m| m.to).collect();
        to.sort();
        to.dedup();
        assert_eq!(to.len(), 24, "{engine:?}: every address once");
        assert_eq!(sink.received().len(), 24, "{engine:?}: no mail twice");
    }
}

#[tokio::test]
async fn an_address_that_is_not_one_is_refused_and_only_administrators_mark_a_head() {
    let (app, _db, _clock, _sink, _sender) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let err = app.set_user_contact(&ward, ward.user_id, "thang.badinh.hanoi.gov.vn", None).await.expect_err("no @");
    assert!(err.to_string().contains("thiếu dấu @"), "{err}");
    let err = app.set_user_contact(&ward, ward.user_id, OFFICER, Some(true)).await.expect_err("not an administrator");
    assert!(matches!(err, thidua_app::AppError::Forbidden), "{err:?}");
    let other = app.store().user_by_username("phuonghoankiem").await.expect("q").expect("user");
    assert!(app.set_user_contact(&ward, other.id, "x@hanoi.gov.vn", None).await.is_err(), "nor another user's address");
}

fn audit(app: &App) -> thidua_app::ports::AuditDraft {
    thidua_app::ports::AuditDraft {
        actor: "test".into(),
        on_behalf_of: None,
        action: "mail.queue".into(),
        entity: "mail_outbox".into(),
        entity_id: "test".into(),
        unit_id: None,
        old: None,
        new: None,
        at_ms: (app.now().unix_timestamp_nanos() / 1_000_000) as i64,
        proof: thidua_app::Authorized::for_tests(),
    }
}

#[tokio::test]
async fn the_administrator_sets_addresses_on_the_user_page_and_reads_the_outbox() {
    let (app, _db, _clock, _sink, sender) = city(Engine::Sqlite).await;
    let mut admin = crate::support::Client::new(app.clone());
    admin.login("admin").await;
    let lan = app.store().user_by_username("phuonghoankiem").await.expect("q").expect("user");
    let path = format!("/admin/users/{}/contact", lan.id);
    let page = admin.post_form(&path, &[("email", "lan.dt@HoanKiem.Hanoi.gov.vn"), ("unit_head", "1")]).await.text();
    assert!(page.contains("Đã lưu địa chỉ thư điện tử."), "{page}");
    let stored = app.store().user(lan.id).await.expect("q").expect("user");
    assert_eq!((stored.email.as_deref(), stored.unit_head), (Some("lan.dt@hoankiem.hanoi.gov.vn"), true));
    let page = admin.post_form(&path, &[("email", "lan.dt hoankiem")]).await.text();
    assert!(page.contains("thiếu dấu @"), "the reason is shown");
    assert_eq!(app.store().user(lan.id).await.expect("q").expect("user").email, stored.email, "nothing changed");

    app.plan_reminders().await.expect("plan");
    let outbox = admin.get("/admin/mail").await.text();
    assert!(outbox.contains("Nhắc trước hạn") && outbox.contains(OFFICER) && outbox.contains("Chờ gửi"), "{outbox}");
    app.deliver_mail(&sender, 10).await.expect("deliver");
    assert!(admin.get("/admin/mail").await.text().contains("Đã gửi 12/06/2030"));

    let mut ward = crate::support::Client::new(app.clone());
    ward.login("phuongbadinh").await;
    assert!(ward.get("/account").await.text().contains(OFFICER), "the officer sees their address");
    ward.post_form("/account/email", &[("email", "")]).await;
    let me = app.store().user_by_username("phuongbadinh").await.expect("q").expect("user");
    assert_eq!(me.email, None, "an empty address stops the mail");
}

#[tokio::test]
async fn a_late_data_request_reaches_the_head_of_the_ward() {
    for engine in engines() {
        let (app, _db, _clock, sink, sender) = city(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let person =
            app.people(&ward, None, None, None, thidua_app::ports::PersonSort::Name, PageRequest::new(1, 1)).await.expect("people").items
                [0]
            .id;
        // Received Monday 20/05/2030, never acknowledged: the two working days ran out on 22/05.
        let form = thidua_app::subject_requests::RequestForm {
            person_id: person,
            kind: "access".into(),
            channel: "writing".into(),
            received_on: "20/05/2030".into(),
            detail: String::new(),
        };
        let request = app.register_subject_request(&ward, form).await.expect("registered");
        app.plan_reminders().await.expect("plan");
        app.deliver_mail(&sender, 50).await.expect("deliver");
        let got = sink.received();
        let what = format!("Xác nhận đã nhận yêu cầu số {request}");
        let to_head = got.iter().find(|m| m.to == vec![HEAD.to_string()] && m.subject().contains(&what));
        let subjects: Vec<String> = got.iter().map(|m| m.subject().to_string()).collect();
        let to_head = to_head.unwrap_or_else(|| panic!("{engine:?}: no escalation of the request: {subjects:?}"));
        assert!(to_head.subject().starts_with("[thidua] Phường Ba Đình quá hạn:"), "{engine:?}: {}", to_head.subject());
        assert!(to_head.body.contains(&format!("/privacy/requests/{request}")), "{}", to_head.body);
    }
}
