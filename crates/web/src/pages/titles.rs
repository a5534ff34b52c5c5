//! Learning titles in the browser: coverage by unit with drill-down, the assessments of a title
//! and year, the village template and its upload, recognition decisions (.docx, .xlsx),
//! certificates with a QR code, and the public verification page.

use super::xlsx_response;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use thidua_app::AppError;
use thidua_app::import::FileInfo;
use thidua_app::ports::{AssessmentFilter, PageRequest};
use thidua_app::titles::{DecisionForm, DecisionView, SheetTarget, title_label};
use thidua_domain::access::Action;
use thidua_domain::assessment::{cell_hint, sheet_headers};
use thidua_domain::criteria::IndicatorKind;
use thidua_domain::dates;
use thidua_domain::import::RowError;
use thidua_domain::titles::{self, Stage};

/// The data year shown when none is chosen: the last finished year.

#[derive(Deserialize, Default)]
pub struct CoverageQuery {
    pub year: Option<i64>,
    pub unit: Option<i64>,
}

struct CellVm {
    text: String,
    title: &'static str,
}

struct RowVm {
    id: i64,
    name: String,
    kind: &'static str,
    drill: bool,
    cells: Vec<CellVm>,
}

#[derive(Template)]
#[template(path = "titles.html")]
struct CoveragePage {
    l: Layout,
    year: i64,
    unit_id: i64,
    unit_name: String,
    crumbs: Vec<(i64, String)>,
    titles: Vec<(&'static str, &'static str)>,
    total: Vec<CellVm>,
    rows: Vec<RowVm>,
}

fn cell_vm(c: &thidua_app::titles::Cell, title: &'static str) -> CellVm {
    let cov = c.coverage().map(|p| format!(" ({})", thidua_domain::text::percent(Some(p)))).unwrap_or_default();
    let n = |v: u64| thidua_domain::text::number(v.into());
    CellVm {
        text: format!("{}/{}{cov} · {} đạt, {} đã đánh giá", n(c.recognised), n(c.eligible), n(c.passed), n(c.assessed)), title
    }
}

pub async fn titles_get(State(state): State<AppState>, auth: Auth, Query(q): Query<CoverageQuery>) -> Result<Response, WebError> {
    let year = q.year.unwrap_or_else(|| state.app.working_year());
    let table = state.app.coverage(&auth.actor, year, q.unit).await?;
    let snap = state.app.snapshot().await?;
    let titles_vm: Vec<(&str, &str)> = table.titles.iter().map(|t| (t.code, t.label_vi)).collect();
    let row = |r: &thidua_app::titles::CoverageRow| RowVm {
        id: r.unit.id,
        name: r.unit.name.clone(),
        kind: super::kind_label(auth.lang, r.unit.kind),
        drill: r.has_children,
        cells: r.cells.iter().zip(&table.titles).map(|(c, t)| cell_vm(c, t.code)).collect(),
    };
    let total = row(&table.total).cells;
    let rows = table.rows.iter().map(row).collect();
    // Only the levels the user may read are offered: a ward officer is not led to the city's 403.
    let crumbs = snap
        .breadcrumb(table.total.unit.id)
        .iter()
        .filter(|u| state.app.shows(&auth.actor, &snap, thidua_domain::access::Action::ReadRegistry, u.id))
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "nav.titles"), "titles").await;
    Ok(view::render(&CoveragePage {
        l,
        year,
        unit_id: table.total.unit.id,
        unit_name: table.total.unit.name.clone(),
        crumbs,
        titles: titles_vm,
        total,
        rows,
    }))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub title: Option<String>,
    pub year: Option<i64>,
    pub unit: Option<i64>,
    pub page: Option<i64>,
}

