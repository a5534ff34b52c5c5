//! Eligibility of a nominee, checked against the learning-title registry and the dossier, and
//! explained in words. The rules are data (`commendation/eligibility.toml`, seed III.2 and
//! III.5.2.b): which title each kind of nominee must hold and how recent it must be, and which
//! documents a dossier carries. A failure blocks submission; a softer finding warns.

use super::NomineeKind;
use serde::{Deserialize, Serialize};
use time::Date;

/// A document of a dossier (seed III.5.2.b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// The proposer's submission with the list of nominees.
    ToTrinh,
    /// Minutes of the proposer's emulation council or steering-committee meeting.
    BienBan,
    /// The nominee's achievement report, certified by the proposer (its form: `[[form]]`).
    BaoCaoThanhTich,
    /// The competent authority's confirmation of a cited initiative.
    XacNhanSangKien,
    /// Anything else the proposer attaches.
    Khac,
}

impl DocKind {
    pub const ALL: [DocKind; 5] = [DocKind::ToTrinh, DocKind::BienBan, DocKind::BaoCaoThanhTich, DocKind::XacNhanSangKien, DocKind::Khac];

    pub fn code(self) -> &'static str {
        match self {
            DocKind::ToTrinh => "to_trinh",
            DocKind::BienBan => "bien_ban",
            DocKind::BaoCaoThanhTich => "bao_cao_thanh_tich",
            DocKind::XacNhanSangKien => "xac_nhan_sang_kien",
            DocKind::Khac => "khac",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            DocKind::ToTrinh => "Tờ trình kèm danh sách đề nghị khen thưởng",
            DocKind::BienBan => "Biên bản họp xét khen thưởng của Hội đồng Thi đua – Khen thưởng",
            DocKind::BaoCaoThanhTich => "Báo cáo thành tích có xác nhận của cấp trình",
            DocKind::XacNhanSangKien => "Xác nhận của cơ quan có thẩm quyền về sáng kiến, giải pháp",
            DocKind::Khac => "Tài liệu khác",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub nominee: NomineeKind,
    pub titles: Vec<String>,
    pub basis: String,
    pub explain: String,
}

/// A learning title a nominee holds, with the decision it rests on and how long it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldTitle {
    pub title: String,
    /// The data year assessed.
    pub year: i32,
    /// The recognition decision's number and date.
    pub decision: String,
    pub signed_on: Date,
    /// The last day it is valid: its criteria set's validity from the decision's date.
    pub valid_until: Date,
    /// The former unit it was recognised to, when it counts through [`PredecessorRule`].
    pub predecessor: Option<String>,
}

impl HeldTitle {
    /// Whether the title is in force on `d`.
    pub fn valid_on(&self, d: Date) -> bool {
        self.signed_on <= d && d <= self.valid_until
    }

    /// «Gia đình học tập» năm 2029 — Quyết định số 3/QĐ-UBND ngày 15/01/2030, hiệu lực đến 14/01/2031
    pub fn describe(&self) -> String {
        let name = crate::titles::title(&self.title).map_or(self.title.as_str(), |t| t.label_vi);
        let of = self.predecessor.as_ref().map(|p| format!(" (của {p}, đơn vị trước sắp xếp)")).unwrap_or_default();
        format!(
            "«{name}» năm {}{of} — Quyết định số {} ngày {}, hiệu lực đến {}",
            self.year,
            self.decision,
            crate::dates::format_dmy(self.signed_on),
            crate::dates::format_dmy(self.valid_until)
        )
    }
}

/// The last day a title recognised on `signed_on` is valid, for a set valid `years` years: the
/// day before its anniversary `years` years later (the anniversary of 29/2 in a common year is
/// 01/3).
pub fn valid_until(signed_on: Date, years: u8) -> Date {
    let year = signed_on.year() + i32::from(years);
    let anniversary = Date::from_calendar_date(year, signed_on.month(), signed_on.day())
        .or_else(|_| Date::from_calendar_date(year, time::Month::March, 1))
        .unwrap_or(signed_on);
    anniversary.previous_day().unwrap_or(anniversary)
}

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentRules {
    pub basis: String,
    pub batch: Vec<DocKind>,
    pub nominee: Vec<DocKind>,
    pub initiative: Vec<DocKind>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rules {
    pub version: u32,
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
    pub documents: DocumentRules,
    /// Whether the titles of the units a nominee took over count as its own.
    pub predecessors: PredecessorRule,
    /// The form a document follows, by the decree in force (issue 13 §18).
    #[serde(rename = "form", default)]
    pub forms: Vec<Form>,
}

/// Which predecessors' titles count as a unit nominee's own ([`PredecessorRule`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PredecessorTitles {
    /// None: a title stays its former unit's.
    None,
    /// Those of a unit that went whole into the nominee.
    Whole,
    /// Those of every unit it took over, whole or a part.
    Any,
}

