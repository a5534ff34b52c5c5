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
use thidua_app::reports::{Activities, ReportInput, ReportView};
use thidua_documents::OfficialDoc;
use thidua_domain::access::Action;
use thidua_domain::dates;
use thidua_domain::reports::ReportStep;

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

fn pct(c: Option<f64>) -> String {
    thidua_domain::text::percent(c)
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
    let titles = v.figures.titles.iter().map(|t| (t.name.clone(), t.eligible, t.assessed, t.recognised, pct(t.coverage))).collect();
    let awards = v.figures.awards.iter().map(|a| (a.name.clone(), a.awarded)).collect();
    let names = state.app.display_names(v.events.iter().map(|e| e.actor.clone()).collect()).await?;
    let events = v
        .events
        .iter()
        .map(|e| {
            (
                view::datetime_ms(e.at_ms),
                names.get(&e.actor).cloned().unwrap_or_else(|| e.actor.clone()),
                ReportStep::parse(&e.step).map_or(e.step.clone(), |s| s.label_vi().to_string()),
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
    let snap = state.app.snapshot().await?;
    let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
    state.app.authorize(&auth.actor, Action::ReviewReports, root).await?;
    let o = state.app.report_overview(&auth.actor, year).await?;
    let city = state.app.report_figures(root, year).await?;
    let p = o.punctuality;
    let mut body = vec![
        "Căn cứ Kế hoạch của Ủy ban nhân dân Thành phố Hà Nội về Phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» giai đoạn 2023 – 2030 (mục VII: các sở, ngành, đơn vị, Ủy ban nhân dân cấp xã báo cáo trước ngày 15 tháng 12 hằng năm);".to_string(),
        format!("Sở Giáo dục và Đào tạo tổng hợp kết quả thực hiện Phong trào năm {year} như sau:"),
        "I. TÌNH HÌNH BÁO CÁO".into(),
        format!(
            "{} đơn vị thuộc diện báo cáo; {} đơn vị gửi đúng hạn (trước ngày {}), {} đơn vị gửi muộn, {} đơn vị chưa gửi; tỷ lệ báo cáo đúng hạn {}.",
            p.expected,
            p.on_time,
            dates::format_dmy(o.due_before),
            p.late,
            p.missing,
            thidua_domain::text::percent(p.on_time_rate())
        ),
        "II. KẾT QUẢ THỰC HIỆN".into(),
        "1. Danh hiệu học tập được công nhận trên địa bàn Thành phố:".into(),
    ];
    for t in &city.titles {
        body.push(format!("- {}: {} được công nhận / {} thuộc diện đánh giá ({}).", t.name, t.recognised, t.eligible, pct(t.coverage)));
    }
    body.push("2. Khen thưởng trong Phong trào:".into());
    if city.awards.is_empty() {
        body.push("- Chưa có quyết định khen thưởng trong năm.".into());
    }
    for a in &city.awards {
        body.push(format!("- {}: {} tập thể, cá nhân, hộ gia đình.", a.name, a.awarded));
    }
    body.push(format!("3. Sáng kiến được công nhận gắn với thành tích được khen thưởng: {}.", city.initiatives));
    let mut sum = Activities::default();
    for r in o.rows.iter().filter_map(|r| r.row.as_ref()).filter(|r| r.state == thidua_domain::reports::ReportState::Approved) {
        let a: Activities = thidua_app::reports::stored(&r.activities, "report activities")?;
        sum.events += a.events;
        sum.week_events += a.week_events;
        sum.participants += a.participants;
        sum.models += a.models;
    }
    body.push(format!(
        "4. Hoạt động do các đơn vị tổ chức (theo báo cáo đã duyệt): {} hoạt động, sự kiện, trong đó {} hoạt động hưởng ứng Tuần lễ hưởng ứng học tập suốt đời; {} lượt người tham gia; {} mô hình điển hình.",
        sum.events, sum.week_events, sum.participants, sum.models
    ));
    body.push("III. TỒN TẠI, HẠN CHẾ VÀ ĐỀ XUẤT CỦA CÁC ĐƠN VỊ".into());
    let approved: Vec<_> =
        o.rows.iter().filter(|r| r.row.as_ref().is_some_and(|x| x.state == thidua_domain::reports::ReportState::Approved)).collect();
    if approved.is_empty() {
        body.push("Chưa có báo cáo nào được duyệt.".into());
    }
    for r in approved {
        let Some(row) = &r.row else { continue };
        if !row.limits.is_empty() {
            body.push(format!("- {}: {}", r.unit.name, row.limits.replace('\n', " ")));
        }
        if !row.proposals.is_empty() {
            body.push(format!("  Đề xuất: {}", row.proposals.replace('\n', " ")));
        }
    }
    body.push("Sở Giáo dục và Đào tạo kính báo cáo Ủy ban nhân dân Thành phố./.".into());
    let doc = OfficialDoc {
        superior: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI".into(),
        issuer: "Sở Giáo dục và Đào tạo".into(),
        number: String::new(),
        place_date: format!("Hà Nội, {}", view::date_words(state.app.today())),
        kind: "BÁO CÁO".into(),
        subject: format!("Kết quả thực hiện Phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» năm {year}"),
        addressee: "Kính gửi: Ủy ban nhân dân Thành phố Hà Nội".into(),
        body,
        signer_title: "GIÁM ĐỐC".into(),
        recipients: vec!["Như trên".into(), "Sở Nội vụ (Ban Thi đua - Khen thưởng)".into(), "Lưu: VT".into()],
        annex_title: format!("TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM {year}"),
        annex_subtitle: "(Kèm theo Báo cáo của Sở Giáo dục và Đào tạo; số liệu từng đơn vị ở tệp Excel kèm theo)".into(),
        annex_headers: vec!["STT".into(), "Đơn vị".into(), "Tình trạng".into(), "Ngày gửi".into(), "Đúng hạn".into()],
        annex_rows: o
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.unit.name.clone(),
                    r.state.map_or("Chưa lập báo cáo", |s| s.label_vi()).to_string(),
                    r.first_submitted.map(dates::format_dmy).unwrap_or_default(),
                    match r.on_time {
                        Some(true) => "Có".into(),
                        Some(false) => "Muộn".into(),
                        None => String::new(),
                    },
                ]
            })
            .collect(),
        ..OfficialDoc::default()
    };
    super::award_docs::docx_response(&format!("bao-cao-phong-trao-{year}.docx"), &doc)
}

