//! Criteria sets of the learning titles (danh hiệu học tập) and the rules that score an
//! assessment against them.
//!
//! A set is data, one TOML file per set under `criteria/` at the root of the repository, naming
//! its legal basis: the circulars change, levels differ, and since 01/07/2025 the bodies they
//! name were reorganised, so nothing here is a constant in code. The rules follow Circulars
//! 24/2023 and 25/2023 (Bộ GD&ĐT): every indicator is judged đạt / không đạt on evidence; an
//! indicator without evidence is không đạt; a criterion is đạt when all its indicators are; a
//! subject is recognised at a level when all criteria are. Sets based on the older point scales
//! (the Hội Khuyến học's 2015 predecessor of Decision 242/QĐ-KHVN) add up points instead.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The kind of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndicatorKind {
    /// Đạt / không đạt, on evidence.
    PassFail,
    /// A share (in per cent) that must reach `threshold`; `derived` names the registry figure
    /// that computes it, when the system holds the underlying titles.
    Share { threshold: f64, derived: Option<String> },
    /// Points up to `max_points` (point-scale sets only).
    Points { max_points: u32 },
}

/// One indicator (chỉ tiêu) of a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub text: String,
    #[serde(flatten)]
    pub kind: IndicatorKind,
    /// Only subjects of one of these classes are judged on it (empty: every subject).
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Subjects of these classes are not judged on it.
    #[serde(default)]
    pub not_for: Vec<String>,
    /// For point-scale sets: an indicator that must be đạt whatever the total.
    #[serde(default)]
    pub mandatory: bool,
    /// The last data year the indicator is judged on, when what it counts no longer exists (the
    /// districts, abolished on 01/7/2025): later years it is «không áp dụng», with `until_basis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_basis: Option<String>,
}

/// One criterion (tiêu chí) and its indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub code: String,
    pub text: String,
    pub indicators: Vec<Indicator>,
}

/// The legal document a set comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalBasis {
    pub document: String,
    /// Date of issue, dd/mm/yyyy.
    pub date: String,
    pub articles: String,
}

/// Who recognises subjects of a set for data years `from_year..=to_year`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecognisingBody {
    pub from_year: i32,
    pub to_year: Option<i32>,
    /// The body, as a decision names it.
    pub body: String,
    /// The level of the unit tree that issues the decision: `commune`, `district`, `province`
    /// or `ministry` (a body outside the city).
    pub level: String,
    /// Inferred rather than named by a legal document: shown as needing confirmation.
    #[serde(default)]
    pub provisional: bool,
    pub basis: Option<String>,
}

/// How the outcome is decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum OutcomeRule {
    /// Recognised when every applicable indicator is đạt (Circulars 24 and 25/2023).
    AllIndicators,
    /// Recognised when the points reach `min_points` and every mandatory indicator is đạt.
    Points { min_points: u32 },
}

/// A versioned criteria set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriteriaSet {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub title_vi: String,
    /// Mức độ, for sets that have levels.
    pub level: Option<u8>,
    /// What is assessed: citizen, household, clan, village, commune, district, province, unit.
    pub subject: String,
    pub issuer: String,
    pub legal_basis: LegalBasis,
    /// Data years the set applies to (inclusive; `None`: until replaced).
    pub from_year: i32,
    pub to_year: Option<i32>,
    /// The body that recognises, as the set's legal basis names it.
    pub recognised_by: String,
    /// The recognising body by data year where it changed (the district level ended on
    /// 01/07/2025): the first entry covering a year wins; none covering it means `recognised_by`.
    #[serde(default)]
    pub recognising_bodies: Vec<RecognisingBody>,
    /// Deadlines of the procedure, as the legal basis words them.
    pub dossier_deadline: Option<String>,
    pub decision_deadline: Option<String>,
    /// Years a recognition stays valid after the year of recognition.
    pub validity_years: u8,
    /// Data we do not hold the official text of: shown as unverified, replaceable.
    pub provisional: bool,
    pub note: Option<String>,
    pub outcome: OutcomeRule,
    pub criteria: Vec<Criterion>,
}

/// Why a criteria file is not acceptable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CriteriaError {
    #[error("tệp bộ tiêu chí sai cú pháp: {0}")]
    Syntax(String),
    #[error("bộ tiêu chí {0}: {1}")]
    Invalid(String, String),
}

