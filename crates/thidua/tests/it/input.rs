//! What a person types into a box, or into the address bar, is read by our rules: a value that
//! does not read answers a Vietnamese page that names the field, says what to type and keeps the
//! menu; a year typed with a trailing space (phones add one) is a year.

use crate::routes::router_routes;
use crate::support::{Client, Engine, demo_app, unit_id};
use axum::http::{StatusCode, header};

/// Every number a page reads from its query string, each holding a word.
const WORDS_IN_NUMBER_BOXES: &str = "year=hai%20ngh%C3%ACn&nam=abc&page=x&unit=Ba%20%C4%90%C3%ACnh&set=x&subject=x&household=x";

fn is_html(r: &crate::support::Resp) -> bool {
    r.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

#[tokio::test]
async fn every_page_answers_a_word_in_a_number_box_with_a_vietnamese_page_that_keeps_the_menu() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("admin").await;
    let pages: Vec<String> = router_routes()
        .into_iter()
        .filter(|(m, p)| {
            m == "GET"
                && !p.contains('{')
                && !p.starts_with("/api")
                && !["/static/app.css", "/static/app.js", "/metrics"].contains(&p.as_str())
        })
        .map(|(_, p)| p)
        .collect();
    let mut refused = Vec::new();
    for page in &pages {
        let r = c.get(&format!("{page}?{WORDS_IN_NUMBER_BOXES}")).await;
        let text = r.text();
        assert!(!text.contains("Failed to deserialize") && !text.contains("Invalid"), "{page}: the parser's own words: {text}");
        if r.status == StatusCode::BAD_REQUEST {
            assert!(is_html(&r), "{page}: a page, not plain text");
            assert!(
                text.contains("không đọc được giá trị") && text.contains("hãy nhập"),
                "{page}: names the field and what to type: {text}"
            );
            assert!(text.contains("action=\"/logout\""), "{page}: the signed-in user keeps the menu");
            assert!(text.contains("id=\"error-back\""), "{page}: a way back to the page without the value");
            refused.push(page.clone());
        } else {
            assert!(r.status.is_success() || r.status.is_redirection(), "{page}: {} {text}", r.status);
        }
    }
    for page in ["/households", "/people", "/titles", "/dashboard", "/reports", "/calendar", "/vinh-danh", "/audit"] {
        assert!(refused.iter().any(|p| p == page), "{page} reads a number from its query and refused the word: {refused:?}");
    }
}

#[tokio::test]
async fn a_year_typed_with_a_space_after_it_is_the_year() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("sogd").await;
    for page in ["/dashboard?year=2026%20", "/titles?year=%202026", "/reports?year=2026+"] {
        let r = c.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.text());
        assert!(r.text().contains("2026"), "{page}");
    }
}

#[tokio::test]
async fn an_empty_year_box_is_the_default_year() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("sogd").await;
    let r = c.get("/dashboard?year=&unit=").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn the_public_honour_roll_answers_a_bad_year_in_vietnamese_with_a_link_back() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    let r = c.get("/vinh-danh?loai=gia_dinh_hoc_tap&nam=hai+nghin").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let text = r.text();
    assert!(text.contains("«Năm» không đọc được giá trị «hai nghin»: hãy nhập một năm gồm 4 chữ số, ví dụ 2026."), "{text}");
    assert!(text.contains("href=\"/vinh-danh?loai=gia_dinh_hoc_tap\""), "the same page without the year: {text}");
}

#[tokio::test]
async fn an_id_that_is_not_a_number_is_a_page_that_does_not_exist() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("phuongbadinh").await;
    let r = c.get("/households/abc").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(is_html(&r) && r.text().contains("action=\"/logout\""), "a Vietnamese page with the menu: {}", r.text());
}

#[tokio::test]
async fn a_form_with_a_word_where_a_number_goes_names_the_field() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let ward = unit_id(&app, "P-BADINH").await;
    let mut c = Client::new(app);
    c.login("admin").await;
    let r = c.post_form(&format!("/units/{ward}/edit"), &[("version", "mới nhất"), ("name", "Phường Ba Đình")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("«Phiên bản» không đọc được giá trị «mới nhất»"), "{}", r.text());
}

#[tokio::test]
async fn a_form_sent_as_something_else_is_refused_in_vietnamese() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    let r = c
        .send(
            axum::http::Request::post("/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from("{}"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(is_html(&r) && r.text().contains("Biểu mẫu phải được gửi từ trang"), "{}", r.text());
}
