//! Two-step sign-in (issue 18 §6), on both engines: who must use it, a code accepted once, the
//! recovery codes, the throttle, a waiting session that opens nothing, an administrator's reset
//! after a lost phone, the user's own sessions.

use crate::support::{Client, Engine, PASSWORD, PHONE_SECRET, csrf_of, engines, hidden_value};
use axum::http::StatusCode;
use thidua_app::AppError;
use thidua_app::ports::SessionStage;
use thidua_app::second_factor::{Origin, SignIn, authenticator_code};
use thidua_domain::access::Role;
use time::Duration;

const AT: Origin<'static> = Origin { address: "10.0.0.7", user_agent: "test", device: "" };

fn code(secret: &str, at: time::OffsetDateTime) -> String {
    authenticator_code(secret, at).expect("code").0
}

/// The demo city on `engine`, its clock set an hour from now.
async fn city(engine: Engine) -> (thidua_app::App, crate::support::TestDb, std::sync::Arc<crate::support::ManualClock>) {
    crate::support::demo_app_at(engine, time::OffsetDateTime::now_utc() + Duration::hours(1)).await
}

/// Signs in with the password; the waiting session's token.
async fn password(app: &thidua_app::App, user: &str, stage: SessionStage) -> String {
    match app.login(user, PASSWORD, "10.0.0.7").await.expect("password accepted") {
        SignIn::Waiting(s, got) if got == stage => s.token,
        other => panic!("{user}: expected a session waiting for {stage:?}, got {other:?}"),
    }
}

/// A new DOET officer over the whole city, without an authenticator yet.
async fn new_city_officer(app: &thidua_app::App, username: &str) -> i64 {
    let city = crate::support::unit_id(app, "HN").await;
    let id = app.create_user(None, username, "Ngô Thị Thu", PASSWORD, city).await.expect("user");
    app.grant(None, id, Role::DoetOfficer, city, true).await.expect("grant");
    id
}

#[tokio::test]
async fn a_code_from_the_phone_signs_in_once_and_a_wrong_or_reused_code_does_not() {
    for engine in engines() {
        let (app, _db, clock) = city(engine).await;
        let waiting = password(&app, "sogd", SessionStage::Code).await;
        // The waiting session opens nothing yet.
        assert!(matches!(app.session_actor(&waiting).await, Err(AppError::Unauthenticated)), "{engine:?}");
        let now = app.now();
        let right = code(PHONE_SECRET, now);
        let wrong = if right == "000000" { "111111" } else { "000000" };
        assert!(matches!(app.second_step(&waiting, wrong, AT).await, Err(AppError::Invalid(_))), "{engine:?}");
        let (actor, session) = app.second_step(&waiting, &right, AT).await.expect("the right code signs in");
        assert_eq!(actor.username, "sogd");
        assert!(app.session_actor(&session.token).await.is_ok(), "{engine:?}: a full session under a new token");
        assert!(matches!(app.session_actor(&waiting).await, Err(AppError::Unauthenticated)), "{engine:?}: the waiting token is gone");
        // The same code again (someone who saw it over the shoulder) is refused.
        let again = password(&app, "sogd", SessionStage::Code).await;
        assert!(matches!(app.second_step(&again, &right, AT).await, Err(AppError::Invalid(_))), "{engine:?}: a code is used once");
        // Thirty seconds later, the phone's next code passes.
        clock.advance(Duration::seconds(30));
        app.second_step(&again, &code(PHONE_SECRET, app.now()), AT).await.expect("the next code signs in");
    }
}

#[tokio::test]
async fn two_sign_ins_with_the_same_code_at_the_same_moment_pass_once() {
    for engine in engines() {
        let (app, _db, _clock) = city(engine).await;
        let a = password(&app, "btdkt", SessionStage::Code).await;
        let b = password(&app, "btdkt", SessionStage::Code).await;
        let c = code(PHONE_SECRET, app.now());
        let (x, y) = tokio::join!(app.second_step(&a, &c, AT), app.second_step(&b, &c, AT));
        assert_eq!([x.is_ok(), y.is_ok()].iter().filter(|ok| **ok).count(), 1, "{engine:?}");
    }
}

