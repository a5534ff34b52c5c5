//! The route table (`thidua_web::routes::ROUTES`) is the router: every route in it says who may
//! call it. Here the table is held to what it says — every route that needs a grant is driven by
//! the authorization matrix with exactly its actions, every route that is not public turns an
//! anonymous caller away, every public one answers one — so a route added to the table with the
//! wrong access fails, on SQLite and on PostgreSQL (the matrix runs [`table_and_matrix_agree`]
//! and [`anonymous_callers_on`] on each engine).

use crate::matrix::{ROUTES as MATRIX, Target};
use crate::support::{Client, Engine};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use thidua_web::routes::{Access, ROUTES, Route, UnitOf};

/// `/reports/{year}/{unit}` and `/reports/2026/{id}?x=1` alike as `/reports/*/*`.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|seg| if seg.starts_with('{') || (!seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit())) { "*" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// (method, path) of every GET route the table declares: the pages the other tests walk.
pub(crate) fn router_routes() -> Vec<(String, String)> {
    ROUTES.iter().map(|r| (r.method.to_string(), r.path.to_string())).collect()
}

/// Whether a matrix case's target reaches the records the table says the route's handler
/// decides on: the city's records only from the city, lists and shared records from anywhere.
fn compatible(unit: UnitOf, target: Target) -> bool {
    match (unit, target) {
        (UnitOf::Decision, t) => matches!(t, Target::City | Target::Ward),
        (UnitOf::City, t) | (_, t @ Target::City) => t == Target::City && unit == UnitOf::City,
        (UnitOf::Shared | UnitOf::Rows, t) => t == Target::Anywhere,
        (UnitOf::Scoped, t) => matches!(t, Target::Anywhere | Target::Unit | Target::Ward),
        (_, Target::Anywhere) => false,
        _ => true,
    }
}

/// What is wrong between the table and the matrix: a route needing a grant that the matrix does
/// not drive with each of its actions, a case with an action or a reach its route does not
/// declare, a case for a route that is not in the table.
pub(crate) fn table_and_matrix_agree() -> Vec<String> {
    let mut wrong = Vec::new();
    let route_of = |method: &str, path: &str| ROUTES.iter().find(|r| r.method == method && shape(r.path) == shape(path));
    for (method, path, action, target, _) in MATRIX {
        match route_of(method, path) {
            None => wrong.push(format!("{method} {path}: a matrix case for a route the table does not have")),
            Some(Route { access: Access::Grant(actions, unit), .. }) => {
                if !actions.contains(action) {
                    wrong.push(format!("{method} {path}: the matrix drives {action:?}, the table says {actions:?}"));
                }
                if !compatible(*unit, *target) {
                    wrong.push(format!("{method} {path}: the matrix's target {target:?} does not fit the table's {unit:?}"));
                }
            }
            Some(r) => wrong.push(format!("{method} {path}: the matrix drives a route the table calls {:?}", r.access)),
        }
    }
    for r in ROUTES {
        for action in r.actions() {
            let driven = MATRIX.iter().any(|(m, p, a, ..)| *m == r.method && shape(p) == shape(r.path) && a == action);
            if !driven {
                wrong.push(format!("{} {}: needs {action:?}, and the matrix never drives it with that action", r.method, r.path));
            }
        }
    }
    wrong
}

#[test]
fn every_route_that_needs_a_grant_is_in_the_matrix_with_each_of_its_actions() {
    assert!(ROUTES.len() > 150, "the table was read: {}", ROUTES.len());
    let wrong = table_and_matrix_agree();
    assert!(wrong.is_empty(), "the route table and the matrix disagree:\n{}", wrong.join("\n"));
}

/// What is wrong with how the routes answer a caller who is not signed in: a route that is
/// not public must send them to the sign-in page (401 on the API) before anything else, a public
/// GET must answer them.
pub(crate) async fn anonymous_callers_on(app: thidua_app::App) -> Vec<String> {
    let mut c = Client::new(app);
    let mut wrong = Vec::new();
    for r in ROUTES {
        let path = r.path.replace("{lang}", "vi").replace("{code}", "khongco").replace("{kind}", "households");
        let path = path.split('/').map(|s| if s.starts_with('{') { "1" } else { s }).collect::<Vec<_>>().join("/");
        let req = Request::builder()
            .method(r.method)
            .uri(&path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("a=1"))
            .expect("request");
        let resp = c.send(req).await;
        let to_login = resp.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).is_some_and(|l| l.starts_with("/login"));
        let turned_away = if r.path.starts_with("/api/") { resp.status == StatusCode::UNAUTHORIZED } else { to_login };
        match r.access {
            Access::Public(_) if r.method == "GET" => {
                if to_login || matches!(resp.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) || resp.status.is_server_error() {
                    wrong
                        .push(format!("{} {path} is public, and an anonymous caller got {} (to login: {to_login})", r.method, resp.status));
                }
            }
            Access::Public(_) => {}
            // Without a sign-in waiting for its code there is no form to show: back to sign in.
            Access::SignedIn(_) | Access::Grant(..) | Access::Waiting(_) => {
                if !turned_away {
                    wrong.push(format!("{} {path} is not public, and an anonymous caller got {}", r.method, resp.status));
                }
            }
        }
    }
    wrong
}

#[tokio::test]
async fn a_caller_who_is_not_signed_in_is_turned_away_from_every_route_that_is_not_public() {
    let (app, _db) = crate::support::demo_app(Engine::Sqlite).await;
    let wrong = anonymous_callers_on(app).await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
