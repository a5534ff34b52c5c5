//! Values computed from the database, kept per process while no write has changed them.
//!
//! An entry remembers the write version it was computed at (the audit chain's head, moved in the
//! same transaction as every write); it is served while the writes followed since
//! (`crate::changes::Feed`) do not touch it, and for at most `ttl_ms` — values that also depend on
//! the clock (days waited, reports now late) are recomputed that often.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

struct Entry<V> {
    version: i64,
    at_ms: i64,
    value: Arc<V>,
}

pub struct Memo<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
    ttl_ms: i64,
    capacity: usize,
}

impl<K: Eq + Hash, V> Memo<K, V> {
    pub fn new(ttl_ms: i64, capacity: usize) -> Self {
        Memo { entries: Mutex::new(HashMap::new()), ttl_ms, capacity: capacity.max(1) }
    }

    /// The value kept for `key` if it was computed less than the TTL before `now_ms` and still
    /// `holds` (asked with the version it was computed at).
    pub fn get(&self, key: &K, now_ms: i64, holds: impl FnOnce(i64) -> bool) -> Option<Arc<V>> {
        let (version, value) = {
            let entries = self.entries.lock().ok()?;
            let e = entries.get(key)?;
            if !(0..self.ttl_ms).contains(&(now_ms - e.at_ms)) {
                return None;
            }
            (e.version, e.value.clone())
        };
        holds(version).then_some(value)
    }

    /// Keeps `value` computed at `version`; when full, expired entries go first, then all.
    pub fn put(&self, key: K, version: i64, now_ms: i64, value: Arc<V>) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let ttl = self.ttl_ms;
            entries.retain(|_, e| (0..ttl).contains(&(now_ms - e.at_ms)));
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, Entry { version, at_ms: now_ms, value });
    }
}

/// The views read by many and written by few: the dashboards and the public honour roll
/// (shared by the clones of an `App`).
#[derive(Clone)]
pub struct Views {
    /// (unit, year) → the dashboard, whoever may read it.
    pub dashboards: Arc<Memo<(i64, i64), crate::dashboard::Dashboard>>,
    /// (titles?, year, page, per page) → a page of the honour roll.
    pub honour: Arc<Memo<HonourKey, crate::ports::Page<crate::honour::HonourLine>>>,
    /// The writes followed since, which decide what is still true.
    pub feed: Arc<crate::changes::Feed>,
}

/// (titles rather than awards, year, page, per page).
pub type HonourKey = (bool, Option<i64>, i64, i64);

impl Default for Views {
    fn default() -> Self {
        // A ward's dashboard with what is drawn from it is some 40 kB (the city's 130 kB), a page
        // of the roll some 10 kB: at most about 40 MB and 10 MB per process.
        Views { dashboards: Arc::new(Memo::new(60_000, 1024)), honour: Arc::new(Memo::new(60_000, 1024)), feed: Arc::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_while_it_holds() {
        let m: Memo<i64, &str> = Memo::new(60_000, 8);
        m.put(1, 7, 1_000, Arc::new("a"));
        assert_eq!(m.get(&1, 2_000, |v| v == 7).as_deref(), Some(&"a"));
        assert_eq!(m.get(&2, 2_000, |_| true), None);
    }

    #[test]
    fn a_value_that_no_longer_holds_is_not_served() {
        let m: Memo<i64, &str> = Memo::new(60_000, 8);
        m.put(1, 7, 1_000, Arc::new("a"));
        assert_eq!(m.get(&1, 1_001, |_| false), None);
    }

    #[test]
    fn a_value_expires_after_its_ttl() {
        let m: Memo<i64, &str> = Memo::new(60_000, 8);
        m.put(1, 7, 1_000, Arc::new("a"));
        assert!(m.get(&1, 60_999, |_| true).is_some());
        assert_eq!(m.get(&1, 61_000, |_| true), None);
        // A clock set back does not revive or keep a value either.
        assert_eq!(m.get(&1, 999, |_| true), None);
    }

    #[test]
    fn a_full_memo_drops_expired_values_first() {
        let m: Memo<i64, &str> = Memo::new(60_000, 2);
        m.put(1, 6, 0, Arc::new("old"));
        m.put(2, 7, 50_000, Arc::new("b"));
        m.put(3, 7, 61_000, Arc::new("c"));
        assert_eq!(m.get(&1, 61_001, |_| true), None);
        assert!(m.get(&2, 61_001, |_| true).is_some() && m.get(&3, 61_001, |_| true).is_some());
        m.put(4, 7, 61_002, Arc::new("d"));
        assert!(m.get(&4, 61_003, |_| true).is_some());
        assert_eq!(m.get(&2, 61_003, |_| true), None);
    }
}
