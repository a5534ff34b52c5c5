//! Reading what a browser or client sent — the query string, a posted form, the ids in the path —
//! by our own rules instead of the framework's, so that a value that does not read answers a
//! Vietnamese page naming the field and what to type (a problem document on the API), never
//! axum's English `Failed to deserialize query string`.
//!
//! The rules: a number may carry spaces around it (phones add one after a word they complete:
//! "2026 " is 2026); an empty box is an absent value; query text is NFC with its spaces tidied
//! (what a search box holds); form text arrives as typed (passwords, multi-line notes), and the
//! use cases clean it.

use crate::AppState;
use crate::error::WebError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::value::{MapDeserializer, StringDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use std::fmt;

/// The query string, read by [`from_pairs`]; a bad value answers 400 with the field named.
pub struct Query<T>(pub T);

/// A posted `application/x-www-form-urlencoded` form, read by [`from_pairs`].
pub struct Form<T>(pub T);

/// The parameters in the path: on a page, one that does not read (`/households/abc`) is a page that
/// does not exist, answered as 404 like any other; on the API it is a 400 problem.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .map_err(|_| rejection(parts, FieldError::unreadable(), query))?
            .into_iter()
            .map(|(k, v)| (k, thidua_domain::text::clean(&v)))
            .collect();
        // A person's empty box is an absent value; a program that sends `per_page=` sent a
        // value its contract says is a number, and is told so.
        let strict = parts.uri.path().starts_with("/api/");
        read_pairs(pairs, strict).map(Query).map_err(|e| rejection(parts, e, query))
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Form<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let form_type = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
        if !form_type {
            return Err(in_language(
                &parts,
                WebError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Biểu mẫu phải được gửi từ trang (application/x-www-form-urlencoded)."),
            ));
        }
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state).await.map_err(|e| {
            let too_big = e.status() == StatusCode::PAYLOAD_TOO_LARGE;
            let message =
                if too_big { "Biểu mẫu quá lớn." } else { "Biểu mẫu gửi không trọn vẹn; vui lòng gửi lại." };
            in_language(&parts, WebError::new(if too_big { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::BAD_REQUEST }, message))
        })?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| rejection(&parts, FieldError::unreadable(), ""))?;
        from_pairs(pairs).map(Form).map_err(|e| rejection(&parts, e, ""))
    }
}

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Path<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(t)) => Ok(Path(t)),
            // A client of the API is told what it sent wrong; a person following a link is
            // told the page does not exist.
            Err(_) if parts.uri.path().starts_with("/api/") => {
                Err(in_language(parts, WebError::bad_request("Tham số trên đường dẫn không đúng kiểu (xem tài liệu /api/openapi.json).")))
            }
            Err(_) => Err(in_language(parts, WebError::from(thidua_app::AppError::NotFound))),
        }
    }
}

fn in_language(parts: &Parts, e: WebError) -> WebError {
    let e = e.lang(crate::session::lang_of(&parts.headers));
    if parts.uri.path().starts_with("/api/") { e.api() } else { e }
}

/// The answer to a value that does not read: what was wrong, and a link to the same page without
/// that value.
fn rejection(parts: &Parts, e: FieldError, query: &str) -> WebError {
    let mut w = in_language(parts, WebError::bad_request(e.message()));
    if let Some(field) = e.field.as_deref().filter(|_| !query.is_empty()) {
        let kept: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k != field)
            .collect();
        let rest = serde_urlencoded::to_string(kept).unwrap_or_default();
        let path = parts.uri.path();
        w.back = Some(if rest.is_empty() { path.to_string() } else { format!("{path}?{rest}") });
    }
    w
}

/// Deserializes `T` from (name, value) pairs: numbers are trimmed before they are read, an empty
/// value is an absent one, text is kept as given.
pub fn from_pairs<T: DeserializeOwned>(pairs: Vec<(String, String)>) -> Result<T, FieldError> {
    read_pairs(pairs, false)
}