impl CriteriaSet {
    /// Parses and checks a set from its TOML text.
    pub fn from_toml(text: &str) -> Result<CriteriaSet, CriteriaError> {
        let set: CriteriaSet = toml::from_str(text).map_err(|e| CriteriaError::Syntax(e.to_string()))?;
        set.validate()?;
        Ok(set)
    }

    fn validate(&self) -> Result<(), CriteriaError> {
        let bad = |m: String| Err(CriteriaError::Invalid(self.id.clone(), m));
        if self.criteria.is_empty() {
            return bad("không có tiêu chí nào".into());
        }
        match crate::titles::title(&self.title) {
            None => return bad(format!("danh hiệu «{}» không có trong danh mục", self.title)),
            Some(t) if t.subject.code() != self.subject => {
                return bad(format!("danh hiệu «{}» dành cho đối tượng «{}», không phải «{}»", self.title, t.subject.code(), self.subject));
            }
            Some(_) => {}
        }
        for b in &self.recognising_bodies {
            if !["commune", "district", "province", "ministry"].contains(&b.level.as_str()) {
                return bad(format!("cấp công nhận «{}» không hợp lệ (commune, district, province, ministry)", b.level));
            }
        }
        let mut codes = HashSet::new();
        for i in self.indicators() {
            if !codes.insert(i.code.as_str()) {
                return bad(format!("mã chỉ tiêu {} bị lặp", i.code));
            }
            match (&i.kind, &self.outcome) {
                (IndicatorKind::Share { threshold, .. }, _) if !(0.0..=100.0).contains(threshold) => {
                    return bad(format!("{}: ngưỡng {threshold} % ngoài 0–100", i.code));
                }
                (IndicatorKind::Points { .. }, OutcomeRule::AllIndicators) => {
                    return bad(format!("{}: chỉ tiêu tính điểm trong bộ chấm đạt/không đạt", i.code));
                }
                _ => {}
            }
        }
        if let OutcomeRule::Points { min_points } = self.outcome
            && min_points > self.max_points()
        {
            return bad(format!("điểm đạt {min_points} lớn hơn tổng điểm tối đa {}", self.max_points()));
        }
        Ok(())
    }

    /// Every indicator, in order.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.criteria.iter().flat_map(|c| c.indicators.iter())
    }

    /// The highest possible total of a point-scale set.
    pub fn max_points(&self) -> u32 {
        self.indicators().map(|i| if let IndicatorKind::Points { max_points } = i.kind { max_points } else { 0 }).sum()
    }

    /// The body that recognises subjects assessed for data `year`.
    pub fn recognising_body(&self, year: i32) -> RecognisingBody {
        self.recognising_bodies.iter().find(|b| year >= b.from_year && b.to_year.is_none_or(|t| year <= t)).cloned().unwrap_or_else(|| {
            RecognisingBody {
                from_year: self.from_year,
                to_year: self.to_year,
                body: self.recognised_by.clone(),
                level: String::new(),
                provisional: self.provisional,
                basis: None,
            }
        })
    }

    /// Whether the set applies to data of `year`.
    pub fn covers_year(&self, year: i32) -> bool {
        year >= self.from_year && self.to_year.is_none_or(|t| year <= t)
    }
}

impl Indicator {
    /// Whether a subject of these classes is judged on this indicator.
    pub fn applies(&self, classes: &[String]) -> bool {
        let has = |list: &[String]| list.iter().any(|c| classes.contains(c));
        (self.applies_to.is_empty() || has(&self.applies_to)) && !has(&self.not_for)
    }

    /// Whether the indicator is judged for data of `year` (see `until_year`).
    pub fn in_force(&self, year: i32) -> bool {
        self.until_year.is_none_or(|u| year <= u)
    }
}

/// What the assessor (or the registry, for derived shares) says of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Answer {
    PassFail { passed: bool, evidence: bool },
    Share { numerator: u64, denominator: u64, evidence: bool },
    Points { points: u32, evidence: bool },
}

/// The verdict on one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Verdict {
    NotApplicable,
    Pass,
    Fail(String),
}

