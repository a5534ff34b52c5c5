//! Heavy work off the request threads: reading and importing an uploaded file runs on tokio's
//! blocking pool, at most [`AT_ONCE`] at a time, so that a hostile or merely large file never
//! holds the threads that answer every other request (`/healthz` included).

use crate::error::WebError;
use axum::http::StatusCode;
use std::future::Future;
use tokio::sync::Semaphore;

/// Files parsed or imported at the same time; the others wait their turn.
pub const AT_ONCE: usize = 2;

static PERMITS: Semaphore = Semaphore::const_new(AT_ONCE);

/// Runs `work` to completion on the blocking pool, once a permit is free. Its database calls
/// are driven by the runtime as usual; only its CPU-bound parts (inflating, parsing, validating)
/// stay on the blocking thread.
pub async fn off_thread<T, F>(work: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let _permit = PERMITS.acquire().await.map_err(|_| busy())?;
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(work)).await.map_err(|e| {
        tracing::error!(error = %e, "a file task failed");
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "Xử lý tệp gặp lỗi; tệp chưa được ghi.")
    })
}

fn busy() -> WebError {
    WebError::new(StatusCode::SERVICE_UNAVAILABLE, "Máy chủ đang dừng; vui lòng thử lại sau.")
}
