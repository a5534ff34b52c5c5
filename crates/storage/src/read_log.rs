//! The log of who read whose data (issue 18 §4): appended in batches by the application's one
//! read-log writer, read by the inspector newest first, paged by key.

use crate::db::{self, SqlStore, V, err, get_i64, get_opt_i64, get_str, q};
use crate::keyset::{Keyed, Kind, Total};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use thidua_app::error::StorageError;
use thidua_app::ports::{Page, PageRequest, ReadChannel, ReadDraft, ReadFilter, ReadLogStore, ReadRecord, ReadWhat, Scope, StoreResult};
use thidua_domain::access::ScopeRoot;

const COLUMNS: &str = "r.id, r.at_ms, r.user_id, r.username, r.channel, r.what, r.subject_id, r.unit_id, r.row_count, r.detail";

/// Rows one statement inserts: 9 values each, well under both engines' limit of bound values.
const ROWS_PER_STATEMENT: usize = 500;

fn record(r: &AnyRow) -> StoreResult<ReadRecord> {
    let code = |col: &str| get_str(r, col);
    let channel = code("channel")?;
    let what = code("what")?;
    Ok(ReadRecord {
        id: get_i64(r, "id")?,
        read: ReadDraft {
            at_ms: get_i64(r, "at_ms")?,
            user_id: get_i64(r, "user_id")?,
            username: get_str(r, "username")?,
            channel: ReadChannel::parse(&channel).ok_or_else(|| StorageError::Corrupt(format!("read_log.channel {channel}")))?,
            what: ReadWhat::parse(&what).ok_or_else(|| StorageError::Corrupt(format!("read_log.what {what}")))?,
            subject_id: get_opt_i64(r, "subject_id")?,
            unit_id: get_opt_i64(r, "unit_id")?,
            rows: get_i64(r, "row_count")?,
            detail: get_str(r, "detail")?,
        },
    })
}

#[async_trait]
impl ReadLogStore for SqlStore {
    async fn record_reads(&self, reads: &[ReadDraft]) -> StoreResult<()> {
        if reads.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for chunk in reads.chunks(ROWS_PER_STATEMENT) {
            let mut b = db::Binds::new();
            let rows: Vec<String> = chunk
                .iter()
                .map(|d| {
                    let marks = [
                        b.bind(V::int(d.at_ms)),
                        b.bind(V::int(d.user_id)),
                        b.bind(V::text(d.username.clone())),
                        b.bind(V::text(d.channel.code())),
                        b.bind(V::text(d.what.code())),
                        b.bind(V::opt_int(d.subject_id)),
                        b.bind(V::opt_int(d.unit_id)),
                        b.bind(V::int(d.rows)),
                        b.bind(V::text(d.detail.clone())),
                    ];
                    format!("({})", marks.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO read_log (at_ms, user_id, username, channel, what, subject_id, unit_id, row_count, detail) VALUES {}",
                rows.join(", ")
            );
            q(&sql, b.into_values()).execute(&mut *tx).await.map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    async fn reads_page(&self, scope: &Scope, f: &ReadFilter, page: PageRequest) -> StoreResult<Page<ReadRecord>> {
        let mut b = db::Binds::new();
        let mut wh = vec!["1 = 1".to_string()];
        let subtree = f.unit.map(|node| Scope::Roots(vec![ScopeRoot { node, subtree: true }]));
        for within in [Some(scope), subtree.as_ref()].into_iter().flatten().filter(|s| !matches!(s, Scope::All)) {
            let clause = db::scope_clause(within, "u", &mut b);
            wh.push(format!("EXISTS (SELECT 1 FROM units u WHERE u.id = r.unit_id AND {clause})"));
        }
        if let Some(name) = f.username.as_ref().filter(|s| !s.is_empty()) {
            wh.push(format!("r.username = {}", b.bind(V::text(name.clone()))));
        }
        if let Some(what) = f.what {
            wh.push(format!("r.what = {}", b.bind(V::text(what.code()))));
        }
        if let Some(subject) = f.subject_id {
            wh.push(format!("r.subject_id = {}", b.bind(V::int(subject))));
        }
        let from = format!("FROM read_log r WHERE {}", wh.join(" AND "));
        // Newest first: the key is the negated id, so that the list's "next" walks back in time.
        let keys: &[(&str, Kind)] = &[("0 - r.id", Kind::Int)];
        self.keyset(Keyed { select: COLUMNS, from: &from, keys }, b, Total::Capped, page, record).await
    }
}
