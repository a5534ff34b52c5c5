//! Validation of imported tables (from .xlsx or .csv) before anything is written.
//!
//! Every import goes through the same steps: match the header row to the template, detect a
//! legacy encoding for the whole file, normalise every cell to NFC, parse each row into typed
//! values, and check duplicates inside the file and references to known units. All errors of all
//! rows are collected (row, column, reason in Vietnamese); the caller writes nothing unless the
//! list is empty.

use crate::legacy::{self, Encoding};
use crate::registry::{Code, Gender, NodeKind};
use crate::text;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

mod reader;
mod seen;

use reader::RowReader;
pub use seen::SeenCodes;
use time::Date;

/// A table as read from a file: the header row and the data rows, all cells as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A table that can be read more than once, row by row: a file on disk streamed each time, or
/// a table in memory. Bulk imports read it three times (encoding, validation, writing) so that
/// millions of rows never sit in memory at once.
pub trait RowSource: Send + Sync {
    fn headers(&self) -> Result<Vec<String>, String>;
    fn rows(&self) -> Result<RowIter<'_>, String>;
}

/// The rows of a [`RowSource`], each a list of cells or a reason it could not be read.
pub type RowIter<'a> = Box<dyn Iterator<Item = Result<Vec<String>, String>> + Send + 'a>;

impl RowSource for Table {
    fn headers(&self) -> Result<Vec<String>, String> {
        Ok(self.headers.clone())
    }
    fn rows(&self) -> Result<RowIter<'_>, String> {
        Ok(Box::new(self.rows.iter().map(|r| Ok(r.clone()))))
    }
}

/// One problem with one cell (or a whole row when `column` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Spreadsheet row number: the header is row 1, the first data row is row 2.
    pub row: usize,
    pub column: String,
    pub reason: String,
}

/// What is being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Units,
    Households,
    People,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] = [ImportKind::Units, ImportKind::Households, ImportKind::People];

    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Units => "units",
            ImportKind::Households => "households",
            ImportKind::People => "people",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ImportKind::Units => "Đơn vị, tổ chức",
            ImportKind::Households => "Hộ gia đình",
            ImportKind::People => "Công dân",
        }
    }

    /// The template's column headers, in order: what an import expects and an export writes.
    pub fn headers(self) -> Vec<String> {
        self.columns().iter().map(|c| c.header.to_string()).collect()
    }

    /// The template's columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            ImportKind::Units => UNIT_COLUMNS,
            ImportKind::Households => HOUSEHOLD_COLUMNS,
            ImportKind::People => PERSON_COLUMNS,
        }
    }
}

/// One column of an import template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub header: &'static str,
    pub required: bool,
    /// Guidance printed in the template under the header.
    pub hint: &'static str,
}

const fn col(key: &'static str, header: &'static str, required: bool, hint: &'static str) -> Column {
    Column { key, header, required, hint }
}

const UNIT_COLUMNS: &[Column] = &[
    col("code", "Mã đơn vị", true, "Mã duy nhất, chữ không dấu và số, ví dụ P-BADINH"),
    col("name", "Tên đơn vị", true, "Tên đầy đủ, ví dụ Phường Ba Đình"),
    col("kind", "Loại", true, "Phường, Xã, Thôn, Tổ dân phố, Cơ sở giáo dục, Doanh nghiệp, …"),
    col("parent", "Mã đơn vị cấp trên", false, "Để trống cho Thành phố"),
    col("valid_from", "Hiệu lực từ ngày", false, "dd/mm/yyyy"),
    col("valid_to", "Hiệu lực đến ngày", false, "dd/mm/yyyy, để trống nếu còn hoạt động"),
    col(
        "successor",
        "Mã đơn vị kế thừa",
        false,
        "Một mã: đơn vị nhận toàn bộ; nhiều mã cách nhau bởi dấu ; nếu đơn vị được chia, mỗi đơn vị nhận một phần",
    ),
    col("location", "Mã địa bàn", false, "Phường/xã nơi tổ chức đặt trụ sở"),
];

