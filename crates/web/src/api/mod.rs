//! The JSON API under `/api/v1`: the same use cases as the pages, for integrations. Errors are
//! `application/problem+json`. The OpenAPI document at `/api/openapi.json` lists every route
//! here; a test checks that they agree.

mod openapi;
mod views;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::session::Auth;
use axum::body::Bytes;
use axum::extract::State;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thidua_app::AppError;
use thidua_app::import::{FileInfo, ImportReport};
use thidua_app::ports::*;
use thidua_domain::import::ImportKind;
use thidua_domain::registry::{Gender, NodeKind};
use views::{AssessmentItemView, AuditView, ClanView, HouseholdView, PageView, PersonView, UnitView};

pub use openapi::document;

type ApiResult<T> = Result<Json<T>, WebError>;

fn api(e: AppError) -> WebError {
    WebError::from(e).api()
}

/// The API's routes (mounted from `routes::ROUTES`), every error a problem document.
pub(crate) fn with_problems(routes: Router<AppState>) -> Router<AppState> {
    routes.layer(axum::middleware::from_fn(problems_only))
}

/// Every error of the API is `application/problem+json` with a Vietnamese `detail`, including
/// the ones axum's extractors answer before a handler runs (a path or query value of the wrong
/// type, a missing parameter, a body that is not JSON): those arrive as English text and are
/// rewritten here, the extractor's words kept as `cause` for the developer.
async fn problems_only(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::header::CONTENT_TYPE;
    use axum::response::IntoResponse;
    let r = next.run(req).await;
    let status = r.status();
    let is_problem = r.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return r;
    }
    let cause = match axum::body::to_bytes(r.into_body(), 64 * 1024).await {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(_) => String::new(),
    };
    let detail = match status.as_u16() {
        400 => {
            "Yêu cầu không hợp lệ: tham số trên đường dẫn, tham số truy vấn hoặc nội dung gửi lên không đúng kiểu hay còn thiếu (xem tài liệu /api/openapi.json)."
        }
        404 => "Không tìm thấy.",
        405 => "Phương thức này không dùng được cho địa chỉ này.",
        413 => "Nội dung gửi lên vượt giới hạn dung lượng.",
        415 => "Kiểu nội dung không được hỗ trợ: gửi application/json (hoặc tệp, với các địa chỉ nhập tệp).",
        422 => "Nội dung gửi lên không đúng cấu trúc (thiếu trường bắt buộc hoặc sai kiểu dữ liệu).",
        _ => "Không thực hiện được yêu cầu.",
    };
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "cause": cause,
    });
    (status, [(CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

pub(crate) async fn openapi_get() -> Json<serde_json::Value> {
    Json(document())
}

#[derive(Serialize)]
pub(crate) struct Me {
    id: i64,
    username: String,
    full_name: String,
    home_unit: i64,
    roles: Vec<serde_json::Value>,
}

pub(crate) async fn me_get(auth: Auth) -> ApiResult<Me> {
    let a = auth.actor;
    Ok(Json(Me {
        id: a.user_id,
        username: a.username,
        full_name: a.full_name,
        home_unit: a.home_unit,
        roles: a.grants.iter().filter_map(|g| serde_json::to_value(g).ok()).collect(),
    }))
}

pub(crate) async fn unit_get(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult<UnitView> {
    s.app.unit(&auth.actor, id).await.map(|u| Json(u.into())).map_err(api)
}

pub(crate) async fn unit_children_get(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult<Vec<UnitView>> {
    s.app.children(&auth.actor, id).await.map(|us| Json(us.into_iter().map(UnitView::from).collect())).map_err(api)
}

/// A unit as the API accepts it (dates as dd/mm/yyyy).
#[derive(Deserialize)]
pub(crate) struct UnitBody {
    code: String,
    name: String,
    kind: String,
    parent_id: Option<i64>,
    location_id: Option<i64>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    /// The units that took it over: `{"to": id, "whole": true}` for the only one that took it
    /// whole, several with `"whole": false` for a divided unit.
    #[serde(default)]
    successors: Vec<thidua_domain::tree::Succession>,
    /// Before `successors` existed: the one unit that took it whole (still read).
    successor_id: Option<i64>,
    #[serde(default)]
    version: i64,
}

impl UnitBody {
    fn input(&self) -> Result<UnitInput, WebError> {
        let date = |s: &Option<String>| -> Result<Option<time::Date>, WebError> {
            match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => thidua_domain::dates::parse_dmy(s).map(Some).map_err(|e| api(AppError::Invalid(e.to_string()))),
            }
        };
        Ok(UnitInput {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: NodeKind::parse(&self.kind).ok_or_else(|| api(AppError::Invalid(format!("loại đơn vị «{}» không hợp lệ", self.kind))))?,
            parent_id: self.parent_id,
            location_id: self.location_id,
            valid_from: date(&self.valid_from)?,
            valid_to: date(&self.valid_to)?,
            successors: match (self.successor_id, self.successors.is_empty()) {
                (Some(to), true) => vec![thidua_domain::tree::Succession { to, whole: true }],
                (None, _) => self.successors.clone(),
                (Some(_), false) => return Err(api(AppError::Invalid("ghi successors hoặc successor_id, không ghi cả hai".into()))),
            },
        })
    }
}

#[derive(Serialize)]
pub(crate) struct Created {
    id: i64,
}

pub(crate) async fn unit_post(State(s): State<AppState>, auth: Auth, Json(b): Json<UnitBody>) -> ApiResult<Created> {
    let input = b.input()?;
    s.app.create_unit(&auth.actor, input).await.map(|id| Json(Created { id })).map_err(api)
}

pub(crate) async fn unit_put(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>, Json(b): Json<UnitBody>) -> ApiResult<Created> {
    let input = b.input()?;
    s.app.update_unit(&auth.actor, id, b.version, input).await.map(|()| Json(Created { id })).map_err(api)
}

#[derive(Deserialize)]
pub(crate) struct ListParams {
    unit: Option<i64>,
    household: Option<i64>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
    after: Option<String>,
    before: Option<String>,
    #[serde(default)]
    last: bool,
}

impl ListParams {
    fn page(&self) -> Result<PageRequest, WebError> {
        let numbered = page_of(self.page, self.per_page, 50)?;
        Ok(match (&self.after, &self.before, self.last) {
            (None, None, false) => numbered,
            _ => crate::pages::list_page(None, self.after.clone(), self.before.clone(), self.last, numbered.per_page),
        })
    }
}

/// Pages the API serves: 1 to 1,000,000,000 of 1 to 500 items. Anything else is refused, never
/// clamped to something the caller did not ask for.
pub(crate) const MAX_PER_PAGE: i64 = 500;
/// Years a figure of the movement can be asked for.
pub(crate) const YEARS_OF_DATA: std::ops::RangeInclusive<i64> = 2000..=2100;
pub(crate) const MAX_PAGE: i64 = 1_000_000_000;

fn page_of(page: Option<i64>, per_page: Option<i64>, default: i64) -> Result<PageRequest, WebError> {
    let (page, per_page) = (page.unwrap_or(1), per_page.unwrap_or(default));
    if !(1..=MAX_PAGE).contains(&page) || !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(WebError::bad_request(format!(
            "Trang (page) phải từ 1 đến {MAX_PAGE}, số mục mỗi trang (per_page) từ 1 đến {MAX_PER_PAGE}."
        ))
        .api());
    }
    Ok(PageRequest::new(page, per_page))
}

pub(crate) async fn households_get(
    State(s): State<AppState>,
    auth: Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<PageView<HouseholdView>> {
    s.app
        .read_households(
            &auth.actor,
            thidua_app::ports::ReadChannel::Api,
            p.unit,
            p.q.as_deref(),
            thidua_app::ports::HouseholdSort::Code,
            p.page()?,
        )
        .await
        .map(|p| Json(PageView::of(p)))
        .map_err(api)
}

pub(crate) async fn household_get(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult<HouseholdView> {
    s.app.read_household(&auth.actor, id, thidua_app::ports::ReadChannel::Api).await.map(|h| Json(h.into())).map_err(api)
}

#[derive(Deserialize)]
pub(crate) struct HouseholdBody {
    code: String,
    unit_id: i64,
    head_name: String,
    address: Option<String>,
    member_count: Option<i64>,
    #[serde(default)]
    version: i64,
}

impl HouseholdBody {
    fn input(&self) -> HouseholdInput {
        HouseholdInput {
            code: self.code.clone(),
            unit_id: self.unit_id,
            head_name: self.head_name.clone(),
            address: self.address.clone(),
            member_count: self.member_count,
        }
    }
}

pub(crate) async fn household_post(State(s): State<AppState>, auth: Auth, Json(b): Json<HouseholdBody>) -> ApiResult<Created> {
    s.app.create_household(&auth.actor, b.input()).await.map(|id| Json(Created { id })).map_err(api)
}

pub(crate) async fn household_put(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(b): Json<HouseholdBody>,
) -> ApiResult<Created> {
    s.app.update_household(&auth.actor, id, b.version, b.input()).await.map(|()| Json(Created { id })).map_err(api)
}

pub(crate) async fn people_get(State(s): State<AppState>, auth: Auth, Query(p): Query<ListParams>) -> ApiResult<PageView<PersonView>> {
    let sort = match p.sort.as_deref() {
        None | Some("name") => PersonSort::Name,
        Some("code") => PersonSort::Code,
        Some("birth_year") => PersonSort::BirthYear,
        Some(other) => return Err(WebError::bad_request(format!("Cách sắp xếp «{other}» không có (name, code, birth_year).")).api()),
    };
    s.app
        .read_people(&auth.actor, thidua_app::ports::ReadChannel::Api, p.unit, p.household, p.q.as_deref(), sort, p.page()?)
        .await
        .map(|p| Json(PageView::of(p)))
        .map_err(api)
}

pub(crate) async fn person_get(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult<PersonView> {
    s.app.read_person(&auth.actor, id, thidua_app::ports::ReadChannel::Api).await.map(|p| Json(p.into())).map_err(api)
}

#[derive(Deserialize)]
pub(crate) struct PersonBody {
    code: String,
    full_name: String,
    birth_year: Option<i64>,
    gender: Option<String>,
    unit_id: i64,
    household_id: Option<i64>,
    position: Option<String>,
    #[serde(default)]
    version: i64,
}

impl PersonBody {
    fn input(&self) -> PersonInput {
        PersonInput {
            code: self.code.clone(),
            full_name: self.full_name.clone(),
            birth_year: self.birth_year,
            gender: self.gender.as_deref().and_then(Gender::parse),
            unit_id: self.unit_id,
            household_id: self.household_id,
            position: self.position.clone(),
        }
    }
}

pub(crate) async fn person_post(State(s): State<AppState>, auth: Auth, Json(b): Json<PersonBody>) -> ApiResult<Created> {
    s.app.create_person(&auth.actor, b.input()).await.map(|id| Json(Created { id })).map_err(api)
}

pub(crate) async fn person_put(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(b): Json<PersonBody>,
) -> ApiResult<Created> {
    s.app.update_person(&auth.actor, id, b.version, b.input()).await.map(|()| Json(Created { id })).map_err(api)
}

pub(crate) async fn clans_get(State(s): State<AppState>, auth: Auth, Query(p): Query<ListParams>) -> ApiResult<PageView<ClanView>> {
    s.app.clans(&auth.actor, p.unit, p.q.as_deref(), p.page()?).await.map(|p| Json(PageView::of(p))).map_err(api)
}

pub(crate) async fn clan_get(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult<ClanView> {
    s.app.clan(&auth.actor, id).await.map(|c| Json(c.into())).map_err(api)
}

#[derive(Deserialize)]
pub(crate) struct ImportParams {
    #[serde(default)]
    dry_run: bool,
    file_name: Option<String>,
}

/// The request body is the file itself (.xlsx or .csv).
pub(crate) async fn import_post(
    State(s): State<AppState>,
    auth: Auth,
    Path(kind): Path<String>,
    Query(p): Query<ImportParams>,
    body: axum::body::Body,
) -> ApiResult<ImportReport> {
    let kind = ImportKind::parse(&kind).ok_or_else(|| api(AppError::NotFound))?;
    // Permission first: the body of someone who may import nowhere is never read.
    s.app.require_somewhere(&auth.actor, thidua_domain::access::Action::ImportRegistry).await.map_err(api)?;
    let body = read_body(&s, body).await?;
    let (app, actor, max_rows, dry_run, name) = (s.app.clone(), auth.actor.clone(), s.config.max_import_rows, p.dry_run, p.file_name);
    crate::heavy::off_thread(async move {
        let file = FileInfo { name: name.unwrap_or_else(|| "api".into()), sha256: hex::encode(Sha256::digest(&body)) };
        let upload = thidua_documents::Upload::open(body.to_vec(), max_rows).map_err(|e| AppError::Invalid(e.to_string()))?;
        app.import_source(&actor, kind, &upload, &file, dry_run, &|_| {}).await
    })
    .await
    .map_err(WebError::api)?
    .map(Json)
    .map_err(api)
}

/// The request body, read under the upload limit (after the caller has checked permission).
async fn read_body(s: &AppState, body: axum::body::Body) -> Result<Bytes, WebError> {
    axum::body::to_bytes(body, s.config.max_upload_bytes).await.map_err(|e| {
        // Over the limit is 413; a body that broke off is the sender's (400), not the server's.
        if e.into_inner().is::<http_body_util::LengthLimitError>() {
            WebError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                format!("Tệp vượt giới hạn {} MB mỗi lần tải lên.", s.config.max_upload_bytes / (1024 * 1024)),
            )
            .api()
        } else {
            WebError::new(axum::http::StatusCode::BAD_REQUEST, "Nội dung gửi lên bị ngắt giữa chừng; hãy gửi lại.").api()
        }
    })
}

#[derive(Deserialize)]
pub(crate) struct AuditParams {
    actor: Option<String>,
    entity: Option<String>,
    entity_id: Option<String>,
    action: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub(crate) async fn audit_get(State(s): State<AppState>, auth: Auth, Query(p): Query<AuditParams>) -> ApiResult<PageView<AuditView>> {
    let filter = AuditFilter { actor: p.actor, entity: p.entity, entity_id: p.entity_id, action: p.action };
    let page = page_of(p.page, p.per_page, 50)?;
    s.app.audit_page(&auth.actor, &filter, page).await.map(|p| Json(PageView::of(p))).map_err(api)
}

#[derive(Deserialize)]
pub(crate) struct CoverageParams {
    year: i64,
    unit: Option<i64>,
}

pub(crate) async fn coverage_get(
    State(s): State<AppState>,
    auth: Auth,
    Query(p): Query<CoverageParams>,
) -> ApiResult<thidua_app::titles::CoverageTable> {
    if !(YEARS_OF_DATA).contains(&p.year) {
        return Err(WebError::bad_request(format!("Năm {} nằm ngoài khoảng 2000–2100.", p.year)).api());
    }
    s.app.coverage(&auth.actor, p.year, p.unit).await.map(Json).map_err(api)
}

#[derive(Deserialize)]
pub(crate) struct AssessmentParams {
    title: String,
    year: Option<i64>,
    unit: Option<i64>,
    stage: Option<String>,
    passed: Option<bool>,
    decided: Option<bool>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub(crate) async fn assessments_get(
    State(s): State<AppState>,
    auth: Auth,
    Query(p): Query<AssessmentParams>,
) -> ApiResult<PageView<AssessmentItemView>> {
    let filter = AssessmentFilter {
        title: p.title,
        year: p.year,
        unit: p.unit,
        stage: p.stage,
        passed: p.passed,
        decided: p.decided,
        decision: None,
    };
    let page = page_of(p.page, p.per_page, 100)?;
    s.app.assessments(&auth.actor, &filter, page).await.map(|p| Json(PageView::of(p))).map_err(api)
}

#[derive(Deserialize)]
pub(crate) struct AssessmentImportParams {
    /// The criteria set's storage number; a filled template carries it on its «Thông tin» sheet.
    set: Option<i64>,
    year: Option<i64>,
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    dry_run: bool,
    file_name: Option<String>,
}

/// The request body is the filled sheet (.xlsx template or CSV with its columns).
pub(crate) async fn assessments_import_post(
    State(s): State<AppState>,
    auth: Auth,
    Query(p): Query<AssessmentImportParams>,
    body: axum::body::Body,
) -> ApiResult<thidua_app::titles::AssessmentImportReport> {
    let invalid = |m: String| api(AppError::Invalid(m));
    s.app.require_somewhere(&auth.actor, thidua_domain::access::Action::Assess).await.map_err(api)?;
    let body = read_body(&s, body).await?;
    let stage = match p.stage.as_deref() {
        None => thidua_domain::titles::Stage::Verified,
        Some(code) => {
            thidua_domain::titles::Stage::parse(code).ok_or_else(|| invalid(format!("giai đoạn «{code}» không có (verified, self)")))?
        }
    };
    let (app, actor, max_rows, dry_run, name) = (s.app.clone(), auth.actor.clone(), s.config.max_import_rows, p.dry_run, p.file_name);
    let (set, year) = (p.set, p.year);
    crate::heavy::off_thread(async move {
        let file = FileInfo { name: name.unwrap_or_else(|| "api".into()), sha256: hex::encode(Sha256::digest(&body)) };
        let (info_set, info_year) = thidua_documents::template_target(&body);
        let (Some(criteria_set), Some(year)) = (set.or(info_set), year.or(info_year)) else {
            return Err(AppError::Invalid("ghi rõ bộ tiêu chí (set) và năm đánh giá (year), hoặc gửi biểu mẫu .xlsx của hệ thống".into()));
        };
        let target = thidua_app::titles::SheetTarget { criteria_set, year, stage };
        let upload = thidua_documents::Upload::open(body.to_vec(), max_rows).map_err(|e| AppError::Invalid(e.to_string()))?;
        app.import_assessments(&actor, target, &upload, &file, dry_run).await
    })
    .await
    .map_err(WebError::api)?
    .map(Json)
    .map_err(api)
}

pub(crate) async fn decision_get(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> ApiResult<thidua_app::titles::DecisionView> {
    s.app.decision(&auth.actor, id).await.map(Json).map_err(api)
}

#[derive(Serialize)]
pub(crate) struct HolidayJson {
    date: String,
    name: String,
    in_lieu: bool,
    provisional: bool,
}

#[derive(Serialize)]
pub(crate) struct CalendarYearJson {
    year: i32,
    table: bool,
    verified: bool,
    basis: String,
    version: Option<i64>,
    holidays: Vec<HolidayJson>,
}

fn calendar_year_in_range(year: i32) -> Result<(), WebError> {
    if thidua_domain::calendar::YEARS.contains(&year) {
        Ok(())
    } else {
        Err(WebError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "Lịch chỉ tính cho các năm 2000–2060.").api())
    }
}

pub(crate) async fn calendar_year_get(State(s): State<AppState>, _auth: Auth, Path(year): Path<i32>) -> ApiResult<CalendarYearJson> {
    calendar_year_in_range(year)?;
    let tables = s.app.calendar_tables().await.map_err(api)?;
    let cal = s.app.calendar().await.map_err(api)?;
    let view = tables.get(&year);
    Ok(Json(CalendarYearJson {
        year,
        table: view.is_some(),
        verified: view.is_some_and(|v| v.table.verified),
        basis: view.map(|v| v.table.basis.clone()).unwrap_or_default(),
        version: view.and_then(|v| v.stored.as_ref()).map(|r| r.version),
        holidays: cal
            .holidays(year)
            .into_iter()
            .map(|h| HolidayJson {
                date: thidua_domain::dates::to_iso(h.date),
                name: h.name.clone(),
                in_lieu: h.in_lieu,
                provisional: h.provisional,
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
pub(crate) struct CalendarTableJson {
    #[serde(flatten)]
    table: CalendarTableBody,
    version: Option<i64>,
}

#[derive(Deserialize)]
pub(crate) struct CalendarTableBody {
    verified: bool,
    basis: String,
    #[serde(default)]
    tet: Vec<String>,
    #[serde(default)]
    national_day_adjacent: Option<String>,
    #[serde(default)]
    holidays: Vec<thidua_domain::calendar::Named>,
    #[serde(default)]
    days_off: Vec<thidua_domain::calendar::Range>,
    #[serde(default)]
    working_days: Vec<thidua_domain::calendar::Named>,
}

#[derive(Serialize)]
pub(crate) struct Saved {
    version: i64,
}

pub(crate) async fn calendar_year_put(
    State(s): State<AppState>,
    auth: Auth,
    Path(year): Path<i32>,
    Json(body): Json<CalendarTableJson>,
) -> ApiResult<Saved> {
    let b = body.table;
    let clean = thidua_domain::text::clean;
    let table = thidua_domain::calendar::YearTable {
        year,
        verified: b.verified,
        basis: clean(&b.basis),
        tet: b.tet.iter().map(|d| clean(d)).collect(),
        national_day_adjacent: b.national_day_adjacent.map(|d| clean(&d)).filter(|d| !d.is_empty()),
        holidays: b.holidays.into_iter().map(|n| thidua_domain::calendar::Named { date: clean(&n.date), name: clean(&n.name) }).collect(),
        days_off: b
            .days_off
            .into_iter()
            .map(|r| thidua_domain::calendar::Range { from: clean(&r.from), to: clean(&r.to), name: clean(&r.name) })
            .collect(),
        working_days: b
            .working_days
            .into_iter()
            .map(|n| thidua_domain::calendar::Named { date: clean(&n.date), name: clean(&n.name) })
            .collect(),
    };
    if table.basis.is_empty() {
        return Err(WebError::bad_request("Hãy ghi căn cứ (basis): số, ngày thông báo hoặc nguồn.").api());
    }
    s.app.save_calendar_table(&auth.actor, table, body.version).await.map(|version| Json(Saved { version })).map_err(api)
}

#[derive(Deserialize)]
pub(crate) struct StepParams {
    date: String,
    n: u32,
}

#[derive(Serialize)]
pub(crate) struct DateJson {
    date: String,
}

fn iso_or_dmy(s: &str) -> Result<time::Date, WebError> {
    thidua_domain::dates::parse_dmy(s).map_err(|_| {
        // A real calendar date the movement's calendar does not cover is a range problem (422),
        // not a malformed request.
        let iso = time::macros::format_description!("[year]-[month]-[day]");
        if time::Date::parse(s.trim(), &iso).is_ok() {
            WebError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, format!("Ngày «{s}» nằm ngoài khoảng lịch tính được (2000–2060)."))
                .api()
        } else {
            WebError::bad_request(format!("Ngày «{s}» không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy).")).api()
        }
    })
}

async fn calendar_step(s: &AppState, p: StepParams, forward: bool) -> ApiResult<DateJson> {
    let d = iso_or_dmy(&p.date)?;
    calendar_year_in_range(d.year())?;
    let cal = s.app.calendar().await.map_err(api)?;
    let out = if forward { cal.add_working_days(d, p.n) } else { cal.working_days_before(d, p.n) };
    calendar_year_in_range(out.year())?;
    Ok(Json(DateJson { date: thidua_domain::dates::to_iso(out) }))
}

pub(crate) async fn calendar_add_get(State(s): State<AppState>, _auth: Auth, Query(p): Query<StepParams>) -> ApiResult<DateJson> {
    calendar_step(&s, p, true).await
}

pub(crate) async fn calendar_sub_get(State(s): State<AppState>, _auth: Auth, Query(p): Query<StepParams>) -> ApiResult<DateJson> {
    calendar_step(&s, p, false).await
}

#[derive(Deserialize)]
pub(crate) struct LunarParams {
    date: String,
}

#[derive(Serialize)]
pub(crate) struct LunarJson {
    day: u8,
    month: u8,
    year: i32,
    leap: bool,
    text: String,
}

pub(crate) async fn calendar_lunar_get(_auth: Auth, Query(p): Query<LunarParams>) -> ApiResult<LunarJson> {
    let d = iso_or_dmy(&p.date)?;
    let l = thidua_domain::lunar::to_lunar(d)
        .ok_or_else(|| WebError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "Ngày nằm ngoài khoảng tính được (1900–2100).").api())?;
    Ok(Json(LunarJson { day: l.day, month: l.month, year: l.year, leap: l.leap, text: l.to_string() }))
}
