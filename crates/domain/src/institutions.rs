//! The facts about a unit that Circulars 24 and 25/2023 scope their indicators by (issue 13
//! §13, §14): which kind of education institution a school or centre is, public or not, and
//! which communes are in a difficult area in a given year. Each is recorded with its basis and
//! the year from which it holds; nothing here guesses from a unit's name.

use crate::registry::NodeKind;
use serde::{Deserialize, Serialize};

/// The kinds of education institution Circular 24/2023 (Điều 2) names, as they decide its
/// indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Institution {
    /// Nhà trẻ, mẫu giáo, trường mầm non.
    Preschool,
    /// Trường tiểu học.
    Primary,
    /// Trường THCS, and multi-level schools whose top level is THCS.
    LowerSecondary,
    /// Trường THPT, multi-level schools whose top level is THPT, trường chuyên, PTDT nội trú.
    UpperSecondary,
    /// Trung tâm giáo dục thường xuyên.
    ContinuingEducation,
    /// Trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên (both at once).
    VocationalAndContinuing,
    /// Trung tâm GDNN, trường trung cấp, cao đẳng.
    Vocational,
    /// Cơ sở giáo dục đại học.
    University,
}

impl Institution {
    pub const ALL: [Institution; 8] = [
        Institution::Preschool,
        Institution::Primary,
        Institution::LowerSecondary,
        Institution::UpperSecondary,
        Institution::ContinuingEducation,
        Institution::VocationalAndContinuing,
        Institution::Vocational,
        Institution::University,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Institution::Preschool => "preschool",
            Institution::Primary => "primary",
            Institution::LowerSecondary => "lower_secondary",
            Institution::UpperSecondary => "upper_secondary",
            Institution::ContinuingEducation => "continuing_education",
            Institution::VocationalAndContinuing => "vocational_and_continuing",
            Institution::Vocational => "vocational",
            Institution::University => "university",
        }
    }

    pub fn parse(code: &str) -> Option<Institution> {
        Institution::ALL.into_iter().find(|i| i.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Institution::Preschool => "Nhà trẻ, mẫu giáo, trường mầm non",
            Institution::Primary => "Trường tiểu học",
            Institution::LowerSecondary => "Trường THCS (kể cả trường nhiều cấp học, cấp cao nhất là THCS)",
            Institution::UpperSecondary => "Trường THPT (kể cả trường nhiều cấp học có cấp THPT, trường chuyên)",
            Institution::ContinuingEducation => "Trung tâm giáo dục thường xuyên",
            Institution::VocationalAndContinuing => "Trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên",
            Institution::Vocational => "Cơ sở giáo dục nghề nghiệp (trung tâm GDNN, trường trung cấp, cao đẳng)",
            Institution::University => "Cơ sở giáo dục đại học",
        }
    }

    /// The subject classes of `criteria/README.md` the institution belongs to, read from
    /// Circular 24/2023: «Người học» excludes preschool, primary and THCS (Điều 2); the
    /// digital-transformation indicator names general schools, THPT and GDTX centres,
    /// universities (QĐ 4725, 4740), and accreditation names GDNN institutions (Điều 6, 12).
    fn classes(self) -> &'static [&'static str] {
        match self {
            Institution::Preschool => &[],
            Institution::Primary | Institution::LowerSecondary => &["general_school"],
            Institution::UpperSecondary => &["general_school", "learner_institution", "thpt_or_gdtx"],
            Institution::ContinuingEducation => &["learner_institution", "thpt_or_gdtx"],
            Institution::VocationalAndContinuing => &["learner_institution", "gdnn", "thpt_or_gdtx"],
            Institution::Vocational => &["learner_institution", "gdnn"],
            Institution::University => &["learner_institution", "university"],
        }
    }
}

/// Public (công lập) or not: only public institutions are «đơn vị sự nghiệp công lập», judged on
/// the state-budget indicator (Circular 24/2023, Tiêu chí 1 CT3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    Public,
    NonPublic,
}

impl Ownership {
    pub fn code(self) -> &'static str {
        match self {
            Ownership::Public => "public",
            Ownership::NonPublic => "non_public",
        }
    }

    pub fn parse(code: &str) -> Option<Ownership> {
        [Ownership::Public, Ownership::NonPublic].into_iter().find(|o| o.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Ownership::Public => "Công lập",
            Ownership::NonPublic => "Ngoài công lập",
        }
    }
}

/// How a person belongs to an organisation, as Circular 24/2023 (Điều 2) counts them: «thành
/// viên» (cán bộ công nhân viên and người lao động) or, in an education institution, «người học».
/// Where a person lives (a village) is another matter, kept on the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Member,
    Learner,
}

impl Relation {
    pub const ALL: [Relation; 2] = [Relation::Member, Relation::Learner];

