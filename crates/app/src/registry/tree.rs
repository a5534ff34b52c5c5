//! The unit tree as one immutable snapshot per tree version, cached per process.

use crate::App;
use crate::error::{AppError, AppResult};
use crate::ports::*;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use thidua_domain::import::KnownUnits;
use thidua_domain::text;
use thidua_domain::tree::{Tree, TreeNode};

/// The whole tree as one immutable snapshot, with lookups by id and code.
#[derive(Debug, Default)]
pub struct TreeSnapshot {
    pub version: i64,
    pub tree: Tree,
    pub units: HashMap<i64, UnitRecord>,
    pub by_code: HashMap<String, i64>,
    pub children: HashMap<Option<i64>, Vec<i64>>,
}

impl TreeSnapshot {
    fn build(version: i64, records: Vec<UnitRecord>) -> AppResult<Self> {
        let tree = Tree::new(records.iter().map(|u| TreeNode {
            id: u.id,
            parent: u.parent_id,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
            successors: u.successors.clone(),
            earlier_parents: u.earlier_parents.clone(),
        }))
        .map_err(|e| AppError::Invalid(e.to_string()))?;
        let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
        for u in &records {
            children.entry(u.parent_id).or_default().push(u.id);
        }
        let by_code = records.iter().map(|u| (u.code.clone(), u.id)).collect();
        let units: HashMap<i64, UnitRecord> = records.into_iter().map(|u| (u.id, u)).collect();
        for list in children.values_mut() {
            list.sort_by(|a, b| {
                let (ua, ub) = (&units[a], &units[b]);
                (!ua.active, text::fold(&ua.name)).cmp(&(!ub.active, text::fold(&ub.name)))
            });
        }
        Ok(TreeSnapshot { version, tree, units, by_code, children })
    }

    /// Code → (id, kind) for import validation.
    pub fn known_units(&self) -> KnownUnits {
        self.units.values().map(|u| (u.code.clone(), (u.id, u.kind))).collect()
    }

    /// The root(s) of the tree (units without parent).
    pub fn roots(&self) -> Vec<i64> {
        self.children.get(&None).cloned().unwrap_or_default()
    }

    /// A unit's successors written as an officer types them (one code: the whole; several: parts).
    pub fn successors_text(&self, u: &UnitRecord) -> String {
        let codes: Vec<(&str, bool)> =
            u.successors.iter().filter_map(|s| self.units.get(&s.to).map(|t| (t.code.as_str(), s.whole))).collect();
        thidua_domain::registry::successors_text(codes)
    }

    /// Names from the root down to the unit, for breadcrumbs.
    pub fn breadcrumb(&self, id: i64) -> Vec<&UnitRecord> {
        let mut out: Vec<&UnitRecord> = self.tree.ancestors(id).iter().filter_map(|a| self.units.get(a)).collect();
        out.reverse();
        out
    }
}

/// A per-process cache of the tree, refreshed whenever the stored tree version changes (so two
/// server processes never disagree for longer than one request).
#[derive(Clone, Default)]
pub struct TreeCache {
    inner: Arc<RwLock<Option<Arc<TreeSnapshot>>>>,
}

impl TreeCache {
    pub async fn get(&self, store: &dyn Store) -> AppResult<Arc<TreeSnapshot>> {
        let version = store.tree_version().await?;
        if let Ok(guard) = self.inner.read()
            && let Some(s) = guard.as_ref().filter(|s| s.version == version)
        {
            return Ok(s.clone());
        }
        let snapshot = Arc::new(TreeSnapshot::build(version, store.all_units().await?)?);
        if let Ok(mut guard) = self.inner.write() {
            *guard = Some(snapshot.clone());
        }
        Ok(snapshot)
    }
}

impl App {
    /// The current tree snapshot.
    pub async fn snapshot(&self) -> AppResult<Arc<TreeSnapshot>> {
        self.tree.get(self.store.as_ref()).await
    }
}
