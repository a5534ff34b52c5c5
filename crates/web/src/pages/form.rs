//! Reading a posted form by hand, for the handlers whose fields repeat or are named by data
//! (`pick`, `refuse_<id>`): the pairs as sent, one field, a number, a dd/mm/yyyy date. Shared by
//! the commendation, queue and publication pages.

use crate::error::WebError;
use axum::body::Bytes;
use thidua_domain::dates;

/// A form body as its (name, value) pairs, repeated names kept.
pub(crate) fn pairs(body: &Bytes) -> Result<Vec<(String, String)>, WebError> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).map_err(|_| WebError::bad_request("Biểu mẫu không đọc được."))
}

pub(crate) fn field<'a>(p: &'a [(String, String)], name: &str) -> &'a str {
    p.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

pub(crate) fn num(p: &[(String, String)], name: &str) -> Result<i64, WebError> {
    field(p, name).trim().parse().map_err(|_| WebError::bad_request(format!("Thiếu hoặc sai trường «{name}».")))
}

pub(crate) fn date_field(p: &[(String, String)], name: &str, label: &str) -> Result<time::Date, String> {
    dates::parse_dmy(field(p, name)).map_err(|_| format!("{label} «{}» không đúng dạng dd/mm/yyyy.", field(p, name)))
}

/// Percent-encodes a file name for `Content-Disposition: …; filename*=UTF-8''…` (RFC 5987).
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