    pub fn code(self) -> &'static str {
        match self {
            Relation::Member => "member",
            Relation::Learner => "learner",
        }
    }

    pub fn parse(code: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Relation::Member => "Thành viên (cán bộ, công nhân viên, người lao động)",
            Relation::Learner => "Người học",
        }
    }
}

/// Whether a unit of `kind` has members of its own: an organisation, not an administrative unit
/// or a village (whose people are its residents).
pub fn has_members(kind: NodeKind) -> bool {
    !kind.is_administrative()
}

/// Whether `relation` can hold in a unit of `kind`: learners only in an education unit.
pub fn relation_fits(kind: NodeKind, relation: Relation) -> bool {
    has_members(kind) && (relation == Relation::Member || is_education_unit(kind))
}

/// How a subject class (`criteria/README.md`) reads on a page.
pub fn class_label_vi(code: &str) -> &str {
    match code {
        "public_body" => "cơ quan nhà nước, đơn vị sự nghiệp công lập",
        "economic_org" => "tổ chức kinh tế",
        "learner_institution" => "cơ sở giáo dục có người học",
        "general_school" => "cơ sở giáo dục phổ thông",
        "thpt_or_gdtx" => "trường THPT, trung tâm GDTX",
        "university" => "cơ sở giáo dục đại học",
        "gdnn" => "cơ sở giáo dục nghề nghiệp",
        "difficult_area" => "xã vùng khó khăn",
        other => other,
    }
}

/// What an education unit is, from a data year on, with the basis an officer recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionType {
    pub from_year: i32,
    pub institution: Institution,
    pub ownership: Ownership,
    pub basis: String,
}

/// Whether a unit of `kind` is an education unit whose type is to be recorded.
pub fn is_education_unit(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::School | NodeKind::VocationalCentre | NodeKind::ContinuingEducation)
}

/// The classes a unit of `kind` is judged as for data `year`, given the types recorded for it
/// (any order) and the years in which it is a commune in a difficult area. The type in force is
/// the one with the latest `from_year` not after `year`. Without a recorded type an education
/// unit is taken as its kind suggests (`titles::classes_of`), and `declared` says so, so that
/// the page can ask for it.
pub fn classes_for(kind: NodeKind, year: i32, types: &[InstitutionType], difficult_years: &[i32]) -> Classes {
    let in_force = types.iter().filter(|t| t.from_year <= year).max_by_key(|t| t.from_year);
    let mut classes: Vec<String> = match (is_education_unit(kind), in_force) {
        (true, Some(t)) => {
            let mut c: Vec<String> = t.institution.classes().iter().map(|s| s.to_string()).collect();
            if t.ownership == Ownership::Public {
                c.insert(0, "public_body".into());
            }
            c
        }
        _ => crate::titles::classes_of(kind),
    };
    if difficult_years.contains(&year) {
        classes.push("difficult_area".into());
    }
    Classes { classes, declared: !is_education_unit(kind) || in_force.is_some(), in_force: in_force.cloned() }
}

/// The classes of a subject for one data year (see [`classes_for`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classes {
    pub classes: Vec<String>,
    /// False for an education unit whose type nobody recorded (it is judged as its kind suggests).
    pub declared: bool,
    /// The recorded type the classes come from.
    pub in_force: Option<InstitutionType>,
}

