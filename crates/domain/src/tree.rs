//! The tree of administrative units and organisations, with validity dates, successions and
//! dated memberships.
//!
//! Hanoi's district level was abolished on 1 July 2025 and its wards and communes were
//! rearranged (Nghị quyết 1656/NQ-UBTVQH15): a former ward went *whole* into one new ward, or
//! was *divided* among several («một phần… của phường X»). The villages and residential groups
//! are the atoms that move: each has the parent it has now and the parents it had before, each
//! until a last day, so a village of a divided ward belongs to its old ward until 30/06/2025 and
//! to exactly one new ward from 01/07/2025. Records attached to an abolished unit roll up, in any
//! count dated later, to the unit that took it whole; a divided unit's records follow their
//! villages. Nothing here assumes a number of levels: depth is whatever the data says.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use time::Date;

/// Identifier of a node (administrative unit or organisation).
pub type NodeId = i64;

/// One unit that took over an abolished one: all of it (`whole`, then the only one), or a part
/// of its area and population, whose villages then move to it one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Succession {
    pub to: NodeId,
    pub whole: bool,
}

/// A parent a unit had before the one it has now, up to and including `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierParent {
    pub parent: NodeId,
    pub until: Date,
}

/// What the tree needs to know of one node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TreeNode {
    pub id: NodeId,
    /// The parent it has now.
    pub parent: Option<NodeId>,
    pub valid_from: Option<Date>,
    /// Last day the unit existed (e.g. 30/06/2025 for the abolished districts).
    pub valid_to: Option<Date>,
    /// The units that took over its population and records.
    pub successors: Vec<Succession>,
    /// The parents it had before `parent`, in any order.
    pub earlier_parents: Vec<EarlierParent>,
}

impl TreeNode {
    /// A node that has always had `parent` and has no successor.
    pub fn new(id: NodeId, parent: Option<NodeId>) -> TreeNode {
        TreeNode { id, parent, ..TreeNode::default() }
    }

    /// The unit that took all of it, if one did.
    pub fn whole_successor(&self) -> Option<NodeId> {
        match self.successors.as_slice() {
            [s] if s.whole => Some(s.to),
            _ => None,
        }
    }

    /// Its parent on `date`: the earliest earlier parent whose last day is not before `date`,
    /// else the parent it has now.
    pub fn parent_on(&self, date: Date) -> Option<NodeId> {
        self.earlier_parents.iter().filter(|e| date <= e.until).min_by_key(|e| e.until).map(|e| e.parent).or(self.parent)
    }

    /// The first day it has had its current parent (after its last earlier parent), if it moved.
    pub fn joined_parent_on(&self) -> Option<Date> {
        self.earlier_parents.iter().map(|e| e.until).max().and_then(|d| d.next_day())
    }
}

/// Why a set of nodes is not a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("đơn vị {0} có đơn vị cấp trên không tồn tại ({1})")]
    UnknownParent(NodeId, NodeId),
    #[error("quan hệ cấp trên của đơn vị {0} tạo thành vòng lặp")]
    Cycle(NodeId),
}

/// A unit another one took over, as the successor's history shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absorbed {
    pub unit: NodeId,
    /// The predecessor went whole into this unit (otherwise a part of it did).
    pub whole: bool,
    /// The first day it stood for the predecessor (the day after the predecessor's last).
    pub from: Option<Date>,
}

/// An immutable snapshot of the whole tree. Hanoi has a few thousand units and organisations
/// of interest for scope, so the snapshot is small enough to hold and walk in memory.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    nodes: HashMap<NodeId, TreeNode>,
    /// Nodes that went whole into the key.
    predecessors: HashMap<NodeId, Vec<NodeId>>,
    /// Every succession, by the unit that took over: (predecessor, whole).
    taken_over: HashMap<NodeId, Vec<(NodeId, bool)>>,
}

