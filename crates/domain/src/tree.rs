//! The tree of administrative units and organisations, with validity dates and successor links.
//!
//! Hanoi's district level was abolished on 1 July 2025 and its communes merged. Records attached
//! to an abolished unit must still roll up, in any count dated later, to the unit that replaced
//! it. Nothing here assumes a number of levels: depth is whatever the data says.

use std::collections::{HashMap, HashSet};
use time::Date;

/// Identifier of a node (administrative unit or organisation).
pub type NodeId = i64;

/// What the tree needs to know of one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    pub id: NodeId,
    pub parent: Option<NodeId>,
    pub valid_from: Option<Date>,
    /// Last day the unit existed (e.g. 30/06/2025 for the abolished districts).
    pub valid_to: Option<Date>,
    /// The unit that took over its population and records.
    pub successor: Option<NodeId>,
}

/// Why a set of nodes is not a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("đơn vị {0} có đơn vị cấp trên không tồn tại ({1})")]
    UnknownParent(NodeId, NodeId),
    #[error("quan hệ cấp trên của đơn vị {0} tạo thành vòng lặp")]
    Cycle(NodeId),
}

/// An immutable snapshot of the whole tree. Hanoi has a few thousand units and organisations
/// of interest for scope, so the snapshot is small enough to hold and walk in memory.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    nodes: HashMap<NodeId, TreeNode>,
    /// Nodes whose successor is the key.
    predecessors: HashMap<NodeId, Vec<NodeId>>,
}

impl Tree {
    /// Builds the snapshot, refusing unknown parents and parent cycles.
    pub fn new(nodes: impl IntoIterator<Item = TreeNode>) -> Result<Self, TreeError> {
        let nodes: HashMap<NodeId, TreeNode> = nodes.into_iter().map(|n| (n.id, n)).collect();
        let mut predecessors: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
        for n in nodes.values() {
            if let Some(p) = n.parent
                && !nodes.contains_key(&p)
            {
                return Err(TreeError::UnknownParent(n.id, p));
            }
            if let Some(s) = n.successor {
                predecessors.entry(s).or_default().push(n.id);
            }
        }
        let tree = Tree { nodes, predecessors };
        for id in tree.nodes.keys() {
            let mut seen = HashSet::new();
            let mut cur = Some(*id);
            while let Some(c) = cur {
                if !seen.insert(c) {
                    return Err(TreeError::Cycle(*id));
                }
                cur = tree.nodes.get(&c).and_then(|n| n.parent);
            }
        }
        Ok(tree)
    }

    /// The node, if known.
    pub fn get(&self, id: NodeId) -> Option<&TreeNode> {
        self.nodes.get(&id)
    }

    /// The node and its ancestors, nearest first.
    pub fn ancestors(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut cur = self.nodes.get(&id).map(|n| n.id);
        while let Some(c) = cur {
            out.push(c);
            cur = self.nodes.get(&c).and_then(|n| n.parent);
        }
        out
    }

    /// The unit that stands for `id` on `date`: itself while it exists, otherwise its successor
    /// (followed transitively, e.g. through two reorganisations).
    pub fn effective(&self, id: NodeId, date: Date) -> NodeId {
        let mut cur = id;
        let mut seen = HashSet::new();
        while let Some(n) = self.nodes.get(&cur) {
            let ended = n.valid_to.is_some_and(|to| to < date);
            match (ended, n.successor) {
                (true, Some(s)) if seen.insert(cur) => cur = s,
                _ => break,
            }
        }
        cur
    }