const HOUSEHOLD_COLUMNS: &[Column] = &[
    col("code", "Mã hộ", true, "Mã duy nhất của hộ, ví dụ HGD-000123"),
    col("village", "Mã thôn/tổ dân phố", true, "Mã thôn hoặc tổ dân phố nơi hộ cư trú"),
    col("head_name", "Họ và tên chủ hộ", true, "Ví dụ Nguyễn Văn An"),
    col("head_birth_year", "Năm sinh chủ hộ", false, "Ví dụ 1975"),
    col("head_gender", "Giới tính chủ hộ", false, "Nam, Nữ hoặc Khác"),
    col("address", "Địa chỉ", false, "Số nhà, ngõ, đường"),
    col("member_count", "Số nhân khẩu", false, "Số từ 1 đến 50"),
];

const PERSON_COLUMNS: &[Column] = &[
    col("code", "Mã công dân", true, "Mã do đơn vị cấp, không dùng số CCCD"),
    col("full_name", "Họ và tên", true, "Ví dụ Trần Thị Bình"),
    col("birth_year", "Năm sinh", false, "Ví dụ 1990"),
    col("gender", "Giới tính", false, "Nam, Nữ hoặc Khác"),
    col("unit", "Mã đơn vị/thôn", true, "Thôn/tổ dân phố cư trú hoặc cơ quan công tác"),
    col("household", "Mã hộ", false, "Hộ gia đình của người này, nếu có"),
    col("position", "Chức vụ, nghề nghiệp", false, "Ví dụ Giáo viên"),
];

/// A unit or organisation to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub row: usize,
    pub code: Code,
    pub name: String,
    pub kind: NodeKind,
    pub parent: Option<Code>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    /// The units that took it over, whole or each a part ([`crate::registry::parse_successors`]).
    pub successors: Vec<crate::registry::NamedSuccessor>,
    pub location: Option<Code>,
}

/// A household to create, with its head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    pub row: usize,
    pub code: Code,
    pub village: Code,
    pub head_name: String,
    pub head_birth_year: Option<i32>,
    pub head_gender: Option<Gender>,
    pub address: Option<String>,
    pub member_count: Option<i32>,
}

/// A person to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub row: usize,
    pub code: Code,
    pub full_name: String,
    pub birth_year: Option<i32>,
    pub gender: Option<Gender>,
    pub unit: Code,
    pub household: Option<Code>,
    pub position: Option<String>,
}

/// Rows that passed validation, typed by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidRows {
    Units(Vec<UnitRow>),
    Households(Vec<HouseholdRow>),
    People(Vec<PersonRow>),
}

impl ValidRows {
    pub fn len(&self) -> usize {
        match self {
            ValidRows::Units(r) => r.len(),
            ValidRows::Households(r) => r.len(),
            ValidRows::People(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The result of validation: the encoding found, the rows that passed, and every error. Rows
/// that passed are returned even when others failed, so that the caller can add its own
/// checks (scope, duplicates in the database) and report every problem at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub encoding: Encoding,
    pub rows: ValidRows,
    pub errors: Vec<RowError>,
}

impl Checked {
    /// The rows, or every error.
    pub fn into_result(self) -> Result<ValidRows, Vec<RowError>> {
        if self.errors.is_empty() { Ok(self.rows) } else { Err(self.errors) }
    }
}

fn empty_rows(kind: ImportKind) -> ValidRows {
    match kind {
        ImportKind::Units => ValidRows::Units(vec![]),
        ImportKind::Households => ValidRows::Households(vec![]),
        ImportKind::People => ValidRows::People(vec![]),
    }
}

/// What validation needs to know of the units already in the registry: code → (id, kind).
pub type KnownUnits = HashMap<String, (i64, NodeKind)>;

/// Matches the header row to the template's columns (ignoring case, marks and spacing).
fn map_headers(kind: ImportKind, headers: &[String]) -> Result<HashMap<&'static str, usize>, Vec<RowError>> {
    let mut map = HashMap::new();
    let mut errors = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let f = text::fold(h);
        if f.is_empty() {
            continue;
        }
        match kind.columns().iter().find(|c| text::fold(c.header) == f || c.key == f) {
            Some(c) if map.contains_key(c.key) => {
                errors.push(RowError { row: 1, column: h.clone(), reason: "cột bị lặp lại".into() })
            }
            Some(c) => {
                map.insert(c.key, i);
            }
            None => {
                errors.push(RowError {
                    row: 1, column: h.clone(), reason: format!("cột không có trong mẫu nhập «{}»", kind.label_vi())
                })
            }
        }
    }
    for c in kind.columns().iter().filter(|c| c.required) {
        if !map.contains_key(c.key) {
            errors.push(RowError { row: 1, column: c.header.into(), reason: "thiếu cột bắt buộc".into() });
        }
    }
    if errors.is_empty() { Ok(map) } else { Err(errors) }
}

/// A row that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypedRow {
    Unit(UnitRow),
    Household(HouseholdRow),
    Person(PersonRow),
}

