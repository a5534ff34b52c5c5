//! The user's own account: roles, password change, API tokens, delegation to a deputy.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Form;
use crate::extract::Path;
use crate::i18n::Lang;
use crate::pages::login::CsrfOnly;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::ports::ApiTokenRecord;
use thidua_domain::access::Grant;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    grants: Vec<String>,
    own_grants: Vec<(usize, String)>,
    tokens: Vec<TokenVm>,
    new_token: Option<String>,
    email: String,
    /// (heading, delegations) for those given and those received, when there are any.
    delegations: Vec<(&'static str, Vec<DelegationVm>)>,
    /// Since when two-step sign-in is on (dd/mm/yyyy hh:mm), if it is.
    second_since: Option<String>,
    second_required: bool,
    recovery_left: i64,
    sessions: Vec<SessionVm>,
    /// The account's last entries: (when, what, from where).
    activity: Vec<(String, &'static str, String)>,
}

/// An API token in the user's list.
struct TokenVm {
    id: i64,
    name: String,
    revoked: bool,
    expired: bool,
    /// «chỉ đọc» or «đọc và ghi», the area, the end.
    what: String,
}

/// A session in the user's list.
struct SessionVm {
    id: String,
    started: String,
    from: String,
    waiting: bool,
    current: bool,
}

/// A delegation on the account page.
struct DelegationVm {
    id: i64,
    other: String,
    what: String,
    /// «Đang hiệu lực» / ended / not yet.
    status: &'static str,
    can_end: bool,
}

fn delegation_vms(
    state: &AppState,
    lang: Lang,
    list: Vec<thidua_app::auth::DelegationView>,
    snap: &thidua_app::registry::TreeSnapshot,
) -> Vec<DelegationVm> {
    list.into_iter()
        .map(|d| DelegationVm {
            id: d.id,
            other: d.other,
            what: describe(state, lang, &d.grant, snap),
            status: if d.ended {
                crate::i18n::t(lang, "account.ended")
            } else if d.in_force {
                ""
            } else {
                crate::i18n::t(lang, "account.not_yet")
            },
            can_end: !d.ended,
        })
        .collect()
}

/// An entry of the account's own history as its owner reads it.
fn activity_label(lang: Lang, action: &str) -> &'static str {
    let key = match action {
        "auth.login" => "activity.login",
        "auth.password_accepted" => "activity.password_accepted",
        "auth.second_factor_failed" => "activity.second_factor_failed",
        "auth.new_device" => "activity.new_device",
        "auth.throttled" => "activity.throttled",
        "auth.session_end" => "activity.session_end",
        "user.password_change" => "activity.password_change",
        "user.password_reset" => "activity.password_reset",
        "user.second_factor_on" => "activity.second_factor_on",
        "user.second_factor_off" => "activity.second_factor_off",
        "user.second_factor_reset" => "activity.second_factor_reset",
        "user.recovery_codes_renewed" => "activity.recovery_codes",
        "user.notified" => "activity.notified",
        "api_token.create" => "activity.token_create",
        "api_token.revoke" => "activity.token_revoke",
        _ => "activity.other",
    };
    crate::i18n::t(lang, key)
}

fn token_vm(lang: Lang, t: ApiTokenRecord, snap: &thidua_app::registry::TreeSnapshot, now_ms: i64) -> TokenVm {
    let t_ = |k| crate::i18n::t(lang, k);
    let mut what = vec![t_(if t.can_write { "account.token_write" } else { "account.token_read" }).to_string()];
    what.push(match t.area {
        Some(a) => format!("{} {}", t_("account.token_area"), snap.units.get(&a).map(|u| u.name.as_str()).unwrap_or("?")),
        None => t_("account.token_whole").to_string(),
    });
    what.push(match t.expires_at_ms {
        Some(end) => format!("{} {}", t_("account.token_until"), view::datetime_ms(end)),
        None => t_("account.token_no_end").to_string(),
    });
    TokenVm {
        id: t.id,
        name: t.name,
        revoked: t.revoked,
        expired: t.expires_at_ms.is_some_and(|end| end <= now_ms),
        what: what.join(" · "),
    }
}

fn describe(state: &AppState, lang: Lang, g: &Grant, snap: &thidua_app::registry::TreeSnapshot) -> String {
    let role = match lang {
        Lang::Vi => g.role.label_vi(),
        Lang::En => g.role.label_en(),
    };
    let scope = snap.units.get(&g.scope).map(|u| u.name.as_str()).unwrap_or("?");
    let mut s = format!("{role} — {scope}");
    if g.include_descendants {
        s.push_str(crate::i18n::t(lang, "account.and_below"));
    }
    if let Some(until) = g.valid_until {
        s.push_str(&format!(
            " ({} {})",
            crate::i18n::t(lang, "account.until"),
            view::datetime_ms((until.unix_timestamp_nanos() / 1_000_000) as i64)
        ));
    }
    let _ = state;
    s
}

