//! The decree detailing the Law on Emulation and Commendation in force on each date (issue 13
//! §18): what every generated decision cites, and DOHA's form to record a successor.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Form;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::commendation::{DecreeInput, LegalBasesView};
use thidua_domain::dates;

#[derive(Template)]
#[template(path = "legal_bases.html")]
struct LegalBasesPage {
    l: Layout,
    v: LegalBasesView,
    /// (number, cite, from, until, basis, verified, entered)
    rows: Vec<(String, String, String, String, String, bool, bool)>,
    covered_until: String,
    /// Decree 152/2025 Art. 60's transitional rules, each in a sentence.
    transitions: Vec<String>,
    error: Option<String>,
    f: DecreeForm,
}

#[derive(Deserialize, Default, Clone)]
pub struct DecreeForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    cite: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    verified: Option<String>,
}

async fn page(state: &AppState, auth: &Auth, error: Option<String>, f: DecreeForm) -> Result<Response, WebError> {
    let v = state.app.legal_bases(&auth.actor).await?;
    let rows = v
        .decrees
        .iter()
        .map(|(d, entered)| {
            (
                d.number.clone(),
                d.cite.clone(),
                dates::format_dmy(d.from),
                d.until.map(dates::format_dmy).unwrap_or_default(),
                d.basis.clone(),
                d.verified,
                *entered,
            )
        })
        .collect();
    let covered_until = v.covered_until.map(dates::format_dmy).unwrap_or_default();
    let transitions = thidua_app::commendation::transitions()?.describe_vi();
    let l = Layout::new(state, auth, "Căn cứ pháp lý về thi đua, khen thưởng", "awards").await.vietnamese_only();
    let refused = error.is_some();
    Ok(view::render_form(&LegalBasesPage { l, v, rows, covered_until, transitions, error, f }, refused))
}

pub async fn legal_bases_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    page(&state, &auth, None, DecreeForm::default()).await
}

pub async fn legal_bases_post(State(state): State<AppState>, auth: Auth, Form(f): Form<DecreeForm>) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let input = DecreeInput {
        number: f.number.clone(),
        cite: f.cite.clone(),
        from: f.from.clone(),
        until: f.until.clone(),
        basis: f.basis.clone(),
        verified: f.verified.is_some(),
    };
    match state.app.enter_decree(&auth.actor, &input).await {
        Ok(()) => Ok(Redirect::to("/legal-bases").into_response()),
        Err(AppError::Invalid(m)) => page(&state, &auth, Some(m), f).await,
        Err(e) => Err(e.into()),
    }
}
