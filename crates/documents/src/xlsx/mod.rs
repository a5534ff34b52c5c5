//! A streaming `.xlsx` reader with hard limits, for files nobody has vouched for.
//!
//! A workbook is a ZIP of XML parts. A general-purpose reader sizes a dense grid from the
//! sheet's cells (one cell at A1 and one at XFD1048576 asked for 512 GiB), inflates every part
//! whole, and keeps every row in memory. This reader never does: the sheet is inflated and
//! parsed as a stream, one row at a time, and every limit is checked while the bytes are read —
//! the inflated size of each part (and its ratio to the compressed size: a zip bomb), the number
//! of rows and columns, the length of a cell, of a run of XML without a tag, and the nesting of
//! elements. The shared-strings table is the only part held in memory, in one buffer, bounded.
//!
//! The sheet is read again on each pass of an import ([`RowSource`]), so a file of a million
//! rows costs the memory of its shared strings and one row.

use crate::read::ReadError;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use thidua_domain::import::{RowIter, RowSource, Table};
use zip::CompressionMethod;

mod rows;
pub use rows::Rows;

/// What a workbook may hold before it is refused. Every limit is named in the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Data rows below the header row.
    pub max_rows: usize,
    /// Columns A.. that may hold a value (a value further right is refused, an empty styled
    /// cell is ignored).
    pub max_cols: usize,
    /// Characters in one cell (Excel's own limit is 32,767).
    pub max_cell_chars: usize,
    /// Inflated bytes of one part of the workbook.
    pub max_part_bytes: u64,
    /// Inflated bytes per compressed byte of a part larger than [`Limits::RATIO_FLOOR`].
    pub max_ratio: u64,
    /// Bytes of text in the shared-strings table.
    pub max_shared_bytes: usize,
    /// Entries in the shared-strings table.
    pub max_shared_count: usize,
    /// Bytes of XML between two `<` (one text node or one tag).
    pub max_token_bytes: usize,
    /// Nesting of XML elements.
    pub max_depth: usize,
}

impl Limits {
    /// Parts smaller than this are not judged by their compression ratio.
    pub const RATIO_FLOOR: u64 = 8 << 20;

    /// The limits for an import of at most `max_rows` data rows.
    pub fn for_rows(max_rows: usize) -> Limits {
        Limits {
            max_rows,
            max_cols: 512,
            max_cell_chars: 32_767,
            max_part_bytes: 2 << 30,
            max_ratio: 200,
            max_shared_bytes: 192 << 20,
            max_shared_count: 8_000_000,
            max_token_bytes: 1 << 20,
            max_depth: 32,
        }
    }
}

/// An inflated part grew past its limit, or its tokens past theirs: carried through `io::Error`.
#[derive(Debug)]
struct LimitHit(String);

impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitHit {}

/// Counts the bytes of a part as they are inflated, and the bytes since the last `<`, refusing
/// past either limit: quick-xml buffers a whole token, so a token must never grow unbounded.
struct Guarded<R> {
    inner: R,
    part: String,
    read: u64,
    limit: u64,
    since_tag: usize,
    max_token: usize,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(LimitHit(format!(
                "phần «{}» của tệp Excel giải nén vượt {} byte (tệp nén bất thường)",
                self.part,
                group(self.limit)
            ))));
        }
        for &b in &buf[..n] {
            if b == b'<' {
                self.since_tag = 0;
            } else {
                self.since_tag += 1;
            }
        }
        if self.since_tag > self.max_token {
            return Err(std::io::Error::other(LimitHit(format!(
                "phần «{}» của tệp Excel có một ô hoặc thẻ dài hơn {} byte",
                self.part,
                group(self.max_token as u64)
            ))));
        }
        Ok(n)
    }
}

/// `1234567` as `1.234.567`.
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Where one part's compressed bytes lie in the file and how they are compressed.
#[derive(Debug, Clone, Copy)]
struct Part {
    start: usize,
    len: usize,
    deflated: bool,
}

/// The shared strings, in one buffer (a `String` per entry costs 24 bytes more each).
#[derive(Debug, Default)]
struct Shared {
    text: String,
    ends: Vec<u32>,
}

impl Shared {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }
}

