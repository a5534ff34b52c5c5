//! People: list with diacritic-insensitive search, Vietnamese name sorting and paging, export,
//! detail with history, create, edit, deactivate.

use super::units::ActiveForm;
use super::{AuditVm, PersonVm};
use crate::AppState;
use crate::error::WebError;
use crate::extract::Form;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::ports::{PersonInput, PersonSort, ReadChannel};
use thidua_domain::access::Action;
use thidua_domain::registry::Gender;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    page: Option<i64>,
    after: Option<String>,
    before: Option<String>,
    last: Option<String>,
}

impl ListQuery {
    fn sort(&self) -> PersonSort {
        match self.sort.as_str() {
            "code" => PersonSort::Code,
            "birth_year" => PersonSort::BirthYear,
            _ => PersonSort::Name,
        }
    }

    fn filter_query(&self) -> String {
        super::filter_query(self.unit, &[("q", &self.q), ("sort", &self.sort)])
    }
}

#[derive(Template)]
#[template(path = "people.html")]
struct ListPage {
    l: Layout,
    unit_id: Option<i64>,
    q: String,
    sort: String,
    rows: Vec<PersonVm>,
    total: String,
    pager: view::KeysetPager,
    export_query: String,
    can_create: bool,
}

pub async fn people_get(State(state): State<AppState>, auth: Auth, Query(lq): Query<ListQuery>) -> Result<Response, WebError> {
    let page = state
        .app
        .read_people(
            &auth.actor,
            ReadChannel::Page,
            lq.unit,
            None,
            Some(&lq.q),
            lq.sort(),
            super::list_page(lq.page, lq.after.clone(), lq.before.clone(), lq.last.is_some(), 50),
        )
        .await?;
    let snap = state.app.snapshot().await?;
    let title = match lq.unit.and_then(|u| snap.units.get(&u)) {
        Some(u) => format!("{} — {}", crate::i18n::t(auth.lang, "nav.people"), u.name),
        None => crate::i18n::t(auth.lang, "nav.people").to_string(),
    };
    let can_create = match lq.unit {
        Some(u) => state.app.can(&auth.actor, Action::WriteRegistry, u).await,
        None => false,
    };
    let fq = lq.filter_query();
    let l = Layout::new(&state, &auth, title, "people").await;
    Ok(view::render(&ListPage {
        l,
        unit_id: lq.unit,
        q: lq.q.clone(),
        sort: if lq.sort.is_empty() { "name".into() } else { lq.sort.clone() },
        rows: page.items.iter().map(|p| PersonVm::new(auth.lang, &snap, p)).collect(),
        total: view::total_text(auth.lang, &page),
        pager: view::KeysetPager::new(&format!("/people?{fq}{}", if fq.is_empty() { "" } else { "&" }), &page),
        export_query: fq,
        can_create,
    }))
}

pub async fn people_export_get(State(state): State<AppState>, auth: Auth, Query(lq): Query<ListQuery>) -> Result<Response, WebError> {
    export(state, auth, lq, crate::stream::Format::Xlsx).await
}

pub async fn people_csv_get(State(state): State<AppState>, auth: Auth, Query(lq): Query<ListQuery>) -> Result<Response, WebError> {
    export(state, auth, lq, crate::stream::Format::Csv).await
}

/// The list as `.xlsx` or CSV, streamed page by page: any length, from the first page's time.
async fn export(state: AppState, auth: Auth, lq: ListQuery, format: crate::stream::Format) -> Result<Response, WebError> {
    let f = thidua_app::exports::ExportFilter { unit: lq.unit, query: Some(lq.q.clone()) };
    let (app, actor, sort) = (state.app.clone(), auth.actor.clone(), lq.sort());
    let first = app.people_export_page(&actor, (&f, ReadChannel::Export), sort, None).await?;
    let headers = thidua_domain::import::ImportKind::People.headers();
    let file = format!("cong-dan.{}", if format == crate::stream::Format::Csv { "csv" } else { "xlsx" });
    crate::stream::list(format, &file, "Công dân", &headers, first, move |at| {
        let (app, actor, f) = (app.clone(), actor.clone(), f.clone());
        async move { app.people_export_page(&actor, (&f, ReadChannel::Export), sort, Some(at)).await }
    })
}

#[derive(Template)]
#[template(path = "person.html")]
struct DetailPage {
    l: Layout,
    p: PersonVm,
    history: Vec<AuditVm>,
    can_write: bool,
    titles_held: Vec<view::TitleVm>,
    awards_held: Vec<view::AwardVm>,
    public_consent: bool,
    consent_action: String,
    consent_basis: String,
    assess: Option<(String, String)>,
    nominate: Option<String>,
    /// The read log of this record, for the inspector.
    reads_link: Option<String>,
}