/// The annex: one row per reporting unit with its figures as submitted, one sheet per part.
pub async fn units_xlsx_get(State(state): State<AppState>, auth: Auth, Path(year): Path<i64>) -> Result<Response, WebError> {
    let snap = state.app.snapshot().await?;
    let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
    state.app.authorize(&auth.actor, Action::ReviewReports, root).await?;
    let o = state.app.report_overview(&auth.actor, year).await?;
    let title_codes: Vec<&'static thidua_domain::titles::Title> = thidua_domain::titles::titles_in_year(year).collect();
    let mut headers: Vec<String> = vec!["Mã đơn vị".into(), "Đơn vị".into(), "Tình trạng".into(), "Ngày gửi".into(), "Đúng hạn".into()];
    for t in &title_codes {
        headers.push(format!("{} — được công nhận", t.label_vi));
        headers.push(format!("{} — thuộc diện", t.label_vi));
    }
    headers.extend([
        "Khen thưởng (tổng)".into(),
        "Sáng kiến".into(),
        "Hoạt động".into(),
        "Tuần lễ HTSĐ".into(),
        "Lượt tham gia".into(),
        "Mô hình".into(),
    ]);
    let mut rows = Vec::new();
    let mut narrative = Vec::new();
    for r in &o.rows {
        let (figures, a): (thidua_app::reports::ReportFigures, Activities) = match r.row.as_ref() {
            Some(x) => (
                thidua_app::reports::stored(&x.figures, "report figures")?,
                thidua_app::reports::stored(&x.activities, "report activities")?,
            ),
            None => Default::default(),
        };
        let mut line = vec![
            r.unit.code.clone(),
            r.unit.name.clone(),
            r.state.map_or("Chưa lập báo cáo", |s| s.label_vi()).to_string(),
            r.first_submitted.map(dates::format_dmy).unwrap_or_default(),
            match r.on_time {
                Some(true) => "Có".into(),
                Some(false) => "Muộn".into(),
                None => String::new(),
            },
        ];
        for t in &title_codes {
            let f = figures.titles.iter().find(|x| x.code == t.code);
            line.push(f.map(|f| f.recognised.to_string()).unwrap_or_default());
            line.push(f.map(|f| f.eligible.to_string()).unwrap_or_default());
        }
        line.push(figures.awards.iter().map(|a| a.awarded).sum::<i64>().to_string());
        line.push(figures.initiatives.to_string());
        line.extend([a.events, a.week_events, a.participants, a.models].map(|n| n.to_string()));
        rows.push(line);
        if let Some(x) = &r.row {
            narrative.push(vec![
                r.unit.code.clone(),
                r.unit.name.clone(),
                x.results.clone(),
                x.limits.clone(),
                x.lessons.clone(),
                x.proposals.clone(),
            ]);
        }
    }
    let sheets = [
        thidua_documents::Sheet { title: format!("Số liệu {year}"), headers, rows },
        thidua_documents::Sheet {
            title: "Nội dung báo cáo".into(),
            headers: vec![
                "Mã đơn vị".into(),
                "Đơn vị".into(),
                "Kết quả đạt được".into(),
                "Tồn tại, hạn chế, nguyên nhân".into(),
                "Bài học kinh nghiệm".into(),
                "Đề xuất, kiến nghị".into(),
            ],
            rows: narrative,
        },
    ];
    let bytes = thidua_documents::write_xlsx(&sheets).map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(super::xlsx_response(&format!("bao-cao-cac-don-vi-{year}.xlsx"), bytes))
}

