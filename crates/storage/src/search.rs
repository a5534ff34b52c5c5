//! Finding households and citizens by name over millions of rows (issue 19): a name containing
//! the folded text a person typed (any order of the name's parts they remember, diacritics or
//! not), or a code equal to it.
//!
//! PostgreSQL answers `LIKE '%…%'` from a `pg_trgm` GIN index of the folded names. SQLite keeps a
//! trigram FTS5 index of them (`people_search`, `households_search`, kept by triggers); when the
//! text is common ("nguyen": millions of citizens) walking the list in its own order and testing
//! each name finds a page sooner than gathering every match, so the index is asked first how
//! many names match, up to [`FEW`], and the cheaper way is taken. A text under three letters
//! cannot use a trigram index and is tested name by name.

use crate::db::{Backend, Binds, SqlStore, V, like_pattern};
use thidua_app::ports::StoreResult;

/// A registry table searched by name.
pub(crate) struct Searched {
    /// The row's id, folded name and code, as the list's query names them.
    id: &'static str,
    folded: &'static str,
    code: &'static str,
    /// The SQLite trigram index of the folded names (rowid = the row's id).
    index: &'static str,
}

pub(crate) const PEOPLE: Searched = Searched { id: "p.id", folded: "p.name_folded", code: "p.code", index: "people_search" };
pub(crate) const HOUSEHOLDS: Searched = Searched { id: "h.id", folded: "h.head_folded", code: "h.code", index: "households_search" };

/// Matches up to which SQLite reads the ids from the name index; beyond, the list is walked in
/// its order (at most ~50 × rows / FEW names tested for a page of 50: ~15,000 over 6 M people).
const FEW: i64 = 20_000;

/// The trigram index needs three characters.
const TRIGRAM: usize = 3;

impl SqlStore {
    /// The WHERE clause that keeps the rows `folded` (a search text, folded) names, its values
    /// bound in `b`.
    pub(crate) async fn search_clause(&self, s: &Searched, folded: &str, b: &mut Binds) -> StoreResult<String> {
        let code = b.bind(V::text(folded.to_ascii_uppercase()));
        let indexed = self.backend == Backend::Sqlite && folded.chars().count() >= TRIGRAM && self.few_match(s, folded).await?;
        Ok(if indexed {
            let m = b.bind(V::text(phrase(folded)));
            format!("({} IN (SELECT rowid FROM {} WHERE {} MATCH {m}) OR {} = {code})", s.id, s.index, s.index, s.code)
        } else {
            let n = b.bind(V::text(like_pattern(folded)));
            format!("({} LIKE {n} ESCAPE '\\' OR {} = {code})", s.folded, s.code)
        })
    }

    /// Whether at most [`FEW`] names contain `folded`, by the name index (SQLite).
    async fn few_match(&self, s: &Searched, folded: &str) -> StoreResult<bool> {
        let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {} MATCH $1 LIMIT {}) t", s.index, s.index, FEW + 1);
        Ok(self.count(&sql, vec![V::text(phrase(folded))]).await? <= FEW)
    }
}

/// An FTS5 string: one phrase, which the trigram tokenizer matches as a substring.
fn phrase(folded: &str) -> String {
    format!("\"{}\"", folded.replace('"', "\"\""))
}
