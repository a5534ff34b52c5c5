//! The one table of routes. The router, the gate every request passes before its handler (who
//! may call the route at all), the OpenAPI document and the authorization matrix of the tests
//! are all read from [`ROUTES`]: a route cannot be added without saying who may call it and
//! where the handler finds the unit it authorises against.
//!
//! The gate decides by role, before any body is read: a route that needs an action answers 403
//! to a user none of whose grants in force allows it, and sends an anonymous caller to the
//! sign-in page (401 on the API). The handler's use case then decides on the record's own
//! stored unit (`App::authorize`); the matrix test proves both on every route.

use crate::AppState;
use crate::error::WebError;
use crate::session::Auth;
use crate::{api, pages};
use axum::Router;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use thidua_domain::access::Action::{self, *};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: published data, the certificate check, sign-in, health. The
    /// reason says why nothing protected is behind it.
    Public(&'static str),
    /// The second step of a sign-in: only a sign-in waiting for its code (its own cookie, set
    /// after a correct password) reaches the handler's form; anyone else is sent to sign in.
    /// The gate lets it through, the handler reads the waiting session.
    Waiting(&'static str),
    /// Any signed-in user: their own account, or data bound to no unit (the calendar).
    SignedIn(&'static str),
    /// A grant in force of one of these actions; the handler decides it on the unit `UnitOf`
    /// names.
    Grant(&'static [Action], UnitOf),
}

/// Where the handler finds the unit it authorises against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitOf {
    /// `{id}` is the unit.
    Unit,
    /// `{id}` is a household, a citizen, a clan: the record's own stored unit.
    Household,
    Person,
    Clan,
    /// `{id}` is a user: the user's home unit.
    User,
    /// `{id}` is a learning-title assessment, or a recognition decision: the subject's unit, the
    /// issuing unit.
    Assessment,
    TitleDecision,
    /// `{id}` is a commendation dossier (or its file, or an awarded nominee): the proposer.
    Batch,
    Document,
    Awarded,
    /// `{id}` is an article or a learning resource: the unit that wrote or shared it.
    Article,
    Resource,
    /// The path's `{unit}` (or `{id}`) is the reporting or proposing body.
    Body,
    /// A unit named in the form or the JSON body (the parent of a new record, a new record's
    /// unit, the subject assessed).
    Named,
    /// The dossiers picked in the form, each on its own proposer.
    Picked,
    /// Each row of the uploaded file on its own unit.
    Rows,
    /// A list: the `unit` filter when given, and rows limited to the user's scope in SQL.
    Scoped,
    /// Records every officer reads whatever the grant's scope: campaigns, the Chairman's
    /// decisions (public acts), criteria sets, templates.
    Shared,
    /// Records of the city as a whole: only a grant over the city reaches them.
    City,
    /// `{id}` is a data subject's request: the unit of its person when it was registered.
    SubjectRequest,
    /// `{id}` is a commendation decision: its issuing body — the city for the Chairman's, the
    /// body itself for its head's own.
    Decision,
}

/// What the OpenAPI document says of an API route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiDoc {
    /// In Vietnamese.
    pub summary: &'static str,
    /// The request body's schema name; "" for none, "File" for an uploaded file.
    pub body: &'static str,
    /// The response's schema name.
    pub response: &'static str,
}

/// One route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// `GET`, `POST` or `PUT`.
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// Present on every `/api/v1/` route.
    pub api: Option<ApiDoc>,
}

impl Route {
    /// The actions the route needs (none for a public or signed-in route).
    pub fn actions(&self) -> &'static [Action] {
        match self.access {
            Access::Grant(actions, _) => actions,
            _ => &[],
        }
    }
}

const fn grant(actions: &'static [Action], unit: UnitOf) -> Access {
    Access::Grant(actions, unit)
}

const PUBLISHED: &str = "chỉ đọc dữ liệu đã công bố";
const OWN_ACCOUNT: &str = "tài khoản của chính người đăng nhập";
const SECOND_STEP: &str = "bước hai của đăng nhập: phiên đang chờ mã của người vừa nhập đúng mật khẩu (cookie riêng), chưa mở dữ liệu nào";
const CALENDAR: &str = "lịch ngày làm việc và âm lịch: dữ liệu chung, không gắn với đơn vị";
const LEGAL_BASES: &str = "văn bản pháp luật có hiệu lực: dữ liệu chung, không gắn với đơn vị";

