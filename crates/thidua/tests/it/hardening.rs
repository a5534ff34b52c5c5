//! Issue 20, hardening: each test is one probe that once stopped the server, lost data silently
//! or leaked across units, run against the router (and the binary) on both engines where
//! storage is involved.

use crate::support::{Client, Engine, demo_app, engines};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::io::Write;

/// A workbook whose only cells are A1 and XFD1048576: the file that made the old reader ask
/// for a 512 GiB grid and abort the process.
pub fn far_corners_xlsx() -> Vec<u8> {
    workbook(r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#)
}

/// The same far corner below the household template's header row, so that the header passes.
fn far_corner_below_a_good_header() -> Vec<u8> {
    let cell = |r: &str, t: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#);
    workbook(&format!(
        r#"<row r="1">{}{}{}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        cell("A1", "Mã hộ"),
        cell("B1", "Mã thôn/tổ dân phố"),
        cell("C1", "Họ và tên chủ hộ")
    ))
}

/// A workbook of one sheet holding `rows` (the XML inside `<sheetData>`).
pub fn workbook(rows: &str) -> Vec<u8> {
    let sheet = format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &str); 3] = [
        ("xl/workbook.xml", r#"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", &sheet),
    ];
    for (name, xml) in parts {
        z.start_file(name, opts).expect("start");
        z.write_all(xml.as_bytes()).expect("write");
    }
    z.finish().expect("zip").into_inner()
}

#[tokio::test]
async fn a_read_only_inspector_s_upload_is_refused_before_the_file_is_read() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("kiemtra").await;
    let csrf = c.csrf.clone();
    let bomb = far_corners_xlsx();
    for path in ["/titles/upload", "/import"] {
        let r = c.post_multipart(path, &[("_csrf", &csrf), ("kind", "households")], "x.xlsx", &bomb).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text());
    }
    let r = c
        .send(
            Request::post("/api/v1/import/households?dry_run=true")
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(Body::from(bomb.clone()))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
}

#[tokio::test]
async fn a_ward_officer_s_hostile_workbook_gets_a_vietnamese_reason_and_the_server_goes_on() {
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("phuongbadinh").await;
    let csrf = c.csrf.clone();
    let r = c
        .post_multipart(
            "/import",
            &[("_csrf", &csrf), ("kind", "households"), ("dry_run", "1")],
            "x.xlsx",
            &far_corner_below_a_good_header(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("XFD1048576") && r.text().contains("512 cột"), "{}", r.text());
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
}

/// `n` households of village BD-TDP01 as an import file.
fn households_csv(prefix: &str, n: usize) -> String {
    let mut csv = String::from("Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ\n");
    for i in 0..n {
        csv.push_str(&format!("{prefix}-{i:05},BD-TDP01,Nguyễn Văn Số {i}\n"));
    }
    csv
}

#[tokio::test]
async fn an_export_holds_every_row_the_user_may_see_not_the_first_page() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = crate::support::actor(&app, "phuongbadinh").await;
        let table = thidua_documents::read_table(households_csv("HGD-XK", 1_200).as_bytes(), 10_000).expect("csv");
        let file = thidua_app::import::FileInfo { name: "t.csv".into(), sha256: "t".into() };
        app.import(&officer, thidua_domain::import::ImportKind::Households, &table, &file, false, &|_| {}).await.expect("import");
        let in_db = app.households(&officer, None, None, thidua_app::ports::PageRequest::new(1, 1)).await.expect("count").total;
        assert!(in_db > 1_200, "{engine:?}: {in_db}");
        let mut c = Client::new(app.clone());
        c.login("phuongbadinh").await;
        let x = c.get("/households/export.xlsx").await;
        assert_eq!(x.status, StatusCode::OK);
        let exported = thidua_documents::read_table(&x.body, 100_000).expect("xlsx").rows.len();
        assert_eq!(exported as i64, in_db, "{engine:?}: the export has every household of the ward");
        let p = c.get("/people/export.xlsx").await;
        let people = app.people(&officer, None, None, None, thidua_app::ports::PersonSort::Name, thidua_app::ports::PageRequest::new(1, 1));
        let people = people.await.expect("count").total;
        assert_eq!(thidua_documents::read_table(&p.body, 100_000).expect("xlsx").rows.len() as i64, people, "{engine:?}");
    }
}

#[test]
fn an_export_cell_longer_than_excel_allows_is_cut_with_a_mark_not_refused() {
    let long = "Nguyễn ".repeat(20_000);
    let sheet = thidua_documents::Sheet { title: "Hộ".into(), headers: vec!["Tên".into()], rows: vec![vec![long], vec!["An".into()]] };
    let bytes = thidua_documents::write_xlsx(&[sheet]).expect("the export is written");
    let back = thidua_documents::read_table(&bytes, 10).expect("reads");
    assert_eq!(back.rows.len(), 2);
    assert!(back.rows[0][0].ends_with(thidua_documents::CUT_MARK), "the cut is marked");
    assert_eq!(back.rows[0][0].chars().count(), thidua_documents::CELL_CHARS);
}