/// One sheet of a workbook, opened and checked, read row by row on each pass.
#[derive(Debug)]
pub struct XlsxSheet {
    bytes: Arc<[u8]>,
    sheet: Part,
    sheet_name: String,
    shared: Shared,
    /// Per cell style (`s` attribute): does it format a date?
    date_styles: Vec<bool>,
    limits: Limits,
}

fn bad(e: impl std::fmt::Display) -> ReadError {
    ReadError::BadXlsx(e.to_string())
}

fn from_xml(e: quick_xml::Error) -> ReadError {
    match e {
        quick_xml::Error::Io(io) => match io.get_ref().and_then(|inner| inner.downcast_ref::<LimitHit>()) {
            Some(hit) => ReadError::Limit(hit.0.clone()),
            None => bad(io),
        },
        other => bad(other),
    }
}

/// Which sheet to open.
#[derive(Debug, Clone, Copy)]
pub enum Which<'a> {
    First,
    Named(&'a str),
}

impl XlsxSheet {
    /// Opens a sheet of the workbook in `bytes`: reads the workbook's directory, its styles and
    /// shared strings (bounded), and finds the sheet. `Ok(None)` when a named sheet is absent.
    pub fn open(bytes: Arc<[u8]>, which: Which<'_>, limits: Limits) -> Result<Option<XlsxSheet>, ReadError> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).map_err(bad)?;
        let mut locate = |name: &str| -> Result<Option<Part>, ReadError> {
            let file = match zip.by_name(name) {
                Ok(f) => f,
                Err(zip::result::ZipError::FileNotFound) => return Ok(None),
                Err(e) => return Err(bad(e)),
            };
            if file.encrypted() {
                return Err(ReadError::BadXlsx("tệp được mã hóa".into()));
            }
            let deflated = match file.compression() {
                CompressionMethod::Stored => false,
                CompressionMethod::Deflated => true,
                other => return Err(ReadError::BadXlsx(format!("kiểu nén {other} không được hỗ trợ"))),
            };
            let start = file.data_start().ok_or_else(|| bad("không tìm thấy dữ liệu của phần tệp"))? as usize;
            let len = usize::try_from(file.compressed_size()).map_err(bad)?;
            if start.checked_add(len).is_none_or(|end| end > bytes.len()) {
                return Err(bad("tệp bị cắt cụt"));
            }
            Ok(Some(Part { start, len, deflated }))
        };
        let workbook = locate("xl/workbook.xml")?.ok_or_else(|| bad("thiếu xl/workbook.xml"))?;
        let rels = locate("xl/_rels/workbook.xml.rels")?;
        let styles = locate("xl/styles.xml")?;
        let shared = locate("xl/sharedStrings.xml")?;
        let mut open = XlsxSheet {
            bytes: bytes.clone(),
            sheet: workbook,
            sheet_name: String::new(),
            shared: Shared::default(),
            date_styles: vec![],
            limits,
        };
        let sheets = open.pairs_of(workbook, "xl/workbook.xml", "sheet", ["name", "id"])?;
        let rels = match rels {
            Some(p) => open.pairs_of(p, "xl/_rels/workbook.xml.rels", "Relationship", ["Id", "Target"])?,
            None => vec![],
        };
        let chosen = match which {
            Which::First => sheets.first(),
            Which::Named(name) => sheets.iter().find(|(n, _)| n == name),
        };
        let Some((_, rid)) = chosen else {
            return match which {
                Which::First => Err(ReadError::NoSheet),
                Which::Named(_) => Ok(None),
            };
        };
        let target = rels.iter().find(|(id, _)| id == rid).map(|(_, t)| t.clone()).unwrap_or_else(|| "worksheets/sheet1.xml".into());
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        open.sheet = locate(&path)?.ok_or_else(|| bad(format!("thiếu trang tính {path}")))?;
        open.sheet_name = path;
        if let Some(p) = styles {
            open.date_styles = open.styles(p)?;
        }
        if let Some(p) = shared {
            open.shared = open.shared_strings(p)?;
        }
        Ok(Some(open))
    }

