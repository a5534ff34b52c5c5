//! Writing `.xlsx` files: import templates and list exports.

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder, Note, Workbook, XlsxError};
use thidua_domain::import::ImportKind;

/// A sheet to write: title (the sheet's name), headers and rows of text.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn header_format() -> Format {
    Format::new().set_bold().set_background_color("#DCE6F1").set_border(FormatBorder::Thin).set_font_name("Times New Roman")
}

/// Data rows one Excel sheet holds below its header row.
pub const ROWS_PER_SHEET: usize = 1_048_575;
/// Characters one Excel cell holds.
pub const CELL_CHARS: usize = 32_767;
/// Appended to a cell cut to fit Excel, so that a reader sees it was cut.
pub const CUT_MARK: &str = " …[đã cắt, xem bản đầy đủ trong hệ thống]";

/// A cell's text as Excel can hold it: whole, or cut with [`CUT_MARK`] at the end.
pub fn fit_cell(v: &str) -> std::borrow::Cow<'_, str> {
    if v.len() <= CELL_CHARS || v.chars().count() <= CELL_CHARS {
        return v.into();
    }
    let keep = CELL_CHARS - CUT_MARK.chars().count();
    let mut out: String = v.chars().take(keep).collect();
    out.push_str(CUT_MARK);
    out.into()
}

/// Writes sheets to an xlsx file in memory: bold headers, frozen header row, filters. Every row
/// is written: a sheet of more rows than Excel holds goes on in sheets «(2)», «(3)»…, and a
/// cell longer than Excel holds is cut with a visible mark, so an export never fails or drops
/// a row because of what is stored.
pub fn write_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let body = Format::new().set_font_name("Times New Roman");
    for sheet in sheets {
        // Excel limits sheet names to 31 characters and forbids some symbols.
        let base: String = sheet.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(25).collect();
        let base = if base.is_empty() { "Sheet1".to_string() } else { base };
        let parts: Vec<&[Vec<String>]> = if sheet.rows.is_empty() { vec![&[]] } else { sheet.rows.chunks(ROWS_PER_SHEET).collect() };
        for (part, rows) in parts.into_iter().enumerate() {
            let ws = wb.add_worksheet();
            if part == 0 {
                ws.set_name(&base)?;
            } else {
                ws.set_name(format!("{base} ({})", part + 1))?;
            }
            for (c, h) in sheet.headers.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                ws.write_string_with_format(0, col, fit_cell(h), &header_format())?;
                let width = rows.iter().take(200).filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0);
                ws.set_column_width(col, (width.max(h.chars().count()) as f64 * 1.1 + 2.0).min(60.0))?;
            }
            for (r, row) in rows.iter().enumerate() {
                let rr = u32::try_from(r + 1).unwrap_or(u32::MAX);
                for (c, v) in row.iter().enumerate() {
                    ws.write_string_with_format(rr, u16::try_from(c).unwrap_or(u16::MAX), fit_cell(v), &body)?;
                }
            }
            ws.set_freeze_panes(1, 0)?;
            if !sheet.headers.is_empty() {
                let last_col = u16::try_from(sheet.headers.len() - 1).unwrap_or(0);
                ws.autofilter(0, 0, u32::try_from(rows.len()).unwrap_or(0), last_col)?;
            }
        }
    }
    wb.save_to_buffer()
}

