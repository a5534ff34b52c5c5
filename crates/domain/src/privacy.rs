//! The personal-data texts by the dates they are in force (`privacy/laws.toml`, legal.md §11.2):
//! Decree 13/2023 until 31/12/2025, then Law 91/2025 and Decree 356/2025. A consent recorded on a
//! day rests on the texts in force that day.

use crate::commendation::bases::{Decree, Row};
use serde::Deserialize;
use time::Date;

const LAWS_TOML: &str = include_str!("../../../privacy/laws.toml");

/// A personal-data text: dated like the decrees of commendation, with its article on consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Law {
    pub text: Decree,
    /// The article on consent, where the text has one.
    pub consent: Option<String>,
}

#[derive(Deserialize)]
struct File {
    version: u32,
    law: Vec<LawRow>,
}

#[derive(Deserialize)]
struct LawRow {
    #[serde(flatten)]
    text: Row,
    consent: Option<String>,
}

pub fn parse(text: &str) -> Result<Vec<Law>, String> {
    let f: File = toml::from_str(text).map_err(|e| format!("privacy/laws.toml: {e}"))?;
    if f.version != 1 {
        return Err(format!("privacy/laws.toml: version {} is not known", f.version));
    }
    f.law.into_iter().map(|r| Ok(Law { text: r.text.checked("privacy/laws.toml")?, consent: r.consent })).collect()
}

pub fn shipped() -> Result<Vec<Law>, String> {
    parse(LAWS_TOML)
}

/// The texts in force on `on`.
pub fn in_force(laws: &[Law], on: Date) -> Vec<&Law> {
    laws.iter().filter(|l| l.text.from <= on && l.text.until.is_none_or(|u| on <= u)).collect()
}

/// What a consent recorded on `on` rests on, in words: the article on consent of each text in
/// force, then the others; none recorded for that day says so.
pub fn consent_basis(laws: &[Law], on: Date) -> String {
    let mut force = in_force(laws, on);
    if force.is_empty() {
        return format!("chưa ghi nhận văn bản về bảo vệ dữ liệu cá nhân có hiệu lực ngày {}", crate::dates::format_dmy(on));
    }
    force.sort_by_key(|l| l.consent.is_none());
    let each: Vec<String> = force
        .iter()
        .map(|l| match &l.consent {
            Some(article) => format!("{article} {}", l.text.cite),
            None => l.text.cite.clone(),
        })
        .collect();
    each.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_consent_recorded_in_2026_rests_on_law_91_2025_article_9_and_decree_356() {
        // legal.md §11.2: Law 91/2025/QH15 in force 01/01/2026 (consent, Art. 9); Decree 356/2025
        // replaces Decree 13/2023 entirely from the same day (Art. 42(2)).
        let laws = shipped().expect("reads");
        let basis = consent_basis(&laws, date!(2026 - 12 - 07));
        assert!(basis.starts_with("Điều 9 Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15"), "{basis}");
        assert!(basis.contains("356/2025/NĐ-CP") && !basis.contains("13/2023"), "{basis}");
    }

    #[test]
    fn a_consent_recorded_in_2025_rests_on_decree_13_2023() {
        let laws = shipped().expect("reads");
        let basis = consent_basis(&laws, date!(2025 - 12 - 31));
        assert!(basis.starts_with("Điều 11 Nghị định số 13/2023/NĐ-CP") && !basis.contains("91/2025"), "{basis}");
        assert!(consent_basis(&laws, date!(2023 - 01 - 01)).starts_with("chưa ghi nhận"), "nothing before Decree 13");
    }
}
