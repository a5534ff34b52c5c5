//! The hostile-file corpus: every file here was, or is of the kind that was, able to stop the
//! server or exhaust its memory. Each goes through every reader (`read_table`, the streaming
//! `Upload` an import uses, the information sheet of a template, the CSV stream) and must be
//! refused with a Vietnamese reason naming what is wrong, quickly, without a panic and without
//! growing the process.

// Tests fail by panicking with a message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::Write;
use thidua_documents::xlsx::{Limits, Which, XlsxSheet};
use thidua_documents::{ReadError, Upload, read_pairs, read_table, template_target};
use thidua_domain::import::RowSource;
use zip::write::SimpleFileOptions;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A workbook of the given parts (besides the workbook and its relationships), deflated.
fn book(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let all = [("xl/workbook.xml", WORKBOOK.as_bytes()), ("xl/_rels/workbook.xml.rels", RELS.as_bytes())];
    for (name, data) in all.iter().chain(parts.iter()) {
        z.start_file(*name, opts).expect("start");
        z.write_all(data).expect("write");
    }
    z.finish().expect("finish").into_inner()
}

/// A workbook whose one sheet holds `rows` (inside `<sheetData>`).
fn sheet(rows: &str) -> Vec<u8> {
    let xml = format!(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    book(&[("xl/worksheets/sheet1.xml", xml.as_bytes())])
}

/// A workbook whose sheet part is `len` bytes of `pattern` repeated, between a header row and the end,
/// written in pieces so that the test itself stays small.
fn inflating(pattern: &[u8], len: usize) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(9));
    for (name, data) in [("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", RELS)] {
        z.start_file(name, opts).expect("start");
        z.write_all(data.as_bytes()).expect("write");
    }
    z.start_file("xl/worksheets/sheet1.xml", opts.large_file(true)).expect("start");
    z.write_all(br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>M&#227; h&#7897;</t></is></c></row>"#).expect("write");
    let block = pattern.repeat((1 << 20) / pattern.len());
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len());
        z.write_all(&block[..n]).expect("write");
        left -= n;
    }
    z.write_all(b"</sheetData></worksheet>").expect("write");
    z.finish().expect("finish").into_inner()
}

/// Every reader an upload can reach, each of which must refuse `bytes` (or read it within its
/// limits). Returns the reasons given, for the assertions.
fn through_every_reader(bytes: &[u8]) -> Vec<String> {
    let mut reasons = vec![];
    if let Err(e) = read_table(bytes, 10_000) {
        reasons.push(e.to_string());
    }
    match Upload::open(bytes.to_vec(), 10_000) {
        Err(e) => reasons.push(e.to_string()),
        Ok(u) => {
            if let Err(e) = u.check() {
                reasons.push(e.to_string());
            }
            if let Ok(rows) = u.rows()
                && let Some(Err(e)) = rows.into_iter().find(Result::is_err)
            {
                reasons.push(e);
            }
        }
    }
    // The information sheet is read before the rows; it must not fail any louder.
    let _ = read_pairs(bytes, "Thông tin");
    let _ = template_target(bytes);
    reasons
}

fn refused_with(bytes: &[u8], needle: &str) {
    let started = std::time::Instant::now();
    let reasons = through_every_reader(bytes);
    assert!(reasons.len() >= 2, "every reader refuses the file, got {reasons:?}");
    assert!(reasons.iter().all(|r| r.contains(needle)), "each reason names «{needle}»: {reasons:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "refused in {:?}", started.elapsed());
}

#[test]
fn a_sheet_with_cells_at_its_two_far_corners_is_refused_naming_the_column_limit() {
    let bytes =
        sheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#);
    refused_with(&bytes, "XFD1048576");
}

#[test]
fn a_value_in_the_last_row_counts_against_the_row_limit_without_a_grid() {
    let bytes =
        sheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576"><c r="A1048576"><v>1</v></c></row>"#);
    refused_with(&bytes, "vượt giới hạn 10000 dòng");
}

#[test]
fn empty_styled_cells_far_away_are_ignored() {
    let bytes = sheet(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Tên</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>An</t></is></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row>"#,
    );
    let t = read_table(&bytes, 10).expect("read");
    assert_eq!(t.headers, vec!["Tên"]);
    assert_eq!(t.rows, vec![vec!["An".to_string()]]);
}

#[test]
fn a_zip_bomb_is_stopped_once_its_inflated_size_betrays_it() {
    // 64 MiB of empty elements deflate to about 64 KiB: far beyond 200 times their size.
    let bytes = inflating(b"<x/>", 64 << 20);
    assert!(bytes.len() < 1 << 20, "the bomb is small: {} bytes", bytes.len());
    refused_with(&bytes, "giải nén vượt");
}

#[test]
fn a_truncated_workbook_is_refused_as_damaged() {
    let good = sheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>"#);
    for cut in [good.len() / 2, good.len() - 10, 30] {
        refused_with(&good[..cut], "bị hỏng");
    }
}

#[test]
fn files_of_other_kinds_are_refused_whatever_their_name() {
    refused_with(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "không được hỗ trợ");
    refused_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "không được hỗ trợ");
    refused_with(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "không được hỗ trợ");
    // A Word document is a ZIP too, without a workbook.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("word/document.xml", SimpleFileOptions::default()).expect("start");
    z.write_all(b"<w:document/>").expect("write");
    refused_with(&z.finish().expect("finish").into_inner(), "xl/workbook.xml");
}

