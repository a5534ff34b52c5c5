//! Coverage of the learning titles: counts attached to units (tallies kept by storage) rolled
//! up through the unit tree as it stood on 31/12 of the data year, cached per process.

use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::registry::TreeSnapshot;
use crate::{Actor, App};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use thidua_domain::access::Action;
use thidua_domain::titles::{Subject, TITLES, Title};
use thidua_domain::tree::NodeId;
use time::{Date, Month};

/// Counts of one title at one node.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Cell {
    pub eligible: u64,
    pub assessed: u64,
    pub passed: u64,
    pub recognised: u64,
}

impl Cell {
    /// Recognised over eligible, in per cent (one decimal), when anything is eligible.
    pub fn coverage(&self) -> Option<f64> {
        (self.eligible > 0).then(|| (self.recognised as f64 * 1000.0 / self.eligible as f64).round() / 10.0)
    }
}

/// Coverage of one data year, rolled up through the tree as it stood on 31/12 of that year.
#[derive(Debug, Default)]
pub struct YearCoverage {
    cells: HashMap<(NodeId, &'static str), Cell>,
}

impl YearCoverage {
    pub fn cell(&self, node: NodeId, title: &str) -> Cell {
        TITLES.iter().find(|t| t.code == title).and_then(|t| self.cells.get(&(node, t.code)).copied()).unwrap_or_default()
    }
}

/// A per-process cache of coverage, valid while neither the tallies, the unit counts nor the
/// tree change; the tallies read are kept while they do not change (a household written changes
/// the counts only: the coverage is rolled up again from the tallies kept, not read again).
#[derive(Clone, Default)]
pub struct CoverageCache {
    inner: Arc<RwLock<CoverageState>>,
}

#[derive(Default)]
struct CoverageState {
    /// (tally version, counts version, tree version) of `years`.
    key: (i64, i64, i64),
    /// By (data year, year of the tree it is rolled up in).
    years: HashMap<(i64, i64), Arc<YearCoverage>>,
    /// The tallies read per year, at a tally version.
    tallies: (i64, HashMap<i64, Arc<Vec<TallyRow>>>),
    /// The unit counts read, at a counts version.
    counts: Option<(i64, KeptCounts)>,
}

/// Every unit's counts, as read once.
type KeptCounts = Arc<Vec<(i64, UnitCounts)>>;

/// A row of the coverage table: one unit and its cells by title.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    pub unit: UnitRecord,
    pub cells: Vec<Cell>,
    /// Whether the unit has children to drill down to.
    pub has_children: bool,
}

/// The coverage table of a unit and its children for a year.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageTable {
    pub year: i64,
    pub titles: Vec<&'static Title>,
    pub total: CoverageRow,
    pub rows: Vec<CoverageRow>,
}

pub(crate) fn year_end(year: i64) -> Date {
    Date::from_calendar_date(i32::try_from(year).unwrap_or(2025), Month::December, 31).unwrap_or(Date::MIN)
}

impl App {
    /// Coverage of a data year in that year's own tree (the yearly report), from the
    /// per-process cache.
    pub async fn year_coverage(&self, year: i64) -> AppResult<Arc<YearCoverage>> {
        self.year_coverage_in(year, year).await
    }

    /// Coverage of a data year rolled up in the tree as it stood at the end of `tree_year`:
    /// what a unit has behind it then (issue 14 §3). A ward formed on 01/07/2025 has, in its
    /// 2025 tree, the 2023 and 2024 figures of the villages it holds, while the 2024 report
    /// counts them under their former wards.
    pub async fn year_coverage_in(&self, year: i64, tree_year: i64) -> AppResult<Arc<YearCoverage>> {
        let snap = self.snapshot().await?;
        let (tally_version, counts_version) = self.store.coverage_versions().await?;
        let key = (tally_version, counts_version, snap.version);
        // What is kept and still true (nothing, if a panic elsewhere poisoned the lock).
        let (tallies, counts) = match self.coverage.inner.read() {
            Ok(state) => {
                if state.key == key
                    && let Some(c) = state.years.get(&(year, tree_year))
                {
                    return Ok(c.clone());
                }
                let tallies = (state.tallies.0 == tally_version).then(|| state.tallies.1.get(&year).cloned()).flatten();
                let counts = state.counts.as_ref().filter(|(v, _)| *v == counts_version).map(|(_, c)| c.clone());
                (tallies, counts)
            }
            Err(_) => (None, None),
        };
        let tallies = match tallies {
            Some(t) => t,
            None => Arc::new(self.store.tallies(year).await?),
        };
        let counts = match counts {
            Some(c) => c,
            None => Arc::new(self.store.unit_counts().await?),
        };
        let built = Arc::new(build_coverage(&snap, &tallies, &counts, year, year_end(tree_year)));
        if let Ok(mut state) = self.coverage.inner.write() {
            if state.key != key {
                state.key = key;
                state.years.clear();
            }
            state.years.insert((year, tree_year), built.clone());
            if state.tallies.0 != tally_version {
                state.tallies = (tally_version, HashMap::new());
            }
            state.tallies.1.insert(year, tallies);
            state.counts = Some((counts_version, counts));
        }
        Ok(built)
    }

