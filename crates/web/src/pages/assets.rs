//! Static assets, embedded in the binary.

use axum::response::IntoResponse;

pub async fn css_get() -> impl IntoResponse {
    ([("content-type", "text/css; charset=utf-8"), ("cache-control", "public, max-age=3600")], include_str!("../../static/app.css"))
}