/// Whether a ward formed by the 2025 reform holds its former units' titles (issue 14 §3): data
/// with its basis, since no text says.
#[derive(Debug, Clone, Deserialize)]
pub struct PredecessorRule {
    pub counts: PredecessorTitles,
    pub provisional: bool,
    pub basis: String,
    pub explain: String,
}

impl PredecessorRule {
    /// Whether the titles of a predecessor (that went `whole` into the nominee, or a part) count.
    pub fn counts(&self, whole: bool) -> bool {
        match self.counts {
            PredecessorTitles::None => false,
            PredecessorTitles::Whole => whole,
            PredecessorTitles::Any => true,
        }
    }
}

/// The official form of a dossier document while a decree is in force.
#[derive(Debug, Clone, Deserialize)]
pub struct Form {
    pub doc: DocKind,
    /// «Mẫu số 01», or how the text names it.
    pub form: String,
    pub basis: String,
    pub from: String,
    pub until: Option<String>,
    pub verified: bool,
}

impl Form {
    fn in_force(&self, on: Date) -> bool {
        let day = |s: &str| crate::dates::parse_dmy(s).ok();
        day(&self.from).is_some_and(|f| f <= on) && self.until.as_deref().is_none_or(|u| day(u).is_some_and(|u| on <= u))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks submission.
    Block,
    /// Shown to the proposer and the appraisers; does not block.
    Warn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

/// What is known of a nominee when it is checked.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub kind: Option<NomineeKind>,
    /// Titles recognised by a decision, with the decision and validity.
    pub titles: Vec<HeldTitle>,
    /// Proposers that already nominated the same subject in the same campaign.
    pub nominated_elsewhere: Vec<String>,
    /// Nominees of other batches of the campaign with the same name (and birth year), which may
    /// be the same person or household registered twice.
    pub look_alikes: Vec<String>,
    /// The nominee's own documents.
    pub documents: Vec<DocKind>,
    pub cites_initiative: bool,
    /// Earlier awards of the same level: (year, decision number).
    pub same_award_before: Vec<(i32, String)>,
    /// A nominee from outside the registry, and where from: no title registry to read.
    pub external: Option<super::Origin>,
    /// For an enterprise: its workers holding «Công dân học tập» against QĐ 1268's target.
    pub workers: Option<WorkersShare>,
}

/// An enterprise's workers (its members in the registry) holding «Công dân học tập» in the data
/// year, and the QĐ 1268 milestone they must reach (seed III.2.1.g).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkersShare {
    pub holding: u64,
    pub workers: u64,
    pub data_year: i64,
    pub target: f64,
    pub target_year: i64,
    pub basis: String,
    /// QĐ 1268's training milestones due (indicator, share, year): not in the registry, read
    /// against the achievement report.
    pub training: Vec<(String, f64, i64)>,
}

impl Rules {
    pub fn shipped() -> Result<Rules, String> {
        Rules::from_toml(super::ELIGIBILITY_TOML)
    }

    pub fn from_toml(text: &str) -> Result<Rules, String> {
        let r: Rules = toml::from_str(text).map_err(|e| e.to_string())?;
        for f in &r.forms {
            for d in std::iter::once(&f.from).chain(&f.until) {
                crate::dates::parse_dmy(d).map_err(|e| format!("mẫu {} của {}: «{d}»: {e}", f.form, f.doc.code()))?;
            }
        }
        for rule in &r.rules {
            for t in &rule.titles {
                if crate::titles::title(t).is_none() {
                    return Err(format!("quy tắc cho {}: danh hiệu «{t}» không có", rule.nominee.code()));
                }
            }
        }
        Ok(r)
    }

    pub fn rule(&self, kind: NomineeKind) -> Option<&Rule> {
        self.rules.iter().find(|r| r.nominee == kind)
    }