/// The result of scoring an assessment against a set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub indicators: BTreeMap<String, Verdict>,
    /// Criterion code → đạt.
    pub criteria: BTreeMap<String, bool>,
    pub points: u32,
    pub recognised: bool,
}

/// The share of `numerator` in `denominator`, in per cent.
pub fn percent(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 * 100.0 / denominator as f64)
}

/// Whether `numerator` / `denominator` is at least `threshold` per cent, compared exactly on the
/// counts (numerator × 100 ≥ threshold × denominator, thresholds carrying at most four decimals),
/// never on a rounded figure: 69,95 % does not reach 70 %. `None` when the denominator is 0.
pub fn reaches(numerator: u64, denominator: u64, threshold: f64) -> Option<bool> {
    let t = (threshold * 10_000.0).round().max(0.0) as u128;
    (denominator > 0).then(|| u128::from(numerator) * 1_000_000 >= t * u128::from(denominator))
}

/// A share in per cent for display, rounded down to one decimal when it is below `threshold`,
/// so that a figure short of its threshold never reads as reaching it («59,9 %», not «60,0 %»).
pub fn share_shown(numerator: u64, denominator: u64, threshold: f64) -> Option<f64> {
    let p = percent(numerator, denominator)?;
    Some(if reaches(numerator, denominator, threshold) == Some(false) { (p * 10.0).floor() / 10.0 } else { p })
}

fn judge(i: &Indicator, answer: Option<&Answer>) -> (Verdict, u32) {
    let fail = |m: &str| (Verdict::Fail(m.to_string()), 0);
    match (&i.kind, answer) {
        (_, None) => fail("chưa có đánh giá"),
        (
            _,
            Some(Answer::PassFail { evidence: false, .. } | Answer::Share { evidence: false, .. } | Answer::Points { evidence: false, .. }),
        ) => {
            // Circular 24/2023, Điều 9; Circular 25/2023, Điều 8: no suitable evidence, không đạt.
            fail("không có minh chứng phù hợp")
        }
        (IndicatorKind::PassFail, Some(Answer::PassFail { passed: true, .. })) => (Verdict::Pass, 0),
        (IndicatorKind::PassFail, Some(Answer::PassFail { passed: false, .. })) => fail("không đạt"),
        (IndicatorKind::Share { threshold, .. }, Some(Answer::Share { numerator, denominator, .. })) => {
            match percent(*numerator, *denominator) {
                None => fail("không có số liệu (mẫu số bằng 0)"),
                Some(p) if numerator > denominator => fail(&format!("tử số {numerator} lớn hơn mẫu số {denominator} ({p:.1} %)")),
                // "tối thiểu": at least the threshold, on the exact counts.
                Some(_) if reaches(*numerator, *denominator, *threshold) == Some(true) => (Verdict::Pass, 0),
                Some(_) => fail(&format!(
                    "{} < {} %",
                    crate::text::percent(share_shown(*numerator, *denominator, *threshold)),
                    crate::text::decimal(*threshold)
                )),
            }
        }
        (IndicatorKind::Points { max_points }, Some(Answer::Points { points, .. })) => {
            if points > max_points {
                fail(&format!("{points} điểm vượt mức tối đa {max_points}"))
            } else if *points == 0 {
                (Verdict::Fail("0 điểm".into()), 0)
            } else {
                (Verdict::Pass, *points)
            }
        }
        _ => fail("kiểu đánh giá không khớp với chỉ tiêu"),
    }
}

/// Scores `answers` (indicator code → answer) for a subject of `classes` against `set`, for the
/// data of `year`.
pub fn evaluate(set: &CriteriaSet, year: i32, classes: &[String], answers: &BTreeMap<String, Answer>) -> Evaluation {
    let mut indicators = BTreeMap::new();
    let mut criteria = BTreeMap::new();
    let mut points = 0;
    let mut mandatory_ok = true;
    for c in &set.criteria {
        let mut all = true;
        for i in &c.indicators {
            let verdict = if i.applies(classes) && i.in_force(year) {
                let (v, p) = judge(i, answers.get(&i.code));
                points += p;
                if v != Verdict::Pass {
                    all = false;
                    mandatory_ok &= !i.mandatory;
                }
                v
            } else {
                Verdict::NotApplicable
            };
            indicators.insert(i.code.clone(), verdict);
        }
        criteria.insert(c.code.clone(), all);
    }
    let recognised = match set.outcome {
        OutcomeRule::AllIndicators => criteria.values().all(|ok| *ok),
        OutcomeRule::Points { min_points } => mandatory_ok && points >= min_points,
    };
    Evaluation { indicators, criteria, points, recognised }
}

