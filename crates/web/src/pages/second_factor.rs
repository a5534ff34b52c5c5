//! Two-step sign-in in the browser: the second step after a correct password (a code, or
//! setting up an authenticator where the account must have one), the account's own
//! authenticator and recovery codes, its sessions, and an administrator's reset.

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Form, Path, Query};
use crate::i18n::{self, Lang};
use crate::pages::login::{CsrfOnly, NextQuery, safe_next, set_session_cookies};
use crate::session::{self, Auth, ClientAddr, WAITING_COOKIE, cookie, lang_of, same_token};
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::ports::SessionStage;
use thidua_app::second_factor::{Enrolment, Origin};
use thidua_domain::access::SecondFactorReason;

/// What the second step's page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A code from the app (or a recovery code).
    Code,
    /// A new authenticator: the QR code, the secret and the first code.
    Enrol,
    /// The recovery codes, shown once.
    Codes,
}

#[derive(Template)]
#[template(path = "second_step.html")]
struct SecondStepPage {
    l: Layout,
    csrf: String,
    /// Where the form posts: the sign-in's second step, or the account's set-up.
    action: &'static str,
    next: String,
    mode: Mode,
    who: String,
    reason: Option<&'static str>,
    secret: String,
    qr: String,
    codes: Vec<String>,
    error: Option<String>,
    /// A sign-in (not yet signed in): offer to start again.
    signing_in: bool,
}

struct Shown {
    mode: Mode,
    enrolment: Option<Enrolment>,
    codes: Vec<String>,
    error: Option<String>,
}

fn reason_text(reason: Option<SecondFactorReason>) -> Option<&'static str> {
    reason.map(|r| match r {
        SecondFactorReason::Administrator => "second.required_admin",
        SecondFactorReason::CityWide => "second.required_city",
    })
}

/// Who the page is for and where its form goes.
struct Frame {
    csrf: String,
    action: &'static str,
    next: String,
    who: String,
    reason: Option<&'static str>,
    signing_in: bool,
}

fn render(l: Layout, frame: Frame, shown: Shown) -> Result<Response, WebError> {
    let Frame { csrf, action, next, who, reason, signing_in } = frame;
    let (secret, qr) = match &shown.enrolment {
        Some(e) => (e.secret.clone(), view::qr_svg(&e.uri)?),
        None => (String::new(), String::new()),
    };
    let error = shown.error;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let mut r = view::render(&SecondStepPage {
        l,
        csrf,
        action,
        next,
        mode: shown.mode,
        who,
        reason,
        secret,
        qr,
        codes: shown.codes,
        error,
        signing_in,
    });
    *r.status_mut() = status;
    Ok(r)
}

fn start_again() -> Response {
    let mut r = Redirect::to("/login").into_response();
    *r.status_mut() = StatusCode::SEE_OTHER;
    r
}

/// The second step's page for the waiting sign-in in the cookie.
async fn waiting_page(state: &AppState, lang: Lang, token: &str, next: String, error: Option<String>, secret: Option<&str>) -> Response {
    let waiting = match state.app.waiting(token).await {
        Ok(w) => w,
        Err(AppError::Unauthenticated) => return start_again(),
        Err(e) => return WebError::from(e).lang(lang).into_response(),
    };
    let (mode, enrolment) = match waiting.stage {
        SessionStage::Enrol => {
            let e = match secret {
                Some(s) => state.app.enrolment_of(&waiting.username, s),
                None => state.app.new_enrolment(&waiting.username),
            };
            match e {
                Ok(e) => (Mode::Enrol, Some(e)),
                Err(e) => return WebError::from(e).lang(lang).into_response(),
            }
        }
        _ => (Mode::Code, None),
    };
    let title = if mode == Mode::Enrol { "second.enrol_title" } else { "second.title" };
    let l = Layout::anonymous(lang, i18n::t(lang, title));
    let who = format!("{} ({})", waiting.full_name, waiting.username);
    let shown = Shown { mode, enrolment, codes: Vec::new(), error };
    let frame = Frame { csrf: waiting.csrf, action: "/login/2fa", next, who, reason: reason_text(waiting.reason), signing_in: true };
    render(l, frame, shown).unwrap_or_else(|e| e.into_response())
}

pub async fn login_second_get(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let Some(token) = cookie(&headers, WAITING_COOKIE) else { return start_again() };
    waiting_page(&state, lang_of(&headers), &token, safe_next(q.next.as_deref()), None, None).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    code: String,
    /// The secret shown while setting up an authenticator.
    #[serde(default)]
    secret: String,
    next: Option<String>,
}