impl Tree {
    /// Builds the snapshot, refusing unknown parents (now or earlier) and parent cycles.
    pub fn new(nodes: impl IntoIterator<Item = TreeNode>) -> Result<Self, TreeError> {
        let nodes: HashMap<NodeId, TreeNode> = nodes.into_iter().map(|n| (n.id, n)).collect();
        let mut predecessors: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
        let mut taken_over: HashMap<NodeId, Vec<(NodeId, bool)>> = HashMap::new();
        for n in nodes.values() {
            for s in &n.successors {
                taken_over.entry(s.to).or_default().push((n.id, s.whole));
            }
            for p in n.parent.into_iter().chain(n.earlier_parents.iter().map(|e| e.parent)) {
                if !nodes.contains_key(&p) {
                    return Err(TreeError::UnknownParent(n.id, p));
                }
            }
            if let Some(s) = n.whole_successor() {
                predecessors.entry(s).or_default().push(n.id);
            }
        }
        let tree = Tree { nodes, predecessors, taken_over };
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

    /// The node and its ancestors as the tree stands now, nearest first.
    pub fn ancestors(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut cur = self.nodes.get(&id).map(|n| n.id);
        while let Some(c) = cur {
            out.push(c);
            cur = self.nodes.get(&c).and_then(|n| n.parent);
        }
        out
    }

    /// The unit that stands for `id` on `date`: itself while it exists, otherwise the unit that
    /// took it whole (followed transitively, e.g. through two reorganisations). A divided unit
    /// stands for itself: its villages carry its records to their new wards.
    pub fn effective(&self, id: NodeId, date: Date) -> NodeId {
        let mut cur = id;
        let mut seen = HashSet::new();
        while let Some(n) = self.nodes.get(&cur) {
            let ended = n.valid_to.is_some_and(|to| to < date);
            match (ended, n.whole_successor()) {
                (true, Some(s)) if seen.insert(cur) => cur = s,
                _ => break,
            }
        }
        cur
    }

    /// Who stands for `id` on `date`: itself, the unit that took it whole, or each unit that
    /// took a part of it (each followed on through later reorganisations).
    pub fn standing_for(&self, id: NodeId, date: Date) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut todo = vec![id];
        let mut seen = HashSet::new();
        while let Some(cur) = todo.pop() {
            if !seen.insert(cur) {
                continue;
            }
            match self.nodes.get(&cur) {
                Some(n) if n.valid_to.is_some_and(|to| to < date) && !n.successors.is_empty() => {
                    todo.extend(n.successors.iter().rev().map(|s| s.to));
                }
                _ => out.push(cur),
            }
        }
        out
    }

    /// The units `id` took over, whole or in part, each from the day after its last.
    pub fn absorbed(&self, id: NodeId) -> Vec<Absorbed> {
        let mut out: Vec<Absorbed> = self
            .taken_over
            .get(&id)
            .into_iter()
            .flatten()
            .map(|&(unit, whole)| Absorbed { unit, whole, from: self.nodes.get(&unit).and_then(|n| n.valid_to).and_then(|d| d.next_day()) })
            .collect();
        out.sort_by_key(|a| (a.from, a.unit));
        out
    }