/// Validates rows one at a time, remembering only what duplicate and reference checks need, so
/// that a file of millions of rows can be checked as a stream.
pub struct Checker<'a> {
    kind: ImportKind,
    encoding: Encoding,
    headers: Vec<String>,
    map: HashMap<&'static str, usize>,
    known: &'a KnownUnits,
    seen: SeenCodes,
    in_file: HashSet<Code>,
    /// Rows were validated by an earlier pass: skip the checks that need memory of the file.
    trusting: bool,
}

impl<'a> Checker<'a> {
    /// For the writing pass over rows an earlier pass validated: duplicate tracking, the one
    /// check whose memory grows with the file, is skipped.
    pub fn trusting(mut self) -> Self {
        self.trusting = true;
        self
    }

    /// Matches the header row (decoded from `encoding`) to the template of `kind`.
    pub fn new(kind: ImportKind, raw_headers: &[String], encoding: Encoding, known: &'a KnownUnits) -> Result<Self, Vec<RowError>> {
        // A header that already names a template column is kept as it is: "Mã công dân" is
        // plain Latin-1 and would otherwise be "decoded" in a file whose rows are TCVN3.
        let known_header = |h: &str| kind.columns().iter().any(|c| text::fold(c.header) == text::fold(h) || c.key == text::fold(h));
        let headers: Vec<String> = raw_headers
            .iter()
            .map(|h| {
                let cleaned = text::clean(h);
                if known_header(&cleaned) {
                    return cleaned;
                }
                legacy::decode_cell(h, encoding).map(|h| text::clean(&h)).unwrap_or(cleaned)
            })
            .collect();
        let map = map_headers(kind, &headers)?;
        Ok(Checker { kind, encoding, headers, map, known, seen: SeenCodes::default(), in_file: HashSet::new(), trusting: false })
    }

    /// The encoding cells are decoded from.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Checks one row (`row` is the spreadsheet row number; the header is row 1). Blank rows
    /// give `None`.
    pub fn row(&mut self, row: usize, raw: Vec<String>) -> Option<Result<TypedRow, Vec<RowError>>> {
        if raw.iter().all(|c| c.trim().is_empty()) {
            return None; // blank lines in spreadsheets are not data
        }
        let mut errors = Vec::new();
        let mut cells = Vec::with_capacity(raw.len());
        for (ci, cell) in raw.into_iter().enumerate() {
            match legacy::decode_owned(cell, self.encoding) {
                Ok(v) => cells.push(text::clean_owned(v)),
                Err(e) => {
                    let column = self.headers.get(ci).cloned().unwrap_or_default();
                    errors.push(RowError { row, column, reason: e.to_string() });
                    cells.push(String::new());
                }
            }
        }
        let typed = match self.kind {
            ImportKind::Units => self.unit(row, cells, &mut errors).map(TypedRow::Unit),
            ImportKind::Households => self.household(row, cells, &mut errors).map(TypedRow::Household),
            ImportKind::People => self.person(row, cells, &mut errors).map(TypedRow::Person),
        };
        Some(match typed {
            Some(t) if errors.is_empty() => Ok(t),
            _ => Err(errors),
        })
    }

    /// Checks that need the whole file: a unit's successor may be defined on any row.
    pub fn finish(&self, rows: &[UnitRow]) -> Vec<RowError> {
        rows.iter()
            .flat_map(|u| u.successors.iter().map(move |s| (u.row, &s.code)))
            .filter(|(_, s)| !self.known.contains_key(s.as_str()) && !self.in_file.contains(*s))
            .map(|(row, s)| RowError {
                row, column: "Mã đơn vị kế thừa".into(), reason: format!("không tìm thấy đơn vị mã «{s}»")
            })
            .collect()
    }