/// The sets shipped with thidua, embedded at build time from `criteria/`.
pub const SHIPPED: &[(&str, &str)] = &[
    ("tt24-dvht-tinh-md1.toml", include_str!("../../../criteria/tt24-dvht-tinh-md1.toml")),
    ("tt24-dvht-tinh-md2.toml", include_str!("../../../criteria/tt24-dvht-tinh-md2.toml")),
    ("tt24-dvht-huyen-md1.toml", include_str!("../../../criteria/tt24-dvht-huyen-md1.toml")),
    ("tt24-dvht-huyen-md2.toml", include_str!("../../../criteria/tt24-dvht-huyen-md2.toml")),
    ("tt25-cdht-xa-md1.toml", include_str!("../../../criteria/tt25-cdht-xa-md1.toml")),
    ("tt25-cdht-xa-md2.toml", include_str!("../../../criteria/tt25-cdht-xa-md2.toml")),
    ("tt25-cdht-huyen-md1.toml", include_str!("../../../criteria/tt25-cdht-huyen-md1.toml")),
    ("tt25-cdht-huyen-md2.toml", include_str!("../../../criteria/tt25-cdht-huyen-md2.toml")),
    ("tt25-cdht-tinh-md1.toml", include_str!("../../../criteria/tt25-cdht-tinh-md1.toml")),
    ("tt25-cdht-tinh-md2.toml", include_str!("../../../criteria/tt25-cdht-tinh-md2.toml")),
    ("qd242-gdht-tam-thoi.toml", include_str!("../../../criteria/qd242-gdht-tam-thoi.toml")),
    ("qd324-cdht-tam-thoi.toml", include_str!("../../../criteria/qd324-cdht-tam-thoi.toml")),
    ("qd242-dhht-tam-thoi.toml", include_str!("../../../criteria/qd242-dhht-tam-thoi.toml")),
    ("qd242-cdht-thon-tam-thoi.toml", include_str!("../../../criteria/qd242-cdht-thon-tam-thoi.toml")),
];

/// Every shipped set, parsed.
pub fn shipped() -> Result<Vec<CriteriaSet>, CriteriaError> {
    SHIPPED.iter().map(|(_, text)| CriteriaSet::from_toml(text)).collect()
}

#[cfg(test)]
mod tests {
    use super::{reaches, share_shown};

    #[test]
    fn the_share_of_districts_is_not_judged_on_data_after_the_districts_ended() {
        // Issue 13 §15: TT 25/2023's «Tối thiểu 90% số huyện» cannot be met once no district
        // exists (01/7/2025); from the 2025 data it is «không áp dụng», with its basis.
        for id in ["tt25-2023-cdht-tinh-md1", "tt25-2023-cdht-tinh-md2"] {
            let s = super::shipped().expect("sets").into_iter().find(|s| s.id == id).unwrap_or_else(|| panic!("{id}"));
            let i = s.indicators().find(|i| i.code == "TC4.CT1").cloned().unwrap_or_else(|| panic!("TC4.CT1"));
            assert!(i.in_force(2024) && !i.in_force(2025), "{id}");
            assert!(i.until_basis.as_deref().is_some_and(|b| b.contains("01/7/2025")), "{id}");
            let no_answers = BTreeMap::new();
            assert_eq!(super::evaluate(&s, 2025, &[], &no_answers).indicators.get("TC4.CT1"), Some(&Verdict::NotApplicable), "{id}");
            assert!(matches!(super::evaluate(&s, 2024, &[], &no_answers).indicators.get("TC4.CT1"), Some(Verdict::Fail(_))), "{id}");
        }
    }