    /// The coverage table of `unit` (the actor's first entry unit when `None`) and its children.
    pub async fn coverage(&self, actor: &Actor, year: i64, unit: Option<i64>) -> AppResult<CoverageTable> {
        let snap = self.snapshot().await?;
        let unit = match unit {
            Some(u) => u,
            None => self.entry_units(actor).await?.first().map(|u| u.id).ok_or(AppError::Forbidden)?,
        };
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        let cov = self.year_coverage(year).await?;
        let date = year_end(year);
        let titles: Vec<&'static Title> =
            TITLES.iter().filter(|t| cov.cell(unit, t.code).eligible > 0 || cov.cell(unit, t.code).assessed > 0).collect();
        let row = |id: i64| -> Option<CoverageRow> {
            let u = snap.units.get(&id)?.clone();
            Some(CoverageRow {
                cells: titles.iter().map(|t| cov.cell(id, t.code)).collect(),
                has_children: snap.children.get(&Some(id)).is_some_and(|c| !c.is_empty()),
                unit: u,
            })
        };
        let total = row(unit).ok_or(AppError::NotFound)?;
        // Children as counted on 31/12 of the year: abolished ones appear through their successors.
        let rows = snap
            .children
            .get(&Some(unit))
            .map(|c| {
                c.iter()
                    .filter(|id| snap.tree.effective(**id, date) == **id)
                    .filter_map(|id| row(*id))
                    .filter(|r| r.cells.iter().any(|c| c.eligible > 0 || c.assessed > 0))
                    .collect()
            })
            .unwrap_or_default();
        Ok(CoverageTable { year, titles, total, rows })
    }
}

/// Builds the coverage of a year: counts attached to units rolled up through the tree as it
/// stood on `tree_date` (the units eligible are those alive in the year itself).
fn build_coverage(
    snap: &TreeSnapshot,
    tallies: &[TallyRow],
    counts: &[(i64, UnitCounts)],
    year: i64,
    tree_date: time::Date,
) -> YearCoverage {
    let date = year_end(year);
    let chains = snap.tree.chains(tree_date);
    let mut cov = YearCoverage::default();
    for t in TITLES.iter() {
        let mut eligible: HashMap<NodeId, u64> = HashMap::new();
        match t.subject.node_kinds() {
            None => {
                for (unit, c) in counts {
                    let n = match t.subject {
                        Subject::Household => c.households,
                        Subject::Citizen => c.people,
                        _ => c.clans,
                    };
                    if n > 0 {
                        eligible.insert(*unit, u64::try_from(n).unwrap_or(0));
                    }
                }
            }
            Some(_) => {
                for u in snap.units.values() {
                    let alive = u.valid_to.is_none_or(|to| to >= date) && u.valid_from.is_none_or(|from| from <= date);
                    if u.active && alive && t.subject.accepts_node(u.kind) {
                        eligible.insert(u.id, 1);
                    }
                }
            }
        }
        let (mut assessed, mut passed, mut recognised) = (HashMap::new(), HashMap::new(), HashMap::new());
        for r in tallies.iter().filter(|r| r.title == t.code) {
            let n = |v: i64| u64::try_from(v).unwrap_or(0);
            *assessed.entry(r.unit_id).or_insert(0) += n(r.assessed);
            *passed.entry(r.unit_id).or_insert(0) += n(r.passed);
            *recognised.entry(r.unit_id).or_insert(0) += n(r.recognised);
        }
        let e = chains.rollup(&eligible);
        let a = chains.rollup(&assessed);
        let p = chains.rollup(&passed);
        let r = chains.rollup(&recognised);
        let nodes: std::collections::HashSet<NodeId> = e.keys().chain(a.keys()).copied().collect();
        for node in nodes {
            let get = |m: &HashMap<NodeId, u64>| m.get(&node).copied().unwrap_or(0);
            cov.cells.insert((node, t.code), Cell { eligible: get(&e), assessed: get(&a), passed: get(&p), recognised: get(&r) });
        }
    }
    cov
}