    /// Remembers a code, reporting the row of its first occurrence when it repeats.
    fn dup_check(&mut self, code: &Code, row: usize, header: &str, errors: &mut Vec<RowError>) {
        if self.trusting {
            return;
        }
        if let Some(first) = self.seen.insert(code.as_str(), row) {
            errors.push(RowError { row, column: header.into(), reason: format!("mã «{code}» trùng với dòng {first} trong tệp") });
        }
    }

    fn unit(&mut self, row: usize, cells: Vec<String>, errors: &mut Vec<RowError>) -> Option<UnitRow> {
        let (known, map) = (self.known, &self.map);
        let mut r = RowReader { kind: ImportKind::Units, row, cells, map, errors };
        let code = r.code("code", true);
        let name = r.text("name", true, 200);
        let kind = r.req("kind").and_then(|k| {
            let parsed = NodeKind::parse(&k);
            if parsed.is_none() {
                r.fail("kind", format!("loại «{k}» không có trong danh mục"));
            }
            parsed
        });
        let parent = r.code("parent", false);
        let valid_from = r.date("valid_from");
        let valid_to = r.date("valid_to");
        let successors = match r.text("successor", false, 2_000).map(|t| crate::registry::parse_successors(&t)) {
            Some(Ok(list)) => list,
            Some(Err(e)) => {
                r.fail("successor", e);
                Vec::new()
            }
            None => Vec::new(),
        };
        let location = r.code("location", false);
        if let (Some(f), Some(t)) = (valid_from, valid_to)
            && t < f
        {
            r.fail("valid_to", "ngày hết hiệu lực trước ngày bắt đầu hiệu lực");
        }
        if let Some(c) = &code
            && successors.iter().any(|s| &s.code == c)
        {
            r.fail("successor", "đơn vị không thể kế thừa chính nó");
        }
        if !successors.is_empty() && valid_to.is_none() {
            r.fail("successor", "đơn vị có đơn vị kế thừa phải có ngày hết hiệu lực");
        }
        for (key, c) in [("parent", &parent), ("location", &location)] {
            if let Some(c) = c
                && !known.contains_key(c.as_str())
                && !self.in_file.contains(c)
            {
                r.fail(key, format!("không tìm thấy đơn vị mã «{c}» (trong hệ thống hoặc ở các dòng trên)"));
            }
        }
        if let Some(c) = &code
            && known.contains_key(c.as_str())
        {
            r.fail("code", format!("mã «{c}» đã có trong hệ thống"));
        }
        if let Some(c) = &code {
            self.dup_check(c, row, "Mã đơn vị", errors);
            self.in_file.insert(c.clone());
        }
        Some(UnitRow { row, code: code?, name: name?, kind: kind?, parent, valid_from, valid_to, successors, location })
    }

    fn household(&mut self, row: usize, cells: Vec<String>, errors: &mut Vec<RowError>) -> Option<HouseholdRow> {
        let (known, map) = (self.known, &self.map);
        let mut r = RowReader { kind: ImportKind::Households, row, cells, map, errors };
        let code = r.code("code", true);
        let village = r.code("village", true);
        let head_name = r.text("head_name", true, 120);
        let head_birth_year = r.year("head_birth_year");
        let head_gender = r.gender("head_gender");
        let address = r.text("address", false, 300);
        let member_count = r.opt("member_count").and_then(|v| match v.parse::<i32>() {
            Ok(n) if (1..=50).contains(&n) => Some(n),
            _ => {
                r.fail("member_count", format!("số nhân khẩu «{v}» phải là số từ 1 đến 50"));
                None
            }
        });
        if let Some(v) = &village
            && let Err(e) = household_unit(known, v)
        {
            r.fail("village", e);
        }
        if let Some(c) = &code {
            self.dup_check(c, row, "Mã hộ", errors);
        }
        Some(HouseholdRow {
            row,
            code: code?,
            village: village?,
            head_name: head_name?,
            head_birth_year,
            head_gender,
            address,
            member_count,
        })
    }

