//! The duplicate-code index of one import file.

use std::collections::HashMap;

/// The codes seen so far in a file, exactly, in about 40 bytes a code: the codes live end to end
/// in one string, and the map holds a keyed 64-bit hash of each with its place and row. The hash
/// is SipHash with a random key (the standard library's), so a crafted file cannot make lookups
/// collide; two different codes that do share a hash go to a small overflow map.
#[derive(Default)]
pub struct SeenCodes {
    keys: std::collections::hash_map::RandomState,
    arena: String,
    /// hash → (start in `arena`, length, row)
    map: HashMap<u64, (u32, u32, u32), NoHash>,
    overflow: HashMap<String, usize>,
}

impl SeenCodes {
    /// Records `code` at `row`; returns the row of its first occurrence if it was seen before.
    pub fn insert(&mut self, code: &str, row: usize) -> Option<usize> {
        use std::hash::BuildHasher;
        let h = self.keys.hash_one(code);
        match self.map.get(&h) {
            Some(&(start, len, first)) => {
                let (start, len) = (start as usize, len as usize);
                if self.arena.get(start..start + len) == Some(code) {
                    return Some(first as usize);
                }
                match self.overflow.get(code) {
                    Some(first) => Some(*first),
                    None => {
                        self.overflow.insert(code.to_string(), row);
                        None
                    }
                }
            }
            None => {
                let start = u32::try_from(self.arena.len()).ok();
                let len = u32::try_from(code.len()).ok();
                let row32 = u32::try_from(row).ok();
                match (start, len, row32) {
                    (Some(s), Some(l), Some(r)) => {
                        self.arena.push_str(code);
                        self.map.insert(h, (s, l, r));
                    }
                    // Beyond 4 GiB of codes or 4 billion rows: keep them whole instead.
                    _ => {
                        if let Some(first) = self.overflow.get(code) {
                            return Some(*first);
                        }
                        self.overflow.insert(code.to_string(), row);
                    }
                }
                None
            }
        }
    }
}

/// The keys of [`SeenCodes::map`] are already SipHash values: hashing them again is waste.
#[derive(Default, Clone, Copy)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type NoHash = std::hash::BuildHasherDefault<IdentityHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_codes_remember_exactly_and_report_the_first_row() {
        let mut seen = SeenCodes::default();
        assert_eq!(seen.insert("HGD-1", 2), None);
        assert_eq!(seen.insert("HGD-2", 3), None);
        assert_eq!(seen.insert("HGD-1", 9), Some(2));
        assert_eq!(seen.insert("HGD-10", 10), None);
        assert_eq!(seen.insert("HGD-2", 11), Some(3));
    }
}
