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
    match state.app.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Prometheus text, for the collector only: with `metrics_token` set, to a request bearing it;
/// without, to a client on this machine. Anyone else gets the 404 of a page that is not there.
pub async fn metrics_get(State(state): State<AppState>, headers: HeaderMap, request: axum::extract::Request) -> Response {
    use sha2::{Digest, Sha256};
    let allowed = match state.config.metrics_token.as_deref().filter(|t| !t.is_empty()) {
        Some(token) => {
            let given = headers
                .get(axum::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            // Compared as digests, so that the time taken says nothing about the token.
            Sha256::digest(given.trim().as_bytes()) == Sha256::digest(token.as_bytes())
        }
        None => request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().is_some_and(|c| c.0.ip().is_loopback()),
    };
    if !allowed {
        return not_found(headers, request.uri().clone()).await;
    }
    ([("content-type", "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}

pub async fn not_found(headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let e = WebError::new(StatusCode::NOT_FOUND, "Không tìm thấy trang.").lang(lang_of(&headers));
    if uri.path().starts_with("/api/") { e.api().into_response() } else { e.into_response() }
}
