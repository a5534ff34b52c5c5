//! Finding households and citizens by name over millions of rows (issue 19): a name containing
//! the folded text a person typed (with or without diacritics, in any case: "van an" finds «Nguyễn
//! Văn An» and «Trần Văn Anh»), or a code that starts with it.
//!
//! PostgreSQL answers `LIKE '%…%'` from a `pg_trgm` GIN index of the folded names; SQLite keeps a
//! trigram FTS5 index of them (`people_search`, `households_search`, kept by triggers). Either is
//! asked once for the matching ids, up to [`FEW`]: as many or fewer, the list's count and page
//! read those ids (the index scan is the cost: 40–100 ms for a full name over 6 M citizens, paid
//! once, not for the count and again for the page); more — a common text, "nguyen": millions of
//! citizens — and the list is walked in its own order, each name tested, which finds a page
//! sooner than gathering every match. A text under three letters cannot use a trigram index and
//! is tested name by name.

use crate::db::{Backend, SqlStore, V, get_i64, like_pattern};
use crate::keyset::Total;
use crate::people::Listed;
use thidua_app::ports::{COUNT_CAP, StoreResult};

/// A registry table searched by name.
pub(crate) struct Searched {
    /// The table and its folded-name column.
    table: &'static str,
    column: &'static str,
    /// The row's folded name and code, as the list's query names them.
    folded: &'static str,
    code: &'static str,
    /// The SQLite trigram index of the folded names (rowid = the row's id).
    index: &'static str,
}

pub(crate) const PEOPLE: Searched =
    Searched { table: "people", column: "name_folded", folded: "p.name_folded", code: "p.code", index: "people_search" };
pub(crate) const HOUSEHOLDS: Searched =
    Searched { table: "households", column: "head_folded", folded: "h.head_folded", code: "h.code", index: "households_search" };

/// Matches up to which SQLite reads the ids from the name index; beyond, the list is walked in
/// its order (at most ~50 × rows / FEW names tested for a page of 50: ~15,000 over 6 M people).
const FEW: i64 = 20_000;

/// The trigram index needs three characters.
const TRIGRAM: usize = 3;

impl SqlStore {
    /// The WHERE clause that keeps the rows `folded` (a search text, folded) names, its values
    /// bound in `b`.
    /// Keeps in `list` the rows `folded` (a search text, folded) names: the ids the index found
    /// (read by id, inside the list's fence) or, for a common or short text, a test of each name
    /// as the list is walked. Returns what the index said.
    pub(crate) async fn search(&self, s: &Searched, folded: &str, list: &mut Listed) -> StoreResult<Matches> {
        let asked = folded.chars().count() >= TRIGRAM;
        let names = if asked { self.few_matches(s, folded).await? } else { None };
        let codes = self.code_matches(s, folded).await?;
        let b = &mut list.binds;
        let (lo, hi) = code_range(folded);
        let (lo, hi) = (b.bind(V::text(lo)), b.bind(V::text(hi)));
        let matches = match (names, codes) {
            (Some(mut ids), Some(codes)) if ids.len() + codes.len() <= FEW as usize => {
                ids.extend(codes);
                ids.sort_unstable();
                ids.dedup();
                // The ids travel as one value, read as a set: a JSON array on SQLite, a bigint[]
                // on PostgreSQL (`= ANY(…)` under an OR tested each of 6 M citizens against the
                // whole array: 1.6 s).
                let text = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
                let set = match self.backend {
                    Backend::Sqlite => format!("SELECT value FROM json_each({})", b.bind(V::text(format!("[{text}]")))),
                    Backend::Postgres => format!("SELECT unnest(CAST({} AS bigint[]))", b.bind(V::text(format!("{{{text}}}")))),
                };
                list.inner.push(format!("id IN ({set})"));
                Matches::Few(ids.len() as i64)
            }
            (names, codes) => {
                let n = b.bind(V::text(like_pattern(folded)));
                let code = code_between(self.backend, s.code, &lo, &hi);
                list.outer.push(format!("({} LIKE {n} ESCAPE '\\' OR {code})", s.folded));
                if (asked && names.is_none()) || codes.is_none() { Matches::Many } else { Matches::Unknown }
            }
        };
        Ok(matches)
    }

    /// The ids of the rows whose code starts with the text (in capitals), if at most [`FEW`].
    async fn code_matches(&self, s: &Searched, folded: &str) -> StoreResult<Option<Vec<i64>>> {
        let (lo, hi) = code_range(folded);
        let sql = format!("SELECT id FROM {} WHERE {}", s.table, code_between(self.backend, "code", "$1", "$2"));
        self.few_ids(&sql, vec![V::text(lo), V::text(hi)]).await
    }

    /// The ids of the names that contain `folded`, by the name index, if at most [`FEW`].
    async fn few_matches(&self, s: &Searched, folded: &str) -> StoreResult<Option<Vec<i64>>> {
        let (sql, text) = match self.backend {
            Backend::Sqlite => (format!("SELECT rowid AS id FROM {} WHERE {} MATCH $1", s.index, s.index), phrase(folded)),
            Backend::Postgres => (format!("SELECT id FROM {} WHERE {} LIKE $1 ESCAPE '\\'", s.table, s.column), like_pattern(folded)),
        };
        self.few_ids(&sql, vec![V::text(text)]).await
    }

    /// The ids (`id`) `sql` selects, if at most [`FEW`]: it is read one row past the limit.
    async fn few_ids(&self, sql: &str, values: Vec<V>) -> StoreResult<Option<Vec<i64>>> {
        let rows = self.fetch(&format!("{sql} LIMIT {}", FEW + 1), values).await?;
        let ids = rows.iter().map(|r| get_i64(r, "id")).collect::<StoreResult<Vec<_>>>()?;
        Ok((ids.len() as i64 <= FEW).then_some(ids))
    }
}

/// What the name index said of a search text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Matches {
    /// This many names contain it or codes start with it.
    Few(i64),
    /// More than [`FEW`] names contain it, or codes start with it.
    Many,
    /// Not asked (a text too short for trigrams).
    Unknown,
}

/// A search's total: counted up to the cap, except over the whole city when the index already
/// found more names than the cap (`over_everything`: no scope or unit narrows the list), which
/// would otherwise be counted by testing names one by one until the cap.
pub(crate) fn total(matches: Matches, over_everything: bool) -> Total {
    match matches {
        Matches::Many if over_everything => Total::Over(COUNT_CAP),
        _ => Total::Capped,
    }
}

/// The codes a search text names: those that start with it, in capitals (codes are ASCII
/// capitals, digits and `-_./`, all below U+007F). A text with spaces or other letters names none.
fn code_range(folded: &str) -> (String, String) {
    let prefix = folded.to_ascii_uppercase();
    let hi = format!("{prefix}\u{7f}");
    (prefix, hi)
}

/// `column` between the bounds `lo` (included) and `hi` (excluded), compared byte by byte: SQLite's
/// own comparison; PostgreSQL's `"C"` collation (its own index, migration 0022), since a
/// database's linguistic collation orders `-` and `.` by other rules.
fn code_between(backend: Backend, column: &str, lo: &str, hi: &str) -> String {
    match backend {
        Backend::Sqlite => format!("({column} >= {lo} AND {column} < {hi})"),
        Backend::Postgres => format!("({column} COLLATE \"C\" >= {lo} AND {column} COLLATE \"C\" < {hi})"),
    }
}

/// An FTS5 string: one phrase, which the trigram tokenizer matches as a substring.
fn phrase(folded: &str) -> String {
    format!("\"{}\"", folded.replace('"', "\"\""))
}
