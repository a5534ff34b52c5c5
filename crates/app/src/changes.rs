//! What each write touched, read back from the audit chain, so that a kept view (a dashboard, a
//! page of the honour roll) outlives writes that cannot change it.
//!
//! Every write appends exactly one audit entry in its own transaction, numbered in commit order
//! (the chain's head is taken first and held to the commit), naming the record's unit. A process
//! follows the chain ([`App::follow_writes`]) and classifies each entry by what it can change
//! ([`Reach`]):
//! - nothing a kept view shows: accounts, sign-ins, grants, tokens (entity `user`);
//! - the units above the records it names: a household, a citizen, a clan (the unit before and
//!   after an edit, and a clan's villages), an assessment and a yearly report (from their year
//!   on), a recognition decision (its issuing unit) — "above" follows the parent links and the
//!   successor links, as coverage rolls abolished units up to their successors;
//! - everything: the tree, the calendar, criteria, campaigns, dossiers, awards, imports (an
//!   import may write under several grants), and any entity not named here, so that a new kind
//!   of write is safe until someone decides otherwise.

use crate::ports::AuditRecord;
use crate::registry::TreeSnapshot;
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// What one write can have changed in the kept views.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    /// No kept view shows it.
    Nothing,
    /// The views of these units (every unit whose subtree, or whose successor's, holds a record
    /// it wrote), sorted.
    Above(Vec<i64>),
    /// Any view.
    Everything,
}

/// One followed write.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub seq: i64,
    pub reach: Reach,
    /// The first data year it can change (a dashboard of year Y draws years up to Y); `None`
    /// for every year.
    pub from_year: Option<i64>,
}

impl Change {
    /// Whether a view of `unit`'s subtree for `year` can have changed.
    pub fn touches(&self, unit: i64, year: i64) -> bool {
        let in_year = self.from_year.is_none_or(|from| year >= from);
        in_year
            && match &self.reach {
                Reach::Nothing => false,
                Reach::Above(units) => units.binary_search(&unit).is_ok(),
                Reach::Everything => true,
            }
    }

    /// Whether any view can have changed.
    pub fn touches_any(&self) -> bool {
        self.reach != Reach::Nothing
    }
}

/// Entities whose entries name the record's own unit, and whose records count only in the
/// subtrees above it.
const LOCAL: &[&str] = &["household", "person", "clan", "assessment", "yearly_report", "decision"];
/// Entities whose entries carry the data year they change (`year` in the new payload).
const YEARLY: &[&str] = &["assessment", "yearly_report"];
/// Entities no kept view shows.
const UNSEEN: &[&str] = &["user"];

/// What the write recorded in `entry` can have changed, on the tree `snap`.
pub fn classify(entry: &AuditRecord, snap: &TreeSnapshot) -> Change {
    let seq = entry.seq;
    let everything = Change { seq, reach: Reach::Everything, from_year: None };
    if UNSEEN.contains(&entry.entity.as_str()) {
        return Change { seq, reach: Reach::Nothing, from_year: None };
    }
    if !LOCAL.contains(&entry.entity.as_str()) {
        return everything;
    }
    let payloads: Vec<serde_json::Value> =
        [&entry.old, &entry.new].into_iter().flatten().filter_map(|text| serde_json::from_str(text).ok()).collect();
    let mut units: Vec<i64> = entry.unit_id.into_iter().collect();
    for p in &payloads {
        units.extend(p.get("unit_id").and_then(serde_json::Value::as_i64));
        if let Some(villages) = p.get("villages").and_then(serde_json::Value::as_array) {
            units.extend(villages.iter().filter_map(serde_json::Value::as_i64));
        }
    }
    if units.is_empty() {
        return everything;
    }
    let mut above = HashSet::new();
    for u in units {
        if !snap.units.contains_key(&u) {
            return everything;
        }
        let mut todo = vec![u];
        while let Some(n) = todo.pop() {
            if above.insert(n)
                && let Some(rec) = snap.units.get(&n)
            {
                todo.extend(rec.parent_id);
                todo.extend(rec.earlier_parents.iter().map(|e| e.parent));
                todo.extend(rec.successors.iter().map(|s| s.to));
            }
        }
    }
    let mut above: Vec<i64> = above.into_iter().collect();
    above.sort_unstable();
    let from_year = if YEARLY.contains(&entry.entity.as_str()) {
        // Both sides of an edit: an assessment moved from one year to another changes both.
        let years: Vec<i64> = payloads.iter().filter_map(|p| p.get("year").and_then(serde_json::Value::as_i64)).collect();
        if years.is_empty() {
            return Change { seq, reach: Reach::Above(above), from_year: None };
        }
        years.into_iter().min()
    } else {
        None
    };
    Change { seq, reach: Reach::Above(above), from_year }
}

/// How many followed writes a process keeps; a view older than the oldest is rebuilt.
pub const FEED_CAPACITY: usize = 4096;

/// The writes this process has followed, newest last.
#[derive(Default)]
pub struct Feed {
    state: Mutex<FeedState>,
}