    fn person(&mut self, row: usize, cells: Vec<String>, errors: &mut Vec<RowError>) -> Option<PersonRow> {
        let (known, map) = (self.known, &self.map);
        let mut r = RowReader { kind: ImportKind::People, row, cells, map, errors };
        let code = r.code("code", true);
        let full_name = r.text("full_name", true, 120);
        let birth_year = r.year("birth_year");
        let gender = r.gender("gender");
        let unit = r.code("unit", true);
        let household = r.code("household", false);
        let position = r.text("position", false, 200);
        if let Some(u) = &unit
            && !known.contains_key(u.as_str())
        {
            r.fail("unit", format!("không tìm thấy đơn vị/thôn mã «{u}»"));
        }
        if let Some(c) = &code {
            if crate::registry::looks_like_identity_number(c.as_str()) {
                r.fail("code", crate::registry::IDENTITY_NUMBER_REFUSED.to_string());
            }
            self.dup_check(c, row, "Mã công dân", errors);
        }
        Some(PersonRow { row, code: code?, full_name: full_name?, birth_year, gender, unit: unit?, household, position })
    }
}

/// Validates a whole table held in memory. `known` holds the units already in the registry.
pub fn check(kind: ImportKind, table: &Table, known: &KnownUnits) -> Checked {
    let mut detector = legacy::Detector::default();
    for c in table.headers.iter().chain(table.rows.iter().flatten()) {
        detector.observe(c);
    }
    let encoding = detector.result();
    let mut checker = match Checker::new(kind, &table.headers, encoding, known) {
        Ok(c) => c,
        Err(errors) => return Checked { encoding, rows: empty_rows(kind), errors },
    };
    let mut errors = Vec::new();
    let mut rows = empty_rows(kind);
    for (i, raw) in table.rows.iter().enumerate() {
        match checker.row(i + 2, raw.clone()) {
            None => {}
            Some(Err(e)) => errors.extend(e),
            Some(Ok(t)) => match (&mut rows, t) {
                (ValidRows::Units(v), TypedRow::Unit(r)) => v.push(r),
                (ValidRows::Households(v), TypedRow::Household(r)) => v.push(r),
                (ValidRows::People(v), TypedRow::Person(r)) => v.push(r),
                _ => {}
            },
        }
    }
    if let ValidRows::Units(units) = &rows {
        errors.extend(checker.finish(units));
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError { row: 2, column: String::new(), reason: "tệp không có dòng dữ liệu nào".into() });
    }
    errors.sort_by_key(|e| e.row);
    Checked { encoding, rows, errors }
}

