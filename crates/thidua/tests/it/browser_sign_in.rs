//! Signing in in a real browser: the password, and the second step as the user with their
//! phone takes it (setting up an authenticator, a code, a recovery code); the story of two-step
//! sign-in itself, with a wrong code, a code used twice and a recovery code used twice.

use crate::browser::{Stage, enabled, save_screenshot, stage, wait_for_text};
use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};

pub(crate) async fn login(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.expect("login page");
    c.find(Locator::Id("username")).await.expect("username").send_keys(user).await.expect("type");
    c.find(Locator::Id("password")).await.expect("password").send_keys(crate::support::PASSWORD).await.expect("type");
    c.find(Locator::Css("button[type=submit].primary")).await.expect("submit").click().await.expect("click");
    let page = wait_for_any(c, &["Xin chào", "id=\"code\""]).await;
    if page.contains("id=\"code\"") && !page.contains("Xin chào") {
        second_step(c, base, user, &page).await;
    }
    wait_for_text(c, "Xin chào").await;
}

/// The phones of the accounts that set up an authenticator in this run: (server, username) →
/// (secret, the last time step whose code was typed).
type Phones = std::collections::HashMap<(String, String), (String, u64)>;

fn phones() -> &'static std::sync::Mutex<Phones> {
    static PHONES: std::sync::OnceLock<std::sync::Mutex<Phones>> = std::sync::OnceLock::new();
    PHONES.get_or_init(Default::default)
}

/// The code a phone shows that no sign-in has used yet, as its user would wait for it: the
/// current step's, or the next one's (one step of drift is accepted), or — a third sign-in
/// within 30 seconds — the one after, once its time has come.
async fn unused_code(key: &(String, String)) -> String {
    loop {
        let (secret, last) = phones().lock().expect("phones").get(key).cloned().unwrap_or_else(|| panic!("{key:?}: no phone"));
        let now = time::OffsetDateTime::now_utc();
        let step = (now.unix_timestamp() as u64) / 30;
        if let Some(s) = [step, step + 1].into_iter().find(|s| *s > last) {
            let at = time::OffsetDateTime::from_unix_timestamp((s * 30) as i64).expect("time");
            phones().lock().expect("phones").insert(key.clone(), (secret.clone(), s));
            return thidua_app::second_factor::authenticator_code(&secret, at).expect("code").0;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The second step of a sign-in in the browser, as the user with their phone does it: setting
/// up the authenticator from the secret the page shows (an account that must have one signs in
/// for the first time), or typing a code of its phone no sign-in has used yet.
pub(crate) async fn second_step(c: &Client, base: &str, user: &str, page: &str) {
    let key = (base.to_string(), user.to_string());
    if page.contains("id=\"secret-shown\"") {
        let s = c.find(Locator::Id("secret-shown")).await.expect("secret").text().await.expect("secret text");
        if user == "sogd" {
            save_screenshot(c, "dang-nhap-hai-buoc.png").await;
        }
        phones().lock().expect("phones").insert(key.clone(), (s, 0));
    }
    let code = unused_code(&key).await;
    let after = type_code(c, &code).await;
    assert!(!after.contains("code-error"), "{user}: the phone's code was refused");
    if after.contains("recovery-codes") {
        if user == "sogd" {
            save_screenshot(c, "ma-khoi-phuc.png").await;
        }
        c.find(Locator::Id("continue")).await.expect("continue").click().await.expect("click");
    }
}

/// Waits until the page shows one of `needles`; returns its source.
pub(crate) async fn wait_for_any(c: &Client, needles: &[&str]) -> String {
    let start = Instant::now();
    loop {
        let src = c.source().await.expect("source");
        if needles.iter().any(|n| src.contains(n)) {
            return src;
        }
        if start.elapsed() > Duration::from_secs(15) {
            panic!(
                "page never showed any of {needles:?}: {}",
                src[src.find("<main").unwrap_or(0)..].chars().take(3000).collect::<String>()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types `code` into the second step's field and sends it; the page after it. The page that
/// answers a wrong code carries the same marks as the one before it, so the answer is awaited
/// only once the field typed into has left the page (its element has gone stale).
async fn type_code(c: &Client, code: &str) -> String {
    let field = c.find(Locator::Id("code")).await.expect("code field");
    field.clear().await.expect("clear");
    field.send_keys(code).await.expect("type code");
    c.find(Locator::Css("button[type=submit].primary")).await.expect("verify").click().await.expect("click");
    let start = Instant::now();
    while field.attr("id").await.is_ok() {
        assert!(start.elapsed() < Duration::from_secs(15), "the code was never sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_for_any(c, &["Xin chào", "recovery-codes", "code-error"]).await
}

async fn password(c: &Client, base: &str, user: &str) -> String {
    c.delete_all_cookies().await.expect("log out");
    c.goto(&format!("{base}/login")).await.expect("login page");
    c.find(Locator::Id("username")).await.expect("username").send_keys(user).await.expect("type");
    c.find(Locator::Id("password")).await.expect("password").send_keys(crate::support::PASSWORD).await.expect("type");
    c.find(Locator::Css("button[type=submit].primary")).await.expect("submit").click().await.expect("click");
    wait_for_any(c, &["id=\"code\""]).await
}

#[tokio::test]
#[ignore = "needs headless Chromium and ChromeDriver (THIDUA_BROWSER_TESTS=1); .ci/run runs it"]
async fn a_council_member_signs_in_in_two_steps_in_a_real_browser() {
    if !enabled() {
        return;
    }
    let Stage { c, base, .. } = &stage().await;
    let base = base.as_str();
    // The first sign-in of an account the rule covers asks for an authenticator, and nothing
    // opens before it: another page sends the browser back to sign in.
    assert!(password(c, base, "hoidong").await.contains("secret-shown"), "the set-up page");
    c.goto(&format!("{base}/awards")).await.expect("go");
    wait_for_text(c, "id=\"password\"").await;
    password(c, base, "hoidong").await;
    let secret = c.find(Locator::Id("secret-shown")).await.expect("secret").text().await.expect("text");
    let at = time::OffsetDateTime::now_utc();
    let (right, _) = thidua_app::second_factor::authenticator_code(&secret, at).expect("code");
    let wrong = if right == "000000" { "111111" } else { "000000" };
    assert!(type_code(c, wrong).await.contains("không đúng"), "a wrong code is refused");
    let page = type_code(c, &right).await;
    assert!(page.contains("recovery-codes"), "the recovery codes follow the first right code");
    let mut codes = Vec::new();
    for li in c.find_all(Locator::Css("#recovery-codes code")).await.expect("codes") {
        codes.push(li.text().await.expect("code"));
    }
    assert_eq!(codes.len(), 10);
    c.find(Locator::Id("continue")).await.expect("continue").click().await.expect("click");
    wait_for_text(c, "Xin chào").await;
    // The code just used is refused at the next sign-in; a recovery code signs in, once.
    password(c, base, "hoidong").await;
    assert!(type_code(c, &right).await.contains("code-error"), "a code is accepted once");
    assert!(type_code(c, &codes[0]).await.contains("Xin chào"), "a recovery code signs in");
    password(c, base, "hoidong").await;
    assert!(type_code(c, &codes[0]).await.contains("code-error"), "a recovery code is used once");
    save_screenshot(c, "dang-nhap-ma-xac-thuc.png").await;
    c.clone().close().await.expect("close");
}
