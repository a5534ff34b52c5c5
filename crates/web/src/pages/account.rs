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
    tokens: Vec<ApiTokenRecord>,
    new_token: Option<String>,
    email: String,
    /// (heading, delegations) for those given and those received, when there are any.
    delegations: Vec<(&'static str, Vec<DelegationVm>)>,
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

async fn page(state: &AppState, auth: &Auth, new_token: Option<String>, flash: Option<String>) -> Result<Response, WebError> {
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
    let tokens = state.app.api_tokens(&auth.actor).await?;
    let email = state.app.own_email(&auth.actor).await?;
    let d = state.app.delegations(&auth.actor).await?;
    let delegations = [("account.given", d.given), ("account.received", d.received)]
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(key, list)| (crate::i18n::t(auth.lang, key), delegation_vms(state, auth.lang, list, &snap)))
        .collect();
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "account.title"), "account").await.with_flash(flash);
    Ok(view::render(&AccountPage { l, grants, own_grants, tokens, new_token, email, delegations }))
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
}

pub async fn account_token_post(State(state): State<AppState>, auth: Auth, Form(f): Form<TokenForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.create_api_token(&auth.actor, &f.name).await {
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