struct ItemVm {
    id: i64,
    code: String,
    name: String,
    unit: String,
    stage: &'static str,
    points: i64,
    passed: bool,
    certificate: String,
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct ListPage {
    l: Layout,
    title: String,
    title_vi: String,
    year: i64,
    unit_id: i64,
    unit_name: String,
    items: Vec<ItemVm>,
    total: i64,
    sets: Vec<(i64, String)>,
    can_assess: bool,
    can_recognise: bool,
    report: Option<String>,
    errors: Vec<RowError>,
    decision_error: Option<String>,
    today: String,
}

struct ListState {
    report: Option<String>,
    errors: Vec<RowError>,
    decision_error: Option<String>,
}

async fn list_page(state: &AppState, auth: &Auth, q: &ListQuery, st: ListState) -> Result<Response, WebError> {
    let year = q.year.unwrap_or_else(|| state.app.working_year());
    let title = q.title.clone().filter(|t| titles::title(t).is_some()).unwrap_or_else(|| "gia_dinh_hoc_tap".into());
    let t = titles::title(&title).ok_or_else(|| WebError::bad_request("danh hiệu không hợp lệ"))?;
    let unit = match q.unit {
        Some(u) => u,
        None => state.app.entry_units(&auth.actor).await?.first().map(|u| u.id).ok_or(AppError::Forbidden)?,
    };
    let snap = state.app.snapshot().await?;
    let filter = AssessmentFilter { title: title.clone(), year: Some(year), unit: Some(unit), ..Default::default() };
    let page = state.app.assessments(&auth.actor, &filter, PageRequest::new(super::page_no(q.page), 200)).await?;
    let items = page
        .items
        .iter()
        .map(|a| ItemVm {
            id: a.record.id,
            code: a.subject_code.clone(),
            name: a.subject_name.clone(),
            unit: a.unit_name.clone(),
            stage: Stage::parse(&a.record.input.stage).map(|s| s.label_vi()).unwrap_or(""),
            points: a.record.input.points,
            passed: a.record.input.passed,
            certificate: a.record.certificate.clone().unwrap_or_default(),
        })
        .collect();
    let sets =
        state.app.sets_for_year(year).await?.into_iter().filter(|s| s.title == title).map(|s| (s.id, super::set_name_of(&s))).collect();
    let l = Layout::new(state, auth, t.label_vi, "titles").await;
    let failed = !st.errors.is_empty() || st.decision_error.is_some();
    let page_vm = ListPage {
        l,
        title_vi: t.label_vi.into(),
        title,
        year,
        unit_id: unit,
        unit_name: super::unit_name(&snap, unit),
        items,
        total: page.total,
        sets,
        can_assess: state.app.can(&auth.actor, Action::Assess, unit).await,
        can_recognise: state.app.can(&auth.actor, Action::Recognise, unit).await,
        report: st.report,
        errors: st.errors,
        decision_error: st.decision_error,
        today: dates::format_dmy(state.app.now().date()),
    };
    Ok(view::render_form(&page_vm, failed))
}

pub async fn assessments_get(State(state): State<AppState>, auth: Auth, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    list_page(&state, &auth, &q, ListState { report: None, errors: vec![], decision_error: None }).await
}

#[derive(Deserialize)]
pub struct TemplateQuery {
    pub set: i64,
    pub unit: i64,
    pub year: i64,
}

pub async fn template_get(State(state): State<AppState>, auth: Auth, Query(q): Query<TemplateQuery>) -> Result<Response, WebError> {
    let (loaded, unit, subjects) = state.app.template_subjects(&auth.actor, q.set, q.unit, q.year).await?;
    let subject = loaded.subject();
    let headers = sheet_headers(&loaded.set, subject);
    let mut notes = vec![String::new(), "Không sửa cột này".into(), "Không sửa cột này".into(), String::new()];
    notes.extend(loaded.set.indicators().map(|i| format!("{}\n{}", i.text, cell_hint(i))));
    notes.push("Ghi chú của người đánh giá".into());
    let rows: Vec<Vec<String>> = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut r = vec![(i + 1).to_string(), s.code.clone(), s.name.clone(), unit.name.clone()];
            r.resize(headers.len(), String::new());
            r
        })
        .collect();
    let info = vec![
        ("Bộ tiêu chí".to_string(), loaded.set.id.clone()),
        ("Phiên bản".to_string(), loaded.set.version.to_string()),
        (thidua_documents::INFO_SET.to_string(), loaded.record.id.to_string()),
        ("Danh hiệu".to_string(), loaded.set.title_vi.clone()),
        (thidua_documents::INFO_YEAR.to_string(), q.year.to_string()),
        ("Nơi đánh giá".to_string(), format!("{} ({})", unit.name, unit.code)),
        (
            "Hướng dẫn".to_string(),
            "Mỗi ô chỉ tiêu ghi kết quả đã đối chiếu minh chứng; thêm «KMC» nếu không có minh chứng; để trống là chưa đánh giá (không đạt).".into(),
        ),
    ];
    // Each indicator's column: a list or a range Excel offers and checks as the assessor types,
    // the indicator's text in the box Excel shows; the instructions sheet gives an example.
    let rules: Vec<thidua_documents::ColumnRule> = loaded
        .set
        .indicators()
        .enumerate()
        .map(|(i, ind)| thidua_documents::ColumnRule {
            column: 4 + i,
            title: ind.code.clone(),
            message: format!("{} — {}", ind.text, cell_hint(ind)),
            allowed: match &ind.kind {
                IndicatorKind::PassFail => thidua_documents::Allowed::List(vec!["Đ".into(), "K".into(), "Đ KMC".into(), "K KMC".into()]),
                IndicatorKind::Points { max_points } => thidua_documents::Allowed::Between(0.0, f64::from(*max_points)),
                IndicatorKind::Share { .. } => thidua_documents::Allowed::Any,
            },
        })
        .collect();
    let mut info = info;
    for ind in loaded.set.indicators() {
        let example = match &ind.kind {
            IndicatorKind::PassFail => "Đ (hoặc «Đ KMC» khi chưa có minh chứng)".to_string(),
            IndicatorKind::Points { max_points } => format!("{max_points} (hoặc «{max_points} KMC»)"),
            IndicatorKind::Share { .. } => "8/10".to_string(),
        };
        info.push((format!("Cột {}", ind.code), format!("{} — {}; ví dụ: {example}", ind.text, cell_hint(ind))));
    }
    let bytes = thidua_documents::assessment_template("Đánh giá", &headers, &notes, &rows, &info, &rules)
        .map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(xlsx_response(&format!("danh-gia-{}-{}-{}.xlsx", loaded.set.title, unit.code, q.year), bytes))
}

