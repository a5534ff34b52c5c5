//! The home page (the user's units and tasks) and the global search.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Query;
use crate::pages::{HouseholdVm, PersonVm, UnitVm};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_app::ports::{PageRequest, PersonSort};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    name: String,
    /// Each unit the user's grants start from, with its households and citizens.
    units: Vec<(UnitVm, Option<(i64, i64)>)>,
    due: Vec<view::DueVm>,
    waiting: Vec<thidua_app::commendation::Waiting>,
    /// The role tasks the user has somewhere: assess, nominate, report, review reports.
    can_assess: bool,
    can_nominate: bool,
    can_report: bool,
    can_review: bool,
}

#[derive(Template)]
#[template(path = "public_home.html")]
struct PublicHome {
    l: Layout,
    /// The latest published articles: (id, title).
    articles: Vec<(i64, String)>,
}

/// `/`: the officer's own page when signed in; for everyone else the movement's public front
/// door (honour roll, models, resources, ranking, open data, a box to verify a certificate) with
/// «Đăng nhập cán bộ» as one link.
pub async fn home_get(State(state): State<AppState>, mut parts: axum::http::request::Parts) -> Result<Response, WebError> {
    use axum::extract::FromRequestParts;
    match Auth::from_request_parts(&mut parts, &state).await {
        Ok(auth) => officer_home(state, auth).await,
        Err(_) => public_home(&state, crate::session::lang_of(&parts.headers)).await,
    }
}

async fn public_home(state: &AppState, lang: crate::i18n::Lang) -> Result<Response, WebError> {
    let latest = state.app.public_articles(None, "", PageRequest::new(1, 3)).await?;
    let articles = latest.items.iter().map(|a| (a.id, a.title.clone())).collect();
    let mut r =
        view::render(&PublicHome { l: Layout::anonymous(lang, "Học tập suốt đời — Hà Nội").vietnamese_only(), articles });
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-cache"));
    Ok(r)
}

#[derive(Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    ma: String,
}

/// The verification box: the code as typed (spaces, dashes, capitals) leads to its page.
pub async fn verify_box_get(Query(q): Query<VerifyQuery>) -> Response {
    use axum::response::IntoResponse;
    let code: String = q.ma.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    if code.is_empty() {
        return axum::response::Redirect::to("/").into_response();
    }
    axum::response::Redirect::to(&format!("/xac-minh/{code}")).into_response()
}

async fn officer_home(state: AppState, auth: Auth) -> Result<Response, WebError> {
    let mut units = Vec::new();
    for u in state.app.entry_units(&auth.actor).await? {
        // A unit whose registry the officer does not read (a council member's, say) is listed
        // without figures.
        let totals = match state.app.registry_totals(&auth.actor, u.id).await {
            Ok(t) => Some(t),
            Err(thidua_app::AppError::Forbidden) => None,
            Err(e) => return Err(e.into()),
        };
        units.push((UnitVm::new(auth.lang, &u), totals));
    }
    let due = view::DueVm::list(&state.app.due_items(&auth.actor).await?);
    let waiting = state.app.waiting_items(&auth.actor).await?;
    use thidua_domain::access::Action;
    let roles =
        state.app.allowed_somewhere(&auth.actor, &[Action::Assess, Action::Nominate, Action::Report, Action::ReviewReports]).await?;
    let has = |i: usize| roles.get(i).copied().unwrap_or(false);
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "nav.home"), "home").await;
    Ok(view::render(&HomePage {
        l,
        name: auth.actor.full_name.clone(),
        units,
        due,
        waiting,
        can_assess: has(0),
        can_nominate: has(1),
        can_report: has(2),
        can_review: has(3),
    }))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    q_enc: String,
    units: Vec<UnitVm>,
    /// How many units match in all (the page shows the first 20).
    units_total: usize,
    people: Vec<PersonVm>,
    people_total: i64,
    people_shown: String,
    households: Vec<HouseholdVm>,
    households_shown: String,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search_get(State(state): State<AppState>, auth: Auth, Query(sq): Query<SearchQuery>) -> Result<Response, WebError> {
    let q = thidua_domain::text::clean(&sq.q);
    let snap = state.app.snapshot().await?;
    let ((units, units_total), people, households) = if q.is_empty() {
        (
            (vec![], 0),
            thidua_app::ports::Page::new(vec![], 0, &PageRequest::new(1, 20)),
            thidua_app::ports::Page::new(vec![], 0, &PageRequest::new(1, 20)),
        )
    } else {
        // The three lists at once, each on its own connection: the page waits for the slowest.
        tokio::try_join!(
            state.app.search_units(&auth.actor, &q, 20),
            state.app.read_people(
                &auth.actor,
                thidua_app::ports::ReadChannel::Page,
                None,
                None,
                Some(&q),
                PersonSort::Name,
                PageRequest::new(1, 20)
            ),
            state.app.read_households(
                &auth.actor,
                thidua_app::ports::ReadChannel::Page,
                None,
                Some(&q),
                thidua_app::ports::HouseholdSort::Code,
                PageRequest::new(1, 20)
            ),
        )?
    };
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "search.title"), "").await;
    Ok(view::render(&SearchPage {
        l,
        q_enc: serde_urlencoded::to_string([("", &q)]).unwrap_or_default().trim_start_matches('=').to_string(),
        q,
        units: units.iter().map(|u| UnitVm::new(auth.lang, u)).collect(),
        units_total,
        people_total: people.total,
        people_shown: view::total_text(auth.lang, &people),
        people: people.items.iter().map(|p| PersonVm::new(auth.lang, &snap, p)).collect(),
        households_shown: view::total_text(auth.lang, &households),
        households: households.items.iter().map(|h| HouseholdVm::new(auth.lang, &snap, h)).collect(),
    }))
}
