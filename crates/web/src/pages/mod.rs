//! Server-rendered pages, one module per area. Handlers are named `<area>_<action>_<method>`.

pub mod account;
pub mod admin;
pub mod assessment;
pub mod assets;
pub mod audit;
pub mod award_docs;
pub mod award_queue;
pub mod awards;
pub mod breaches;
pub mod calendar;
pub mod clans;
pub mod criteria;
pub mod dashboard;
pub mod dossier;
pub mod form;
pub mod home;
pub mod honour;
pub mod households;
pub mod import;
pub mod legal_bases;
pub mod login;
pub mod open_data;
pub mod ops;
pub mod people;
pub mod privacy;
pub mod public_site;
pub mod publications;
pub mod reads;
pub mod reports;
pub mod retention;
pub mod second_factor;
pub mod subject_requests;
pub mod titles;
pub mod units;

use crate::i18n::Lang;
use crate::view;
use thidua_app::ports::{AuditRecord, HouseholdRecord, PageRequest, PersonRecord, UnitRecord};
use thidua_app::registry::TreeSnapshot;
use thidua_domain::registry::{Gender, NodeKind};

pub(crate) fn kind_label(lang: Lang, k: NodeKind) -> &'static str {
    match lang {
        Lang::Vi => k.label_vi(),
        Lang::En => k.label_en(),
    }
}

pub(crate) fn gender_label(lang: Lang, g: Option<Gender>) -> String {
    match (g, lang) {
        (None, _) => String::new(),
        (Some(g), Lang::Vi) => g.label_vi().into(),
        (Some(g), Lang::En) => g.code().into(),
    }
}

/// A unit as a page shows it.
pub(crate) struct UnitVm {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub valid_from: String,
    pub valid_to: String,
    pub validity: String,
    pub active: bool,
    pub version: i64,
}

impl UnitVm {
    pub fn new(lang: Lang, u: &UnitRecord) -> Self {
        let (from, to) = (view::date_opt(u.valid_from), view::date_opt(u.valid_to));
        let validity = match (from.is_empty(), to.is_empty()) {
            (true, true) => String::new(),
            (false, true) => format!("{} {from}", crate::i18n::t(lang, "unit.since")),
            (_, false) => format!("{from} – {to}"),
        };
        UnitVm {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            kind: kind_label(lang, u.kind),
            valid_from: from,
            valid_to: to,
            validity,
            active: u.active,
            version: u.version,
        }
    }
}

pub(crate) fn unit_name(snap: &TreeSnapshot, id: i64) -> String {
    snap.units.get(&id).map(|u| u.name.clone()).unwrap_or_default()
}

/// A household as a page shows it.
pub(crate) struct HouseholdVm {
    pub id: i64,
    pub code: String,
    pub head_name: String,
    /// As imported; empty when not given.
    pub head_birth_year: String,
    pub head_gender: String,
    pub unit_id: i64,
    pub unit: String,
    pub address: String,
    pub members: String,
    pub active: bool,
    pub version: i64,
}

impl HouseholdVm {
    pub fn new(lang: Lang, snap: &TreeSnapshot, h: &HouseholdRecord) -> Self {
        HouseholdVm {
            id: h.id,
            code: h.code.clone(),
            head_name: h.head_name.clone(),
            head_birth_year: h.head_birth_year.map(|y| y.to_string()).unwrap_or_default(),
            head_gender: gender_label(lang, h.head_gender),
            unit_id: h.unit_id,
            unit: unit_name(snap, h.unit_id),
            address: h.address.clone().unwrap_or_default(),
            members: h.member_count.map(|m| m.to_string()).unwrap_or_default(),
            active: h.active,
            version: h.version,
        }
    }
}

/// A person as a page shows it.
pub(crate) struct PersonVm {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub birth_year: String,
    pub gender: String,
    pub unit_id: i64,
    pub unit: String,
    pub household_id: Option<i64>,
    pub household: String,
    pub position: String,
    pub active: bool,
    pub version: i64,
}

impl PersonVm {
    pub fn new(lang: Lang, snap: &TreeSnapshot, p: &PersonRecord) -> Self {
        PersonVm {
            id: p.id,
            code: p.code.clone(),
            full_name: p.full_name.clone(),
            birth_year: p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            gender: gender_label(lang, p.gender),
            unit_id: p.unit_id,
            unit: unit_name(snap, p.unit_id),
            household_id: p.household_id,
            household: String::new(),
            position: p.position.clone().unwrap_or_default(),
            active: p.active,
            version: p.version,
        }
    }
}

/// An audit entry as a page shows it.
pub(crate) struct AuditVm {
    pub seq: i64,
    pub time: String,
    pub actor: String,
    pub on_behalf_of: String,
    pub action: String,
    pub entity: String,
    pub old: String,
    pub new: String,
}

