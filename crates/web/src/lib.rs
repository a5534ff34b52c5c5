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
mod i18n_account;
mod i18n_privacy;
mod metrics;
mod pages;
pub mod routes;
mod session;
mod stream;
mod view;

pub use error::WebError;
pub use i18n::Lang;
pub use metrics::Metrics;
pub use session::SESSION_COOKIE;

use axum::Router;
use axum::extract::DefaultBodyLimit;
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
    let (pages, api) = routes::mount(Router::new(), Router::new());
    pages
        .merge(api::with_problems(api))
        // The gate runs inside every matched route (it reads the route template): permission
        // before the handler and before the body.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), routes::gate))
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
