//! User administration for system administrators: accounts of their units, roles, password
//! resets, deactivation. Every action is checked against `ManageUsers` on the user's unit.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Form;
use crate::extract::Path;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_domain::access::{Action, Role};

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<(i64, String, String, String, bool)>,
    f_username: String,
    f_full_name: String,
    f_unit: String,
    error: Option<String>,
}

async fn may_manage(state: &AppState, auth: &Auth) -> Result<(), WebError> {
    state.app.require_somewhere(&auth.actor, Action::ManageUsers).await.map_err(|e| WebError::from(e).lang(auth.lang))
}

async fn users_page(state: &AppState, auth: &Auth, form: Option<&NewUserForm>, error: Option<String>) -> Result<Response, WebError> {
    let snap = state.app.snapshot().await?;
    let users = state
        .app
        .users_in_scope(&auth.actor)
        .await?
        .into_iter()
        .map(|u| (u.id, u.username, u.full_name, super::unit_name(&snap, u.home_unit), u.active))
        .collect();
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "users.title"), "admin").await;
    let refused = error.is_some();
    Ok(view::render_form(
        &UsersPage {
            l,
            users,
            f_username: form.map(|f| f.username.clone()).unwrap_or_default(),
            f_full_name: form.map(|f| f.full_name.clone()).unwrap_or_default(),
            f_unit: form.map(|f| f.unit.clone()).unwrap_or_default(),
            error,
        },
        refused,
    ))
}

pub async fn users_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    may_manage(&state, &auth).await?;
    users_page(&state, &auth, None, None).await
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    password: String,
}

/// A unit id from its code, or a message.
async fn unit_by_code(state: &AppState, code: &str) -> Result<i64, String> {
    let snap = state.app.snapshot().await.map_err(|e| e.to_string())?;
    let code = code.trim().to_ascii_uppercase();
    snap.by_code.get(&code).copied().ok_or_else(|| format!("không tìm thấy đơn vị mã «{code}»"))
}