    /// A reader of one part's XML, inflating as it goes, under the part limits.
    fn xml(&self, part: Part, name: &str) -> quick_xml::Reader<Box<dyn BufRead + Send + '_>> {
        let raw = &self.bytes[part.start..part.start + part.len];
        let by_ratio = (part.len as u64).saturating_mul(self.limits.max_ratio).max(Limits::RATIO_FLOOR);
        let limit = self.limits.max_part_bytes.min(by_ratio);
        let inner: Box<dyn Read + Send + '_> = if part.deflated { Box::new(flate2::read::DeflateDecoder::new(raw)) } else { Box::new(raw) };
        let guarded = Guarded { inner, part: name.to_string(), read: 0, limit, since_tag: 0, max_token: self.limits.max_token_bytes };
        let mut r = quick_xml::Reader::from_reader(Box::new(BufReader::with_capacity(64 << 10, guarded)) as Box<dyn BufRead + Send>);
        r.config_mut().trim_text(false);
        r
    }

    /// Every `element` of a small part, as the pair of its attributes `keys` (missing: empty):
    /// the workbook's sheets (name, relationship id) and its relationships (id, target).
    fn pairs_of(&self, part: Part, name: &str, element: &str, keys: [&str; 2]) -> Result<Vec<(String, String)>, ReadError> {
        let mut r = self.xml(part, name);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        let mut depth = Depth::new(self.limits.max_depth);
        loop {
            let ev = r.read_event_into(&mut buf).map_err(from_xml)?;
            depth.track(&ev)?;
            match ev {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == element => {
                    out.push((attr(&e, keys[0])?.unwrap_or_default(), attr(&e, keys[1])?.unwrap_or_default()));
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Ok(out)
    }

    /// Which cell styles format a date (built-in number formats 14–22, 45–47 and custom formats
    /// with day, month or year letters outside quotes and brackets).
    fn styles(&self, part: Part) -> Result<Vec<bool>, ReadError> {
        let mut r = self.xml(part, "xl/styles.xml");
        let mut buf = Vec::new();
        let mut custom: Vec<(u32, bool)> = Vec::new();
        let mut xfs: Vec<u32> = Vec::new();
        let mut in_cell_xfs = false;
        let mut depth = Depth::new(self.limits.max_depth);
        loop {
            let ev = r.read_event_into(&mut buf).map_err(from_xml)?;
            depth.track(&ev)?;
            match &ev {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "numFmt" => {
                        let id = attr(e, "numFmtId")?.and_then(|v| v.parse().ok()).unwrap_or(0);
                        let code = attr(e, "formatCode")?.unwrap_or_default();
                        custom.push((id, is_date_format(&code)));
                    }
                    "cellXfs" => in_cell_xfs = matches!(ev, Event::Start(_)),
                    "xf" if in_cell_xfs => {
                        xfs.push(attr(e, "numFmtId")?.and_then(|v| v.parse().ok()).unwrap_or(0));
                        if xfs.len() > 65_536 {
                            return Err(ReadError::Limit("tệp Excel có hơn 65.536 kiểu định dạng ô".into()));
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Ok(xfs
            .into_iter()
            .map(|id| custom.iter().find(|(c, _)| *c == id).map(|(_, d)| *d).unwrap_or(matches!(id, 14..=22 | 45..=47)))
            .collect())
    }

    /// The shared-strings table: the text of each `<si>` (its `<t>` runs, not phonetic `<rPh>`).
    fn shared_strings(&self, part: Part) -> Result<Shared, ReadError> {
        let mut r = self.xml(part, "xl/sharedStrings.xml");
        let mut buf = Vec::new();
        let mut out = Shared::default();
        let (mut in_t, mut in_rph, mut in_si) = (false, false, false);
        let mut depth = Depth::new(self.limits.max_depth);
        loop {
            let ev = r.read_event_into(&mut buf).map_err(from_xml)?;
            depth.track(&ev)?;
            match ev {
                Event::Start(e) => match e.local_name().as_ref() {
                    "si" => in_si = true,
                    "t" => in_t = true,
                    "rPh" => in_rph = true,
                    _ => {}
                },
                Event::Empty(e) if e.local_name().as_ref() == "si" => out.ends.push(out.text.len() as u32),
                Event::End(e) => match e.local_name().as_ref() {
                    "si" => {
                        in_si = false;
                        if out.ends.len() >= self.limits.max_shared_count {
                            return Err(ReadError::Limit(format!(
                                "bảng chuỗi dùng chung của tệp Excel có hơn {} chuỗi",
                                group(self.limits.max_shared_count as u64)
                            )));
                        }
                        out.ends.push(out.text.len() as u32);
                    }
                    "t" => in_t = false,
                    "rPh" => in_rph = false,
                    _ => {}
                },
                Event::Text(t) if in_si && in_t && !in_rph => out.text.push_str(&t.xml10_content()),
                Event::GeneralRef(g) if in_si && in_t && !in_rph => out.text.push_str(&resolve_ref(&g)?),
                Event::CData(t) if in_si && in_t && !in_rph => out.text.push_str(&t),
                Event::Eof => break,
                _ => {}
            }
            if out.text.len() > self.limits.max_shared_bytes {
                return Err(ReadError::Limit(format!(
                    "bảng chuỗi dùng chung của tệp Excel vượt {} byte",
                    group(self.limits.max_shared_bytes as u64)
                )));
            }
            buf.clear();
        }
        Ok(out)
    }

    /// The sheet's rows, streamed: each row's cells from column A, as text.
    pub fn stream(&self) -> Rows<'_> {
        Rows::new(self)
    }

    /// The whole sheet as a table (header and rows), within the limits.
    pub fn table(&self) -> Result<Table, ReadError> {
        let mut rows = self.stream();
        let headers = rows.next().transpose()?.unwrap_or_default();
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(ReadError::Empty);
        }
        let rows = rows.collect::<Result<Vec<_>, _>>()?;
        Ok(Table { headers, rows })
    }
}

/// Counts nesting depth and refuses past the limit.
struct Depth {
    now: usize,
    max: usize,
}

impl Depth {
    fn new(max: usize) -> Depth {
        Depth { now: 0, max }
    }
    fn track(&mut self, ev: &Event<'_>) -> Result<(), ReadError> {
        match ev {
            Event::Start(_) => {
                self.now += 1;
                if self.now > self.max {
                    return Err(ReadError::Limit(format!("tệp Excel lồng các phần tử quá {} cấp", self.max)));
                }
            }
            Event::End(_) => self.now = self.now.saturating_sub(1),
            _ => {}
        }
        Ok(())
    }
}

/// An attribute's unescaped value, matched by local name (`r:id` matches `id`).
fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, ReadError> {
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(bad)?;
        if a.key.local_name().as_ref() == name {
            return Ok(Some(a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(bad)?.into_owned()));
        }
    }
    Ok(None)
}

/// A character or entity reference (`&amp;`, `&#x1EA1;`) as text.
fn resolve_ref(g: &quick_xml::events::BytesRef<'_>) -> Result<String, ReadError> {
    if let Some(c) = g.resolve_char_ref().map_err(bad)? {
        return Ok(c.to_string());
    }
    let name = g.xml10_content();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => Ok(s.to_string()),
        None => Err(ReadError::BadXlsx(format!("thực thể XML không biết: &{name};"))),
    }
}

/// Does a number format's code show a date? Letters inside quotes, brackets (colours,
/// conditions) or after a backslash are literal.
fn is_date_format(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

impl RowSource for XlsxSheet {
    fn headers(&self) -> Result<Vec<String>, String> {
        match self.stream().next() {
            Some(Ok(h)) if h.iter().any(|c| !c.trim().is_empty()) => Ok(h),
            Some(Err(e)) => Err(e.to_string()),
            _ => Err(ReadError::Empty.to_string()),
        }
    }

    fn rows(&self) -> Result<RowIter<'_>, String> {
        Ok(Box::new(self.stream().skip(1).map(|r| r.map_err(|e| e.to_string()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_are_told_from_number_formats() {
        assert!(is_date_format("dd/mm/yyyy"));
        assert!(is_date_format("[$-42A]d mmmm yyyy"));
        assert!(!is_date_format("#,##0.00"));
        assert!(!is_date_format("0\"d\""));
        assert!(!is_date_format("[Red]0.0"));
    }

    #[test]
    fn numbers_are_grouped_the_vietnamese_way() {
        assert_eq!(group(1_234_567), "1.234.567");
        assert_eq!(group(999), "999");
    }
}
