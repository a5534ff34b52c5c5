//! The rows of one sheet, inflated and parsed as they are read: cells placed by their
//! reference (never a grid sized from the sheet), each value typed by its cell type and style,
//! blank rows kept in place between rows with values, every cell and row checked against the
//! sheet's limits.

use super::{Depth, ReadError, XlsxSheet, attr, bad, from_xml, group, resolve_ref};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// The column index of a cell reference (`C5` → 2); `None` if it is not one.
fn column_of(reference: &str) -> Option<usize> {
    let letters: &str = &reference[..reference.find(|c: char| c.is_ascii_digit()).unwrap_or(reference.len())];
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for b in letters.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        n = n * 26 + usize::from(b - b'A' + 1);
    }
    Some(n - 1)
}

/// Letters of a column index (2 → `C`).
fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

/// The cell being read.
#[derive(Default)]
struct CellState {
    open: bool,
    col: usize,
    kind: String,
    style: usize,
    value: String,
    /// Inside `<v>`, or inside `<t>` of an inline string (not its phonetic run).
    capture: bool,
    in_rph: bool,
}

/// The rows of a sheet as they are inflated and parsed.
pub struct Rows<'a> {
    sheet: &'a XlsxSheet,
    xml: quick_xml::Reader<Box<dyn BufRead + Send + 'a>>,
    buf: Vec<u8>,
    depth: Depth,
    /// The spreadsheet row number the next emitted row has.
    next_number: usize,
    /// Rows without a value seen since the last row with one (emitted only if one follows).
    blank: usize,
    ready: std::collections::VecDeque<Vec<String>>,
    done: bool,
    cell: CellState,
    row: Vec<String>,
    row_number: usize,
    row_bytes: usize,
    /// The header row's width, once it has been read.
    width: Option<usize>,
}

