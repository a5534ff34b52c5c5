//! Who is calling: the session cookie (browser) or a bearer token (integrations), resolved to
//! an [`Actor`] by the app. CSRF tokens are bound to the session and checked on every form.

use crate::AppState;
use crate::error::WebError;
use crate::i18n::Lang;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use thidua_app::{Actor, AppError};

pub const SESSION_COOKIE: &str = "thidua_session";
pub const LANG_COOKIE: &str = "thidua_lang";
pub const LOGIN_CSRF_COOKIE: &str = "thidua_login_csrf";
/// A sign-in waiting for its second step (a code): opens nothing but the second step's page.
pub const WAITING_COOKIE: &str = "thidua_waiting";
/// The browser's own id (see [`device_of`]).
pub const DEVICE_COOKIE: &str = "thidua_device";

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value with the attributes every thidua cookie carries.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool, http_only: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax; Max-Age={max_age_secs}");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && !a.is_empty() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The language of the request: the cookie, else Vietnamese.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE).map(|v| Lang::from_code(&v)).unwrap_or(Lang::Vi)
}

/// An authenticated caller.
#[derive(Clone)]
pub struct Auth {
    pub actor: Actor,
    pub csrf: String,
    pub lang: Lang,
    pub via_token: bool,
    /// The confirmation of the user's previous action, shown once on this page.
    pub flash: Option<&'static str>,
    /// The session's id (its token's SHA-256), to mark it in the user's list of sessions.
    pub session: Option<String>,
}

impl Auth {
    /// Checks a form's CSRF token against the session's.
    pub fn verify_csrf(&self, token: &str) -> Result<(), WebError> {
        if self.via_token || same_token(token, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::new(StatusCode::FORBIDDEN, "Phiên làm việc không hợp lệ hoặc biểu mẫu đã cũ (CSRF). Vui lòng tải lại trang.")
                .lang(self.lang))
        }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // The route's gate found the caller already.
        if let Some(auth) = parts.extensions.get::<Auth>() {
            return Ok(auth.clone());
        }
        let lang = lang_of(&parts.headers);
        let is_api = parts.uri.path().starts_with("/api/");
        let fail = |e: AppError| -> Response {
            match e {
                AppError::Unauthenticated if !is_api => {
                    let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                    let next = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                    Redirect::to(&format!("/login?{next}")).into_response()
                }
                e => {
                    let w = WebError::from(e).lang(lang);
                    if is_api { w.api().into_response() } else { w.into_response() }
                }
            }
        };
        if let Some(token) = bearer(parts) {
            return match state.app.token_actor(token).await {
                // A read-only token sends no write: refused before the body is read.
                Ok((_, false)) if parts.method != Method::GET && parts.method != Method::HEAD => Err(WebError::new(
                    StatusCode::FORBIDDEN,
                    "mã truy cập này chỉ được đọc: tạo mã có quyền ghi trên trang Tài khoản để gửi dữ liệu",
                )
                .api()
                .into_response()),
                Ok((actor, _)) => Ok(Auth { actor, csrf: String::new(), lang, via_token: true, flash: None, session: None }),
                Err(e) => Err(fail(e)),
            };
        }
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(fail(AppError::Unauthenticated));
        };
        let (actor, csrf) = state.app.session_actor(&token).await.map_err(fail)?;
        // Cookie-authenticated API writes must carry the CSRF token in a header.
        if is_api && parts.method != Method::GET && parts.method != Method::HEAD {
            let header_token = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !same_token(header_token, &csrf) {
                return Err(WebError::new(StatusCode::FORBIDDEN, "thiếu hoặc sai mã CSRF (tiêu đề X-CSRF-Token)").api().into_response());
            }
        }
        let flash = crate::flash::pending(&parts.headers);
        Ok(Auth { actor, csrf, lang, via_token: false, flash, session: Some(thidua_app::App::session_id(&token)) })
    }
}

/// The browser's own id, kept a year in its cookie, so that a sign-in from a browser the
/// account has not used before is told to its owner. A browser without one gets a new id; the
/// answer must then set it (`Some(cookie)`).
pub fn device_of(headers: &HeaderMap, secure: bool) -> (String, Option<String>) {
    match cookie(headers, DEVICE_COOKIE).filter(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit())) {
        Some(d) => (d, None),
        None => {
            let d = thidua_app::auth::random_token();
            let c = set_cookie(DEVICE_COOKIE, &d, 365 * 86400, secure, true);
            (d, Some(c))
        }
    }
}

/// The client's browser as it names itself, for the user's list of sessions.
pub fn user_agent(headers: &HeaderMap) -> String {
    headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").chars().take(256).collect()
}

/// The client's address (for login throttling): the TCP peer when known.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.config.trust_forwarded_for {
            let forwarded =
                parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next()).map(str::trim);
            if let Some(ip) = forwarded.and_then(|f| f.parse::<std::net::IpAddr>().ok()) {
                return Ok(ClientAddr(ip.to_string()));
            }
        }
        let addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "local".into());
        Ok(ClientAddr(addr))
    }
}
