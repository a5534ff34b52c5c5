//! The commendation's generated documents as files: composed by the use cases
//! (`thidua_app::commendation::documents`), written here as `.docx` and `.xlsx`.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Path;
use crate::session::Auth;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use thidua_app::Named;
use thidua_documents::{OfficialDoc, official_docx};

pub(crate) fn docx_response(name: &str, doc: &OfficialDoc) -> Result<Response, WebError> {
    let bytes = official_docx(doc).map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    Ok((
        [
            ("content-type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()),
            ("content-disposition", format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

fn docx(d: Named<OfficialDoc>) -> Result<Response, WebError> {
    docx_response(&d.file_name, &d.value)
}

pub async fn batch_docx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    docx(state.app.batch_submission_doc(&auth.actor, id).await?)
}

/// The draft of a body's own Giấy khen decision.
pub async fn batch_draft_decision_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    docx(state.app.own_draft_decision_doc(&auth.actor, id).await?)
}

pub async fn batch_xlsx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    super::sheet_file(state.app.batch_list_sheet(&auth.actor, id).await?)
}

pub async fn report_docx_get(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, nominee)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    docx(state.app.achievement_report_doc(&auth.actor, id, nominee).await?)
}

pub async fn consolidation_docx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    docx(state.app.consolidation_doc(&auth.actor, id).await?)
}

pub async fn consolidation_xlsx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    super::sheet_file(state.app.consolidation_sheet(&auth.actor, id).await?)
}

pub async fn draft_decision_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    docx(state.app.draft_decision_doc(&auth.actor, id).await?)
}

pub async fn decision_docx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    docx(state.app.award_decision_doc(&auth.actor, id).await?)
}

pub async fn decision_xlsx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    super::sheet_file(state.app.award_decision_sheet(&auth.actor, id).await?)
}