#[tokio::test]
async fn a_city_wide_officer_sets_up_an_authenticator_before_anything_opens_and_cannot_turn_it_off() {
    for engine in engines() {
        let (app, _db, clock) = city(engine).await;
        new_city_officer(&app, "sogd.thu").await;
        let waiting = password(&app, "sogd.thu", SessionStage::Enrol).await;
        assert!(matches!(app.session_actor(&waiting).await, Err(AppError::Unauthenticated)), "{engine:?}");
        // The code step is not the set-up step: nothing skips it.
        assert!(matches!(app.second_step(&waiting, "123456", AT).await, Err(AppError::Unauthenticated)), "{engine:?}");
        let enrolment = app.new_enrolment("sogd.thu").expect("secret");
        assert!(enrolment.uri.starts_with("otpauth://totp/") && enrolment.uri.contains(&enrolment.secret), "{}", enrolment.uri);
        let wrong = app.enrol_waiting(&waiting, &enrolment.secret, "000000", AT).await;
        if code(&enrolment.secret, app.now()) != "000000" {
            assert!(matches!(wrong, Err(AppError::Invalid(_))), "{engine:?}: {wrong:?}");
        }
        let (session, codes) =
            app.enrol_waiting(&waiting, &enrolment.secret, &code(&enrolment.secret, app.now()), AT).await.expect("set up");
        assert_eq!(codes.len(), 10);
        let (actor, _) = app.session_actor(&session.token).await.expect("signed in");
        let status = app.second_factor_status(&actor).await.expect("status");
        assert!(status.since.is_some() && status.required.is_some() && status.recovery_left == 10, "{engine:?}: {status:?}");
        clock.advance(Duration::seconds(30));
        let off = app.turn_off_second_factor(&actor, &code(&enrolment.secret, app.now())).await;
        assert!(matches!(off, Err(AppError::Invalid(ref m)) if m.contains("bắt buộc")), "{engine:?}: {off:?}");
        // The next sign-in asks for a code.
        password(&app, "sogd.thu", SessionStage::Code).await;
    }
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_and_new_ones_replace_the_old() {
    for engine in engines() {
        let (app, _db, clock) = city(engine).await;
        new_city_officer(&app, "sogd.lan").await;
        let waiting = password(&app, "sogd.lan", SessionStage::Enrol).await;
        let secret = app.new_enrolment("sogd.lan").expect("secret").secret;
        let (_, codes) = app.enrol_waiting(&waiting, &secret, &code(&secret, app.now()), AT).await.expect("set up");
        // The phone is lost: a recovery code, typed in lower case without its dash.
        let typed = codes[3].replace('-', "").to_lowercase();
        let w = password(&app, "sogd.lan", SessionStage::Code).await;
        let (actor, _) = app.second_step(&w, &typed, AT).await.expect("a recovery code signs in");
        assert_eq!(app.second_factor_status(&actor).await.expect("status").recovery_left, 9);
        let w = password(&app, "sogd.lan", SessionStage::Code).await;
        assert!(matches!(app.second_step(&w, &codes[3], AT).await, Err(AppError::Invalid(_))), "{engine:?}: used once");
        // New codes (after a current code) replace every old one.
        clock.advance(Duration::seconds(30));
        let fresh = app.new_recovery_codes(&actor, &code(&secret, app.now())).await.expect("new codes");
        assert_eq!(app.second_factor_status(&actor).await.expect("status").recovery_left, 10);
        assert!(matches!(app.second_step(&w, &codes[0], AT).await, Err(AppError::Invalid(_))), "{engine:?}: an old code is void");
        app.second_step(&w, &fresh[0], AT).await.expect("a new code signs in");
    }
}

#[tokio::test]
async fn wrong_codes_slow_the_second_step_down_and_are_audited() {
    for engine in engines() {
        let (app, _db, clock) = city(engine).await;
        let w = password(&app, "hoidong", SessionStage::Code).await;
        let right = code(PHONE_SECRET, app.now());
        let wrong = if right == "999999" { "888888" } else { "999999" };
        for _ in 0..5 {
            assert!(matches!(app.second_step(&w, wrong, AT).await, Err(AppError::Invalid(_))), "{engine:?}");
        }
        // The sixth try waits, even with the right code.
        assert!(matches!(app.second_step(&w, &right, AT).await, Err(AppError::Throttled(_))), "{engine:?}");
        clock.advance(Duration::seconds(3));
        app.second_step(&w, &code(PHONE_SECRET, app.now()), AT).await.expect("after the wait");
        let auditor = crate::support::actor(&app, "kiemtra").await;
        let filter = thidua_app::ports::AuditFilter { action: Some("auth.second_factor_failed".into()), ..Default::default() };
        let page = app.audit_page(&auditor, &filter, thidua_app::ports::PageRequest::new(1, 10)).await.expect("audit");
        assert_eq!(page.total, 5, "{engine:?}");
    }
}

#[tokio::test]
async fn an_administrator_resets_a_lost_phone_the_users_sessions_end_and_the_next_sign_in_sets_up_anew() {
    for engine in engines() {
        let (app, _db, _clock) = city(engine).await;
        let w = password(&app, "vpubnd", SessionStage::Code).await;
        let (user, session) = app.second_step(&w, &code(PHONE_SECRET, app.now()), AT).await.expect("signed in");
        let ward_officer = crate::support::actor(&app, "phuongbadinh").await;
        let r = app.reset_second_factor(Some(&ward_officer), user.user_id).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "{engine:?}: only an administrator of the user's unit: {r:?}");
        let admin = crate::support::actor(&app, "admin").await;
        app.reset_second_factor(Some(&admin), user.user_id).await.expect("reset");
        assert!(matches!(app.session_actor(&session.token).await, Err(AppError::Unauthenticated)), "{engine:?}");
        password(&app, "vpubnd", SessionStage::Enrol).await;
    }
}

