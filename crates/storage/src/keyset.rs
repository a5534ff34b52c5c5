//! Keyset paging of the long lists (issue 19): a page starts after or before the sort key of a
//! row another page showed, so that the engine walks an index from there instead of skipping
//! millions of rows with `OFFSET`; totals come from kept counts, or are counted up to
//! [`COUNT_CAP`] and then read "more than".
//!
//! A position travels as hex of a JSON array of the row's key values: opaque to the pages,
//! checked against the list's own keys when it comes back, never trusted to be well formed.

use crate::db::{Binds, SqlStore, V, get_i64, get_str};
use sqlx::any::AnyRow;
use thidua_app::error::StorageError;
use thidua_app::ports::{At, COUNT_CAP, MAX_OFFSET, Page, PageRequest, StoreResult};

/// The type of one column of a sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Text,
}

/// A list paged by key: `SELECT {select} {from}` where `from` ends with its `WHERE` clause, and
/// the sort key — expressions over non-null values, the last one unique (the row's id).
pub(crate) struct Keyed<'a> {
    pub select: &'a str,
    pub from: &'a str,
    pub keys: &'a [(&'a str, Kind)],
}

/// Where a list's total comes from.
pub(crate) enum Total {
    /// Known from kept counts (a list without a search).
    Known(i64),
    /// Known to be over this many rows (a search the name index found common, over the city).
    Over(i64),
    /// Counted, up to [`COUNT_CAP`] rows.
    Capped,
}

fn invalid() -> StorageError {
    StorageError::Invalid("vị trí trang không hợp lệ: hãy mở lại danh sách từ trang đầu".into())
}

/// The values of a position written by [`encode`], checked against the list's key kinds.
fn decode(at: &str, keys: &[(&str, Kind)]) -> StoreResult<Vec<V>> {
    let bytes = hex::decode(at).map_err(|_| invalid())?;
    let values: Vec<serde_json::Value> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if values.len() != keys.len() {
        return Err(invalid());
    }
    values
        .into_iter()
        .zip(keys)
        .map(|(v, (_, kind))| match (kind, v) {
            (Kind::Int, serde_json::Value::Number(n)) => n.as_i64().map(V::int).ok_or_else(invalid),
            (Kind::Text, serde_json::Value::String(s)) => Ok(V::text(s)),
            _ => Err(invalid()),
        })
        .collect()
}

/// The position of a row: its key columns (`k0`, `k1`, …) as the list selected them.
fn encode(row: &AnyRow, keys: &[(&str, Kind)]) -> StoreResult<String> {
    let values = keys
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            let col = format!("k{i}");
            Ok(match kind {
                Kind::Int => serde_json::Value::from(get_i64(row, &col)?),
                Kind::Text => serde_json::Value::from(get_str(row, &col)?),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let json = serde_json::to_vec(&values).map_err(|e| StorageError::Database(e.to_string()))?;
    Ok(hex::encode(json))
}

impl SqlStore {
    /// One page of a list paged by key (see the module's note), with its total. A request by
    /// page number skips at most [`MAX_OFFSET`] rows; a deeper one is refused with a message
    /// saying how to get there, never answered slowly or emptily.
    pub(crate) async fn keyset<T>(
        &self,
        list: Keyed<'_>,
        mut binds: Binds,
        total: Total,
        page: PageRequest,
        map: impl Fn(&AnyRow) -> StoreResult<T>,
    ) -> StoreResult<Page<T>> {
        let (total, at_least) = match total {
            Total::Known(n) => (n, false),
            Total::Over(n) => (n, true),
            Total::Capped => {
                let n = self
                    .count(
                        &format!("SELECT COUNT(*) FROM (SELECT 1 AS one {} LIMIT {}) t", list.from, COUNT_CAP + 1),
                        binds.clone().into_values(),
                    )
                    .await?;
                (n.min(COUNT_CAP), n > COUNT_CAP)
            }
        };
        let offset = if page.at.is_none() { page.offset() } else { 0 };
        if offset > MAX_OFFSET {
            return Err(StorageError::Invalid(format!(
                "không mở thẳng được trang {} (quá {} dòng đầu): hãy lọc theo đơn vị, tìm kiếm, hoặc dùng «Trang sau», «Trang cuối»",
                page.page,
                thidua_domain::text::number(i128::from(MAX_OFFSET))
            )));
        }
        let backward = matches!(page.at, Some(At::Before(_) | At::Last));
        let columns: Vec<&str> = list.keys.iter().map(|(e, _)| *e).collect();
        let mut sql = format!("SELECT {}", list.select);
        for (i, e) in columns.iter().enumerate() {
            sql.push_str(&format!(", {e} AS k{i}"));
        }
        sql.push_str(&format!(" {}", list.from));
        if let Some(At::After(key) | At::Before(key)) = &page.at {
            let marks: Vec<String> = decode(key, list.keys)?.into_iter().map(|v| binds.bind(v)).collect();
            let op = if backward { "<" } else { ">" };
            sql.push_str(&format!(" AND ({}) {op} ({})", columns.join(", "), marks.join(", ")));
        }
        let dir = if backward { " DESC" } else { "" };
        let order: Vec<String> = columns.iter().map(|c| format!("{c}{dir}")).collect();
        let limit = binds.bind(V::int(page.per_page.saturating_add(1)));
        let skip = binds.bind(V::int(offset));
        sql.push_str(&format!(" ORDER BY {} LIMIT {limit} OFFSET {skip}", order.join(", ")));
        let mut rows = self.fetch(&sql, binds.into_values()).await?;
        let more = rows.len() as i64 > page.per_page;
        rows.truncate(usize::try_from(page.per_page).unwrap_or(usize::MAX));
        if backward {
            rows.reverse();
        }
        let key = |r: Option<&AnyRow>| r.map(|r| encode(r, list.keys)).transpose();
        let (next, prev) = if backward {
            let next = if matches!(page.at, Some(At::Before(_))) { key(rows.last())?.map(At::After) } else { None };
            (next, if more { key(rows.first())?.map(At::Before) } else { None })
        } else {
            let after_some = matches!(page.at, Some(At::After(_))) || offset > 0;
            (if more { key(rows.last())?.map(At::After) } else { None }, if after_some { key(rows.first())?.map(At::Before) } else { None })
        };
        let items = rows.iter().map(map).collect::<StoreResult<Vec<T>>>()?;
        Ok(Page { at_least, next, prev, ..Page::new(items, total, &page) })
    }
}
