//! The learning titles (danh hiệu học tập) of the movement, what each is awarded to, who counts
//! as eligible for coverage, and consecutive-year streaks.

use crate::registry::NodeKind;
use serde::Serialize;

/// What a title is awarded to; the `subject` field of a criteria set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Citizen,
    Household,
    Clan,
    Village,
    Commune,
    District,
    Province,
    Unit,
}

impl Subject {
    pub const ALL: [Subject; 8] = [
        Subject::Citizen,
        Subject::Household,
        Subject::Clan,
        Subject::Village,
        Subject::Commune,
        Subject::District,
        Subject::Province,
        Subject::Unit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Subject::Citizen => "citizen",
            Subject::Household => "household",
            Subject::Clan => "clan",
            Subject::Village => "village",
            Subject::Commune => "commune",
            Subject::District => "district",
            Subject::Province => "province",
            Subject::Unit => "unit",
        }
    }

    pub fn parse(code: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The header of the column that identifies a subject in an assessment sheet.
    pub fn code_header(self) -> &'static str {
        match self {
            Subject::Citizen => "Mã công dân",
            Subject::Household => "Mã hộ",
            Subject::Clan => "Mã dòng họ",
            _ => "Mã đơn vị",
        }
    }

    /// The header of the column that names a subject (informative, not read back).
    pub fn name_header(self) -> &'static str {
        match self {
            Subject::Citizen => "Họ và tên",
            Subject::Household => "Chủ hộ",
            Subject::Clan => "Tên dòng họ",
            _ => "Tên đơn vị",
        }
    }

    /// For subjects that are nodes of the unit tree, the kinds of node that are eligible.
    pub fn node_kinds(self) -> Option<&'static [NodeKind]> {
        use NodeKind::*;
        match self {
            Subject::Citizen | Subject::Household | Subject::Clan => None,
            Subject::Village => Some(&[Village, ResidentialGroup]),
            Subject::Commune => Some(&[Ward, Commune, Township]),
            Subject::District => Some(&[District]),
            Subject::Province => Some(&[City]),
            Subject::Unit => Some(&[
                Agency,
                FatherlandFront,
                SocioPolitical,
                Association,
                LearningPromotion,
                School,
                VocationalCentre,
                ContinuingEducation,
                Enterprise,
            ]),
        }
    }

    /// Whether a node of `kind` can be assessed for a title of this subject.
    pub fn accepts_node(self, kind: NodeKind) -> bool {
        self.node_kinds().is_some_and(|k| k.contains(&kind))
    }
}

/// A learning title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Title {
    /// The `title` field of criteria sets.
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
    pub subject: Subject,
}

/// The titles the public honour roll lists, by how their subjects are named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HonourTitles {
    /// Titles of collectives (villages, communes, units) and clans: named without consent.
    pub collective: Vec<&'static str>,
    /// The clan title (its subject's name comes from the clans' registry).
    pub clan: &'static str,
    /// The household and the citizen titles: named only with the subject's recorded consent.
    pub household: &'static str,
    pub citizen: &'static str,
}

impl Subject {
    /// Whether the public honour roll names a recognised subject of this kind without its
    /// consent: collectives and clans are named; a household or a citizen only when they consented
    /// (Law 91/2025/QH15 on personal data protection).
    pub fn named_without_consent(self) -> bool {
        !matches!(self, Subject::Citizen | Subject::Household)
    }
}

/// The honour roll's titles, from [`TITLES`].
pub fn honour_titles() -> HonourTitles {
    let of = |subject: Subject| TITLES.iter().find(|t| t.subject == subject).map_or("", |t| t.code);
    HonourTitles {
        collective: TITLES.iter().filter(|t| t.subject.named_without_consent()).map(|t| t.code).collect(),
        clan: of(Subject::Clan),
        household: of(Subject::Household),
        citizen: of(Subject::Citizen),
    }
}

/// Every title, in the order reports list them (seed section III.2: individuals, households,
/// clans, communities, units).
pub const TITLES: [Title; 8] = [
    Title { code: "cong_dan_hoc_tap", label_vi: "Công dân học tập", label_en: "Learning citizen", subject: Subject::Citizen },
    Title { code: "gia_dinh_hoc_tap", label_vi: "Gia đình học tập", label_en: "Learning family", subject: Subject::Household },
    Title { code: "dong_ho_hoc_tap", label_vi: "Dòng họ học tập", label_en: "Learning clan", subject: Subject::Clan },
    Title {
        code: "cong_dong_hoc_tap_thon",
        label_vi: "Cộng đồng học tập (thôn, tổ dân phố)",
        label_en: "Learning community (village)",
        subject: Subject::Village,
    },
    Title {
        code: "cong_dong_hoc_tap_xa",
        label_vi: "Cộng đồng học tập cấp xã",
        label_en: "Learning community (commune)",
        subject: Subject::Commune,
    },
    Title {
        code: "cong_dong_hoc_tap_huyen",
        label_vi: "Cộng đồng học tập cấp huyện",
        label_en: "Learning community (district, until 2025)",
        subject: Subject::District,
    },
    Title {
        code: "cong_dong_hoc_tap_tinh",
        label_vi: "Cộng đồng học tập cấp tỉnh",
        label_en: "Learning community (province)",
        subject: Subject::Province,
    },
    Title { code: "don_vi_hoc_tap", label_vi: "Đơn vị học tập", label_en: "Learning unit", subject: Subject::Unit },
];

