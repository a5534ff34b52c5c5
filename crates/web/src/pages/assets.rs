//! Static assets, embedded in the binary.

use axum::response::IntoResponse;

pub async fn css_get() -> impl IntoResponse {
    ([("content-type", "text/css; charset=utf-8"), ("cache-control", "public, max-age=3600")], include_str!("../../static/app.css"))
}

/// The progressive enhancements (tables as labelled cards on phones); no page needs it to work.
pub async fn js_get() -> impl IntoResponse {
    ([("content-type", "text/javascript; charset=utf-8"), ("cache-control", "public, max-age=3600")], include_str!("../../static/app.js"))
}
