//! Yearly implementation reports: DOET's overview of a year (who reported, who is late, the rate
//! on time, the year's lock, the consolidated city report), and a unit's report page (figures
//! from the registry, figures it types, the narrative, and the steps).

use crate::AppState;
use crate::error::WebError;
use crate::extract::Form;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::report_docs::{ReviewLine, met_label, review_kind, review_lines};
use thidua_app::reports::{Activities, ReportInput, ReportView};
use thidua_domain::access::Action;
use thidua_domain::dates;
use thidua_domain::reports::ReportStep;
use thidua_domain::text::percent;

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i64>,
}

struct OverviewLine {
    unit_id: i64,
    unit: String,
    state: String,
    submitted: String,
    on_time: Option<bool>,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct OverviewPage {
    l: Layout,
    year: i64,
    due: String,
    locked: bool,
    may_review: bool,
    rows: Vec<OverviewLine>,
    expected: u32,
    on_time: u32,
    late: u32,
    missing: u32,
    rate: String,
}

async fn may_review_city(state: &AppState, auth: &Auth) -> bool {
    match state.app.snapshot().await {
        Ok(snap) => match snap.roots().first() {
            Some(root) => state.app.can(&auth.actor, Action::ReviewReports, *root).await,
            None => false,
        },
        Err(_) => false,
    }
}

pub async fn reports_get(State(state): State<AppState>, auth: Auth, Query(q): Query<YearQuery>) -> Result<Response, WebError> {
    let year = q.year.unwrap_or_else(|| state.app.working_year());
    let o = state.app.report_overview(&auth.actor, year).await?;
    let rows = o
        .rows
        .iter()
        .map(|r| OverviewLine {
            unit_id: r.unit.id,
            unit: r.unit.name.clone(),
            state: r.state.map_or("Chưa lập báo cáo", |s| s.label_vi()).to_string(),
            submitted: r.first_submitted.map(dates::format_dmy).unwrap_or_default(),
            on_time: r.on_time,
        })
        .collect();
    let p = o.punctuality;
    let l = Layout::new(&state, &auth, format!("Báo cáo kết quả thực hiện Phong trào năm {year}"), "reports").await.vietnamese_only();
    Ok(view::render(&OverviewPage {
        l,
        year,
        due: dates::format_dmy(o.due_before),
        locked: o.locked,
        may_review: may_review_city(&state, &auth).await,
        rows,
        expected: p.expected,
        on_time: p.on_time,
        late: p.late,
        missing: p.missing,
        rate: thidua_domain::text::percent(p.on_time_rate()),
    }))
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    l: Layout,
    v: ReportView,
    state_label: &'static str,
    due: String,
    titles: Vec<(String, u64, u64, u64, String)>,
    awards: Vec<(String, i64)>,
    events: Vec<(String, String, String, String)>,
    steps: Vec<(&'static str, &'static str, bool)>,
    error: Option<super::form::Refusal>,
    /// The values shown in the form (what was typed when the save was refused).
    f: ReportForm,
}

#[derive(Deserialize, Default, Clone)]
pub struct ReportForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    events: String,
    #[serde(default)]
    week_events: String,
    #[serde(default)]
    participants: String,
    #[serde(default)]
    models: String,
    #[serde(default)]
    results: String,
    #[serde(default)]
    limits: String,
    #[serde(default)]
    lessons: String,
    #[serde(default)]
    proposals: String,
}

fn form_of(v: &ReportView) -> ReportForm {
    ReportForm {
        csrf: String::new(),
        version: v.row.version.to_string(),
        events: v.activities.events.to_string(),
        week_events: v.activities.week_events.to_string(),
        participants: v.activities.participants.to_string(),
        models: v.activities.models.to_string(),
        results: v.row.results.clone(),
        limits: v.row.limits.clone(),
        lessons: v.row.lessons.clone(),
        proposals: v.row.proposals.clone(),
    }
}

