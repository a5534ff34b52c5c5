//! The authorization matrix: every route that touches a record × every role × a target inside
//! and outside the user's scope. The expected answer is computed from the role table in the
//! domain (`Role::allows`), so the matrix and the rules cannot drift apart.

use crate::support::{Client, Engine, unit_id};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use thidua_app::ports::{PageRequest, PersonSort};
use thidua_domain::access::{Action, Role};

/// The record a route acts on.
#[derive(Clone, Copy, Debug)]
enum Target {
    Unit,
    Household,
    Person,
    Clan,
    User,
    /// A commendation dossier proposed by the village's ward.
    Batch,
    /// The village's ward (a reporting body).
    Ward,
    /// An article the ward wrote (a draft).
    Article,
    /// A learning resource the ward shared.
    Resource,
}

/// (method, path with {id}, action the route needs, what {id} is, form body)
const ROUTES: &[(&str, &str, Action, Target, &str)] = &[
    ("GET", "/units/{id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/units/{id}/history", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/units/{id}/export.xlsx", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/units/{id}/edit", Action::WriteRegistry, Target::Unit, ""),
    ("POST", "/units/{id}/edit", Action::WriteRegistry, Target::Unit, "version=0&code=X&name=X&kind=village"),
    ("GET", "/units/{id}/new", Action::WriteRegistry, Target::Unit, ""),
    ("POST", "/units/{id}/active", Action::WriteRegistry, Target::Unit, "version=0&active=false"),
    ("GET", "/households?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/households/new?unit={id}", Action::WriteRegistry, Target::Unit, ""),
    ("GET", "/people?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/people/new?unit={id}", Action::WriteRegistry, Target::Unit, ""),
    ("GET", "/households/{id}", Action::ReadRegistry, Target::Household, ""),
    ("GET", "/households/{id}/edit", Action::WriteRegistry, Target::Household, ""),
    ("POST", "/households/{id}/edit", Action::WriteRegistry, Target::Household, "version=0&code=HGD-MATRIX&head_name=X"),
    ("POST", "/households/{id}/active", Action::WriteRegistry, Target::Household, "version=0&active=false"),
    ("GET", "/people/{id}", Action::ReadRegistry, Target::Person, ""),
    ("GET", "/people/{id}/edit", Action::WriteRegistry, Target::Person, ""),
    ("POST", "/people/{id}/edit", Action::WriteRegistry, Target::Person, "version=0&code=CD-MATRIX&full_name=X"),
    ("POST", "/people/{id}/active", Action::WriteRegistry, Target::Person, "version=0&active=false"),
    ("GET", "/clans?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/clans/{id}", Action::ReadRegistry, Target::Clan, ""),
    ("GET", "/clans/{id}/edit", Action::WriteRegistry, Target::Clan, ""),
    ("POST", "/clans/{id}/edit", Action::WriteRegistry, Target::Clan, "version=0&code=DH-M&name=X"),
    ("POST", "/clans/{id}/active", Action::WriteRegistry, Target::Clan, "version=0&active=false"),
    ("GET", "/api/v1/clans/{id}", Action::ReadRegistry, Target::Clan, ""),
    ("GET", "/admin/users/{id}", Action::ManageUsers, Target::User, ""),
    ("POST", "/admin/users/{id}/grants", Action::ManageUsers, Target::User, "role=auditor"),
    ("POST", "/admin/users/{id}/password", Action::ManageUsers, Target::User, "password=ngan"),
    ("POST", "/admin/users/{id}/active", Action::ManageUsers, Target::User, "active=true"),
    ("POST", "/households/{id}/consent", Action::WriteRegistry, Target::Household, "consent=true"),
    ("POST", "/people/{id}/consent", Action::WriteRegistry, Target::Person, "consent=true"),
    ("GET", "/dashboard?unit={id}&year=2026", Action::ReadRegistry, Target::Ward, ""),
    ("GET", "/dashboard/export.xlsx?unit={id}&year=2026", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/reports/review/2030?unit={id}", Action::ReadRegistry, Target::Ward, ""),
    ("GET", "/reports/2026/{id}", Action::ReadRegistry, Target::Ward, ""),
    ("GET", "/reports/2026/{id}/annex.xlsx", Action::ReadRegistry, Target::Ward, ""),
    ("POST", "/reports/2026/{id}", Action::Report, Target::Ward, "version=0&results=K%E1%BA%BFt+qu%E1%BA%A3"),
    ("POST", "/reports/2026/{id}/step", Action::Report, Target::Ward, "version=1&step=submit"),
    ("POST", "/reports/2026/{id}/step", Action::ReviewReports, Target::Ward, "version=2&step=return&comment=B%E1%BB%95+sung"),
    ("GET", "/publications/articles/{id}", Action::Report, Target::Article, ""),
    ("GET", "/publications/articles/{id}/photo", Action::Report, Target::Article, ""),
    ("POST", "/publications/articles/{id}/step", Action::Report, Target::Article, "version=1&step=submit"),
    ("POST", "/publications/articles/{id}/step", Action::ReviewReports, Target::Article, "version=2&step=publish"),
    ("POST", "/publications/resources/{id}/withdraw", Action::Report, Target::Resource, "version=1"),
    ("POST", "/admin/users/{id}/contact", Action::ManageUsers, Target::User, "email=vanthu%40hanoi.gov.vn&unit_head=1"),
    ("GET", "/api/v1/units/{id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/api/v1/units/{id}/children", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/api/v1/households?unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/api/v1/people?unit={id}", Action::ReadRegistry, Target::Unit, ""),
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
    ("GET", "/titles?year=2025&unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/titles/list?title=gia_dinh_hoc_tap&year=2025&unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/titles/template?set={set}&year=2025&unit={id}", Action::Assess, Target::Unit, ""),
    (
        "POST",
        "/titles/decisions",
        Action::Recognise,
        Target::Unit,
        "set={set}&year=2025&title=gia_dinh_hoc_tap&number=9/QĐ-UBND&signed_on=20/01/2026&signer=X&signer_title=Y",
    ),
    ("GET", "/api/v1/titles/coverage?year=2025&unit={id}", Action::ReadRegistry, Target::Unit, ""),
    ("GET", "/awards/batches/{id}", Action::ReadRegistry, Target::Batch, ""),
    ("POST", "/awards/batches/{id}/nominees", Action::Nominate, Target::Batch, "version=1&subject_type=household&code=HGD-KHONG-CO"),
    ("POST", "/awards/batches/{id}/step", Action::Nominate, Target::Batch, "version=1&step=submit"),
    ("POST", "/awards/batches/{id}/step", Action::AppraiseDoet, Target::Batch, "version=1&step=doet_accept"),
    ("POST", "/awards/batches/{id}/step", Action::AppraiseDoha, Target::Batch, "version=1&step=doha_accept"),
    ("POST", "/awards/batches/{id}/step", Action::CouncilReview, Target::Batch, "version=1&step=council_recommend&comment=x"),
    ("GET", "/api/v1/assessments?title=gia_dinh_hoc_tap&unit={id}", Action::ReadRegistry, Target::Unit, ""),
];

struct Ids {
    unit: i64,
    household: i64,
    person: i64,
    clan: i64,
    user: i64,
    batch: i64,
    ward: i64,
    article: i64,
    resource: i64,
}

impl Ids {
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
        }
    }
}