/// The import template of a kind: the header row, a note on each header saying what goes in
/// it, and (optionally) pre-filled rows such as the units of the user's scope.
pub fn template(kind: ImportKind, example_rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(kind.label_vi())?;
    let required = header_format().set_font_color("#9C0006");
    for (c, col) in kind.columns().iter().enumerate() {
        let cc = u16::try_from(c).unwrap_or(u16::MAX);
        let fmt = if col.required { &required } else { &header_format() };
        ws.write_string_with_format(0, cc, col.header, fmt)?;
        let req = if col.required { "Bắt buộc. " } else { "" };
        ws.insert_note(0, cc, &Note::new(format!("{req}{}", col.hint)).set_author("thidua"))?;
        ws.set_column_width(cc, (col.header.chars().count() as f64 * 1.2 + 4.0).max(14.0))?;
    }
    for (r, row) in example_rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(u32::try_from(r + 1).unwrap_or(u32::MAX), u16::try_from(c).unwrap_or(u16::MAX), v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

/// The name of the sheet that carries what an assessment template is for.
pub const INFO_SHEET: &str = "Thông tin";
/// The information sheet's key for the criteria set's storage number.
pub const INFO_SET: &str = "Mã lưu trữ";
/// The information sheet's key for the year assessed.
pub const INFO_YEAR: &str = "Năm đánh giá";

/// An assessment template: the sheet to fill (headers with a note each, pre-filled rows) and
/// an information sheet of key/value pairs (criteria set, version, year) read back on upload.
/// What a column of an assessment template accepts: Excel offers the list or checks the range
/// as the assessor types, and warns (the assessor may still keep a value the import reads, such
/// as «8 KMC»); the import checks every cell again.
#[derive(Debug, Clone, PartialEq)]
pub enum Allowed {
    List(Vec<String>),
    Between(f64, f64),
    Any,
}

/// The rule of one column: which column, the box Excel shows when the cell is selected.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRule {
    pub column: usize,
    pub title: String,
    pub message: String,
    pub allowed: Allowed,
}

/// Rows below the listed subjects that still carry the column rules (a subject added by hand).
const RULE_ROWS_BELOW: u32 = 1_000;

fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

pub fn assessment_template(
    title: &str,
    headers: &[String],
    notes: &[String],
    rows: &[Vec<String>],
    info: &[(String, String)],
    rules: &[ColumnRule],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let name: String = title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(if name.is_empty() { "Đánh giá" } else { &name })?;
    for (c, h) in headers.iter().enumerate() {
        let cc = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, cc, h, &header_format())?;
        if let Some(n) = notes.get(c).filter(|n| !n.is_empty()) {
            ws.insert_note(0, cc, &Note::new(n).set_author("thidua"))?;
        }
        ws.set_column_width(cc, if c < 4 { 18.0 } else { 14.0 })?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(u32::try_from(r + 1).unwrap_or(u32::MAX), u16::try_from(c).unwrap_or(u16::MAX), v)?;
        }
    }
    ws.set_freeze_panes(1, 4)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX).saturating_add(RULE_ROWS_BELOW);
    for r in rules {
        let v = DataValidation::new()
            .ignore_blank(true)
            .set_input_title(cut(&r.title, 32))?
            .set_input_message(cut(&r.message, 255))?
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message(cut(&format!("Giá trị không đúng: {}", r.message), 255))?;
        let v = match &r.allowed {
            Allowed::List(items) => v.allow_list_strings(&items.iter().map(String::as_str).collect::<Vec<_>>())?,
            Allowed::Between(lo, hi) => v.allow_decimal_number(DataValidationRule::Between(*lo, *hi)),
            Allowed::Any => v.allow_any_value(),
        };
        let col = u16::try_from(r.column).unwrap_or(u16::MAX);
        ws.add_data_validation(1, col, last_row, col, &v)?;
    }
    let info_ws = wb.add_worksheet();
    info_ws.set_name(INFO_SHEET)?;
    for (r, (k, v)) in info.iter().enumerate() {
        let rr = u32::try_from(r).unwrap_or(u32::MAX);
        info_ws.write_string_with_format(rr, 0, k, &header_format())?;
        info_ws.write_string(rr, 1, v)?;
    }
    info_ws.set_column_width(0, 28.0)?;
    info_ws.set_column_width(1, 60.0)?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_table;

    #[test]
    fn an_exported_sheet_reads_back_with_every_diacritic() {
        let sheet = Sheet {
            title: "Hộ gia đình".into(),
            headers: vec!["Mã hộ".into(), "Họ và tên chủ hộ".into()],
            rows: vec![vec!["HGD-1".into(), "Nguyễn Thị Ánh Tuyết".into()], vec!["HGD-2".into(), "Đỗ Văn Ướt".into()]],
        };
        let bytes = write_xlsx(&[sheet]).unwrap_or_default();
        let t = read_table(&bytes, 100).unwrap_or_default();
        assert_eq!(t.headers, vec!["Mã hộ", "Họ và tên chủ hộ"]);
        assert_eq!(t.rows[1], vec!["HGD-2", "Đỗ Văn Ướt"]);
    }

    #[test]
    fn a_template_has_the_kinds_headers_in_order() {
        let bytes = template(ImportKind::Households, &[]).unwrap_or_default();
        let t = read_table(&bytes, 100).unwrap_or_default();
        let expected: Vec<String> = ImportKind::Households.columns().iter().map(|c| c.header.to_string()).collect();
        assert_eq!(t.headers, expected);
    }
}

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
/// return first) is written with a leading `'`, which spreadsheets show as text; plain numbers
/// such as `-5` or `+3.5` are left as they are.
pub fn neutralise_csv_cell(v: &str) -> std::borrow::Cow<'_, str> {
    let risky = v.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && v.trim().parse::<f64>().is_err() { format!("'{v}").into() } else { v.into() }
}

/// Writes a CSV for spreadsheets: UTF-8 with a byte-order mark (Excel then reads the Vietnamese
/// text as UTF-8), every cell neutralised by [`neutralise_csv_cell`].
pub fn write_csv(headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    csv_chunk(Some(headers), rows)
}

/// A piece of a CSV sent as it is written: with `headers`, the file's start (the byte-order mark
/// and the header row), then `rows`, every cell neutralised as in [`write_csv`].
pub fn csv_chunk(headers: Option<&[&str]>, rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let start: &[u8] = if headers.is_some() { b"\xEF\xBB\xBF" } else { b"" };
    let mut buf = Vec::with_capacity(start.len() + rows.len() * 120);
    buf.extend_from_slice(start);
    let mut w = csv::Writer::from_writer(buf);
    if let Some(headers) = headers {
        w.write_record(headers.iter().map(|h| neutralise_csv_cell(h).into_owned()))?;
    }
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise_csv_cell(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn formulas_in_csv_cells_are_written_as_text() {
        for (cell, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("-5", "-5"),
            ("12.5", "12.5"),
            ("Phường Ba Đình", "Phường Ba Đình"),
        ] {
            assert_eq!(neutralise_csv_cell(cell), out, "{cell:?}");
        }
    }

    #[test]
    fn a_csv_starts_with_a_byte_order_mark_and_keeps_every_row() {
        let bytes = write_csv(&["ma", "ten"], &[vec!["=1".into(), "Hà Nội".into()], vec!["2".into(), "Huế".into()]]).unwrap_or_default();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8_lossy(&bytes[3..]).to_string();
        assert_eq!(text, "ma,ten\n'=1,Hà Nội\n2,Huế\n");
    }
}
