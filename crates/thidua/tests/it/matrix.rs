//! The authorization matrix: every route that touches a record × every role × a target inside
//! and outside the user's scope × a grant held over a ward or over the whole city, held or
//! delegated. The expected answer is computed from the role table in the domain
//! (`Role::allows`), so the matrix and the rules cannot drift apart.
//!
//! The records are made on 1 May 2030, before the final review's deadline, so that every kind of
//! record exists on both sides: households assessed and recognised, a draft dossier with a
//! nominee and its files, and a dossier taken through DOET, DOHA and the council to the
//! Chairman's decision.

use crate::support::{Client, Engine, unit_id};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use thidua_app::ports::{PageRequest, PersonSort};
use thidua_domain::access::{Action, Role};

/// The record a route acts on, which says whose it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Target {
    Unit,
    Household,
    Person,
    Clan,
    User,
    /// A draft commendation dossier proposed by the village's ward, with one nominee.
    Batch,
    /// The village's ward (a reporting body, a proposer).
    Ward,
    /// An article the ward wrote (a draft).
    Article,
    /// A learning resource the ward shared.
    Resource,
    /// A household assessment of the village, recognised by the ward's decision.
    Assessment,
    /// The ward's recognition decision.
    TitleDecision,
    /// A file of the draft dossier.
    Document,
    /// The ward's dossier the Chairman decided on.
    DecidedBatch,
    /// The awarded nominee of that dossier (its certificate).
    Awarded,
    /// Records every officer reads, whatever the scope of the grant: the campaigns and the
    /// Chairman's decisions (public acts), and the role-wide pages (audit, import, users). An
    /// upload whose rows name the units (imports) is also here: the route needs the action
    /// somewhere, each row is scoped (the import cases below and `titles::a_ward_cannot…`).
    Anywhere,
    /// A deletion request about the village's citizen, registered at the ward.
    SubjectRequest,
    /// Records of the city as a whole (DOET's consolidated submissions, campaign settings, the
    /// Chairman's decisions' scans, criteria, the calendar, the city report): a grant over a
    /// ward never reaches them.
    City,
}

/// How far a grant reaches a target: inside the scope only, wherever the role holds, or only
/// from the city.
fn reaches(target: Target, city_grant: bool, inside: bool) -> bool {
    match target {
        Target::Anywhere => true,
        Target::City => city_grant,
        _ => city_grant || inside,
    }
}

