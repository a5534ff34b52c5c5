//! API tokens say what they may do and where, and end (issue 18 §6), on both engines.

use crate::support::{Client, engines};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use thidua_app::AppError;
use thidua_app::auth::TokenScope;
use time::Duration;

fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).expect("request")
}

fn post_household(token: &str, village: i64, code: &str) -> Request<Body> {
    let body = serde_json::json!({"code": code, "unit_id": village, "head_name": "Âu Văn Mạng"}).to_string();
    Request::post("/api/v1/households")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn a_read_only_token_reads_and_is_refused_a_write_before_its_body_is_read() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        let village = crate::support::unit_id(&app, "BD-TDP01").await;
        let read = app.create_api_token(&officer, "báo cáo", &TokenScope::default()).await.expect("token");
        let write =
            app.create_api_token(&officer, "phần mềm hộ tịch", &TokenScope { can_write: true, ..Default::default() }).await.expect("t");
        let mut c = Client::new(app.clone());
        assert_eq!(c.send(get("/api/v1/households?per_page=1", &read)).await.status, StatusCode::OK, "{engine:?}");
        let r = c.send(post_household(&read, village, "HGD-API-R")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{engine:?}: {}", r.text());
        assert!(r.json()["detail"].as_str().unwrap_or("").contains("chỉ được đọc"), "{engine:?}");
        let r = c.send(post_household(&write, village, "HGD-API-W")).await;
        assert!(r.status.is_success(), "{engine:?}: a read-write token writes: {} {}", r.status, r.text());
    }
}

#[tokio::test]
async fn a_token_limited_to_a_village_sees_its_households_and_not_the_rest_of_the_ward() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        let village = crate::support::unit_id(&app, "BD-TDP01").await;
        let scope = TokenScope { area: Some(village), ..Default::default() };
        let token = app.create_api_token(&officer, "tổ dân phố 1", &scope).await.expect("token");
        let mut c = Client::new(app.clone());
        let ward = c
            .send(get("/api/v1/households?per_page=1", &app.create_api_token(&officer, "phường", &Default::default()).await.expect("t")))
            .await;
        let limited = c.send(get("/api/v1/households?per_page=1", &token)).await;
        let (all, some) = (ward.json()["total"].as_i64().unwrap_or(0), limited.json()["total"].as_i64().unwrap_or(0));
        assert!(0 < some && some < all, "{engine:?}: the village's {some} of the ward's {all}");
        // An area outside the officer's ward is refused when the token is made.
        let other = crate::support::unit_id(&app, "P-HOANKIEM").await;
        let r = app.create_api_token(&officer, "ngoài phạm vi", &TokenScope { area: Some(other), ..Default::default() }).await;
        assert!(matches!(r, Err(AppError::Invalid(_))), "{engine:?}: {r:?}");
    }
}

#[tokio::test]
async fn a_token_ends_on_its_day_and_lives_at_most_a_year() {
    for engine in engines() {
        let (app, _db, clock) = crate::support::demo_app_at(engine, time::OffsetDateTime::now_utc()).await;
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        let token = app.create_api_token(&officer, "một tuần", &TokenScope { days: 7, ..Default::default() }).await.expect("token");
        assert!(app.token_actor(&token).await.is_ok(), "{engine:?}");
        clock.advance(Duration::days(7));
        assert!(matches!(app.token_actor(&token).await, Err(AppError::Unauthenticated)), "{engine:?}: ended");
        for days in [0, 366] {
            let r = app.create_api_token(&officer, "x", &TokenScope { days, ..Default::default() }).await;
            assert!(matches!(r, Err(AppError::Invalid(_))), "{engine:?}: {days} days: {r:?}");
        }
    }
}
