//! The transitional rules of Decree 152/2025 Art. 60 (`[[transition]]` in
//! `commendation/bases.toml`): Decree 98/2023 still governs some matters after it ceased to be
//! in force on 01/7/2025.
//!
//! - Art. 60(2): where the province had not issued its own rules on what the decree delegates to
//!   it (the dossier and procedure of its Bằng khen, Giấy khen…, Art. 6(2)), Decree 98 applies
//!   until 31/12/2025. Whether Hanoi had is not known [GAP]: the data says `unknown` and a
//!   document of that window asks the officer to settle it before it is issued.
//! - Art. 60(3): a dossier already sent to the Ministry of Home Affairs before 01/7/2025 is
//!   appraised and decided under Decree 98 — its reward takes Decree 98's coefficient.

use super::bases::BASES_TOML;
use crate::dates::{format_dmy, parse_dmy};
use serde::Deserialize;
use time::{Date, Duration};

/// Whether the province issued its own rules on the delegated matters (Art. 60(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvinceRules {
    Issued,
    NotIssued,
    Unknown,
}

/// Art. 60(2): Decree 98 for the province's own awards' dossier and procedure, in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceProcedure {
    pub decree: String,
    pub from: Date,
    pub until: Date,
    pub province_rules: ProvinceRules,
    pub basis: String,
}

/// Art. 60(3): a dossier sent upward before `sent_before` stays under `decree`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentBefore {
    pub decree: String,
    pub sent_before: Date,
    pub basis: String,
}

/// The transitional rules of the shipped data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transitions {
    pub province_procedure: Vec<ProvinceProcedure>,
    pub sent_before: Vec<SentBefore>,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    transition: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Row {
    ProvinceProcedure { decree: String, from: String, until: String, province_rules: ProvinceRules, basis: String },
    SentBefore { decree: String, sent_before: String, basis: String },
}

/// The `[[transition]]` entries of a bases file, checked.
pub fn parse(text: &str) -> Result<Transitions, String> {
    let f: File = toml::from_str(text).map_err(|e| format!("bases.toml: {e}"))?;
    let date = |s: &str| parse_dmy(s).map_err(|e| format!("bases.toml: «{s}»: {e}"));
    let mut out = Transitions::default();
    for r in f.transition {
        match r {
            Row::ProvinceProcedure { decree, from, until, province_rules, basis } => {
                let (from, until) = (date(&from)?, date(&until)?);
                if until < from {
                    return Err(format!("bases.toml: chuyển tiếp {decree} kết thúc trước khi bắt đầu"));
                }
                out.province_procedure.push(ProvinceProcedure { decree, from, until, province_rules, basis });
            }
            Row::SentBefore { decree, sent_before, basis } => {
                out.sent_before.push(SentBefore { decree, sent_before: date(&sent_before)?, basis });
            }
        }
    }
    Ok(out)
}

/// The shipped transitional rules.
pub fn shipped() -> Result<Transitions, String> {
    parse(BASES_TOML)
}

/// What a decision of the province (or a body within it) dated `on` must say about Decree 98.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcedureNote {
    /// The province had not issued its rules: cite Decree 98 for the dossier and procedure.
    Cite(String),
    /// Not known whether it had: the officer settles it before the document is issued.
    Settle(String),
}

impl Transitions {
    /// Art. 60(2) for a document of the province dated `on`; none outside the window or once the
    /// province's own rules are recorded as issued.
    pub fn procedure_note(&self, on: Date) -> Option<ProcedureNote> {
        let t = self.province_procedure.iter().find(|t| t.from <= on && on <= t.until)?;
        match t.province_rules {
            ProvinceRules::Issued => None,
            ProvinceRules::NotIssued => Some(ProcedureNote::Cite(format!(
                "Căn cứ Nghị định số {} (về hồ sơ, thủ tục khen thưởng, áp dụng theo {});",
                t.decree, t.basis
            ))),
            ProvinceRules::Unknown => Some(ProcedureNote::Settle(format!(
                "[{}: nếu đến ngày {} Thành phố chưa ban hành quy định về hồ sơ, thủ tục khen thưởng thuộc thẩm quyền thì dẫn thêm Nghị định số {} — cần xác định trước khi ban hành]",
                t.basis,
                format_dmy(on),
                t.decree
            ))),
        }
    }

