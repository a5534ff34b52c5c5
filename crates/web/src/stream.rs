//! Lists exported as CSV or `.xlsx`, streamed. The first page is read before the answer starts, so that a
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

/// How a streamed list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// UTF-8 CSV with a byte-order mark, for any spreadsheet.
    Csv,
    /// An Excel workbook (sheets «(2)», «(3)»… past Excel's rows per sheet).
    Xlsx,
}

/// A file being written: the bytes of each page as it comes, and of its end.
enum Writer {
    Csv,
    Xlsx(Box<thidua_documents::XlsxStream>),
}

impl Writer {
    fn start(format: Format, title: &str, headers: &[String], first: &[Vec<String>]) -> Result<(Writer, Vec<u8>), String> {
        match format {
            Format::Csv => {
                let h: Vec<&str> = headers.iter().map(String::as_str).collect();
                Ok((Writer::Csv, thidua_documents::csv_chunk(Some(&h), first).map_err(|e| e.to_string())?))
            }
            Format::Xlsx => {
                let mut x = thidua_documents::XlsxStream::new(title, headers).map_err(|e| e.to_string())?;
                let bytes = x.rows(first).map_err(|e| e.to_string())?;
                Ok((Writer::Xlsx(Box::new(x)), bytes))
            }
        }
    }

    fn page(&mut self, rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
        match self {
            Writer::Csv => thidua_documents::csv_chunk(None, rows).map_err(|e| e.to_string()),
            Writer::Xlsx(x) => x.rows(rows).map_err(|e| e.to_string()),
        }
    }

    fn finish(self) -> Result<Vec<u8>, String> {
        match self {
            Writer::Csv => Ok(Vec::new()),
            Writer::Xlsx(x) => x.finish().map_err(|e| e.to_string()),
        }
    }
}

/// A list in `format` (its sheet named `title`): `first` (already read), then every page
/// `next_page` gives from its position on.
pub(crate) fn list<F, Fut>(
    format: Format,
    file_name: &str,
    title: &str,
    headers: &[String],
    first: ExportPage,
    mut next_page: F,
) -> Result<Response, crate::error::WebError>
where
    F: FnMut(At) -> Fut + Send + 'static,
    Fut: Future<Output = AppResult<ExportPage>> + Send,
{
    let (mut writer, start) = Writer::start(format, title, headers, &first.0).map_err(failed)?;
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
                writer.page(&rows)
            });
            let item = chunk.map(Bytes::from).map_err(|e| stopped(&name, e));
            let stop = item.is_err();
            // The client went away, or the export failed: stop reading.
            if sender.send(item).await.is_err() || stop {
                return;
            }
        }
        let end = writer.finish().map(Bytes::from).map_err(|e| stopped(&name, e));
        let _ = sender.send(end).await;
    });
    let body = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    Ok((
        [("content-type", content_type.to_string()), ("content-disposition", format!("attachment; filename=\"{file_name}\""))],
        Body::from_stream(body),
    )
        .into_response())
}

fn stopped(file: &str, e: String) -> std::io::Error {
    tracing::error!(file = %file, error = %e, "export stopped midway");
    std::io::Error::other(e)
}

fn failed(e: String) -> crate::error::WebError {
    crate::error::WebError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}