pub async fn users_post(State(state): State<AppState>, auth: Auth, Form(f): Form<NewUserForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    may_manage(&state, &auth).await?;
    let unit = match unit_by_code(&state, &f.unit).await {
        Ok(u) => u,
        Err(m) => return users_page(&state, &auth, Some(&f), Some(m)).await,
    };
    match state.app.create_user(Some(&auth.actor), &f.username, &f.full_name, &f.password, unit).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/users/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => users_page(&state, &auth, Some(&f), Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    l: Layout,
    id: i64,
    username: String,
    full_name: String,
    active: bool,
    email: String,
    unit_head: bool,
    grants: Vec<String>,
    roles: Vec<(&'static str, &'static str)>,
    second_factor: bool,
}

pub(crate) async fn user_page(state: &AppState, auth: &Auth, id: i64, flash: Option<String>) -> Result<Response, WebError> {
    let (user, grants) = state.app.managed_user(&auth.actor, id).await?;
    let snap = state.app.snapshot().await?;
    let grants = grants
        .iter()
        .map(|g| {
            let role = match auth.lang {
                crate::i18n::Lang::Vi => g.grant.role.label_vi(),
                crate::i18n::Lang::En => g.grant.role.label_en(),
            };
            let mut s = format!("{role} — {}", super::unit_name(&snap, g.grant.scope));
            if g.grant.include_descendants {
                s.push_str(crate::i18n::t(auth.lang, "account.and_below"));
            }
            if g.grant.delegated_by.is_some() {
                s.push_str(&format!(" ({})", crate::i18n::t(auth.lang, "users.delegated")));
            }
            s
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .map(|r| {
            (
                r.code(),
                match auth.lang {
                    crate::i18n::Lang::Vi => r.label_vi(),
                    crate::i18n::Lang::En => r.label_en(),
                },
            )
        })
        .collect();
    let l = Layout::new(state, auth, user.full_name.clone(), "admin").await.with_flash(flash);
    Ok(view::render(&UserPage {
        l,
        id,
        username: user.username,
        full_name: user.full_name,
        active: user.active,
        email: user.email.unwrap_or_default(),
        unit_head: user.unit_head,
        grants,
        roles,
        second_factor: state.app.user_has_second_factor(&auth.actor, id).await?,
    }))
}

pub async fn user_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    user_page(&state, &auth, id, None).await
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    only_this_unit: String,
}

pub async fn user_grant_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.managed_user(&auth.actor, id).await?;
    let Some(role) = Role::from_code(&f.role) else { return user_page(&state, &auth, id, Some("vai trò không hợp lệ".into())).await };
    let unit = match unit_by_code(&state, &f.unit).await {
        Ok(u) => u,
        Err(m) => return user_page(&state, &auth, id, Some(m)).await,
    };
    state.app.grant(Some(&auth.actor), id, role, unit, f.only_this_unit.is_empty()).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

pub async fn user_password_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.reset_password(Some(&auth.actor), id, &f.password).await {
        Ok(()) => user_page(&state, &auth, id, Some(crate::i18n::t(auth.lang, "users.reset_done").into())).await,
        Err(AppError::Invalid(m)) => user_page(&state, &auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    active: String,
}

pub async fn user_active_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.set_user_active(&auth.actor, id, f.active == "true").await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}")).into_response()),
        Err(AppError::Invalid(m)) => user_page(&state, &auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    unit_head: String,
}

pub async fn user_contact_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<ContactForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.set_user_contact(&auth.actor, id, &f.email, Some(!f.unit_head.is_empty())).await {
        Ok(()) => user_page(&state, &auth, id, Some(crate::i18n::t(auth.lang, "users.contact_saved").into())).await,
        Err(AppError::Invalid(m)) => user_page(&state, &auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "mail_outbox.html")]
struct OutboxPage {
    l: Layout,
    rows: Vec<OutboxRow>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

struct OutboxRow {
    created: String,
    kind: &'static str,
    to: String,
    subject: String,
    status: String,
    failed: bool,
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
}

/// The e-mail outbox: what was queued, sent, is waiting for a retry or was given up.
pub async fn mail_get(
    State(state): State<AppState>,
    auth: Auth,
    crate::extract::Query(pq): crate::extract::Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = state.app.mail_outbox(&auth.actor, thidua_app::ports::PageRequest::new(pq.page.unwrap_or(1), 50)).await?;
    let t = |k: &'static str| crate::i18n::t(auth.lang, k);
    let rows = page
        .items
        .iter()
        .map(|m| {
            let (status, failed) = match (m.sent_at_ms, m.gave_up_at_ms) {
                (Some(at), _) => (format!("{} {}", t("mail.sent"), view::datetime_ms(at)), false),
                (None, Some(_)) => (format!("{} ({})", t("mail.gave_up"), m.last_error.clone().unwrap_or_default()), true),
                (None, None) if m.attempts > 0 => (
                    format!(
                        "{} {} — {}",
                        t("mail.retry_at"),
                        view::datetime_ms(m.next_attempt_at_ms),
                        m.last_error.clone().unwrap_or_default()
                    ),
                    true,
                ),
                (None, None) => (t("mail.pending").to_string(), false),
            };
            OutboxRow {
                created: view::datetime_ms(m.created_at_ms),
                kind: match m.kind.as_str() {
                    "reminder" => t("mail.kind_reminder"),
                    "overdue" => t("mail.kind_overdue"),
                    "escalation" => t("mail.kind_escalation"),
                    _ => t("mail.kind_other"),
                },
                to: m.to.clone(),
                subject: m.subject.clone(),
                status,
                failed,
            }
        })
        .collect();
    let l = Layout::new(&state, &auth, t("mail.title"), "admin").await;
    Ok(view::render(&OutboxPage {
        l,
        rows,
        total: page.total,
        pages: page.pages(),
        page_links: view::page_links(page.page, page.pages()),
        base_url: "/admin/mail?".into(),
    }))
}