/// One unit's report as an annex workbook: its figures (titles, awards, initiatives, activities)
/// and its four narrative parts, as submitted (as they stand while it is a draft).
pub async fn unit_xlsx_get(State(state): State<AppState>, auth: Auth, Path((year, unit)): Path<(i64, i64)>) -> Result<Response, WebError> {
    let v = state.app.report_view(&auth.actor, unit, year).await?;
    let titles = v
        .figures
        .titles
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.eligible.to_string(),
                t.assessed.to_string(),
                t.recognised.to_string(),
                t.coverage.map(|c| format!("{c:.1}").replace('.', ",")).unwrap_or_default(),
            ]
        })
        .collect();
    let mut other: Vec<Vec<String>> = v.figures.awards.iter().map(|a| vec![a.name.clone(), a.awarded.to_string()]).collect();
    let a = v.activities;
    other.extend([
        vec!["Sáng kiến được công nhận (gắn với thành tích được khen)".into(), v.figures.initiatives.to_string()],
        vec!["Hoạt động, sự kiện đã tổ chức".into(), a.events.to_string()],
        vec!["Trong đó hưởng ứng Tuần lễ học tập suốt đời".into(), a.week_events.to_string()],
        vec!["Lượt người tham gia".into(), a.participants.to_string()],
        vec!["Mô hình điển hình xây dựng, nhân rộng".into(), a.models.to_string()],
    ]);
    let text = |h: &str, t: &str| vec![h.to_string(), t.to_string()];
    let sheets = [
        thidua_documents::Sheet {
            title: "Danh hiệu".into(),
            headers: ["Danh hiệu", "Thuộc diện", "Đã đánh giá", "Được công nhận", "Tỷ lệ (%)"].map(String::from).to_vec(),
            rows: titles,
        },
        thidua_documents::Sheet {
            title: "Khen thưởng, hoạt động".into(), headers: vec!["Nội dung".into(), "Số".into()], rows: other
        },
        thidua_documents::Sheet {
            title: "Nội dung báo cáo".into(),
            headers: vec!["Phần".into(), "Nội dung".into()],
            rows: vec![
                text("Đơn vị", &v.unit.name),
                text("Tình trạng", v.state.label_vi()),
                text("1. Kết quả đạt được", &v.row.results),
                text("2. Tồn tại, hạn chế và nguyên nhân", &v.row.limits),
                text("3. Bài học kinh nghiệm", &v.row.lessons),
                text("4. Đề xuất, kiến nghị", &v.row.proposals),
            ],
        },
    ];
    let bytes = thidua_documents::write_xlsx(&sheets).map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(super::xlsx_response(&format!("bao-cao-{}-{year}.xlsx", v.unit.code.to_lowercase()), bytes))
}

fn review_kind(year: i64) -> &'static str {
    if year == 2025 { "Sơ kết giai đoạn 1 (2023 – 2025)" } else { "Tổng kết giai đoạn 2023 – 2030" }
}

fn met_label(m: Option<bool>) -> &'static str {
    match m {
        Some(true) => "Đạt",
        Some(false) => "Chưa đạt",
        None => "—",
    }
}

