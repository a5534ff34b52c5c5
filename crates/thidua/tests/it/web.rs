//! In-process HTTP tests of the pages and the API.

use crate::support::{Client, Engine, csrf_of, unit_id};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use thidua_domain::dates::format_dmy;

async fn client(user: &str) -> (Client, thidua_app::App, crate::support::TestDb) {
    let (app, db) = crate::support::demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app.clone());
    c.login(user).await;
    (c, app, db)
}

const HH_HEADER: &str = "Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ,Năm sinh chủ hộ,Giới tính chủ hộ\n";

#[tokio::test]
async fn the_login_page_speaks_vietnamese_and_a_wrong_password_keeps_the_username() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    let page = c.get("/login").await;
    assert!(page.text().contains("Đăng nhập") && page.text().contains("lang=\"vi\""));
    let csrf = csrf_of(&page.text());
    let r = c.post_form("/login", &[("_csrf", &csrf), ("username", "phuongbadinh"), ("password", "sai")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("không đúng") && r.text().contains("value=\"phuongbadinh\""));
}

#[tokio::test]
async fn a_login_form_without_its_csrf_cookie_is_refused() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    let r = c.post_form("/login", &[("_csrf", "forged"), ("username", "admin"), ("password", crate::support::PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_forged_csrf_token_writes_nothing() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let village = unit_id(&app, "BD-TDP01").await.to_string();
    let r =
        c.post_form("/households/new", &[("_csrf", "forged"), ("code", "HGD-CSRF"), ("unit", &village), ("head_name", "Kẻ Giả Mạo")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.store().existing_household_codes(&["HGD-CSRF".into()]).await.expect("q").is_empty());
    let ok = c.post_form("/households/new", &[("code", "HGD-CSRF"), ("unit", &village), ("head_name", "Người Thật")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
}

#[tokio::test]
async fn another_wards_household_by_url_is_refused_without_leaking_it() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let admin = crate::support::actor(&app, "admin").await;
    let village = unit_id(&app, "CG-TDP01").await;
    let other = app.households(&admin, Some(village), None, thidua_app::ports::PageRequest::new(1, 1)).await.expect("list").items.remove(0);
    for path in [format!("/households/{}", other.id), format!("/households/{}/edit", other.id), format!("/api/v1/households/{}", other.id)]
    {
        let r = c.get(&path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!r.text().contains(&other.head_name), "{path} leaked the name");
        assert!(!r.text().contains(&other.code), "{path} leaked the code");
    }
}

#[tokio::test]
async fn a_failed_check_keeps_check_only_ticked_so_the_next_upload_is_a_check_too() {
    let (mut c, _app, _db) = client("phuongbadinh").await;
    let csrf = c.csrf.clone();
    let bad = format!("{HH_HEADER}HGD-U1,BD-TDP01,Trương Văn Lợi,19x0,Nam\n");
    let r = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households"), ("dry_run", "1")], "ho.csv", bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("name=\"dry_run\" type=\"checkbox\" value=\"1\" checked"), "{}", r.text());
    let r = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households")], "ho.csv", bad.as_bytes()).await;
    assert!(!r.text().contains("value=\"1\" checked"), "unticked stays unticked");
}

#[tokio::test]
async fn a_file_with_one_bad_row_reports_it_and_writes_nothing_then_the_fixed_file_imports() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let csrf = c.csrf.clone();
    let bad = format!("{HH_HEADER}HGD-U1,BD-TDP01,Trương Văn Lợi,1980,Nam\nHGD-U2,BD-TDP02,Lâm Thị Hồng,19x5,Nữ\n");
    let r = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households")], "ho.csv", bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("import-errors") && html.contains("Năm sinh chủ hộ") && html.contains("19x5"), "{html}");
    assert!(app.store().existing_household_codes(&["HGD-U1".into()]).await.expect("q").is_empty(), "nothing written");
    let good = bad.replace("19x5", "1985");
    let r = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households")], "ho.csv", good.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("id=\"import-created\">2<"), "{}", r.text());
}