pub async fn login_second_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddr(address): ClientAddr,
    Form(f): Form<CodeForm>,
) -> Response {
    let lang = lang_of(&headers);
    let next = safe_next(f.next.as_deref());
    let Some(token) = cookie(&headers, WAITING_COOKIE) else { return start_again() };
    let waiting = match state.app.waiting(&token).await {
        Ok(w) => w,
        Err(AppError::Unauthenticated) => return start_again(),
        Err(e) => return WebError::from(e).lang(lang).into_response(),
    };
    if !same_token(&f.csrf, &waiting.csrf) {
        return WebError::new(StatusCode::FORBIDDEN, "Biểu mẫu đã cũ (CSRF). Vui lòng tải lại trang.").lang(lang).into_response();
    }
    let agent = session::user_agent(&headers);
    // The password step gave the browser its id; one without it gets none now (no notice).
    let device = cookie(&headers, session::DEVICE_COOKIE).unwrap_or_default();
    let origin = Origin { address: &address, user_agent: &agent, device: &device };
    // A refused code is said on the page again; any other failure is an error page (and logged).
    let refused = |e: &AppError| matches!(e, AppError::Invalid(_) | AppError::Throttled(_) | AppError::Conflict(_));
    match waiting.stage {
        SessionStage::Enrol => match state.app.enrol_waiting(&token, &f.secret, &f.code, origin).await {
            Ok((session, codes)) => {
                let l = Layout::anonymous(lang, i18n::t(lang, "second.codes_title"));
                let shown = Shown { mode: Mode::Codes, enrolment: None, codes, error: None };
                let who = format!("{} ({})", waiting.full_name, waiting.username);
                let mut r =
                    match render(l, Frame { csrf: String::new(), action: "/login/2fa", next, who, reason: None, signing_in: false }, shown)
                    {
                        Ok(r) => r,
                        Err(e) => return e.into_response(),
                    };
                set_session_cookies(&state, &mut r, &session);
                r
            }
            Err(AppError::Unauthenticated) => start_again(),
            Err(e) if refused(&e) => waiting_page(&state, lang, &token, next, Some(e.to_string()), Some(&f.secret)).await,
            Err(e) => WebError::from(e).lang(lang).into_response(),
        },
        _ => match state.app.second_step(&token, &f.code, origin).await {
            Ok((_, session)) => crate::pages::login::signed_in(&state, &session, &next),
            Err(AppError::Unauthenticated) => start_again(),
            Err(e) if refused(&e) => waiting_page(&state, lang, &token, next, Some(e.to_string()), None).await,
            Err(e) => WebError::from(e).lang(lang).into_response(),
        },
    }
}

async fn account_enrol_page(state: &AppState, auth: &Auth, secret: Option<&str>, error: Option<String>) -> Result<Response, WebError> {
    let enrolment = match secret {
        Some(s) => state.app.enrolment_of(&auth.actor.username, s)?,
        None => state.app.new_enrolment(&auth.actor.username)?,
    };
    let status = state.app.second_factor_status(&auth.actor).await?;
    let l = Layout::new(state, auth, i18n::t(auth.lang, "second.enrol_title"), "account").await;
    let who = format!("{} ({})", auth.actor.full_name, auth.actor.username);
    let shown = Shown { mode: Mode::Enrol, enrolment: Some(enrolment), codes: Vec::new(), error };
    let reason = reason_text(status.required);
    render(l, Frame { csrf: auth.csrf.clone(), action: "/account/2fa", next: "/account".into(), who, reason, signing_in: false }, shown)
}

pub async fn account_second_factor_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    if state.app.second_factor_status(&auth.actor).await?.since.is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    account_enrol_page(&state, &auth, None, None).await
}

fn codes_page(l: Layout, auth: &Auth, codes: Vec<String>) -> Result<Response, WebError> {
    let who = format!("{} ({})", auth.actor.full_name, auth.actor.username);
    let shown = Shown { mode: Mode::Codes, enrolment: None, codes, error: None };
    render(
        l,
        Frame { csrf: auth.csrf.clone(), action: "/account/2fa", next: "/account".into(), who, reason: None, signing_in: false },
        shown,
    )
}

pub async fn account_second_factor_post(State(state): State<AppState>, auth: Auth, Form(f): Form<CodeForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.enrol(&auth.actor, &f.secret, &f.code).await {
        Ok(codes) => {
            let l = Layout::new(&state, &auth, i18n::t(auth.lang, "second.codes_title"), "account").await;
            codes_page(l.with_flash(Some(i18n::t(auth.lang, "account.2fa_enabled").into())), &auth, codes)
        }
        Err(e @ (AppError::Invalid(_) | AppError::Throttled(_) | AppError::Conflict(_))) => {
            account_enrol_page(&state, &auth, Some(&f.secret), Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn account_recovery_codes_post(State(state): State<AppState>, auth: Auth, Form(f): Form<CodeForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.new_recovery_codes(&auth.actor, &f.code).await {
        Ok(codes) => {
            let l = Layout::new(&state, &auth, i18n::t(auth.lang, "second.codes_title"), "account").await;
            codes_page(l, &auth, codes)
        }
        Err(e @ (AppError::Invalid(_) | AppError::Throttled(_))) => {
            crate::pages::account::page(&state, &auth, None, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn account_second_factor_off_post(
    State(state): State<AppState>,
    auth: Auth,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let flash = match state.app.turn_off_second_factor(&auth.actor, &f.code).await {
        Ok(()) => i18n::t(auth.lang, "account.2fa_disabled").to_string(),
        Err(e @ (AppError::Invalid(_) | AppError::Throttled(_))) => e.to_string(),
        Err(e) => return Err(e.into()),
    };
    crate::pages::account::page(&state, &auth, None, Some(flash)).await
}

#[derive(Deserialize)]
pub struct SessionForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    session: String,
}

pub async fn account_session_end_post(State(state): State<AppState>, auth: Auth, Form(f): Form<SessionForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.end_own_session(&auth.actor, &f.session).await?;
    if auth.session.as_deref() == Some(f.session.as_str()) {
        return Ok(start_again());
    }
    crate::pages::account::page(&state, &auth, None, Some(i18n::t(auth.lang, "account.session_ended").into())).await
}

pub async fn user_second_factor_reset_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let flash = match state.app.reset_second_factor(Some(&auth.actor), id).await {
        Ok(()) => i18n::t(auth.lang, "users.2fa_reset_done").to_string(),
        Err(AppError::Invalid(m)) => m,
        Err(e) => return Err(e.into()),
    };
    crate::pages::admin::user_page(&state, &auth, id, Some(flash)).await
}