async fn report_page(
    state: &AppState,
    auth: &Auth,
    year: i64,
    unit: i64,
    error: Option<String>,
    typed: Option<ReportForm>,
) -> Result<Response, WebError> {
    let v = state.app.report_view(&auth.actor, unit, year).await?;
    let f = typed.unwrap_or_else(|| form_of(&v));
    let titles = v.figures.titles.iter().map(|t| (t.name.clone(), t.eligible, t.assessed, t.recognised, percent(t.coverage))).collect();
    let awards = v.figures.awards.iter().map(|a| (a.name.clone(), a.awarded)).collect();
    let names = state.app.display_names(v.events.iter().map(|e| e.actor.clone()).collect()).await?;
    let events = v
        .events
        .iter()
        .map(|e| {
            (
                view::datetime_ms(e.at_ms),
                names.get(&e.actor).cloned().unwrap_or_else(|| e.actor.clone()),
                match ReportStep::parse(&e.step) {
                    Some(s) => s.label_vi().to_string(),
                    None if e.step == thidua_domain::reports::COMMENT => "Góp ý".to_string(),
                    None => e.step.clone(),
                },
                e.comment.clone(),
            )
        })
        .collect();
    let steps = v.steps.iter().map(|s| (s.code(), s.label_vi(), s.needs_comment())).collect();
    let l = Layout::new(state, auth, format!("Báo cáo năm {year} — {}", v.unit.name), "reports").await.vietnamese_only();
    let refused = error.is_some();
    let fields = [
        ("week_events", "tuần lễ học tập suốt đời"),
        ("events", "số hoạt động"),
        ("participants", "lượt người tham gia"),
        ("models", "mô hình"),
        ("results", "kết quả"),
    ];
    let error = error.map(|m| super::form::Refusal::of(m, &fields));
    Ok(view::render_form(
        &ReportPage {
            state_label: v.state.label_vi(),
            due: dates::format_dmy(v.due_before),
            titles,
            awards,
            events,
            steps,
            error,
            f,
            l,
            v,
        },
        refused,
    ))
}

pub async fn report_get(State(state): State<AppState>, auth: Auth, Path((year, unit)): Path<(i64, i64)>) -> Result<Response, WebError> {
    report_page(&state, &auth, year, unit, None, None).await
}

fn number(label: &str, s: &str) -> Result<i64, String> {
    let t = s.trim().replace(['.', ' '], "");
    if t.is_empty() {
        return Ok(0);
    }
    t.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| format!("«{label}»: «{}» không phải số nguyên không âm.", s.trim()))
}

fn input_of(f: &ReportForm) -> Result<ReportInput, String> {
    Ok(ReportInput {
        activities: Activities {
            events: number("Số hoạt động, sự kiện", &f.events)?,
            week_events: number("Hưởng ứng Tuần lễ học tập suốt đời", &f.week_events)?,
            participants: number("Lượt người tham gia", &f.participants)?,
            models: number("Mô hình điển hình", &f.models)?,
        },
        results: f.results.clone(),
        limits: f.limits.clone(),
        lessons: f.lessons.clone(),
        proposals: f.proposals.clone(),
    })
}

