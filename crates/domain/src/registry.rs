//! Kinds and validated values of the registry: administrative units, organisations,
//! households, clans and people.

use serde::{Deserialize, Serialize};

/// What a node of the tree is. Administrative units and organisations share one tree so that a
/// grant on a ward also covers the schools and enterprises the ward manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    City,
    District,
    Ward,
    Commune,
    Township,
    Village,
    ResidentialGroup,
    Agency,
    FatherlandFront,
    SocioPolitical,
    Association,
    LearningPromotion,
    School,
    VocationalCentre,
    ContinuingEducation,
    Enterprise,
}

impl NodeKind {
    pub const ALL: [NodeKind; 16] = [
        NodeKind::City,
        NodeKind::District,
        NodeKind::Ward,
        NodeKind::Commune,
        NodeKind::Township,
        NodeKind::Village,
        NodeKind::ResidentialGroup,
        NodeKind::Agency,
        NodeKind::FatherlandFront,
        NodeKind::SocioPolitical,
        NodeKind::Association,
        NodeKind::LearningPromotion,
        NodeKind::School,
        NodeKind::VocationalCentre,
        NodeKind::ContinuingEducation,
        NodeKind::Enterprise,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NodeKind::City => "city",
            NodeKind::District => "district",
            NodeKind::Ward => "ward",
            NodeKind::Commune => "commune",
            NodeKind::Township => "township",
            NodeKind::Village => "village",
            NodeKind::ResidentialGroup => "residential_group",
            NodeKind::Agency => "agency",
            NodeKind::FatherlandFront => "fatherland_front",
            NodeKind::SocioPolitical => "socio_political",
            NodeKind::Association => "association",
            NodeKind::LearningPromotion => "learning_promotion",
            NodeKind::School => "school",
            NodeKind::VocationalCentre => "vocational_centre",
            NodeKind::ContinuingEducation => "continuing_education",
            NodeKind::Enterprise => "enterprise",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            NodeKind::City => "Thành phố",
            NodeKind::District => "Quận/Huyện/Thị xã",
            NodeKind::Ward => "Phường",
            NodeKind::Commune => "Xã",
            NodeKind::Township => "Thị trấn",
            NodeKind::Village => "Thôn",
            NodeKind::ResidentialGroup => "Tổ dân phố",
            NodeKind::Agency => "Sở, ban, ngành",
            NodeKind::FatherlandFront => "Ủy ban MTTQ",
            NodeKind::SocioPolitical => "Tổ chức chính trị - xã hội",
            NodeKind::Association => "Hội, tổ chức xã hội",
            NodeKind::LearningPromotion => "Hội Khuyến học",
            NodeKind::School => "Cơ sở giáo dục",
            NodeKind::VocationalCentre => "Trung tâm GDNN-GDTX",
            NodeKind::ContinuingEducation => "Trung tâm học tập cộng đồng",
            NodeKind::Enterprise => "Doanh nghiệp",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            NodeKind::City => "City",
            NodeKind::District => "District (historical)",
            NodeKind::Ward => "Ward",
            NodeKind::Commune => "Commune",
            NodeKind::Township => "Township",
            NodeKind::Village => "Village",
            NodeKind::ResidentialGroup => "Residential group",
            NodeKind::Agency => "City agency",
            NodeKind::FatherlandFront => "Fatherland Front",
            NodeKind::SocioPolitical => "Socio-political organisation",
            NodeKind::Association => "Association",
            NodeKind::LearningPromotion => "Learning Promotion Association",
            NodeKind::School => "School",
            NodeKind::VocationalCentre => "Vocational/continuing-education centre",
            NodeKind::ContinuingEducation => "Community learning centre",
            NodeKind::Enterprise => "Enterprise",
        }
    }

    /// Reads a kind from its code or its Vietnamese label, ignoring case and diacritics.
    pub fn parse(s: &str) -> Option<NodeKind> {
        let f = crate::text::fold(s);
        NodeKind::ALL.into_iter().find(|k| k.code() == f || crate::text::fold(k.label_vi()) == f || crate::text::fold(k.label_en()) == f)
    }

    /// Administrative units (as opposed to organisations).
    pub fn is_administrative(self) -> bool {
        matches!(
            self,
            NodeKind::City
                | NodeKind::District
                | NodeKind::Ward
                | NodeKind::Commune
                | NodeKind::Township
                | NodeKind::Village
                | NodeKind::ResidentialGroup
        )
    }

    /// Units where households live (thôn, tổ dân phố).
    pub fn holds_households(self) -> bool {
        matches!(self, NodeKind::Village | NodeKind::ResidentialGroup)
    }
}

