//! Reading `.xlsx` and `.csv` uploads into a table of text cells.

use crate::xlsx::{Limits, Which, XlsxSheet};
use std::sync::Arc;
use thidua_domain::import::Table;

/// Which format a file is, decided from its content (not its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Csv,
}

/// Why a file could not be read at all (row-level problems are reported by validation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("tệp rỗng")]
    Empty,
    #[error("tệp Excel bị hỏng hoặc không đúng định dạng .xlsx: {0}")]
    BadXlsx(String),
    #[error("tệp không có trang tính nào")]
    NoSheet,
    #[error("tệp CSV không đọc được: {0}")]
    BadCsv(String),
    #[error("tệp có {0} dòng, vượt giới hạn {1} dòng mỗi lần nhập")]
    TooManyRows(usize, usize),
    #[error("định dạng tệp không được hỗ trợ: chỉ nhận .xlsx hoặc .csv")]
    Unsupported,
    /// A limit on what one file may hold (named in the text).
    #[error("tệp vượt giới hạn cho phép: {0}")]
    Limit(String),
}

/// Detects the format from the first bytes: xlsx is a ZIP container ("PK\x03\x04"); old binary
/// .xls (OLE, "\xD0\xCF\x11\xE0") and other binaries are refused; anything else is read as CSV.
pub fn sniff(bytes: &[u8]) -> Result<FileKind, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(FileKind::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || bytes.starts_with(b"%PDF") || bytes.iter().take(4096).any(|&b| b == 0) {
        return Err(ReadError::Unsupported);
    }
    Ok(FileKind::Csv)
}

/// Reads the first sheet of an xlsx, or a CSV, into text cells. At most `max_rows` data rows.
pub fn read_table(bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    match sniff(bytes)? {
        FileKind::Xlsx => read_xlsx(bytes, max_rows),
        FileKind::Csv => read_csv(bytes, max_rows),
    }
}

/// What a filled assessment template says it is for: (criteria set's storage number, year),
/// read from its information sheet; `None` for what it does not say (or for a CSV).
pub fn template_target(bytes: &[u8]) -> (Option<i64>, Option<i64>) {
    let pairs = read_pairs(bytes, crate::write::INFO_SHEET);
    let number = |k: &str| pairs.iter().find(|(key, _)| key == k).and_then(|(_, v)| v.trim().parse::<i64>().ok());
    (number(crate::write::INFO_SET), number(crate::write::INFO_YEAR))
}

/// The first two columns of a named sheet of an xlsx as key/value pairs (empty when the file
/// is not an xlsx or has no such sheet).
pub fn read_pairs(bytes: &[u8], sheet: &str) -> Vec<(String, String)> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return vec![];
    }
    let Ok(Some(sheet)) = XlsxSheet::open(Arc::from(bytes), Which::Named(sheet), Limits::for_rows(10_000)) else { return vec![] };
    sheet
        .stream()
        .map_while(Result::ok)
        .map(|r| (r.first().cloned().unwrap_or_default(), r.get(1).cloned().unwrap_or_default()))
        .filter(|(k, _)| !k.trim().is_empty())
        .collect()
}

/// Excel's serial date (days since 1899-12-30) as dd/mm/yyyy.
pub(crate) fn excel_date(serial: f64) -> String {
    let base = time::Date::from_calendar_date(1899, time::Month::December, 30).ok();
    match base.and_then(|b| b.checked_add(time::Duration::days(serial.floor() as i64))) {
        Some(d) => thidua_domain::dates::format_dmy(d),
        None => serial.to_string(),
    }
}

fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    open_xlsx(Arc::from(bytes), max_rows)?.table()
}

/// Opens the first sheet of an xlsx for streaming under the limits of an import of `max_rows`.
pub fn open_xlsx(bytes: Arc<[u8]>, max_rows: usize) -> Result<XlsxSheet, ReadError> {
    XlsxSheet::open(bytes, Which::First, Limits::for_rows(max_rows))?.ok_or(ReadError::NoSheet)
}

/// An uploaded table, ready to be read as often as an import needs: an xlsx streamed from its
/// bytes, or a CSV read into memory (a CSV upload is no larger than the upload limit).
pub enum Upload {
    Xlsx(XlsxSheet),
    Csv(Table),
}