pub(crate) async fn page(state: &AppState, auth: &Auth, new_token: Option<String>, flash: Option<String>) -> Result<Response, WebError> {
    let snap = state.app.snapshot().await?;
    let grants = auth.actor.grants.iter().map(|g| describe(state, auth.lang, g, &snap)).collect();
    let own_grants = auth
        .actor
        .grants
        .iter()
        .filter(|g| g.delegated_by.is_none())
        .enumerate()
        .map(|(i, g)| (i, describe(state, auth.lang, g, &snap)))
        .collect();
    let now_ms = (state.app.now().unix_timestamp_nanos() / 1_000_000) as i64;
    let tokens = state.app.api_tokens(&auth.actor).await?.into_iter().map(|t| token_vm(auth.lang, t, &snap, now_ms)).collect();
    let email = state.app.own_email(&auth.actor).await?;
    let d = state.app.delegations(&auth.actor).await?;
    let delegations = [("account.given", d.given), ("account.received", d.received)]
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(key, list)| (crate::i18n::t(auth.lang, key), delegation_vms(state, auth.lang, list, &snap)))
        .collect();
    let second = state.app.second_factor_status(&auth.actor).await?;
    let ms = |t: time::OffsetDateTime| (t.unix_timestamp_nanos() / 1_000_000) as i64;
    let sessions = state
        .app
        .sessions(&auth.actor)
        .await?
        .into_iter()
        .map(|s| SessionVm {
            current: auth.session.as_deref() == Some(s.token_hash.as_str()),
            started: view::datetime_ms(ms(s.created_at)),
            from: [s.address.as_str(), s.user_agent.as_str()].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" · "),
            waiting: s.stage != thidua_app::ports::SessionStage::Full,
            id: s.token_hash,
        })
        .collect();
    let activity = state
        .app
        .account_activity(&auth.actor)
        .await?
        .into_iter()
        .map(|a| {
            let payload = a.new.as_deref().and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok());
            let from = payload.as_ref().and_then(|v| v.get("address")).and_then(|v| v.as_str()).unwrap_or("").to_string();
            (view::datetime_ms(a.at_ms), activity_label(auth.lang, &a.action), from)
        })
        .collect();
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "account.title"), "account").await.with_flash(flash);
    Ok(view::render(&AccountPage {
        activity,
        l,
        grants,
        own_grants,
        tokens,
        new_token,
        email,
        delegations,
        second_since: second.since.map(|t| view::datetime_ms(ms(t))),
        second_required: second.required.is_some(),
        recovery_left: second.recovery_left,
        sessions,
    }))
}

pub async fn account_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    page(&state, &auth, None, None).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

pub async fn account_password_post(State(state): State<AppState>, auth: Auth, Form(f): Form<PasswordForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.change_password(&auth.actor, &f.current, &f.new).await {
        // Every session ended with the change: sign in again.
        Ok(()) => Ok(Redirect::to("/login").into_response()),
        Err(AppError::Invalid(m)) => page(&state, &auth, None, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    name: String,
    /// "write" for a token that reads and writes; anything else reads only.
    #[serde(default)]
    access: String,
    /// The code of the unit the token is limited to; empty for the whole scope.
    #[serde(default)]
    area: String,
    /// Days until it ends (typed by a person: read, not trusted).
    #[serde(default)]
    days: String,
}

pub async fn account_token_post(State(state): State<AppState>, auth: Auth, Form(f): Form<TokenForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let snap = state.app.snapshot().await?;
    let area = match f.area.trim() {
        "" => None,
        code => match snap.by_code.get(&code.to_uppercase()).or_else(|| snap.by_code.get(code)) {
            Some(id) => Some(*id),
            None => return page(&state, &auth, None, Some(format!("không có đơn vị mã «{code}»"))).await,
        },
    };
    let days = match f.days.trim() {
        "" => thidua_app::auth::TokenScope::default().days,
        d => match d.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return page(&state, &auth, None, Some(format!("thời hạn «{d}» không phải số ngày"))).await,
        },
    };
    let scope = thidua_app::auth::TokenScope { can_write: f.access == "write", area, days };
    match state.app.create_api_token(&auth.actor, &f.name, &scope).await {
        Ok(token) => page(&state, &auth, Some(token), None).await,
        Err(AppError::Invalid(m)) => page(&state, &auth, None, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn account_token_revoke_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.revoke_api_token(&auth.actor, id).await?;
    Ok(Redirect::to("/account").into_response())
}

#[derive(Deserialize)]
pub struct DelegateForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    deputy: String,
    #[serde(default)]
    grant: usize,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

pub async fn account_delegate_post(State(state): State<AppState>, auth: Auth, Form(f): Form<DelegateForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let hanoi = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let parse = |s: &str| thidua_domain::dates::parse_dmy(s).map(|d| d.midnight().assume_offset(hanoi));
    let (from, until) = match (parse(&f.from), parse(&f.until)) {
        (Ok(a), Ok(b)) => (a, b + time::Duration::days(1)),
        (Err(e), _) | (_, Err(e)) => return page(&state, &auth, None, Some(e.to_string())).await,
    };
    match state.app.delegate(&auth.actor, &f.deputy, f.grant, from, until).await {
        Ok(()) => page(&state, &auth, None, Some(crate::i18n::t(auth.lang, "account.delegated").into())).await,
        Err(AppError::Invalid(m)) => page(&state, &auth, None, Some(m)).await,
        Err(AppError::NotFound) => page(&state, &auth, None, Some(crate::i18n::t(auth.lang, "account.no_deputy").into())).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn account_delegation_end_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.end_delegation(Some(&auth.actor), id).await {
        Ok(()) => page(&state, &auth, None, Some(crate::i18n::t(auth.lang, "account.delegation_ended").into())).await,
        Err(AppError::Invalid(m)) => page(&state, &auth, None, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

/// The user's own address for reminders (empty: none).
pub async fn account_email_post(State(state): State<AppState>, auth: Auth, Form(f): Form<EmailForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.set_user_contact(&auth.actor, auth.actor.user_id, &f.email, None).await {
        Ok(()) => page(&state, &auth, None, Some(crate::i18n::t(auth.lang, "users.contact_saved").into())).await,
        Err(AppError::Invalid(m)) => page(&state, &auth, None, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}
