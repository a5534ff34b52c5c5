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
    ("POST", "/awards/batches/{id}/extension", Action::AppraiseDoet, Target::Batch, "due_before=01/12/2030&reason=Gia+h%E1%BA%A1n"),
    (
        "PUT",
        "/api/v1/units/{id}",
        Action::WriteRegistry,
        Target::Unit,
        "{\"code\":\"X-M\",\"name\":\"X\",\"kind\":\"village\",\"parent_id\":{unit},\"version\":0}",
    ),
    ("GET", "/api/v1/clans?unit={id}", Action::ReadRegistry, Target::Unit, ""),
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
    for engine in crate::support::engines() {
        every_route_on(engine).await;
    }
}

/// The users the matrix signs in as, for a role held over the ward: one holding it, and one
/// to whom a colleague of the ward's office delegated it (a delegated grant must open exactly
/// what the grant opens). Administration is never delegated.
async fn holders_of(app: &thidua_app::App, role: Role, ward: i64) -> Vec<String> {
    let username = format!("matrix_{}", role.code());
    let id = app.create_user(None, &username, "Người kiểm thử", crate::support::PASSWORD, ward).await.expect("user");
    app.grant(None, id, role, ward, true).await.expect("grant");
    if role == Role::SystemAdmin {
        return vec![username];
    }
    let deputy = format!("matrix_{}_pho", role.code());
    app.create_user(None, &deputy, "Cấp phó kiểm thử", crate::support::PASSWORD, ward).await.expect("deputy");
    let holder = app.actor(id).await.expect("actor");
    let now = time::OffsetDateTime::now_utc();
    app.delegate(&holder, &deputy, 0, now - time::Duration::minutes(1), now + time::Duration::days(30)).await.expect("delegated");
    vec![username, deputy]
}

