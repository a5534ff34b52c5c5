//! The unit tree: browse a unit and its children, create, edit, deactivate, history.

use super::{AuditVm, UnitVm, kind_label};
use crate::AppState;
use crate::error::WebError;
use crate::extract::Form;
use crate::extract::Path;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::ports::{PageRequest, UnitInput};
use thidua_domain::access::Action;
use thidua_domain::dates;
use thidua_domain::registry::NodeKind;

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    l: Layout,
    unit: UnitVm,
    crumbs: Vec<(i64, String)>,
    /// (id if the user may open it, name, took the whole unit)
    successors: Vec<(Option<i64>, String, bool)>,
    location: Option<(i64, String)>,
    /// (id if the user may open it, name, went whole into this unit, from dd/mm/yyyy)
    predecessors: Vec<(Option<i64>, String, bool, String)>,
    /// (id if the user may open it, name, last day under it), then the day it joined its
    /// current parent.
    earlier_parents: Vec<(Option<i64>, String, String)>,
    joined: String,
    divide: Option<DivideVm>,
    inherited: Vec<InheritedVm>,
    /// The rule on them: (what it says, basis, provisional).
    inherited_rule: (String, String, bool),
    children: Vec<UnitVm>,
    can_write: bool,
    holds_households: bool,
    household_count: i64,
    people_count: i64,
    assess: Option<(String, String)>,
    nominate: Option<String>,
    facts: Option<FactsVm>,
    error: Option<String>,
    /// An organisation: its members and learners are listed on their own page.
    has_members: bool,
}

/// A predecessor's titles as its successor's page shows them.
struct InheritedVm {
    /// The predecessor's id if the user may open it.
    id: Option<i64>,
    name: String,
    whole: bool,
    /// Whether they count as the successor's own when it is nominated.
    counts: bool,
    /// (title, data year, decision number and date)
    titles: Vec<(String, i64, String)>,
}

/// A divided unit's villages not yet moved, each with the units that took a part of it.
struct DivideVm {
    /// (id, code, name, version)
    children: Vec<(i64, String, String, i64)>,
    /// (id, name)
    successors: Vec<(i64, String)>,
    from: String,
}

/// What the unit page shows of the facts that scope the circulars' indicators.
struct FactsVm {
    v: thidua_app::registry::UnitFactsView,
    year: i32,
    /// (from year, kind, ownership, basis), oldest first.
    types: Vec<(i32, &'static str, &'static str, String)>,
    now: Option<(&'static str, &'static str, i32, String)>,
    classes: String,
    institutions: Vec<(&'static str, &'static str)>,
}

fn facts_vm(v: thidua_app::registry::UnitFactsView, year: i32) -> FactsVm {
    use thidua_domain::institutions::Institution;
    let types = v.types.iter().map(|t| (t.from_year, t.institution.label_vi(), t.ownership.label_vi(), t.basis.clone())).collect();
    let now = v.now.in_force.as_ref().map(|t| (t.institution.label_vi(), t.ownership.label_vi(), t.from_year, t.basis.clone()));
    let classes = v.now.classes.iter().map(|c| thidua_domain::institutions::class_label_vi(c)).collect::<Vec<_>>().join("; ");
    FactsVm { types, now, classes, institutions: Institution::ALL.iter().map(|i| (i.code(), i.label_vi())).collect(), v, year }
}

pub async fn unit_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    unit_page(&state, &auth, id, None).await
}