/// As [`from_pairs`]; `strict` (the API): an empty value of a number or yes/no is not absent
/// but a value that does not read.
fn read_pairs<T: DeserializeOwned>(pairs: Vec<(String, String)>, strict: bool) -> Result<T, FieldError> {
    let values = pairs.into_iter().map(|(k, v)| (k.clone(), Value { field: k, raw: v, strict }));
    T::deserialize(MapDeserializer::new(values))
}

/// What a value should have looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Integer,
    Decimal,
    YesNo,
    Choice,
    Present,
    Readable,
}

/// Why the pairs did not make a `T`: which field, what it held, what it should hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<String>,
    pub value: Option<String>,
    pub expected: Expected,
}

impl FieldError {
    fn unreadable() -> Self {
        FieldError { field: None, value: None, expected: Expected::Readable }
    }

    fn of(v: &Value, expected: Expected) -> Self {
        FieldError { field: Some(v.field.clone()), value: Some(v.raw.clone()), expected }
    }

    /// The sentence shown to the user (Vietnamese: the field's label, what was typed, what to type).
    pub fn message(&self) -> String {
        let (label, hint) = self.field.as_deref().map(describe).unwrap_or(("", None));
        let what = match self.expected {
            Expected::Integer => hint.unwrap_or("một số nguyên, ví dụ 12"),
            Expected::Decimal => "một số, ví dụ 12,5",
            Expected::YesNo => "có hoặc không",
            Expected::Choice => "một lựa chọn trong danh sách",
            Expected::Present => return format!("Thiếu «{label}»."),
            Expected::Readable => return "Địa chỉ hoặc biểu mẫu có giá trị không đọc được.".to_string(),
        };
        let typed: String = self.value.as_deref().unwrap_or("").chars().take(60).collect();
        format!("«{label}» không đọc được giá trị «{typed}»: hãy nhập {what}.")
    }
}