/// Gender as recorded for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    Other,
}

impl Gender {
    /// The gender a stored code names (`code`'s inverse; no other spelling).
    pub fn from_code(code: &str) -> Option<Gender> {
        [Gender::Male, Gender::Female, Gender::Other].into_iter().find(|g| g.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Other => "other",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Gender::Male => "Nam",
            Gender::Female => "Nữ",
            Gender::Other => "Khác",
        }
    }

    /// Reads "Nam"/"Nữ"/"Khác" (any case, with or without marks) or the codes.
    pub fn parse(s: &str) -> Option<Gender> {
        match crate::text::fold(s).as_str() {
            "nam" | "male" | "m" => Some(Gender::Male),
            "nu" | "female" | "f" => Some(Gender::Female),
            "khac" | "other" => Some(Gender::Other),
            _ => None,
        }
    }
}

/// A registry code (mã): the stable identifier an office uses in its spreadsheets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Code(String);

/// Why a code is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("mã không được để trống")]
    Empty,
    #[error("mã dài quá 40 ký tự")]
    TooLong,
    #[error("mã chỉ gồm chữ không dấu, chữ số và các dấu - _ . /")]
    Characters,
}

impl Code {
    pub fn parse(s: &str) -> Result<Code, CodeError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        if s.chars().count() > 40 {
            return Err(CodeError::TooLong);
        }
        if !s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
            return Err(CodeError::Characters);
        }
        Ok(Code(s.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A successor named by its code, in a file or a form ([`parse_successors`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamedSuccessor {
    pub code: Code,
    /// It took the whole unit (otherwise a part of it).
    pub whole: bool,
}

const PART: &str = "(một phần)";

/// Reads the successors of an abolished unit as an officer writes them: one code for the unit
/// that took it whole («P-HOANKIEM»); several codes, separated by «;» or «,», for the units that
/// each took a part of it (Nghị quyết 1656: «một phần… của phường Kim Mã»); a single code
/// followed by «(một phần)» for a part whose rest went outside the registry.
pub fn parse_successors(s: &str) -> Result<Vec<NamedSuccessor>, String> {
    let items: Vec<&str> = s.split([';', ',']).map(str::trim).filter(|t| !t.is_empty()).collect();
    let several = items.len() > 1;
    let mut out: Vec<NamedSuccessor> = Vec::with_capacity(items.len());
    for item in items {
        let (code, marked_part) = match item.split_once('(') {
            Some((code, mark)) if crate::text::fold(&format!("({mark}")) == crate::text::fold(PART) => (code.trim(), true),
            Some(_) => return Err(format!("«{item}»: sau mã chỉ được ghi «{PART}»")),
            None => (item, false),
        };
        let code = Code::parse(code).map_err(|e| format!("mã «{code}» không hợp lệ: {e}"))?;
        if out.iter().any(|n| n.code == code) {
            return Err(format!("mã «{code}» ghi hai lần"));
        }
        out.push(NamedSuccessor { code, whole: !several && !marked_part });
    }
    Ok(out)
}

/// Writes successors back as [`parse_successors`] reads them.
pub fn successors_text<'a>(list: impl IntoIterator<Item = (&'a str, bool)>) -> String {
    let list: Vec<(&str, bool)> = list.into_iter().collect();
    match list.as_slice() {
        [(code, true)] => code.to_string(),
        [(code, false)] => format!("{code} {PART}"),
        _ => list.iter().map(|(c, _)| *c).collect::<Vec<_>>().join("; "),
    }
}

impl TryFrom<String> for Code {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Code::parse(&s)
    }
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.0
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A birth year that makes sense for a living resident (1900..=2030).
/// Whether a citizen's code is written as a personal identity number: the 12 digits of a
/// citizen identity card (CCCD) or the 9 of the old identity card (CMND). thidua's codes are the
/// unit's own; an identity number is personal data the movement does not need (Law 91/2025,
/// minimisation), and would travel in every list, export and link.
pub fn looks_like_identity_number(code: &str) -> bool {
    let digits = code.trim();
    (digits.len() == 12 || digits.len() == 9) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Why a citizen's code is refused when it is an identity number.
pub const IDENTITY_NUMBER_REFUSED: &str = "mã công dân không được là số căn cước công dân hoặc chứng minh nhân dân (dữ liệu cá nhân không cần cho phong trào): dùng mã do đơn vị cấp, ví dụ CD-TDP01-001-1";

pub fn parse_birth_year(s: &str) -> Result<i32, String> {
    let y: i32 = s.trim().parse().map_err(|_| format!("năm sinh «{}» không phải là số", s.trim()))?;
    if (1900..=2030).contains(&y) { Ok(y) } else { Err(format!("năm sinh {y} không hợp lệ (1900–2030)")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_successor_takes_the_whole_unit_and_several_each_take_a_part() {
        let one = parse_successors("p-hoankiem").unwrap_or_default();
        assert_eq!(one, vec![NamedSuccessor { code: Code("P-HOANKIEM".into()), whole: true }]);
        let three = parse_successors("P-BADINH; P-GIANGVO, P-NGOCHA").unwrap_or_default();
        assert_eq!(
            three.iter().map(|n| (n.code.as_str(), n.whole)).collect::<Vec<_>>(),
            vec![("P-BADINH", false), ("P-GIANGVO", false), ("P-NGOCHA", false)]
        );
        let part = parse_successors("P-BADINH (Một Phần)").unwrap_or_default();
        assert_eq!(part.iter().map(|n| n.whole).collect::<Vec<_>>(), vec![false]);
        assert_eq!(parse_successors(" ").map(|v| v.len()), Ok(0));
    }

    #[test]
    fn successors_written_back_read_the_same() {
        for text in ["P-HOANKIEM", "P-BADINH (một phần)", "P-BADINH; P-GIANGVO; P-NGOCHA"] {
            let parsed = parse_successors(text).unwrap_or_default();
            assert_eq!(successors_text(parsed.iter().map(|n| (n.code.as_str(), n.whole))), text);
        }
    }

    #[test]
    fn a_repeated_or_malformed_successor_is_refused() {
        assert!(parse_successors("P-A; p-a").is_err());
        assert!(parse_successors("P-A (toàn bộ)").is_err());
        assert!(parse_successors("P A").is_err());
    }

    #[test]
    fn codes_are_upper_cased_and_restricted_to_safe_characters() {
        assert_eq!(Code::parse(" tdp-01 ").map(|c| c.to_string()), Ok("TDP-01".to_string()));
        assert_eq!(Code::parse(""), Err(CodeError::Empty));
        assert!(looks_like_identity_number("001203004567") && looks_like_identity_number("012345678"));
        assert!(!looks_like_identity_number("CD-BD-TDP01-001-1") && !looks_like_identity_number("0012030045"));
        assert_eq!(Code::parse("Hộ 1"), Err(CodeError::Characters));
    }

    #[test]
    fn kinds_parse_from_vietnamese_labels_without_marks() {
        assert_eq!(NodeKind::parse("to dan pho"), Some(NodeKind::ResidentialGroup));
        assert_eq!(NodeKind::parse("Phường"), Some(NodeKind::Ward));
        assert_eq!(NodeKind::parse("school"), Some(NodeKind::School));
        assert_eq!(NodeKind::parse("quận"), None);
    }

    #[test]
    fn gender_reads_vietnamese_words() {
        assert_eq!(Gender::parse("Nữ"), Some(Gender::Female));
        assert_eq!(Gender::parse("NAM"), Some(Gender::Male));
        assert_eq!(Gender::parse("x"), None);
    }
}
