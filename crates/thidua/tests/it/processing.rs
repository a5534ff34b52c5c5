//! The record of processing and the impact-assessment dossier (issue 18 §1), on both engines.

use crate::support::{Client, actor, demo_app, engines};
use axum::http::StatusCode;
use thidua_domain::dates::format_dmy;

#[tokio::test]
async fn the_administrator_downloads_the_impact_dossier_naming_every_purpose_and_its_due_day() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let record = app.processing_record(&actor(&app, "admin").await).await.expect("record");
        assert_eq!(record.due, record.started.max(record.law_from) + time::Duration::days(60), "{engine:?}");
        let mut c = Client::new(app.clone());
        c.login("admin").await;
        let page = c.get("/admin/privacy").await;
        assert_eq!(page.status, StatusCode::OK, "{engine:?}");
        assert!(
            page.text().contains(&format_dmy(record.due)) && page.text().contains("tạm định"),
            "{engine:?}: the due day, provisional marks"
        );
        let file = c.get("/admin/privacy/dossier.docx").await;
        assert_eq!(file.status, StatusCode::OK, "{engine:?}");
        let text = thidua_documents::docx_text(&file.body).expect("a Word document");
        for p in &record.record.purposes {
            assert!(text.contains(&p.name), "{engine:?}: {} is in the dossier", p.code);
        }
        assert!(text.contains("HỒ SƠ") && text.contains(&format!("hạn gửi hồ sơ: {}", format_dmy(record.due))), "{engine:?}");
        assert!(text.contains("Cử bộ phận, nhân sự phụ trách bảo vệ dữ liệu cá nhân"), "{engine:?}: the operator's duties");
    }
}

#[tokio::test]
async fn a_ward_officer_does_not_see_the_city_s_record_of_processing() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let mut c = Client::new(app.clone());
        c.login("phuongbadinh").await;
        assert_eq!(c.get("/admin/privacy/dossier.docx").await.status, StatusCode::FORBIDDEN, "{engine:?}");
    }
}
