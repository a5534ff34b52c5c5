//! Quotas of nominees per proposer, in the two shapes of the plan:
//! «không quá 04 tập thể **và** 04 cá nhân» (each class capped on its own) and «không quá 04 tập
//! thể **hoặc** 04 cá nhân (hoặc hộ gia đình)» (one cap for all together).

use super::Class;
use serde::{Deserialize, Serialize};

/// Who proposes, for the quota table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposerKind {
    /// Departments, the Fatherland Front, socio-political and social organisations, enterprises.
    Organisation,
    /// Districts and towns, and the wards and communes that replaced them in 2025.
    Locality,
}

impl ProposerKind {
    pub fn code(self) -> &'static str {
        match self {
            ProposerKind::Organisation => "organisation",
            ProposerKind::Locality => "locality",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ProposerKind::Organisation => "Sở, ban, ngành, Mặt trận, tổ chức, doanh nghiệp",
            ProposerKind::Locality => "Quận, huyện, thị xã (nay là xã, phường)",
        }
    }

    /// The proposer kind of a registry unit.
    pub fn of_node(kind: crate::registry::NodeKind) -> Option<ProposerKind> {
        use crate::registry::NodeKind as N;
        match kind {
            N::District | N::Ward | N::Commune | N::Township => Some(ProposerKind::Locality),
            k if super::is_organisation(k) => Some(ProposerKind::Organisation),
            _ => None,
        }
    }
}

/// The cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// ≤ `collectives` collectives **and** ≤ `individuals` individuals (households count with
    /// individuals).
    Separate { collectives: u32, individuals: u32 },
    /// ≤ `total` nominees of any class together.
    Total { total: u32 },
}

/// Nominees counted against a quota.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub collectives: u32,
    pub individuals: u32,
    pub households: u32,
}

impl Counts {
    pub fn of(classes: impl IntoIterator<Item = Class>) -> Counts {
        let mut c = Counts::default();
        for class in classes {
            c.add(class, 1);
        }
        c
    }

    pub fn add(&mut self, class: Class, n: u32) {
        match class {
            Class::Collective => self.collectives += n,
            Class::Individual => self.individuals += n,
            Class::Household => self.households += n,
        }
    }

    pub fn total(&self) -> u32 {
        self.collectives + self.individuals + self.households
    }

    fn plus(self, o: Counts) -> Counts {
        Counts {
            collectives: self.collectives + o.collectives,
            individuals: self.individuals + o.individuals,
            households: self.households + o.households,
        }
    }
}

/// What is left, in the shape of the quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remaining {
    Separate { collectives: u32, individuals: u32 },
    Total { total: u32 },
}

impl Shape {
    /// What `used` leaves.
    pub fn remaining(self, used: Counts) -> Remaining {
        match self {
            Shape::Separate { collectives, individuals } => Remaining::Separate {
                collectives: collectives.saturating_sub(used.collectives),
                individuals: individuals.saturating_sub(used.individuals + used.households),
            },
            Shape::Total { total } => Remaining::Total { total: total.saturating_sub(used.total()) },
        }
    }

    /// Whether `adding` fits beside `used`; the refusal says which cap and by how much.
    pub fn admit(self, used: Counts, adding: Counts) -> Result<(), String> {
        let after = used.plus(adding);
        match self {
            Shape::Separate { collectives, individuals } => {
                if after.collectives > collectives {
                    return Err(format!(
                        "vượt chỉ tiêu: tối đa {collectives} tập thể, đã đề nghị {} và thêm {}",
                        used.collectives, adding.collectives
                    ));
                }
                let people = after.individuals + after.households;
                if people > individuals {
                    return Err(format!(
                        "vượt chỉ tiêu: tối đa {individuals} cá nhân (hoặc hộ gia đình), đã đề nghị {} và thêm {}",
                        used.individuals + used.households,
                        adding.individuals + adding.households
                    ));
                }
                Ok(())
            }
            Shape::Total { total } => {
                if after.total() > total {
                    return Err(format!(
                        "vượt chỉ tiêu: tối đa {total} tập thể hoặc cá nhân (hoặc hộ gia đình) tính chung, đã đề nghị {} và thêm {}",
                        used.total(),
                        adding.total()
                    ));
                }
                Ok(())
            }
        }
    }