impl AuditVm {
    /// The entries, each naming its people as the users know them (not by username).
    pub async fn list(state: &crate::AppState, entries: &[AuditRecord]) -> Result<Vec<AuditVm>, crate::error::WebError> {
        let names = state
            .app
            .display_names(entries.iter().flat_map(|a| std::iter::once(a.actor.clone()).chain(a.on_behalf_of.clone())).collect())
            .await?;
        let shown = |u: &str| names.get(u).cloned().unwrap_or_else(|| u.to_string());
        let snap = state.app.snapshot().await?;
        Ok(entries
            .iter()
            .map(|a| AuditVm {
                actor: shown(&a.actor),
                on_behalf_of: a.on_behalf_of.as_deref().map(shown).unwrap_or_default(),
                action: thidua_domain::audit::action_label(&a.action),
                old: a.old.as_deref().map(|v| readable_values(v, &snap)).unwrap_or_default(),
                new: a.new.as_deref().map(|v| readable_values(v, &snap)).unwrap_or_default(),
                ..AuditVm::new(a)
            })
            .collect())
    }

    pub fn new(a: &AuditRecord) -> Self {
        AuditVm {
            seq: a.seq,
            time: view::datetime_ms(a.at_ms),
            actor: a.actor.clone(),
            on_behalf_of: a.on_behalf_of.clone().unwrap_or_default(),
            action: a.action.clone(),
            entity: format!("{} {}", a.entity, a.entity_id),
            old: a.old.clone().unwrap_or_default(),
            new: a.new.clone().unwrap_or_default(),
        }
    }
}

/// Parses an optional positive page number from a query string value.
pub(crate) fn page_no(p: Option<i64>) -> i64 {
    p.unwrap_or(1).max(1)
}

/// The page a list paged by key asks for: a position (`after`, `before`, `last`) or, for the
/// first pages only, a page number.
pub(crate) fn list_page(page: Option<i64>, after: Option<String>, before: Option<String>, last: bool, per_page: i64) -> PageRequest {
    use thidua_app::ports::At;
    let at = match (after, before) {
        (Some(k), _) => Some(At::After(k)),
        (None, Some(k)) => Some(At::Before(k)),
        (None, None) if last => Some(At::Last),
        (None, None) => None,
    };
    match at {
        Some(at) => PageRequest::at(Some(at), per_page),
        None => PageRequest::new(page_no(page), per_page),
    }
}

/// An xlsx download response.
pub(crate) fn xlsx_response(file_name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            ("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            ("content-disposition", format!("attachment; filename=\"{file_name}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// A sheet composed by a use case, as the `.xlsx` file it is offered as.
pub(crate) fn sheet_file(s: thidua_app::Named<thidua_documents::Sheet>) -> Result<axum::response::Response, crate::error::WebError> {
    let bytes = thidua_documents::write_xlsx(&[s.value])
        .map_err(|e| crate::error::WebError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(xlsx_response(&s.file_name, bytes))
}

/// The query string of a list's filters (for paging and export links), leaving out empty ones.
pub(crate) fn filter_query(unit: Option<i64>, pairs: &[(&str, &str)]) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    if let Some(u) = unit {
        parts.push(("unit", u.to_string()));
    }
    parts.extend(pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.to_string())));
    serde_urlencoded::to_string(parts).unwrap_or_default()
}

/// The form that records (or withdraws) a household's or citizen's public consent.
#[derive(serde::Deserialize)]
pub struct ConsentForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    consent: String,
}

/// Records the consent of the household or person `id` (`kind`), then shows its page under `base`.
pub(crate) async fn record_consent(
    state: &crate::AppState,
    auth: &crate::session::Auth,
    kind: &str,
    base: &str,
    id: i64,
    f: ConsentForm,
) -> Result<axum::response::Response, crate::error::WebError> {
    use axum::response::IntoResponse;
    auth.verify_csrf(&f.csrf)?;
    state.app.set_public_consent(&auth.actor, kind, id, f.consent == "true").await?;
    Ok(axum::response::Redirect::to(&format!("{base}/{id}")).into_response())
}

