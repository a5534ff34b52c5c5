//! One assessment at a time: the form built from the criteria set (derived shares shown, not
//! typed) and an assessment's page with the verdict on each indicator.

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use thidua_app::AppError;
use thidua_app::titles::LoadedSet;
use thidua_domain::assessment::cell_hint;
use thidua_domain::criteria::{Indicator, Verdict};
use thidua_domain::titles::Stage;

#[derive(Deserialize)]
pub struct AssessQuery {
    set: Option<i64>,
    title: Option<String>,
    subject: i64,
    year: Option<i64>,
}

/// One indicator of the form or of an assessment's page.
struct IndicatorVm {
    code: String,
    text: String,
    hint: String,
    value: String,
    /// «n/d (x %)» when the registry computes it.
    derived: Option<String>,
    verdict: String,
    failed: bool,
}

struct CriterionVm {
    code: String,
    text: String,
    indicators: Vec<IndicatorVm>,
}

#[derive(Template)]
#[template(path = "assess.html")]
struct AssessPage {
    l: Layout,
    set_id: i64,
    set_label: String,
    subject_id: i64,
    subject: String,
    year: i64,
    criteria: Vec<CriterionVm>,
    note: String,
    error: Option<String>,
}

/// The set's criteria and indicators for a page: `answer` gives each indicator's value, verdict
/// and whether it failed; shares the registry computes show as «n/d (x %)».
fn criteria_vm(
    loaded: &LoadedSet,
    derived: &BTreeMap<String, (u64, u64)>,
    answer: impl Fn(&Indicator) -> (String, String, bool),
) -> Vec<CriterionVm> {
    loaded
        .set
        .criteria
        .iter()
        .map(|c| CriterionVm {
            code: c.code.clone(),
            text: c.text.clone(),
            indicators: c
                .indicators
                .iter()
                .map(|i| {
                    let (value, verdict, failed) = answer(i);
                    IndicatorVm {
                        code: i.code.clone(),
                        text: i.text.clone(),
                        hint: match &i.kind {
                            // The registry holds no one to count (no resident, member or learner
                            // listed): the assessor types the figure.
                            thidua_domain::criteria::IndicatorKind::Share { derived: Some(_), .. } if !derived.contains_key(&i.code) => {
                                format!("Sổ chưa có danh sách để tính tỷ lệ này: nhập số liệu. {}", cell_hint(i))
                            }
                            _ => cell_hint(i),
                        },
                        value,
                        derived: derived.get(&i.code).map(|(n, d)| share_text(*n, *d)),
                        verdict,
                        failed,
                    }
                })
                .collect(),
        })
        .collect()
}

/// «Gia đình học tập (bộ … phiên bản …)».
fn set_label(loaded: &LoadedSet) -> String {
    let r = &loaded.record;
    super::set_name(&r.title_vi, &loaded.set.legal_basis.document, r.version, r.level, r.provisional)
}

fn share_text(n: u64, d: u64) -> String {
    match thidua_domain::criteria::percent(n, d) {
        Some(p) => format!(
            "{}/{} ({})",
            thidua_domain::text::number(n.into()),
            thidua_domain::text::number(d.into()),
            thidua_domain::text::percent(Some(p))
        ),
        None => format!("{n}/{d}"),
    }
}

fn answer_text(a: &thidua_domain::criteria::Answer) -> String {
    use thidua_domain::criteria::Answer;
    let (text, evidence) = match a {
        Answer::PassFail { passed, evidence } => ((if *passed { "Đạt" } else { "Không đạt" }).to_string(), *evidence),
        Answer::Share { numerator, denominator, evidence } => (share_text(*numerator, *denominator), *evidence),
        Answer::Points { points, evidence } => (format!("{points} điểm"), *evidence),
    };
    if evidence { text } else { format!("{text} (không có minh chứng)") }
}

/// The newest set of a title for a year (the lowest level where the title has levels).
async fn set_for_title(state: &AppState, title: &str, year: i64) -> Result<i64, WebError> {
    let sets = state.app.sets_for_year(year).await?;
    sets.iter()
        .filter(|s| s.title == title)
        .min_by_key(|s| (s.level.unwrap_or(0), -s.version))
        .map(|s| s.id)
        .ok_or_else(|| WebError::from(AppError::Invalid(format!("không có bộ tiêu chí cho danh hiệu này năm {year}"))))
}