async fn unit_page(state: &AppState, auth: &Auth, id: i64, error: Option<String>) -> Result<Response, WebError> {
    let app = &state.app;
    let unit = app.unit(&auth.actor, id).await.map_err(|e| WebError::from(e).lang(auth.lang))?;
    let snap = app.snapshot().await?;
    let children = app.children(&auth.actor, id).await?;
    let crumbs = snap
        .breadcrumb(id)
        .into_iter()
        .filter(|u| u.id == id || crumb_readable(state, auth, u.id, &snap))
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let name = |id: i64| snap.units.get(&id).map(|u| u.name.clone()).unwrap_or_default();
    // Another unit of the reorganisation is a link only for those who may open it.
    let link = |id: i64| app.shows(&auth.actor, &snap, Action::ReadRegistry, id).then_some(id);
    let successors = unit.successors.iter().map(|s| (link(s.to), name(s.to), s.whole)).collect();
    let location = unit.location_id.and_then(|s| snap.units.get(&s)).map(|s| (s.id, s.name.clone()));
    let predecessors = snap.tree.absorbed(id).into_iter().map(|a| (link(a.unit), name(a.unit), a.whole, view::date_opt(a.from))).collect();
    let mut earlier: Vec<_> = unit.earlier_parents.clone();
    earlier.sort_by_key(|e| e.until);
    let earlier_parents = earlier.iter().map(|e| (link(e.parent), name(e.parent), dates::format_dmy(e.until))).collect();
    let joined = view::date_opt(snap.tree.get(id).and_then(|n| n.joined_parent_on()));
    let (household_count, people_count) = app.registry_totals(&auth.actor, id).await?;
    let can_write = app.can(&auth.actor, Action::WriteRegistry, id).await;
    let (inherited, rule) = app.predecessor_titles(&auth.actor, id).await?;
    let inherited = inherited
        .into_iter()
        .filter(|p| !p.titles.is_empty())
        .map(|p| {
            let titles = p.titles.into_iter().map(|(t, y, n, d)| (t, y, format!("{n} ngày {}", dates::format_dmy(d)))).collect();
            InheritedVm { id: link(p.unit.id), name: p.unit.name, whole: p.whole, counts: p.counts, titles }
        })
        .collect();
    // Only an ended unit with successors can hand villages over (the list walks the tree).
    let waiting = || snap.tree.unassigned().into_iter().find(|(u, _)| *u == id);
    let divide = match (can_write && !unit.successors.is_empty(), unit.valid_to) {
        (true, Some(last)) => waiting().map(|(_, kids)| DivideVm {
            children: kids.iter().filter_map(|k| snap.units.get(k)).map(|k| (k.id, k.code.clone(), k.name.clone(), k.version)).collect(),
            successors: unit.successors.iter().map(|s| (s.to, name(s.to))).collect(),
            from: view::date_opt(last.next_day()),
        }),
        _ => None,
    };
    // A unit that ended before the working year is neither assessed nor nominated any more.
    let ended = unit.valid_to.is_some_and(|to| i64::from(to.year()) < app.working_year());
    let assess = match thidua_domain::titles::TITLES.iter().find(|t| t.subject.accepts_node(unit.kind)).filter(|_| !ended) {
        Some(t) => super::assess_action(state, auth, t.subject, id, id).await,
        None => None,
    };
    let l = Layout::new(state, auth, unit.name.clone(), "home").await;
    let nominate = match thidua_domain::commendation::NomineeKind::of_node(unit.kind).filter(|_| !ended) {
        Some(_) => super::nominate_action(state, auth, "unit", &unit.code, id).await,
        None => None,
    };
    let facts = app.unit_facts(&auth.actor, id).await?;
    let facts = (facts.education || facts.commune).then(|| facts_vm(facts, app.today().year()));
    let refused = error.is_some();
    Ok(view::render_form(
        &UnitPage {
            facts,
            error,
            has_members: thidua_domain::institutions::has_members(unit.kind),
            assess,
            nominate,
            l,
            holds_households: unit.kind.holds_households(),
            unit: UnitVm::new(auth.lang, &unit),
            crumbs,
            successors,
            location,
            predecessors,
            earlier_parents,
            joined,
            divide,
            inherited,
            inherited_rule: (rule.explain, rule.basis, rule.provisional),
            children: children.iter().map(|c| UnitVm::new(auth.lang, c)).collect(),
            can_write,
            household_count,
            people_count,
        },
        refused,
    ))
}

