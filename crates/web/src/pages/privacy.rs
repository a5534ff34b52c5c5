//! The record of processing (issue 18 §1): what personal data thidua processes and why, for the
//! city's administrators, and the impact-assessment dossier to download.

use crate::AppState;
use crate::error::WebError;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use thidua_domain::dates::format_dmy;
use thidua_domain::processing::Purpose;

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    l: Layout,
    controller: String,
    controller_verified: bool,
    started: String,
    law_from: String,
    due: String,
    /// «còn 12 ngày» or «đã quá hạn 3 ngày».
    due_note: String,
    overdue: bool,
    dossier_basis: String,
    purposes: Vec<Purpose>,
    provisional: bool,
    duties: &'static [&'static str],
}

pub async fn privacy_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    let v = state.app.processing_record(&auth.actor).await?;
    let days = (v.due - state.app.today()).whole_days();
    let due_note = if days >= 0 { format!("còn {} ngày", days) } else { format!("đã quá hạn {} ngày", -days) };
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "privacy.title"), "admin").await;
    Ok(view::render(&PrivacyPage {
        l,
        controller: v.record.controller.clone(),
        controller_verified: v.record.controller_verified,
        started: format_dmy(v.started),
        law_from: format_dmy(v.law_from),
        due: format_dmy(v.due),
        due_note,
        overdue: days < 0,
        dossier_basis: v.record.dossier_basis.clone(),
        provisional: v.record.provisional(),
        purposes: v.record.purposes,
        duties: thidua_app::privacy::operator_duties(),
    }))
}

pub async fn dossier_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    let doc = state.app.impact_dossier(&auth.actor).await?;
    super::award_docs::docx_response(&doc.file_name, &doc.value)
}