macro_rules! table {
    ($( $method:ident $path:literal $handler:path => $access:expr $(, api($summary:literal, $body:literal, $response:literal))? ; )*) => {
        /// Every route of thidua, in the order a reader meets them.
        pub const ROUTES: &[Route] = &[
            $( Route { method: stringify!($method), path: $path, access: $access, api: table!(@api $($summary, $body, $response)?) }, )*
        ];

        /// The page routes and the API routes, each from its own rows of [`ROUTES`].
        pub(crate) fn mount(mut pages: Router<AppState>, mut api: Router<AppState>) -> (Router<AppState>, Router<AppState>) {
            $(
                let route = table!(@method $method)($handler);
                if $path.starts_with("/api/") { api = api.route($path, route); } else { pages = pages.route($path, route); }
            )*
            (pages, api)
        }
    };
    (@api) => { None };
    (@api $summary:literal, $body:literal, $response:literal) => { Some(ApiDoc { summary: $summary, body: $body, response: $response }) };
    (@method GET) => { axum::routing::get };
    (@method POST) => { axum::routing::post };
    (@method PUT) => { axum::routing::put };
}

use UnitOf as U;
use pages::*;

table! {
    GET "/" home::home_get => Access::Public("trang công khai; cán bộ đã đăng nhập thấy việc của mình");
    GET "/login" login::login_get => Access::Public("đăng nhập");
    POST "/login" login::login_post => Access::Public("đăng nhập");
    POST "/logout" login::logout_post => Access::SignedIn("kết thúc phiên của chính mình");
    GET "/login/2fa" second_factor::login_second_get => Access::Waiting(SECOND_STEP);
    POST "/login/2fa" second_factor::login_second_post => Access::Waiting(SECOND_STEP);
    GET "/lang/{lang}" login::lang_get => Access::Public("chọn ngôn ngữ hiển thị");
    GET "/search" home::search_get => grant(&[ReadRegistry], U::Scoped);

    GET "/units/{id}" units::unit_get => grant(&[ReadRegistry], U::Unit);
    GET "/units/{id}/edit" units::unit_edit_get => grant(&[WriteRegistry], U::Unit);
    POST "/units/{id}/edit" units::unit_edit_post => grant(&[WriteRegistry], U::Unit);
    GET "/units/{id}/new" units::unit_new_get => grant(&[WriteRegistry], U::Unit);
    POST "/units/{id}/new" units::unit_new_post => grant(&[WriteRegistry], U::Named);
    POST "/units/{id}/active" units::unit_active_post => grant(&[WriteRegistry], U::Unit);
    POST "/units/{id}/divide" units::unit_divide_post => grant(&[WriteRegistry], U::Unit);
    POST "/units/{id}/institution-type" units::institution_type_post => grant(&[WriteRegistry], U::Unit);
    POST "/units/{id}/difficult-area" units::difficult_area_post => grant(&[ManageCriteria], U::Unit);
    GET "/units/{id}/members" units::members_get => grant(&[ReadRegistry], U::Unit);
    POST "/units/{id}/members" units::members_post => grant(&[WriteRegistry], U::Unit);
    POST "/units/{id}/members/{person}/remove" units::member_remove_post => grant(&[WriteRegistry], U::Unit);
    GET "/units/{id}/history" units::unit_history_get => grant(&[ReadRegistry], U::Unit);
    GET "/units/{id}/export.xlsx" units::unit_export_get => grant(&[ReadRegistry], U::Unit);

    GET "/households" households::households_get => grant(&[ReadRegistry], U::Scoped);
    GET "/households/export.xlsx" households::households_export_get => grant(&[ReadRegistry], U::Scoped);
    GET "/households/export.csv" households::households_csv_get => grant(&[ReadRegistry], U::Scoped);
    GET "/households/new" households::household_new_get => grant(&[WriteRegistry], U::Scoped);
    POST "/households/new" households::household_new_post => grant(&[WriteRegistry], U::Named);
    GET "/households/{id}" households::household_get => grant(&[ReadRegistry], U::Household);
    GET "/households/{id}/edit" households::household_edit_get => grant(&[WriteRegistry], U::Household);
    POST "/households/{id}/edit" households::household_edit_post => grant(&[WriteRegistry], U::Household);
    POST "/households/{id}/active" households::household_active_post => grant(&[WriteRegistry], U::Household);
    POST "/households/{id}/consent" households::consent_post => grant(&[WriteRegistry], U::Household);

    GET "/people" people::people_get => grant(&[ReadRegistry], U::Scoped);
    GET "/people/export.xlsx" people::people_export_get => grant(&[ReadRegistry], U::Scoped);
    GET "/people/export.csv" people::people_csv_get => grant(&[ReadRegistry], U::Scoped);
    GET "/people/new" people::person_new_get => grant(&[WriteRegistry], U::Scoped);
    POST "/people/new" people::person_new_post => grant(&[WriteRegistry], U::Named);
    GET "/people/{id}" people::person_get => grant(&[ReadRegistry], U::Person);
    GET "/people/{id}/edit" people::person_edit_get => grant(&[WriteRegistry], U::Person);
    POST "/people/{id}/edit" people::person_edit_post => grant(&[WriteRegistry], U::Person);
    POST "/people/{id}/active" people::person_active_post => grant(&[WriteRegistry], U::Person);
    GET "/people/{id}/privacy-request" subject_requests::new_get => grant(&[WriteRegistry], U::Person);
    POST "/people/{id}/privacy-request" subject_requests::new_post => grant(&[WriteRegistry], U::Person);
    GET "/privacy/requests" subject_requests::requests_get => grant(&[ReadRegistry], U::Scoped);
    GET "/privacy/requests/{id}" subject_requests::request_get => grant(&[ReadRegistry], U::SubjectRequest);
    POST "/privacy/requests/{id}/acknowledge" subject_requests::acknowledge_post => grant(&[WriteRegistry], U::SubjectRequest);
    POST "/privacy/requests/{id}/close" subject_requests::close_post => grant(&[WriteRegistry], U::SubjectRequest);
    POST "/privacy/requests/{id}/erase" subject_requests::erase_post => grant(&[WriteRegistry], U::SubjectRequest);
    GET "/privacy/requests/{id}/access.xlsx" subject_requests::access_xlsx_get => grant(&[WriteRegistry], U::SubjectRequest);
    POST "/people/{id}/consent" people::consent_post => grant(&[WriteRegistry], U::Person);

    GET "/clans" clans::clans_get => grant(&[ReadRegistry], U::Scoped);
    GET "/clans/export.xlsx" clans::clans_export_get => grant(&[ReadRegistry], U::Scoped);
    GET "/clans/new" clans::clan_new_get => grant(&[WriteRegistry], U::Scoped);
    POST "/clans/new" clans::clan_new_post => grant(&[WriteRegistry], U::Named);
    GET "/clans/{id}" clans::clan_get => grant(&[ReadRegistry], U::Clan);
    GET "/clans/{id}/edit" clans::clan_edit_get => grant(&[WriteRegistry], U::Clan);
    POST "/clans/{id}/edit" clans::clan_edit_post => grant(&[WriteRegistry], U::Clan);
    POST "/clans/{id}/active" clans::clan_active_post => grant(&[WriteRegistry], U::Clan);

    GET "/criteria" criteria::criteria_get => grant(&[ReadRegistry], U::Shared);
    POST "/criteria" criteria::criteria_post => grant(&[ManageCriteria], U::City);
    GET "/criteria/{id}" criteria::criteria_set_get => grant(&[ReadRegistry], U::Shared);

    GET "/titles" titles::titles_get => grant(&[ReadRegistry], U::Scoped);
    GET "/titles/list" titles::assessments_get => grant(&[ReadRegistry], U::Scoped);
    GET "/titles/template" titles::template_get => grant(&[Assess], U::Scoped);
    POST "/titles/upload" titles::upload_post => grant(&[Assess], U::Rows);
    GET "/titles/decisions" titles::decisions_get => grant(&[ReadRegistry], U::Scoped);
    POST "/titles/decisions" titles::decision_post => grant(&[Recognise], U::Named);
    GET "/titles/decisions/{id}" titles::decision_get => grant(&[ReadRegistry], U::TitleDecision);
    GET "/titles/decisions/{id}/decision.docx" titles::decision_docx_get => grant(&[ReadRegistry], U::TitleDecision);
    GET "/titles/decisions/{id}/list.xlsx" titles::decision_xlsx_get => grant(&[ReadRegistry], U::TitleDecision);
    GET "/titles/certificates/{id}" titles::certificate_get => grant(&[ReadRegistry], U::Assessment);
    GET "/titles/duplicates" titles::duplicates_get => grant(&[ReadRegistry], U::Scoped);
    GET "/titles/assess" assessment::assess_get => grant(&[Assess], U::Named);
    POST "/titles/assess" assessment::assess_post => grant(&[Assess], U::Named);
    GET "/titles/assessments/{id}" assessment::assessment_get => grant(&[ReadRegistry], U::Assessment);

    GET "/xac-minh" home::verify_box_get => Access::Public("ô nhập mã xác minh, chỉ chuyển đến trang xác minh");
    GET "/xac-minh/{code}" titles::verify_get => Access::Public(PUBLISHED);
    GET "/vinh-danh" honour::honour_get => Access::Public(PUBLISHED);
    GET "/du-lieu-mo" open_data::open_data_get => Access::Public(PUBLISHED);
    GET "/du-lieu-mo/danh-hieu.csv" open_data::titles_csv_get => Access::Public(PUBLISHED);
    GET "/du-lieu-mo/danh-hieu.json" open_data::titles_json_get => Access::Public(PUBLISHED);
    GET "/tin-tuc.atom" open_data::feed_get => Access::Public(PUBLISHED);
    GET "/xep-hang" open_data::ranking_get => Access::Public(PUBLISHED);
    GET "/guong-dien-hinh" public_site::articles_get => Access::Public(PUBLISHED);
    GET "/guong-dien-hinh/{id}" public_site::article_get => Access::Public(PUBLISHED);
    GET "/guong-dien-hinh/{id}/anh" public_site::photo_get => Access::Public(PUBLISHED);
    GET "/hoc-lieu" public_site::resources_get => Access::Public(PUBLISHED);
    GET "/hoc-lieu/{id}/tep" public_site::resource_file_get => Access::Public(PUBLISHED);

    GET "/publications" publications::list_get => grant(&[ReadRegistry], U::Scoped);
    POST "/publications/articles" publications::create_post => grant(&[Report], U::Named);
    GET "/publications/articles/new" publications::new_get => grant(&[Report], U::Scoped);
    GET "/publications/articles/{id}" publications::article_get => grant(&[Report], U::Article);
    POST "/publications/articles/{id}" publications::article_post => grant(&[Report], U::Article);
    POST "/publications/articles/{id}/step" publications::step_post => grant(&[Report, ReviewReports], U::Article);
    GET "/publications/articles/{id}/photo" publications::photo_get => grant(&[Report], U::Article);
    POST "/publications/resources" publications::resource_post => grant(&[Report], U::Named);
    POST "/publications/resources/{id}/withdraw" publications::resource_withdraw_post => grant(&[Report], U::Resource);

    GET "/awards" awards::awards_get => grant(&[ReadRegistry], U::Shared);
    GET "/awards/queue" award_queue::queue_get => grant(&[ReadRegistry], U::Scoped);
    POST "/awards/forward" award_queue::forward_post => grant(&[AppraiseDoet], U::Picked);
    POST "/awards/decide" award_queue::decide_post => grant(&[Decide], U::Picked);
    POST "/awards/campaigns" awards::campaign_new_post => grant(&[ManageCampaigns], U::City);
    GET "/awards/campaigns/{id}" awards::campaign_get => grant(&[ReadRegistry], U::Shared);
    POST "/awards/campaigns/{id}/conference" awards::campaign_conference_post => grant(&[ManageCampaigns], U::City);
    POST "/awards/campaigns/{id}/status" awards::campaign_status_post => grant(&[ManageCampaigns], U::City);
    POST "/awards/campaigns/{id}/allocation" awards::campaign_allocation_post => grant(&[ManageCampaigns], U::City);
    POST "/awards/campaigns/{id}/extension-request" awards::extension_request_post => grant(&[Nominate], U::Named);
    GET "/awards/extensions" awards::extensions_get => grant(&[AppraiseDoet], U::Scoped);
    POST "/awards/extensions/{campaign}/{unit}" awards::extension_answer_post => grant(&[AppraiseDoet], U::Body);
    POST "/awards/campaigns/{id}/batches" awards::batch_new_post => grant(&[Nominate], U::Named);
    GET "/awards/batches/{id}" dossier::batch_get => grant(&[ReadRegistry], U::Batch);
    POST "/awards/batches/{id}/nominees" dossier::nominee_add_post => grant(&[Nominate], U::Batch);
    POST "/awards/batches/{id}/nominees/{nominee}" dossier::nominee_edit_post => grant(&[Nominate], U::Batch);
    POST "/awards/batches/{id}/nominees/{nominee}/remove" dossier::nominee_remove_post => grant(&[Nominate], U::Batch);
    POST "/awards/batches/{id}/documents" dossier::document_post => grant(&[Nominate], U::Batch);
    POST "/awards/batches/{id}/step" dossier::step_post => grant(&[Nominate, AppraiseDoet, AppraiseDoha, CouncilReview], U::Batch);
    POST "/awards/batches/{id}/extension" dossier::extension_post => grant(&[AppraiseDoet], U::Batch);
    POST "/awards/batches/{id}/own-decision" dossier::own_decision_post => grant(&[AwardOwn], U::Batch);
    GET "/awards/documents/{id}" dossier::document_get => grant(&[ReadRegistry], U::Document);
    GET "/awards/batches/{id}/to-trinh.docx" award_docs::batch_docx_get => grant(&[ReadRegistry], U::Batch);
    GET "/awards/batches/{id}/list.xlsx" award_docs::batch_xlsx_get => grant(&[ReadRegistry], U::Batch);
    GET "/awards/batches/{id}/draft-decision.docx" award_docs::batch_draft_decision_get => grant(&[ReadRegistry], U::Batch);
    GET "/awards/batches/{id}/nominees/{nominee}/report.docx" award_docs::report_docx_get => grant(&[ReadRegistry], U::Batch);
    GET "/awards/consolidations/{id}/to-trinh.docx" award_docs::consolidation_docx_get => grant(&[ReadRegistry], U::City);
    GET "/awards/consolidations/{id}/list.xlsx" award_docs::consolidation_xlsx_get => grant(&[ReadRegistry], U::City);
    GET "/awards/consolidations/{id}/draft-decision.docx" award_docs::draft_decision_get => grant(&[ReadRegistry], U::City);
    GET "/awards/decisions" award_queue::decisions_get => grant(&[ReadRegistry], U::Shared);
    GET "/awards/decisions/{id}" award_queue::decision_get => grant(&[ReadRegistry], U::Shared);
    GET "/awards/decisions/{id}/decision.docx" award_docs::decision_docx_get => grant(&[ReadRegistry], U::Shared);
    GET "/awards/decisions/{id}/list.xlsx" award_docs::decision_xlsx_get => grant(&[ReadRegistry], U::Shared);
    GET "/awards/decisions/{id}/scan" award_queue::decision_scan_get => grant(&[ReadRegistry], U::Shared);
    POST "/awards/decisions/{id}/scan" award_queue::decision_scan_post => grant(&[Decide, AwardOwn], U::Decision);
    GET "/awards/certificates/{id}" award_queue::certificate_get => grant(&[ReadRegistry], U::Awarded);

    GET "/dashboard" dashboard::dashboard_get => grant(&[ReadRegistry], U::Scoped);
    GET "/dashboard/export.xlsx" dashboard::dashboard_xlsx_get => grant(&[ReadRegistry], U::Scoped);
    GET "/reports" reports::reports_get => grant(&[ReadRegistry], U::Scoped);
    GET "/reports/review/{year}" reports::review_get => grant(&[ReadRegistry], U::Scoped);
    GET "/reports/review/{year}/report.docx" reports::review_docx_get => grant(&[ReadRegistry], U::Scoped);
    POST "/reports/{year}/lock" reports::lock_post => grant(&[ReviewReports], U::City);
    GET "/reports/{year}/city.docx" reports::city_docx_get => grant(&[ReviewReports], U::City);
    GET "/reports/{year}/units.xlsx" reports::units_xlsx_get => grant(&[ReviewReports], U::City);
    GET "/reports/{year}/{unit}" reports::report_get => grant(&[ReadRegistry], U::Body);
    POST "/reports/{year}/{unit}" reports::report_post => grant(&[Report], U::Body);
    POST "/reports/{year}/{unit}/step" reports::report_step_post => grant(&[Report, ReviewReports], U::Body);
    POST "/reports/{year}/{unit}/comment" reports::comment_post => grant(&[CommentReports], U::Body);
    GET "/reports/{year}/{unit}/annex.xlsx" reports::unit_xlsx_get => grant(&[ReadRegistry], U::Body);

    GET "/calendar" calendar::calendar_get => Access::SignedIn(CALENDAR);
    GET "/legal-bases" legal_bases::legal_bases_get => Access::SignedIn(LEGAL_BASES);
    POST "/legal-bases" legal_bases::legal_bases_post => grant(&[ManageLegalBases], U::City);
    POST "/calendar/{year}" calendar::calendar_post => grant(&[ManageCalendar], U::City);
    GET "/import" import::import_get => grant(&[ImportRegistry], U::Rows);
    POST "/import" import::import_post => grant(&[ImportRegistry], U::Rows);
    GET "/import/template/{kind}" import::import_template_get => grant(&[ReadRegistry], U::Shared);
    GET "/audit" audit::audit_get => grant(&[ReadAudit], U::Scoped);
    GET "/audit/export.xlsx" audit::audit_export_get => grant(&[ReadAudit], U::Scoped);
    GET "/audit/reads" reads::reads_get => grant(&[ReadAudit], U::Scoped);

    GET "/account" account::account_get => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/password" account::account_password_post => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/tokens" account::account_token_post => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/tokens/{id}/revoke" account::account_token_revoke_post => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/delegate" account::account_delegate_post => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/delegations/{id}/end" account::account_delegation_end_post => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/email" account::account_email_post => Access::SignedIn(OWN_ACCOUNT);
    GET "/account/2fa" second_factor::account_second_factor_get => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/2fa" second_factor::account_second_factor_post => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/2fa/recovery" second_factor::account_recovery_codes_post => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/2fa/off" second_factor::account_second_factor_off_post => Access::SignedIn(OWN_ACCOUNT);
    POST "/account/sessions/end" second_factor::account_session_end_post => Access::SignedIn(OWN_ACCOUNT);
    GET "/admin/users" admin::users_get => grant(&[ManageUsers], U::Scoped);
    POST "/admin/users" admin::users_post => grant(&[ManageUsers], U::Named);
    GET "/admin/users/{id}" admin::user_get => grant(&[ManageUsers], U::User);
    POST "/admin/users/{id}/grants" admin::user_grant_post => grant(&[ManageUsers], U::User);
    POST "/admin/users/{id}/password" admin::user_password_post => grant(&[ManageUsers], U::User);
    POST "/admin/users/{id}/active" admin::user_active_post => grant(&[ManageUsers], U::User);
    POST "/admin/users/{id}/contact" admin::user_contact_post => grant(&[ManageUsers], U::User);
    POST "/admin/users/{id}/2fa/reset" second_factor::user_second_factor_reset_post => grant(&[ManageUsers], U::User);
    GET "/admin/mail" admin::mail_get => grant(&[ManageUsers], U::City);
    GET "/admin/privacy" privacy::privacy_get => grant(&[ManageUsers], U::City);
    GET "/admin/privacy/dossier.docx" privacy::dossier_get => grant(&[ManageUsers], U::City);
    GET "/admin/retention" retention::retention_get => grant(&[ManageUsers], U::City);
    POST "/admin/retention/run" retention::scan_post => grant(&[ManageUsers], U::City);
    POST "/admin/retention/{id}/apply" retention::apply_post => grant(&[ManageUsers], U::City);
    GET "/admin/breaches" breaches::breaches_get => grant(&[ProtectData], U::City);
    POST "/admin/breaches" breaches::breaches_post => grant(&[ProtectData], U::City);
    GET "/admin/breaches/{id}" breaches::breach_get => grant(&[ProtectData], U::City);
    POST "/admin/breaches/{id}/notify" breaches::notify_post => grant(&[ProtectData], U::City);

    GET "/static/app.css" assets::css_get => Access::Public("bảng kiểu của giao diện, không chứa dữ liệu");
    GET "/static/app.js" assets::js_get => Access::Public("tệp script tăng cường giao diện, không chứa dữ liệu");
    GET "/healthz" ops::healthz_get => Access::Public("kiểm tra sống, không chứa dữ liệu");
    GET "/readyz" ops::readyz_get => Access::Public("kiểm tra sẵn sàng, không chứa dữ liệu");
    GET "/metrics" ops::metrics_get => Access::Public("bộ thu Prometheus: mã riêng (Bearer) hoặc chỉ từ máy chủ (loopback), kiểm tra trong trình xử lý");

    GET "/api/openapi.json" api::openapi_get => Access::Public("tài liệu mô tả API");
    GET "/api/v1/me" api::me_get => Access::SignedIn(OWN_ACCOUNT),
        api("Thông tin người dùng hiện tại và quyền", "", "Me");
    GET "/api/v1/units/{id}" api::unit_get => grant(&[ReadRegistry], U::Unit),
        api("Xem một đơn vị", "", "Unit");
    PUT "/api/v1/units/{id}" api::unit_put => grant(&[WriteRegistry], U::Unit),
        api("Sửa một đơn vị (kèm version)", "UnitInput", "Created");
    GET "/api/v1/units/{id}/children" api::unit_children_get => grant(&[ReadRegistry], U::Unit),
        api("Các đơn vị trực thuộc", "", "UnitList");
    POST "/api/v1/units" api::unit_post => grant(&[WriteRegistry], U::Named),
        api("Tạo đơn vị", "UnitInput", "Created");
    GET "/api/v1/households" api::households_get => grant(&[ReadRegistry], U::Scoped),
        api("Danh sách hộ gia đình (lọc theo unit, q; phân trang)", "", "HouseholdPage");
    POST "/api/v1/households" api::household_post => grant(&[WriteRegistry], U::Named),
        api("Tạo hộ gia đình", "HouseholdInput", "Created");
    GET "/api/v1/households/{id}" api::household_get => grant(&[ReadRegistry], U::Household),
        api("Xem hộ gia đình", "", "Household");
    PUT "/api/v1/households/{id}" api::household_put => grant(&[WriteRegistry], U::Household),
        api("Sửa hộ gia đình (kèm version)", "HouseholdInput", "Created");
    GET "/api/v1/people" api::people_get => grant(&[ReadRegistry], U::Scoped),
        api("Danh sách công dân (tìm không dấu, sắp xếp theo tên)", "", "PersonPage");
    POST "/api/v1/people" api::person_post => grant(&[WriteRegistry], U::Named),
        api("Tạo công dân", "PersonInput", "Created");
    GET "/api/v1/people/{id}" api::person_get => grant(&[ReadRegistry], U::Person),
        api("Xem công dân", "", "Person");
    PUT "/api/v1/people/{id}" api::person_put => grant(&[WriteRegistry], U::Person),
        api("Sửa công dân (kèm version)", "PersonInput", "Created");
    GET "/api/v1/clans" api::clans_get => grant(&[ReadRegistry], U::Scoped),
        api("Danh sách dòng họ (lọc theo unit, q)", "", "ClanPage");
    GET "/api/v1/clans/{id}" api::clan_get => grant(&[ReadRegistry], U::Clan),
        api("Xem dòng họ", "", "Clan");
    POST "/api/v1/import/{kind}" api::import_post => grant(&[ImportRegistry], U::Rows),
        api("Nhập dữ liệu từ tệp .xlsx/.csv (thân yêu cầu là tệp)", "File", "ImportReport");
    GET "/api/v1/audit" api::audit_get => grant(&[ReadAudit], U::Scoped),
        api("Nhật ký hệ thống trong phạm vi", "", "AuditPage");
    GET "/api/v1/titles/coverage" api::coverage_get => grant(&[ReadRegistry], U::Scoped),
        api("Độ phủ danh hiệu học tập theo đơn vị và năm (year, unit)", "", "Coverage");
    GET "/api/v1/assessments" api::assessments_get => grant(&[ReadRegistry], U::Scoped),
        api("Phiếu đánh giá danh hiệu (lọc theo title, year, unit, stage, passed, decided; phân trang)", "", "AssessmentPage");
    POST "/api/v1/assessments/import" api::assessments_import_post => grant(&[Assess], U::Rows),
        api("Nhập phiếu đánh giá từ biểu mẫu .xlsx hoặc CSV (thân yêu cầu là tệp; set, year, stage, dry_run)", "File", "AssessmentImportReport");
    GET "/api/v1/decisions/{id}" api::decision_get => grant(&[ReadRegistry], U::TitleDecision),
        api("Quyết định công nhận và danh sách kèm theo", "", "Decision");
    GET "/api/v1/calendar/{year}" api::calendar_year_get => Access::SignedIn(CALENDAR),
        api("Ngày lễ, tết và ngày nghỉ bù của năm (kể cả ngày lễ trùng cuối tuần)", "", "CalendarYear");
    PUT "/api/v1/calendar/{year}" api::calendar_year_put => grant(&[ManageCalendar], U::City),
        api("Cập nhật lịch nghỉ theo thông báo của năm (quản trị viên; kèm version)", "CalendarTable", "Saved");
    GET "/api/v1/calendar/add" api::calendar_add_get => Access::SignedIn(CALENDAR),
        api("Ngày sau N ngày làm việc kể từ date (không tính date)", "", "CalendarDate");
    GET "/api/v1/calendar/sub" api::calendar_sub_get => Access::SignedIn(CALENDAR),
        api("Ngày trước N ngày làm việc kể từ date (không tính date)", "", "CalendarDate");
    GET "/api/v1/calendar/lunar" api::calendar_lunar_get => Access::SignedIn(CALENDAR),
        api("Ngày âm lịch của date (giờ Việt Nam, UTC+7)", "", "LunarDate");
}

