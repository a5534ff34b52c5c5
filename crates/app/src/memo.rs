//! Values computed from the database, kept per process while the database has not changed.
//!
//! An entry is valid while the store's write version (the audit chain's head, moved in the same
//! transaction as every write) is the one it was computed at, and for at most `ttl_ms` — values
//! that also depend on the clock (days waited, reports now late) are recomputed that often.

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

    /// The value kept for `key` if it was computed at `version` less than the TTL before `now_ms`.
    pub fn get(&self, key: &K, version: i64, now_ms: i64) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(key)?;
        (e.version == version && (0..self.ttl_ms).contains(&(now_ms - e.at_ms))).then(|| e.value.clone())
    }

    /// Keeps `value`; when full, entries of other versions go first, then all.
    pub fn put(&self, key: K, version: i64, now_ms: i64, value: Arc<V>) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, e| e.version == version);
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
}

/// (titles rather than awards, year, page, per page).
pub type HonourKey = (bool, Option<i64>, i64, i64);

impl Default for Views {
    fn default() -> Self {
        // A ward's dashboard with what is drawn from it is some 40 kB (the city's 130 kB), a page
        // of the roll some 10 kB: at most about 40 MB and 10 MB per process.
        Views { dashboards: Arc::new(Memo::new(60_000, 1024)), honour: Arc::new(Memo::new(60_000, 1024)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_while_the_version_holds() {
        let m: Memo<i64, &str> = Memo::new(60_000, 8);
        m.put(1, 7, 1_000, Arc::new("a"));
        assert_eq!(m.get(&1, 7, 2_000).as_deref(), Some(&"a"));
        assert_eq!(m.get(&2, 7, 2_000), None);
    }

    #[test]
    fn a_write_anywhere_invalidates_the_value() {
        let m: Memo<i64, &str> = Memo::new(60_000, 8);
        m.put(1, 7, 1_000, Arc::new("a"));
        assert_eq!(m.get(&1, 8, 1_001), None);
    }

    #[test]
    fn a_value_expires_after_its_ttl() {
        let m: Memo<i64, &str> = Memo::new(60_000, 8);
        m.put(1, 7, 1_000, Arc::new("a"));
        assert!(m.get(&1, 7, 60_999).is_some());
        assert_eq!(m.get(&1, 7, 61_000), None);
        // A clock set back does not revive or keep a value either.
        assert_eq!(m.get(&1, 7, 999), None);
    }

    #[test]
    fn a_full_memo_drops_stale_versions_first() {
        let m: Memo<i64, &str> = Memo::new(60_000, 2);
        m.put(1, 6, 0, Arc::new("old"));
        m.put(2, 7, 0, Arc::new("b"));
        m.put(3, 7, 0, Arc::new("c"));
        assert_eq!(m.get(&1, 6, 1), None);
        assert!(m.get(&2, 7, 1).is_some() && m.get(&3, 7, 1).is_some());
        m.put(4, 7, 0, Arc::new("d"));
        assert!(m.get(&4, 7, 1).is_some());
        assert_eq!(m.get(&2, 7, 1), None);
    }
}
