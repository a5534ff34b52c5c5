//! Who sends the dossiers of the awards the city decides or proposes upward to DOET (seed
//! III.5.1), and which quota each counts under (III.3.2.b, III.3.3.b): data in
//! `commendation/proposers.toml`, each rule with its dates and basis. A unit the table does not
//! name (a school, a centre, a ward before the 2025 reform) proposes through the nearest unit
//! above it that the table names; a Giấy khen is its own body's, outside this table.

use super::quota::ProposerKind;
use crate::dates::parse_dmy;
use crate::registry::NodeKind;
use serde::Deserialize;
use time::Date;

#[derive(Debug, Clone, Deserialize)]
struct RawRule {
    kinds: Vec<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    until: Option<String>,
    quota: ProposerKind,
    #[serde(default)]
    provisional: bool,
    #[serde(default)]
    allocated: bool,
    basis: String,
}

#[derive(Deserialize)]
struct File {
    #[allow(dead_code)]
    version: u32,
    proposer: Vec<RawRule>,
}

/// One kind of proposer, with the days it may propose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub kinds: Vec<NodeKind>,
    pub from: Option<Date>,
    /// The last day it may propose.
    pub until: Option<Date>,
    pub quota: ProposerKind,
    /// The plan does not say; a rule kept until DOET or DOHA decides.
    pub provisional: bool,
    /// Its numbers are DOET's allocation for each campaign, not the plan's (issue 13 §3).
    pub allocated: bool,
    pub basis: String,
}

/// The shipped table.
#[derive(Debug, Clone)]
pub struct Proposers {
    pub rules: Vec<Rule>,
}

/// The shipped data file.
pub const PROPOSERS_TOML: &str = include_str!("../../../../commendation/proposers.toml");

impl Proposers {
    pub fn shipped() -> Result<Proposers, String> {
        Proposers::from_toml(PROPOSERS_TOML)
    }

    pub fn from_toml(text: &str) -> Result<Proposers, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut rules = Vec::new();
        for r in f.proposer {
            let kinds = r
                .kinds
                .iter()
                .map(|k| {
                    NodeKind::ALL.into_iter().find(|n| n.code() == k).ok_or_else(|| format!("proposers.toml: loại đơn vị «{k}» không có"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let day = |s: &Option<String>| s.as_deref().map(parse_dmy).transpose().map_err(|e| format!("proposers.toml: {e}"));
            rules.push(Rule {
                kinds,
                from: day(&r.from)?,
                until: day(&r.until)?,
                quota: r.quota,
                provisional: r.provisional,
                allocated: r.allocated,
                basis: r.basis,
            });
        }
        Ok(Proposers { rules })
    }

    /// The rule under which a unit of `kind`, placed directly under the city or not, sends its
    /// dossiers to DOET on `on`; `None`: it proposes through a unit above it.
    pub fn rule(&self, kind: NodeKind, under_city: bool, on: Date) -> Option<&Rule> {
        if !under_city {
            return None;
        }
        self.rules.iter().find(|r| r.kinds.contains(&kind) && r.from.is_none_or(|f| f <= on) && r.until.is_none_or(|u| on <= u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_departments_and_organisations_under_the_city_propose_at_any_time() {
        // III.5.1: «các Sở, ban, ngành, Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố và các tổ chức
        // chính trị - xã hội Thành phố …».
        let p = Proposers::shipped().expect("proposers.toml");
        for kind in [NodeKind::Agency, NodeKind::FatherlandFront, NodeKind::SocioPolitical, NodeKind::Enterprise] {
            assert_eq!(p.rule(kind, true, date!(2024 - 05 - 01)).map(|r| r.quota), Some(ProposerKind::Organisation), "{kind:?}");
            assert!(p.rule(kind, true, date!(2030 - 05 - 01)).is_some(), "{kind:?}");
        }
    }

    #[test]
    fn districts_propose_until_30_june_2025_and_the_wards_under_the_city_after_provisionally() {
        let p = Proposers::shipped().expect("proposers.toml");
        assert!(p.rule(NodeKind::District, true, date!(2025 - 06 - 30)).is_some(), "III.5.1: Ủy ban nhân dân các quận, huyện, thị xã");
        assert!(p.rule(NodeKind::District, true, date!(2025 - 07 - 01)).is_none(), "no district after the reform");
        assert!(p.rule(NodeKind::Ward, true, date!(2025 - 06 - 30)).is_none(), "a ward proposed through its district");
        let ward = p.rule(NodeKind::Ward, true, date!(2025 - 07 - 01)).expect("a ward under the city after the reform");
        assert!(ward.provisional && ward.quota == ProposerKind::Locality, "the plan does not say: {ward:?}");
    }

    #[test]
    fn a_school_never_proposes_to_doet_itself() {
        // III.5.1 names no school: schools propose through their Sở or their commune.
        let p = Proposers::shipped().expect("proposers.toml");
        for on in [date!(2024 - 05 - 01), date!(2030 - 05 - 01)] {
            assert!(p.rule(NodeKind::School, true, on).is_none() && p.rule(NodeKind::School, false, on).is_none());
            assert!(p.rule(NodeKind::Agency, false, on).is_none(), "a unit below another proposes through it");
        }
    }
}