impl Upload {
    /// Checks the file as far as can be without reading every row: format, workbook structure,
    /// shared strings, and the header row.
    pub fn open(bytes: Vec<u8>, max_rows: usize) -> Result<Upload, ReadError> {
        match sniff(&bytes)? {
            FileKind::Xlsx => {
                let sheet = open_xlsx(Arc::from(bytes), max_rows)?;
                let first = sheet.stream().next();
                match first {
                    Some(Ok(h)) if h.iter().any(|c| !c.trim().is_empty()) => Ok(Upload::Xlsx(sheet)),
                    Some(Err(e)) => Err(e),
                    _ => Err(ReadError::Empty),
                }
            }
            FileKind::Csv => read_csv(&bytes, max_rows).map(Upload::Csv),
        }
    }

    /// Reads every row once, so that a file over a limit is refused before any use of it.
    pub fn check(&self) -> Result<(), ReadError> {
        match self {
            Upload::Xlsx(s) => s.stream().try_for_each(|r| r.map(drop)),
            Upload::Csv(_) => Ok(()),
        }
    }
}

impl thidua_domain::import::RowSource for Upload {
    fn headers(&self) -> Result<Vec<String>, String> {
        match self {
            Upload::Xlsx(s) => s.headers(),
            Upload::Csv(t) => t.headers(),
        }
    }
    fn rows(&self) -> Result<thidua_domain::import::RowIter<'_>, String> {
        match self {
            Upload::Xlsx(s) => s.rows(),
            Upload::Csv(t) => t.rows(),
        }
    }
}

/// UTF-8 (with or without BOM); a line that is not UTF-8 is read as Latin-1 bytes, which is how
/// legacy TCVN3/VNI text exported from old Excel arrives (the domain converts it). Deciding per
/// line keeps a UTF-8 header readable above rows pasted from an old file.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut out = String::with_capacity(bytes.len());
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => out.push_str(s),
            Err(_) => out.extend(line.iter().map(|&b| char::from(b))),
        }
    }
    out
}

fn read_csv(bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    let text = decode(bytes);
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(r) => r.map_err(|e| ReadError::BadCsv(e.to_string()))?.iter().map(str::to_string).collect(),
        None => return Err(ReadError::Empty),
    };
    let mut rows = Vec::new();
    for r in records {
        let r = r.map_err(|e| ReadError::BadCsv(e.to_string()))?;
        if rows.len() == max_rows {
            return Err(ReadError::TooManyRows(max_rows + 1, max_rows));
        }
        rows.push(r.iter().map(str::to_string).collect());
    }
    Ok(Table { headers, rows })
}

/// A CSV file on disk read as a stream, once per pass of an import; memory stays flat whatever
/// the number of rows. Fields that are not UTF-8 are read as Latin-1 (legacy encodings).
#[derive(Debug, Clone)]
pub struct CsvFile {
    path: std::path::PathBuf,
    delimiter: u8,
    max_rows: usize,
}

fn field_text(f: &[u8]) -> String {
    match std::str::from_utf8(f) {
        Ok(s) => s.to_string(),
        Err(_) => f.iter().map(|&b| char::from(b)).collect(),
    }
}

impl CsvFile {
    /// Opens `path`, checking that it is text and finding its delimiter from the first line.
    pub fn open(path: &std::path::Path, max_rows: usize) -> Result<CsvFile, ReadError> {
        use std::io::Read;
        let mut head = vec![0u8; 8192];
        let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).map_err(|e| ReadError::BadCsv(e.to_string()))?;
        head.truncate(n);
        if sniff(&head)? != FileKind::Csv {
            return Err(ReadError::Unsupported);
        }
        let first = decode(head.split(|&b| b == b'\n').next().unwrap_or(&[]));
        let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
        Ok(CsvFile { path: path.to_path_buf(), delimiter, max_rows })
    }

    fn reader(&self) -> Result<csv::Reader<std::io::BufReader<std::fs::File>>, String> {
        let f = std::fs::File::open(&self.path).map_err(|e| format!("không đọc được {}: {e}", self.path.display()))?;
        Ok(csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(std::io::BufReader::with_capacity(1 << 20, f)))
    }
}