#[tokio::test]
async fn a_ward_officer_may_turn_two_step_sign_in_on_and_off() {
    for engine in engines() {
        let (app, _db, clock) = city(engine).await;
        let (officer, _) = app.login("phuonghoankiem", PASSWORD, "x").await.expect("login").signed_in().expect("one step");
        assert!(app.second_factor_status(&officer).await.expect("status").required.is_none());
        let secret = app.new_enrolment("phuonghoankiem").expect("secret").secret;
        app.enrol(&officer, &secret, &code(&secret, app.now())).await.expect("on");
        password(&app, "phuonghoankiem", SessionStage::Code).await;
        clock.advance(Duration::seconds(30));
        app.turn_off_second_factor(&officer, &code(&secret, app.now())).await.expect("off");
        assert!(matches!(app.login("phuonghoankiem", PASSWORD, "x").await, Ok(SignIn::Done(..))), "{engine:?}");
    }
}

#[tokio::test]
async fn the_rule_can_be_lifted_for_an_installation_but_an_authenticator_set_up_is_still_asked_for() {
    let db = crate::support::TestDb::demo(Engine::Sqlite).await;
    let store = thidua_storage::connect(&db.url, 2).await.expect("connect");
    let config = thidua_app::AppConfig { require_second_factor: false, ..Default::default() };
    let app = thidua_app::App::new(std::sync::Arc::new(store), std::sync::Arc::new(thidua_app::SystemClock), config);
    new_city_officer(&app, "sogd.minh").await;
    assert!(matches!(app.login("sogd.minh", PASSWORD, "x").await, Ok(SignIn::Done(..))));
    password(&app, "sogd", SessionStage::Code).await;
}