async fn ids(app: &thidua_app::App, village: &str) -> Ids {
    let admin = crate::support::actor(app, "admin").await;
    let unit = unit_id(app, village).await;
    let household = app.households(&admin, Some(unit), None, PageRequest::new(1, 1)).await.expect("q").items[0].id;
    let person = app.people(&admin, Some(unit), None, None, PersonSort::Name, PageRequest::new(1, 1)).await.expect("q").items[0].id;
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
    let ward = app.snapshot().await.expect("tree").units[&unit].parent_id.expect("the village's ward");
    let campaign =
        app.campaigns(&admin).await.expect("campaigns").into_iter().find(|c| c.row.code == "hang-nam-2027").expect("2027").row.id;
    let batch = app
        .create_batch(
            &admin,
            thidua_app::commendation::NewBatch {
                campaign_id: campaign,
                level: "bang_khen_ubnd_tp".into(),
                proposer_unit: ward,
                number: format!("1/TTr-{village}"),
                summary: String::new(),
            },
        )
        .await
        .expect("batch");
    use thidua_domain::publications::{ArticleKind, ArticleText, ResourceText};
    let text = ArticleText {
        title: format!("Mô hình thử {village}"),
        body: "Nội dung bài viết thử về mô hình học tập của tổ dân phố, đủ dài để được nhận: một trăm ký tự trở lên là điều kiện.".into(),
        ..ArticleText::default()
    };
    let input = thidua_app::publications::ArticleInput { unit: ward, kind: ArticleKind::Model, text };
    let article = app.save_article(&admin, 0, 0, &input, None).await.expect("article");
    let link = ResourceText {
        title: format!("Học liệu thử {village}"),
        topic: "ky-nang-song".into(),
        level: "moi-lua-tuoi".into(),
        url: "https://hanoi.edu.vn/hoc-lieu".into(),
        ..ResourceText::default()
    };
    let resource = app.add_resource(&admin, ward, &link, None).await.expect("resource");
    Ids { unit, household, person, clan, user, batch, ward, article, resource }
}