/// Whether a breadcrumb ancestor is readable (only readable ones are links).
fn crumb_readable(state: &AppState, auth: &Auth, id: i64, snap: &thidua_app::registry::TreeSnapshot) -> bool {
    state.app.shows(&auth.actor, snap, Action::ReadRegistry, id)
}

#[derive(Deserialize, Default)]
pub struct UnitForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    successor: String,
    #[serde(default)]
    location: String,
}

#[derive(Template)]
#[template(path = "unit_form.html")]
struct UnitFormPage {
    l: Layout,
    f: UnitForm,
    version: i64,
    kinds: Vec<(&'static str, &'static str)>,
    error: Option<super::form::Refusal>,
}

/// The kinds a unit can be given. Districts and townships ended with the 2025 reform: they are
/// offered only for a unit that already is one (its history is kept), never for a new one.
fn kinds(auth: &Auth, current: &str) -> Vec<(&'static str, &'static str)> {
    NodeKind::ALL
        .into_iter()
        .filter(|k| !matches!(k, NodeKind::District | NodeKind::Township) || k.code() == current)
        .map(|k| (k.code(), kind_label(auth.lang, k)))
        .collect()
}

async fn form_page(state: &AppState, auth: &Auth, title: String, f: UnitForm, error: Option<String>) -> Response {
    let l = Layout::new(state, auth, title, "home").await;
    let version = f.version;
    let refused = error.is_some();
    let kinds = kinds(auth, &f.kind);
    let fields = [
        ("valid_from", "hiệu lực từ"),
        ("valid_to", "hiệu lực đến"),
        ("successor", "kế thừa"),
        ("location", "địa bàn"),
        ("parent", "cấp trên"),
        ("kind", "loại"),
        ("name", "tên"),
        ("code", "mã"),
    ];
    let error = error.map(|m| super::form::Refusal::of(m, &fields));
    view::render_form(&UnitFormPage { l, f, version, kinds, error }, refused)
}

/// Turns the form into a use-case input, or a message saying what is wrong.
async fn parse_form(state: &AppState, f: &UnitForm) -> Result<UnitInput, String> {
    let snap = state.app.snapshot().await.map_err(|e| e.to_string())?;
    let code_id = |c: &str, what: &str| -> Result<Option<i64>, String> {
        let c = c.trim().to_ascii_uppercase();
        if c.is_empty() {
            return Ok(None);
        }
        snap.by_code.get(&c).copied().map(Some).ok_or_else(|| format!("không tìm thấy {what} mã «{c}»"))
    };
    let date = |s: &str| -> Result<Option<time::Date>, String> {
        if s.trim().is_empty() { Ok(None) } else { dates::parse_dmy(s).map(Some).map_err(|e| e.to_string()) }
    };
    Ok(UnitInput {
        code: f.code.clone(),
        name: f.name.clone(),
        kind: NodeKind::ALL.into_iter().find(|k| k.code() == f.kind).ok_or("loại đơn vị không hợp lệ")?,
        parent_id: code_id(&f.parent, "đơn vị cấp trên")?,
        location_id: code_id(&f.location, "địa bàn")?,
        valid_from: date(&f.valid_from)?,
        valid_to: date(&f.valid_to)?,
        successors: {
            let mut out = Vec::new();
            for n in thidua_domain::registry::parse_successors(&f.successor)? {
                let to = code_id(n.code.as_str(), "đơn vị kế thừa")?.ok_or("thiếu mã đơn vị kế thừa")?;
                out.push(thidua_app::ports::Succession { to, whole: n.whole });
            }
            out
        },
    })
}

pub async fn unit_edit_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let u = state.app.unit(&auth.actor, id).await?;
    state.app.authorize(&auth.actor, Action::WriteRegistry, id).await?;
    let snap = state.app.snapshot().await?;
    let code_of = |i: Option<i64>| i.and_then(|i| snap.units.get(&i)).map(|u| u.code.clone()).unwrap_or_default();
    let f = UnitForm {
        csrf: String::new(),
        version: u.version,
        code: u.code.clone(),
        name: u.name.clone(),
        kind: u.kind.code().into(),
        parent: code_of(u.parent_id),
        valid_from: view::date_opt(u.valid_from),
        valid_to: view::date_opt(u.valid_to),
        successor: snap.successors_text(&u),
        location: code_of(u.location_id),
    };
    Ok(form_page(&state, &auth, format!("{}: {}", crate::i18n::t(auth.lang, "action.edit"), u.name), f, None).await)
}