    /// The titles of the nominee's rule in force on `reference` (the campaign's reference day),
    /// described with the decision each rests on.
    pub fn rests_on(&self, reference: Date, f: &Facts) -> Vec<String> {
        let Some(rule) = f.kind.and_then(|k| self.rule(k)).filter(|_| f.external.is_none()) else { return vec![] };
        f.titles.iter().filter(|t| rule.titles.contains(&t.title) && t.valid_on(reference)).map(HeldTitle::describe).collect()
    }

    /// The nominee's findings on the campaign's reference day, blocking ones first. A title
    /// counts while it is valid on that day: from its decision for its criteria set's validity
    /// (3 years for the titles of Circulars 24 and 25; one year for the provisional sets); the
    /// plan sets no number of years of its own (III.2 «được công nhận / đạt danh hiệu»).
    pub fn check(&self, reference: Date, f: &Facts) -> Vec<Finding> {
        let mut out = Vec::new();
        let block = |code, message| Finding { severity: Severity::Block, code, message };
        let warn = |code, message| Finding { severity: Severity::Warn, code, message };
        match f.kind.and_then(|k| self.rule(k)) {
            None => out.push(block("kind", "Đối tượng này không thuộc diện khen thưởng của Phong trào (Kế hoạch, mục III.1)".to_string())),
            // III.1: «các tập thể, cá nhân trong và ngoài Thành phố»: no title registry to read.
            Some(rule) if f.external.is_some() => out.push(warn(
                "outside_registry",
                format!(
                    "{}: đối tượng ngoài sổ đăng ký của Thành phố — tiêu chuẩn «{}» ({}) xét theo báo cáo thành tích và minh chứng trong hồ sơ, không theo sổ danh hiệu.",
                    f.external.map(|o| o.label_vi()).unwrap_or_default(),
                    rule.explain,
                    rule.basis
                ),
            )),
            Some(rule) => {
                let held: Vec<&HeldTitle> = f.titles.iter().filter(|t| rule.titles.contains(&t.title)).collect();
                if !held.iter().any(|t| t.valid_on(reference)) {
                    let names = rule
                        .titles
                        .iter()
                        .filter_map(|t| crate::titles::title(t))
                        .map(|t| format!("«{}»", t.label_vi))
                        .collect::<Vec<_>>()
                        .join(" hoặc ");
                    let on = crate::dates::format_dmy(reference);
                    let why = match held.iter().max_by_key(|t| t.valid_until) {
                        Some(t) if t.valid_until < reference => format!("danh hiệu {} đã hết hiệu lực trước ngày xét {on}", t.describe()),
                        Some(t) => format!("danh hiệu {} chưa có hiệu lực vào ngày xét {on}", t.describe()),
                        None => format!("chưa có quyết định công nhận {names} nào trong sổ danh hiệu"),
                    };
                    out.push(block("title", format!("{}: {why} ({}).", rule.explain, rule.basis)));
                }
            }
        }
        if let Some(w) = f.workers.as_ref().filter(|_| f.external.is_none()) {
            out.push(workers_finding(w));
        }
        if !f.nominated_elsewhere.is_empty() {
            out.push(block(
                "duplicate",
                format!(
                    "Đã được đề nghị cùng hình thức khen thưởng trong cùng đợt bởi: {}. Mỗi đối tượng chỉ được đề nghị một lần cho một hình thức khen thưởng.",
                    f.nominated_elsewhere.join(", ")
                ),
            ));
        }
        let mut need: Vec<DocKind> = self.documents.nominee.clone();
        if f.cites_initiative {
            need.extend(self.documents.initiative.iter().copied());
        }
        for d in need {
            if !f.documents.contains(&d) {
                out.push(block("document", self.missing(d, reference)));
            }
        }
        if !f.look_alikes.is_empty() {
            out.push(warn(
                "look_alike",
                format!(
                    "Trùng tên với đối tượng được đề nghị ở hồ sơ khác: {}. Hãy kiểm tra có phải cùng một người, một hộ.",
                    f.look_alikes.join("; ")
                ),
            ));
        }
        for (y, number) in &f.same_award_before {
            out.push(warn("awarded_before", format!("Đã được tặng cùng hình thức năm {y} (Quyết định số {number}).")));
        }
        out.sort_by_key(|x| x.severity != Severity::Block);
        out
    }

