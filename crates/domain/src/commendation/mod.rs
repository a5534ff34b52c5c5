//! Commendation (khen thưởng) of the movement: award levels and their rewards, campaigns with
//! their quotas and deadlines, eligibility against the learning-title registry, and the
//! appraisal flow DOET → DOHA → council → Chairman. Everything the law or the plan fixes is data
//! under `commendation/` naming its basis; this module reads it and applies it, without I/O.

pub mod awards;
pub mod bases;
pub mod campaign;
pub mod eligibility;
pub mod procedure;
pub mod proposers;
pub mod quota;
pub mod reminders;
pub mod transition;
pub mod workflow;

use serde::{Deserialize, Serialize};

/// How a nominee counts for quotas and rewards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Collective,
    Individual,
    Household,
}

impl Class {
    pub fn code(self) -> &'static str {
        match self {
            Class::Collective => "collective",
            Class::Individual => "individual",
            Class::Household => "household",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Class::Collective => "Tập thể",
            Class::Individual => "Cá nhân",
            Class::Household => "Hộ gia đình",
        }
    }
}

/// Where a nominee that is not in the registry comes from: the plan rewards «các tập thể, cá nhân
/// trong và ngoài Thành phố» (III.1) and «người Việt Nam đang sinh sống ở trong và ngoài nước,
/// người nước ngoài» (III.2.3.b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// In Hanoi, but not in the registry (yet).
    InCity,
    /// From outside Hanoi.
    OutsideCity,
    /// A Vietnamese living abroad.
    Overseas,
    Foreigner,
}

impl Origin {
    pub const ALL: [Origin; 4] = [Origin::InCity, Origin::OutsideCity, Origin::Overseas, Origin::Foreigner];

    pub fn code(self) -> &'static str {
        match self {
            Origin::InCity => "in_city",
            Origin::OutsideCity => "outside_city",
            Origin::Overseas => "overseas",
            Origin::Foreigner => "foreigner",
        }
    }

    pub fn parse(code: &str) -> Option<Origin> {
        Origin::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Origin::InCity => "Trong Thành phố, chưa có trong sổ đăng ký",
            Origin::OutsideCity => "Ngoài Thành phố",
            Origin::Overseas => "Người Việt Nam ở nước ngoài",
            Origin::Foreigner => "Người nước ngoài",
        }
    }
}

/// What a nominee is, for the eligibility rules (seed III.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NomineeKind {
    /// An agency, organisation, school, vocational centre or enterprise.
    Unit,
    /// A ward or commune (xã, phường).
    Commune,
    /// A district (before 07/2025).
    District,
    /// A village or residential group (thôn, tổ dân phố).
    Village,
    Household,
    Clan,
    Individual,
}

impl NomineeKind {
    pub const ALL: [NomineeKind; 7] = [
        NomineeKind::Unit,
        NomineeKind::Commune,
        NomineeKind::District,
        NomineeKind::Village,
        NomineeKind::Household,
        NomineeKind::Clan,
        NomineeKind::Individual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NomineeKind::Unit => "unit",
            NomineeKind::Commune => "commune",
            NomineeKind::District => "district",
            NomineeKind::Village => "village",
            NomineeKind::Household => "household",
            NomineeKind::Clan => "clan",
            NomineeKind::Individual => "individual",
        }
    }

    pub fn parse(code: &str) -> Option<NomineeKind> {
        NomineeKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn class(self) -> Class {
        match self {
            NomineeKind::Individual => Class::Individual,
            NomineeKind::Household => Class::Household,
            _ => Class::Collective,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            NomineeKind::Unit => "Cơ quan, đơn vị, doanh nghiệp",
            NomineeKind::Commune => "Xã, phường",
            NomineeKind::District => "Quận, huyện, thị xã",
            NomineeKind::Village => "Thôn, tổ dân phố",
            NomineeKind::Household => "Hộ gia đình",
            NomineeKind::Clan => "Dòng họ",
            NomineeKind::Individual => "Cá nhân",
        }
    }

    /// The nominee kind of a unit of the registry, if a unit of that kind can be nominated.
    pub fn of_node(kind: crate::registry::NodeKind) -> Option<NomineeKind> {
        use crate::registry::NodeKind as N;
        Some(match kind {
            N::Ward | N::Commune | N::Township => NomineeKind::Commune,
            N::District => NomineeKind::District,
            N::Village | N::ResidentialGroup => NomineeKind::Village,
            k if is_organisation(k) => NomineeKind::Unit,
            _ => return None,
        })
    }
}

/// Agencies, the Fatherland Front, socio-political and social organisations, schools, centres
/// and enterprises: the units that are neither territory nor the city.
pub fn is_organisation(kind: crate::registry::NodeKind) -> bool {
    use crate::registry::NodeKind as N;
    matches!(
        kind,
        N::Agency
            | N::FatherlandFront
            | N::SocioPolitical
            | N::Association
            | N::LearningPromotion
            | N::School
            | N::VocationalCentre
            | N::ContinuingEducation
            | N::Enterprise
    )
}

/// The shipped data files.
pub const AWARDS_TOML: &str = include_str!("../../../../commendation/awards.toml");
pub const CAMPAIGNS_TOML: &str = include_str!("../../../../commendation/campaigns.toml");
pub const ELIGIBILITY_TOML: &str = include_str!("../../../../commendation/eligibility.toml");
