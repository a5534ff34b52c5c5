//! Operations endpoints: liveness, readiness (database reachable), Prometheus metrics, 404.

use crate::AppState;
use crate::error::WebError;
use crate::session::lang_of;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn healthz_get() -> &'static str {
    "ok"
}

pub async fn readyz_get(State(state): State<AppState>) -> Response {
    match state.app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

pub async fn metrics_get(State(state): State<AppState>) -> impl IntoResponse {
    ([("content-type", "text/plain; version=0.0.4")], state.metrics.render())
}

pub async fn not_found(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let e = WebError::new(StatusCode::NOT_FOUND, "Không tìm thấy trang.").lang(lang_of(&headers));
    if uri.path().starts_with("/api/") { e.api().into_response() } else { e.into_response() }
}