    pub fn describe(self) -> String {
        match self {
            Shape::Separate { collectives, individuals } => format!("không quá {collectives:02} tập thể và {individuals:02} cá nhân"),
            Shape::Total { total } => format!("không quá {total:02} tập thể hoặc cá nhân (hoặc hộ gia đình)"),
        }
    }
}

impl Remaining {
    pub fn describe(self) -> String {
        match self {
            Remaining::Separate { collectives, individuals } => format!("còn {collectives} tập thể và {individuals} cá nhân"),
            Remaining::Total { total } => format!("còn {total} suất"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commendation::campaign::Campaigns;

    fn quota(campaign: &str, proposer: ProposerKind) -> Shape {
        let c = Campaigns::shipped().expect("campaigns");
        c.get(campaign).and_then(|c| c.quota("bang_khen_ubnd_tp", proposer).map(|q| q.shape)).expect("quota")
    }

    fn n(collectives: u32, individuals: u32, households: u32) -> Counts {
        Counts { collectives, individuals, households }
    }

    #[test]
    fn in_2025_an_agency_proposes_four_collectives_and_four_individuals() {
        let q = quota("so-ket-2025", ProposerKind::Organisation);
        assert_eq!(q, Shape::Separate { collectives: 4, individuals: 4 });
        assert!(q.admit(Counts::default(), n(4, 4, 0)).is_ok(), "4 and 4 together");
        assert!(q.admit(n(4, 0, 0), n(1, 0, 0)).is_err_and(|e| e.contains("tối đa 4 tập thể")));
        assert!(q.admit(n(0, 3, 0), n(0, 1, 1)).is_err_and(|e| e.contains("4 cá nhân")), "households count with individuals");
        assert_eq!(q.remaining(n(1, 3, 0)), Remaining::Separate { collectives: 3, individuals: 1 });
    }

    #[test]
    fn in_2030_an_agency_proposes_seven_collectives_and_six_individuals() {
        let q = quota("tong-ket-2030", ProposerKind::Organisation);
        assert_eq!(q, Shape::Separate { collectives: 7, individuals: 6 });
        assert!(q.admit(Counts::default(), n(7, 6, 0)).is_ok());
        assert!(q.admit(n(7, 6, 0), n(0, 1, 0)).is_err());
        assert!(q.admit(n(7, 5, 0), n(1, 0, 0)).is_err());
    }

    #[test]
    fn a_district_or_ward_proposes_four_in_total() {
        for campaign in ["so-ket-2025", "tong-ket-2030"] {
            let q = quota(campaign, ProposerKind::Locality);
            assert_eq!(q, Shape::Total { total: 4 }, "{campaign}");
            assert!(q.admit(Counts::default(), n(2, 1, 1)).is_ok());
            assert!(q.admit(n(2, 1, 1), n(0, 0, 1)).is_err_and(|e| e.contains("tính chung")));
            assert!(q.admit(Counts::default(), n(0, 5, 0)).is_err(), "not 4 collectives and 4 individuals");
            assert_eq!(q.remaining(n(1, 1, 0)), Remaining::Total { total: 2 });
        }
    }

    #[test]
    fn wards_are_localities_and_departments_organisations() {
        use crate::registry::NodeKind;
        assert_eq!(ProposerKind::of_node(NodeKind::Ward), Some(ProposerKind::Locality));
        assert_eq!(ProposerKind::of_node(NodeKind::Enterprise), Some(ProposerKind::Organisation));
        assert_eq!(ProposerKind::of_node(NodeKind::Village), None);
    }
}