pub async fn report_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((year, unit)): Path<(i64, i64)>,
    Form(f): Form<ReportForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let input = match input_of(&f) {
        Ok(i) => i,
        Err(m) => return report_page(&state, &auth, year, unit, Some(m), Some(f)).await,
    };
    let version = f.version.trim().parse::<i64>().unwrap_or(-1);
    match state.app.save_report(&auth.actor, unit, year, version, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/reports/{year}/{unit}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => report_page(&state, &auth, year, unit, Some(m), Some(f)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    comment: String,
}

pub async fn report_step_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((year, unit)): Path<(i64, i64)>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let step = ReportStep::parse(&f.step).ok_or_else(|| WebError::bad_request("Bước không có."))?;
    let version = f.version.trim().parse::<i64>().unwrap_or(-1);
    match state.app.report_step(&auth.actor, unit, year, version, step, &f.comment).await {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{year}/{unit}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => report_page(&state, &auth, year, unit, Some(m), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    comment: String,
}

/// DOET's or DOHA's comment on a sent report (seed VII: the report goes to both).
pub async fn comment_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((year, unit)): Path<(i64, i64)>,
    Form(f): Form<CommentForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    match state.app.comment_report(&auth.actor, unit, year, &f.comment).await {
        Ok(()) => Ok(Redirect::to(&format!("/reports/{year}/{unit}#report-events")).into_response()),
        Err(AppError::Invalid(m)) => report_page(&state, &auth, year, unit, Some(m), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LockForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    locked: String,
}

pub async fn lock_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(year): Path<i64>,
    Form(f): Form<LockForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.lock_report_year(&auth.actor, year, f.locked == "true").await?;
    Ok(Redirect::to(&format!("/reports?year={year}")).into_response())
}

/// DOET's consolidated report to the City People's Committee: the year's figures for the whole
/// city from the registry, who reported and when, and each unit's own account in an annex.
pub async fn city_docx_get(State(state): State<AppState>, auth: Auth, Path(year): Path<i64>) -> Result<Response, WebError> {
    let d = state.app.city_report_doc(&auth.actor, year).await?;
    super::award_docs::docx_response(&d.file_name, &d.value)
}

/// The annex: one row per reporting unit with its figures as submitted, one sheet per part.
pub async fn units_xlsx_get(State(state): State<AppState>, auth: Auth, Path(year): Path<i64>) -> Result<Response, WebError> {
    sheets(state.app.city_report_sheets(&auth.actor, year).await?)
}

/// One unit's report as an annex workbook: its figures (titles, awards, initiatives, activities)
/// and its four narrative parts, as submitted (as they stand while it is a draft).
pub async fn unit_xlsx_get(State(state): State<AppState>, auth: Auth, Path((year, unit)): Path<(i64, i64)>) -> Result<Response, WebError> {
    sheets(state.app.unit_report_sheets(&auth.actor, unit, year).await?)
}

fn sheets(s: thidua_app::Named<Vec<thidua_documents::Sheet>>) -> Result<Response, WebError> {
    let bytes = thidua_documents::write_xlsx(&s.value).map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(super::xlsx_response(&s.file_name, bytes))
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    l: Layout,
    year: i64,
    kind: &'static str,
    unit_id: i64,
    unit_name: String,
    lines: Vec<ReviewLine>,
    unit_headers: Vec<&'static str>,
    units: Vec<UnitCells>,
    own: Option<OwnVm>,
}

/// The bodies' own reviews (seed III.3.2.c, III.3.3.c): the day, the counts, and each body with
/// its decisions («số … ngày …, n khen») or nothing yet.
struct OwnVm {
    campaign: String,
    decided_before: String,
    bodies: usize,
    decided: usize,
    late: usize,
    awarded: String,
    rows: Vec<(String, String, bool)>,
}

fn own_vm(o: &thidua_app::review::OwnReviews) -> OwnVm {
    let rows = o
        .bodies
        .iter()
        .map(|(u, d)| {
            let text = d
                .iter()
                .map(|(number, on, n)| {
                    format!(
                        "Quyết định số {number} ngày {}: {} tập thể, cá nhân",
                        dates::format_dmy(*on),
                        thidua_domain::text::number(i128::from(*n))
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let late = d.iter().map(|x| x.1).min().is_some_and(|first| first >= o.decided_before);
            (u.name.clone(), text, late)
        })
        .collect();
    OwnVm {
        campaign: o.campaign.clone(),
        decided_before: dates::format_dmy(o.decided_before),
        bodies: o.bodies.len(),
        decided: o.decided(),
        late: o.late(),
        awarded: thidua_domain::text::number(i128::from(o.awarded())),
        rows,
    }
}

/// A unit of the review: id, name, and per title (coverage, met or not).
type UnitCells = (i64, String, Vec<(String, &'static str)>);

#[derive(Deserialize)]
pub struct UnitQuery {
    #[serde(default)]
    unit: Option<i64>,
}

/// The mid-term (2025) or final (2030) review of a scope.
pub async fn review_get(
    State(state): State<AppState>,
    auth: Auth,
    Path(year): Path<i64>,
    Query(q): Query<UnitQuery>,
) -> Result<Response, WebError> {
    let r = state.app.phase_review(&auth.actor, q.unit, year).await?;
    let unit_headers = r.titles.iter().map(|t| t.name).collect();
    let units = r
        .units
        .iter()
        .map(|u| (u.unit.id, u.unit.name.clone(), u.titles.iter().map(|(_, c, m)| (percent(*c), met_label(*m))).collect()))
        .collect();
    let l = Layout::new(&state, &auth, format!("{} — {}", review_kind(year), r.unit.name), "reports").await.vietnamese_only();
    Ok(view::render(&ReviewPage {
        l,
        year,
        kind: review_kind(year),
        unit_id: r.unit.id,
        unit_name: r.unit.name.clone(),
        lines: review_lines(&r),
        unit_headers,
        units,
        own: r.own.as_ref().map(own_vm),
    }))
}

/// The review as an official report (.docx) with the units' table annexed.
pub async fn review_docx_get(
    State(state): State<AppState>,
    auth: Auth,
    Path(year): Path<i64>,
    Query(q): Query<UnitQuery>,
) -> Result<Response, WebError> {
    let d = state.app.review_doc(&auth.actor, q.unit, year).await?;
    super::award_docs::docx_response(&d.file_name, &d.value)
}