pub async fn upload_post(State(state): State<AppState>, auth: Auth, mp: Multipart) -> Result<Response, WebError> {
    // Only someone who may assess somewhere gets their file read at all.
    state.app.require_somewhere(&auth.actor, thidua_domain::access::Action::Assess).await?;
    let super::Upload { fields, file_name: name, bytes } = super::read_upload(mp).await?;
    auth.verify_csrf(fields.get("_csrf").map(String::as_str).unwrap_or(""))?;
    let num = |k: &str| fields.get(k).and_then(|v| v.trim().parse::<i64>().ok());
    let q = ListQuery { title: fields.get("title").cloned(), year: num("year"), unit: num("unit"), page: None };
    let fail = |errors: Vec<RowError>| ListState { report: None, errors, decision_error: None };
    let (app, actor, form_set, form_year) = (state.app.clone(), auth.actor.clone(), num("set"), q.year);
    let outcome = crate::heavy::off_thread(async move {
        let file = FileInfo { name, sha256: hex::encode(Sha256::digest(&bytes)) };
        // The template says which set version and year it is for; a file without that sheet
        // uses the form's choice.
        let (info_set, info_year) = thidua_documents::template_target(&bytes);
        let (Some(set), Some(year)) = (info_set.or(form_set), info_year.or(form_year)) else {
            return Err(AppError::Invalid("chọn bộ tiêu chí và năm đánh giá".into()));
        };
        let upload = thidua_documents::Upload::open(bytes, 200_000).map_err(|e| AppError::Invalid(e.to_string()))?;
        let target = SheetTarget { criteria_set: set, year, stage: Stage::Verified };
        app.import_assessments(&actor, target, &upload, &file, false).await.map(|r| (r, year))
    })
    .await?;
    match outcome {
        Ok((r, year)) => {
            let report = format!("Đã ghi {} phiếu đánh giá ({} đạt) từ {} dòng.", r.written, r.passed, r.rows);
            list_page(
                &state,
                &auth,
                &ListQuery { year: Some(year), ..q },
                ListState { report: Some(report), errors: vec![], decision_error: None },
            )
            .await
        }
        Err(AppError::Rows(errors)) => list_page(&state, &auth, &q, fail(errors)).await,
        Err(AppError::Invalid(m)) => list_page(&state, &auth, &q, fail(vec![RowError { row: 0, column: String::new(), reason: m }])).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DecisionPost {
    _csrf: String,
    set: i64,
    year: i64,
    unit: i64,
    title: String,
    number: String,
    signed_on: String,
    signer: String,
    signer_title: String,
}

pub async fn decision_post(
    State(state): State<AppState>,
    auth: Auth,
    crate::extract::Form(f): crate::extract::Form<DecisionPost>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f._csrf)?;
    let q = ListQuery { title: Some(f.title.clone()), year: Some(f.year), unit: Some(f.unit), page: None };
    let refuse = |m: String| ListState { report: None, errors: vec![], decision_error: Some(m) };
    let Ok(signed_on) = dates::parse_dmy(&f.signed_on) else {
        return list_page(&state, &auth, &q, refuse(format!("ngày ký «{}» không đúng dạng dd/mm/yyyy", f.signed_on))).await;
    };
    let form = DecisionForm {
        criteria_set: f.set,
        year: f.year,
        issuing_unit: f.unit,
        number: f.number,
        signed_on,
        signer: f.signer,
        signer_title: f.signer_title,
        only: None,
    };
    match state.app.issue_decision(&auth.actor, form).await {
        Ok(id) => Ok(Redirect::to(&format!("/titles/decisions/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => list_page(&state, &auth, &q, refuse(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    l: Layout,
    d: DecisionView,
    signed: String,
}

pub async fn decision_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let d = state.app.decision(&auth.actor, id).await?;
    let l = Layout::new(&state, &auth, format!("Quyết định số {}", d.decision.number), "titles").await.vietnamese_only();
    let signed = dates::format_dmy(d.decision.signed_on);
    Ok(view::render(&DecisionPage { l, d, signed }))
}

fn annex_rows(d: &DecisionView) -> (Vec<String>, Vec<Vec<String>>) {
    let subject = titles::title(&d.decision.title).map(|t| t.subject).unwrap_or(titles::Subject::Unit);
    let headers = vec![
        "STT".to_string(),
        subject.code_header().into(),
        subject.name_header().into(),
        "Thôn, tổ dân phố / đơn vị".into(),
        "Số giấy công nhận".into(),
    ];
    let rows = d
        .items
        .iter()
        .enumerate()
        .map(|(i, a)| {
            vec![
                (i + 1).to_string(),
                a.subject_code.clone(),
                a.subject_name.clone(),
                a.unit_name.clone(),
                a.record.certificate.clone().unwrap_or_default(),
            ]
        })
        .collect();
    (headers, rows)
}

pub async fn decision_docx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let d = state.app.decision(&auth.actor, id).await?;
    let label = title_label(&d.decision.title, d.decision.level);
    let (headers, rows) = annex_rows(&d);
    let place = d.unit.name.split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
    let issuer_upper = d.decision.issuing_body.to_uppercase();
    let authority = if d.decision.issuing_body.starts_with("Sở") {
        "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO".to_string()
    } else {
        format!("CHỦ TỊCH {issuer_upper}")
    };
    let doc = thidua_documents::OfficialDoc {
        superior: d.superior.as_ref().map(|s| format!("Ủy ban nhân dân {}", s.name)).unwrap_or_default(),
        issuer: d.decision.issuing_body.clone(),
        number: d.decision.number.clone(),
        place_date: format!("{}, {}", if place.is_empty() { "Hà Nội".into() } else { place }, thidua_domain::dates::date_words(d.decision.signed_on)),
        kind: "QUYẾT ĐỊNH".into(),
        subject: format!("Về việc công nhận danh hiệu “{label}” năm {}", d.decision.year),
        authority,
        bases: vec![
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;".into(),
            "Căn cứ Kế hoạch của Ủy ban nhân dân Thành phố Hà Nội về Phong trào thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời giai đoạn 2023–2030;".into(),
            format!("Căn cứ kết quả đánh giá, xét công nhận danh hiệu “{label}” năm {};", d.decision.year),
        ],
        articles: vec![
            format!(
                "Điều 1. Công nhận danh hiệu “{label}” năm {} cho {} đối tượng có tên trong danh sách kèm theo Quyết định này.",
                d.decision.year, d.decision.subjects
            ),
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.".into(),
            "Điều 3. Văn phòng, Hội Khuyến học và các thôn, tổ dân phố, hộ gia đình, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.".into(),
        ],
        signer_title: d.decision.signer_title.clone(),
        signer: d.decision.signer.clone(),
        recipients: vec!["Như Điều 3".into(), "Lưu: VT".into()],
        annex_title: format!("DANH SÁCH ĐƯỢC CÔNG NHẬN DANH HIỆU “{}” NĂM {}", label.to_uppercase(), d.decision.year),
        annex_subtitle: format!("(Kèm theo Quyết định số {} {})", d.decision.number, thidua_domain::dates::date_words(d.decision.signed_on)),
        annex_headers: headers,
        annex_rows: rows,
        ..Default::default()
    };
    let bytes = thidua_documents::official_docx(&doc).map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    Ok((
        [
            ("content-type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()),
            ("content-disposition", format!("attachment; filename=\"quyet-dinh-{id}.docx\"")),
        ],
        bytes,
    )
        .into_response())
}

pub async fn decision_xlsx_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let d = state.app.decision(&auth.actor, id).await?;
    let (headers, rows) = annex_rows(&d);
    let bytes = thidua_documents::write_xlsx(&[thidua_documents::Sheet { title: "Danh sách".into(), headers, rows }])
        .map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(xlsx_response(&format!("danh-sach-quyet-dinh-{id}.xlsx"), bytes))
}

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage {
    l: Layout,
    holder: String,
    place: String,
    label: String,
    year: i64,
    number: String,
    signed: String,
    issuer: String,
    signer_title: String,
    signer: String,
    code: String,
    url: String,
    qr_svg: String,
}

/// A printable certificate (giấy công nhận) for one recognised assessment.
pub async fn certificate_get(
    State(state): State<AppState>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (view_a, _) = state.app.assessment(&auth.actor, id).await?;
    let (Some(decision_id), Some(code)) = (view_a.record.decision_id, view_a.record.certificate.clone()) else {
        return Err(WebError::new(StatusCode::NOT_FOUND, "Hồ sơ này chưa được công nhận"));
    };
    let d = state.app.decision(&auth.actor, decision_id).await?;
    // The address the officer reached the server by is the one the public can reach it by.
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    let url = format!("{scheme}://{host}/xac-minh/{code}");
    let l = Layout::new(&state, &auth, "Giấy công nhận", "titles").await.vietnamese_only();
    let snap = state.app.snapshot().await?;
    Ok(view::render(&CertificatePage {
        l,
        holder: view_a.subject.name.clone(),
        place: super::unit_name(&snap, view_a.subject.unit_id),
        label: title_label(&view_a.record.input.title, view_a.record.input.level),
        year: view_a.record.input.year,
        number: d.decision.number.clone(),
        signed: dates::format_dmy(d.decision.signed_on),
        issuer: d.decision.issuing_body.clone(),
        signer_title: d.decision.signer_title.clone(),
        signer: d.decision.signer.clone(),
        qr_svg: view::qr_svg(&url)?,
        code,
        url,
    }))
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    l: Layout,
    found: Option<thidua_app::titles::PublicCertificate>,
    award: Option<thidua_app::commendation::PublicAward>,
    signed: String,
}

/// The public verification page a certificate's QR code opens: no login; title, year and
/// decision only.
pub async fn verify_get(State(state): State<AppState>, headers: axum::http::HeaderMap, Path(code): Path<String>) -> Response {
    let lang = crate::session::lang_of(&headers);
    let l = Layout::anonymous(lang, "Xác minh giấy công nhận").vietnamese_only();
    // A code is a learning-title certificate or an award's (Bằng khen, Giấy khen).
    let found = match state.app.verify_certificate(&code).await {
        Err(AppError::NotFound) => state.app.verify_award(&code).await.map(|a| (None, Some(a))),
        other => other.map(|c| (Some(c), None)),
    };
    match found {
        Ok((found, award)) => {
            let signed = found.as_ref().map(|c| dates::format_dmy(c.signed_on)).unwrap_or_default();
            view::render(&VerifyPage { l, found, award, signed })
        }
        Err(AppError::NotFound) => {
            let mut r = view::render(&VerifyPage { l, found: None, award: None, signed: String::new() });
            *r.status_mut() = StatusCode::NOT_FOUND;
            r
        }
        Err(e) => WebError::from(e).lang(lang).into_response(),
    }
}

struct DecisionRowVm {
    id: i64,
    number: String,
    signed: String,
    body: String,
    label: String,
    subjects: i64,
}

#[derive(Template)]
#[template(path = "decisions.html")]
struct DecisionsPage {
    l: Layout,
    rows: Vec<DecisionRowVm>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

#[derive(Deserialize)]
pub struct DecisionsQuery {
    page: Option<i64>,
}

/// The recognition decisions in scope, newest first, a page of 100 at a time (the pager says
/// how many there are and reaches every one).
pub async fn decisions_get(State(state): State<AppState>, auth: Auth, Query(q): Query<DecisionsQuery>) -> Result<Response, WebError> {
    let page = state.app.decisions(&auth.actor, PageRequest::new(q.page.unwrap_or(1), 100)).await?;
    let rows = page
        .items
        .iter()
        .map(|d| DecisionRowVm {
            id: d.id,
            number: d.number.clone(),
            signed: dates::format_dmy(d.signed_on),
            body: d.issuing_body.clone(),
            label: format!("{} năm {}", title_label(&d.title, d.level), d.year),
            subjects: d.subjects,
        })
        .collect();
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "titles.decisions"), "titles").await;
    let pages = page.pages();
    let page_links = (1..=pages).map(|p| (p, p == page.page)).collect();
    Ok(view::render(&DecisionsPage { l, rows, total: page.total, pages, page_links, base_url: "/titles/decisions?".into() }))
}

#[derive(Deserialize)]
pub struct DuplicatesQuery {
    title: Option<String>,
    year: Option<i64>,
    page: Option<i64>,
}

/// A group of records sharing a name and a birth year in one ward: each with its code, its
/// village and whether it was assessed for the title in the year.
struct DuplicateVm {
    name: String,
    birth_year: String,
    ward: String,
    /// (link, code, village, assessed)
    places: Vec<(String, String, String, bool)>,
}

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    l: Layout,
    title: String,
    year: i64,
    titles: Vec<(&'static str, &'static str)>,
    groups: Vec<DuplicateVm>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
}

/// Households or citizens of one ward sharing a name and a birth year — two namesakes, or one
/// record entered twice — kept as the registry is written (issue 19), a page of them, each record
/// marked with whether it was assessed for the title in the year, for the assessors to check
/// before a decision.
pub async fn duplicates_get(State(state): State<AppState>, auth: Auth, Query(q): Query<DuplicatesQuery>) -> Result<Response, WebError> {
    let year = q.year.unwrap_or_else(|| state.app.working_year());
    let title = q.title.filter(|t| titles::title(t).is_some()).unwrap_or_else(|| "cong_dan_hoc_tap".into());
    let found = state.app.duplicate_subjects(&auth.actor, &title, year, PageRequest::new(super::page_no(q.page), 50)).await?;
    let snap = state.app.snapshot().await?;
    let unit_name = |id: i64| snap.units.get(&id).map(|u| u.name.clone()).unwrap_or_default();
    let link = if titles::title(&title).is_some_and(|t| t.subject == titles::Subject::Household) { "/households" } else { "/people" };
    let groups = found
        .items
        .iter()
        .map(|g| DuplicateVm {
            name: g.name.clone(),
            birth_year: g.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            ward: unit_name(g.ward_id),
            places: g
                .subjects
                .iter()
                .map(|s| (format!("{link}/{}", s.id), s.code.clone(), unit_name(s.unit_id), g.assessed.contains(&s.id)))
                .collect(),
        })
        .collect();
    let titles = titles::TITLES.iter().filter(|t| t.subject.node_kinds().is_none()).map(|t| (t.code, t.label_vi)).collect();
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "titles.duplicates"), "titles").await;
    Ok(view::render(&DuplicatesPage {
        l,
        base_url: format!("/titles/duplicates?title={title}&year={year}&"),
        title,
        year,
        titles,
        groups,
        total: found.total,
        pages: found.pages(),
        page_links: view::page_links(found.page, found.pages()),
    }))
}
