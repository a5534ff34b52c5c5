//! Signing in and out, and the language switch.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Form;
use crate::extract::{Path, Query};
use crate::i18n::{self, Lang};
use crate::session::{
    self, Auth, ClientAddr, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, WAITING_COOKIE, cookie, lang_of, same_token, set_cookie,
};
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::auth::random_token;
use thidua_app::second_factor::{Origin, SignIn};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    pub(crate) next: Option<String>,
}

/// Only same-site paths may be redirected to after login: a `/` followed by anything but a
/// second `/` or `\`, made of visible ASCII only. Browsers drop tabs and line breaks from a
/// `Location` (so `/\t/evil.example` becomes `//evil.example`, another host) and read `\` as
/// `/`; a path of ours never needs either, nor spaces or raw non-ASCII (they arrive encoded).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n[1..].starts_with(['/', '\\']) && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') => {
            n.to_string()
        }
        _ => "/".into(),
    }
}

fn login_page(state: &AppState, lang: Lang, next: String, username: String, error: Option<String>, status: StatusCode) -> Response {
    let csrf = random_token();
    let l = Layout::anonymous(lang, i18n::t(lang, "login.title"));
    let mut r = view::render(&LoginPage { l, csrf: csrf.clone(), next, username, error });
    *r.status_mut() = status;
    if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, state.config.secure_cookies, true).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn login_get(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    login_page(&state, lang_of(&headers), safe_next(q.next.as_deref()), String::new(), None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddr(address): ClientAddr,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = lang_of(&headers);
    let next = safe_next(f.next.as_deref());
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if !same_token(&f.csrf, &expected) {
        return WebError::new(StatusCode::FORBIDDEN, "Biểu mẫu đăng nhập đã cũ (CSRF). Vui lòng tải lại trang.").lang(lang).into_response();
    }
    let agent = session::user_agent(&headers);
    let (device, device_cookie) = session::device_of(&headers, state.config.secure_cookies);
    let mut r = login_answer(&state, lang, &f, next, Origin { address: &address, user_agent: &agent, device: &device }).await;
    if let Some(c) = device_cookie.and_then(|c| c.parse().ok()) {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

async fn login_answer(state: &AppState, lang: Lang, f: &LoginForm, next: String, origin: Origin<'_>) -> Response {
    match state.app.sign_in(&f.username, &f.password, origin).await {
        Ok(SignIn::Done(_, s)) => signed_in(state, &s, &next),
        Ok(SignIn::Waiting(s, _)) => {
            let ttl = (s.expires_at - state.app.now()).whole_seconds();
            let to = format!("/login/2fa?{}", serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default());
            let mut r = Redirect::to(&to).into_response();
            *r.status_mut() = StatusCode::SEE_OTHER;
            for c in [
                set_cookie(WAITING_COOKIE, &s.token, ttl, state.config.secure_cookies, true),
                set_cookie(LOGIN_CSRF_COOKIE, "", 0, state.config.secure_cookies, true),
            ] {
                if let Ok(v) = c.parse() {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            r
        }
        Err(AppError::Unauthenticated) => {
            login_page(state, lang, next, f.username.clone(), Some(i18n::t(lang, "login.failed").into()), StatusCode::UNAUTHORIZED)
        }
        Err(e @ AppError::Throttled(_)) => {
            login_page(state, lang, next, f.username.clone(), Some(e.to_string()), StatusCode::TOO_MANY_REQUESTS)
        }
        Err(e) => WebError::from(e).lang(lang).into_response(),
    }
}

/// The answer to a completed sign-in: the session's cookie, the sign-in's own cookies cleared,
/// and on to `next`.
pub(crate) fn signed_in(state: &AppState, s: &thidua_app::auth::NewSession, next: &str) -> Response {
    let mut r = Redirect::to(next).into_response();
    *r.status_mut() = StatusCode::SEE_OTHER;
    set_session_cookies(state, &mut r, s);
    r
}

/// Sets the session's cookie and clears the sign-in's own (its form token, a waiting session).
pub(crate) fn set_session_cookies(state: &AppState, r: &mut Response, s: &thidua_app::auth::NewSession) {
    let ttl = (s.expires_at - state.app.now()).whole_seconds();
    for c in [
        set_cookie(SESSION_COOKIE, &s.token, ttl, state.config.secure_cookies, true),
        set_cookie(LOGIN_CSRF_COOKIE, "", 0, state.config.secure_cookies, true),
        set_cookie(WAITING_COOKIE, "", 0, state.config.secure_cookies, true),
    ] {
        if let Ok(v) = c.parse() {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

pub async fn logout_post(State(state): State<AppState>, headers: HeaderMap, auth: Auth, Form(f): Form<CsrfOnly>) -> Response {
    if let Err(e) = auth.verify_csrf(&f.csrf) {
        return e.into_response();
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = state.app.logout(&token).await
    {
        return WebError::from(e).into_response();
    }
    let mut r = Redirect::to("/login").into_response();
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies, true).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn lang_get(State(state): State<AppState>, headers: HeaderMap, Path(lang): Path<String>) -> Response {
    let lang = Lang::from_code(&lang);
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_string())))
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&safe_next(Some(&back))).into_response();
    *r.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = session::set_cookie(LANG_COOKIE, lang.code(), 365 * 86400, state.config.secure_cookies, false).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_same_site_paths_are_followed_after_login() {
        for bad in
            ["//evil.example/x", "/\t/evil.example/x", "/\\evil.example", "/\n/evil.example", "https://evil.example", "/ /x", "\\evil"]
        {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        for good in ["/", "/households?unit=5&page=2", "/awards/batches/7", "/search?q=nguy%E1%BB%85n"] {
            assert_eq!(safe_next(Some(good)), good);
        }
    }
}
