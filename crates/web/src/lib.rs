//! thidua web: the axum router with server-rendered pages (Vietnamese first, usable without
//! JavaScript), the JSON API under `/api/v1`, sessions, CSRF protection, health and metrics.
//!
//! Handlers only translate HTTP to use-case calls on [`thidua_app::App`]; access decisions,
//! validation and audit happen there.

mod api;
mod charts;
mod error;
mod extract;
mod flash;
mod heavy;
mod i18n;
mod metrics;
mod pages;
mod session;
mod view;

pub use error::WebError;
pub use i18n::Lang;
pub use metrics::Metrics;
pub use session::SESSION_COOKIE;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::sync::Arc;
use thidua_app::App;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    /// Largest number of data rows in one import file.
    pub max_import_rows: usize,
    /// Behind a reverse proxy: take the client address (for login throttling) from the first
    /// `X-Forwarded-For` entry instead of the TCP peer, which would be the proxy for everyone.
    pub trust_forwarded_for: bool,
    /// `GET /metrics` needs `Authorization: Bearer <token>`; without a token it answers only a
    /// client on the same machine (a collector scraping through loopback).
    pub metrics_token: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            max_upload_bytes: 64 * 1024 * 1024,
            max_import_rows: 2_000_000,
            trust_forwarded_for: false,
            metrics_token: None,
        }
    }
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
}

