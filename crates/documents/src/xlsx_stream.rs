//! An `.xlsx` written as it is sent: the workbook's rows go out page by page, so a list of
//! millions of rows starts downloading at once and the server holds one page of it, never the
//! file. The package is a ZIP written forwards (each part's sizes in a data descriptor after
//! it): the sheets first, as their rows arrive, with every text as an inline string (no shared
//! table to build); the workbook, its relationships, styles and content types last, when the
//! number of sheets is known. A sheet holds [`ROWS_PER_SHEET`] rows under its header; longer
//! lists go on in sheets «(2)», «(3)»…, as [`crate::write_xlsx`] does.

use crate::write::{ROWS_PER_SHEET, fit_cell};
use std::io::Write;
use std::sync::{Arc, Mutex};
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

/// The bytes written so far, taken by [`XlsxStream`] after each page.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Sink {
    fn take(&self) -> Vec<u8> {
        self.0.lock().map(|mut b| std::mem::take(&mut *b)).unwrap_or_default()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Why a streamed workbook could not be written.
#[derive(Debug)]
pub struct StreamError(String);

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "không ghi được tệp Excel: {}", self.0)
    }
}

impl std::error::Error for StreamError {}

fn err(e: impl std::fmt::Display) -> StreamError {
    StreamError(e.to_string())
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A workbook of one list, written forwards.
pub struct XlsxStream {
    zip: ZipWriter<StreamWriter<Sink>>,
    sink: Sink,
    base: String,
    headers: Vec<String>,
    /// Sheets begun so far (the last one open), and data rows in the open one.
    sheets: usize,
    rows_in_sheet: usize,
}

fn options() -> SimpleFileOptions {
    // Level 1: a list's XML compresses ~8× at it, at a fraction of the default level's time.
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).compression_level(Some(1))
}

/// `text` escaped for XML: markup characters as entities, and the characters XML cannot hold
/// (control characters, lone surrogates do not occur in Rust) as Excel's `_xHHHH_`; a literal
/// `_xHHHH_` in the text is kept literal by escaping its underscore.
fn escape(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push_str(&format!("_x{:04X}_", c as u32)),
            '_' if bytes.len() >= i + 7
                && bytes[i + 1] == b'x'
                && bytes[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
                && bytes[i + 6] == b'_' =>
            {
                out.push_str("_x005F_")
            }
            c => out.push(c),
        }
    }
}

/// One row of text cells (`style` 1: the bold header).
fn row_xml(cells: &[String], style: u8, out: &mut String) {
    out.push_str("<row>");
    for v in cells {
        out.push_str(if style == 1 {
            "<c s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
        } else {
            "<c t=\"inlineStr\"><is><t xml:space=\"preserve\">"
        });
        escape(&fit_cell(v), out);
        out.push_str("</t></is></c>");
    }
    out.push_str("</row>");
}

impl XlsxStream {
    /// Starts the workbook with its first sheet, named after `title`, and the header row.
    pub fn new(title: &str, headers: &[String]) -> Result<XlsxStream, StreamError> {
        let sink = Sink::default();
        let base: String = title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(25).collect();
        let mut s = XlsxStream {
            zip: ZipWriter::new_stream(sink.clone()),
            sink,
            base: if base.is_empty() { "Sheet1".into() } else { base },
            headers: headers.to_vec(),
            sheets: 0,
            rows_in_sheet: 0,
        };
        s.begin_sheet()?;
        Ok(s)
    }

    fn begin_sheet(&mut self) -> Result<(), StreamError> {
        self.sheets += 1;
        self.rows_in_sheet = 0;
        self.zip.start_file(format!("xl/worksheets/sheet{}.xml", self.sheets), options()).map_err(err)?;
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"{MAIN_NS}\"><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        );
        // Column widths from the headers (the rows are not known yet); `<cols>` may not be empty.
        if !self.headers.is_empty() {
            xml.push_str("<cols>");
            for (i, h) in self.headers.iter().enumerate() {
                let width = (h.chars().count().max(12) as f64 * 1.2 + 2.0).min(60.0);
                xml.push_str(&format!("<col min=\"{n}\" max=\"{n}\" width=\"{width:.1}\" customWidth=\"1\"/>", n = i + 1));
            }
            xml.push_str("</cols>");
        }
        xml.push_str("<sheetData>");
        row_xml(&self.headers.clone(), 1, &mut xml);
        self.zip.write_all(xml.as_bytes()).map_err(err)
    }

    fn end_sheet(&mut self) -> Result<(), StreamError> {
        self.zip.write_all(b"</sheetData></worksheet>").map_err(err)
    }

    /// Writes `rows` and returns the bytes of the file ready to send.
    pub fn rows(&mut self, rows: &[Vec<String>]) -> Result<Vec<u8>, StreamError> {
        let mut xml = String::with_capacity(rows.len() * 160);
        for r in rows {
            if self.rows_in_sheet == ROWS_PER_SHEET {
                self.zip.write_all(xml.as_bytes()).map_err(err)?;
                xml.clear();
                self.end_sheet()?;
                self.begin_sheet()?;
            }
            row_xml(r, 0, &mut xml);
            self.rows_in_sheet += 1;
        }
        self.zip.write_all(xml.as_bytes()).map_err(err)?;
        Ok(self.sink.take())
    }