#[test]
fn a_shared_strings_table_over_its_limits_is_refused() {
    let mut sst = String::from("<sst>");
    for i in 0..2_000 {
        sst.push_str(&format!("<si><t>chuỗi số {i}</t></si>"));
    }
    sst.push_str("</sst>");
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    let xml = format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
    let bytes = book(&[("xl/worksheets/sheet1.xml", xml.as_bytes()), ("xl/sharedStrings.xml", sst.as_bytes())]);
    let few = Limits { max_shared_count: 1_000, ..Limits::for_rows(10) };
    let e = XlsxSheet::open(bytes.clone().into(), Which::First, few).err();
    assert!(matches!(&e, Some(ReadError::Limit(m)) if m.contains("1.000 chuỗi")), "{e:?}");
    let small = Limits { max_shared_bytes: 10_000, ..Limits::for_rows(10) };
    let e = XlsxSheet::open(bytes.clone().into(), Which::First, small).err();
    assert!(matches!(&e, Some(ReadError::Limit(m)) if m.contains("10.000 byte")), "{e:?}");
    // Within the default limits the same file reads.
    assert_eq!(read_table(&bytes, 10).expect("reads").headers, vec!["chuỗi số 0"]);
}

#[test]
fn a_shared_string_index_outside_the_table_is_refused() {
    let xml = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>"#;
    let bytes = book(&[("xl/worksheets/sheet1.xml", xml.as_bytes()), ("xl/sharedStrings.xml", b"<sst><si><t>a</t></si></sst>")]);
    refused_with(&bytes, "ngoài bảng chuỗi");
}

#[test]
fn a_row_of_sixteen_thousand_columns_is_refused_naming_the_limit() {
    let mut row = String::from(r#"<row r="1">"#);
    for i in 0..16_384usize {
        let mut col = String::new();
        let mut n = i;
        loop {
            col.insert(0, (b'A' + (n % 26) as u8) as char);
            if n < 26 {
                break;
            }
            n = n / 26 - 1;
        }
        row.push_str(&format!(r#"<c r="{col}1"><v>{i}</v></c>"#));
    }
    row.push_str("</row>");
    refused_with(&sheet(&row), "512 cột");
}

#[test]
fn deeply_nested_xml_is_refused() {
    let mut rows = String::new();
    rows.push_str(&"<a>".repeat(100_000));
    rows.push_str(&"</a>".repeat(100_000));
    refused_with(&sheet(&rows), "lồng các phần tử");
}

#[test]
fn a_cell_longer_than_excel_allows_is_refused() {
    let long = "ạ".repeat(40_000);
    refused_with(&sheet(&format!(r#"<row r="1"><c r="B1" t="inlineStr"><is><t>{long}</t></is></c></row>"#)), "B1 dài hơn 32.767 ký tự");
}

#[test]
fn a_text_run_of_megabytes_without_a_tag_is_stopped_while_it_is_read() {
    let bytes = inflating(b"x", 4 << 20);
    refused_with(&bytes, "dài hơn 1.048.576 byte");
}

#[test]
fn an_unknown_entity_and_rows_out_of_order_are_refused_as_damaged() {
    refused_with(&sheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>"#), "bị hỏng");
    refused_with(
        &sheet(r#"<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>"#),
        "xuất hiện sau",
    );
}

#[test]
fn dates_numbers_and_booleans_read_as_an_officer_typed_them() {
    let styles = r#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>"#;
    let xml = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Ngày</t></is></c><c r="B1" t="inlineStr"><is><r><t>Số </t></r><r><t>tiền</t></r></is></c></row><row r="3"><c r="A3" s="1"><v>45839</v></c><c r="B3"><v>1234567</v></c><c r="C3" t="b"><v>1</v></c><c r="D3" s="2"><v>45658</v></c><c r="E3"><v>12.5</v></c></row></sheetData></worksheet>"#;
    let bytes = book(&[("xl/worksheets/sheet1.xml", xml.as_bytes()), ("xl/styles.xml", styles.as_bytes())]);
    let t = read_table(&bytes, 10).expect("reads");
    assert_eq!(t.headers, vec!["Ngày", "Số tiền"]);
    // Row 2 is blank and stays in place, so row numbers in error reports match the sheet.
    assert_eq!(
        t.rows,
        vec![
            vec![String::new(), String::new()],
            vec!["01/07/2025".into(), "1234567".into(), "TRUE".into(), "01/01/2025".into(), "12.5".into()]
        ]
    );
}

#[test]
fn the_corpus_leaves_the_process_small() {
    // Every hostile file of this corpus at the default limits, one after another; the peak
    // resident size of the test process stays far below what one of them used to take
    // (512 GiB asked for by the corners, 1.3 GB by the bomb).
    let corpus = [
        sheet(r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#),
        inflating(b"<x/>", 64 << 20),
        inflating(b"x", 8 << 20),
        sheet(&format!("{}{}", "<a>".repeat(50_000), "</a>".repeat(50_000))),
    ];
    for f in &corpus {
        let _ = through_every_reader(f);
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("the process's peak resident size (VmHWM) is readable");
    assert!(hwm_kb < 400 * 1024, "peak resident size {hwm_kb} kB");
}

#[test]
fn a_cell_without_a_value_is_empty_whatever_its_type() {
    let bytes = sheet(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Tên</t></is></c><c r="B1" t="inlineStr"><is><t>Số</t></is></c></row><row r="2"><c r="A2" t="s"></c><c r="B2" t="n"/><c r="C2" t="b"></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>An</t></is></c></row>"#,
    );
    let t = read_table(&bytes, 10).expect("reads");
    assert_eq!(t.rows, vec![vec![String::new(), String::new()], vec!["An".to_string(), String::new()]]);
}
