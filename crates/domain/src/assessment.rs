//! Assessments against a criteria set: the answers as stored (a compact text, one field per
//! indicator in the set's order), the answers as typed in a form or a spreadsheet cell, and the
//! columns of the bulk assessment sheet a ward fills per village.

use crate::criteria::{Answer, CriteriaSet, Indicator, IndicatorKind};
use crate::import::{RowError, SeenCodes};
use crate::text;
use crate::titles::Subject;
use std::collections::BTreeMap;

/// Marks an answer given without evidence in the stored text.
const NO_EVIDENCE: char = '~';

/// Encodes answers as stored: `;`-separated fields in the order of the set's indicators; an
/// empty field is no answer; `1`/`0` pass/fail, a number points, `n/d` a share; `~` at the end
/// means no evidence. About 2 bytes an indicator, so a million assessments stay small.
pub fn encode_answers(set: &CriteriaSet, answers: &BTreeMap<String, Answer>) -> String {
    let mut out = String::new();
    for (i, ind) in set.indicators().enumerate() {
        if i > 0 {
            out.push(';');
        }
        let (field, evidence) = match answers.get(&ind.code) {
            None => continue,
            Some(Answer::PassFail { passed, evidence }) => (if *passed { "1".to_string() } else { "0".to_string() }, *evidence),
            Some(Answer::Points { points, evidence }) => (points.to_string(), *evidence),
            Some(Answer::Share { numerator, denominator, evidence }) => (format!("{numerator}/{denominator}"), *evidence),
        };
        out.push_str(&field);
        if !evidence {
            out.push(NO_EVIDENCE);
        }
    }
    out
}

/// Decodes stored answers (the inverse of [`encode_answers`] for the same set version).
pub fn decode_answers(set: &CriteriaSet, stored: &str) -> Result<BTreeMap<String, Answer>, String> {
    let mut out = BTreeMap::new();
    let fields: Vec<&str> = if stored.is_empty() { vec![] } else { stored.split(';').collect() };
    let count = set.indicators().count();
    if fields.len() > count {
        return Err(format!("có {} câu trả lời cho {} chỉ tiêu", fields.len(), count));
    }
    for (ind, field) in set.indicators().zip(fields) {
        if field.is_empty() {
            continue;
        }
        let (body, evidence) = match field.strip_suffix(NO_EVIDENCE) {
            Some(b) => (b, false),
            None => (field, true),
        };
        let bad = || format!("{}: giá trị lưu «{field}» không hợp lệ", ind.code);
        let answer = match &ind.kind {
            IndicatorKind::PassFail => match body {
                "1" => Answer::PassFail { passed: true, evidence },
                "0" => Answer::PassFail { passed: false, evidence },
                _ => return Err(bad()),
            },
            IndicatorKind::Points { .. } => Answer::Points { points: body.parse().map_err(|_| bad())?, evidence },
            IndicatorKind::Share { .. } => {
                let (n, d) = body.split_once('/').ok_or_else(bad)?;
                Answer::Share { numerator: n.parse().map_err(|_| bad())?, denominator: d.parse().map_err(|_| bad())?, evidence }
            }
        };
        out.insert(ind.code.clone(), answer);
    }
    Ok(out)
}

/// What a cell of an indicator accepts, for headers, notes and error messages.
pub fn cell_hint(ind: &Indicator) -> String {
    match &ind.kind {
        IndicatorKind::PassFail => "Đ = đạt, K = không đạt".into(),
        IndicatorKind::Points { max_points } => format!("điểm 0–{max_points}"),
        IndicatorKind::Share { threshold, .. } => format!("tỉ lệ «số đạt/tổng số», ngưỡng {threshold} %"),
    }
}