/// The route a request matched, by method (HEAD is GET's) and path template.
fn route_of(method: &axum::http::Method, template: &str) -> Option<&'static Route> {
    let method = if method == axum::http::Method::HEAD { "GET" } else { method.as_str() };
    ROUTES.iter().find(|r| r.method == method && r.path == template)
}

/// The gate before every handler: a signed-in caller for every route that is not public, and a
/// grant in force of one of the route's actions somewhere, decided before the body is read. The
/// caller found here is handed to the handler (`Auth` reads it from the request), so the session
/// is looked up once.
pub(crate) async fn gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().and_then(|m| route_of(req.method(), m.as_str()));
    let Some(route) = route else {
        // A method the route does not have: axum answers 405 itself.
        return next.run(req).await;
    };
    if let Access::Public(_) | Access::Waiting(_) = route.access {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let auth = match Auth::from_request_parts(&mut parts, &state).await {
        Ok(auth) => auth,
        Err(refusal) => return refusal,
    };
    let actions = route.actions();
    if !actions.is_empty() {
        let now = state.app.now();
        let holds = auth.actor.grants.iter().any(|g| g.active_at(now) && actions.iter().any(|a| g.role.allows(*a)));
        if !holds {
            let e = WebError::from(thidua_app::AppError::Forbidden).lang(auth.lang);
            return if route.api.is_some() { e.api().into_response() } else { e.into_response() };
        }
    }
    parts.extensions.insert(auth);
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_declared_once() {
        let mut seen = std::collections::HashSet::new();
        for r in ROUTES {
            assert!(seen.insert((r.method, r.path)), "{} {} is declared twice", r.method, r.path);
        }
    }

    #[test]
    fn every_api_route_is_documented_and_only_api_routes_are() {
        for r in ROUTES {
            let documented_kind = r.path.starts_with("/api/v1/");
            assert_eq!(
                r.api.is_some(),
                documented_kind,
                "{} {}: an /api/v1/ route carries its OpenAPI description, no other does",
                r.method,
                r.path
            );
        }
    }

    #[test]
    fn a_route_that_needs_a_grant_names_at_least_one_action() {
        for r in ROUTES {
            if let Access::Grant(actions, _) = r.access {
                assert!(!actions.is_empty(), "{} {}", r.method, r.path);
            }
        }
    }

    #[test]
    fn the_router_is_built_from_the_table_without_a_conflict() {
        // axum panics on a path declared twice with the same method; mounting proves there is none.
        let (pages, api) = mount(Router::new(), Router::new());
        drop((pages, api));
    }

    #[test]
    fn a_matched_request_finds_its_route_and_head_is_get() {
        let r = route_of(&axum::http::Method::HEAD, "/households/{id}").expect("route");
        assert_eq!(r.actions(), &[ReadRegistry]);
        assert!(route_of(&axum::http::Method::DELETE, "/households/{id}").is_none());
    }
}
