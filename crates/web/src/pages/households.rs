//! Households: list with search and paging, export, detail with members and history, create,
//! edit, deactivate.

use super::units::ActiveForm;
use super::{AuditVm, HouseholdVm, PersonVm};
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
use thidua_app::ports::{HouseholdInput, HouseholdSort, PageRequest, PersonSort, ReadChannel};
use thidua_domain::access::Action;

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
    fn sort(&self) -> HouseholdSort {
        match self.sort.as_str() {
            "head" => HouseholdSort::HeadName,
            "unit" => HouseholdSort::Unit,
            _ => HouseholdSort::Code,
        }
    }

    fn filter_query(&self) -> String {
        super::filter_query(self.unit, &[("q", &self.q), ("sort", &self.sort)])
    }
}

#[derive(Template)]
#[template(path = "households.html")]
struct ListPage {
    l: Layout,
    unit_id: Option<i64>,
    q: String,
    sort: String,
    rows: Vec<HouseholdVm>,
    total: String,
    pager: view::KeysetPager,
    export_query: String,
    can_create: bool,
}

pub async fn households_get(State(state): State<AppState>, auth: Auth, Query(lq): Query<ListQuery>) -> Result<Response, WebError> {
    let page = state
        .app
        .read_households(
            &auth.actor,
            ReadChannel::Page,
            lq.unit,
            Some(&lq.q),
            lq.sort(),
            super::list_page(lq.page, lq.after.clone(), lq.before.clone(), lq.last.is_some(), 50),
        )
        .await?;
    let snap = state.app.snapshot().await?;
    let title = match lq.unit.and_then(|u| snap.units.get(&u)) {
        Some(u) => format!("{} — {}", crate::i18n::t(auth.lang, "nav.households"), u.name),
        None => crate::i18n::t(auth.lang, "nav.households").to_string(),
    };
    let can_create = match lq.unit {
        Some(u) => {
            snap.units.get(&u).is_some_and(|x| x.kind.holds_households()) && state.app.can(&auth.actor, Action::WriteRegistry, u).await
        }
        None => false,
    };
    let fq = lq.filter_query();
    let l = Layout::new(&state, &auth, title, "households").await;
    Ok(view::render(&ListPage {
        l,
        unit_id: lq.unit,
        q: lq.q.clone(),
        sort: if lq.sort.is_empty() { "code".into() } else { lq.sort.clone() },
        rows: page.items.iter().map(|h| HouseholdVm::new(auth.lang, &snap, h)).collect(),
        total: view::total_text(auth.lang, &page),
        pager: view::KeysetPager::new(&format!("/households?{fq}{}", if fq.is_empty() { "" } else { "&" }), &page),
        export_query: fq,
        can_create,
    }))
}

pub async fn households_export_get(State(state): State<AppState>, auth: Auth, Query(lq): Query<ListQuery>) -> Result<Response, WebError> {
    export(state, auth, lq, crate::stream::Format::Xlsx).await
}

pub async fn households_csv_get(State(state): State<AppState>, auth: Auth, Query(lq): Query<ListQuery>) -> Result<Response, WebError> {
    export(state, auth, lq, crate::stream::Format::Csv).await
}

/// The list as `.xlsx` or CSV, streamed page by page: any length, from the first page's time.
async fn export(state: AppState, auth: Auth, lq: ListQuery, format: crate::stream::Format) -> Result<Response, WebError> {
    let f = thidua_app::exports::ExportFilter { unit: lq.unit, query: Some(lq.q.clone()) };
    let (app, actor, sort) = (state.app.clone(), auth.actor.clone(), lq.sort());
    let first = app.households_export_page(&actor, (&f, ReadChannel::Export), sort, None).await?;
    let headers = thidua_domain::import::ImportKind::Households.headers();
    let file = format!("ho-gia-dinh.{}", if format == crate::stream::Format::Csv { "csv" } else { "xlsx" });
    crate::stream::list(format, &file, "Hộ gia đình", &headers, first, move |at| {
        let (app, actor, f) = (app.clone(), actor.clone(), f.clone());
        async move { app.households_export_page(&actor, (&f, ReadChannel::Export), sort, Some(at)).await }
    })
}

#[derive(Template)]
#[template(path = "household.html")]
struct DetailPage {
    l: Layout,
    h: HouseholdVm,
    members: Vec<PersonVm>,
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

pub async fn household_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let h = state.app.read_household(&auth.actor, id, ReadChannel::Page).await.map_err(|e| WebError::from(e).lang(auth.lang))?;
    let snap = state.app.snapshot().await?;
    let members =
        state.app.read_people(&auth.actor, ReadChannel::Page, None, Some(id), None, PersonSort::Name, PageRequest::new(1, 100)).await?;
    let history = state.app.household_history(&auth.actor, id).await?;
    let can_write = state.app.can(&auth.actor, Action::WriteRegistry, h.unit_id).await;
    let year = state.app.working_year();
    let titles = state.app.title_history(&auth.actor, thidua_domain::titles::Subject::Household, id, year).await?;
    let awards = state.app.award_history(&auth.actor, "household", id).await?;
    let l =
        Layout::new(&state, &auth, format!("{} {} ({})", crate::i18n::t(auth.lang, "household.title"), h.head_name, h.code), "households")
            .await;
    Ok(view::render(&DetailPage {
        l,
        h: HouseholdVm::new(auth.lang, &snap, &h),
        members: members.items.iter().map(|p| PersonVm::new(auth.lang, &snap, p)).collect(),
        history: AuditVm::list(&state, &history).await?,
        can_write,
        titles_held: view::TitleVm::list(&titles),
        awards_held: view::AwardVm::list(&awards),
        public_consent: state.app.public_consent(&auth.actor, "household", id).await?,
        consent_action: format!("/households/{id}/consent"),
        consent_basis: state.app.consent_basis()?,
        assess: super::assess_action(&state, &auth, thidua_domain::titles::Subject::Household, id, h.unit_id).await,
        nominate: super::nominate_action(&state, &auth, "household", &h.code, h.unit_id).await,
        reads_link: super::reads_link(&state, &auth, "household", id, h.unit_id).await,
    }))
}

