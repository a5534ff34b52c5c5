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

/// What the user typed into a form that was refused, drawn again as typed (a refusal never
/// empties a box). `form` names the form it came from, so only that form is refilled.
#[derive(Debug, Default, Clone)]
pub(crate) struct Typed {
    pub(crate) form: String,
    pairs: Vec<(String, String)>,
    /// What the typed name may mean, to choose from: (code, label).
    pub(crate) choices: Vec<(String, String)>,
    /// More subjects match than are offered.
    pub(crate) more: bool,
}

impl Typed {
    pub(crate) fn from(form: impl Into<String>, pairs: &[(String, String)]) -> Typed {
        Typed {
            form: form.into(),
            pairs: pairs.iter().filter(|(k, _)| k != "_csrf" && k != "version").cloned().collect(),
            choices: vec![],
            more: false,
        }
    }

    /// The same, offering the subjects the typed name may mean.
    pub(crate) fn with_choices(mut self, choices: Vec<(String, String)>, more: bool) -> Typed {
        self.choices = choices;
        self.more = more;
        self
    }

    /// The value typed into `name` of `form`, if that form was the one refused.
    pub(crate) fn get(&self, form: &str, name: &str) -> Option<&str> {
        if self.form != form {
            return None;
        }
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The typed value, or what the box holds when nothing was typed.
    pub(crate) fn or<'a>(&'a self, form: &str, name: &str, otherwise: &'a str) -> &'a str {
        self.get(form, name).unwrap_or(otherwise)
    }

    /// The typed value of `name` in a form, empty when nothing was typed (templates).
    pub(crate) fn value(&self, form: &str, name: &str) -> &str {
        self.get(form, name).unwrap_or("")
    }

    /// A field of a step form (`step-<code>`), named `<prefix><id>` when `id` is given.
    pub(crate) fn in_step(&self, code: &str, name: &str, id: Option<&i64>) -> &str {
        if self.form.strip_prefix("step-") != Some(code) {
            return "";
        }
        match id {
            Some(id) => {
                self.pairs.iter().find(|(k, _)| k.strip_prefix(name) == Some(&id.to_string())).map(|(_, v)| v.as_str()).unwrap_or("")
            }
            None => self.value(&self.form, name),
        }
    }

    /// A field of the edit form of nominee `id` (`nominee-<id>`), or what it holds.
    pub(crate) fn of_nominee<'a>(&'a self, id: &i64, name: &str, otherwise: &'a str) -> &'a str {
        if self.form == format!("nominee-{id}") { self.value(&self.form, name) } else { otherwise }
    }

    /// Whether a checkbox of the refused form was ticked (or, for another form, `otherwise`).
    pub(crate) fn ticked(&self, form: &str, name: &str, otherwise: bool) -> bool {
        if self.form == form { self.get(form, name).is_some_and(|v| !v.is_empty()) } else { otherwise }
    }
}

/// A refusal placed on the field it is about: the summary at the top of the page links to the
/// field, the message stands beside it (`aria-describedby`), and the field is marked invalid.
/// The field is found by its label in the message (whole words, without diacritics), which is
/// how the use cases word their refusals («Họ và tên chủ hộ … quá dài», «năm sinh … không hợp lệ»).
#[derive(Debug, Clone)]
pub(crate) struct Refusal {
    pub(crate) message: String,
    pub(crate) field: Option<&'static str>,
}

impl Refusal {
    /// `fields`: (input id, label words), most specific first.
    pub(crate) fn of(message: String, fields: &[(&'static str, &str)]) -> Refusal {
        let words = |s: &str| -> String {
            let folded = thidua_domain::text::fold(s);
            let spaced: String = folded.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
            format!(" {} ", spaced.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        let said = words(&message);
        let field = fields.iter().find(|(_, label)| said.contains(&words(label))).map(|(id, _)| *id);
        Refusal { message, field }
    }

    /// Whether the refusal is about the field `id` (the template marks it and puts the message beside it).
    pub(crate) fn on(&self, id: &str) -> bool {
        self.field == Some(id)
    }

    /// Where the summary's link leads: the field, or the form.
    pub(crate) fn target(&self) -> &str {
        self.field.unwrap_or("form")
    }
}

/// Percent-encodes a file name for `Content-Disposition: …; filename*=UTF-8''…` (RFC 5987).
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// A one-button form on a versioned record: its CSRF token and the version the page showed.
#[derive(serde::Deserialize, Default)]
pub struct VersionForm {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
    #[serde(default)]
    pub version: i64,
}