#[tokio::test]
async fn legacy_tcvn3_bytes_are_converted_before_they_are_stored() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let csrf = c.csrf.clone();
    let mut file = HH_HEADER.as_bytes().to_vec();
    // "NguyÔn V¨n §øc" in TCVN3, as the raw bytes an old Excel exports.
    file.extend(b"HGD-TCVN,BD-TDP01,Nguy\xD4n V\xA8n \xA7\xF8c,1970,Nam\n");
    let r = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households")], "cu.csv", &file).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("TCVN3"));
    let admin = crate::support::actor(&app, "admin").await;
    let found = app.households(&admin, None, Some("HGD-TCVN"), thidua_app::ports::PageRequest::new(1, 5)).await.expect("q");
    assert_eq!(found.items[0].head_name, "Nguyễn Văn Đức");
}

#[tokio::test]
async fn malformed_and_oversized_files_get_a_clear_answer() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    let mut c = Client::with_config(app, thidua_web::WebConfig { max_upload_bytes: 64 * 1024, ..Default::default() });
    c.login("phuongbadinh").await;
    let csrf = c.csrf.clone();
    let zip = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households")], "x.xlsx", b"PK\x03\x04not really a zip").await;
    assert_eq!(zip.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(zip.text().contains("không đúng định dạng"));
    let headers = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households")], "x.csv", "Tên,Tuổi\nAn,3\n".as_bytes()).await;
    assert!(headers.text().contains("thiếu cột bắt buộc"));
    let big = vec![b'a'; 200 * 1024];
    let r = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households")], "big.csv", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // The API's raw upload over the limit is a 413 problem too (a body that breaks off is a 400:
    // hardening::an_upload_that_breaks_off_is_the_sender_s_error_not_the_server_s).
    let req = Request::post("/api/v1/import/households?dry_run=true")
        .header(header::CONTENT_TYPE, "text/csv")
        .header("x-csrf-token", csrf.clone())
        .body(Body::from(big))
        .expect("request");
    let r = c.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.text().contains("vượt giới hạn"), "{}", r.text());
}

#[tokio::test]
async fn a_list_exports_to_an_xlsx_that_reads_back() {
    let (mut c, _, _db) = client("phuongbadinh").await;
    let r = c.get("/households/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let table = thidua_documents::read_table(&r.body, 10_000).expect("valid xlsx");
    assert_eq!(table.headers[0], "Mã hộ");
    assert_eq!(table.rows.len(), 5 * 14, "Ba Đình's four groups and Kim Mã's group 1");
}

#[tokio::test]
async fn a_failed_form_keeps_what_was_typed() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let village = unit_id(&app, "BD-TDP01").await.to_string();
    let r = c
        .post_form("/households/new", &[("code", "HGD-GIU"), ("unit", &village), ("head_name", "Phó Đức Giữ"), ("member_count", "99")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("value=\"HGD-GIU\"") && html.contains("value=\"Phó Đức Giữ\"") && html.contains("value=\"99\""));
}

#[tokio::test]
async fn a_refusal_is_summarised_at_the_top_and_stands_beside_its_field() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let village = unit_id(&app, "BD-TDP01").await.to_string();
    let r = c
        .post_form("/households/new", &[("code", "HGD-GIU"), ("unit", &village), ("head_name", "Phó Đức Giữ"), ("member_count", "99")])
        .await;
    let html = r.text();
    assert!(html.contains("id=\"error-summary\"") && html.contains("href=\"#member_count\""), "the summary links to the field: {html}");
    assert!(html.contains("id=\"member_count\" aria-invalid=\"true\" aria-describedby=\"member_count-error\""), "the field is marked");
    assert!(html.contains("id=\"member_count-error\">số nhân khẩu phải là số từ 1 đến 50"), "the message is beside it");
    // A refusal from the use case finds its field the same way.
    let long = "Nguyễn ".repeat(100);
    let r = c.post_form("/households/new", &[("code", "HGD-DAI"), ("unit", &village), ("head_name", &long)]).await;
    assert!(r.text().contains("href=\"#head_name\""), "{}", r.text());
}