impl<'a> Rows<'a> {
    pub(super) fn new(sheet: &'a XlsxSheet) -> Rows<'a> {
        Rows {
            sheet,
            xml: sheet.xml(sheet.sheet, &sheet.sheet_name),
            buf: Vec::new(),
            depth: Depth::new(sheet.limits.max_depth),
            next_number: 1,
            blank: 0,
            ready: std::collections::VecDeque::new(),
            done: false,
            cell: CellState::default(),
            row: Vec::new(),
            row_number: 0,
            row_bytes: 0,
            width: None,
        }
    }
}

impl Rows<'_> {
    /// Ends the cell being read: its text by type and style, placed in its column.
    fn end_cell(&mut self) -> Result<(), ReadError> {
        let c = std::mem::take(&mut self.cell);
        // A cell without a value (`<c r="B2" s="3"/>`, `<c t="s"></c>`) is an empty cell,
        // whatever its type says.
        if c.value.is_empty() {
            return Ok(());
        }
        let text = match c.kind.as_str() {
            "s" => {
                let i: usize = c.value.trim().parse().map_err(|_| bad(format!("chỉ số chuỗi «{}» không hợp lệ", c.value)))?;
                self.sheet.shared.get(i).ok_or_else(|| bad(format!("chỉ số chuỗi {i} nằm ngoài bảng chuỗi")))?.to_string()
            }
            "b" => if c.value.trim() == "1" { "TRUE" } else { "FALSE" }.to_string(),
            "d" => c.value.split('T').next().unwrap_or("").to_string(),
            "inlineStr" | "str" | "e" => c.value,
            _ => {
                let f: f64 = c.value.trim().parse().map_err(|_| bad(format!("số «{}» không hợp lệ", c.value)))?;
                if self.sheet.date_styles.get(c.style).copied().unwrap_or(false) {
                    crate::read::excel_date(f)
                } else if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{}", f as i64)
                } else {
                    f.to_string()
                }
            }
        };
        if text.is_empty() {
            return Ok(());
        }
        if c.col >= self.sheet.limits.max_cols {
            return Err(ReadError::Limit(format!(
                "ô {}{} có dữ liệu nhưng tệp chỉ được dùng {} cột đầu (A–{})",
                column_name(c.col),
                self.row_number,
                self.sheet.limits.max_cols,
                column_name(self.sheet.limits.max_cols - 1)
            )));
        }
        if text.chars().count() > self.sheet.limits.max_cell_chars {
            return Err(ReadError::Limit(format!(
                "ô {}{} dài hơn {} ký tự",
                column_name(c.col),
                self.row_number,
                group(self.sheet.limits.max_cell_chars as u64)
            )));
        }
        self.row_bytes += text.len();
        if self.row_bytes > self.sheet.limits.max_token_bytes * 4 {
            return Err(ReadError::Limit(format!("dòng {} của tệp Excel dài hơn {} byte", self.row_number, group(self.row_bytes as u64))));
        }
        if self.row.len() <= c.col {
            self.row.resize(c.col + 1, String::new());
        }
        self.row[c.col] = text;
        Ok(())
    }

    /// Ends the row being read: queues the blank rows before it and the row, if it holds a value.
    fn end_row(&mut self) -> Result<(), ReadError> {
        let row = std::mem::take(&mut self.row);
        self.row_bytes = 0;
        if row.iter().all(String::is_empty) {
            return Ok(());
        }
        if self.row_number < self.next_number {
            return Err(bad(format!("dòng {} xuất hiện sau dòng {}", self.row_number, self.next_number - 1)));
        }
        // Row 1 is the header; rows 2.. are data.
        if self.row_number > self.sheet.limits.max_rows.saturating_add(1) {
            return Err(ReadError::TooManyRows(self.row_number - 1, self.sheet.limits.max_rows));
        }
        // Blank rows above the header are not rows of the table.
        self.blank = if self.next_number == 1 { 0 } else { self.row_number - self.next_number };
        self.next_number = self.row_number + 1;
        self.ready.push_back(row);
        Ok(())
    }

    /// Reads events until a row is ready or the sheet ends.
    fn advance(&mut self) -> Result<(), ReadError> {
        let mut buf = std::mem::take(&mut self.buf);
        while self.ready.is_empty() && !self.done {
            buf.clear();
            let ev = self.xml.read_event_into(&mut buf).map_err(from_xml)?;
            self.depth.track(&ev)?;
            match ev {
                Event::Start(e) => match e.local_name().as_ref() {
                    "row" => self.start_row(&e)?,
                    "c" => self.start_cell(&e)?,
                    "v" if self.cell.open => self.cell.capture = true,
                    "t" if self.cell.open && !self.cell.in_rph => self.cell.capture = true,
                    "rPh" if self.cell.open => self.cell.in_rph = true,
                    _ => {}
                },
                Event::Empty(e) => match e.local_name().as_ref() {
                    "row" => {
                        self.start_row(&e)?;
                        self.end_row()?;
                    }
                    "c" => {
                        self.start_cell(&e)?;
                        self.end_cell()?;
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "c" => self.end_cell()?,
                    "row" => self.end_row()?,
                    "v" | "t" => self.cell.capture = false,
                    "rPh" => self.cell.in_rph = false,
                    "sheetData" => self.done = true,
                    _ => {}
                },
                Event::Text(t) if self.cell.capture => self.push_text(&t.xml10_content())?,
                Event::GeneralRef(g) if self.cell.capture => self.push_text(&resolve_ref(&g)?)?,
                Event::CData(t) if self.cell.capture => self.push_text(&t)?,
                Event::Eof => self.done = true,
                _ => {}
            }
        }
        self.buf = buf;
        Ok(())
    }

    fn push_text(&mut self, s: &str) -> Result<(), ReadError> {
        self.cell.value.push_str(s);
        if self.cell.value.len() > self.sheet.limits.max_cell_chars * 4 {
            return Err(ReadError::Limit(format!(
                "ô {}{} dài hơn {} ký tự",
                column_name(self.cell.col),
                self.row_number,
                group(self.sheet.limits.max_cell_chars as u64)
            )));
        }
        Ok(())
    }

    fn start_row(&mut self, e: &BytesStart<'_>) -> Result<(), ReadError> {
        self.row.clear();
        self.row_bytes = 0;
        self.row_number = match attr(e, "r")? {
            Some(r) => r.trim().parse().map_err(|_| bad(format!("số dòng «{r}» không hợp lệ")))?,
            None => self.row_number + 1,
        };
        if self.row_number == 0 || self.row_number > 1_048_576 {
            return Err(bad(format!("số dòng {} nằm ngoài trang tính", self.row_number)));
        }
        Ok(())
    }

    fn start_cell(&mut self, e: &BytesStart<'_>) -> Result<(), ReadError> {
        let reference = attr(e, "r")?;
        let col = match &reference {
            Some(r) => column_of(r).ok_or_else(|| bad(format!("địa chỉ ô «{r}» không hợp lệ")))?,
            None => self.row.len(),
        };
        if col >= 16_384 {
            return Err(bad(format!("địa chỉ ô ở cột {} nằm ngoài trang tính", col + 1)));
        }
        let kind = attr(e, "t")?.unwrap_or_default();
        let style = attr(e, "s")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        self.cell = CellState { open: true, col, kind, style, value: String::new(), capture: false, in_rph: false };
        Ok(())
    }
}

impl Iterator for Rows<'_> {
    type Item = Result<Vec<String>, ReadError>;

    /// Rows as wide as the header row at least (a reader may index any header's column).
    fn next(&mut self) -> Option<Self::Item> {
        let row = self.next_unpadded()?;
        Some(row.map(|mut r| {
            match self.width {
                None => self.width = Some(r.len()),
                Some(w) if r.len() < w => r.resize(w, String::new()),
                _ => {}
            }
            r
        }))
    }
}

impl Rows<'_> {
    fn next_unpadded(&mut self) -> Option<Result<Vec<String>, ReadError>> {
        if self.blank > 0 {
            self.blank -= 1;
            return Some(Ok(Vec::new()));
        }
        if self.ready.is_empty() {
            if let Err(e) = self.advance() {
                self.done = true;
                self.ready.clear();
                return Some(Err(e));
            }
            if self.blank > 0 {
                self.blank -= 1;
                return Some(Ok(Vec::new()));
            }
        }
        self.ready.pop_front().map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_round_trip() {
        for (i, s) in [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")] {
            assert_eq!(column_name(i), s);
            assert_eq!(column_of(&format!("{s}12")), Some(i));
        }
        assert_eq!(column_of("a1"), None);
        assert_eq!(column_of("12"), None);
        assert_eq!(column_of("ABCD1"), None);
    }
}
