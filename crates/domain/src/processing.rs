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