    /// The batch's own missing documents (tờ trình, biên bản).
    pub fn batch_findings(&self, present: &[DocKind], on: Date) -> Vec<Finding> {
        self.documents
            .batch
            .iter()
            .filter(|d| !present.contains(d))
            .map(|d| Finding { severity: Severity::Block, code: "document", message: self.missing(*d, on) })
            .collect()
    }

    /// «Thiếu hồ sơ: …», naming the form the document follows on `on` and its decree.
    fn missing(&self, d: DocKind, on: Date) -> String {
        match self.forms.iter().find(|f| f.doc == d && f.in_force(on)) {
            Some(f) => format!(
                "Thiếu hồ sơ: {} theo {} — {}{} ({}).",
                d.label_vi(),
                f.form,
                f.basis,
                if f.verified { "" } else { ", chưa đối chiếu" },
                self.documents.basis
            ),
            None => format!("Thiếu hồ sơ: {} ({}).", d.label_vi(), self.documents.basis),
        }
    }
}

/// The findings of a nominee for an award its proposer's own head decides (Giấy khen): the
/// body sets its own criteria and numbers (seed III.3.2.c, III.3.3.c) and the dossier of III.5.2.b
/// is the City Bằng khen's, so the plan's documents are not asked for and its standards are
/// shown for reference only, never as a block.
pub fn for_own_head(findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| f.code != "document")
        .map(|f| match f.severity {
            Severity::Block => Finding {
                severity: Severity::Warn,
                code: f.code,
                message: format!("Tham khảo (Giấy khen theo tiêu chí của đơn vị, Kế hoạch mục III.3.2.c): {}", f.message),
            },
            Severity::Warn => f,
        })
        .collect()
}

/// Seed III.2.1.g: an enterprise's share of workers «Công dân học tập» «đạt và vượt mục tiêu
/// theo Quyết định số 1268/QĐ-TTg», compared on the exact counts. With no worker listed in the
/// registry it cannot be read: the dossier's evidence decides, and the finding says so. QĐ 1268's
/// training targets are not held in the registry and are always the dossier's.
fn workers_finding(w: &WorkersShare) -> Finding {
    let target = format!("{} % đến năm {} — {}", crate::text::decimal(w.target), w.target_year, w.basis);
    let training = if w.training.is_empty() {
        "Chỉ tiêu đào tạo công nhân theo Quyết định 1268/QĐ-TTg xét theo báo cáo thành tích.".to_string()
    } else {
        let each: Vec<String> =
            w.training.iter().map(|(what, share, year)| format!("{what}: {} % đến năm {year}", crate::text::decimal(*share))).collect();
        format!(
            "Chỉ tiêu đào tạo công nhân theo Quyết định 1268/QĐ-TTg, xét theo báo cáo thành tích (sổ không ghi việc đào tạo): {}.",
            each.join("; ")
        )
    };
    let counted = |p: Option<f64>| {
        format!(
            "công nhân lao động đạt «Công dân học tập» năm {}: {}/{} ({})",
            w.data_year,
            crate::text::number(i128::from(w.holding)),
            crate::text::number(i128::from(w.workers)),
            crate::text::percent(p)
        )
    };
    let (severity, message) = match crate::criteria::reaches(w.holding, w.workers, w.target) {
        None => (
            Severity::Warn,
            format!(
                "Kế hoạch, mục III.2.1.g: sổ chưa có danh sách công nhân lao động của doanh nghiệp, nên tỷ lệ đạt «Công dân học tập» xét theo báo cáo thành tích. Mục tiêu: {target}. {training}"
            ),
        ),
        Some(false) => (
            Severity::Block,
            format!(
                "Kế hoạch, mục III.2.1.g: {}, chưa đạt mục tiêu {target}.",
                counted(crate::criteria::share_shown(w.holding, w.workers, w.target))
            ),
        ),
        Some(true) => (
            Severity::Warn,
            format!(
                "Kế hoạch, mục III.2.1.g: {}, đạt mục tiêu {target}. {training}",
                counted(crate::criteria::percent(w.holding, w.workers))
            ),
        ),
    };
    Finding { severity, code: "workers", message }
}

