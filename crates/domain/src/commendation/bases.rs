//! The decree detailing the Law on Emulation and Commendation, by the dates it is in force
//! (`commendation/bases.toml`): a generated decision cites the one in force on its date, and says
//! so plainly when none is recorded for that date — never an invented successor.

use crate::dates::parse_dmy;
use serde::Deserialize;
use time::Date;

/// The data file, shipped with the binary.
pub const BASES_TOML: &str = include_str!("../../../../commendation/bases.toml");

/// A decree and when it is in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decree {
    /// «152/2025/NĐ-CP».
    pub number: String,
    /// How a «Căn cứ» line names it.
    pub cite: String,
    pub from: Date,
    /// The last day in force; none while no end is known.
    pub until: Option<Date>,
    pub basis: String,
    /// Whether the dates were checked against the text.
    pub verified: bool,
}

#[derive(Deserialize)]
struct File {
    version: u32,
    decree: Vec<Row>,
}

/// A dated legal text as a data file writes it (also `privacy/laws.toml`).
#[derive(Deserialize)]
pub(crate) struct Row {
    number: String,
    cite: String,
    from: String,
    until: Option<String>,
    basis: String,
    verified: bool,
}

impl Row {
    /// The text with its dates read, or why they cannot be (`file` names the data file).
    pub(crate) fn checked(self, file: &str) -> Result<Decree, String> {
        let date = |s: &str| parse_dmy(s).map_err(|e| format!("{file}: «{s}»: {e}"));
        let (from, until) = (date(&self.from)?, self.until.as_deref().map(date).transpose()?);
        if until.is_some_and(|u| u < from) {
            return Err(format!("{file}: {} ends before it starts", self.number));
        }
        Ok(Decree { number: self.number, cite: self.cite, from, until, basis: self.basis, verified: self.verified })
    }
}

/// The decrees of a bases file, checked: dates that read, no two in force on the same day.
pub fn parse(text: &str) -> Result<Vec<Decree>, String> {
    let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
    if f.version != 1 {
        return Err(format!("bases.toml: version {} is not known", f.version));
    }
    let out = f.decree.into_iter().map(|r| r.checked("bases.toml")).collect::<Result<Vec<_>, _>>()?;
    ordered(out).map_err(|e| format!("bases.toml: {e}"))
}

/// The decrees in date order, or why they cannot stand together: no two in force on one day.
fn ordered(mut decrees: Vec<Decree>) -> Result<Vec<Decree>, String> {
    decrees.sort_by_key(|d| d.from);
    for w in decrees.windows(2) {
        if w[0].until.is_none_or(|u| u >= w[1].from) {
            return Err(format!(
                "Nghị định {} và {} cùng có hiệu lực ngày {}",
                w[0].number,
                w[1].number,
                crate::dates::format_dmy(w[1].from)
            ));
        }
    }
    Ok(decrees)
}

/// The shipped decrees with those an administrator entered (issue 13 §18: Decree 152's successor,
/// or an earlier end of Decree 152 if one replaces it sooner): an entry with a shipped decree's
/// number replaces it. Refused, saying why, when two would be in force on one day.
pub fn merge(shipped: &[Decree], entered: &[Decree]) -> Result<Vec<Decree>, String> {
    for d in entered {
        if d.number.trim().is_empty() || d.cite.trim().is_empty() || d.basis.trim().is_empty() {
            return Err("Nghị định cần số hiệu, cách dẫn ở phần «Căn cứ» và căn cứ của ngày hiệu lực.".into());
        }
        if d.until.is_some_and(|u| u < d.from) {
            return Err(format!("Nghị định {}: ngày hết hiệu lực trước ngày có hiệu lực.", d.number));
        }
    }
    let kept = shipped.iter().filter(|s| !entered.iter().any(|e| e.number == s.number));
    ordered(kept.chain(entered).cloned().collect())
}

/// The shipped decrees.
pub fn decrees() -> Result<Vec<Decree>, String> {
    parse(BASES_TOML)
}