/// The label a user knows a field by, and what to type into it when it is a number.
fn describe(field: &str) -> (&str, Option<&'static str>) {
    match field {
        "year" | "nam" => ("Năm", Some("một năm gồm 4 chữ số, ví dụ 2026")),
        "page" => ("Trang", Some("số thứ tự của trang, ví dụ 2")),
        "unit" => ("Đơn vị", Some("một đơn vị chọn từ danh sách")),
        "household" => ("Hộ gia đình", Some("một hộ chọn từ danh sách")),
        "subject" => ("Đối tượng", Some("một đối tượng chọn từ danh sách")),
        "set" => ("Bộ tiêu chí", Some("một bộ tiêu chí chọn từ danh sách")),
        "version" => ("Phiên bản", Some("số phiên bản của bản ghi (tải lại trang rồi gửi lại)")),
        "grant" => ("Quyền", Some("một quyền chọn từ danh sách")),
        "title" | "loai" => ("Danh hiệu", None),
        "q" => ("Tìm kiếm", None),
        other => (other, None),
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FieldError {}

impl de::Error for FieldError {
    fn custom<M: fmt::Display>(_msg: M) -> Self {
        FieldError::unreadable()
    }

    fn missing_field(field: &'static str) -> Self {
        FieldError { field: Some(field.to_string()), value: None, expected: Expected::Present }
    }
}

/// One value, with the field it came in (for the error).
struct Value {
    field: String,
    raw: String,
    strict: bool,
}

impl Value {
    fn number<N: std::str::FromStr>(&self, expected: Expected) -> Result<N, FieldError> {
        self.raw.trim().parse().map_err(|_| FieldError::of(self, expected))
    }
}

impl<'de> IntoDeserializer<'de, FieldError> for Value {
    type Deserializer = Value;

    fn into_deserializer(self) -> Value {
        self
    }
}

macro_rules! numbers {
    ($($method:ident $visit:ident $ty:ty, $expected:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
            visitor.$visit(self.number::<$ty>($expected)?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = FieldError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_string(self.raw)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        if self.raw.trim().is_empty() && !self.strict { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self.raw.trim() {
            "on" | "true" | "1" | "yes" => visitor.visit_bool(true),
            "off" | "false" | "0" | "no" => visitor.visit_bool(false),
            "" if !self.strict => visitor.visit_bool(false),
            _ => Err(FieldError::of(&self, Expected::YesNo)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        let choice: StringDeserializer<FieldError> = self.raw.trim().to_string().into_deserializer();
        de::Deserializer::deserialize_enum(choice, name, variants, visitor).map_err(|_| FieldError::of(&self, Expected::Choice))
    }

    numbers! {
        deserialize_i8 visit_i8 i8, Expected::Integer;
        deserialize_i16 visit_i16 i16, Expected::Integer;
        deserialize_i32 visit_i32 i32, Expected::Integer;
        deserialize_i64 visit_i64 i64, Expected::Integer;
        deserialize_u8 visit_u8 u8, Expected::Integer;
        deserialize_u16 visit_u16 u16, Expected::Integer;
        deserialize_u32 visit_u32 u32, Expected::Integer;
        deserialize_u64 visit_u64 u64, Expected::Integer;
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_f32(self.decimal()? as f32)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_f64(self.decimal()?)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl Value {
    /// A decimal as Vietnamese write it (`12,5`) or as a number box sends it (`12.5`).
    fn decimal(&self) -> Result<f64, FieldError> {
        let t = self.raw.trim();
        let t = if t.contains(',') && !t.contains('.') { t.replace(',', ".") } else { t.to_string() };
        t.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| FieldError::of(self, Expected::Decimal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Q {
        year: Option<i64>,
        #[serde(default)]
        q: String,
        page: Option<u32>,
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_year_with_spaces_around_it_is_a_year() {
        let q: Q = from_pairs(pairs(&[("year", " 2026 ")])).expect("reads");
        assert_eq!(q.year, Some(2026));
    }

    #[test]
    fn an_empty_box_is_an_absent_value() {
        let q: Q = from_pairs(pairs(&[("year", ""), ("page", "  ")])).expect("reads");
        assert_eq!((q.year, q.page), (None, None));
    }

    #[test]
    fn a_word_in_a_year_box_names_the_field_and_what_to_type() {
        let e = from_pairs::<Q>(pairs(&[("year", "Nguyễn Văn An")])).expect_err("not a year");
        assert_eq!(e.field.as_deref(), Some("year"));
        assert_eq!(e.message(), "«Năm» không đọc được giá trị «Nguyễn Văn An»: hãy nhập một năm gồm 4 chữ số, ví dụ 2026.");
    }

    #[test]
    fn a_negative_page_is_not_a_page() {
        let e = from_pairs::<Q>(pairs(&[("page", "-1")])).expect_err("u32");
        assert_eq!(e.field.as_deref(), Some("page"));
    }

    #[test]
    fn text_is_kept_as_given() {
        let q: Q = from_pairs(pairs(&[("q", " Trần  Thị ")])).expect("reads");
        assert_eq!(q.q, " Trần  Thị ");
    }

    #[test]
    fn a_missing_required_field_says_which() {
        #[derive(Debug, Deserialize)]
        struct R {
            #[allow(dead_code)]
            subject: i64,
        }
        let e = from_pairs::<R>(vec![]).expect_err("missing");
        assert_eq!(e.message(), "Thiếu «Đối tượng».");
    }

    #[test]
    fn repeated_and_data_named_fields_read_as_pairs() {
        let v: Vec<(String, String)> = from_pairs(pairs(&[("pick", "1"), ("pick", "2"), ("refuse_7", "x")])).expect("pairs");
        assert_eq!(v.len(), 3);
    }

    #[test]
    fn a_decimal_reads_with_a_comma_or_a_point() {
        #[derive(Deserialize)]
        struct D {
            v: f64,
        }
        assert_eq!(from_pairs::<D>(pairs(&[("v", "12,5")])).expect("comma").v, 12.5);
        assert_eq!(from_pairs::<D>(pairs(&[("v", "12.5")])).expect("point").v, 12.5);
        assert!(from_pairs::<D>(pairs(&[("v", "NaN")])).is_err());
    }

    #[test]
    fn a_checkbox_is_on_or_absent() {
        #[derive(Deserialize)]
        struct C {
            #[serde(default)]
            dry_run: bool,
        }
        assert!(from_pairs::<C>(pairs(&[("dry_run", "on")])).expect("on").dry_run);
        assert!(!from_pairs::<C>(vec![]).expect("absent").dry_run);
    }
}
