//! The record of processing (issue 18 §1, Law 91/2025/QH15): what personal data thidua
//! processes, for which purpose, on which legal ground, shown to whom and kept how long — as
//! data (`privacy/processing.toml`), each entry marked verified or provisional — and when the
//! impact-assessment dossier is due.

use serde::Deserialize;
use time::{Date, Duration};

const PROCESSING_TOML: &str = include_str!("../../../privacy/processing.toml");

/// Why personal data may be processed for a purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// A state body doing its task, without the subject's consent (Law 91/2025 Art. 19(1)(c)).
    StateFunction,
    /// The subject's consent for this purpose (Law 91/2025 Art. 9).
    Consent,
}

impl Ground {
    pub fn label(self) -> &'static str {
        match self {
            Ground::StateFunction => "Thực hiện nhiệm vụ của cơ quan nhà nước (không cần sự đồng ý)",
            Ground::Consent => "Sự đồng ý của chủ thể dữ liệu",
        }
    }
}

/// One purpose of processing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub code: String,
    pub name: String,
    pub ground: Ground,
    pub basis: String,
    pub data: Vec<String>,
    pub subjects: Vec<String>,
    pub recipients: Vec<String>,
    /// The retention rule in words.
    pub retention: String,
    /// Years a record no longer in use is kept before it is due for deletion or anonymisation;
    /// none where the rule is not a number of years (an administrative record, consent).
    pub retention_years: Option<u32>,
    /// Whether the entry rests on verified texts; a provisional one says so on every page.
    pub verified: bool,
    /// What the retention job removes once its time is up; none where nothing is removed by
    /// time (administrative records, consent, the registry while the plan runs).
    #[serde(default)]
    pub sweep: Option<Sweep>,
}

/// Records the retention job removes (issue 18 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepWhat {
    /// Learning-title assessments no decision recognised, of data years long past.
    UnrecognisedAssessments,
    /// Entries of the read log older than the period.
    ReadLog,
}

impl SweepWhat {
    pub fn code(self) -> &'static str {
        match self {
            SweepWhat::UnrecognisedAssessments => "unrecognised_assessments",
            SweepWhat::ReadLog => "read_log",
        }
    }

    pub fn parse(code: &str) -> Option<SweepWhat> {
        [SweepWhat::UnrecognisedAssessments, SweepWhat::ReadLog].into_iter().find(|w| w.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SweepWhat::UnrecognisedAssessments => "Phiếu đánh giá danh hiệu không được công nhận",
            SweepWhat::ReadLog => "Nhật ký truy cập dữ liệu cá nhân",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    pub what: SweepWhat,
    pub after_years: u32,
}

/// From where records are due: an assessment of a data year before `year`, a read before `day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutoff {
    YearBefore(i64),
    DayBefore(Date),
}

impl Sweep {
    /// What is due on `today`: an assessment of year Y not recognised is kept for `after_years`
    /// full years after Y; a read is kept `after_years` years to the day.
    pub fn cutoff(&self, today: Date) -> Cutoff {
        let years = i32::try_from(self.after_years).unwrap_or(i32::MAX);
        match self.what {
            SweepWhat::UnrecognisedAssessments => Cutoff::YearBefore(i64::from(today.year()) - i64::from(years)),
            SweepWhat::ReadLog => {
                let year = today.year().saturating_sub(years);
                let day = Date::from_calendar_date(year, today.month(), today.day())
                    .or_else(|_| Date::from_calendar_date(year, today.month(), today.day().saturating_sub(1)))
                    .unwrap_or(today);
                Cutoff::DayBefore(day)
            }
        }
    }
}

impl Cutoff {
    /// «năm dữ liệu trước 2021», «trước ngày 08/12/2021».
    pub fn words(&self) -> String {
        match self {
            Cutoff::YearBefore(y) => format!("năm dữ liệu trước {y}"),
            Cutoff::DayBefore(d) => format!("trước ngày {}", crate::dates::format_dmy(*d)),
        }
    }

    /// Stored as «year:2021» or «day:2021-12-08».
    pub fn code(&self) -> String {
        match self {
            Cutoff::YearBefore(y) => format!("year:{y}"),
            Cutoff::DayBefore(d) => format!("day:{}", crate::dates::to_iso(*d)),
        }
    }

    pub fn parse(code: &str) -> Option<Cutoff> {
        match code.split_once(':')? {
            ("year", y) => y.parse().ok().map(Cutoff::YearBefore),
            ("day", d) => Date::parse(d, &time::format_description::well_known::Iso8601::DATE).ok().map(Cutoff::DayBefore),
            _ => None,
        }
    }
}

/// The whole record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub version: u32,
    pub controller: String,
    pub controller_verified: bool,
    pub addressee: String,
    pub dossier_days: i64,
    pub dossier_basis: String,
    #[serde(rename = "purpose")]
    pub purposes: Vec<Purpose>,
}