    /// The chain a record attached to `id` rolls up through on `date`: at every step an
    /// abolished unit is replaced by the unit that took it whole, then the parent it had on
    /// that date is taken.
    pub fn effective_chain(&self, id: NodeId, date: Date) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut cur = Some(self.effective(id, date));
        while let Some(c) = cur {
            if out.contains(&c) {
                break;
            }
            out.push(c);
            cur = self.nodes.get(&c).and_then(|n| n.parent_on(date)).map(|p| self.effective(p, date));
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

    /// Whether `target` lies in the subtree of `root` as the tree stands now, directly or
    /// because one of its ancestors went whole into a unit inside that subtree (a ward that
    /// replaced an abolished commune sees the abolished commune's villages and households). A
    /// unit that took only a part of a divided ward sees the villages that moved to it, not the
    /// rest. Cost: the depth of the tree times the length of successor chains.
    pub fn covers(&self, root: NodeId, target: NodeId) -> bool {
        self.covers_from(root, target, &mut HashSet::new())
    }

    fn covers_from(&self, root: NodeId, target: NodeId, seen: &mut HashSet<NodeId>) -> bool {
        for a in self.ancestors(target) {
            if a == root {
                return true;
            }
            if let Some(s) = self.nodes.get(&a).and_then(|n| n.whole_successor())
                && seen.insert(a)
                && self.covers_from(root, s, seen)
            {
                return true;
            }
        }
        false
    }

    /// `root` and every node whose chain of whole successions leads into `root`'s scope: the
    /// nodes whose structural subtrees together make `root`'s scope (what list queries filter on).
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

    /// Divided units (ended, with successors that each took a part) that still hold units of
    /// their own now: villages nobody has yet moved to a new ward, so the city can complete the
    /// mapping. Each with those children.
    pub fn unassigned(&self) -> Vec<(NodeId, Vec<NodeId>)> {
        let mut children: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
        for n in self.nodes.values() {
            if let Some(p) = n.parent {
                children.entry(p).or_default().push(n.id);
            }
        }
        let mut out: Vec<(NodeId, Vec<NodeId>)> = self
            .nodes
            .values()
            .filter(|n| n.valid_to.is_some() && !n.successors.is_empty() && n.whole_successor().is_none())
            .filter_map(|n| {
                let mut kids: Vec<NodeId> =
                    children.remove(&n.id)?.into_iter().filter(|k| self.nodes.get(k).is_some_and(|k| k.successors.is_empty())).collect();
                kids.sort_unstable();
                (!kids.is_empty()).then_some((n.id, kids))
            })
            .collect();
        out.sort_unstable();
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
            TreeNode { id: 1, parent: None, valid_from: None, valid_to: None, ..Default::default() },
            TreeNode { id: 2, parent: Some(1), valid_from: None, valid_to: abolished, ..Default::default() },
            TreeNode {
                id: 3,
                parent: Some(2),
                valid_from: None,
                valid_to: abolished,
                successors: vec![Succession { to: 5, whole: true }],
                ..Default::default()
            },
            TreeNode { id: 4, parent: Some(3), valid_from: None, valid_to: None, ..Default::default() },
            TreeNode { id: 5, parent: Some(1), valid_from: Some(date!(2025 - 07 - 01)), valid_to: None, ..Default::default() },
            TreeNode { id: 6, parent: Some(5), valid_from: None, valid_to: None, ..Default::default() },
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

    /// Nghị quyết 1656/NQ-UBTVQH15, Điều 1 (Hà Nội): the former Kim Mã ward (3) was divided among
    /// the new Ba Đình (10), Giảng Võ (11) and Ngọc Hà (12) wards; the former Điện Biên ward (4)
    /// went whole into Ba Đình. Kim Mã's residential groups 5, 6, 7 moved on 01/07/2025 to 10, 11
    /// and 12; Điện Biên's group 8 stayed under its old ward; group 9 of Kim Mã was not moved yet.
    fn kim_ma() -> Tree {
        let last = date!(2025 - 06 - 30);
        let new_ward = |id| TreeNode { valid_from: Some(date!(2025 - 07 - 01)), ..TreeNode::new(id, Some(1)) };
        let part = |to| Succession { to, whole: false };
        let moved = |id, to| TreeNode { earlier_parents: vec![EarlierParent { parent: 3, until: last }], ..TreeNode::new(id, Some(to)) };
        Tree::new([
            TreeNode::new(1, None),
            TreeNode { valid_to: Some(last), ..TreeNode::new(2, Some(1)) },
            TreeNode { valid_to: Some(last), successors: vec![part(10), part(11), part(12)], ..TreeNode::new(3, Some(2)) },
            TreeNode { valid_to: Some(last), successors: vec![Succession { to: 10, whole: true }], ..TreeNode::new(4, Some(2)) },
            moved(5, 10),
            moved(6, 11),
            moved(7, 12),
            TreeNode::new(8, Some(4)),
            TreeNode::new(9, Some(3)),
            new_ward(10),
            new_ward(11),
            new_ward(12),
        ])
        .unwrap_or_default()
    }

    #[test]
    fn a_village_of_a_divided_ward_counts_under_its_old_ward_until_the_split_and_its_new_ward_after() {
        let t = kim_ma();
        let recognised = HashMap::from([(5, 10), (6, 20), (7, 30), (8, 4)]);
        let y2024 = t.rollup(&recognised, date!(2024 - 12 - 31));
        assert_eq!((y2024.get(&3), y2024.get(&2), y2024.get(&1)), (Some(&60), Some(&64), Some(&64)));
        assert_eq!((y2024.get(&10), y2024.get(&11), y2024.get(&12)), (None, None, None));
        let y2025 = t.rollup(&recognised, date!(2025 - 12 - 31));
        assert_eq!((y2025.get(&10), y2025.get(&11), y2025.get(&12)), (Some(&14), Some(&20), Some(&30)));
        assert_eq!((y2025.get(&3), y2025.get(&2), y2025.get(&1)), (None, None, Some(&64)));
    }

    #[test]
    fn each_part_stands_for_a_divided_ward_and_the_whole_successor_for_a_merged_one() {
        let t = kim_ma();
        assert_eq!(t.standing_for(3, date!(2025 - 06 - 30)), vec![3]);
        assert_eq!(t.standing_for(3, date!(2025 - 07 - 01)), vec![10, 11, 12]);
        assert_eq!(t.standing_for(4, date!(2025 - 07 - 01)), vec![10]);
        assert_eq!(t.effective(3, date!(2025 - 07 - 01)), 3, "a divided ward hands nothing on whole");
    }

    #[test]
    fn a_new_ward_covers_the_villages_that_moved_to_it_and_nothing_else_of_a_divided_ward() {
        let t = kim_ma();
        assert!(t.covers(11, 6));
        assert!(!t.covers(11, 5) && !t.covers(11, 7) && !t.covers(11, 9) && !t.covers(11, 3));
        assert!(t.covers(10, 5) && t.covers(10, 8) && t.covers(10, 4), "Điện Biên went whole into Ba Đình");
        assert_eq!(t.scope_roots(11), vec![11]);
        assert_eq!(t.scope_roots(10), vec![10, 4]);
    }

    #[test]
    fn a_new_ward_lists_what_it_absorbed_and_from_when() {
        let t = kim_ma();
        let from = Some(date!(2025 - 07 - 01));
        assert_eq!(t.absorbed(10), vec![Absorbed { unit: 3, whole: false, from }, Absorbed { unit: 4, whole: true, from }]);
        assert_eq!(t.absorbed(12), vec![Absorbed { unit: 3, whole: false, from }]);
        assert_eq!(t.get(6).and_then(TreeNode::joined_parent_on), from);
    }

    #[test]
    fn a_divided_wards_villages_not_yet_moved_are_reported() {
        assert_eq!(kim_ma().unassigned(), vec![(3, vec![9])]);
    }

    #[test]
    fn an_earlier_parent_unknown_to_the_tree_is_refused() {
        let n = TreeNode { earlier_parents: vec![EarlierParent { parent: 7, until: date!(2025 - 06 - 30) }], ..TreeNode::new(2, Some(1)) };
        assert_eq!(Tree::new([TreeNode::new(1, None), n]).err(), Some(TreeError::UnknownParent(2, 7)));
    }

    #[test]
    fn parent_cycles_and_unknown_parents_are_refused() {
        let cyc = Tree::new([
            TreeNode { id: 1, parent: Some(2), valid_from: None, valid_to: None, ..Default::default() },
            TreeNode { id: 2, parent: Some(1), valid_from: None, valid_to: None, ..Default::default() },
        ]);
        assert!(matches!(cyc, Err(TreeError::Cycle(_))));
        let orphan = Tree::new([TreeNode { id: 1, parent: Some(9), valid_from: None, valid_to: None, ..Default::default() }]);
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
                    successors: if *abolished { vec![Succession { to: s.index(n) as i64, whole: true }] } else { vec![] },
                    ..Default::default()
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