impl Classes {
    /// Whether its «người học» may count (Circular 24/2023, Điều 2: not preschool, primary or THCS
    /// pupils); an unrecorded type is not held against it.
    pub fn counts_learners(&self) -> bool {
        !self.declared || self.classes.iter().any(|c| c == "learner_institution")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::{Answer, IndicatorKind, Verdict, evaluate, shipped};
    use std::collections::BTreeMap;

    fn ty(from_year: i32, institution: Institution, ownership: Ownership) -> InstitutionType {
        InstitutionType { from_year, institution, ownership, basis: "Quyết định thành lập".into() }
    }

    /// Every applicable indicator met: what remains «không áp dụng» is what the type excludes.
    fn not_applicable(set_id: &str, classes: &[String]) -> Vec<String> {
        let set = shipped().expect("sets").into_iter().find(|s| s.id == set_id).expect("set");
        let answers: BTreeMap<String, Answer> = set
            .indicators()
            .map(|i| {
                let a = match i.kind {
                    IndicatorKind::Share { .. } => Answer::Share { numerator: 100, denominator: 100, evidence: true },
                    IndicatorKind::Points { max_points } => Answer::Points { points: max_points, evidence: true },
                    IndicatorKind::PassFail => Answer::PassFail { passed: true, evidence: true },
                };
                (i.code.clone(), a)
            })
            .collect();
        let e = evaluate(&set, 2025, classes, &answers);
        assert!(e.recognised, "{set_id} {classes:?}");
        e.indicators.into_iter().filter(|(_, v)| *v == Verdict::NotApplicable).map(|(c, _)| c).collect()
    }

    #[test]
    fn a_non_public_school_is_not_judged_on_the_state_budget() {
        // Circular 24/2023, Tiêu chí 1 CT3: «Bố trí đủ kinh phí ngân sách» — state bodies and
        // public service units only.
        let public = classes_for(NodeKind::School, 2025, &[ty(2020, Institution::Primary, Ownership::Public)], &[]);
        let private = classes_for(NodeKind::School, 2025, &[ty(2020, Institution::Primary, Ownership::NonPublic)], &[]);
        assert!(!not_applicable("tt24-2023-dvht-huyen-md1", &public.classes).contains(&"TC1.CT3".to_string()));
        assert!(not_applicable("tt24-2023-dvht-huyen-md1", &private.classes).contains(&"TC1.CT3".to_string()));
    }

    #[test]
    fn learners_count_from_upper_secondary_up_never_in_a_primary_school() {
        // Circular 24/2023, Điều 2: «Người học» excludes preschool, primary and THCS pupils.
        let primary = classes_for(NodeKind::School, 2025, &[ty(2020, Institution::Primary, Ownership::Public)], &[]);
        let thpt = classes_for(NodeKind::School, 2025, &[ty(2020, Institution::UpperSecondary, Ownership::Public)], &[]);
        assert!(not_applicable("tt24-2023-dvht-tinh-md1", &primary.classes).contains(&"TC3.CT1b".to_string()));
        let thpt_na = not_applicable("tt24-2023-dvht-tinh-md1", &thpt.classes);
        assert!(!thpt_na.contains(&"TC3.CT1b".to_string()) && !thpt_na.contains(&"TC3.CT4".to_string()), "{thpt_na:?}");
        assert!(thpt_na.contains(&"TC3.CT5".to_string()) && thpt_na.contains(&"TC3.CT6".to_string()), "not a university, not GDNN");
    }

    #[test]
    fn a_university_and_a_vocational_college_are_judged_on_their_own_indicators() {
        // Circular 24/2023, Điều 12: CT5 universities (QĐ 4740), CT6 GDNN institutions (kiểm định).
        let uni = classes_for(NodeKind::School, 2025, &[ty(2020, Institution::University, Ownership::Public)], &[]);
        let na = not_applicable("tt24-2023-dvht-tinh-md1", &uni.classes);
        assert!(!na.contains(&"TC3.CT5".to_string()) && na.contains(&"TC3.CT6".to_string()) && na.contains(&"TC3.CT4".to_string()));
        let college = classes_for(NodeKind::VocationalCentre, 2025, &[ty(2020, Institution::Vocational, Ownership::NonPublic)], &[]);
        let na = not_applicable("tt24-2023-dvht-tinh-md1", &college.classes);
        assert!(!na.contains(&"TC3.CT6".to_string()) && na.contains(&"TC3.CT5".to_string()) && na.contains(&"TC1.CT3".to_string()));
    }

    #[test]
    fn the_type_in_force_is_the_latest_recorded_from_a_year_not_after_the_data_year() {
        let types = [ty(2020, Institution::LowerSecondary, Ownership::Public), ty(2026, Institution::UpperSecondary, Ownership::Public)];
        assert!(!classes_for(NodeKind::School, 2025, &types, &[]).classes.contains(&"thpt_or_gdtx".to_string()));
        assert!(classes_for(NodeKind::School, 2026, &types, &[]).classes.contains(&"thpt_or_gdtx".to_string()));
        let before = classes_for(NodeKind::School, 2019, &types, &[]);
        assert!(!before.declared, "nothing recorded for 2019: judged as its kind suggests, and the page asks");
        assert_eq!(before.classes, crate::titles::classes_of(NodeKind::School));
    }

    #[test]
    fn members_belong_to_organisations_and_learners_only_to_education_units() {
        // Circular 24/2023, Điều 2: «Thành viên trong đơn vị» = cán bộ công nhân viên + người lao
        // động; «Người học»: học sinh, sinh viên, học viên of the education institutions.
        assert!(relation_fits(NodeKind::Enterprise, Relation::Member) && !relation_fits(NodeKind::Enterprise, Relation::Learner));
        assert!(relation_fits(NodeKind::School, Relation::Learner) && relation_fits(NodeKind::VocationalCentre, Relation::Member));
        assert!(!relation_fits(NodeKind::Ward, Relation::Member), "a ward's people are its residents");
        assert!(!has_members(NodeKind::Village));
    }

    #[test]
    fn a_commune_is_in_a_difficult_area_only_in_the_years_recorded() {
        // Circular 25/2023, Điều 6: lower shares of trained citizens for «xã vùng khó khăn».
        let c = |y| classes_for(NodeKind::Commune, y, &[], &[2025]).classes;
        assert_eq!(c(2025), vec!["difficult_area".to_string()]);
        assert!(c(2024).is_empty() && c(2026).is_empty());
        assert!(classes_for(NodeKind::Commune, 2024, &[], &[]).declared, "a commune has no type to record");
    }
}