pub async fn unit_edit_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<UnitForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let title = crate::i18n::t(auth.lang, "action.edit").to_string();
    let input = match parse_form(&state, &f).await {
        Ok(i) => i,
        Err(msg) => return Ok(form_page(&state, &auth, title, f, Some(msg)).await),
    };
    match state.app.update_unit(&auth.actor, id, f.version, input).await {
        Ok(()) => Ok(Redirect::to(&format!("/units/{id}")).into_response()),
        Err(AppError::Invalid(msg) | AppError::Conflict(msg)) => Ok(form_page(&state, &auth, title, f, Some(msg)).await),
        Err(e) => Err(e.into()),
    }
}

pub async fn unit_new_get(State(state): State<AppState>, auth: Auth, Path(parent): Path<i64>) -> Result<Response, WebError> {
    let p = state.app.unit(&auth.actor, parent).await?;
    state.app.authorize(&auth.actor, Action::WriteRegistry, parent).await?;
    let f = UnitForm { parent: p.code.clone(), kind: NodeKind::ResidentialGroup.code().into(), ..Default::default() };
    Ok(form_page(&state, &auth, format!("{} — {}", crate::i18n::t(auth.lang, "unit.add_child"), p.name), f, None).await)
}

pub async fn unit_new_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(_parent): Path<i64>,
    Form(f): Form<UnitForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let title = crate::i18n::t(auth.lang, "unit.add_child").to_string();
    let input = match parse_form(&state, &f).await {
        Ok(i) => i,
        Err(msg) => return Ok(form_page(&state, &auth, title, f, Some(msg)).await),
    };
    match state.app.create_unit(&auth.actor, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/units/{id}")).into_response()),
        Err(AppError::Invalid(msg) | AppError::Conflict(msg)) => Ok(form_page(&state, &auth, title, f, Some(msg)).await),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub active: String,
}

pub async fn unit_active_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.set_unit_active(&auth.actor, id, f.version, f.active == "true").await?;
    Ok(Redirect::to(&format!("/units/{id}")).into_response())
}

/// Moves a divided unit's villages to the units that took its parts: one choice per village
/// (`to_<id>`: the receiving unit's id, empty to leave it for later; `version_<id>`: as read).
pub async fn unit_divide_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, WebError> {
    auth.verify_csrf(f.get("_csrf").map(String::as_str).unwrap_or_default())?;
    let mut moves = Vec::new();
    for (key, to) in f.iter().filter(|(_, v)| !v.trim().is_empty()) {
        let Some(child) = key.strip_prefix("to_").and_then(|c| c.parse::<i64>().ok()) else { continue };
        let number = |s: &str| s.trim().parse::<i64>().ok();
        let (Some(to), Some(version)) = (number(to), f.get(&format!("version_{child}")).and_then(|v| number(v))) else {
            return Err(WebError::bad_request(format!("ô «{key}» không hợp lệ")));
        };
        moves.push((child, version, to));
    }
    moves.sort_unstable();
    match state.app.divide_unit(&auth.actor, id, &moves).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => unit_page(&state, &auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "history.html")]
pub(crate) struct HistoryPage {
    pub l: Layout,
    pub back: String,
    pub entries: Vec<AuditVm>,
}

pub async fn unit_history_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let u = state.app.unit(&auth.actor, id).await?;
    let entries = AuditVm::list(&state, &state.app.unit_history(&auth.actor, id).await?).await?;
    let l = Layout::new(&state, &auth, format!("{}: {}", crate::i18n::t(auth.lang, "history.title"), u.name), "home").await;
    Ok(view::render(&HistoryPage { l, back: format!("/units/{id}"), entries }))
}