#[derive(Deserialize, Default)]
pub struct HouseholdForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    code: String,
    #[serde(default)]
    unit: i64,
    #[serde(default)]
    head_name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    member_count: String,
}

#[derive(Template)]
#[template(path = "household_form.html")]
struct FormPage {
    l: Layout,
    f: HouseholdForm,
    version: i64,
    villages: Vec<(i64, String)>,
    error: Option<super::form::Refusal>,
}

/// Villages (thôn, tổ dân phố) the actor may write to, for the form's list.
async fn writable_villages(state: &AppState, auth: &Auth) -> Vec<(i64, String)> {
    let Ok(snap) = state.app.snapshot().await else { return vec![] };
    let mut out: Vec<(i64, String)> = snap
        .units
        .values()
        .filter(|u| u.active && u.kind.holds_households())
        .filter(|u| state.app.shows(&auth.actor, &snap, Action::WriteRegistry, u.id))
        .map(|u| {
            let parent = u.parent_id.and_then(|p| snap.units.get(&p)).map(|p| p.name.as_str()).unwrap_or("");
            (u.id, format!("{} — {parent}", u.name))
        })
        .collect();
    out.sort_by_key(|(_, n)| thidua_domain::text::fold(n));
    out
}

async fn form_page(state: &AppState, auth: &Auth, title: String, f: HouseholdForm, error: Option<String>) -> Response {
    let villages = writable_villages(state, auth).await;
    let l = Layout::new(state, auth, title, "households").await;
    let version = f.version;
    let refused = error.is_some();
    let error = error.map(|m| {
        super::form::Refusal::of(
            m,
            &[("head_name", "chủ hộ"), ("member_count", "nhân khẩu"), ("address", "địa chỉ"), ("unit", "thôn"), ("code", "mã")],
        )
    });
    view::render_form(&FormPage { l, f, version, villages, error }, refused)
}

fn parse(f: &HouseholdForm) -> Result<HouseholdInput, String> {
    let member_count = match f.member_count.trim() {
        "" => None,
        s => Some(s.parse::<i64>().ok().filter(|n| (1..=50).contains(n)).ok_or("số nhân khẩu phải là số từ 1 đến 50")?),
    };
    Ok(HouseholdInput {
        code: f.code.clone(),
        unit_id: f.unit,
        head_name: f.head_name.clone(),
        address: Some(f.address.clone()),
        member_count,
    })
}

#[derive(Deserialize)]
pub struct NewQuery {
    unit: Option<i64>,
}

pub async fn household_new_get(State(state): State<AppState>, auth: Auth, Query(nq): Query<NewQuery>) -> Result<Response, WebError> {
    if let Some(u) = nq.unit {
        state.app.authorize(&auth.actor, Action::WriteRegistry, u).await?;
    }
    let f = HouseholdForm { unit: nq.unit.unwrap_or_default(), ..Default::default() };
    Ok(form_page(&state, &auth, crate::i18n::t(auth.lang, "household.new").into(), f, None).await)
}

pub async fn household_new_post(State(state): State<AppState>, auth: Auth, Form(f): Form<HouseholdForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let title = crate::i18n::t(auth.lang, "household.new").to_string();
    let input = match parse(&f) {
        Ok(i) => i,
        Err(m) => return Ok(form_page(&state, &auth, title, f, Some(m)).await),
    };
    match state.app.create_household(&auth.actor, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/households/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => Ok(form_page(&state, &auth, title, f, Some(m)).await),
        Err(e) => Err(e.into()),
    }
}

pub async fn household_edit_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let h = state.app.read_household(&auth.actor, id, ReadChannel::Page).await?;
    state.app.authorize(&auth.actor, Action::WriteRegistry, h.unit_id).await?;
    let f = HouseholdForm {
        csrf: String::new(),
        version: h.version,
        code: h.code.clone(),
        unit: h.unit_id,
        head_name: h.head_name.clone(),
        address: h.address.clone().unwrap_or_default(),
        member_count: h.member_count.map(|m| m.to_string()).unwrap_or_default(),
    };
    Ok(form_page(&state, &auth, format!("{} {}", crate::i18n::t(auth.lang, "action.edit"), h.code), f, None).await)
}

pub async fn household_edit_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<HouseholdForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let title = crate::i18n::t(auth.lang, "action.edit").to_string();
    let input = match parse(&f) {
        Ok(i) => i,
        Err(m) => return Ok(form_page(&state, &auth, title, f, Some(m)).await),
    };
    match state.app.update_household(&auth.actor, id, f.version, input).await {
        Ok(()) => Ok(Redirect::to(&format!("/households/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => Ok(form_page(&state, &auth, title, f, Some(m)).await),
        Err(e) => Err(e.into()),
    }
}

pub async fn household_active_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.set_household_active(&auth.actor, id, f.version, f.active == "true").await?;
    Ok(Redirect::to(&format!("/households/{id}")).into_response())
}

/// Records the household's consent to be named on the public honour roll, or its withdrawal.
pub async fn consent_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<super::ConsentForm>,
) -> Result<Response, WebError> {
    super::record_consent(&state, &auth, "household", "/households", id, f).await
}
