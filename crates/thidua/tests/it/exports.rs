//! Exports at any length (issue 19): the household and citizen lists as CSV and `.xlsx`,
//! streamed page by page by key, on both engines.

use crate::support::{Client, actor, demo_app, engines, unit_id};
use thidua_app::import::FileInfo;
use thidua_app::ports::PageRequest;
use thidua_domain::import::{ImportKind, Table};

/// More households than two pages of a streamed export (5,000 each) in one village.
const MANY: usize = 12_001;

#[tokio::test]
async fn an_export_holds_every_row_of_the_list_across_its_pages_in_the_template_s_columns() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let rows: Vec<Vec<String>> =
            (0..MANY).map(|i| vec![format!("HGD-CSV-{i:05}"), "BD-TDP01".into(), "Đinh Thị Xuân".into()]).collect();
        let table = Table { headers: vec!["Mã hộ".into(), "Mã thôn/tổ dân phố".into(), "Họ và tên chủ hộ".into()], rows };
        let file = FileInfo { name: "csv.csv".into(), sha256: "0".into() };
        app.import(&officer, ImportKind::Households, &table, &file, false, &|_| {}).await.expect("import");
        let ward = unit_id(&app, "P-BADINH").await;
        let listed = app.households(&officer, Some(ward), None, PageRequest::new(1, 1)).await.expect("list").total;

        let mut c = Client::new(app);
        c.login("phuongbadinh").await;
        let template: Vec<String> = ImportKind::Households.columns().iter().map(|c| c.header.to_string()).collect();
        for (ext, content_type) in
            [("csv", "text/csv; charset=utf-8"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
        {
            let r = c.get(&format!("/households/export.{ext}?unit={ward}")).await;
            assert_eq!(r.status, 200, "{engine:?} {ext}: {}", r.text());
            assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some(content_type), "{engine:?}");
            if ext == "csv" {
                assert!(r.body.starts_with(b"\xEF\xBB\xBF"), "{engine:?}: Excel reads it as UTF-8");
            }
            let sheet = thidua_documents::read_table(&r.body, 100_000).unwrap_or_else(|e| panic!("{engine:?}: a valid {ext}: {e}"));
            assert_eq!(sheet.headers, template, "{engine:?} {ext}: it imports back through the same checks");
            assert_eq!(sheet.rows.len() as i64, listed, "{engine:?} {ext}: every row of the list");
            let mut codes: Vec<&str> = sheet.rows.iter().map(|r| r[0].as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len() as i64, listed, "{engine:?} {ext}: no row twice across the pages");
            for code in ["HGD-CSV-00000", "HGD-CSV-05000", "HGD-CSV-12000"] {
                assert!(codes.binary_search(&code).is_ok(), "{engine:?} {ext}: {code}");
            }
            let row = sheet.rows.iter().find(|r| r[0] == "HGD-CSV-05000").expect("a row of the second page");
            assert_eq!((row[1].as_str(), row[2].as_str()), ("BD-TDP01", "Đinh Thị Xuân"), "{engine:?} {ext}: its cells");
        }
    }
}

#[tokio::test]
async fn an_export_of_a_unit_outside_the_scope_is_refused_before_any_row_is_sent() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let other = unit_id(&app, "P-HOANKIEM").await;
        let mut c = Client::new(app);
        c.login("phuongbadinh").await;
        for path in ["/households/export.csv", "/people/export.csv", "/households/export.xlsx", "/people/export.xlsx"] {
            let r = c.get(&format!("{path}?unit={other}")).await;
            assert!(r.status == 403 || r.status == 404, "{engine:?}: {path} answered {}", r.status);
            let content_type = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(content_type.starts_with("text/html"), "{engine:?}: {path} is an error page, not a file: {content_type}");
        }
        let own = c.get("/people/export.csv").await;
        assert_eq!(own.status, 200, "{engine:?}");
        let sheet = thidua_documents::read_table(&own.body, 100_000).expect("a valid CSV");
        // Ba Đình's groups, and Kim Mã's group 1 that joined it on 01/07/2025.
        let own = |g: &str| g.starts_with("BD-") || g == "KM-TDP01";
        assert!(!sheet.rows.is_empty() && sheet.rows.iter().all(|r| own(&r[4])), "{engine:?}: Ba Đình's citizens only");
    }
}