struct ReviewLine {
    name: &'static str,
    /// per phase: (label, recognitions, coverage at end, target, met)
    phases: Vec<(String, u64, String, String, &'static str)>,
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
}

/// A unit of the review: id, name, and per title (coverage, met or not).
type UnitCells = (i64, String, Vec<(String, &'static str)>);

#[derive(Deserialize)]
pub struct UnitQuery {
    #[serde(default)]
    unit: Option<i64>,
}

fn review_lines(r: &thidua_app::review::PhaseReview) -> Vec<ReviewLine> {
    r.titles
        .iter()
        .map(|t| ReviewLine {
            name: t.name,
            phases: t
                .phases
                .iter()
                .map(|p| {
                    (
                        format!(
                            "{} – {}{}",
                            p.from,
                            p.to,
                            if p.end_year < p.to { format!(" (đến {})", p.end_year) } else { String::new() }
                        ),
                        p.recognitions,
                        pct(p.end.coverage()),
                        p.target.as_ref().map(|x| format!("{}%", x.share)).unwrap_or_else(|| "—".into()),
                        met_label(p.met()),
                    )
                })
                .collect(),
        })
        .collect()
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
        .map(|u| (u.unit.id, u.unit.name.clone(), u.titles.iter().map(|(_, c, m)| (pct(*c), met_label(*m))).collect()))
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
    }))
}

/// The review as an official report (.docx) with the units' table annexed.
pub async fn review_docx_get(
    State(state): State<AppState>,
    auth: Auth,
    Path(year): Path<i64>,
    Query(q): Query<UnitQuery>,
) -> Result<Response, WebError> {
    let r = state.app.phase_review(&auth.actor, q.unit, year).await?;
    let mut body = vec![
        "Căn cứ Kế hoạch của Ủy ban nhân dân Thành phố Hà Nội về Phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» giai đoạn 2023 – 2030 (mục V: sơ kết năm 2025, tổng kết năm 2030);".to_string(),
        "Căn cứ Quyết định số 387/QĐ-TTg ngày 25/3/2022 và Quyết định số 677/QĐ-TTg ngày 03/6/2022 của Thủ tướng Chính phủ;".into(),
        format!("{} báo cáo {} như sau:", r.unit.name, review_kind(year).to_lowercase()),
        "I. KẾT QUẢ THEO DANH HIỆU HỌC TẬP".into(),
    ];
    for line in review_lines(&r) {
        for (phase, rec, cov, target, met) in &line.phases {
            body.push(format!(
                "- {} (giai đoạn {phase}): {rec} lượt công nhận; tỷ lệ cuối giai đoạn {cov}; chỉ tiêu {target}: {met}.",
                line.name
            ));
        }
    }
    body.push("II. CÁC ĐƠN VỊ SO VỚI CHỈ TIÊU".into());
    body.push(format!("Tỷ lệ công nhận của từng đơn vị so với chỉ tiêu năm {year} ở phụ lục kèm theo."));
    let mut headers = vec!["STT".to_string(), "Đơn vị".to_string()];
    headers.extend(r.titles.iter().map(|t| t.name.to_string()));
    let rows = r
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let mut row = vec![(i + 1).to_string(), u.unit.name.clone()];
            row.extend(u.titles.iter().map(|(_, c, m)| format!("{} ({})", pct(*c), met_label(*m))));
            row
        })
        .collect();
    let doc = OfficialDoc {
        superior: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI".into(),
        issuer: "Sở Giáo dục và Đào tạo".into(),
        place_date: format!("Hà Nội, {}", view::date_words(state.app.today())),
        kind: "BÁO CÁO".into(),
        subject: format!("{} Phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» — {}", review_kind(year), r.unit.name),
        addressee: "Kính gửi: Ủy ban nhân dân Thành phố Hà Nội".into(),
        body,
        signer_title: "GIÁM ĐỐC".into(),
        recipients: vec!["Như trên".into(), "Lưu: VT".into()],
        annex_title: format!("TỶ LỆ CÔNG NHẬN DANH HIỆU HỌC TẬP CỦA CÁC ĐƠN VỊ SO VỚI CHỈ TIÊU NĂM {year}"),
        annex_headers: headers,
        annex_rows: rows,
        ..OfficialDoc::default()
    };
    super::award_docs::docx_response(&format!("{}-{year}.docx", if year == 2025 { "so-ket" } else { "tong-ket" }), &doc)
}
