//! Every route of the router is accounted for: driven by the authorization matrix
//! (`matrix::ROUTES`) or listed here with the reason it is not. The router's routes are read
//! from its source, so a new route that is in neither list fails the test.

use crate::matrix::ROUTES;

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
pub(crate) fn router_routes() -> Vec<(String, String)> {
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
    ("GET", "/static/app.js", "công khai: tệp script tăng cường giao diện, không chứa dữ liệu"),
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
    ("GET", "/xac-minh", "công khai: ô nhập mã xác minh, chỉ chuyển đến trang xác minh"),
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
    ("GET", "/calendar", "kiểm tra riêng trong every_route_on: mọi cán bộ đều đọc lịch ngày làm việc"),
    ("POST", "/api/v1/import/{kind}", "kiểm tra riêng trong every_route_on: mỗi dòng của tệp được xét theo phạm vi"),
    (
        "GET",
        "/api/v1/calendar/{year}",
        "lịch ngày làm việc và âm lịch: dữ liệu chung, không gắn với đơn vị; mọi người đã đăng nhập đều đọc",
    ),
    ("GET", "/api/v1/calendar/add", "lịch ngày làm việc và âm lịch: dữ liệu chung, không gắn với đơn vị; mọi người đã đăng nhập đều đọc"),
    ("GET", "/api/v1/calendar/sub", "lịch ngày làm việc và âm lịch: dữ liệu chung, không gắn với đơn vị; mọi người đã đăng nhập đều đọc"),
    ("GET", "/api/v1/calendar/lunar", "lịch ngày làm việc và âm lịch: dữ liệu chung, không gắn với đơn vị; mọi người đã đăng nhập đều đọc"),
];