/// Reads one cell of an indicator as typed by an assessor. Empty: no answer (the indicator is
/// then không đạt). A cell that holds an answer attests that the assessor saw the evidence; a
/// trailing «KMC» (không có minh chứng) records an answer without evidence.
pub fn parse_cell(ind: &Indicator, raw: &str) -> Result<Option<Answer>, String> {
    let cell = text::clean(raw);
    let folded = text::fold(&cell);
    if folded.is_empty() {
        return Ok(None);
    }
    let (folded, evidence) = match folded.strip_suffix("kmc") {
        Some(rest) => (rest.trim().to_string(), false),
        None => (folded, true),
    };
    let bad = || format!("«{cell}» không hợp lệ: {}", cell_hint(ind));
    match &ind.kind {
        IndicatorKind::PassFail => match folded.as_str() {
            "d" | "dat" | "x" | "1" | "co" | "true" => Ok(Some(Answer::PassFail { passed: true, evidence })),
            "k" | "khong dat" | "khong" | "0" | "false" => Ok(Some(Answer::PassFail { passed: false, evidence })),
            _ => Err(bad()),
        },
        IndicatorKind::Points { max_points } => {
            let points: f64 = folded.replace(',', ".").parse().map_err(|_| bad())?;
            if points.fract() != 0.0 || points < 0.0 {
                return Err(bad());
            }
            let points = points as u32;
            if points > *max_points {
                return Err(format!("{points} điểm vượt mức tối đa {max_points}"));
            }
            Ok(Some(Answer::Points { points, evidence }))
        }
        IndicatorKind::Share { .. } => {
            let (n, d) = match folded.split_once('/') {
                Some((n, d)) => (n.trim().parse::<u64>().map_err(|_| bad())?, d.trim().parse::<u64>().map_err(|_| bad())?),
                // A typed percentage is kept exactly as typed: «59,996» is 59 996 / 100 000, never
                // rounded to 60 % (issue 13 §16).
                None => exact_percent(folded.trim_end_matches('%').trim()).ok_or_else(bad)?,
            };
            if d == 0 || n > d {
                return Err(format!("«{cell}»: tử số phải từ 0 đến mẫu số, mẫu số lớn hơn 0"));
            }
            Ok(Some(Answer::Share { numerator: n, denominator: d, evidence }))
        }
    }
}

/// A percentage typed with a decimal comma or point, as an exact fraction (numerator,
/// denominator), at most six decimals and at most 100.
fn exact_percent(typed: &str) -> Option<(u64, u64)> {
    let typed = typed.replace(',', ".");
    let (int, frac) = typed.split_once('.').unwrap_or((&typed, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > 6 || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let scale = 10u64.pow(u32::try_from(frac.len()).ok()?);
    let n = format!("{int}{frac}").parse::<u64>().ok()?;
    (n <= 100 * scale).then_some((n, 100 * scale))
}

/// The header of an indicator's column: its code first (that is what is matched on upload).
pub fn indicator_header(ind: &Indicator) -> String {
    format!("{} ({})", ind.code, cell_hint(ind))
}

/// The header of the optional notes column.
pub const NOTE_HEADER: &str = "Ghi chú, minh chứng";

/// The column headers of the assessment sheet of a set: identification (code, name, place,
/// pre-filled), one column per indicator, notes.
pub fn sheet_headers(set: &CriteriaSet, subject: Subject) -> Vec<String> {
    let mut h = vec!["STT".to_string(), subject.code_header().to_string(), subject.name_header().to_string(), "Nơi đánh giá".to_string()];
    h.extend(set.indicators().map(indicator_header));
    h.push(NOTE_HEADER.to_string());
    h
}

/// One parsed row of an assessment sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub row: usize,
    pub code: String,
    pub answers: BTreeMap<String, Answer>,
    pub note: Option<String>,
}

/// The columns of an uploaded assessment sheet, matched to a set; reads rows one by one and
/// remembers codes to report a subject listed twice.
pub struct SheetReader<'a> {
    set: &'a CriteriaSet,
    code_col: usize,
    code_header: String,
    /// (column, indicator index in the set)
    indicators: Vec<(usize, usize)>,
    note_col: Option<usize>,
    seen: SeenCodes,
}

/// The indicator code a header starts with (before the first space or parenthesis), upper case.
fn header_code(h: &str) -> String {
    h.trim().split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("").to_uppercase()
}