    /// The chain a record attached to `id` rolls up through on `date`: at every step an
    /// abolished unit is replaced by its successor before moving to the parent.
    pub fn effective_chain(&self, id: NodeId, date: Date) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut cur = Some(self.effective(id, date));
        while let Some(c) = cur {
            if out.contains(&c) {
                break;
            }
            out.push(c);
            cur = self.nodes.get(&c).and_then(|n| n.parent).map(|p| self.effective(p, date));
        }
        out
    }

    /// Totals per node of records attached anywhere below it, as counted on `date`.
    pub fn rollup(&self, attached: &HashMap<NodeId, u64>, date: Date) -> HashMap<NodeId, u64> {
        let mut totals: HashMap<NodeId, u64> = HashMap::new();
        for (&node, &count) in attached {
            for a in self.effective_chain(node, date) {
                *totals.entry(a).or_default() += count;
            }
        }
        totals
    }

    /// Every node's chain on `date` ([`Tree::effective_chain`]), worked out once for the many
    /// rollups of one date (a year's coverage rolls up four figures of every title).
    pub fn chains(&self, date: Date) -> Chains {
        Chains(self.nodes.keys().map(|&id| (id, self.effective_chain(id, date))).collect())
    }

    /// Whether `target` lies in the subtree of `root`, directly or because one of its
    /// ancestors was succeeded by a unit inside that subtree (a ward that replaced an abolished
    /// commune sees the abolished commune's villages and households). Cost: the depth of the
    /// tree times the length of successor chains, not the size of the tree.
    pub fn covers(&self, root: NodeId, target: NodeId) -> bool {
        self.covers_from(root, target, &mut HashSet::new())
    }

    fn covers_from(&self, root: NodeId, target: NodeId, seen: &mut HashSet<NodeId>) -> bool {
        for a in self.ancestors(target) {
            if a == root {
                return true;
            }
            if let Some(s) = self.nodes.get(&a).and_then(|n| n.successor)
                && seen.insert(a)
                && self.covers_from(root, s, seen)
            {
                return true;
            }
        }
        false
    }

    /// `root` and every node whose successor chain leads into `root`'s scope: the nodes whose
    /// structural subtrees together make `root`'s scope (what list queries filter on).
    pub fn scope_roots(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = vec![root];
        let mut abolished: Vec<NodeId> = self.predecessors.values().flatten().copied().collect();
        abolished.sort_unstable();
        for p in abolished {
            if p != root && self.covers(root, p) && !self.ancestors(p).iter().any(|a| out.contains(a)) {
                out.push(p);
            }
        }
        out
    }
}

/// The chains of every node of a tree on one date ([`Tree::chains`]).
#[derive(Debug, Clone)]
pub struct Chains(HashMap<NodeId, Vec<NodeId>>);