impl thidua_domain::import::RowSource for CsvFile {
    fn headers(&self) -> Result<Vec<String>, String> {
        let mut r = self.reader()?;
        let mut rec = csv::ByteRecord::new();
        match r.read_byte_record(&mut rec) {
            Ok(true) => {
                let mut h: Vec<String> = rec.iter().map(field_text).collect();
                if let Some(first) = h.first_mut() {
                    *first = first.trim_start_matches('\u{FEFF}').to_string();
                }
                Ok(h)
            }
            Ok(false) => Err(ReadError::Empty.to_string()),
            Err(e) => Err(ReadError::BadCsv(e.to_string()).to_string()),
        }
    }

    fn rows(&self) -> Result<thidua_domain::import::RowIter<'_>, String> {
        let reader = self.reader()?;
        let max = self.max_rows;
        let it = reader.into_byte_records().skip(1).enumerate().map(move |(i, r)| {
            if i >= max {
                return Err(ReadError::TooManyRows(i + 1, max).to_string());
            }
            r.map(|rec| rec.iter().map(field_text).collect()).map_err(|e| ReadError::BadCsv(e.to_string()).to_string())
        });
        Ok(Box::new(it))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_utf8_csv_with_bom_and_semicolons_is_read() {
        let t = read_table("\u{FEFF}Mã hộ;Họ và tên chủ hộ\nHGD-1;Nguyễn Văn An\n".as_bytes(), 10);
        let t = t.unwrap_or_default();
        assert_eq!(t.headers, vec!["Mã hộ", "Họ và tên chủ hộ"]);
        assert_eq!(t.rows, vec![vec!["HGD-1", "Nguyễn Văn An"]]);
    }

    #[test]
    fn latin1_bytes_arrive_as_their_latin1_characters() {
        // TCVN3 "Hµ Néi" as raw bytes.
        let bytes = b"Ten\nH\xB5 N\xE9i\n";
        let t = read_table(bytes, 10).unwrap_or_default();
        assert_eq!(t.rows[0][0], "H\u{B5} N\u{E9}i");
    }

    #[test]
    fn a_utf8_header_survives_above_latin1_rows() {
        let t = read_table(b"M\xC3\xA3 h\xE1\xBB\x99\nH\xB5\n", 10).unwrap_or_default();
        assert_eq!(t.headers, vec!["Mã hộ"]);
        assert_eq!(t.rows[0][0], "H\u{B5}");
    }

    #[test]
    fn binary_files_and_broken_zips_are_refused() {
        assert_eq!(read_table(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], 10), Err(ReadError::Unsupported));
        assert!(matches!(read_table(b"PK\x03\x04garbage", 10), Err(ReadError::BadXlsx(_))));
        assert_eq!(read_table(b"", 10), Err(ReadError::Empty));
    }

    #[test]
    fn a_csv_file_streams_the_same_rows_as_the_in_memory_reader() {
        use thidua_domain::import::RowSource;
        let dir = std::env::temp_dir().join(format!("thidua-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let path = dir.join("a.csv");
        let bytes = "\u{FEFF}Mã hộ;Tên\nHGD-1;Lê Văn Á\nHGD-2;H\u{B5}\n".as_bytes();
        std::fs::write(&path, bytes).unwrap_or_default();
        let file = CsvFile::open(&path, 10).map_err(|e| e.to_string());
        let file = file.as_ref().map_err(Clone::clone);
        let Ok(file) = file else { panic!("open failed") };
        assert_eq!(file.headers(), Ok(vec!["Mã hộ".to_string(), "Tên".to_string()]));
        let rows: Vec<Vec<String>> = file.rows().into_iter().flatten().filter_map(Result::ok).collect();
        assert_eq!(rows, read_table(bytes, 10).unwrap_or_default().rows);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn row_limit_is_enforced() {
        assert_eq!(read_table(b"a\n1\n2\n3\n", 2), Err(ReadError::TooManyRows(3, 2)));
    }

    #[test]
    fn excel_serial_dates_become_day_month_year() {
        assert_eq!(excel_date(45839.0), "01/07/2025");
    }
}