/// (method, path, action the route needs, what `{id}` is, body). A body starting with `@` is a
/// multipart upload of those fields and a small PDF named `tep.pdf`; one starting with `!` is the
/// PDF as the raw body. `{unit}`, `{ward}`, `{ward_code}`, `{unit_code}`, `{set}`, `{batch}`,
/// `{nominee}`, `{campaign}`, `{consolidation}` and `{award_decision}` are the side's records;
/// `{kind}` is the households' import.
pub(crate) const ROUTES: &[(&str, &str, Action, Target, &str)] = &[
    ("GET", "/units/{id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/units/{id}/history", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/units/{id}/export.xlsx", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/units/{id}/edit", Action::WriteRegistry, Target::Unit, ""),
    ("POST", "/units/{id}/edit", Action::WriteRegistry, Target::Unit, "version=0&code=X&name=X&kind=village"),
    ("GET", "/units/{id}/new", Action::WriteRegistry, Target::Unit, ""),
    (
        "POST",
        "/units/{id}/new",
        Action::WriteRegistry,
        Target::Ward,
        "code=TDP-M-{unit}&name=T%E1%BB%95+m%E1%BB%9Bi&kind=village&parent={ward_code}",
    ),
    ("POST", "/units/{id}/active", Action::WriteRegistry, Target::Unit, "version=0&active=false"),
    ("GET", "/households?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/households/export.csv?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/households/new?unit={id}", Action::WriteRegistry, Target::Unit, ""),
    (
        "POST",
        "/households/new",
        Action::WriteRegistry,
        Target::Unit,
        "code=HGD-F-{unit}&head_name=Ph%E1%BA%A1m+V%C4%83n+M%E1%BB%9Bi&unit={id}",
    ),
    ("GET", "/people?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/people/export.csv?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/people/new?unit={id}", Action::WriteRegistry, Target::Unit, ""),
    (
        "POST",
        "/people/new",
        Action::WriteRegistry,
        Target::Unit,
        "code=CD-F-{unit}&full_name=Ph%E1%BA%A1m+Th%E1%BB%8B+M%E1%BB%9Bi&unit={id}",
    ),
    ("GET", "/households/{id}", Action::ReadRegistry, Target::Household, ""),
    ("GET", "/households/{id}/edit", Action::WriteRegistry, Target::Household, ""),
    ("POST", "/households/{id}/edit", Action::WriteRegistry, Target::Household, "version=0&code=HGD-MATRIX&head_name=X&unit={unit}"),
    ("POST", "/households/{id}/active", Action::WriteRegistry, Target::Household, "version=0&active=false"),
    ("GET", "/people/{id}", Action::ReadRegistry, Target::Person, ""),
    ("GET", "/people/{id}/edit", Action::WriteRegistry, Target::Person, ""),
    ("POST", "/people/{id}/edit", Action::WriteRegistry, Target::Person, "version=0&code=CD-MATRIX&full_name=X&unit={unit}"),
    ("POST", "/people/{id}/active", Action::WriteRegistry, Target::Person, "version=0&active=false"),
    ("GET", "/clans?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    (
        "POST",
        "/clans/new",
        Action::WriteRegistry,
        Target::Unit,
        "code=DH-F-{unit}&name=D%C3%B2ng+h%E1%BB%8D+m%E1%BB%9Bi&unit={id}&village={id}",
    ),
    ("GET", "/clans/{id}", Action::ReadRegistry, Target::Clan, ""),
    ("GET", "/clans/{id}/edit", Action::WriteRegistry, Target::Clan, ""),
    ("POST", "/clans/{id}/edit", Action::WriteRegistry, Target::Clan, "version=0&code=DH-M&name=X&unit={unit}"),
    ("POST", "/clans/{id}/active", Action::WriteRegistry, Target::Clan, "version=0&active=false"),
    ("GET", "/api/v1/clans/{id}", Action::ReadRegistry, Target::Clan, ""),
    ("GET", "/admin/users/{id}", Action::ManageUsers, Target::User, ""),
    ("POST", "/admin/users/{id}/grants", Action::ManageUsers, Target::User, "role=auditor&unit={unit}"),
    ("POST", "/admin/users/{id}/password", Action::ManageUsers, Target::User, "password=ngan"),
    ("POST", "/admin/users/{id}/active", Action::ManageUsers, Target::User, "active=true"),
    ("POST", "/admin/users/{id}/contact", Action::ManageUsers, Target::User, "email=vanthu%40hanoi.gov.vn&unit_head=1"),
    ("POST", "/admin/users/{id}/2fa/reset", Action::ManageUsers, Target::User, ""),
    (
        "POST",
        "/admin/users",
        Action::ManageUsers,
        Target::Unit,
        "username=moi.{unit}&full_name=Ng%C6%B0%E1%BB%9Di+m%E1%BB%9Bi&password=Thidua%402026moi&unit={unit_code}",
    ),
    (
        "POST",
        "/units/{id}/institution-type",
        Action::WriteRegistry,
        Target::Unit,
        "from_year=2025&institution=primary&ownership=public&basis=Q%C4%90",
    ),
    ("POST", "/units/{id}/difficult-area", Action::ManageCriteria, Target::Ward, "year=2025&difficult=true&basis=Q%C4%90"),
    ("GET", "/units/{id}/members", Action::ReadRegistry, Target::Unit, ""),
    ("POST", "/units/{id}/members", Action::WriteRegistry, Target::Unit, "relation=member&codes=KHONG-CO"),
    ("POST", "/units/{id}/members/1/remove", Action::WriteRegistry, Target::Unit, ""),
    ("POST", "/households/{id}/consent", Action::WriteRegistry, Target::Household, "consent=true"),
    ("POST", "/people/{id}/consent", Action::WriteRegistry, Target::Person, "consent=true"),
    ("GET", "/dashboard?unit={id}&year=2026", Action::ReadRegistry, Target::Ward, ""),
    ("GET", "/dashboard/export.xlsx?unit={id}&year=2026", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/reports/review/2030?unit={id}", Action::ReadRegistry, Target::Ward, ""),
    ("GET", "/reports/review/2030/report.docx?unit={id}", Action::ReadRegistry, Target::Ward, ""),
    ("GET", "/reports/2026/{id}", Action::ReadRegistry, Target::Ward, ""),
    ("GET", "/reports/2026/{id}/annex.xlsx", Action::ReadRegistry, Target::Ward, ""),
    ("POST", "/reports/2026/{id}", Action::Report, Target::Ward, "version=0&results=K%E1%BA%BFt+qu%E1%BA%A3"),
    ("POST", "/reports/2026/{id}/step", Action::Report, Target::Ward, "version=1&step=submit"),
    ("POST", "/reports/2026/{id}/step", Action::ReviewReports, Target::Ward, "version=2&step=return&comment=B%E1%BB%95+sung"),
    ("POST", "/reports/2026/{id}/comment", Action::CommentReports, Target::Ward, "comment=G%C3%B3p+%C3%BD"),
    (
        "POST",
        "/legal-bases",
        Action::ManageLegalBases,
        Target::City,
        "number=99%2F2027%2FN%C4%90-CP&cite=Ngh%E1%BB%8B+%C4%91%E1%BB%8Bnh&from=01%2F03%2F2027&basis=%C4%90i%E1%BB%81u+1",
    ),
    ("POST", "/reports/2026/lock", Action::ReviewReports, Target::City, "locked=false"),
    ("GET", "/reports/2026/city.docx", Action::ReviewReports, Target::City, ""),
    ("GET", "/reports/2026/units.xlsx", Action::ReviewReports, Target::City, ""),
    ("GET", "/reports?year=2026", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/publications/articles/{id}", Action::Report, Target::Article, ""),
    ("GET", "/publications/articles/{id}/photo", Action::Report, Target::Article, ""),
    (
        "POST",
        "/publications/articles/{id}",
        Action::Report,
        Target::Article,
        "@version=0&kind=mo-hinh&title=M%C3%B4+h%C3%ACnh&body=Ng%E1%BA%AFn",
    ),
    ("POST", "/publications/articles/{id}/step", Action::Report, Target::Article, "version=1&step=submit"),
    ("POST", "/publications/articles/{id}/step", Action::ReviewReports, Target::Article, "version=2&step=publish"),
    ("POST", "/publications/articles", Action::Report, Target::Ward, "@unit={ward}&kind=mo-hinh&title=M%C3%B4+h%C3%ACnh&body=Ng%E1%BA%AFn"),
    (
        "POST",
        "/publications/resources",
        Action::Report,
        Target::Ward,
        "@unit={ward}&title=H%E1%BB%8Dc+li%E1%BB%87u&topic=ky-nang-song&level=moi-lua-tuoi",
    ),
    ("POST", "/publications/resources/{id}/withdraw", Action::Report, Target::Resource, "version=1"),
    ("GET", "/api/v1/units/{id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/api/v1/units/{id}/children", Action::ReadRegistry, Target::Unit, ""),
    (
        "POST",
        "/api/v1/units",
        Action::WriteRegistry,
        Target::Ward,
        "{\"code\":\"X-N-{unit}\",\"name\":\"T\u{1ed5} m\u{1edb}i\",\"kind\":\"village\",\"parent_id\":{id}}",
    ),
    ("GET", "/api/v1/households?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("POST", "/api/v1/households", Action::WriteRegistry, Target::Unit, "{\"code\":\"HGD-N-{unit}\",\"unit_id\":{id},\"head_name\":\"X\"}"),
    ("GET", "/api/v1/people?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("POST", "/api/v1/people", Action::WriteRegistry, Target::Unit, "{\"code\":\"CD-N-{unit}\",\"full_name\":\"X\",\"unit_id\":{id}}"),
    ("GET", "/api/v1/households/{id}", Action::ReadRegistry, Target::Household, ""),
    (
        "PUT",
        "/api/v1/households/{id}",
        Action::WriteRegistry,
        Target::Household,
        "{\"code\":\"HGD-M\",\"unit_id\":{unit},\"head_name\":\"X\",\"version\":0}",
    ),
    ("GET", "/api/v1/people/{id}", Action::ReadRegistry, Target::Person, ""),
    (
        "PUT",
        "/api/v1/people/{id}",
        Action::WriteRegistry,
        Target::Person,
        "{\"code\":\"CD-M\",\"full_name\":\"X\",\"unit_id\":{unit},\"version\":0}",
    ),
    (
        "PUT",
        "/api/v1/units/{id}",
        Action::WriteRegistry,
        Target::Unit,
        "{\"code\":\"X-M\",\"name\":\"X\",\"kind\":\"village\",\"parent_id\":{ward},\"version\":0}",
    ),
    ("GET", "/api/v1/clans?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/titles?year=2025&unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/titles/list?title=gia_dinh_hoc_tap&year=2025&unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/titles/template?set={set}&year=2025&unit={id}", Action::Assess, Target::Unit, ""),
    ("POST", "/titles/assess", Action::Assess, Target::Household, "set={set}&subject={id}&year=2029&stage=verified"),
    ("POST", "/titles/upload", Action::Assess, Target::Anywhere, "@set={set}&year=2029"),
    ("POST", "/api/v1/assessments/import?set={set}&year=2029&dry_run=true", Action::Assess, Target::Anywhere, "!"),
    ("GET", "/titles/assessments/{id}", Action::ReadRegistry, Target::Assessment, ""),
    ("GET", "/titles/certificates/{id}", Action::ReadRegistry, Target::Assessment, ""),
    (
        "POST",
        "/titles/decisions",
        Action::Recognise,
        Target::Unit,
        "set={set}&year=2025&title=gia_dinh_hoc_tap&number=9/QĐ-UBND&signed_on=20/01/2026&signer=X&signer_title=Y&unit={unit}",
    ),
    ("GET", "/titles/decisions/{id}", Action::ReadRegistry, Target::TitleDecision, ""),
    ("GET", "/titles/decisions/{id}/decision.docx", Action::ReadRegistry, Target::TitleDecision, ""),
    ("GET", "/titles/decisions/{id}/list.xlsx", Action::ReadRegistry, Target::TitleDecision, ""),
    ("GET", "/api/v1/decisions/{id}", Action::ReadRegistry, Target::TitleDecision, ""),
    ("GET", "/api/v1/titles/coverage?year=2025&unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/api/v1/assessments?title=gia_dinh_hoc_tap&unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("POST", "/criteria", Action::ManageCriteria, Target::City, "@"),
    ("GET", "/awards/campaigns/{campaign}", Action::ReadRegistry, Target::Anywhere, ""),
    (
        "POST",
        "/awards/campaigns",
        Action::ManageCampaigns,
        Target::City,
        "year=2031&kind=annual&code=ma-tran-2031&name=%C4%90%E1%BB%A3t+th%E1%BB%AD",
    ),
    ("POST", "/awards/campaigns/{campaign}/conference", Action::ManageCampaigns, Target::City, "version=0&conference="),
    ("POST", "/awards/campaigns/{campaign}/status", Action::ManageCampaigns, Target::City, "version=0&open=true"),
    ("POST", "/awards/campaigns/{campaign}/allocation", Action::ManageCampaigns, Target::City, "version=0&level=bang_khen_ubnd_tp&unit=*"),
    (
        "POST",
        "/awards/campaigns/{campaign}/batches",
        Action::Nominate,
        Target::Ward,
        "unit={ward_code}&level=bang_khen_ubnd_tp&number=7/TTr-UBND&summary=",
    ),
    ("GET", "/awards/batches/{id}", Action::ReadRegistry, Target::Batch, ""),
    ("GET", "/awards/batches/{id}/list.xlsx", Action::ReadRegistry, Target::Batch, ""),
    ("GET", "/awards/batches/{id}/to-trinh.docx", Action::ReadRegistry, Target::Batch, ""),
    ("GET", "/awards/batches/{id}/nominees/{nominee}/report.docx", Action::ReadRegistry, Target::Batch, ""),
    ("POST", "/awards/batches/{id}/nominees", Action::Nominate, Target::Batch, "version=1&subject_type=household&code=HGD-KHONG-CO"),
    ("POST", "/awards/batches/{id}/nominees/{nominee}", Action::Nominate, Target::Batch, "version=0&achievement=Ti%C3%AAu+bi%E1%BB%83u"),
    ("POST", "/awards/batches/{id}/nominees/{nominee}/remove", Action::Nominate, Target::Batch, "version=0"),
    ("POST", "/awards/batches/{id}/documents", Action::Nominate, Target::Batch, "@kind=to_trinh&version=0"),
    ("GET", "/awards/documents/{id}", Action::ReadRegistry, Target::Document, ""),
    ("POST", "/awards/batches/{id}/step", Action::Nominate, Target::Batch, "version=1&step=submit"),
    ("POST", "/awards/batches/{id}/step", Action::AppraiseDoet, Target::Batch, "version=1&step=doet_accept"),
    ("POST", "/awards/batches/{id}/step", Action::AppraiseDoha, Target::Batch, "version=1&step=doha_accept"),
    ("POST", "/awards/batches/{id}/step", Action::CouncilReview, Target::Batch, "version=1&step=council_recommend&comment=x"),
    ("POST", "/awards/batches/{id}/extension", Action::AppraiseDoet, Target::Batch, "due_before=01/12/2030&reason=Gia+h%E1%BA%A1n"),
    (
        "POST",
        "/awards/batches/{id}/own-decision",
        Action::AwardOwn,
        Target::Batch,
        "version=1&number=1/Q%C4%90-UBND&signed_on=02/05/2030&signer=X&signer_title=Y",
    ),
    (
        "POST",
        "/awards/campaigns/{campaign}/extension-request",
        Action::Nominate,
        Target::Ward,
        "unit={ward}&reason=Ph%C6%B0%E1%BB%9Dng+m%E1%BB%9Bi",
    ),
    ("GET", "/awards/extensions", Action::AppraiseDoet, Target::Anywhere, ""),
    ("POST", "/awards/extensions/{campaign}/{ward}", Action::AppraiseDoet, Target::Ward, "decision=decline&reason=Kh%C3%B4ng"),
    (
        "POST",
        "/awards/forward",
        Action::AppraiseDoet,
        Target::Batch,
        "pick={id}:0:{campaign}:bang_khen_ubnd_tp&number=1/TTr-SGD%C4%90T&signed_on=02/05/2030",
    ),
    (
        "POST",
        "/awards/decide",
        Action::Decide,
        Target::DecidedBatch,
        "pick={id}:0:{campaign}:bang_khen_ubnd_tp&number=1/Q%C4%90-UBND&signed_on=02/05/2030&signer=X&signer_title=Y",
    ),
    ("GET", "/awards/batches/{id}/to-trinh.docx", Action::ReadRegistry, Target::DecidedBatch, ""),
    ("GET", "/awards/batches/{id}/draft-decision.docx", Action::ReadRegistry, Target::Batch, ""),
    ("GET", "/awards/certificates/{id}", Action::ReadRegistry, Target::Awarded, ""),
    ("GET", "/awards/consolidations/{consolidation}/to-trinh.docx", Action::ReadRegistry, Target::City, ""),
    ("GET", "/awards/consolidations/{consolidation}/list.xlsx", Action::ReadRegistry, Target::City, ""),
    ("GET", "/awards/consolidations/{consolidation}/draft-decision.docx", Action::ReadRegistry, Target::City, ""),
    ("GET", "/awards/decisions/{award_decision}", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/awards/decisions/{award_decision}/decision.docx", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/awards/decisions/{award_decision}/list.xlsx", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/awards/decisions/{award_decision}/scan", Action::ReadRegistry, Target::Anywhere, ""),
    ("POST", "/awards/decisions/{award_decision}/scan", Action::Decide, Target::City, "@"),
    // The ward's own Giấy khen decision: the ward keeps its signed copy.
    ("POST", "/awards/decisions/{own_decision}/scan", Action::AwardOwn, Target::Ward, "@"),
    ("POST", "/calendar/2031", Action::ManageCalendar, Target::City, "basis=x&tet=&version="),
    ("PUT", "/api/v1/calendar/2031", Action::ManageCalendar, Target::City, "{\"verified\":false,\"basis\":\"Th\u{1eed}\",\"tet\":[]}"),
    ("GET", "/admin/mail", Action::ManageUsers, Target::City, ""),
    ("GET", "/admin/privacy", Action::ManageUsers, Target::City, ""),
    ("GET", "/admin/privacy/dossier.docx", Action::ManageUsers, Target::City, ""),
    ("GET", "/audit", Action::ReadAudit, Target::Anywhere, ""),
    ("GET", "/audit/reads", Action::ReadAudit, Target::Anywhere, ""),
    ("GET", "/audit/reads?unit={id}", Action::ReadAudit, Target::Unit, ""),
    ("GET", "/api/v1/audit", Action::ReadAudit, Target::Anywhere, ""),
    ("GET", "/import", Action::ImportRegistry, Target::Anywhere, ""),
    ("POST", "/import", Action::ImportRegistry, Target::Anywhere, "@kind=households&dry_run=on"),
    ("POST", "/api/v1/import/{kind}?dry_run=true", Action::ImportRegistry, Target::Anywhere, "!"),
    ("GET", "/admin/users", Action::ManageUsers, Target::Anywhere, ""), // Lists: the role decides whether the page opens; its rows are scoped in SQL (the leak
    // checks below read them).
    ("GET", "/search?q=a", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/households", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/people", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/households/export.xlsx", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/people/export.xlsx", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/households/export.csv", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/people/export.csv", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/clans/export.xlsx", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/audit/export.xlsx", Action::ReadAudit, Target::Anywhere, ""),
    ("GET", "/awards", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/awards/queue", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/awards/decisions", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/titles/decisions", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/titles/duplicates", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/publications", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/criteria", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/criteria/{set}", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/import/template/{kind}", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/publications/articles/new", Action::Report, Target::Anywhere, ""),
    ("GET", "/titles/assess?set={set}&subject={id}&year=2029", Action::Assess, Target::Household, ""),
    ("GET", "/clans/new", Action::WriteRegistry, Target::Anywhere, ""),
    ("GET", "/api/v1/households", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/api/v1/people", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/api/v1/clans", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/people/{id}/privacy-request", Action::WriteRegistry, Target::Person, ""),
    ("POST", "/people/{id}/privacy-request", Action::WriteRegistry, Target::Person, "kind=access&channel=desk&received_on=29%2F04%2F2030"),
    ("GET", "/privacy/requests", Action::ReadRegistry, Target::Anywhere, ""),
    ("GET", "/privacy/requests/{id}", Action::ReadRegistry, Target::SubjectRequest, ""),
    ("POST", "/privacy/requests/{id}/acknowledge", Action::WriteRegistry, Target::SubjectRequest, "version=1"),
    ("GET", "/privacy/requests/{id}/access.xlsx", Action::WriteRegistry, Target::SubjectRequest, ""),
    ("POST", "/privacy/requests/{id}/close", Action::WriteRegistry, Target::SubjectRequest, "version=2&done=false&outcome=Th%E1%BB%AD"),
    ("POST", "/privacy/requests/{id}/erase", Action::WriteRegistry, Target::SubjectRequest, "version=2"),
    ("GET", "/admin/retention", Action::ManageUsers, Target::City, ""),
    ("POST", "/admin/retention/run", Action::ManageUsers, Target::City, ""),
    ("POST", "/admin/retention/{id}/apply", Action::ManageUsers, Target::City, "version=1"),
    ("GET", "/admin/breaches", Action::ProtectData, Target::City, ""),
    (
        "POST",
        "/admin/breaches",
        Action::ProtectData,
        Target::City,
        "discovered_on=01%2F04%2F2030&discovered_at=09%3A00&description=Th%E1%BB%AD&categories=identity&affected_note=10",
    ),
    ("GET", "/admin/breaches/{id}", Action::ProtectData, Target::City, ""),
    ("POST", "/admin/breaches/{id}/notify", Action::ProtectData, Target::City, "version=1"),
];

/// A small, valid PDF: the file every upload of the matrix carries.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// The records of one side (inside or outside the matrix users' ward).
struct Ids {
    unit: i64,
    household: i64,
    person: i64,
    clan: i64,
    user: i64,
    batch: i64,
    nominee: i64,
    ward: i64,
    article: i64,
    resource: i64,
    assessment: i64,
    title_decision: i64,
    document: i64,
    decided_batch: i64,
    awarded: i64,
    consolidation: i64,
    award_decision: i64,
    own_decision: i64,
    subject_request: i64,
    campaign: i64,
    set: i64,
    unit_code: String,
    ward_code: String,
}

impl Ids {
    /// The id a route's `{id}` stands for (0 for targets named by other placeholders).
    fn of(&self, t: Target) -> i64 {
        match t {
            Target::Unit => self.unit,
            Target::Household => self.household,
            Target::Person => self.person,
            Target::Clan => self.clan,
            Target::User => self.user,
            Target::Batch => self.batch,
            Target::Ward => self.ward,
            Target::Article => self.article,
            Target::Resource => self.resource,
            Target::Assessment => self.assessment,
            Target::TitleDecision => self.title_decision,
            Target::Document => self.document,
            Target::DecidedBatch => self.decided_batch,
            Target::Awarded => self.awarded,
            Target::SubjectRequest => self.subject_request,
            Target::Anywhere | Target::City => 0,
        }
    }

    /// The route's path or body with this side's records in place of the placeholders.
    fn fill(&self, template: &str, target: Target) -> String {
        let pairs: [(&str, String); 14] = [
            ("{id}", self.of(target).to_string()),
            ("{kind}", "households".to_string()),
            ("{unit}", self.unit.to_string()),
            ("{ward}", self.ward.to_string()),
            ("{ward_code}", self.ward_code.clone()),
            ("{unit_code}", self.unit_code.clone()),
            ("{set}", self.set.to_string()),
            ("{batch}", self.batch.to_string()),
            ("{nominee}", self.nominee.to_string()),
            ("{campaign}", self.campaign.to_string()),
            ("{consolidation}", self.consolidation.to_string()),
            ("{award_decision}", self.award_decision.to_string()),
            ("{own_decision}", self.own_decision.to_string()),
            ("{decided_batch}", self.decided_batch.to_string()),
        ];
        pairs.iter().fold(template.to_string(), |s, (k, v)| s.replace(k, v))
    }
}

/// 1 May 2030, 09:00 in Hanoi.
const MAY_2030: time::OffsetDateTime = time::macros::datetime!(2030-05-01 02:00 UTC);

async fn ids(app: &thidua_app::App, village: &str) -> Ids {
    use thidua_app::commendation::{DecisionInput, ForwardInput, NewBatch, NewNominee, StepInput};
    use thidua_app::titles::{DecisionForm, SheetTarget};
    use thidua_domain::commendation::eligibility::DocKind;
    use thidua_domain::commendation::workflow::Step;
    let admin = crate::support::actor(app, "admin").await;
    let unit = unit_id(app, village).await;
    let household = app.households(&admin, Some(unit), None, PageRequest::new(1, 1)).await.expect("q").items[0].id;
    let person = app.people(&admin, Some(unit), None, None, PersonSort::Name, PageRequest::new(1, 1)).await.expect("q").items[0].id;
    let form = thidua_app::subject_requests::RequestForm {
        person_id: person,
        kind: "deletion".into(),
        channel: "desk".into(),
        received_on: "28/04/2030".into(),
        detail: String::new(),
    };
    let subject_request = app.register_subject_request(&admin, form).await.expect("request");
    // A clan whose home is this village, so that its scope is the village's.
    let clan = app
        .create_clan(
            &admin,
            thidua_app::ports::ClanInput {
                code: format!("DH-{village}"),
                name: format!("Dòng họ thử {village}"),
                unit_id: unit,
                representative_name: None,
                villages: vec![unit],
            },
        )
        .await
        .expect("clan");
    let user = app
        .create_user(None, &format!("nguoi.{}", village.to_lowercase()), "Người dùng thử", crate::support::PASSWORD, unit)
        .await
        .expect("user");
    let snap = app.snapshot().await.expect("tree");
    let ward = snap.units[&unit].parent_id.expect("the village's ward");
    let (unit_code, ward_code) = (snap.units[&unit].code.clone(), snap.units[&ward].code.clone());
    // The village's households assessed for 2029 and recognised by the ward.
    let set = crate::titles::household_set(app).await;
    let table = crate::titles::sheet(app, set, unit, 0).await;
    let target = SheetTarget { criteria_set: set, year: 2029, stage: thidua_domain::titles::Stage::Verified };
    app.import_assessments(&admin, target, &table, &crate::titles::file(), false).await.expect("assessments");
    let form = DecisionForm {
        criteria_set: set,
        year: 2029,
        issuing_unit: ward,
        number: format!("3/QĐ-{ward_code}"),
        signed_on: time::macros::date!(2030 - 01 - 15),
        signer: "Vũ Văn Hùng".into(),
        signer_title: "Chủ tịch".into(),
        only: None,
    };
    let title_decision = app.issue_decision(&admin, form).await.expect("decision");
    let assessment = app.decision(&admin, title_decision).await.expect("decision").items[0].record.id;
    let campaign =
        app.campaigns(&admin).await.expect("campaigns").into_iter().find(|c| c.row.code == "tong-ket-2030").expect("2030").row.id;
    let version = |id: i64| async move { app.store().batch(id).await.expect("q").expect("batch").version };
    // A dossier of the ward for the final review, with its files and one recognised household.
    let dossier_at = |level: &'static str, number: String, code: String| {
        let admin = admin.clone();
        async move {
            let input = NewBatch { campaign_id: campaign, level: level.into(), proposer_unit: ward, number, summary: String::new() };
            let batch = app.create_batch(&admin, input).await.expect("batch");
            let mut document = 0;
            for kind in [DocKind::ToTrinh, DocKind::BienBan] {
                document = app.upload_document(&admin, batch, version(batch).await, None, kind, "to-trinh.pdf", PDF).await.expect("upload");
            }
            let nominee = NewNominee {
                subject_type: "household".into(),
                code,
                position: String::new(),
                achievement: "Gia đình nhiều năm liền học tập tốt.".into(),
                cites_initiative: false,
                external: None,
            };
            let nominee = app.add_nominee(&admin, batch, version(batch).await, nominee).await.expect("nominee");
            let kind = DocKind::BaoCaoThanhTich;
            app.upload_document(&admin, batch, version(batch).await, Some(nominee), kind, "bao-cao.pdf", PDF).await.expect("report");
            (batch, nominee, document)
        }
    };
    let dossier = |number: String, code: String| dossier_at("bang_khen_ubnd_tp", number, code);
    let (batch, nominee, document) = dossier(format!("1/TTr-{ward_code}"), table.rows[0][1].clone()).await;
    // A second one taken to the Chairman's decision.
    let (decided_batch, awarded, _) = dossier(format!("2/TTr-{ward_code}"), table.rows[1][1].clone()).await;
    // A Giấy khen the ward's own Chairman decided.
    let (own_batch, _, _) = dossier_at("giay_khen", format!("3/TTr-{ward_code}"), table.rows[2][1].clone()).await;
    let own = thidua_app::commendation::OwnDecisionInput {
        batch_id: own_batch,
        version: version(own_batch).await,
        number: format!("5/QĐ-{ward_code}"),
        signed_on: time::macros::date!(2030 - 04 - 28),
        signer: "Vũ Văn Hùng".into(),
        signer_title: "Chủ tịch UBND phường".into(),
        refused: vec![],
    };
    let own_decision = app.decide_own(&admin, own).await.expect("the ward's own decision");
    let step = |s: Step, comment: &str| {
        let (admin, comment) = (admin.clone(), comment.to_string());
        async move {
            let input = StepInput { comment, ..StepInput::default() };
            app.take_step(&admin, decided_batch, version(decided_batch).await, s, input).await.expect("step");
        }
    };
    step(Step::Submit, "").await;
    step(Step::DoetAccept, "").await;
    let forward = ForwardInput {
        campaign_id: campaign,
        level: "bang_khen_ubnd_tp".into(),
        batches: vec![(decided_batch, version(decided_batch).await)],
        number: format!("9/TTr-SGDĐT-{ward_code}"),
        signed_on: time::macros::date!(2030 - 04 - 20),
    };
    let consolidation = app.forward(&admin, forward).await.expect("forward");
    step(Step::DohaAccept, "").await;
    let decision = DecisionInput {
        campaign_id: campaign,
        level: "bang_khen_ubnd_tp".into(),
        batches: vec![(decided_batch, version(decided_batch).await)],
        number: format!("44/QĐ-UBND-{ward_code}"),
        signed_on: time::macros::date!(2030 - 04 - 28),
        signer: "Trần Sỹ Thanh".into(),
        signer_title: "Chủ tịch".into(),
        refused: vec![],
    };
    let award_decision = app.record_decision(&admin, decision).await.expect("decided").expect("a decision");
    app.upload_decision_scan(&admin, award_decision, PDF).await.expect("scan");
    use thidua_domain::publications::{ArticleKind, ArticleText, ResourceText};
    let text = ArticleText {
        title: format!("Mô hình thử {village}"),
        body: "Nội dung bài viết thử về mô hình học tập của tổ dân phố, đủ dài để được nhận: một trăm ký tự trở lên là điều kiện.".into(),
        ..ArticleText::default()
    };
    let input = thidua_app::publications::ArticleInput { unit: ward, kind: ArticleKind::Model, text };
    let article = app.save_article(&admin, 0, 0, &input, Some(&crate::support::png(8, 8))).await.expect("article");
    let link = ResourceText {
        title: format!("Học liệu thử {village}"),
        topic: "ky-nang-song".into(),
        level: "moi-lua-tuoi".into(),
        url: "https://hanoi.edu.vn/hoc-lieu".into(),
        ..ResourceText::default()
    };
    let resource = app.add_resource(&admin, ward, &link, None).await.expect("resource");
    Ids {
        unit,
        household,
        person,
        clan,
        user,
        batch,
        nominee,
        ward,
        article,
        resource,
        assessment,
        title_decision,
        document,
        decided_batch,
        awarded,
        consolidation,
        award_decision,
        own_decision,
        subject_request,
        campaign,
        set,
        unit_code,
        ward_code,
    }
}

/// Sends one route. `body_fails` sends an upload whose body breaks after its first bytes: a
/// route that reads the file before deciding permission answers that error, not 403.
async fn request(c: &mut Client, method: &str, path: &str, body: &str, body_fails: bool) -> StatusCode {
    let mut b = Request::builder().method(method).uri(path);
    let bytes: Vec<u8> = if method == "GET" {
        Vec::new()
    } else if let Some(fields) = body.strip_prefix('@') {
        let boundary = "matrixBOUNDARY7MA4YWxk";
        b = b.header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
        let mut out = Vec::new();
        let csrf = format!("_csrf={}", c.csrf);
        for pair in fields.split('&').filter(|p| !p.is_empty()).chain([csrf.as_str()]) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={v}")).expect("field")[0].1.clone();
            out.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
        }
        out.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tep.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        out.extend(PDF);
        out.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        out
    } else if body.starts_with('!') {
        b = b.header(header::CONTENT_TYPE, "application/octet-stream").header("x-csrf-token", c.csrf.clone());
        PDF.to_vec()
    } else if path.starts_with("/api/") {
        b = b.header(header::CONTENT_TYPE, "application/json").header("x-csrf-token", c.csrf.clone());
        body.as_bytes().to_vec()
    } else {
        b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        format!("{body}&_csrf={}", c.csrf).into_bytes()
    };
    let body = if body_fails && !bytes.is_empty() {
        let head = axum::body::Bytes::copy_from_slice(&bytes[..bytes.len().min(16)]);
        let broken = std::io::Error::other("the matrix breaks this body: it must not be read before permission is decided");
        Body::from_stream(futures_util::stream::iter([Ok(head), Err(broken)]))
    } else {
        Body::from(bytes)
    };
    c.send(b.body(body).expect("request")).await.status
}

#[tokio::test]
async fn every_route_answers_every_role_inside_and_outside_its_scope() {
    for engine in crate::support::engines() {
        every_route_on(engine).await;
    }
}

/// A user the matrix signs in as: the role, held over the ward or the city, directly or by
/// delegation.
struct Subject {
    role: Role,
    username: String,
    city: bool,
}

/// The users the matrix signs in as, for a role held over `unit`: one holding it, and one to
/// whom a colleague of the same office delegated it (a delegated grant must open exactly what the
/// grant opens). Administration is never delegated.
async fn holders_of(app: &thidua_app::App, role: Role, unit: i64, city: bool) -> Vec<Subject> {
    let at = if city { "tp" } else { "phuong" };
    let username = format!("matrix_{at}_{}", role.code());
    let id = app.create_user(None, &username, "Người kiểm thử", crate::support::PASSWORD, unit).await.expect("user");
    app.grant(None, id, role, unit, true).await.expect("grant");
    let mut out = vec![Subject { role, username, city }];
    if role == Role::SystemAdmin {
        return out;
    }
    let deputy = format!("matrix_{at}_{}_pho", role.code());
    app.create_user(None, &deputy, "Cấp phó kiểm thử", crate::support::PASSWORD, unit).await.expect("deputy");
    let holder = app.actor(id).await.expect("actor");
    app.delegate(&holder, &deputy, 0, MAY_2030 - time::Duration::minutes(1), MAY_2030 + time::Duration::days(30)).await.expect("delegated");
    out.push(Subject { role, username: deputy, city });
    out
}

async fn every_route_on(engine: Engine) {
    let (app, _db, _clock) = crate::support::demo_app_at(engine, MAY_2030).await;
    let ward = unit_id(&app, "P-BADINH").await;
    let city = app.snapshot().await.expect("tree").roots()[0];
    let inside = ids(&app, "BD-TDP01").await;
    let outside = ids(&app, "CG-TDP01").await;
    // The route table says who may call each route: it must agree with the cases below, and
    // every route that is not public must turn away a caller who is not signed in.
    let mut failures = crate::routes::table_and_matrix_agree();
    failures.extend(crate::routes::anonymous_callers_on(app.clone()).await);
    let mut checked = 0;
    let mut subjects = Vec::new();
    for role in Role::ALL {
        subjects.extend(holders_of(&app, role, ward, false).await);
        subjects.extend(holders_of(&app, role, city, true).await);
    }
    for Subject { role, username, city } in subjects {
        let mut c = Client::new(app.clone());
        c.login(&username).await;
        for (method, template, action, target, body) in ROUTES {
            for (scope, ids) in [("inside", &inside), ("outside", &outside)] {
                let path = ids.fill(template, *target);
                let allowed = role.allows(*action) && reaches(*target, city, scope == "inside");
                // Who may not upload must be refused before the file is read: the upload breaks
                // if read, except where the record is named in the form itself (it must be read
                // to know). A small form carries its CSRF token, so it is always read.
                let upload = body.starts_with(['@', '!']);
                let named_in_body = !template.contains("{id}") && !matches!(target, Target::City | Target::Anywhere);
                let body_fails = upload && !allowed && (!role.allows(*action) || !named_in_body);
                let status = request(&mut c, method, &path, &ids.fill(body, *target), body_fails).await;
                let ok =
                    if allowed { status != StatusCode::FORBIDDEN && !status.is_server_error() } else { status == StatusCode::FORBIDDEN };
                checked += 1;
                if !ok {
                    failures.push(format!(
                        "{engine:?} {username} ({role:?}) {method} {path} ({scope}): {status}, expected {}",
                        if allowed { "allowed" } else { "403" }
                    ));
                }
            }
        }
        if !city {
            // Lists without a unit filter never show what is outside the scope.
            let admin = crate::support::actor(&app, "admin").await;
            let other = app.household(&admin, outside.household).await.expect("h");
            let link = format!("/households/{}\"", other.id);
            for path in [
                "/households",
                "/people?q=a",
                &format!("/search?q={}", other.code),
                &format!("/search?q={}", serde_urlencoded::to_string([("", &other.head_name)]).unwrap_or_default().trim_start_matches('=')),
            ] {
                let r = c.get(path).await;
                checked += 1;
                if r.text().contains(&link) {
                    failures.push(format!("{role:?} GET {path} leaked household {}", other.code));
                }
            }
            for path in ["/api/v1/households?per_page=500", &format!("/api/v1/households?q={}", other.code)] {
                let r = c.get(path).await;
                checked += 1;
                if r.text().contains(&other.code) {
                    failures.push(format!("{role:?} GET {path} leaked {}", other.code));
                }
            }
        }
        let status = c.get("/calendar?year=2031").await.status;
        checked += 1;
        if status != StatusCode::OK {
            failures.push(format!("{role:?} GET /calendar: {status}"));
        }
        // Import into a village inside and outside the scope: the rows decide.
        for (scope, code) in [("inside", "BD-TDP01"), ("outside", "CG-TDP01")] {
            let csv = format!("Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ\nHGD-MTX-{},{code},Phan Văn Thử\n", role.code().to_uppercase());
            let req = Request::post("/api/v1/import/households?dry_run=true")
                .header("x-csrf-token", c.csrf.clone())
                .body(Body::from(csv))
                .expect("req");
            let status = c.send(req).await.status;
            checked += 1;
            let allowed = role.allows(Action::ImportRegistry) && (city || scope == "inside");
            let expected_denial =
                if role.allows(Action::ImportRegistry) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::FORBIDDEN };
            if (allowed && status != StatusCode::OK) || (!allowed && status != expected_denial) {
                failures.push(format!("{role:?} {username} import {scope}: {status}"));
            }
        }
    }
    assert!(checked > 2000, "only {checked} cases");
    assert!(failures.is_empty(), "{} of {checked} cases wrong:\n{}", failures.len(), failures.join("\n"));
}