/// Whether any finding blocks submission.
pub fn blocks(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::shipped().expect("eligibility.toml reads")
    }

    /// A title of data year `y` recognised on 15/01 of the next year, valid as its set says: three
    /// years for the circulars' titles, one for the provisional sets.
    fn held(title: &str, y: i32) -> HeldTitle {
        let years = if ["cong_dong_hoc_tap_xa", "cong_dong_hoc_tap_huyen", "don_vi_hoc_tap"].contains(&title) { 3 } else { 1 };
        let signed_on = Date::from_calendar_date(y + 1, time::Month::January, 15).expect("date");
        HeldTitle {
            title: title.into(),
            year: y,
            decision: format!("{}/QĐ-UBND", y - 2000),
            signed_on,
            valid_until: valid_until(signed_on, years),
            predecessor: None,
        }
    }

    #[test]
    fn a_former_wards_title_does_not_count_for_the_new_ward_until_a_text_says_so() {
        let shipped = Rules::shipped().expect("shipped");
        assert_eq!(shipped.predecessors.counts, PredecessorTitles::None);
        assert!(shipped.predecessors.provisional && !shipped.predecessors.counts(true) && !shipped.predecessors.counts(false));
        let whole = PredecessorRule { counts: PredecessorTitles::Whole, ..shipped.predecessors.clone() };
        assert!(whole.counts(true) && !whole.counts(false));
        let held = HeldTitle { predecessor: Some("Phường Hàng Bạc".into()), ..held("cong_dong_hoc_tap_xa", 2024) };
        assert!(held.describe().contains("(của Phường Hàng Bạc, đơn vị trước sắp xếp)"), "{}", held.describe());
    }

    fn facts(kind: NomineeKind, titles: &[(&str, i32)]) -> Facts {
        Facts {
            kind: Some(kind),
            titles: titles.iter().map(|(t, y)| held(t, *y)).collect(),
            documents: vec![DocKind::BaoCaoThanhTich],
            ..Facts::default()
        }
    }

    /// The reference day of a campaign of `year`: 30/06.
    fn on(year: i32) -> Date {
        Date::from_calendar_date(year, time::Month::June, 30).expect("date")
    }

    fn codes(f: &[Finding]) -> Vec<&'static str> {
        f.iter().map(|x| x.code).collect()
    }

    #[test]
    fn each_kind_of_nominee_passes_with_its_own_title() {
        let r = rules();
        for (kind, title) in [
            (NomineeKind::Commune, "cong_dong_hoc_tap_xa"),
            (NomineeKind::Unit, "don_vi_hoc_tap"),
            (NomineeKind::Village, "cong_dong_hoc_tap_thon"),
            (NomineeKind::Household, "gia_dinh_hoc_tap"),
            (NomineeKind::Clan, "dong_ho_hoc_tap"),
            (NomineeKind::Individual, "cong_dan_hoc_tap"),
            (NomineeKind::District, "cong_dong_hoc_tap_huyen"),
        ] {
            assert!(r.check(on(2026), &facts(kind, &[(title, 2025)])).is_empty(), "{kind:?} with {title}");
        }
    }

    #[test]
    fn each_kind_of_nominee_fails_without_its_title_and_says_which() {
        let r = rules();
        for (kind, words) in [
            (NomineeKind::Commune, "Cộng đồng học tập cấp xã"),
            (NomineeKind::Unit, "Đơn vị học tập"),
            (NomineeKind::Village, "Cộng đồng học tập"),
            (NomineeKind::Household, "Gia đình học tập"),
            (NomineeKind::Clan, "Dòng họ học tập"),
            (NomineeKind::Individual, "Công dân học tập"),
        ] {
            // Another title does not count.
            let f = r.check(on(2026), &facts(kind, &[("don_vi_hoc_tap_khong_co", 2025)]));
            assert!(blocks(&f), "{kind:?}");
            assert!(f[0].message.contains(words) && f[0].message.contains("Kế hoạch, mục III.2"), "{}", f[0].message);
        }
    }

    #[test]
    fn an_enterprise_below_qd_1268s_share_of_workers_is_blocked_and_one_without_a_list_rests_on_its_dossier() {
        // Seed III.2.1.g: «Có tỷ lệ công nhân lao động … đạt danh hiệu “Công dân học tập” … đạt và
        // vượt mục tiêu theo Quyết định số 1268/QĐ-TTg» (30 % by 2025).
        let workers = |holding, workers| WorkersShare {
            holding,
            workers,
            data_year: 2025,
            target: 30.0,
            target_year: 2025,
            basis: "Quyết định 1268/QĐ-TTg".into(),
            training: vec![("Tham gia học tập nâng cao trình độ, kỹ năng nghề".into(), 50.0, 2025)],
        };
        let with = |w| Facts { workers: Some(w), ..facts(NomineeKind::Unit, &[("don_vi_hoc_tap", 2025)]) };
        let below = rules().check(on(2026), &with(workers(2_999, 10_000)));
        assert!(blocks(&below) && below[0].code == "workers", "{below:?}");
        assert!(below[0].message.contains("2.999/10.000") && below[0].message.contains("29,9"), "{}", below[0].message);
        let at = rules().check(on(2026), &with(workers(3, 10)));
        assert!(!blocks(&at) && at[0].message.contains("đạt mục tiêu"), "{at:?}");
        let unlisted = rules().check(on(2026), &with(workers(0, 0)));
        assert!(!blocks(&unlisted) && unlisted[0].message.contains("chưa có danh sách"), "{unlisted:?}");
        assert!(unlisted[0].message.contains("đào tạo công nhân"), "the training targets are the dossier's");
        // «Đạt và vượt các chỉ tiêu về đào tạo công nhân theo Quyết định số 1268/QĐ-TTg»: each
        // milestone due is named, to be read against the achievement report.
        assert!(at[0].message.contains("kỹ năng nghề: 50 % đến năm 2025"), "{}", at[0].message);
    }

    #[test]
    fn a_giay_khen_is_judged_by_the_bodys_own_criteria_so_the_plans_standards_only_inform() {
        // III.3.2.c: «quy định các tiêu chí, số lượng khen thưởng … theo thẩm quyền».
        let f = rules().check(on(2026), &Facts { documents: vec![], ..facts(NomineeKind::Household, &[]) });
        assert!(blocks(&f) && codes(&f).contains(&"document"), "for a City Bằng khen: {f:?}");
        let own = for_own_head(f);
        assert!(!blocks(&own), "{own:?}");
        assert!(!codes(&own).contains(&"document"), "III.5.2.b's dossier is the City Bằng khen's");
        assert!(own.iter().any(|x| x.code == "title" && x.message.starts_with("Tham khảo")), "{own:?}");
    }

    #[test]
    fn a_nominee_from_outside_the_city_rests_on_the_dossiers_evidence_and_says_so() {
        // III.1 «các tập thể, cá nhân trong và ngoài Thành phố»; III.2.3.b «người Việt Nam đang
        // sinh sống ở trong và ngoài nước, người nước ngoài».
        let external = Facts { external: Some(crate::commendation::Origin::Foreigner), ..facts(NomineeKind::Individual, &[]) };
        let f = rules().check(on(2030), &external);
        assert!(!blocks(&f), "{f:?}");
        assert_eq!(codes(&f), ["outside_registry"]);
        assert!(f[0].message.contains("Người nước ngoài") && f[0].message.contains("báo cáo thành tích"), "{}", f[0].message);
        let without_report = Facts { documents: vec![], ..external };
        assert!(blocks(&rules().check(on(2030), &without_report)), "the achievement report is still asked for");
    }

    #[test]
    fn a_title_counts_while_it_is_valid_on_the_campaigns_reference_day() {
        // Issue 13 §6: the plan asks «được công nhận / đạt danh hiệu» (III.2) and sets no number of
        // years; a title is valid as its set says, from its decision.
        let r = rules();
        // A learning citizen of 2024, recognised 15/01/2025 for one year: gone by 30/06/2026.
        let f = r.check(on(2026), &facts(NomineeKind::Individual, &[("cong_dan_hoc_tap", 2024)]));
        assert_eq!(codes(&f), ["title"]);
        assert!(f[0].message.contains("hết hiệu lực") && f[0].message.contains("14/01/2026"), "{}", f[0].message);
        // A commune's title of 2023, recognised 15/01/2024, lasts three years (TT 25/2023): valid
        // until 14/01/2027, so it counts on 30/06/2026 and not on 30/06/2027.
        let commune = facts(NomineeKind::Commune, &[("cong_dong_hoc_tap_xa", 2023)]);
        assert!(r.check(on(2026), &commune).is_empty());
        assert_eq!(codes(&r.check(on(2027), &commune)), ["title"]);
        // A decision signed after the reference day does not count yet.
        let f = r.check(on(2026), &facts(NomineeKind::Household, &[("gia_dinh_hoc_tap", 2026)]));
        assert!(f[0].message.contains("chưa có hiệu lực"), "{}", f[0].message);
        // The page shows what the nominee's eligibility rests on.
        let rests = r.rests_on(on(2026), &commune);
        assert_eq!(rests, ["«Cộng đồng học tập cấp xã» năm 2023 — Quyết định số 23/QĐ-UBND ngày 15/01/2024, hiệu lực đến 14/01/2027"]);
    }

    #[test]
    fn a_title_recognised_on_29_february_is_valid_until_28_february_of_a_common_year() {
        let d = |y, m, day| Date::from_calendar_date(y, m, day).expect("date");
        assert_eq!(valid_until(d(2024, time::Month::February, 29), 1), d(2025, time::Month::February, 28));
        assert_eq!(valid_until(d(2024, time::Month::March, 10), 3), d(2027, time::Month::March, 9));
    }

    #[test]
    fn a_subject_already_nominated_by_another_proposer_is_blocked() {
        let mut f = facts(NomineeKind::Household, &[("gia_dinh_hoc_tap", 2025)]);
        f.nominated_elsewhere = vec!["UBND phường Hoàn Kiếm".into()];
        let out = rules().check(on(2026), &f);
        assert_eq!(codes(&out), ["duplicate"]);
        assert!(out[0].message.contains("Hoàn Kiếm"));
    }

    #[test]
    fn the_achievement_report_is_required_and_an_initiative_needs_its_confirmation() {
        let r = rules();
        let mut f = facts(NomineeKind::Individual, &[("cong_dan_hoc_tap", 2025)]);
        f.documents.clear();
        assert_eq!(codes(&r.check(on(2026), &f)), ["document"]);
        f.documents = vec![DocKind::BaoCaoThanhTich];
        f.cites_initiative = true;
        let out = r.check(on(2026), &f);
        assert!(out[0].message.contains("sáng kiến"), "{}", out[0].message);
        f.documents.push(DocKind::XacNhanSangKien);
        assert!(r.check(on(2026), &f).is_empty());
    }

    #[test]
    fn look_alikes_and_earlier_awards_warn_without_blocking() {
        let mut f = facts(NomineeKind::Individual, &[("cong_dan_hoc_tap", 2025)]);
        f.look_alikes = vec!["Nguyễn Văn An (1980), phường Cầu Giấy".into()];
        f.same_award_before = vec![(2024, "12/QĐ-UBND".into())];
        let out = rules().check(on(2026), &f);
        assert_eq!(codes(&out), ["look_alike", "awarded_before"]);
        assert!(!blocks(&out));
    }

    #[test]
    fn a_missing_document_names_the_form_of_the_decree_in_force_on_the_day() {
        // legal.md §11.1: the Tờ trình is Mẫu số 01 of Decree 152/2025's appendix (from 01/7/2025);
        // before, the achievement report was Decree 98/2023's Mẫu số 08 (unchecked).
        let r = rules();
        let day = |s: &str| crate::dates::parse_dmy(s).expect("date");
        let missing = r.batch_findings(&[DocKind::BienBan], day("15/08/2025"));
        assert!(missing[0].message.contains("Mẫu số 01 — Phụ lục Nghị định 152/2025/NĐ-CP ("), "{}", missing[0].message);
        let f = r.check(day("10/06/2025"), &Facts { documents: vec![], ..facts(NomineeKind::Household, &[]) });
        let doc = f.iter().find(|x| x.code == "document").expect("the report is missing");
        assert!(
            doc.message.contains("Mẫu số 08") && doc.message.contains("98/2023") && doc.message.contains("chưa đối chiếu"),
            "{}",
            doc.message
        );
        let after = r.batch_findings(&[DocKind::BienBan], day("01/03/2027"));
        assert!(!after[0].message.contains("Mẫu"), "no form is guessed once Decree 152 lapses: {}", after[0].message);
    }

    #[test]
    fn a_batch_needs_its_submission_and_its_council_minutes() {
        let r = rules();
        assert_eq!(r.batch_findings(&[DocKind::ToTrinh], on(2030)).len(), 1);
        assert!(r.batch_findings(&[DocKind::ToTrinh, DocKind::BienBan], on(2030)).is_empty());
    }
}
