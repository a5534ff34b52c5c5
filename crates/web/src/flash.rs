//! A confirmation after every action: when a form's POST succeeds and sends the browser on
//! (303), the next page says what was done («Đã lưu», «Đã gửi», «Đã tải lên»…). What was done is
//! read from the action's address, in this one place, so no handler can forget it; the message
//! travels as a code in a one-minute cookie and is shown once.

use crate::session::{SESSION_COOKIE, cookie, set_cookie};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

const FLASH_COOKIE: &str = "thidua_flash";

/// What a successful action did, by the address it was posted to.
fn done_by(path: &str) -> &'static str {
    let last = path.rsplit('/').next().unwrap_or("");
    match last {
        "step" | "forward" | "decide" | "consolidate" => "sent",
        "documents" | "scan" | "upload" | "photo" | "resources" => "uploaded",
        "nominees" | "grants" | "new" | "batches" | "campaigns" | "articles" | "clans" | "households" | "people" | "privacy-request" => {
            "added"
        }
        "remove" | "revoke" | "end" => "removed",
        "active" | "consent" | "status" => "changed",
        "login" | "logout" | "lang" => "",
        _ => "saved",
    }
}

/// The sentence for a code (unknown codes show nothing: the cookie is not trusted to carry text).
pub fn message(code: &str) -> Option<&'static str> {
    Some(match code {
        "sent" => "Đã gửi, chuyển bước thành công.",
        "uploaded" => "Đã tải tệp lên.",
        "added" => "Đã thêm.",
        "removed" => "Đã gỡ bỏ.",
        "changed" => "Đã cập nhật trạng thái.",
        "saved" => "Đã lưu.",
        _ => return None,
    })
}

/// The code the browser carries from the previous action, if any.
pub fn pending(headers: &axum::http::HeaderMap) -> Option<&'static str> {
    cookie(headers, FLASH_COOKIE).as_deref().and_then(message)
}

/// Sets the cookie after a successful form action; clears it once a page has shown it.
pub async fn confirm_actions(axum::extract::State(state): axum::extract::State<crate::AppState>, req: Request, next: Next) -> Response {
    let secure = state.config.secure_cookies;
    let path = req.uri().path().to_string();
    let posted_form = req.method() == Method::POST && !path.starts_with("/api/") && cookie(req.headers(), SESSION_COOKIE).is_some();
    let had_flash = cookie(req.headers(), FLASH_COOKIE).is_some();
    let mut r = next.run(req).await;
    let is_page = r.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if posted_form && r.status() == StatusCode::SEE_OTHER {
        let code = done_by(&path);
        if !code.is_empty()
            && let Ok(v) = HeaderValue::from_str(&set_cookie(FLASH_COOKIE, code, 60, secure, true))
        {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    } else if had_flash
        && is_page
        && r.status() == StatusCode::OK
        && let Ok(v) = HeaderValue::from_str(&set_cookie(FLASH_COOKIE, "", 0, secure, true))
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_done_is_read_from_the_address() {
        assert_eq!(done_by("/awards/batches/7/step"), "sent");
        assert_eq!(done_by("/awards/batches/7/documents"), "uploaded");
        assert_eq!(done_by("/awards/batches/7/nominees"), "added");
        assert_eq!(done_by("/households/3/edit"), "saved");
        assert_eq!(done_by("/login"), "");
    }

    #[test]
    fn a_cookie_cannot_put_its_own_words_on_the_page() {
        assert_eq!(message("<script>"), None);
        assert_eq!(message("saved"), Some("Đã lưu."));
    }
}