#[tokio::test]
async fn through_the_pages_a_waiting_sign_in_opens_no_page_and_no_api_until_its_code() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let mut c = Client::new(app.clone());
        let page = c.get("/login").await;
        let r = c
            .post_form("/login", &[("_csrf", &csrf_of(&page.text())), ("username", "kiemtra"), ("password", PASSWORD), ("next", "/audit")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/login/2fa?next=%2Faudit", "{engine:?}");
        assert!(!c.cookies.iter().any(|(k, _)| k == "thidua_session"), "{engine:?}: no session cookie yet");
        // The waiting token, put where a session goes, opens nothing.
        let waiting = c.cookies.iter().find(|(k, _)| k == "thidua_waiting").map(|(_, v)| v.clone()).expect("waiting cookie");
        let mut thief = Client::new(app.clone());
        thief.cookies.push(("thidua_session".into(), waiting));
        assert_eq!(thief.get("/audit").await.status, StatusCode::SEE_OTHER, "{engine:?}");
        assert_eq!(thief.get("/api/v1/households").await.status, StatusCode::UNAUTHORIZED, "{engine:?}");
        // The page asks for the code, and a wrong one says so.
        let step = c.get("/login/2fa?next=%2Faudit").await;
        assert!(step.text().contains("Xác thực hai bước") && step.text().contains("Hoàng Văn Sơn"), "{engine:?}");
        let csrf = csrf_of(&step.text());
        let right = code(PHONE_SECRET, app.now());
        let wrong = if right == "000000" { "111111" } else { "000000" };
        let r = c.post_form("/login/2fa", &[("_csrf", &csrf), ("code", wrong), ("next", "/audit")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(r.text().contains("không đúng"), "{engine:?}");
        let r = c.post_form("/login/2fa", &[("_csrf", &csrf), ("code", &right), ("next", "/audit")]).await;
        assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/audit".to_string()), "{engine:?}");
        assert_eq!(c.get("/audit").await.status, StatusCode::OK, "{engine:?}");
    }
}

#[tokio::test]
async fn through_the_pages_a_city_officer_sets_up_the_authenticator_and_sees_the_recovery_codes_once() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    new_city_officer(&app, "sogd.hoa").await;
    let mut c = Client::new(app.clone());
    let page = c.get("/login").await;
    let r = c.post_form("/login", &[("_csrf", &csrf_of(&page.text())), ("username", "sogd.hoa"), ("password", PASSWORD)]).await;
    let setup = c.get(&r.location()).await.text();
    assert!(setup.contains("Thiết lập đăng nhập hai bước") && setup.contains("<svg"), "the QR code is on the page");
    let secret = hidden_value(&setup, "secret").expect("secret");
    assert!(setup.contains(&format!("id=\"secret-shown\" class=\"secret\">{secret}<")), "the secret is shown for typing by hand");
    let r = c.post_form("/login/2fa", &[("_csrf", &csrf_of(&setup)), ("secret", &secret), ("code", &code(&secret, app.now()))]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text().matches("<li><code>").count(), 10, "ten recovery codes");
    let account = c.get("/account").await.text();
    assert!(account.contains("Đang bật từ") && account.contains("Bắt buộc với tài khoản này"));
    assert!(!account.contains("/account/2fa/off"), "no way to turn off a required second step");
}

#[tokio::test]
async fn the_user_sees_their_sessions_and_ends_another_one() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let mut laptop = Client::new(app.clone());
        laptop.login("phuongbadinh").await;
        let mut phone = Client::new(app.clone());
        phone.login("phuongbadinh").await;
        let account = phone.get("/account").await.text();
        assert_eq!(account.matches("action=\"/account/sessions/end\"").count(), 2, "{engine:?}");
        assert!(account.contains("Phiên đang dùng"), "{engine:?}");
        // From the phone, end the laptop's session (the one not marked as this one).
        let laptop_hash = thidua_app::App::session_id(
            &laptop.cookies.iter().find(|(k, _)| k == "thidua_session").map(|(_, v)| v.clone()).expect("laptop session"),
        );
        let r = phone.post_form("/account/sessions/end", &[("session", &laptop_hash)]).await;
        assert_eq!(r.status, StatusCode::OK, "{engine:?}");
        assert_eq!(laptop.get("/households").await.status, StatusCode::SEE_OTHER, "{engine:?}: the laptop is signed out");
        assert_eq!(phone.get("/households").await.status, StatusCode::OK, "{engine:?}");
        // Another user's session cannot be ended by its hash.
        let mut other = Client::new(app.clone());
        other.login("phuonghoankiem").await;
        let phone_hash =
            thidua_app::App::session_id(&phone.cookies.iter().find(|(k, _)| k == "thidua_session").map(|(_, v)| v.clone()).expect("s"));
        let r = other.post_form("/account/sessions/end", &[("session", &phone_hash)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{engine:?}");
        assert_eq!(phone.get("/households").await.status, StatusCode::OK, "{engine:?}");
    }
}

/// The subjects of the security mails in the outbox.
async fn security_mail(app: &thidua_app::App, admin: &thidua_app::Actor) -> Vec<String> {
    let outbox = app.mail_outbox(admin, thidua_app::ports::PageRequest::new(1, 50)).await.expect("outbox");
    outbox.items.into_iter().filter(|m| m.kind == "security").map(|m| m.subject).collect()
}

#[tokio::test]
async fn a_sign_in_from_a_new_browser_and_a_password_change_are_told_to_the_owner() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let admin = crate::support::actor(&app, "admin").await;
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        app.set_user_contact(&admin, officer.user_id, "thang.vd@badinh.hanoi.gov.vn", None).await.expect("address");
        // The account's first browser is nobody's news; signing in again from it neither.
        let mut laptop = Client::new(app.clone());
        laptop.login("phuongbadinh").await;
        laptop.login("phuongbadinh").await;
        assert!(security_mail(&app, &admin).await.is_empty(), "{engine:?}");
        // Another browser is.
        let mut phone = Client::new(app.clone());
        phone.login("phuongbadinh").await;
        let mails = security_mail(&app, &admin).await;
        assert_eq!(mails.len(), 1, "{engine:?}: {mails:?}");
        assert!(mails[0].contains("trình duyệt mới"), "{engine:?}");
        let activity = phone.get("/account").await.text();
        assert!(activity.contains("Đăng nhập từ một trình duyệt mới"), "{engine:?}: shown on the account page too");
        // A password change is mailed.
        let r = phone.post_form("/account/password", &[("current", PASSWORD), ("new", "Mat-khau-moi-2026!")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}");
        let mails = security_mail(&app, &admin).await;
        assert!(mails.iter().any(|m| m.contains("cách đăng nhập")), "{engine:?}: {mails:?}");
    }
}