#[derive(Default)]
struct FeedState {
    /// The newest sequence number followed; `None` before the first.
    seen: Option<i64>,
    /// Views computed before this sequence number cannot be checked and are not served.
    floor: i64,
    changes: VecDeque<Change>,
}

impl Feed {
    /// The newest sequence number followed.
    pub fn seen(&self) -> Option<i64> {
        self.state.lock().ok().and_then(|s| s.seen)
    }

    /// Starts following at `head` (the first time), or jumps to it when the writes in between
    /// are too many to follow: views computed before are no longer served.
    pub fn restart(&self, head: i64) {
        if let Ok(mut s) = self.state.lock() {
            s.changes.clear();
            s.seen = Some(head);
            s.floor = head;
        }
    }

    /// Appends followed writes (those after the newest already followed, in order).
    pub fn extend(&self, changes: impl IntoIterator<Item = Change>) {
        let Ok(mut s) = self.state.lock() else { return };
        for c in changes {
            if s.seen.is_some_and(|seen| c.seq <= seen) {
                continue;
            }
            s.seen = Some(c.seq);
            s.changes.push_back(c);
            if s.changes.len() > FEED_CAPACITY
                && let Some(dropped) = s.changes.pop_front()
            {
                s.floor = dropped.seq;
            }
        }
    }

    /// Whether a view computed at `version` is still true: no followed write after it `touches`
    /// it. A view older than what the feed holds is not.
    pub fn holds(&self, version: i64, touches: impl Fn(&Change) -> bool) -> bool {
        let Ok(s) = self.state.lock() else { return false };
        version >= s.floor && !s.changes.iter().rev().take_while(|c| c.seq > version).any(touches)
    }
}

impl crate::App {
    /// Reads the writes committed since this process last looked and returns the chain's head;
    /// kept views are then checked against them ([`Feed::holds`]).
    pub(crate) async fn follow_writes(&self) -> crate::error::AppResult<i64> {
        let head = self.store.write_version().await?;
        let feed = &self.views.feed;
        let Some(mut seen) = feed.seen() else {
            feed.restart(head);
            return Ok(head);
        };
        if head - seen > FEED_CAPACITY as i64 {
            feed.restart(head);
            return Ok(head);
        }
        let mut snap = None;
        while seen < head {
            let entries = self.store.audit_after(seen, (head - seen).min(512)).await?;
            let Some(last) = entries.last().map(|e| e.seq) else { break };
            let snap = match &snap {
                Some(s) => s,
                None => snap.insert(self.snapshot().await?),
            };
            feed.extend(entries.iter().map(|e| classify(e, snap)));
            seen = last;
        }
        Ok(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(seq: i64, reach: Reach, from_year: Option<i64>) -> Change {
        Change { seq, reach, from_year }
    }

    #[test]
    fn a_write_under_a_unit_touches_the_views_above_it_only() {
        let c = change(5, Reach::Above(vec![1, 2, 7]), None);
        assert!(c.touches(1, 2025) && c.touches(7, 2023));
        assert!(!c.touches(3, 2025));
    }

    #[test]
    fn a_yearly_write_touches_its_year_and_the_later_ones() {
        let c = change(5, Reach::Above(vec![1]), Some(2024));
        assert!(!c.touches(1, 2023));
        assert!(c.touches(1, 2024) && c.touches(1, 2025));
    }

    #[test]
    fn a_sign_in_touches_nothing_and_a_tree_change_everything() {
        assert!(!change(1, Reach::Nothing, None).touches(1, 2025));
        assert!(change(1, Reach::Everything, None).touches(42, 2025));
    }

    #[test]
    fn a_view_holds_until_a_write_that_touches_it() {
        let feed = Feed::default();
        feed.restart(10);
        feed.extend([change(11, Reach::Above(vec![2]), None), change(12, Reach::Nothing, None)]);
        let ward_3 = |c: &Change| c.touches(3, 2025);
        let ward_2 = |c: &Change| c.touches(2, 2025);
        assert!(feed.holds(10, ward_3));
        assert!(!feed.holds(10, ward_2));
        assert!(feed.holds(11, ward_2), "computed after the write, it saw it");
    }

    #[test]
    fn a_view_computed_before_the_feed_started_is_not_served() {
        let feed = Feed::default();
        feed.restart(10);
        assert!(!feed.holds(9, |_| false));
        assert!(feed.holds(10, |_| true), "nothing followed after it");
    }

    #[test]
    fn a_write_already_followed_is_not_followed_twice() {
        let feed = Feed::default();
        feed.restart(10);
        feed.extend([change(11, Reach::Everything, None)]);
        feed.extend([change(11, Reach::Everything, None), change(12, Reach::Nothing, None)]);
        assert_eq!(feed.seen(), Some(12));
        assert!(feed.holds(11, |c| c.touches_any()));
    }

    #[test]
    fn views_older_than_the_feed_holds_are_not_served() {
        let feed = Feed::default();
        feed.restart(0);
        feed.extend((1..=FEED_CAPACITY as i64 + 2).map(|seq| change(seq, Reach::Nothing, None)));
        assert!(!feed.holds(1, |_| false), "its later writes are no longer known");
        assert!(feed.holds(2, |_| false));
    }
}