/// The decree in force on `on`, if one is recorded.
pub fn in_force(decrees: &[Decree], on: Date) -> Option<&Decree> {
    decrees.iter().find(|d| d.from <= on && d.until.is_none_or(|u| on <= u))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn shipped() -> Vec<Decree> {
        decrees().unwrap_or_default()
    }

    fn decree(number: &str, from: Date, until: Option<Date>) -> Decree {
        Decree {
            number: number.into(), cite: format!("Nghị định số {number}"), from, until, basis: "Điều 1".into(), verified: true
        }
    }

    #[test]
    fn an_administrator_adds_the_successor_of_decree_152_from_1_march_2027() {
        // Decree 152/2025, Art. 60(1): it ceases to be in force from 01/3/2027.
        let merged = merge(&shipped(), &[decree("01/2027/NĐ-CP", date!(2027 - 03 - 01), None)]).expect("merged");
        assert_eq!(in_force(&merged, date!(2027 - 02 - 28)).map(|d| d.number.as_str()), Some("152/2025/NĐ-CP"));
        assert_eq!(in_force(&merged, date!(2027 - 03 - 01)).map(|d| d.number.as_str()), Some("01/2027/NĐ-CP"));
        // A successor from an earlier day overlaps Decree 152 unless 152's end is entered too.
        let early = decree("01/2027/NĐ-CP", date!(2027 - 01 - 15), None);
        let refused = merge(&shipped(), std::slice::from_ref(&early)).expect_err("overlap");
        assert!(refused.contains("152/2025/NĐ-CP") && refused.contains("15/01/2027"), "{refused}");
        let cut = Decree { until: Some(date!(2027 - 01 - 14)), ..shipped()[1].clone() };
        let merged = merge(&shipped(), &[cut, early]).expect("152 ends sooner");
        assert_eq!(in_force(&merged, date!(2027 - 01 - 15)).map(|d| d.number.as_str()), Some("01/2027/NĐ-CP"));
        assert!(merge(&shipped(), &[decree(" ", date!(2027 - 03 - 01), None)]).is_err(), "a decree needs its number");
    }

    #[test]
    fn the_shipped_file_reads() {
        assert_eq!(shipped().len(), 2, "{:?}", decrees());
    }

    #[test]
    fn decree_98_2023_is_cited_until_the_last_day_of_june_2025() {
        // Decree 152/2025 Art. 59: in force from 01/7/2025; Decree 98/2023 ceases to have effect.
        assert_eq!(in_force(&shipped(), date!(2025 - 06 - 30)).map(|d| d.number.as_str()), Some("98/2023/NĐ-CP"));
    }

    #[test]
    fn decree_152_2025_is_cited_from_the_first_of_july_2025() {
        assert_eq!(in_force(&shipped(), date!(2025 - 07 - 01)).map(|d| d.number.as_str()), Some("152/2025/NĐ-CP"));
        assert_eq!(in_force(&shipped(), date!(2026 - 12 - 06)).map(|d| d.number.as_str()), Some("152/2025/NĐ-CP"));
    }

    #[test]
    fn nothing_is_cited_after_decree_152_lapses_on_the_first_of_march_2027() {
        // Decree 152/2025 Art. 60(1): it ceases to have effect on 01/3/2027; its successor is not
        // recorded, and nothing is guessed.
        assert_eq!(in_force(&shipped(), date!(2027 - 02 - 28)).map(|d| d.number.as_str()), Some("152/2025/NĐ-CP"));
        assert!(in_force(&shipped(), date!(2027 - 03 - 01)).is_none());
    }

    #[test]
    fn two_decrees_in_force_on_one_day_are_refused() {
        let text = r#"version = 1
[[decree]]
number = "A"
cite = "A"
from = "01/01/2024"
until = "01/07/2025"
basis = "x"
verified = true
[[decree]]
number = "B"
cite = "B"
from = "01/07/2025"
basis = "x"
verified = true
"#;
        assert!(parse(text).is_err_and(|e| e.contains("cùng có hiệu lực")));
    }
}