/// The text fields and the file of a multipart form.
pub(crate) struct Upload {
    pub fields: std::collections::HashMap<String, String>,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Upload {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Why an upload could not be read. A body that broke off or was malformed is the sender's
/// (400), never the server's (500); a body over the limit stays 413.
pub(crate) fn upload_error(e: axum::extract::multipart::MultipartError, what: &str) -> crate::error::WebError {
    let status = if e.status().is_server_error() { axum::http::StatusCode::BAD_REQUEST } else { e.status() };
    crate::error::WebError::new(status, format!("{what}: {}", e.body_text()))
}

/// Reads a multipart form: every text field, and the file of the field named `file` (every
/// upload page but the streamed bulk import reads its form with this).
pub(crate) async fn read_upload(mut mp: axum::extract::Multipart) -> Result<Upload, crate::error::WebError> {
    let bad = |e| upload_error(e, "Tệp tải lên không đọc được");
    let mut u = Upload { fields: Default::default(), file_name: String::new(), bytes: Vec::new() };
    while let Some(f) = mp.next_field().await.map_err(bad)? {
        let name = f.name().unwrap_or("").to_string();
        if name == "file" {
            u.file_name = f.file_name().unwrap_or("").to_string();
            u.bytes = f.bytes().await.map_err(bad)?.to_vec();
        } else {
            let text = f.text().await.map_err(bad)?;
            u.fields.insert(name, text);
        }
    }
    Ok(u)
}

/// «Đánh giá …» on a subject's page (household, citizen, clan, village, commune, organisation):
/// the assessment form of the subject's title for the working year, offered only to a user who
/// may assess the subject's unit and only when a criteria set for that title and year exists.
pub(crate) async fn assess_action(
    state: &crate::AppState,
    auth: &crate::session::Auth,
    subject: thidua_domain::titles::Subject,
    subject_id: i64,
    unit_id: i64,
) -> Option<(String, String)> {
    use thidua_domain::titles::TITLES;
    let title = TITLES.iter().find(|t| t.subject == subject)?;
    if !state.app.can(&auth.actor, thidua_domain::access::Action::Assess, unit_id).await {
        return None;
    }
    let year = state.app.working_year();
    let has_set = state.app.sets_for_year(year).await.ok()?.iter().any(|s| s.title == title.code);
    has_set.then(|| {
        (
            format!("Đánh giá «{}» năm {year}", title.label_vi),
            format!("/titles/assess?title={}&subject={subject_id}&year={year}", title.code),
        )
    })
}

/// A criteria set as an officer knows it: the title, the document it follows, its version and
/// level, and whether it is provisional — never its file code (`qd242-gdht-tam-thoi`).
pub(crate) fn set_name(title_vi: &str, document: &str, version: i64, level: Option<i64>, provisional: bool) -> String {
    let mut out = format!("«{title_vi}»");
    if !document.is_empty() {
        out.push_str(&format!(" theo {document}"));
    }
    out.push_str(&format!(" — phiên bản {version}"));
    if let Some(l) = level {
        out.push_str(&format!(", mức độ {l}"));
    }
    if provisional {
        out.push_str(" (tạm thời)");
    }
    out
}

/// [`set_name`] of a stored set (its document read from the set's own text).
pub(crate) fn set_name_of(r: &thidua_app::ports::CriteriaSetRecord) -> String {
    let document = thidua_domain::criteria::CriteriaSet::from_toml(&r.source_toml).map(|c| c.legal_basis.document).unwrap_or_default();
    set_name(&r.title_vi, &document, r.version, r.level, r.provisional)
}

/// An audit entry's recorded values as «Label: value; …» (units by name, yes/no, nothing empty)
/// for the history tables; what is not a JSON object is shown as recorded.
pub(crate) fn readable_values(json: &str, snap: &TreeSnapshot) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return json.to_string();
    };
    let label = |k: &str| -> String {
        match k {
            "code" => "Mã",
            "head_name" => "Chủ hộ",
            "address" => "Địa chỉ",
            "member_count" => "Số nhân khẩu",
            "unit_id" | "unit" => "Đơn vị",
            "full_name" => "Họ và tên",
            "birth_year" => "Năm sinh",
            "gender" => "Giới tính",
            "household_id" => "Hộ",
            "name" => "Tên",
            "representative" => "Người đại diện",
            "villages" => "Thôn, tổ dân phố",
            "position" => "Chức vụ",
            "active" => "Đang theo dõi",
            "kind" => "Loại",
            "parent_id" => "Đơn vị cấp trên",
            "valid_from" => "Hiệu lực từ",
            "valid_to" => "Hiệu lực đến",
            "public_consent" | "consent" => "Đồng ý công khai tên",
            other => other,
        }
        .to_string()
    };
    let mut parts = Vec::new();
    for (k, v) in &map {
        let value = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::String(t) if t.is_empty() => continue,
            serde_json::Value::String(t) => t.clone(),
            serde_json::Value::Bool(b) => (if *b { "có" } else { "không" }).to_string(),
            serde_json::Value::Number(n) if k == "unit_id" || k == "parent_id" || k == "unit" => {
                n.as_i64().and_then(|id| snap.units.get(&id)).map(|u| u.name.clone()).unwrap_or_else(|| n.to_string())
            }
            other => other.to_string(),
        };
        parts.push(format!("{}: {value}", label(k)));
    }
    parts.join("; ")
}

/// «Đề nghị khen thưởng» on a subject's page, for whoever may propose for its unit: the awards
/// page with the subject, to choose the dossier it joins.
pub(crate) async fn nominate_action(
    state: &crate::AppState,
    auth: &crate::session::Auth,
    kind: &str,
    code: &str,
    unit_id: i64,
) -> Option<String> {
    if !state.app.can(&auth.actor, thidua_domain::access::Action::Nominate, unit_id).await {
        return None;
    }
    Some(format!("/awards?{}", serde_urlencoded::to_string([("de_nghi", kind), ("ma", code)]).ok()?))
}

/// The read log of one citizen or household (issue 18 §4), offered to whoever may read the log
/// of its unit.
pub(crate) async fn reads_link(state: &crate::AppState, auth: &crate::session::Auth, what: &str, id: i64, unit: i64) -> Option<String> {
    state
        .app
        .can(&auth.actor, thidua_domain::access::Action::ReadAudit, unit)
        .await
        .then(|| format!("/audit/reads?what={what}&subject={id}"))
}