    #[test]
    fn a_share_reaches_its_threshold_only_on_the_exact_counts() {
        // Issue 13 §16: compare numerator × 100 with threshold × denominator, never a rounded figure.
        assert_eq!(reaches(59_996, 100_000, 60.0), Some(false), "59,996 % is not 60 %");
        assert_eq!(reaches(6_995, 10_000, 70.0), Some(false), "69,95 % is not 70 %");
        assert_eq!((reaches(3, 5, 60.0), reaches(7, 10, 70.0), reaches(5, 8, 62.5)), (Some(true), Some(true), Some(true)));
        assert_eq!(reaches(1, 0, 60.0), None);
        // Shown below its threshold, a share is rounded down: never «60,0 % < 60 %».
        let shown = crate::text::percent(share_shown(59_996, 100_000, 60.0));
        assert_eq!(shown, "59,9\u{a0}%");
        assert_eq!(crate::text::percent(share_shown(2, 3, 60.0)), "66,7\u{a0}%", "above it, the usual rounding");
    }

    use super::*;

    fn set(id: &str) -> CriteriaSet {
        shipped().unwrap_or_default().into_iter().find(|s| s.id == id).unwrap_or_else(|| panic!("{id} is shipped"))
    }

    fn classes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    /// Answers that meet every applicable indicator exactly at its threshold (the subject that
    /// just passes).
    fn just_passing(set: &CriteriaSet, classes: &[String]) -> BTreeMap<String, Answer> {
        set.indicators()
            .filter(|i| i.applies(classes))
            .map(|i| {
                let a = match &i.kind {
                    IndicatorKind::PassFail => Answer::PassFail { passed: true, evidence: true },
                    IndicatorKind::Share { threshold, .. } => {
                        Answer::Share { numerator: threshold.ceil() as u64, denominator: 100, evidence: true }
                    }
                    IndicatorKind::Points { max_points } => Answer::Points { points: *max_points, evidence: true },
                };
                (i.code.clone(), a)
            })
            .collect()
    }

    const CIRCULAR_SETS: [&str; 10] = [
        "tt24-2023-dvht-tinh-md1",
        "tt24-2023-dvht-tinh-md2",
        "tt24-2023-dvht-huyen-md1",
        "tt24-2023-dvht-huyen-md2",
        "tt25-2023-cdht-xa-md1",
        "tt25-2023-cdht-xa-md2",
        "tt25-2023-cdht-huyen-md1",
        "tt25-2023-cdht-huyen-md2",
        "tt25-2023-cdht-tinh-md1",
        "tt25-2023-cdht-tinh-md2",
    ];

