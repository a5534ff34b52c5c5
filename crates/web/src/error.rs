//! How failures reach users: an HTML error page for the browser, `application/problem+json`
//! (RFC 9457) for the API. Internal error text is logged with an operation id, never shown.

use crate::i18n::Lang;
use crate::view;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use thidua_app::AppError;
use thidua_domain::import::RowError;

/// An error of a page handler.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
    pub lang: Lang,
    pub api: bool,
    pub rows: Vec<RowError>,
    /// Where to try again (the same page without the value that did not read).
    pub back: Option<String>,
}

impl WebError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        WebError { status, message: message.into(), lang: Lang::Vi, api: false, rows: vec![], back: None }
    }

    pub fn api(mut self) -> Self {
        self.api = true;
        self
    }

    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        WebError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn forbidden() -> Self {
        WebError::new(StatusCode::FORBIDDEN, AppError::Forbidden.to_string())
    }
}

/// A short random id that ties the page a user sees to the log line an operator reads.
pub fn operation_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 6];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        let status = match &e {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) | AppError::Rows(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy | AppError::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let rows = if let AppError::Rows(r) = &e { r.clone() } else { vec![] };
        let message = if let AppError::Storage(inner) = &e {
            let id = operation_id();
            tracing::error!(operation_id = %id, error = %inner, "storage failure");
            format!("Hệ thống gặp sự cố (mã tra cứu {id}). Vui lòng thử lại hoặc báo quản trị viên.")
        } else {
            e.to_string()
        };
        WebError { status, message, lang: Lang::Vi, api: false, rows, back: None }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if self.api {
            let title = self.status.canonical_reason().unwrap_or("Error");
            let mut body = serde_json::json!({
                "type": "about:blank",
                "title": title,
                "status": self.status.as_u16(),
                "detail": self.message,
            });
            if !self.rows.is_empty() {
                body["errors"] = serde_json::to_value(&self.rows).unwrap_or_default();
            }
            return (self.status, [("content-type", "application/problem+json")], body.to_string()).into_response();
        }
        let shown = ErrorShown { status: self.status, message: self.message, back: self.back };
        let mut r = view::error_page(view::Layout::anonymous(self.lang, crate::i18n::t(self.lang, "error.title")), &shown);
        r.extensions_mut().insert(shown);
        r
    }
}

/// What an HTML error page said, kept on the response so that [`with_menu`] can draw the same
/// page again inside the signed-in user's frame.
#[derive(Debug, Clone)]
pub struct ErrorShown {
    pub status: StatusCode,
    pub message: String,
    pub back: Option<String>,
}

/// An error page for a signed-in user keeps the menu: the page is drawn again in the user's
/// frame (one session lookup, only on errors). One place for every handler and extractor.
pub async fn with_menu(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let mut kept = parts.clone();
    let response = next.run(axum::extract::Request::from_parts(parts, body)).await;
    let Some(shown) = response.extensions().get::<ErrorShown>().cloned() else {
        return response;
    };
    if kept.uri.path().starts_with("/api/") || crate::session::cookie(&kept.headers, crate::SESSION_COOKIE).is_none() {
        return response;
    }
    let Ok(auth) = <crate::session::Auth as axum::extract::FromRequestParts<crate::AppState>>::from_request_parts(&mut kept, &state).await
    else {
        return response;
    };
    let layout = view::Layout::new(&state, &auth, crate::i18n::t(auth.lang, "error.title"), "").await;
    let mut again = view::error_page(layout, &shown);
    for (name, value) in response.headers() {
        if name != axum::http::header::CONTENT_LENGTH && name != axum::http::header::CONTENT_TYPE {
            again.headers_mut().append(name.clone(), value.clone());
        }
    }
    again
}