fn household_unit(known: &KnownUnits, code: &Code) -> Result<i64, String> {
    match known.get(code.as_str()) {
        None => Err(format!("không tìm thấy thôn/tổ dân phố mã «{code}»")),
        Some((_, k)) if !k.holds_households() => Err(format!("«{code}» là {}, không phải thôn hoặc tổ dân phố", k.label_vi())),
        Some((id, _)) => Ok(*id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownUnits {
        HashMap::from([
            ("HN".to_string(), (1, NodeKind::City)),
            ("P-BADINH".to_string(), (2, NodeKind::Ward)),
            ("TDP-01".to_string(), (3, NodeKind::ResidentialGroup)),
        ])
    }

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
        }
    }

    const HH: &[&str] = &["Mã hộ", "Mã thôn/tổ dân phố", "Họ và tên chủ hộ", "Năm sinh chủ hộ", "Giới tính chủ hộ"];

    #[test]
    fn a_clean_household_file_yields_typed_rows() {
        let t = table(HH, &[&["hgd-1", "TDP-01", "Nguyễn Văn An", "1970", "Nam"]]);
        let c = check(ImportKind::Households, &t, &known());
        let Ok(ValidRows::Households(rows)) = c.clone().into_result() else { panic!("expected rows: {c:?}") };
        assert_eq!(rows[0].code.as_str(), "HGD-1");
        assert_eq!(rows[0].head_gender, Some(Gender::Male));
    }

    #[test]
    fn every_bad_row_is_reported_with_row_column_and_reason() {
        let t = table(
            HH,
            &[
                &["HGD-1", "TDP-01", "Nguyễn Văn An", "1970", "Nam"],
                &["HGD-2", "TDP-99", "Lê Thị Hoa", "19x0", "Nữ"],
                &["HGD-1", "P-BADINH", "", "", "?"],
            ],
        );
        let Err(errors) = check(ImportKind::Households, &t, &known()).into_result() else { panic!("expected errors") };
        let at = |row: usize, col: &str| errors.iter().any(|e| e.row == row && e.column == col);
        assert!(at(3, "Mã thôn/tổ dân phố"), "{errors:?}");
        assert!(at(3, "Năm sinh chủ hộ"));
        assert!(at(4, "Mã hộ"), "duplicate inside the file");
        assert!(at(4, "Mã thôn/tổ dân phố"), "a ward is not a village");
        assert!(at(4, "Họ và tên chủ hộ"));
        assert!(at(4, "Giới tính chủ hộ"));
        assert!(!errors.iter().any(|e| e.row == 2));
    }

    #[test]
    fn a_citizens_identity_card_number_is_refused_as_a_code() {
        let headers = ImportKind::People.headers();
        let row = |code: &str| -> Vec<String> {
            headers
                .iter()
                .map(|h| match h.as_str() {
                    "Mã công dân" => code.to_string(),
                    "Họ và tên" => "Nguyễn Văn An".to_string(),
                    "Mã đơn vị/thôn" => "TDP-01".to_string(),
                    _ => String::new(),
                })
                .collect()
        };
        let t = Table { headers: headers.clone(), rows: vec![row("001203004567"), row("CD-TDP01-001-1")] };
        let Err(errors) = check(ImportKind::People, &t, &known()).into_result() else { panic!("expected errors") };
        assert!(errors.iter().any(|e| e.row == 2 && e.column == "Mã công dân" && e.reason.contains("căn cước")), "{errors:?}");
        assert!(!errors.iter().any(|e| e.row == 3), "{errors:?}");
    }

    #[test]
    fn wrong_headers_are_reported_before_any_row() {
        let t = table(&["Mã hộ", "Tên chủ hộ"], &[&["HGD-1", "An"]]);
        let Err(errors) = check(ImportKind::Households, &t, &known()).into_result() else { panic!("expected errors") };
        assert!(errors.iter().all(|e| e.row == 1));
        assert!(errors.iter().any(|e| e.column == "Tên chủ hộ" && e.reason.contains("không có trong mẫu")));
        assert!(errors.iter().any(|e| e.column == "Mã thôn/tổ dân phố" && e.reason == "thiếu cột bắt buộc"));
    }

    #[test]
    fn headers_match_without_marks_or_case() {
        let t = table(&["MA HO", "ma thon/to dan pho", "ho va ten chu ho"], &[&["HGD-1", "TDP-01", "An"]]);
        assert!(check(ImportKind::Households, &t, &known()).into_result().is_ok());
    }

    #[test]
    fn a_tcvn3_file_is_converted_before_validation() {
        let t = table(HH, &[&["HGD-1", "TDP-01", "NguyÔn V¨n §øc", "", "N÷"]]);
        let c = check(ImportKind::Households, &t, &known());
        assert_eq!(c.encoding, Encoding::Tcvn3);
        let c = c.clone();
        let Ok(ValidRows::Households(rows)) = c.into_result() else { panic!("expected rows") };
        assert_eq!(rows[0].head_name, "Nguyễn Văn Đức");
        assert_eq!(rows[0].head_gender, Some(Gender::Female));
    }

    #[test]
    fn headers_typed_in_tcvn3_are_recognised() {
        // "Mã hộ", "Mã thôn/tổ dân phố", "Họ và tên chủ hộ" as TCVN3 text.
        let t = table(
            &["M\u{B7} h\u{E9}", "M\u{B7} th\u{AB}n/t\u{E6} d\u{A9}n ph\u{E8}", "H\u{E4} v\u{B5} t\u{AA}n ch\u{F1} h\u{E9}"],
            &[&["HGD-9", "TDP-01", "\u{A7}\u{E7} V\u{A8}n Ba"]],
        );
        let c = check(ImportKind::Households, &t, &known());
        assert_eq!(c.encoding, Encoding::Tcvn3);
        let Ok(ValidRows::Households(rows)) = c.into_result() else { panic!("expected rows") };
        assert_eq!(rows[0].head_name, "Đỗ Văn Ba");
    }

    #[test]
    fn every_problem_of_a_row_and_every_bad_row_are_returned_together_with_the_good_rows() {
        let t = table(HH, &[&["HGD-1", "TDP-01", "An", "", ""], &["", "TDP-01", "", "", ""]]);
        let c = check(ImportKind::Households, &t, &known());
        assert_eq!(c.rows.len(), 1);
        assert_eq!(c.errors.len(), 2);
    }

    #[test]
    fn unit_rows_may_refer_to_parents_defined_above_them() {
        let t = table(
            &["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"],
            &[&["P-MOI", "Phường Mới", "Phường", "HN"], &["TDP-M1", "Tổ dân phố 1", "Tổ dân phố", "P-MOI"]],
        );
        assert!(check(ImportKind::Units, &t, &known()).into_result().is_ok());
        let t = table(&["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"], &[&["X", "X", "Thôn", "KHONGCO"]]);
        assert!(check(ImportKind::Units, &t, &known()).into_result().is_err());
    }

    #[test]
    fn an_empty_file_is_an_error() {
        let t = table(HH, &[]);
        assert!(check(ImportKind::Households, &t, &known()).into_result().is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Cells mixing ASCII, Vietnamese letters, legacy Latin-1 bytes and odd whitespace.
        fn cell() -> impl Strategy<Value = String> {
            proptest::string::string_regex("[A-Za-z0-9 /.,-]{0,6}[àáảãạăằắđêễộưựÀĐ\u{A0}-\u{FF}\t]{0,4}[a-z0-9 ]{0,6}")
                .expect("valid regex")
        }

        fn accepted_rows(rows: &ValidRows) -> HashSet<usize> {
            match rows {
                ValidRows::Units(r) => r.iter().map(|x| x.row).collect(),
                ValidRows::Households(r) => r.iter().map(|x| x.row).collect(),
                ValidRows::People(r) => r.iter().map(|x| x.row).collect(),
            }
        }

        proptest! {
            #[test]
            fn every_row_is_accepted_or_reported_and_nothing_panics(kind in 0usize..3, rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..9), 0..20), unknown_column in any::<bool>()) {
                let kind = ImportKind::ALL[kind];
                let mut headers: Vec<String> = kind.columns().iter().map(|c| c.header.to_string()).collect();
                if unknown_column {
                    headers.push("Cột lạ".into());
                }
                let known = HashMap::from([("TDP-01".to_string(), (3, NodeKind::ResidentialGroup))]);
                let checked = check(kind, &Table { headers, rows: rows.clone() }, &known);
                let reported: HashSet<usize> = checked.errors.iter().map(|e| e.row).collect();
                if unknown_column {
                    prop_assert!(!checked.errors.is_empty());
                    prop_assert!(checked.errors.iter().all(|e| e.row == 1));
                } else {
                    let accepted = accepted_rows(&checked.rows);
                    for (i, r) in rows.iter().enumerate() {
                        let blank = r.iter().all(|c| c.trim().is_empty());
                        let seen = accepted.contains(&(i + 2)) || reported.contains(&(i + 2));
                        prop_assert!(blank || seen, "row {} lost", i + 2);
                        prop_assert!(!(accepted.contains(&(i + 2)) && reported.contains(&(i + 2))), "row {} both accepted and reported", i + 2);
                    }
                }
            }

            #[test]
            fn legacy_decoding_never_returns_legacy_symbols(s in cell(), enc in 0usize..3) {
                let enc = [Encoding::Unicode, Encoding::Tcvn3, Encoding::Vni][enc];
                // Only 8-bit text can be legacy; text with letters beyond U+00FF is Unicode already.
                let eight_bit = s.chars().all(|c| (c as u32) <= 0xFF);
                if let (true, Ok(out)) = (eight_bit, crate::legacy::decode_cell(&s, enc)) {
                    let clean = !out.chars().any(|c| ('\u{A1}'..='\u{BF}').contains(&c) || c == '\u{D7}' || c == '\u{F7}');
                    prop_assert!(clean, "{:?} decoded to {:?}", s, out);
                }
            }
        }
    }
}