/// The units below a unit, as an .xlsx in the units template's columns.
pub async fn unit_export_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    super::sheet_file(state.app.units_export(&auth.actor, Some(id)).await?)
}

#[derive(Deserialize)]
pub struct InstitutionTypeForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    from_year: String,
    #[serde(default)]
    institution: String,
    #[serde(default)]
    ownership: String,
    #[serde(default)]
    basis: String,
}

/// Records what a school or centre is (Circular 24/2023, Điều 2), from a data year on.
pub async fn institution_type_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<InstitutionTypeForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let input = thidua_app::registry::InstitutionTypeInput {
        from_year: f.from_year,
        institution: f.institution,
        ownership: f.ownership,
        basis: f.basis,
    };
    match state.app.record_institution_type(&auth.actor, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/units/{id}#unit-facts")).into_response()),
        Err(AppError::Invalid(m)) => unit_page(&state, &auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DifficultAreaForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    difficult: String,
    #[serde(default)]
    basis: String,
}

/// DOET records a commune's year in (or out of) a difficult area, with the decision listing it.
pub async fn difficult_area_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<DifficultAreaForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.set_difficult_area(&auth.actor, id, &f.year, f.difficult == "true", &f.basis).await {
        Ok(()) => Ok(Redirect::to(&format!("/units/{id}#unit-facts")).into_response()),
        Err(AppError::Invalid(m)) => unit_page(&state, &auth, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    l: Layout,
    v: thidua_app::registry::MembersView,
    rows: Vec<(thidua_app::ports::MemberRow, &'static str)>,
    error: Option<String>,
    codes: String,
    relation: String,
    max_codes: String,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

#[derive(Deserialize, Default)]
pub struct MembersQuery {
    #[serde(default)]
    page: Option<i64>,
}

async fn members_page(
    state: &AppState,
    auth: &Auth,
    id: i64,
    page: i64,
    typed: Option<(String, String, String)>,
) -> Result<Response, WebError> {
    let v = state.app.unit_members(&auth.actor, id, PageRequest::new(page, 100)).await?;
    let rows = v
        .page
        .items
        .iter()
        .map(|m| (m.clone(), thidua_domain::institutions::Relation::parse(&m.relation).map_or("", |r| r.label_vi())))
        .collect();
    let l = Layout::new(state, auth, format!("Thành viên — {}", v.unit.name), "home").await.vietnamese_only();
    let (error, codes, relation) = match typed {
        Some((e, c, r)) => (Some(e), c, r),
        None => (None, String::new(), "member".into()),
    };
    let refused = error.is_some();
    Ok(view::render_form(
        &MembersPage {
            pages: v.page.pages(),
            page_links: view::page_links(v.page.page, v.page.pages()),
            base_url: format!("/units/{id}/members?"),
            max_codes: thidua_domain::text::number(thidua_app::registry::MAX_CODES as i128),
            rows,
            error,
            codes,
            relation,
            l,
            v,
        },
        refused,
    ))
}

/// An organisation's members and learners (Circular 24/2023, Điều 2).
pub async fn members_get(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    crate::extract::Query(q): crate::extract::Query<MembersQuery>,
) -> Result<Response, WebError> {
    members_page(&state, &auth, id, q.page.unwrap_or(1), None).await
}

#[derive(Deserialize)]
pub struct MembersForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    codes: String,
    #[serde(default)]
    relation: String,
}

pub async fn members_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<MembersForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.add_unit_members(&auth.actor, id, &f.codes, &f.relation).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{id}/members")).into_response()),
        Err(AppError::Invalid(m)) => members_page(&state, &auth, id, 1, Some((m, f.codes, f.relation))).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn member_remove_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, person)): Path<(i64, i64)>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.remove_unit_member(&auth.actor, id, person).await?;
    Ok(Redirect::to(&format!("/units/{id}/members")).into_response())
}