pub async fn person_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let p = state.app.read_person(&auth.actor, id, ReadChannel::Page).await.map_err(|e| WebError::from(e).lang(auth.lang))?;
    let snap = state.app.snapshot().await?;
    let mut vm = PersonVm::new(auth.lang, &snap, &p);
    if let Some(h) = p.household_id
        && let Ok(hh) = state.app.household(&auth.actor, h).await
    {
        vm.household = format!("{} — {}", hh.code, hh.head_name);
    }
    let history = AuditVm::list(&state, &state.app.person_history(&auth.actor, id).await?).await?;
    let can_write = state.app.can(&auth.actor, Action::WriteRegistry, p.unit_id).await;
    let year = state.app.working_year();
    let titles = state.app.title_history(&auth.actor, thidua_domain::titles::Subject::Citizen, id, year).await?;
    let l = Layout::new(&state, &auth, p.full_name.clone(), "people").await;
    let awards = state.app.award_history(&auth.actor, "person", id).await?;
    Ok(view::render(&DetailPage {
        l,
        p: vm,
        history,
        can_write,
        titles_held: view::TitleVm::list(&titles),
        awards_held: view::AwardVm::list(&awards),
        public_consent: state.app.public_consent(&auth.actor, "person", id).await?,
        consent_action: format!("/people/{id}/consent"),
        consent_basis: state.app.consent_basis()?,
        assess: super::assess_action(&state, &auth, thidua_domain::titles::Subject::Citizen, id, p.unit_id).await,
        nominate: super::nominate_action(&state, &auth, "person", &p.code, p.unit_id).await,
        reads_link: super::reads_link(&state, &auth, "person", id, p.unit_id).await,
    }))
}

#[derive(Deserialize, Default)]
pub struct PersonForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    code: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    birth_year: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    unit: i64,
    #[serde(default)]
    household: String,
    #[serde(default)]
    position: String,
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct FormPage {
    l: Layout,
    f: PersonForm,
    version: i64,
    error: Option<super::form::Refusal>,
}

async fn form_page(state: &AppState, auth: &Auth, title: String, f: PersonForm, error: Option<String>) -> Response {
    let l = Layout::new(state, auth, title, "people").await;
    let version = f.version;
    let refused = error.is_some();
    let error = error.map(|m| {
        super::form::Refusal::of(
            m,
            &[("birth_year", "năm sinh"), ("full_name", "họ và tên"), ("position", "chức vụ"), ("gender", "giới tính"), ("code", "mã")],
        )
    });
    view::render_form(&FormPage { l, f, version, error }, refused)
}

fn parse(f: &PersonForm) -> Result<PersonInput, String> {
    let birth_year = match f.birth_year.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| format!("năm sinh «{s}» không phải là số"))?),
    };
    let household_id = match f.household.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| "hộ gia đình không hợp lệ".to_string())?),
    };
    Ok(PersonInput {
        code: f.code.clone(),
        full_name: f.full_name.clone(),
        birth_year,
        gender: Gender::parse(&f.gender),
        unit_id: f.unit,
        household_id,
        position: Some(f.position.clone()),
    })
}

#[derive(Deserialize)]
pub struct NewQuery {
    unit: Option<i64>,
    household: Option<i64>,
}

pub async fn person_new_get(State(state): State<AppState>, auth: Auth, Query(nq): Query<NewQuery>) -> Result<Response, WebError> {
    let unit = nq.unit.ok_or_else(|| WebError::bad_request("Hãy chọn đơn vị/thôn trước khi thêm công dân."))?;
    state.app.authorize(&auth.actor, Action::WriteRegistry, unit).await?;
    let f = PersonForm { unit, household: nq.household.map(|h| h.to_string()).unwrap_or_default(), ..Default::default() };
    Ok(form_page(&state, &auth, crate::i18n::t(auth.lang, "person.new").into(), f, None).await)
}

pub async fn person_new_post(State(state): State<AppState>, auth: Auth, Form(f): Form<PersonForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let title = crate::i18n::t(auth.lang, "person.new").to_string();
    let input = match parse(&f) {
        Ok(i) => i,
        Err(m) => return Ok(form_page(&state, &auth, title, f, Some(m)).await),
    };
    match state.app.create_person(&auth.actor, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => Ok(form_page(&state, &auth, title, f, Some(m)).await),
        Err(e) => Err(e.into()),
    }
}

pub async fn person_edit_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let p = state.app.read_person(&auth.actor, id, ReadChannel::Page).await?;
    state.app.authorize(&auth.actor, Action::WriteRegistry, p.unit_id).await?;
    let f = PersonForm {
        csrf: String::new(),
        version: p.version,
        code: p.code.clone(),
        full_name: p.full_name.clone(),
        birth_year: p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        gender: p.gender.map(|g| g.code().to_string()).unwrap_or_default(),
        unit: p.unit_id,
        household: p.household_id.map(|h| h.to_string()).unwrap_or_default(),
        position: p.position.clone().unwrap_or_default(),
    };
    Ok(form_page(&state, &auth, format!("{}: {}", crate::i18n::t(auth.lang, "action.edit"), p.full_name), f, None).await)
}

pub async fn person_edit_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<PersonForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let title = crate::i18n::t(auth.lang, "action.edit").to_string();
    let input = match parse(&f) {
        Ok(i) => i,
        Err(m) => return Ok(form_page(&state, &auth, title, f, Some(m)).await),
    };
    match state.app.update_person(&auth.actor, id, f.version, input).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => Ok(form_page(&state, &auth, title, f, Some(m)).await),
        Err(e) => Err(e.into()),
    }
}

pub async fn person_active_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.set_person_active(&auth.actor, id, f.version, f.active == "true").await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

/// Records the person's consent to be named on the public honour roll, or its withdrawal.
pub async fn consent_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<super::ConsentForm>,
) -> Result<Response, WebError> {
    super::record_consent(&state, &auth, "person", "/people", id, f).await
}