pub fn parse(text: &str) -> Result<Record, String> {
    let r: Record = toml::from_str(text).map_err(|e| format!("privacy/processing.toml: {e}"))?;
    if r.version != 1 {
        return Err(format!("privacy/processing.toml: version {} is not known", r.version));
    }
    if r.purposes.is_empty() {
        return Err("privacy/processing.toml: no purpose".into());
    }
    for p in &r.purposes {
        if p.data.is_empty() || p.subjects.is_empty() || p.recipients.is_empty() || p.basis.trim().is_empty() {
            return Err(format!("privacy/processing.toml: purpose {} lacks its data, subjects, recipients or basis", p.code));
        }
        if r.purposes.iter().filter(|q| q.code == p.code).count() > 1 {
            return Err(format!("privacy/processing.toml: purpose {} twice", p.code));
        }
    }
    Ok(r)
}

pub fn shipped() -> Result<Record, String> {
    parse(PROCESSING_TOML)
}

/// The day the impact-assessment dossier is due: `dossier_days` after processing started, and
/// processing under Law 91/2025 starts no earlier than the day the Law came into force.
pub fn dossier_due(record: &Record, started: Date, law_in_force: Date) -> Date {
    started.max(law_in_force) + Duration::days(record.dossier_days)
}

impl Record {
    /// Whether any part of the record is provisional.
    pub fn provisional(&self) -> bool {
        !self.controller_verified || self.purposes.iter().any(|p| !p.verified)
    }

    pub fn purpose(&self, code: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn unrecognised_assessments_of_a_year_are_kept_five_full_years_after_it() {
        let r = shipped().expect("reads");
        let sweep = r.purpose("titles").and_then(|p| p.sweep).expect("titles sweep");
        // On 8 December 2026, 2021's unrecognised results are within their five years; 2020's are not.
        assert_eq!(sweep.cutoff(date!(2026 - 12 - 08)), Cutoff::YearBefore(2021));
    }

    #[test]
    fn the_read_log_is_kept_five_years_to_the_day_and_a_leap_day_falls_back_a_day() {
        let r = shipped().expect("reads");
        let sweep = r.purpose("accounts").and_then(|p| p.sweep).expect("accounts sweep");
        assert_eq!(sweep.cutoff(date!(2026 - 12 - 08)), Cutoff::DayBefore(date!(2021 - 12 - 08)));
        assert_eq!(sweep.cutoff(date!(2028 - 02 - 29)), Cutoff::DayBefore(date!(2023 - 02 - 28)));
        let c = Cutoff::DayBefore(date!(2021 - 12 - 08));
        assert_eq!(Cutoff::parse(&c.code()), Some(c));
    }

    #[test]
    fn administrative_records_and_consent_are_never_swept_by_time() {
        let r = shipped().expect("reads");
        for code in ["commendation", "honour_roll", "registry"] {
            assert!(r.purpose(code).is_some_and(|p| p.sweep.is_none()), "{code}");
        }
    }

    #[test]
    fn the_shipped_record_names_every_purpose_the_issue_lists() {
        let r = shipped().expect("reads");
        for code in ["registry", "titles", "commendation", "honour_roll", "statistics"] {
            assert!(r.purpose(code).is_some(), "{code}");
        }
    }

    #[test]
    fn only_the_public_honour_roll_rests_on_consent() {
        // Law 91/2025: state bodies process for their tasks without consent (Art. 19(1)(c));
        // publishing a name to the public is not such a task and rests on consent (Art. 9).
        let r = shipped().expect("reads");
        let consent: Vec<&str> = r.purposes.iter().filter(|p| p.ground == Ground::Consent).map(|p| p.code.as_str()).collect();
        assert_eq!(consent, vec!["honour_roll"]);
    }

    #[test]
    fn the_dossier_is_due_60_days_after_processing_starts() {
        // Law 91/2025 Art. 21: within 60 days of starting to process (legal.md §11.2).
        let r = shipped().expect("reads");
        assert_eq!(dossier_due(&r, date!(2026 - 03 - 02), date!(2026 - 01 - 01)), date!(2026 - 05 - 01));
    }

    #[test]
    fn processing_begun_before_the_law_is_due_60_days_after_the_law_came_into_force() {
        let r = shipped().expect("reads");
        assert_eq!(dossier_due(&r, date!(2024 - 06 - 01), date!(2026 - 01 - 01)), date!(2026 - 03 - 02));
    }

    #[test]
    fn unverified_retention_rules_make_the_record_provisional() {
        let r = shipped().expect("reads");
        assert!(r.provisional());
        let unknown = PROCESSING_TOML.replace("version = 1", "version = 1\nextra = 1");
        assert!(parse(&unknown).is_err(), "an unknown field is refused, not ignored");
    }
}