/// The last data year with a district level: Nghị quyết 203/2025/QH15 amended the Constitution
/// to two levels of local government and the district-level units ended on 01/7/2025
/// (legal.md §7). From 2026 no district exists to be assessed, so its title is not offered.
pub const LAST_DISTRICT_YEAR: i64 = 2025;

impl Title {
    /// Whether the title can be held for data year `year` (the district title ends with 2025).
    pub fn in_year(&self, year: i64) -> bool {
        self.subject != Subject::District || year <= LAST_DISTRICT_YEAR
    }
}

/// The titles that can be held for data year `year`, in report order.
pub fn titles_in_year(year: i64) -> impl Iterator<Item = &'static Title> {
    TITLES.iter().filter(move |t| t.in_year(year))
}

/// The title of a code.
pub fn title(code: &str) -> Option<&'static Title> {
    TITLES.iter().find(|t| t.code == code)
}

/// Assessment stages: the subject's own assessment, and the one verified by the assessing body,
/// which is the one a recognition rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    SelfAssessed,
    Verified,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::SelfAssessed => "self",
            Stage::Verified => "verified",
        }
    }
    pub fn parse(code: &str) -> Option<Stage> {
        [Stage::SelfAssessed, Stage::Verified].into_iter().find(|s| s.code() == code)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Stage::SelfAssessed => "Tự đánh giá",
            Stage::Verified => "Đánh giá, thẩm định",
        }
    }
}

/// The subject classes of Circular 24/2023 that a unit of `kind` belongs to when nothing more is
/// recorded about it (see `criteria/README.md`): a school is then taken as a public
/// general-education school, and `institutions::classes_for` says it is not declared.
pub fn classes_of(kind: NodeKind) -> Vec<String> {
    let c: &[&str] = match kind {
        NodeKind::Agency | NodeKind::FatherlandFront | NodeKind::SocioPolitical => &["public_body"],
        NodeKind::School => &["public_body", "general_school"],
        NodeKind::VocationalCentre => &["public_body", "gdnn", "learner_institution", "thpt_or_gdtx"],
        NodeKind::ContinuingEducation => &["public_body"],
        NodeKind::Enterprise => &["economic_org"],
        _ => &[],
    };
    c.iter().map(|s| s.to_string()).collect()
}

/// The number of consecutive years, ending with `year`, in which the subject was recognised.
/// `years` need not be sorted and may repeat.
pub fn streak_ending(years: &[i32], year: i32) -> u32 {
    let mut n = 0;
    while years.contains(&(year - n as i32)) {
        n += 1;
    }
    n
}

/// The longest run of consecutive years in `years`.
pub fn longest_streak(years: &[i32]) -> u32 {
    let mut ys: Vec<i32> = years.to_vec();
    ys.sort_unstable();
    ys.dedup();
    let (mut best, mut run) = (0, 0);
    for (i, y) in ys.iter().enumerate() {
        run = if i > 0 && ys[i - 1] + 1 == *y { run + 1 } else { 1 };
        best = best.max(run);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_honour_roll_names_collectives_and_clans_and_asks_households_and_citizens() {
        let h = honour_titles();
        assert_eq!((h.household, h.citizen, h.clan), ("gia_dinh_hoc_tap", "cong_dan_hoc_tap", "dong_ho_hoc_tap"));
        assert!(h.collective.contains(&"dong_ho_hoc_tap") && h.collective.contains(&"don_vi_hoc_tap"));
        assert!(!h.collective.contains(&"gia_dinh_hoc_tap") && !h.collective.contains(&"cong_dan_hoc_tap"));
        assert_eq!(h.collective.len(), TITLES.len() - 2);
    }

    #[test]
    fn the_district_title_ends_with_the_district_level_in_2025() {
        assert!(titles_in_year(2025).any(|t| t.code == "cong_dong_hoc_tap_huyen"));
        assert!(!titles_in_year(2026).any(|t| t.code == "cong_dong_hoc_tap_huyen"));
        assert_eq!(titles_in_year(2026).count(), TITLES.len() - 1);
    }

    #[test]
    fn a_household_recognised_three_years_running_has_a_streak_of_three() {
        assert_eq!(streak_ending(&[2023, 2024, 2025], 2025), 3);
        assert_eq!(streak_ending(&[2025, 2023, 2024, 2024], 2025), 3);
    }

    #[test]
    fn a_gap_year_breaks_the_streak() {
        assert_eq!(streak_ending(&[2022, 2023, 2025], 2025), 1);
        assert_eq!(streak_ending(&[2022, 2023], 2025), 0);
        assert_eq!(longest_streak(&[2022, 2023, 2025, 2026, 2027]), 3);
        assert_eq!(longest_streak(&[]), 0);
    }

    #[test]
    fn every_title_has_a_subject_and_codes_are_unique() {
        let mut codes: Vec<&str> = TITLES.iter().map(|t| t.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TITLES.len());
        assert_eq!(title("gia_dinh_hoc_tap").map(|t| t.subject), Some(Subject::Household));
        assert!(title("khong_co").is_none());
    }

    #[test]
    fn only_wards_communes_and_townships_are_commune_subjects() {
        assert!(Subject::Commune.accepts_node(NodeKind::Ward));
        assert!(Subject::Commune.accepts_node(NodeKind::Township));
        assert!(!Subject::Commune.accepts_node(NodeKind::Village));
        assert!(Subject::Unit.accepts_node(NodeKind::School));
        assert!(!Subject::Household.accepts_node(NodeKind::Village));
    }
}
