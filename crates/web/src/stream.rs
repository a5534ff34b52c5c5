//! Lists exported as CSV, streamed. The first page is read before the answer starts, so that a
//! refusal (scope, a sort the list cannot take) is an error page and not a broken file; then a
//! task reads page after page by key and sends each as soon as it is written. The file starts
//! within one page's time, and the server holds two pages of it at most, whatever its length.
//! A failure midway ends the download with an error (the browser shows it failed), never a file
//! that looks complete.

use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, Response};
use std::future::Future;
use thidua_app::error::AppResult;
use thidua_app::ports::At;

/// One page of an export's rows and where the next starts.
pub(crate) type ExportPage = (Vec<Vec<String>>, Option<At>);

/// Pages sent ahead of the client at most.
const AHEAD: usize = 2;

/// The CSV of a list: `first` (already read), then every page `next_page` gives from its
/// position on.
pub(crate) fn csv<F, Fut>(
    file_name: &str,
    headers: &[String],
    first: ExportPage,
    mut next_page: F,
) -> Result<Response, crate::error::WebError>
where
    F: FnMut(At) -> Fut + Send + 'static,
    Fut: Future<Output = AppResult<ExportPage>> + Send,
{
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let start = thidua_documents::csv_chunk(Some(&headers), &first.0).map_err(failed)?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(AHEAD);
    let name = file_name.to_string();
    tokio::spawn(async move {
        if sender.send(Ok(Bytes::from(start))).await.is_err() {
            return;
        }
        let mut at = first.1;
        while let Some(position) = at.take() {
            let chunk = next_page(position).await.map_err(|e| e.to_string()).and_then(|(rows, next)| {
                at = next;
                thidua_documents::csv_chunk(None, &rows).map_err(|e| e.to_string())
            });
            let item = chunk.map(Bytes::from).map_err(|e| {
                tracing::error!(file = %name, error = %e, "CSV export stopped midway");
                std::io::Error::other(e)
            });
            let stop = item.is_err();
            // The client went away, or the export failed: stop reading.
            if sender.send(item).await.is_err() || stop {
                return;
            }
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    Ok((
        [("content-type", "text/csv; charset=utf-8".to_string()), ("content-disposition", format!("attachment; filename=\"{file_name}\""))],
        Body::from_stream(body),
    )
        .into_response())
}

fn failed(e: csv::Error) -> crate::error::WebError {
    crate::error::WebError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}
