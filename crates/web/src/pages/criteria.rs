//! Learning-title criteria sets: the list of stored versions, one set's criteria and
//! indicators, and the upload of a new version (DOET).

use crate::AppState;
use crate::error::WebError;
use crate::extract::Path;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use thidua_app::AppError;
use thidua_domain::access::Action;
use thidua_domain::criteria::{CriteriaSet, Indicator, IndicatorKind, OutcomeRule};

struct SetRow {
    id: i64,
    set_id: String,
    title_vi: String,
    level: String,
    version: i64,
    years: String,
    origin: String,
    provisional: bool,
}

#[derive(Template)]
#[template(path = "criteria.html")]
struct ListPage {
    l: Layout,
    sets: Vec<SetRow>,
    can_upload: bool,
    error: Option<String>,
}

async fn list_page(state: &AppState, auth: &Auth, error: Option<String>) -> Result<Response, WebError> {
    let sets = state
        .app
        .criteria_sets(&auth.actor)
        .await?
        .into_iter()
        .map(|s| SetRow {
            id: s.id,
            set_id: s.set_id,
            title_vi: s.title_vi,
            level: s.level.map(|l| l.to_string()).unwrap_or_default(),
            version: s.version,
            years: match s.to_year {
                Some(t) => format!("{}–{t}", s.from_year),
                None => format!("{}–", s.from_year),
            },
            origin: s.origin,
            provisional: s.provisional,
        })
        .collect();
    let snap = state.app.snapshot().await?;
    let can_upload = match snap.roots().first() {
        Some(root) => state.app.can(&auth.actor, Action::ManageCriteria, *root).await,
        None => false,
    };
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "criteria.title"), "criteria").await;
    let refused = error.is_some();
    Ok(view::render_form(&ListPage { l, sets, can_upload, error }, refused))
}

pub async fn criteria_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    list_page(&state, &auth, None).await
}

pub async fn criteria_post(State(state): State<AppState>, auth: Auth, mp: Multipart) -> Result<Response, WebError> {
    // Permission is decided from the session before a byte of the file is read.
    state.app.authorize_city(&auth.actor, thidua_domain::access::Action::ManageCriteria).await?;
    let super::Upload { fields, bytes, .. } = super::read_upload(mp).await?;
    let text = String::from_utf8(bytes).map_err(|_| WebError::bad_request("Tệp bộ tiêu chí phải là văn bản UTF-8 (.toml)."))?;
    auth.verify_csrf(fields.get("_csrf").map_or("", String::as_str))?;
    match state.app.upload_criteria_set(&auth.actor, &text).await {
        Ok(id) => Ok(Redirect::to(&format!("/criteria/{id}")).into_response()),
        Err(AppError::Invalid(m)) => list_page(&state, &auth, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "criteria_set.html")]
struct SetPage {
    l: Layout,
    set: CriteriaSet,
    sha: String,
    note: String,
    deadlines: String,
    outcome: String,
}

impl SetPage {
    fn rule_of(&self, i: &Indicator) -> String {
        match &i.kind {
            IndicatorKind::PassFail => "Đạt / không đạt, có minh chứng".into(),
            IndicatorKind::Share { threshold, derived: Some(_) } => format!("Tối thiểu {threshold} % (tính từ sổ danh hiệu)"),
            IndicatorKind::Share { threshold, derived: None } => format!("Tối thiểu {threshold} %"),
            IndicatorKind::Points { max_points } if i.mandatory => format!("Tối đa {max_points} điểm, bắt buộc đạt"),
            IndicatorKind::Points { max_points } => format!("Tối đa {max_points} điểm"),
        }
    }

    fn applies_of(&self, i: &Indicator) -> String {
        let mut parts = Vec::new();
        if !i.applies_to.is_empty() {
            parts.push(format!("chỉ: {}", i.applies_to.join(", ")));
        }
        if !i.not_for.is_empty() {
            parts.push(format!("trừ: {}", i.not_for.join(", ")));
        }
        let who = if parts.is_empty() { "mọi đối tượng".into() } else { parts.join("; ") };
        match (i.until_year, &i.until_basis) {
            (Some(until), basis) => format!("{who}; đến dữ liệu năm {until}, sau đó không áp dụng ({})", basis.as_deref().unwrap_or("")),
            (None, _) => who,
        }
    }
}

pub async fn criteria_set_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let (rec, set) = state.app.criteria_set(&auth.actor, id).await?;
    let deadlines = [set.dossier_deadline.clone(), set.decision_deadline.clone()].into_iter().flatten().collect::<Vec<_>>().join("; ");
    let outcome = match set.outcome {
        OutcomeRule::AllIndicators => {
            "Công nhận khi đạt tất cả tiêu chí (mỗi tiêu chí đạt khi tất cả chỉ tiêu áp dụng đều đạt)".to_string()
        }
        OutcomeRule::Points { min_points } => {
            format!("Công nhận khi đạt tối thiểu {min_points}/{} điểm và mọi chỉ tiêu bắt buộc", set.max_points())
        }
    };
    let l = Layout::new(&state, &auth, set.title_vi.clone(), "criteria").await;
    Ok(view::render(&SetPage { l, note: set.note.clone().unwrap_or_default(), sha: rec.sha256, deadlines, outcome, set }))
}