    #[test]
    fn every_shipped_set_parses_names_its_legal_basis_and_has_a_unique_id() {
        let sets = shipped().unwrap_or_default();
        assert_eq!(sets.len(), SHIPPED.len());
        let ids: HashSet<&str> = sets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), sets.len());
        for s in &sets {
            assert!(!s.legal_basis.document.is_empty() && !s.legal_basis.date.is_empty(), "{}", s.id);
            assert_eq!(s.provisional, s.note.as_deref().unwrap_or("").starts_with("TẠM THỜI"), "{}: provisional sets say so", s.id);
        }
    }

    #[test]
    fn a_subject_exactly_at_every_threshold_is_recognised() {
        for id in CIRCULAR_SETS {
            let s = set(id);
            for c in [
                classes(&["public_body"]),
                classes(&["economic_org"]),
                classes(&["public_body", "learner_institution", "thpt_or_gdtx", "general_school", "gdnn", "university"]),
                classes(&["difficult_area"]),
            ] {
                let e = evaluate(&s, 2024, &c, &just_passing(&s, &c));
                assert!(e.recognised, "{id} {c:?}: {:?}", e.indicators);
            }
        }
    }

    #[test]
    fn each_indicator_failing_alone_blocks_recognition() {
        for id in CIRCULAR_SETS {
            let s = set(id);
            let c = classes(&["public_body", "learner_institution", "thpt_or_gdtx", "general_school", "gdnn", "university"]);
            for (criterion, i) in s.criteria.iter().flat_map(|cr| cr.indicators.iter().map(move |i| (cr, i))).filter(|(_, i)| i.applies(&c))
            {
                let mut answers = just_passing(&s, &c);
                let failing = match &i.kind {
                    IndicatorKind::PassFail => Answer::PassFail { passed: false, evidence: true },
                    // Just below the threshold: one point under, of a thousand.
                    IndicatorKind::Share { threshold, .. } => {
                        Answer::Share { numerator: (threshold * 10.0) as u64 - 1, denominator: 1000, evidence: true }
                    }
                    IndicatorKind::Points { .. } => Answer::Points { points: 0, evidence: true },
                };
                answers.insert(i.code.clone(), failing);
                let e = evaluate(&s, 2024, &c, &answers);
                assert!(!e.recognised, "{id}: {} failing alone still recognised", i.code);
                assert_eq!(e.criteria.get(&criterion.code), Some(&false), "{id}: {}", i.code);
                assert_eq!(e.criteria.values().filter(|ok| !**ok).count(), 1, "{id}: only {} fails", criterion.code);
            }
        }
    }

    #[test]
    fn an_indicator_without_evidence_is_not_met() {
        let s = set("tt24-2023-dvht-tinh-md1");
        let c = classes(&["public_body"]);
        let mut answers = just_passing(&s, &c);
        answers.insert("TC1.CT1".into(), Answer::PassFail { passed: true, evidence: false });
        let e = evaluate(&s, 2024, &c, &answers);
        assert_eq!(e.indicators.get("TC1.CT1"), Some(&Verdict::Fail("không có minh chứng phù hợp".into())));
        assert!(!e.recognised);
    }

    #[test]
    fn indicators_that_do_not_apply_are_skipped_as_the_circular_scopes_them() {
        let s = set("tt24-2023-dvht-tinh-md1");
        // An enterprise: no state budget indicator (public bodies only), no language certificate
        // indicator (economic organisations excluded), no school indicators.
        let e = evaluate(&s, 2024, &classes(&["economic_org"]), &just_passing(&s, &classes(&["economic_org"])));
        for code in ["TC1.CT3", "TC2.CT4", "TC3.CT1b", "TC3.CT4", "TC3.CT5", "TC3.CT6"] {
            assert_eq!(e.indicators.get(code), Some(&Verdict::NotApplicable), "{code}");
        }
        assert!(e.recognised);
        // Circular 24, Điều 7: at district level mức độ 2, "Tập thể lao động tiên tiến" is asked
        // only of public bodies.
        let s = set("tt24-2023-dvht-huyen-md2");
        let e = evaluate(&s, 2024, &classes(&["economic_org"]), &just_passing(&s, &classes(&["economic_org"])));
        assert_eq!(e.indicators.get("TC3.CT3"), Some(&Verdict::NotApplicable));
    }

    #[test]
    fn the_thresholds_are_the_circulars() {
        let threshold = |id: &str, code: &str| match set(id).indicators().find(|i| i.code == code).map(|i| i.kind.clone()) {
            Some(IndicatorKind::Share { threshold, .. }) => threshold,
            other => panic!("{id} {code}: {other:?}"),
        };
        // Circular 24/2023, Điều 6–7 and 12–13.
        assert_eq!(threshold("tt24-2023-dvht-tinh-md1", "TC2.CT4"), 50.0);
        assert_eq!(threshold("tt24-2023-dvht-tinh-md2", "TC2.CT4"), 70.0);
        assert_eq!(threshold("tt24-2023-dvht-tinh-md1", "TC3.CT1"), 90.0);
        assert_eq!(threshold("tt24-2023-dvht-tinh-md2", "TC3.CT1b"), 97.0);
        // Circular 25/2023, Điều 6–7.
        assert_eq!(threshold("tt25-2023-cdht-xa-md1", "TC5.CT1"), 60.0);
        assert_eq!(threshold("tt25-2023-cdht-xa-md2", "TC5.CT1"), 80.0);
        assert_eq!(threshold("tt25-2023-cdht-xa-md1", "TC5.CT3"), 12.0);
        assert_eq!(threshold("tt25-2023-cdht-xa-md2", "TC5.CT2k"), 50.0);
        // Circular 25/2023, Điều 11–12 and 16–17: 90 % of communes (districts) at the same level.
        assert_eq!(threshold("tt25-2023-cdht-huyen-md2", "TC4.CT1"), 90.0);
        assert_eq!(threshold("tt25-2023-cdht-tinh-md1", "TC4.CT1"), 90.0);
    }

    #[test]
    fn a_commune_in_a_difficult_area_is_judged_on_its_own_thresholds() {
        let s = set("tt25-2023-cdht-xa-md1");
        let trained = |c: &[&str], pct: u64| {
            let c = classes(c);
            let mut a = just_passing(&s, &c);
            for code in ["TC5.CT2", "TC5.CT2k"] {
                if a.contains_key(code) {
                    a.insert(code.into(), Answer::Share { numerator: pct, denominator: 100, evidence: true });
                }
            }
            evaluate(&s, 2024, &c, &a).recognised
        };
        assert!(trained(&["difficult_area"], 40), "40 % is enough in a difficult area");
        assert!(!trained(&[], 40), "but not elsewhere (50 %)");
        assert!(trained(&[], 50));
    }

    #[test]
    fn a_share_with_no_denominator_or_an_impossible_count_is_not_met() {
        let s = set("tt25-2023-cdht-xa-md1");
        let c = classes(&[]);
        for bad in [
            Answer::Share { numerator: 0, denominator: 0, evidence: true },
            Answer::Share { numerator: 120, denominator: 100, evidence: true },
        ] {
            let mut a = just_passing(&s, &c);
            a.insert("TC5.CT1".into(), bad);
            assert!(!evaluate(&s, 2024, &c, &a).recognised);
        }
    }

    #[test]
    fn a_points_set_needs_the_pass_mark_and_every_mandatory_indicator() {
        let s = set("qd242-gdht-tam-thoi");
        assert!(s.provisional);
        assert_eq!(s.max_points(), 100);
        let c = classes(&[]);
        let with = |changes: &[(&str, u32)]| {
            let mut a = just_passing(&s, &c);
            for (code, p) in changes {
                a.insert(code.to_string(), Answer::Points { points: *p, evidence: true });
            }
            evaluate(&s, 2024, &c, &a)
        };
        // A non-mandatory indicator may score nothing if the total still reaches the mark.
        let e = with(&[("TC2.CT1", 0)]);
        assert_eq!((e.points, e.recognised), (80, true));
        let e = with(&[("TC2.CT2", 1), ("TC3.CT1", 0)]);
        assert_eq!(e.points, 66);
        assert!(!e.recognised);
        let e = with(&[("TC2.CT1", 10), ("TC2.CT2", 10)]);
        assert_eq!(e.points, 80);
        assert!(e.recognised);
        let e = with(&[("TC2.CT1", 9), ("TC2.CT2", 10)]);
        assert_eq!(e.points, 79);
        assert!(!e.recognised);
        // A mandatory indicator failing blocks recognition whatever the total.
        let mut a = just_passing(&s, &c);
        a.insert("TC1.CT1".into(), Answer::Points { points: 0, evidence: true });
        assert!(!evaluate(&s, 2024, &c, &a).recognised);
    }

    #[test]
    fn malformed_sets_are_refused_with_a_reason() {
        let good = SHIPPED[0].1;
        assert!(matches!(CriteriaSet::from_toml("id = 1"), Err(CriteriaError::Syntax(_))));
        let dup = good.replace("code = \"TC1.CT2\"", "code = \"TC1.CT1\"");
        assert!(matches!(CriteriaSet::from_toml(&dup), Err(CriteriaError::Invalid(_, m)) if m.contains("bị lặp")));
        let over = good.replace("threshold = 90", "threshold = 190");
        assert!(matches!(CriteriaSet::from_toml(&over), Err(CriteriaError::Invalid(_, m)) if m.contains("ngoài 0–100")));
    }

    #[test]
    fn the_commune_title_is_recognised_by_the_district_until_2024_and_by_a_provisional_successor_after() {
        let s = set("tt25-2023-cdht-xa-md1");
        let before = s.recognising_body(2024);
        assert_eq!((before.level.as_str(), before.provisional), ("district", false));
        let after = s.recognising_body(2025);
        assert_eq!((after.level.as_str(), after.provisional), ("province", true));
        assert!(after.basis.unwrap_or_default().contains("142/2025"));
    }

    #[test]
    fn every_title_of_the_seed_has_a_shipped_set() {
        let sets = shipped().unwrap_or_default();
        for t in crate::titles::TITLES {
            assert!(sets.iter().any(|s| s.title == t.code), "{} has no set", t.code);
        }
    }
}
