//! Publishing through the real pages, on SQLite and PostgreSQL: a ward's article on an exemplary
//! model goes public only after DOET's review (returned once, corrected, published, withdrawn),
//! with its photo; the public finds it without typing diacritics; a school's learning resources
//! (a link and a file) are listed, filtered, downloaded and withdrawn; nobody outside the unit
//! touches them.

use crate::support::{Client, PNG, csrf_of, demo_app, engines, unit_id};
use axum::http::StatusCode;

const BODY: &str = "Gia đình bác Nguyễn Văn Hòa ở tổ dân phố số 1 duy trì tủ sách gia đình hơn hai mươi năm.\n\n\
                    Mỗi tối cả nhà dành một giờ đọc sách, cuối tuần mở cửa cho các cháu trong tổ đến đọc và mượn sách.";

fn article_id(location: &str) -> i64 {
    location.rsplit('/').next().and_then(|s| s.parse().ok()).expect("article id in the redirect")
}

async fn version_of(app: &thidua_app::App, id: i64) -> String {
    app.store().article(id).await.expect("q").expect("article").version.to_string()
}

#[tokio::test]
async fn an_article_goes_public_only_after_doets_review_and_can_be_withdrawn() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let mut ward = Client::new(app.clone());
        ward.login("phuonghoankiem").await;
        let form = |title: &str| {
            vec![
                ("kind", "mo-hinh".to_string()),
                ("unit", hk.to_string()),
                ("title", title.to_string()),
                ("summary", "Tủ sách gia đình mở cho cả tổ dân phố.".to_string()),
                ("body", BODY.to_string()),
                ("subjects", "Gia đình ông Nguyễn Văn Hòa".to_string()),
                ("photo_caption", "Tủ sách của gia đình".to_string()),
            ]
        };
        let send = |f: Vec<(&'static str, String)>, csrf: String, version: String| {
            let mut all: Vec<(&str, String)> = vec![("_csrf", csrf), ("version", version)];
            all.extend(f);
            all
        };

        // A photo that is not an image is refused, and nothing is stored.
        let fields = send(form("Tủ sách gia đình"), ward.csrf.clone(), "0".into());
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = ward.post_multipart("/publications/articles", &refs, "anh.png", b"MZ\x90\x00 not an image").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(r.text().contains("Ảnh phải là tệp JPEG hoặc PNG"), "{engine:?}: {}", r.text());

        let r = ward.post_multipart("/publications/articles", &refs, "anh.png", PNG).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let id = article_id(&r.location());
        let mut public = Client::new(app.clone());
        assert_eq!(public.get(&format!("/guong-dien-hinh/{id}")).await.status, StatusCode::NOT_FOUND, "{engine:?}: a draft is not public");
        assert_eq!(public.get(&format!("/guong-dien-hinh/{id}/anh")).await.status, StatusCode::NOT_FOUND, "{engine:?}");
        assert_eq!(
            ward.get(&format!("/publications/articles/{id}/photo")).await.status,
            StatusCode::OK,
            "{engine:?}: its unit sees the photo"
        );

        // The author cannot publish it; submitting sends it to DOET.
        let v = version_of(&app, id).await;
        let r = ward.post_form(&format!("/publications/articles/{id}/step"), &[("version", &v), ("step", "publish")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{engine:?}");
        let r = ward.post_form(&format!("/publications/articles/{id}/step"), &[("version", &v), ("step", "submit")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}");

        // Another ward neither reads nor changes it.
        let mut other = Client::new(app.clone());
        other.login("phuongbadinh").await;
        assert_eq!(other.get(&format!("/publications/articles/{id}")).await.status, StatusCode::FORBIDDEN, "{engine:?}");
        assert!(!other.get("/publications").await.text().contains("Tủ sách gia đình"), "{engine:?}: not in another ward's list");

        // DOET returns it with a reason (a reason is required); the ward sees why and corrects it.
        let mut doet = Client::new(app.clone());
        doet.login("sogd").await;
        assert!(doet.get("/publications?state=submitted").await.text().contains("Tủ sách gia đình"), "{engine:?}: waiting for DOET");
        let v = version_of(&app, id).await;
        let r = doet.post_form(&format!("/publications/articles/{id}/step"), &[("version", &v), ("step", "return"), ("reason", "")]).await;
        assert!(r.text().contains("cần ghi lý do"), "{engine:?}");
        let r = doet
            .post_form(
                &format!("/publications/articles/{id}/step"),
                &[("version", &v), ("step", "return"), ("reason", "Ghi rõ số đầu sách.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}");
        let page = ward.get(&format!("/publications/articles/{id}")).await.text();
        assert!(page.contains("Ghi rõ số đầu sách."), "{engine:?}");
        let fields = send(form("Tủ sách gia đình 1.200 đầu sách"), csrf_of(&page), version_of(&app, id).await);
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = ward.post_multipart(&format!("/publications/articles/{id}"), &refs, "", b"").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let stored = app.store().article(id).await.expect("q").expect("article");
        assert!(stored.photo_sha256.is_some(), "{engine:?}: an edit without a new photo keeps the old one");
        let v = version_of(&app, id).await;
        ward.post_form(&format!("/publications/articles/{id}/step"), &[("version", &v), ("step", "submit")]).await;
        let v = version_of(&app, id).await;
        let r = doet.post_form(&format!("/publications/articles/{id}/step"), &[("version", &v), ("step", "publish")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}");

        // The public reads it, with its photo, and finds it typing without diacritics.
        let page = public.get(&format!("/guong-dien-hinh/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{engine:?}");
        assert!(page.text().contains("Tủ sách gia đình 1.200 đầu sách") && page.text().contains("Phường Hoàn Kiếm"), "{engine:?}");
        let photo = public.get(&format!("/guong-dien-hinh/{id}/anh")).await;
        assert_eq!((photo.status, photo.body.as_slice()), (StatusCode::OK, PNG), "{engine:?}");
        assert_eq!(photo.headers["content-type"], "image/png", "{engine:?}");
        assert_eq!(photo.headers["x-content-type-options"], "nosniff", "{engine:?}: never sniffed into a page");
        let found = public.get("/guong-dien-hinh?q=tu+sach+GIA+DINH").await.text();
        assert!(found.contains(&format!("/guong-dien-hinh/{id}\"")), "{engine:?}: diacritic-insensitive search");
        let none = public.get("/guong-dien-hinh?q=tu+sach&loai=sang-kien").await.text();
        assert!(!none.contains(&format!("/guong-dien-hinh/{id}\"")), "{engine:?}: filtered by kind");
        // A published article is not edited in place.
        let r = ward.post_multipart(&format!("/publications/articles/{id}"), &refs, "", b"").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");

        // DOET takes it down: gone from the public at once.
        let v = version_of(&app, id).await;
        let r = doet
            .post_form(&format!("/publications/articles/{id}/step"), &[("version", &v), ("step", "withdraw"), ("reason", "Sai tên.")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}");
        assert_eq!(public.get(&format!("/guong-dien-hinh/{id}")).await.status, StatusCode::NOT_FOUND, "{engine:?}");
        assert!(!public.get("/guong-dien-hinh").await.text().contains(&format!("/guong-dien-hinh/{id}\"")), "{engine:?}");

        // Every step is in the audit log.
        let admin = crate::support::actor(&app, "admin").await;
        let audit = app
            .audit_page(&admin, &thidua_app::ports::AuditFilter::default(), thidua_app::ports::PageRequest::new(1, 50))
            .await
            .expect("audit");
        let actions: Vec<&str> = audit.items.iter().filter(|e| e.entity == "article").map(|e| e.action.as_str()).collect();
        for a in ["article.create", "article.submit", "article.return", "article.update", "article.publish", "article.withdraw"] {
            assert!(actions.contains(&a), "{engine:?}: {a} missing from {actions:?}");
        }
    }
}

#[tokio::test]
async fn an_initiative_needs_its_recognising_decision() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let hk = unit_id(&app, "P-HOANKIEM").await;
    let mut ward = Client::new(app.clone());
    ward.login("phuonghoankiem").await;
    let (csrf, unit) = (ward.csrf.clone(), hk.to_string());
    let mut fields = vec![
        ("_csrf", csrf.as_str()),
        ("version", "0"),
        ("kind", "sang-kien"),
        ("unit", unit.as_str()),
        ("title", "Sổ theo dõi học tập điện tử"),
        ("body", BODY),
    ];
    let r = ward.post_multipart("/publications/articles", &fields, "", b"").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("quyết định công nhận"), "{}", r.text());
    fields.push(("recognition", "Quyết định số 15/QĐ-UBND ngày 10/11/2026 của UBND phường Hoàn Kiếm"));
    assert_eq!(ward.post_multipart("/publications/articles", &fields, "", b"").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_ward_shares_learning_resources_the_public_finds_filters_downloads_and_they_can_be_withdrawn() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let hk = unit_id(&app, "P-HOANKIEM").await;
        let mut ward = Client::new(app.clone());
        ward.login("phuonghoankiem").await;
        let (csrf, unit) = (ward.csrf.clone(), hk.to_string());
        let link = [
            ("_csrf", csrf.as_str()),
            ("unit", unit.as_str()),
            ("title", "Kỹ năng số cho người cao tuổi"),
            ("topic", "chuyen-doi-so"),
            ("level", "nguoi-lon"),
            ("description", "Dùng điện thoại thông minh, dịch vụ công trực tuyến."),
            ("url", "https://hanoi.edu.vn/ky-nang-so"),
        ];
        assert_eq!(ward.post_multipart("/publications/resources", &link, "", b"").await.status, StatusCode::SEE_OTHER, "{engine:?}");
        // A link that is not http(s) is refused with the reason, and nothing is stored.
        let mut bad = link;
        bad[6] = ("url", "javascript:alert(1)");
        let r = ward.post_multipart("/publications/resources", &bad, "", b"").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
        assert!(r.text().contains("http:// hoặc https://"), "{engine:?}");
        let pdf = b"%PDF-1.4\n% So tay hoc tap suot doi\n%%EOF\n";
        let file = [
            ("_csrf", csrf.as_str()),
            ("unit", unit.as_str()),
            ("title", "Sổ tay học tập suốt đời"),
            ("topic", "ky-nang-song"),
            ("level", "moi-lua-tuoi"),
            ("url", ""),
        ];
        assert_eq!(
            ward.post_multipart("/publications/resources", &file, "sổ tay.pdf", pdf).await.status,
            StatusCode::SEE_OTHER,
            "{engine:?}"
        );

        let mut public = Client::new(app.clone());
        let all = public.get("/hoc-lieu").await.text();
        assert!(all.contains("Kỹ năng số cho người cao tuổi") && all.contains("Sổ tay học tập suốt đời"), "{engine:?}");
        assert!(all.contains("href=\"https://hanoi.edu.vn/ky-nang-so\""), "{engine:?}");
        let digital = public.get("/hoc-lieu?chu-de=chuyen-doi-so").await.text();
        assert!(digital.contains("Kỹ năng số") && !digital.contains("Sổ tay học tập"), "{engine:?}: filtered by topic");
        let search = public.get("/hoc-lieu?q=so+tay+hoc+tap").await.text();
        assert!(
            search.contains("Sổ tay học tập suốt đời") && !search.contains("Kỹ năng số cho"),
            "{engine:?}: searched without diacritics"
        );
        let id = app.public_resources(None, None, "so tay", thidua_app::ports::PageRequest::new(1, 10)).await.expect("q").items[0].id;
        let got = public.get(&format!("/hoc-lieu/{id}/tep")).await;
        assert_eq!((got.status, got.body.as_slice()), (StatusCode::OK, pdf.as_slice()), "{engine:?}");

        // Another ward cannot withdraw it; its own ward can, and the file is gone from the public.
        let mut other = Client::new(app.clone());
        other.login("phuongbadinh").await;
        let r = other.post_form(&format!("/publications/resources/{id}/withdraw"), &[("version", "1")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{engine:?}");
        let r = ward.post_form(&format!("/publications/resources/{id}/withdraw"), &[("version", "1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}");
        assert_eq!(public.get(&format!("/hoc-lieu/{id}/tep")).await.status, StatusCode::NOT_FOUND, "{engine:?}");
        assert!(!public.get("/hoc-lieu").await.text().contains("Sổ tay học tập suốt đời"), "{engine:?}");
    }
}