    /// Each rule in a sentence, for the legal-bases page (provisional ones say so).
    pub fn describe_vi(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .province_procedure
            .iter()
            .map(|t| {
                let status = match t.province_rules {
                    ProvinceRules::Issued => "Thành phố đã ban hành quy định riêng: không dẫn.",
                    ProvinceRules::NotIssued => "Thành phố chưa ban hành quy định riêng: quyết định trong thời gian này dẫn thêm nghị định cũ.",
                    ProvinceRules::Unknown => {
                        "Tạm thời: chưa xác định Thành phố đã ban hành quy định riêng hay chưa, nên quyết định soạn trong thời gian này nhắc cán bộ xác định trước khi ban hành."
                    }
                };
                format!(
                    "Từ {} đến {}: hồ sơ, thủ tục Bằng khen, Giấy khen thuộc thẩm quyền của Thành phố và các cơ quan, đơn vị thuộc Thành phố vẫn theo Nghị định số {} nếu Thành phố chưa ban hành quy định riêng ({}). {status}",
                    format_dmy(t.from),
                    format_dmy(t.until),
                    t.decree,
                    t.basis
                )
            })
            .collect();
        out.extend(self.sent_before.iter().map(|t| {
            format!(
                "Hồ sơ khen thưởng cấp Nhà nước đã gửi Bộ Nội vụ trước {} được thẩm định, trình và quyết định theo Nghị định số {} ({}): tiền thưởng theo hệ số của nghị định đó, với mức lương cơ sở tại ngày quyết định. Tạm thời: tính theo ngày Thành phố trình cấp trên, vì hệ thống không ghi ngày Bộ Nội vụ nhận.",
                format_dmy(t.sent_before),
                t.decree,
                t.basis
            )
        }));
        out
    }

    /// The day whose reward rules (coefficients) apply to a decision on `decided` over a dossier
    /// the city sent upward on `sent` (Art. 60(3)): the last day before the new decree when the
    /// dossier was sent before it, else the decision's own day. Returns the rule applied, if any.
    pub fn rules_day(&self, sent: Option<Date>, decided: Date) -> (Date, Option<&SentBefore>) {
        let applied = sent.and_then(|s| self.sent_before.iter().find(|t| s < t.sent_before && t.sent_before <= decided));
        match applied {
            Some(t) => (t.sent_before - Duration::days(1), Some(t)),
            None => (decided, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn shipped_rules() -> Transitions {
        shipped().expect("bases.toml reads")
    }

    #[test]
    fn a_dossier_sent_to_the_ministry_before_1_july_2025_is_decided_under_decree_98() {
        // Decree 152/2025 Art. 60(3): «Hồ sơ … đã được gửi đến Bộ Nội vụ … trước ngày Nghị định này
        // có hiệu lực, việc thẩm định, trình và quyết định khen thưởng … theo … Nghị định số 98/2023».
        let t = shipped_rules();
        let (day, rule) = t.rules_day(Some(date!(2025 - 06 - 20)), date!(2025 - 08 - 15));
        assert_eq!(day, date!(2025 - 06 - 30));
        assert_eq!(rule.map(|r| r.decree.as_str()), Some("98/2023/NĐ-CP"));
    }

    #[test]
    fn a_dossier_sent_from_1_july_2025_is_decided_under_decree_152() {
        let t = shipped_rules();
        assert_eq!(t.rules_day(Some(date!(2025 - 07 - 01)), date!(2025 - 08 - 15)), (date!(2025 - 08 - 15), None));
        assert_eq!(t.rules_day(None, date!(2025 - 08 - 15)), (date!(2025 - 08 - 15), None), "nothing sent upward: the decision's day");
        assert_eq!(t.rules_day(Some(date!(2025 - 05 - 02)), date!(2025 - 06 - 10)).1, None, "decided before the new decree anyway");
    }

    #[test]
    fn a_city_decision_of_the_second_half_of_2025_asks_whether_hanoi_had_its_own_procedure_rules() {
        // Decree 152/2025 Art. 60(2): Decree 98 until 31/12/2025 where the province had not issued
        // its rules on the delegated matters; Hanoi's status is not known, so the document asks.
        let t = shipped_rules();
        assert!(matches!(t.procedure_note(date!(2025 - 09 - 02)), Some(ProcedureNote::Settle(s)) if s.contains("khoản 2 Điều 60")));
        assert_eq!(t.procedure_note(date!(2025 - 06 - 30)), None);
        assert_eq!(t.procedure_note(date!(2026 - 01 - 01)), None);
    }

    #[test]
    fn once_the_data_says_hanoi_had_not_issued_its_rules_the_decision_cites_decree_98_for_the_procedure() {
        let text = BASES_TOML.replace("province_rules = \"unknown\"", "province_rules = \"not_issued\"");
        let t = parse(&text).expect("reads");
        assert!(matches!(t.procedure_note(date!(2025 - 12 - 31)), Some(ProcedureNote::Cite(s)) if s.contains("98/2023/NĐ-CP")));
        let text = BASES_TOML.replace("province_rules = \"unknown\"", "province_rules = \"issued\"");
        assert_eq!(parse(&text).expect("reads").procedure_note(date!(2025 - 12 - 31)), None);
    }
}