#[allow(clippy::too_many_arguments)]
async fn assess_page(
    state: &AppState,
    auth: &Auth,
    set: i64,
    subject_id: i64,
    year: i64,
    values: &BTreeMap<String, String>,
    note: String,
    error: Option<String>,
) -> Result<Response, WebError> {
    let (subject, loaded) = state.app.assessment_subject(&auth.actor, set, subject_id).await?;
    let derived = state.app.derived_shares(&loaded.set, subject.unit_id, year).await?;
    let criteria = criteria_vm(&loaded, &derived, |i| (values.get(&i.code).cloned().unwrap_or_default(), String::new(), false));
    let refused = error.is_some();
    let l = Layout::new(state, auth, format!("{} {}", crate::i18n::t(auth.lang, "titles.assessment_of"), subject.name), "titles").await;
    let page = AssessPage {
        l,
        set_id: set,
        set_label: set_label(&loaded),
        subject_id,
        subject: format!("{} — {}", subject.code, subject.name),
        year,
        criteria,
        note,
        error,
    };
    Ok(view::render_form(&page, refused))
}

pub async fn assess_get(State(state): State<AppState>, auth: Auth, Query(q): Query<AssessQuery>) -> Result<Response, WebError> {
    // Who may assess nowhere is told so before what the form lacks.
    state.app.require_somewhere(&auth.actor, thidua_domain::access::Action::Assess).await?;
    let year = q.year.unwrap_or_else(|| state.app.working_year());
    let set = match (q.set, q.title.as_deref()) {
        (Some(s), _) => s,
        (None, Some(t)) => set_for_title(&state, t, year).await?,
        (None, None) => return Err(WebError::bad_request("chọn bộ tiêu chí hoặc danh hiệu")),
    };
    assess_page(&state, &auth, set, q.subject, year, &Default::default(), String::new(), None).await
}

pub async fn assess_post(
    State(state): State<AppState>,
    auth: Auth,
    crate::extract::Form(fields): crate::extract::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
    auth.verify_csrf(&get("_csrf"))?;
    let num = |k: &str| get(k).trim().parse::<i64>().map_err(|_| WebError::bad_request("biểu mẫu không hợp lệ"));
    let (set, subject, year) = (num("set")?, num("subject")?, num("year")?);
    let cells: BTreeMap<String, String> =
        fields.iter().filter_map(|(k, v)| k.strip_prefix("c_").map(|code| (code.to_string(), v.clone()))).collect();
    let note = get("note");
    let form = thidua_app::titles::AssessmentForm {
        criteria_set: set,
        subject_id: subject,
        year,
        stage: Stage::parse(&get("stage")),
        cells: cells.clone(),
        note: Some(note.clone()),
        expected_version: None,
    };
    match state.app.save_assessment(&auth.actor, form).await {
        Ok(id) => Ok(Redirect::to(&format!("/titles/assessments/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => assess_page(&state, &auth, set, subject, year, &cells, note, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct AssessmentPage {
    l: Layout,
    id: i64,
    subject: String,
    set_label: String,
    year: i64,
    stage: String,
    assessor: String,
    points: i64,
    passed: bool,
    decision: Option<i64>,
    certificate: bool,
    note: String,
    criteria: Vec<CriterionVm>,
    /// The classes the subject was judged as, and whether its type is recorded (issue 13 §14).
    classes: String,
    declared: bool,
    unit_id: i64,
}

pub async fn assessment_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let (v, loaded) = state.app.assessment(&auth.actor, id).await?;
    let criteria = criteria_vm(&loaded, &v.derived, |i| {
        let verdict = v.evaluation.indicators.get(&i.code);
        let text = match verdict {
            Some(Verdict::Pass) => "Đạt".into(),
            Some(Verdict::Fail(why)) => format!("Không đạt: {why}"),
            Some(Verdict::NotApplicable) | None => match (&i.until_basis, i32::try_from(v.record.input.year)) {
                (Some(basis), Ok(year)) if !i.in_force(year) => {
                    format!("Không áp dụng từ dữ liệu năm {}: {basis}", i.until_year.map_or(year, |u| u + 1))
                }
                _ => "Không áp dụng".into(),
            },
        };
        (v.answers.get(&i.code).map(answer_text).unwrap_or_else(|| "(bỏ trống)".into()), text, matches!(verdict, Some(Verdict::Fail(_))))
    });
    let r = &v.record;
    let l = Layout::new(&state, &auth, format!("{} {}", crate::i18n::t(auth.lang, "titles.assessment_of"), v.subject.name), "titles").await;
    Ok(view::render(&AssessmentPage {
        l,
        id,
        subject: format!("{} — {}", v.subject.code, v.subject.name),
        set_label: set_label(&loaded),
        year: r.input.year,
        stage: Stage::parse(&r.input.stage).map(|s| s.label_vi().to_string()).unwrap_or_default(),
        assessor: r.input.assessor.clone(),
        points: r.input.points,
        passed: r.input.passed,
        decision: r.decision_id,
        certificate: r.certificate.is_some(),
        note: r.input.note.clone().unwrap_or_default(),
        criteria,
        classes: v.classes.classes.iter().map(|c| thidua_domain::institutions::class_label_vi(c)).collect::<Vec<_>>().join("; "),
        declared: v.classes.declared,
        unit_id: v.subject.unit_id,
    }))
}