/// Builds the whole router.
pub fn router(app: App, config: WebConfig) -> Router {
    let limit = config.max_upload_bytes;
    let state = AppState { app, config: Arc::new(config), metrics: Arc::new(Metrics::default()) };
    Router::new()
        .route("/", get(pages::home::home_get))
        .route("/login", get(pages::login::login_get).post(pages::login::login_post))
        .route("/logout", post(pages::login::logout_post))
        .route("/lang/{lang}", get(pages::login::lang_get))
        .route("/search", get(pages::home::search_get))
        .route("/units/{id}", get(pages::units::unit_get))
        .route("/units/{id}/edit", get(pages::units::unit_edit_get).post(pages::units::unit_edit_post))
        .route("/units/{id}/new", get(pages::units::unit_new_get).post(pages::units::unit_new_post))
        .route("/units/{id}/active", post(pages::units::unit_active_post))
        .route("/units/{id}/history", get(pages::units::unit_history_get))
        .route("/units/{id}/export.xlsx", get(pages::units::unit_export_get))
        .route("/households", get(pages::households::households_get))
        .route("/households/export.xlsx", get(pages::households::households_export_get))
        .route("/households/new", get(pages::households::household_new_get).post(pages::households::household_new_post))
        .route("/households/{id}", get(pages::households::household_get))
        .route("/households/{id}/edit", get(pages::households::household_edit_get).post(pages::households::household_edit_post))
        .route("/households/{id}/active", post(pages::households::household_active_post))
        .route("/people", get(pages::people::people_get))
        .route("/people/export.xlsx", get(pages::people::people_export_get))
        .route("/people/new", get(pages::people::person_new_get).post(pages::people::person_new_post))
        .route("/people/{id}", get(pages::people::person_get))
        .route("/people/{id}/edit", get(pages::people::person_edit_get).post(pages::people::person_edit_post))
        .route("/people/{id}/active", post(pages::people::person_active_post))
        .route("/clans", get(pages::clans::clans_get))
        .route("/clans/export.xlsx", get(pages::clans::clans_export_get))
        .route("/clans/new", get(pages::clans::clan_new_get).post(pages::clans::clan_new_post))
        .route("/clans/{id}", get(pages::clans::clan_get))
        .route("/clans/{id}/edit", get(pages::clans::clan_edit_get).post(pages::clans::clan_edit_post))
        .route("/clans/{id}/active", post(pages::clans::clan_active_post))
        .route("/criteria", get(pages::criteria::criteria_get).post(pages::criteria::criteria_post))
        .route("/criteria/{id}", get(pages::criteria::criteria_set_get))
        .route("/titles", get(pages::titles::titles_get))
        .route("/titles/list", get(pages::titles::assessments_get))
        .route("/titles/template", get(pages::titles::template_get))
        .route("/titles/upload", post(pages::titles::upload_post))
        .route("/titles/decisions", get(pages::titles::decisions_get).post(pages::titles::decision_post))
        .route("/titles/decisions/{id}", get(pages::titles::decision_get))
        .route("/titles/decisions/{id}/decision.docx", get(pages::titles::decision_docx_get))
        .route("/titles/decisions/{id}/list.xlsx", get(pages::titles::decision_xlsx_get))
        .route("/titles/certificates/{id}", get(pages::titles::certificate_get))
        .route("/titles/duplicates", get(pages::titles::duplicates_get))
        .route("/titles/assess", get(pages::assessment::assess_get).post(pages::assessment::assess_post))
        .route("/titles/assessments/{id}", get(pages::assessment::assessment_get))
        .route("/xac-minh", get(pages::home::verify_box_get))
        .route("/xac-minh/{code}", get(pages::titles::verify_get))
        .route("/vinh-danh", get(pages::honour::honour_get))
        .route("/du-lieu-mo", get(pages::open_data::open_data_get))
        .route("/du-lieu-mo/danh-hieu.csv", get(pages::open_data::titles_csv_get))
        .route("/du-lieu-mo/danh-hieu.json", get(pages::open_data::titles_json_get))
        .route("/tin-tuc.atom", get(pages::open_data::feed_get))
        .route("/xep-hang", get(pages::open_data::ranking_get))
        .route("/guong-dien-hinh", get(pages::public_site::articles_get))
        .route("/guong-dien-hinh/{id}", get(pages::public_site::article_get))
        .route("/guong-dien-hinh/{id}/anh", get(pages::public_site::photo_get))
        .route("/hoc-lieu", get(pages::public_site::resources_get))
        .route("/hoc-lieu/{id}/tep", get(pages::public_site::resource_file_get))
        .route("/publications", get(pages::publications::list_get))
        .route("/publications/articles", post(pages::publications::create_post))
        .route("/publications/articles/new", get(pages::publications::new_get))
        .route("/publications/articles/{id}", get(pages::publications::article_get).post(pages::publications::article_post))
        .route("/publications/articles/{id}/step", post(pages::publications::step_post))
        .route("/publications/articles/{id}/photo", get(pages::publications::photo_get))
        .route("/publications/resources", post(pages::publications::resource_post))
        .route("/publications/resources/{id}/withdraw", post(pages::publications::resource_withdraw_post))
        .route("/households/{id}/consent", post(pages::households::consent_post))
        .route("/people/{id}/consent", post(pages::people::consent_post))
        .route("/awards", get(pages::awards::awards_get))
        .route("/awards/queue", get(pages::award_queue::queue_get))
        .route("/awards/forward", post(pages::award_queue::forward_post))
        .route("/awards/decide", post(pages::award_queue::decide_post))
        .route("/awards/campaigns", post(pages::awards::campaign_new_post))
        .route("/awards/campaigns/{id}", get(pages::awards::campaign_get))
        .route("/awards/campaigns/{id}/conference", post(pages::awards::campaign_conference_post))
        .route("/awards/campaigns/{id}/status", post(pages::awards::campaign_status_post))
        .route("/awards/campaigns/{id}/extension-request", post(pages::awards::extension_request_post))
        .route("/awards/extensions", get(pages::awards::extensions_get))
        .route("/awards/extensions/{campaign}/{unit}", post(pages::awards::extension_answer_post))
        .route("/awards/campaigns/{id}/batches", post(pages::awards::batch_new_post))
        .route("/awards/batches/{id}", get(pages::awards::batch_get))
        .route("/awards/batches/{id}/nominees", post(pages::awards::nominee_add_post))
        .route("/awards/batches/{id}/nominees/{nominee}", post(pages::awards::nominee_edit_post))
        .route("/awards/batches/{id}/nominees/{nominee}/remove", post(pages::awards::nominee_remove_post))
        .route("/awards/batches/{id}/documents", post(pages::awards::document_post))
        .route("/awards/batches/{id}/step", post(pages::awards::step_post))
        .route("/awards/documents/{id}", get(pages::awards::document_get))
        .route("/awards/batches/{id}/to-trinh.docx", get(pages::award_docs::batch_docx_get))
        .route("/awards/batches/{id}/list.xlsx", get(pages::award_docs::batch_xlsx_get))
        .route("/awards/batches/{id}/nominees/{nominee}/report.docx", get(pages::award_docs::report_docx_get))
        .route("/awards/consolidations/{id}/to-trinh.docx", get(pages::award_docs::consolidation_docx_get))
        .route("/awards/consolidations/{id}/list.xlsx", get(pages::award_docs::consolidation_xlsx_get))
        .route("/awards/consolidations/{id}/draft-decision.docx", get(pages::award_docs::draft_decision_get))
        .route("/awards/decisions/{id}/decision.docx", get(pages::award_docs::decision_docx_get))
        .route("/awards/decisions/{id}/list.xlsx", get(pages::award_docs::decision_xlsx_get))
        .route("/awards/decisions", get(pages::award_queue::decisions_get))
        .route("/awards/certificates/{id}", get(pages::award_queue::certificate_get))
        .route("/dashboard", get(pages::dashboard::dashboard_get))
        .route("/dashboard/export.xlsx", get(pages::dashboard::dashboard_xlsx_get))
        .route("/reports", get(pages::reports::reports_get))
        .route("/reports/review/{year}", get(pages::reports::review_get))
        .route("/reports/review/{year}/report.docx", get(pages::reports::review_docx_get))
        .route("/reports/{year}/lock", post(pages::reports::lock_post))
        .route("/reports/{year}/city.docx", get(pages::reports::city_docx_get))
        .route("/reports/{year}/units.xlsx", get(pages::reports::units_xlsx_get))
        .route("/reports/{year}/{unit}", get(pages::reports::report_get).post(pages::reports::report_post))
        .route("/reports/{year}/{unit}/step", post(pages::reports::report_step_post))
        .route("/reports/{year}/{unit}/annex.xlsx", get(pages::reports::unit_xlsx_get))
        .route("/awards/decisions/{id}", get(pages::award_queue::decision_get))
        .route("/awards/decisions/{id}/scan", get(pages::award_queue::decision_scan_get).post(pages::award_queue::decision_scan_post))
        .route("/awards/batches/{id}/extension", post(pages::awards::extension_post))
        .route("/calendar", get(pages::calendar::calendar_get))
        .route("/calendar/{year}", post(pages::calendar::calendar_post))
        .route("/import", get(pages::import::import_get).post(pages::import::import_post))
        .route("/import/template/{kind}", get(pages::import::import_template_get))
        .route("/audit", get(pages::audit::audit_get))
        .route("/audit/export.xlsx", get(pages::audit::audit_export_get))
        .route("/account", get(pages::account::account_get))
        .route("/account/password", post(pages::account::account_password_post))
        .route("/account/tokens", post(pages::account::account_token_post))
        .route("/account/tokens/{id}/revoke", post(pages::account::account_token_revoke_post))
        .route("/account/delegate", post(pages::account::account_delegate_post))
        .route("/account/delegations/{id}/end", post(pages::account::account_delegation_end_post))
        .route("/account/email", post(pages::account::account_email_post))
        .route("/admin/users", get(pages::admin::users_get).post(pages::admin::users_post))
        .route("/admin/users/{id}", get(pages::admin::user_get))
        .route("/admin/users/{id}/grants", post(pages::admin::user_grant_post))
        .route("/admin/users/{id}/password", post(pages::admin::user_password_post))
        .route("/admin/users/{id}/active", post(pages::admin::user_active_post))
        .route("/admin/users/{id}/contact", post(pages::admin::user_contact_post))
        .route("/admin/mail", get(pages::admin::mail_get))
        .route("/static/app.css", get(pages::assets::css_get))
        .route("/static/app.js", get(pages::assets::js_get))
        .route("/healthz", get(pages::ops::healthz_get))
        .route("/readyz", get(pages::ops::readyz_get))
        .route("/metrics", get(pages::ops::metrics_get))
        .merge(api::routes())
        .fallback(pages::ops::not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::with_menu))
        .layer(axum::middleware::from_fn_with_state(state.clone(), flash::confirm_actions))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// The pages run no script and load nothing from elsewhere: anything injected into a page
/// despite escaping would not run.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Headers on every response: browsers take a served file for what its content type says (an
/// uploaded photo or document is never run as a page), no other site frames our pages, addresses
/// are not leaked to other sites, no script runs that we did not serve, and nothing is kept in a
/// cache unless the handler said so (public pages and assets do; everything behind login is
/// `no-store`, so a shared computer's back button shows no one's records).
async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.entry(header::X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    h.entry(header::X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("DENY"));
    h.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("same-origin"));
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    r
}