    /// Closes the last sheet, writes the workbook's other parts and the ZIP's directory, and
    /// returns the file's last bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, StreamError> {
        self.end_sheet()?;
        let names: Vec<String> =
            (1..=self.sheets).map(|i| if i == 1 { self.base.clone() } else { format!("{} ({i})", self.base) }).collect();
        let mut sheets = String::new();
        let mut rels = String::new();
        let mut types = String::new();
        for (i, name) in names.iter().enumerate() {
            let n = i + 1;
            let mut escaped = String::new();
            escape(name, &mut escaped);
            sheets.push_str(&format!("<sheet name=\"{escaped}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>"));
            rels.push_str(&format!("<Relationship Id=\"rId{n}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"));
            types.push_str(&format!(
                "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            ));
        }
        let styles_id = self.sheets + 1;
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
        let parts = [
            ("xl/workbook.xml", format!("{head}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets>{sheets}</sheets></workbook>")),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    "{head}<Relationships xmlns=\"{PKG_REL_NS}\">{rels}<Relationship Id=\"rId{styles_id}\" Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/></Relationships>"
                ),
            ),
            ("xl/styles.xml", format!("{head}{STYLES}").replace("{MAIN_NS}", MAIN_NS)),
            (
                "_rels/.rels",
                format!(
                    "{head}<Relationships xmlns=\"{PKG_REL_NS}\"><Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
                ),
            ),
            (
                "[Content_Types].xml",
                format!(
                    "{head}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>{types}</Types>"
                ),
            ),
        ];
        for (name, xml) in parts {
            self.zip.start_file(name, options()).map_err(err)?;
            self.zip.write_all(xml.as_bytes()).map_err(err)?;
        }
        self.zip.finish().map_err(err)?;
        Ok(self.sink.take())
    }
}

/// Two fonts in Times New Roman (body, bold header), the header's fill and border.
const STYLES: &str = "<styleSheet xmlns=\"{MAIN_NS}\"><fonts count=\"2\"><font><sz val=\"12\"/><name val=\"Times New Roman\"/></font><font><b/><sz val=\"12\"/><name val=\"Times New Roman\"/></font></fonts><fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill><fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDCE6F1\"/><bgColor indexed=\"64\"/></patternFill></fill></fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xlsx::{Limits, Which, XlsxSheet};

    fn written(headers: &[&str], pages: &[Vec<Vec<String>>]) -> Vec<u8> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let mut s = XlsxStream::new("Hộ gia đình", &headers).expect("starts");
        let mut bytes = Vec::new();
        for p in pages {
            bytes.extend(s.rows(p).expect("rows"));
        }
        bytes.extend(s.finish().expect("finishes"));
        bytes
    }

    fn read(bytes: Vec<u8>, sheet: Which<'_>) -> Option<crate::Table> {
        XlsxSheet::open(Arc::from(bytes), sheet, Limits::for_rows(10_000)).expect("opens").map(|s| s.table().expect("reads"))
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn every_row_of_every_page_reads_back_as_written() {
        let pages = vec![
            vec![row(&["HGD-1", "Nguyễn Thị Ánh", ""]), row(&["HGD-2", "Trần Văn Đức", "12"])],
            vec![row(&["HGD-3", "Lê Thị Hồng <b>&\"x\"", "3"])],
        ];
        let table = read(written(&["Mã hộ", "Chủ hộ", "Số nhân khẩu"], &pages), Which::First).expect("the first sheet");
        assert_eq!(table.headers, row(&["Mã hộ", "Chủ hộ", "Số nhân khẩu"]));
        assert_eq!(table.rows, pages.concat());
    }

    #[test]
    fn characters_xml_cannot_hold_are_kept_in_excels_escape() {
        let mut out = String::new();
        escape("a\u{1}b _x0041_ c", &mut out);
        assert_eq!(out, "a_x0001_b _x005F_x0041_ c");
    }

    #[test]
    fn a_list_longer_than_a_sheet_goes_on_in_a_second_sheet() {
        let headers = vec!["Mã".to_string()];
        let mut s = XlsxStream::new("Công dân", &headers).expect("starts");
        let mut bytes = Vec::new();
        let page: Vec<Vec<String>> = (0..ROWS_PER_SHEET / 4 + 1).map(|i| vec![format!("CD-{i}")]).collect();
        for _ in 0..4 {
            bytes.extend(s.rows(&page).expect("rows"));
        }
        bytes.extend(s.finish().expect("finishes"));
        let second = XlsxSheet::open(Arc::from(bytes), Which::Named("Công dân (2)"), Limits::for_rows(ROWS_PER_SHEET + 1))
            .expect("opens")
            .expect("a second sheet");
        let table = second.table().expect("reads");
        assert_eq!(table.headers, headers, "the second sheet repeats the header");
        assert_eq!(table.rows.len(), 4 * page.len() - ROWS_PER_SHEET);
        assert_eq!(table.rows.last(), Some(&vec![format!("CD-{}", page.len() - 1)]));
    }
}