impl<'a> SheetReader<'a> {
    /// Matches `headers` to `set`: the subject code column and every indicator column must be
    /// there; columns nobody reads (STT, names) are ignored.
    pub fn new(set: &'a CriteriaSet, subject: Subject, headers: &[String]) -> Result<Self, Vec<RowError>> {
        let folded: Vec<String> = headers.iter().map(|h| text::fold(&text::clean(h))).collect();
        let want = text::fold(subject.code_header());
        let header_error = |column: &str, reason: String| RowError { row: 1, column: column.to_string(), reason };
        let mut errors = Vec::new();
        let code_col = folded.iter().position(|h| *h == want || h == "ma");
        if code_col.is_none() {
            errors.push(header_error(subject.code_header(), format!("thiếu cột «{}»", subject.code_header())));
        }
        let codes: Vec<String> = headers.iter().map(|h| header_code(h)).collect();
        let mut indicators = Vec::new();
        for (i, ind) in set.indicators().enumerate() {
            let matching: Vec<usize> = codes.iter().enumerate().filter(|(_, c)| **c == ind.code.to_uppercase()).map(|(k, _)| k).collect();
            match matching.as_slice() {
                [k] => indicators.push((*k, i)),
                [] => errors.push(header_error(&ind.code, format!("thiếu cột chỉ tiêu {} ({})", ind.code, ind.text))),
                _ => errors.push(header_error(&ind.code, format!("cột chỉ tiêu {} xuất hiện nhiều lần", ind.code))),
            }
        }
        let note_col = folded.iter().position(|h| h.starts_with("ghi chu"));
        match code_col {
            Some(code_col) if errors.is_empty() => Ok(SheetReader {
                set,
                code_col,
                code_header: headers.get(code_col).cloned().unwrap_or_default(),
                indicators,
                note_col,
                seen: SeenCodes::default(),
            }),
            _ => Err(errors),
        }
    }