impl Chains {
    /// What [`Tree::rollup`] gives on the chains' date (a node the tree does not know counts for
    /// itself alone, as there).
    pub fn rollup(&self, attached: &HashMap<NodeId, u64>) -> HashMap<NodeId, u64> {
        let mut totals: HashMap<NodeId, u64> = HashMap::with_capacity(attached.len());
        for (&node, &count) in attached {
            match self.0.get(&node) {
                Some(chain) => chain.iter().for_each(|a| *totals.entry(*a).or_default() += count),
                None => *totals.entry(node).or_default() += count,
            }
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Hà Nội (1) ⊃ Quận Ba Đình (2, abolished 30/6/2025) ⊃ Phường Phúc Xá (3, abolished,
    /// successor 5) ⊃ Tổ dân phố 1 (4); Hà Nội ⊃ Phường Ba Đình (5, from 1/7/2025) ⊃ TDP 9 (6).
    fn hanoi() -> Tree {
        let abolished = Some(date!(2025 - 06 - 30));
        Tree::new([
            TreeNode { id: 1, parent: None, valid_from: None, valid_to: None, successor: None },
            TreeNode { id: 2, parent: Some(1), valid_from: None, valid_to: abolished, successor: None },
            TreeNode { id: 3, parent: Some(2), valid_from: None, valid_to: abolished, successor: Some(5) },
            TreeNode { id: 4, parent: Some(3), valid_from: None, valid_to: None, successor: None },
            TreeNode { id: 5, parent: Some(1), valid_from: Some(date!(2025 - 07 - 01)), valid_to: None, successor: None },
            TreeNode { id: 6, parent: Some(5), valid_from: None, valid_to: None, successor: None },
        ])
        .unwrap_or_default()
    }

    #[test]
    fn an_abolished_unit_stands_for_itself_until_its_last_day() {
        let t = hanoi();
        assert_eq!(t.effective(3, date!(2025 - 06 - 30)), 3);
        assert_eq!(t.effective(3, date!(2025 - 07 - 01)), 5);
    }

    #[test]
    fn records_roll_up_through_the_old_tree_before_the_reorganisation() {
        let t = hanoi();
        let counts = t.rollup(&HashMap::from([(4, 10), (6, 5)]), date!(2024 - 12 - 31));
        assert_eq!(counts.get(&3), Some(&10));
        assert_eq!(counts.get(&2), Some(&10));
        assert_eq!(counts.get(&5), Some(&5));
        assert_eq!(counts.get(&1), Some(&15));
    }

    #[test]
    fn records_of_an_abolished_commune_roll_up_to_its_successor_afterwards() {
        let t = hanoi();
        let counts = t.rollup(&HashMap::from([(4, 10), (3, 2), (6, 5)]), date!(2025 - 12 - 31));
        assert_eq!(counts.get(&5), Some(&17));
        assert_eq!(counts.get(&2), None);
        assert_eq!(counts.get(&1), Some(&17));
    }

    #[test]
    fn the_successor_ward_covers_the_abolished_communes_villages() {
        let t = hanoi();
        assert!(t.covers(5, 4));
        assert!(t.covers(5, 6));
        assert!(!t.covers(6, 4));
        assert!(t.covers(1, 4));
        assert!(!t.covers(3, 6));
    }

    #[test]
    fn parent_cycles_and_unknown_parents_are_refused() {
        let cyc = Tree::new([
            TreeNode { id: 1, parent: Some(2), valid_from: None, valid_to: None, successor: None },
            TreeNode { id: 2, parent: Some(1), valid_from: None, valid_to: None, successor: None },
        ]);
        assert!(matches!(cyc, Err(TreeError::Cycle(_))));
        let orphan = Tree::new([TreeNode { id: 1, parent: Some(9), valid_from: None, valid_to: None, successor: None }]);
        assert_eq!(orphan.err(), Some(TreeError::UnknownParent(1, 9)));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// A random forest of up to 40 nodes: each node's parent has a smaller id; some nodes
        /// are abolished with a successor anywhere in the tree.
        fn forest() -> impl Strategy<Value = (Tree, usize)> {
            proptest::collection::vec((any::<prop::sample::Index>(), any::<bool>(), any::<prop::sample::Index>()), 1..40).prop_map(|spec| {
                let n = spec.len();
                let nodes = spec.iter().enumerate().map(|(i, (p, abolished, s))| TreeNode {
                    id: i as i64,
                    parent: if i == 0 { None } else { Some(p.index(i) as i64) },
                    valid_from: None,
                    valid_to: abolished.then_some(time::macros::date!(2025 - 06 - 30)),
                    successor: if *abolished { Some(s.index(n) as i64) } else { None },
                });
                (Tree::new(nodes).unwrap_or_default(), n)
            })
        }

        proptest! {
            #[test]
            fn covers_agrees_with_the_scope_roots_list_queries_use((tree, n) in forest(), root in any::<prop::sample::Index>(), target in any::<prop::sample::Index>()) {
                let (root, target) = (root.index(n) as i64, target.index(n) as i64);
                let roots = tree.scope_roots(root);
                let by_roots = tree.ancestors(target).iter().any(|a| roots.contains(a));
                prop_assert_eq!(tree.covers(root, target), by_roots);
            }

            #[test]
            fn a_node_always_covers_its_own_subtree((tree, n) in forest(), target in any::<prop::sample::Index>()) {
                let target = target.index(n) as i64;
                for a in tree.ancestors(target) {
                    prop_assert!(tree.covers(a, target));
                }
            }

            #[test]
            fn chains_worked_out_once_roll_up_as_the_tree_does((tree, _) in forest(), counts in proptest::collection::vec(0u64..100, 45)) {
                // Ids past the tree's nodes too: a record of an unknown unit counts for itself.
                let attached: HashMap<NodeId, u64> = counts.iter().enumerate().map(|(i, c)| (i as i64, *c)).collect();
                for date in [time::macros::date!(2024 - 12 - 31), time::macros::date!(2025 - 12 - 31)] {
                    prop_assert_eq!(tree.chains(date).rollup(&attached), tree.rollup(&attached, date));
                }
            }

            #[test]
            fn before_any_abolition_every_record_reaches_the_city_once((tree, _) in forest(), counts in proptest::collection::vec(0u64..100, 40)) {
                let attached: HashMap<NodeId, u64> = counts.iter().enumerate().filter(|(i, _)| tree.get(*i as i64).is_some()).map(|(i, c)| (i as i64, *c)).collect();
                let total: u64 = attached.values().sum();
                let totals = tree.rollup(&attached, time::macros::date!(2024 - 12 - 31));
                prop_assert_eq!(totals.get(&0).copied().unwrap_or(0), total);
            }
        }
    }
}