async fn every_route_on(engine: Engine) {
    let (app, _db) = crate::support::demo_app(engine).await;
    let ward = unit_id(&app, "P-BADINH").await;
    let inside = ids(&app, "BD-TDP01").await;
    let outside = ids(&app, "CG-TDP01").await;
    let set = app.sets_for_year(2025).await.expect("sets").into_iter().find(|s| s.title == "gia_dinh_hoc_tap").expect("household set").id;
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut subjects = Vec::new();
    for role in Role::ALL {
        for username in holders_of(&app, role, ward).await {
            subjects.push((role, username));
        }
    }
    for (role, username) in subjects {
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
                        "{engine:?} {username} ({role:?}) {method} {path} ({scope}): {status}, expected {}",
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
    assert!(checked > 800, "only {checked} cases");
    assert!(failures.is_empty(), "{} of {checked} cases wrong:\n{}", failures.len(), failures.join("\n"));
}

/// The router's own source: every `.route(PATH, METHOD(…)…)` line of the pages and the API.
const ROUTER_SOURCES: [&str; 2] = [include_str!("../../../web/src/lib.rs"), include_str!("../../../web/src/api/mod.rs")];

/// `/reports/{year}/{unit}` and `/reports/2026/{id}?x=1` alike as `/reports/*/*`.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|seg| if seg.starts_with('{') || (!seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit())) { "*" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// (METHOD, path) of every route the router declares.
fn router_routes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for src in ROUTER_SOURCES {
        for line in src.lines() {
            let Some(at) = line.find(".route(\"") else { continue };
            let rest = &line[at + 8..];
            let Some(end) = rest.find('"') else { continue };
            let (path, calls) = (&rest[..end], &rest[end..]);
            for method in ["get", "post", "put", "delete", "patch"] {
                let needle = format!("{method}(");
                let mut from = 0;
                while let Some(i) = calls[from..].find(&needle) {
                    let start = from + i;
                    let before = calls[..start].chars().last().unwrap_or(' ');
                    if !(before.is_alphanumeric() || before == '_') {
                        out.push((method.to_uppercase(), path.to_string()));
                    }
                    from = start + needle.len();
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_route_of_the_router_is_in_the_matrix_or_says_why_not() {
    let routes = router_routes();
    assert!(routes.len() > 100, "the router's routes were read: {}", routes.len());
    let in_matrix: std::collections::HashSet<(String, String)> = ROUTES.iter().map(|(m, p, ..)| (m.to_string(), shape(p))).collect();
    let mut missing = Vec::new();
    for (method, path) in &routes {
        let key = (method.clone(), shape(path));
        let explained = OUTSIDE_MATRIX.iter().any(|(m, p, _)| *m == method && shape(p) == key.1);
        if !in_matrix.contains(&key) && !explained {
            missing.push(format!("{method} {path}"));
        }
    }
    assert!(missing.is_empty(), "routes neither in the matrix nor explained:\n{}", missing.join("\n"));
    for (m, p, _) in OUTSIDE_MATRIX {
        assert!(!in_matrix.contains(&(m.to_string(), shape(p))), "{m} {p} is in the matrix now: take it off OUTSIDE_MATRIX");
        assert!(routes.iter().any(|(rm, rp)| rm == m && shape(rp) == shape(p)), "{m} {p} is no longer a route");
    }
}

/// Routes the matrix does not drive, each with the reason.
const OUTSIDE_MATRIX: &[(&str, &str, &str)] = &[
    ("GET", "/", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/login", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/lang/{lang}", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/healthz", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/readyz", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/static/app.css", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/vinh-danh", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/du-lieu-mo", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/du-lieu-mo/danh-hieu.csv", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/du-lieu-mo/danh-hieu.json", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/tin-tuc.atom", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/xep-hang", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/guong-dien-hinh", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/guong-dien-hinh/{id}", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/guong-dien-hinh/{id}/anh", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/hoc-lieu", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/hoc-lieu/{id}/tep", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/xac-minh/{code}", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("GET", "/api/openapi.json", "công khai: không cần đăng nhập, chỉ đọc dữ liệu đã công bố"),
    ("POST", "/login", "đăng nhập"),
    ("POST", "/logout", "kết thúc phiên của chính mình"),
    ("GET", "/metrics", "bộ thu Prometheus (mã riêng hoặc loopback), web::health_readiness_and_metrics…"),
    ("GET", "/account", "tài khoản của chính người đăng nhập (hardening::delegation…, api_tokens…)"),
    ("POST", "/account/password", "tài khoản của chính người đăng nhập (hardening::delegation…, api_tokens…)"),
    ("POST", "/account/tokens", "tài khoản của chính người đăng nhập (hardening::delegation…, api_tokens…)"),
    ("POST", "/account/tokens/{id}/revoke", "tài khoản của chính người đăng nhập (hardening::delegation…, api_tokens…)"),
    ("POST", "/account/delegate", "tài khoản của chính người đăng nhập (hardening::delegation…, api_tokens…)"),
    ("POST", "/account/delegations/{id}/end", "tài khoản của chính người đăng nhập (hardening::delegation…, api_tokens…)"),
    ("POST", "/account/email", "tài khoản của chính người đăng nhập (hardening::delegation…, api_tokens…)"),
    ("GET", "/api/v1/me", "tài khoản của chính người đăng nhập (hardening::delegation…, api_tokens…)"),
    ("GET", "/audit", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/api/v1/audit", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/import", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/admin/users", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/reports", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("POST", "/calendar/{year}", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/reports/{year}/city.docx", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/reports/{year}/units.xlsx", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/admin/mail", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/calendar", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("POST", "/api/v1/import/{kind}", "kiểm tra riêng trong every_route_on (quyền theo vai trò, không theo bản ghi)"),
    ("GET", "/search", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/households/export.xlsx", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/people/export.xlsx", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/clans/export.xlsx", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/audit/export.xlsx", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/awards", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/awards/queue", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/awards/decisions", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/titles/decisions", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/titles/duplicates", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/publications", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/criteria", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/criteria/{id}", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/import/template/{kind}", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/api/v1/calendar/{year}", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/api/v1/calendar/add", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/api/v1/calendar/sub", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/api/v1/calendar/lunar", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/publications/articles/new", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    ("GET", "/clans/new", "biểu mẫu trống: quyền được quyết khi gửi (POST /clans/new)"),
    ("GET", "/titles/assess", "danh sách, mẫu hoặc lịch: lọc theo phạm vi trong SQL (scope_clause) hoặc không gắn với đơn vị"),
    (
        "POST",
        "/import",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/titles/upload",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/api/v1/assessments/import",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/criteria",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/awards/batches/{id}/documents",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/awards/decisions/{id}/scan",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/publications/articles",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/publications/resources",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/publications/articles/{id}",
        "CHƯA trong ma trận: tệp tải lên (multipart); quyền kiểm tra trước khi đọc tệp — hardening::a_read_only_inspector…",
    ),
    (
        "POST",
        "/admin/users",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/api/v1/households",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/api/v1/people",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/api/v1/units",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/households/new",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/people/new",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/clans/new",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/units/{id}/new",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/titles/assess",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/titles/assessments/{id}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/titles/certificates/{id}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/titles/decisions/{id}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/titles/decisions/{id}/decision.docx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/titles/decisions/{id}/list.xlsx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/api/v1/decisions/{id}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/batches/{id}/list.xlsx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/batches/{id}/to-trinh.docx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/batches/{id}/nominees/{nominee}/report.docx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/awards/batches/{id}/nominees/{nominee}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/awards/batches/{id}/nominees/{nominee}/remove",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/campaigns/{id}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/awards/campaigns",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/awards/campaigns/{id}/batches",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/awards/campaigns/{id}/conference",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/awards/campaigns/{id}/status",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/certificates/{id}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/consolidations/{id}/draft-decision.docx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/consolidations/{id}/list.xlsx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/consolidations/{id}/to-trinh.docx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/decisions/{id}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/decisions/{id}/decision.docx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/decisions/{id}/list.xlsx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/decisions/{id}/scan",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/awards/documents/{id}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/awards/decide",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/awards/forward",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "POST",
        "/reports/{year}/lock",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "GET",
        "/reports/review/{year}/report.docx",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
    (
        "PUT",
        "/api/v1/calendar/{year}",
        "CHƯA trong ma trận: cần bản ghi (quyết định, hồ sơ, đề nghị…) trong và ngoài phạm vi — việc còn lại của issue 20",
    ),
];