    /// Reads data row `row` (spreadsheet numbering). `None` for an empty row.
    pub fn row(&mut self, row: usize, cells: &[String]) -> Option<Result<SheetRow, Vec<RowError>>> {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return None;
        }
        let cell = |k: usize| cells.get(k).map(String::as_str).unwrap_or("");
        let mut errors = Vec::new();
        let code = text::clean(cell(self.code_col));
        if code.is_empty() {
            errors.push(RowError { row, column: self.code_header.clone(), reason: "thiếu mã".into() });
        } else if let Some(first) = self.seen.insert(&code, row) {
            errors.push(RowError { row, column: self.code_header.clone(), reason: format!("mã «{code}» đã có ở dòng {first}") });
        }
        let mut answers = BTreeMap::new();
        let inds: Vec<&Indicator> = self.set.indicators().collect();
        for &(col, i) in &self.indicators {
            let Some(ind) = inds.get(i) else { continue };
            match parse_cell(ind, cell(col)) {
                Ok(Some(a)) => {
                    answers.insert(ind.code.clone(), a);
                }
                Ok(None) => {}
                Err(reason) => errors.push(RowError { row, column: ind.code.clone(), reason }),
            }
        }
        let note = self.note_col.map(|k| text::clean(cell(k))).filter(|n| !n.is_empty());
        Some(if errors.is_empty() { Ok(SheetRow { row, code, answers, note }) } else { Err(errors) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::{evaluate, shipped};

    fn set(id: &str) -> CriteriaSet {
        shipped().unwrap_or_default().into_iter().find(|s| s.id == id).unwrap_or_else(|| panic!("{id} is shipped"))
    }

    #[test]
    fn stored_answers_read_back_exactly() {
        let s = set("tt25-2023-cdht-xa-md1");
        let mut answers = BTreeMap::new();
        let inds: Vec<_> = s.indicators().collect();
        answers.insert(inds[0].code.clone(), Answer::PassFail { passed: true, evidence: true });
        answers.insert(inds[1].code.clone(), Answer::PassFail { passed: false, evidence: false });
        let share = inds.iter().find(|i| matches!(i.kind, IndicatorKind::Share { .. })).map(|i| i.code.clone());
        if let Some(code) = &share {
            answers.insert(code.clone(), Answer::Share { numerator: 61, denominator: 100, evidence: true });
        }
        let stored = encode_answers(&s, &answers);
        assert!(stored.starts_with("1;0~;"), "{stored}");
        assert_eq!(decode_answers(&s, &stored), Ok(answers));
    }

    #[test]
    fn a_corrupt_stored_answer_is_an_error_not_a_guess() {
        let s = set("qd242-gdht-tam-thoi");
        assert!(decode_answers(&s, "abc").is_err());
        assert!(decode_answers(&s, &";".repeat(40)).is_err());
    }

    #[test]
    fn cells_read_as_an_assessor_types_them() {
        let s = set("qd242-gdht-tam-thoi");
        let points = s.indicators().next().cloned().unwrap_or_else(|| panic!("has indicators"));
        assert_eq!(parse_cell(&points, " 8 "), Ok(Some(Answer::Points { points: 8, evidence: true })));
        assert_eq!(parse_cell(&points, "8.0"), Ok(Some(Answer::Points { points: 8, evidence: true })));
        assert_eq!(parse_cell(&points, "8 KMC"), Ok(Some(Answer::Points { points: 8, evidence: false })));
        assert_eq!(parse_cell(&points, ""), Ok(None));
        assert!(parse_cell(&points, "11").unwrap_err().contains("vượt mức tối đa 10"));
        assert!(parse_cell(&points, "tám").is_err());
        let x = set("tt25-2023-cdht-xa-md1");
        let pf = x.indicators().next().cloned().unwrap_or_else(|| panic!("has indicators"));
        assert_eq!(parse_cell(&pf, "Đạt"), Ok(Some(Answer::PassFail { passed: true, evidence: true })));
        assert_eq!(parse_cell(&pf, "k"), Ok(Some(Answer::PassFail { passed: false, evidence: true })));
        let share = x.indicators().find(|i| matches!(i.kind, IndicatorKind::Share { .. })).cloned();
        if let Some(share) = share {
            assert_eq!(parse_cell(&share, "61/100"), Ok(Some(Answer::Share { numerator: 61, denominator: 100, evidence: true })));
            assert_eq!(parse_cell(&share, "60%"), Ok(Some(Answer::Share { numerator: 60, denominator: 100, evidence: true })));
            // Issue 13 §16: kept as typed, never rounded up to the threshold.
            let typed = parse_cell(&share, "59,996 %");
            assert_eq!(typed, Ok(Some(Answer::Share { numerator: 59_996, denominator: 100_000, evidence: true })));
            assert!(parse_cell(&share, "100,5").is_err() && parse_cell(&share, "1.2.3").is_err() && parse_cell(&share, ",").is_err());
            assert!(parse_cell(&share, "7/5").is_err());
        }
    }

    #[test]
    fn a_sheet_with_its_template_headers_reads_rows_and_scores_them() {
        let s = set("qd242-gdht-tam-thoi");
        let headers = sheet_headers(&s, Subject::Household);
        let mut reader = SheetReader::new(&s, Subject::Household, &headers).unwrap_or_else(|e| panic!("{e:?}"));
        let n = s.indicators().count();
        let mut cells = vec!["1".to_string(), "HGD-1".into(), "Nguyễn Văn An".into(), "Thôn 1".into()];
        cells.extend(s.indicators().map(|i| match i.kind {
            IndicatorKind::Points { max_points } => max_points.to_string(),
            _ => "Đ".into(),
        }));
        cells.push("Đã xem sổ".into());
        let row = reader.row(2, &cells).and_then(Result::ok).unwrap_or_else(|| panic!("row reads"));
        assert_eq!(row.code, "HGD-1");
        assert_eq!(row.answers.len(), n);
        assert_eq!(row.note.as_deref(), Some("Đã xem sổ"));
        assert!(evaluate(&s, 2024, &[], &row.answers).recognised);
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported_with_its_column() {
        let s = set("qd242-gdht-tam-thoi");
        let headers = sheet_headers(&s, Subject::Household);
        let mut reader = SheetReader::new(&s, Subject::Household, &headers).unwrap_or_else(|e| panic!("{e:?}"));
        let mut cells = vec!["1".to_string(), "".into(), "".into(), "".into(), "99".into(), "x".into()];
        cells.resize(headers.len(), String::new());
        let errors = reader.row(7, &cells).and_then(Result::err).unwrap_or_default();
        let cols: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(cols, vec!["Mã hộ", "TC1.CT1", "TC1.CT2"]);
        assert!(errors.iter().all(|e| e.row == 7));
    }

    #[test]
    fn a_subject_listed_twice_names_the_first_row() {
        let s = set("qd242-gdht-tam-thoi");
        let headers = sheet_headers(&s, Subject::Household);
        let mut reader = SheetReader::new(&s, Subject::Household, &headers).unwrap_or_else(|e| panic!("{e:?}"));
        let mut cells = vec!["1".to_string(), "HGD-1".into()];
        cells.resize(headers.len(), String::new());
        assert!(reader.row(2, &cells).is_some_and(|r| r.is_ok()));
        let e = reader.row(3, &cells).and_then(Result::err).unwrap_or_default();
        assert_eq!(e[0].reason, "mã «HGD-1» đã có ở dòng 2");
    }

    #[test]
    fn a_sheet_missing_an_indicator_column_is_refused_before_any_row() {
        let s = set("qd242-gdht-tam-thoi");
        let mut headers = sheet_headers(&s, Subject::Household);
        headers.remove(5);
        let errors = SheetReader::new(&s, Subject::Household, &headers).err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 1);
        assert!(errors[0].reason.contains("TC1.CT2"));
    }
}