#[tokio::test]
async fn a_deputy_acts_through_a_delegation_and_the_audit_names_both() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    // A deputy works in the same office (delegation never leaves it).
    let ward = unit_id(&app, "P-BADINH").await;
    app.create_user(None, "phophuong.badinh", "Lê Thị Phó", crate::support::PASSWORD, ward).await.expect("deputy");
    let today = time::OffsetDateTime::now_utc().date();
    let (from, until) = (format_dmy(today - time::Duration::days(1)), format_dmy(today + time::Duration::days(30)));
    let r = c.post_form("/account/delegate", &[("deputy", "phophuong.badinh"), ("grant", "0"), ("from", &from), ("until", &until)]).await;
    assert!(r.text().contains("Đã ủy quyền"), "{}", r.text());
    assert!(r.text().contains("Lê Thị Phó (phophuong.badinh)") && r.text().contains("Kết thúc ủy quyền"), "the delegation is listed");
    let mut deputy = Client::new(app.clone());
    deputy.login("phophuong.badinh").await;
    let village = unit_id(&app, "BD-TDP03").await.to_string();
    let r = deputy.post_form("/households/new", &[("code", "HGD-UYQ"), ("unit", &village), ("head_name", "Tạ Văn Thay")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let admin = crate::support::actor(&app, "admin").await;
    let page = app
        .audit_page(
            &admin,
            &thidua_app::ports::AuditFilter { action: Some("household.create".into()), ..Default::default() },
            thidua_app::ports::PageRequest::new(1, 5),
        )
        .await
        .expect("audit");
    let e = &page.items[0];
    assert_eq!((e.actor.as_str(), e.on_behalf_of.as_deref()), ("phophuong.badinh", Some("phuongbadinh")));
}

#[tokio::test]
async fn changing_the_password_ends_every_session() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let mut other = Client::new(app);
    other.login("phuongbadinh").await;
    let r = c.post_form("/account/password", &[("current", crate::support::PASSWORD), ("new", "Mat-khau-moi-2026")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = other.get("/households").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
}

#[tokio::test]
async fn an_api_token_reads_the_api_and_revoking_it_locks_it_out() {
    let (mut c, _, _db) = client("phuongbadinh").await;
    let page = c.post_form("/account/tokens", &[("name", "Phần mềm kế toán")]).await;
    let html = page.text();
    let marker = "id=\"new-token\">";
    let token = html[html.find(marker).expect("token shown") + marker.len()..].split('<').next().unwrap_or("").to_string();
    let mut api = Client { router: c.router.clone(), app: c.app.clone(), cookies: vec![], csrf: String::new() };
    let req = |t: &str| {
        Request::get("/api/v1/households?per_page=5").header(header::AUTHORIZATION, format!("Bearer {t}")).body(Body::empty()).expect("req")
    };
    let r = api.send(req(&token)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["total"], 70);
    let r = api.send(req("thd_wrong")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("application/problem+json"));
    let account = c.get("/account").await.text();
    let revoke = account.split("/account/tokens/").nth(1).and_then(|s| s.split('/').next()).expect("revoke form").to_string();
    c.post_form(&format!("/account/tokens/{revoke}/revoke"), &[]).await;
    assert_eq!(api.send(req(&token)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cookie_api_writes_need_the_csrf_header() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let village = unit_id(&app, "BD-TDP01").await;
    let body = serde_json::json!({"code": "HGD-API", "unit_id": village, "head_name": "Âu Văn Mạng"}).to_string();
    let mk = |csrf: Option<&str>| {
        let mut b = Request::post("/api/v1/households").header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = csrf {
            b = b.header("x-csrf-token", t);
        }
        b.body(Body::from(body.clone())).expect("req")
    };
    assert_eq!(c.send(mk(None)).await.status, StatusCode::FORBIDDEN);
    let csrf = c.csrf.clone();
    let r = c.send(mk(Some(&csrf))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn every_api_route_of_the_router_is_documented() {
    let (mut c, _, _db) = client("admin").await;
    let doc = c.get("/api/openapi.json").await.json();
    let paths = doc["paths"].as_object().expect("paths");
    let routes: Vec<(String, String)> = crate::routes::router_routes().into_iter().filter(|(_, p)| p.starts_with("/api/v1/")).collect();
    let documented: usize = paths.values().map(|ops| ops.as_object().map_or(0, |o| o.len())).sum();
    assert_eq!(documented, routes.len(), "the document describes exactly the API's routes");
    assert!(routes.len() >= 20, "the router's API routes were read: {}", routes.len());
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, p)| paths.get(p.as_str()).and_then(|ops| ops.get(m.to_lowercase())).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(missing.is_empty(), "routes the OpenAPI document does not describe:\n{}", missing.join("\n"));
}

#[tokio::test]
async fn every_documented_api_route_exists() {
    let (mut c, _, _db) = client("admin").await;
    let doc = c.get("/api/openapi.json").await.json();
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 10);
    for (path, ops) in paths {
        for method in ops.as_object().expect("ops").keys() {
            let concrete = path.replace("{id}", "1").replace("{kind}", "households");
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&concrete)
                .header("x-csrf-token", c.csrf.clone())
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .expect("req");
            let r = c.send(req).await;
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(!r.text().contains("Không tìm thấy trang"), "{method} {path} is documented but not routed");
        }
    }
}

#[tokio::test]
async fn english_is_the_second_language() {
    let (mut c, _, _db) = client("phuongbadinh").await;
    let r = c.get("/lang/en").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let home = c.get("/").await.text();
    assert!(home.contains("lang=\"en\"") && home.contains("Households") && home.contains("Sign out"));
}

#[tokio::test]
async fn the_learning_title_pages_speak_english_too() {
    let (mut c, _, _db) = client("phuongbadinh").await;
    c.get("/lang/en").await;
    let coverage = c.get("/titles?year=2025").await.text();
    assert!(coverage.contains("Learning titles — Phường Ba Đình, year 2025") && coverage.contains("Data year"), "{coverage}");
    let list = c.get("/titles/decisions").await.text();
    assert!(list.contains("Learning-title recognition decisions") && !list.contains("Chưa có quyết định"));
}

#[tokio::test]
async fn health_readiness_and_metrics_answer_and_metrics_need_the_collector_s_token() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    let mut c = Client::with_config(app, thidua_web::WebConfig { metrics_token: Some("bi-mat-prometheus".into()), ..Default::default() });
    assert_eq!(c.get("/healthz").await.text(), "ok");
    assert_eq!(c.get("/readyz").await.status, StatusCode::OK);
    // Without the token (or with another), the page is not there.
    assert_eq!(c.get("/metrics").await.status, StatusCode::NOT_FOUND);
    let wrong = Request::get("/metrics").header(header::AUTHORIZATION, "Bearer doan-mo").body(Body::empty()).expect("req");
    assert_eq!(c.send(wrong).await.status, StatusCode::NOT_FOUND);
    let right = Request::get("/metrics").header(header::AUTHORIZATION, "Bearer bi-mat-prometheus").body(Body::empty()).expect("req");
    let m = c.send(right).await.text();
    assert!(m.contains("thidua_http_requests_total{status=\"2xx\"}"), "{m}");
}

#[tokio::test]
async fn pages_behind_login_are_not_stored_and_no_page_runs_a_script_from_elsewhere() {
    let (mut c, _, _db) = client("phuongbadinh").await;
    for path in ["/", "/households", "/account", "/households/export.xlsx"] {
        let r = c.get(path).await;
        assert_eq!(r.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"), "{path}");
        let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
    }
    // Public pages keep the caching they ask for.
    let open = c.get("/du-lieu-mo/danh-hieu.csv").await;
    assert_eq!(open.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("public, max-age=300"));
}

#[tokio::test]
async fn a_clan_is_created_with_the_villages_it_spans_and_listed_without_diacritics() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let ward = unit_id(&app, "P-BADINH").await.to_string();
    let (v1, v2) = (unit_id(&app, "BD-TDP01").await.to_string(), unit_id(&app, "BD-TDP03").await.to_string());
    let r = c
        .post_form(
            "/clans/new",
            &[
                ("code", "DH-BD-PHAN"),
                ("name", "Dòng họ Phan Huy"),
                ("representative", "Phan Huy Chú"),
                ("unit", &ward),
                ("village", &v1),
                ("village", &v2),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&r.location()).await.text();
    assert!(page.contains("Phan Huy Chú") && page.contains("Tổ dân phố số 1, Tổ dân phố số 3"), "{page}");
    let list = c.get("/clans?q=phan+huy").await.text();
    assert!(list.contains("Dòng họ Phan Huy"));
    // A clan of Bát Tràng (demo data) is outside Ba Đình's scope.
    assert!(!c.get("/clans").await.text().contains("Bát Tràng"));
}

#[tokio::test]
async fn an_organisation_keeps_its_managing_body_and_location_and_a_unit_list_exports() {
    let (mut c, app, _db) = client("admin").await;
    let agency = unit_id(&app, "SGDDT").await;
    let r = c
        .post_form(
            &format!("/units/{agency}/new"),
            &[
                ("code", "THPT-KIMLIEN"),
                ("name", "Trường THPT Kim Liên"),
                ("kind", "school"),
                ("parent", "SGDDT"),
                ("location", "P-BADINH"),
                ("valid_from", "05/09/2025"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&r.location()).await.text();
    assert!(page.contains("Sở Giáo dục và Đào tạo") && page.contains("Phường Ba Đình") && page.contains("05/09/2025"), "{page}");
    let x = c.get(&format!("/units/{agency}/export.xlsx")).await;
    let table = thidua_documents::read_table(&x.body, 1000).expect("xlsx");
    let row = table.rows.iter().find(|r| r[0] == "THPT-KIMLIEN").expect("the new school is listed");
    assert_eq!((row[3].as_str(), row[4].as_str(), row[7].as_str()), ("SGDDT", "05/09/2025", "P-BADINH"));
}

#[tokio::test]
async fn behind_a_trusted_proxy_throttling_counts_the_forwarded_client_not_the_proxy() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    let mut c = Client::with_config(app, thidua_web::WebConfig { trust_forwarded_for: true, ..Default::default() });
    let attempt = |ip: &'static str, csrf: String| {
        let body =
            serde_urlencoded::to_string([("_csrf", csrf.as_str()), ("username", "khongco"), ("password", "sai")]).unwrap_or_default();
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", ip)
            .body(Body::from(body))
            .expect("req")
    };
    // 20 failures from one client address lock that address…
    for i in 0..20 {
        let csrf = csrf_of(&c.get("/login").await.text());
        let user = format!("khongco{i}");
        let body =
            serde_urlencoded::to_string([("_csrf", csrf.as_str()), ("username", user.as_str()), ("password", "sai")]).unwrap_or_default();
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", "203.0.113.7")
            .body(Body::from(body))
            .expect("req");
        assert_eq!(c.send(req).await.status, StatusCode::UNAUTHORIZED);
    }
    let csrf = csrf_of(&c.get("/login").await.text());
    assert_eq!(c.send(attempt("203.0.113.7", csrf)).await.status, StatusCode::TOO_MANY_REQUESTS);
    // …but not another client behind the same proxy.
    let csrf = csrf_of(&c.get("/login").await.text());
    assert_eq!(c.send(attempt("198.51.100.9", csrf)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_administrator_creates_an_account_grants_a_role_and_can_lock_it() {
    let (mut c, app, _db) = client("admin").await;
    let r = c
        .post_form(
            "/admin/users",
            &[("username", "canbo.tdp1"), ("full_name", "Hà Thị Tổ Trưởng"), ("unit", "bd-tdp01"), ("password", "Mat-khau-2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let user_page = r.location();
    let r = c.post_form(&format!("{user_page}/grants"), &[("role", "unit_officer"), ("unit", "BD-TDP01")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get(&user_page).await.text().contains("Cán bộ đơn vị — Tổ dân phố số 1"));
    let mut officer = Client::new(app.clone());
    let page = officer.get("/login").await;
    let csrf = csrf_of(&page.text());
    let r = officer.post_form("/login", &[("_csrf", &csrf), ("username", "canbo.tdp1"), ("password", "Mat-khau-2026")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(officer.get("/households?unit=1").await.status, StatusCode::FORBIDDEN, "the city is outside a group's scope");
    // Locking the account ends its session at once.
    c.post_form(&format!("{user_page}/active"), &[("active", "false")]).await;
    assert!(officer.get("/households").await.location().starts_with("/login"));
    let audit = app
        .audit_page(
            &crate::support::actor(&app, "admin").await,
            &thidua_app::ports::AuditFilter { action: Some("user.deactivate".into()), ..Default::default() },
            thidua_app::ports::PageRequest::new(1, 5),
        )
        .await
        .expect("audit");
    assert_eq!(audit.total, 1);
}

#[tokio::test]
async fn doet_adds_a_new_version_of_a_criteria_set_and_nobody_can_overwrite_one() {
    let (mut c, app, _db) = client("sogd").await;
    let list = c.get("/criteria").await.text();
    assert!(list.contains("Cộng đồng học tập cấp xã") && list.contains("Tạm thời"));
    let source = thidua_domain::criteria::SHIPPED.iter().find(|(f, _)| f.starts_with("qd324")).map(|(_, t)| *t).expect("shipped");
    let shipped = thidua_domain::criteria::CriteriaSet::from_toml(source).expect("parses").version;
    let with_version = |v: u32| source.replace(&format!("version = {shipped}\n"), &format!("version = {v}\n"));
    let csrf = c.csrf.clone();
    // The same version again is refused…
    let r = c.post_multipart("/criteria", &[("_csrf", &csrf)], "cdht.toml", source.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("phiên bản mới phải lớn hơn"));
    // …a new version is stored beside the old one.
    let v2 = with_version(shipped + 1).replace("Tham gia học tập thường xuyên", "Tham gia học tập suốt đời");
    let r = c.post_multipart("/criteria", &[("_csrf", &csrf)], "cdht.toml", v2.as_bytes()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&r.location()).await.text();
    assert!(
        page.contains("Tham gia học tập suốt đời")
            && page.contains(&format!("qd324-cdht-tam-thoi v{}", shipped + 1))
            && page.contains("chưa đối chiếu văn bản gốc")
    );
    assert_eq!(app.store().criteria_sets().await.expect("list").iter().filter(|s| s.set_id == "qd324-cdht-tam-thoi").count(), 2);
    // A ward officer reads the sets but cannot add one.
    let mut ward = Client::new(app.clone());
    ward.login("phuongbadinh").await;
    assert_eq!(ward.get("/criteria").await.status, StatusCode::OK);
    let csrf = ward.csrf.clone();
    let v3 = with_version(shipped + 2);
    assert_eq!(ward.post_multipart("/criteria", &[("_csrf", &csrf)], "x.toml", v3.as_bytes()).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn after_an_action_the_next_page_says_it_was_done_once() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let village = unit_id(&app, "BD-TDP01").await.to_string();
    let r = c.post_form("/households/new", &[("code", "HGD-XACNHAN"), ("unit", &village), ("head_name", "Đinh Thị Xác")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&r.location()).await;
    assert!(page.text().contains("class=\"flash\" role=\"status\">Đã thêm."), "{}", page.text());
    let again = c.get(&r.location()).await;
    assert!(!again.text().contains("class=\"flash\""), "shown once");
}

#[tokio::test]
async fn a_history_names_the_officer_and_their_unit_not_the_username() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let village = unit_id(&app, "BD-TDP01").await.to_string();
    let r = c.post_form("/households/new", &[("code", "HGD-LICHSU"), ("unit", &village), ("head_name", "Mạc Văn Sử")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = c.get(&r.location()).await.text();
    let history = page.split("id=\"history\"").nth(1).expect("the history");
    assert!(history.contains("Vũ Đức Thắng (UBND phường Ba Đình)"), "{history}");
    assert!(!history.contains(">phuongbadinh<"), "no username: {history}");
    assert!(history.contains("Thêm hộ gia đình") && !history.contains("household.create"), "what was done, in words: {history}");
    assert!(history.contains("Chủ hộ: Mạc Văn Sử") && history.contains("Đơn vị: Tổ dân phố số 1"), "the values, labelled: {history}");
}

#[tokio::test]
async fn after_the_2025_reform_no_district_or_township_is_offered() {
    let (mut c, app, _db) = client("admin").await;
    let ward = unit_id(&app, "P-BADINH").await;
    let form = c.get(&format!("/units/{ward}/new")).await.text();
    assert!(form.contains("value=\"ward\"") || form.contains("value=\"residential_group\""), "kinds are offered: {form}");
    assert!(!form.contains("value=\"district\"") && !form.contains("value=\"township\""), "no new district or township");
    let ranking_2026 = c.get("/xep-hang?nam=2026").await.text();
    assert!(!ranking_2026.contains("cong_dong_hoc_tap_huyen"), "no district title after 2025");
    let ranking_2025 = c.get("/xep-hang?nam=2025").await.text();
    assert!(ranking_2025.contains("cong_dong_hoc_tap_huyen"), "2025 still had districts until 30/6");
}

#[tokio::test]
async fn a_citizen_opening_the_site_finds_the_public_front_door_and_verifies_a_code() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    let mut citizen = Client::new(app.clone());
    let home = citizen.get("/").await;
    assert_eq!(home.status, StatusCode::OK, "no redirect to the login page");
    let text = home.text();
    for part in [
        "href=\"/vinh-danh\"",
        "href=\"/guong-dien-hinh\"",
        "href=\"/hoc-lieu\"",
        "href=\"/xep-hang\"",
        "href=\"/du-lieu-mo\"",
        "id=\"verify-box\"",
    ] {
        assert!(text.contains(part), "the front door offers {part}");
    }
    assert!(text.contains("id=\"staff-login\"") && !text.contains("action=\"/logout\""), "officers sign in from one link");
    // A code typed with spaces and capitals leads to its verification page.
    let r = citizen.get("/xac-minh?ma=AB12+CD34-ef56+7890").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/xac-minh/ab12cd34ef567890");
    // An officer still lands on their own page.
    let mut officer = Client::new(app);
    officer.login("phuongbadinh").await;
    assert!(officer.get("/").await.text().contains("Xin chào"));
}

#[tokio::test]
async fn a_page_without_an_english_text_offers_no_switch_and_says_so() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    c.get("/lang/en").await;
    let households = c.get("/households").await.text();
    assert!(households.contains("href=\"/lang/vi\"") && !households.contains("Vietnamese only"), "a translated page switches");
    let household = app
        .households(&crate::support::actor(&app, "phuongbadinh").await, None, None, thidua_app::ports::PageRequest::new(1, 1))
        .await
        .expect("list")
        .items[0]
        .id;
    let page = c.get(&format!("/households/{household}")).await.text();
    assert!(page.contains("Public honour roll") && !page.contains("Bảng vàng công khai"), "the consent block speaks English too");
    let reports = c.get("/reports").await.text();
    assert!(reports.contains("This page is available in Vietnamese only."), "{reports}");
    assert!(!reports.contains("class=\"lang\" href="), "no switch that would change only the header");
}

#[tokio::test]
async fn editing_a_clan_offers_all_its_villages_however_many_the_ward_has() {
    let (mut c, app, _db) = client("phuongbadinh").await;
    let officer = crate::support::actor(&app, "phuongbadinh").await;
    let ward = unit_id(&app, "P-BADINH").await;
    // More villages than the form used to list (500), the clan's own sorted last by name.
    for i in 0..505 {
        let input = thidua_app::ports::UnitInput {
            code: format!("BD-T{i:03}"),
            name: format!("Tổ dân phố A{i:03}"),
            kind: thidua_domain::registry::NodeKind::ResidentialGroup,
            parent_id: Some(ward),
            location_id: None,
            valid_from: None,
            valid_to: None,
            successors: vec![],
        };
        app.create_unit(&officer, input).await.expect("a residential group");
    }
    let last = unit_id(&app, "BD-T504").await;
    let clan = app
        .create_clan(
            &officer,
            thidua_app::ports::ClanInput {
                code: "DH-CUOI".into(),
                name: "Dòng họ Cuối".into(),
                unit_id: ward,
                representative_name: None,
                villages: vec![last],
            },
        )
        .await
        .expect("clan");
    let form = c.get(&format!("/clans/{clan}/edit")).await.text();
    assert!(form.contains(&format!("name=\"village\" value=\"{last}\" checked")), "the clan's village is offered, ticked");
}

#[tokio::test]
async fn the_api_answers_a_citizen_and_a_page_with_the_fields_of_its_contract_and_no_others() {
    let (mut c, _, _db) = client("admin").await;
    let page = c.get("/api/v1/people?per_page=1").await.json();
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&page), ["items", "next", "page", "per_page", "prev", "total", "total_at_least"]);
    let id = page["items"][0]["id"].as_i64().expect("a citizen");
    let person = c.get(&format!("/api/v1/people/{id}")).await.json();
    assert_eq!(
        keys(&person),
        ["active", "birth_year", "code", "full_name", "gender", "household_id", "id", "position", "unit_id", "version"],
        "a column added to the people table reaches the API only through web/src/api/views.rs"
    );
}

#[tokio::test]
async fn a_list_taken_out_of_the_households_or_citizens_page_is_in_its_import_template_s_columns() {
    let (mut c, _, _db) = client("phuongbadinh").await;
    for (path, kind) in [
        ("/households/export.xlsx", thidua_domain::import::ImportKind::Households),
        ("/people/export.xlsx", thidua_domain::import::ImportKind::People),
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let table = thidua_documents::read_table(&r.body, 10_000).expect("valid xlsx");
        let template: Vec<String> = kind.columns().iter().map(|c| c.header.to_string()).collect();
        assert_eq!(table.headers, template, "{path}: corrected in a spreadsheet, it imports back through the same checks");
        assert!(!table.rows.is_empty(), "{path}");
    }
}

#[tokio::test]
async fn an_imported_head_s_birth_year_and_gender_come_back_in_the_export_the_api_and_the_page() {
    let (mut c, _app, _db) = client("phuongbadinh").await;
    let csrf = c.csrf.clone();
    let file = format!("{HH_HEADER}HGD-XUAT,BD-TDP01,Trương Văn Xuất,1968,Nam\n");
    let r = c.post_multipart("/import", &[("_csrf", &csrf), ("kind", "households")], "ho.csv", file.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let table = thidua_documents::read_table(&c.get("/households/export.xlsx?q=HGD-XUAT").await.body, 10).expect("xlsx");
    assert_eq!(
        table.rows,
        [["HGD-XUAT", "BD-TDP01", "Trương Văn Xuất", "1968", "Nam", "", ""]],
        "nothing imported is left out of the export"
    );
    let page = c.get("/api/v1/households?q=HGD-XUAT").await.json();
    assert_eq!((page["items"][0]["head_birth_year"].as_i64(), page["items"][0]["head_gender"].as_str()), (Some(1968), Some("male")));
    let id = page["items"][0]["id"].as_i64().expect("id");
    let html = c.get(&format!("/households/{id}")).await.text();
    assert!(html.contains("<dd>1968</dd>") && html.contains("<dd>Nam</dd>"), "the household's page shows them too");
}

#[tokio::test]
async fn the_decisions_page_says_how_many_decisions_there_are_and_pages_through_them() {
    // The list was cut at 500 without a word (506 decisions in the generated city): it now
    // counts them and pages 100 at a time.
    let (mut c, app, _db) = client("sogd").await;
    let sogd = crate::support::actor(&app, "sogd").await;
    let total = app.decisions(&sogd, thidua_app::ports::PageRequest::new(1, 100)).await.expect("decisions").total;
    assert!(total >= 3, "the demo's Hoàn Kiếm and Kim Mã decisions: {total}");
    let list = c.get("/titles/decisions").await.text();
    assert!(list.contains(&format!("id=\"decisions-total\">{total} quyết định công nhận")), "{list}");
    let beyond = c.get("/titles/decisions?page=2").await;
    assert_eq!(beyond.status, StatusCode::OK);
}

#[tokio::test]
async fn a_search_matching_more_units_than_it_shows_says_how_many_and_to_narrow_it() {
    let (mut c, _, _db) = client("sogd").await;
    let page = c.get("/search?q=to+dan+pho").await.text();
    assert!(page.contains("<h2>Đơn vị (21)</h2>"), "the demo's 21 residential groups");
    assert!(page.contains("id=\"units-more\">Hiện 20 đơn vị đầu theo tên; gõ thêm để thu hẹp."));
}