async fn request(c: &mut Client, method: &str, path: &str, body: &str, unit: i64, set: i64) -> StatusCode {
    let (path, body) = (path.replace("{set}", &set.to_string()), body.replace("{set}", &set.to_string()));
    let (path, body) = (path.as_str(), body.as_str());
    let api = path.starts_with("/api/");
    let mut b = Request::builder().method(method).uri(path);
    let body = if method == "GET" {
        String::new()
    } else if api {
        b = b.header(header::CONTENT_TYPE, "application/json").header("x-csrf-token", c.csrf.clone());
        body.replace("{unit}", &unit.to_string())
    } else {
        b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        format!("{body}&unit={unit}&_csrf={}", c.csrf)
    };
    c.send(b.body(Body::from(body)).expect("request")).await.status
}

#[tokio::test]
async fn every_route_answers_every_role_inside_and_outside_its_scope() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    let ward = unit_id(&app, "P-BADINH").await;
    let inside = ids(&app, "BD-TDP01").await;
    let outside = ids(&app, "CG-TDP01").await;
    let set = app.sets_for_year(2025).await.expect("sets").into_iter().find(|s| s.title == "gia_dinh_hoc_tap").expect("household set").id;
    let mut failures = Vec::new();
    let mut checked = 0;
    for role in Role::ALL {
        let username = format!("matrix_{}", role.code());
        let id = app.create_user(None, &username, "Người kiểm thử", crate::support::PASSWORD, ward).await.expect("user");
        app.grant(None, id, role, ward, true).await.expect("grant");
        let mut c = Client::new(app.clone());
        c.login(&username).await;
        for (method, template, action, target, body) in ROUTES {
            for (scope, ids) in [("inside", &inside), ("outside", &outside)] {
                let path = template.replace("{id}", &ids.of(*target).to_string());
                let status = request(&mut c, method, &path, body, ids.unit, set).await;
                let allowed = role.allows(*action) && scope == "inside";
                let ok =
                    if allowed { status != StatusCode::FORBIDDEN && !status.is_server_error() } else { status == StatusCode::FORBIDDEN };
                checked += 1;
                if !ok {
                    failures.push(format!(
                        "{role:?} {method} {path} ({scope}): {status}, expected {}",
                        if allowed { "allowed" } else { "403" }
                    ));
                }
            }
        }
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
        // The audit log and the import page.
        for (path, action) in [
            ("/audit", Action::ReadAudit),
            ("/api/v1/audit", Action::ReadAudit),
            ("/import", Action::ImportRegistry),
            ("/admin/users", Action::ManageUsers),
            ("/reports?year=2026", Action::ReadRegistry),
        ] {
            let status = c.get(path).await.status;
            checked += 1;
            let allowed = role.allows(action);
            if allowed != (status == StatusCode::OK) || (!allowed && status != StatusCode::FORBIDDEN) {
                failures.push(format!("{role:?} GET {path}: {status}, allowed = {allowed}"));
            }
        }
        // City-wide settings need a grant at the city: a ward-scoped grant never edits them, and
        // every officer reads the working-day calendar.
        let r = c.post_form("/calendar/2031", &[("basis", "x"), ("tet", ""), ("version", "")]).await;
        checked += 1;
        if r.status != StatusCode::FORBIDDEN {
            failures.push(format!("{role:?} POST /calendar/2031 with a ward-scoped grant: {}", r.status));
        }
        for path in ["/reports/2026/city.docx", "/reports/2026/units.xlsx"] {
            let status = c.get(path).await.status;
            checked += 1;
            if status != StatusCode::FORBIDDEN {
                failures.push(format!("{role:?} GET {path} (DOET's city report) with a ward-scoped grant: {status}"));
            }
        }
        let status = c.get("/admin/mail").await.status;
        checked += 1;
        if status != StatusCode::FORBIDDEN {
            failures.push(format!("{role:?} GET /admin/mail (the city's outbox) with a ward-scoped grant: {status}"));
        }
        let status = c.get("/calendar?year=2031").await.status;
        checked += 1;
        if status != StatusCode::OK {
            failures.push(format!("{role:?} GET /calendar: {status}"));
        }
        // Import into a village inside and outside the scope.
        for (scope, code) in [("inside", "BD-TDP01"), ("outside", "CG-TDP01")] {
            let csv = format!("Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ\nHGD-MTX-{},{code},Phan Văn Thử\n", role.code().to_uppercase());
            let req = Request::post("/api/v1/import/households?dry_run=true")
                .header("x-csrf-token", c.csrf.clone())
                .body(Body::from(csv))
                .expect("req");
            let status = c.send(req).await.status;
            checked += 1;
            let allowed = role.allows(Action::ImportRegistry) && scope == "inside";
            let expected_denial =
                if role.allows(Action::ImportRegistry) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::FORBIDDEN };
            if (allowed && status != StatusCode::OK) || (!allowed && status != expected_denial) {
                failures.push(format!("{role:?} import {scope}: {status}"));
            }
        }
    }
    assert!(checked > 400, "only {checked} cases");
    assert!(failures.is_empty(), "{} of {checked} cases wrong:\n{}", failures.len(), failures.join("\n"));
}
