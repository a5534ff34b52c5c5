//! The append-only, hash-chained audit log. The head row (`audit_head`) is taken first in every
//! write transaction: it serialises the chain and, on SQLite, takes the write lock up front.

use crate::db::{self, SqlStore, V, err, get_i64, get_opt_i64, get_opt_str, get_str, q};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use thidua_app::ports::{AuditDraft, AuditFilter, AuditRecord, Page, PageRequest, Scope, StoreResult};
use thidua_domain::audit::{Sealing, entry_hash, payload_digest};

/// The chain's head as taken at the start of a transaction.
pub(crate) struct Head {
    seq: i64,
    prev_hash: String,
}

/// Takes the head row (write lock) and reserves the next sequence number.
pub(crate) async fn lock_head(tx: &mut Transaction<'static, Any>) -> StoreResult<Head> {
    let row = q("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash", vec![]).fetch_one(&mut **tx).await.map_err(err)?;
    Ok(Head { seq: row.try_get::<i64, _>(0).map_err(err)?, prev_hash: row.try_get::<String, _>(1).map_err(err)? })
}

/// Writes the entry for `head` and moves the head's hash forward.
pub(crate) async fn append(tx: &mut Transaction<'static, Any>, head: Head, d: AuditDraft) -> StoreResult<i64> {
    let old = d.old.as_ref().map(|v| v.to_string());
    let new = d.new.as_ref().map(|v| v.to_string());
    let old_digest = old.as_deref().map(payload_digest);
    let new_digest = new.as_deref().map(payload_digest);
    let content = d.content(head.seq, old_digest.as_deref(), new_digest.as_deref());
    let hash = entry_hash(&head.prev_hash, &content);
    q(
        "INSERT INTO audit_log (seq, at_ms, actor, on_behalf_of, action, entity, entity_id, unit_id, old_json, new_json, prev_hash, hash, \
         sealing, old_digest, new_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        vec![
            V::int(head.seq),
            V::int(d.at_ms),
            V::text(d.actor.clone()),
            V::opt_text(d.on_behalf_of.clone()),
            V::text(d.action.clone()),
            V::text(d.entity.clone()),
            V::text(d.entity_id.clone()),
            V::opt_int(d.unit_id),
            V::opt_text(old),
            V::opt_text(new),
            V::text(head.prev_hash.clone()),
            V::text(hash.clone()),
            V::int(Sealing::Digest as i64),
            V::opt_text(old_digest),
            V::opt_text(new_digest),
        ],
    )
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    q("UPDATE audit_head SET hash = $1 WHERE id = 1", vec![V::text(hash)]).execute(&mut **tx).await.map_err(err)?;
    Ok(head.seq)
}

const COLUMNS: &str = "a.seq, a.at_ms, a.actor, a.on_behalf_of, a.action, a.entity, a.entity_id, a.unit_id, a.old_json, a.new_json, a.prev_hash, a.hash, \
     a.sealing, a.old_digest, a.new_digest, a.erased_by";

fn record(r: &AnyRow) -> StoreResult<AuditRecord> {
    Ok(AuditRecord {
        seq: get_i64(r, "seq")?,
        at_ms: get_i64(r, "at_ms")?,
        actor: get_str(r, "actor")?,
        on_behalf_of: get_opt_str(r, "on_behalf_of")?,
        action: get_str(r, "action")?,
        entity: get_str(r, "entity")?,
        entity_id: get_str(r, "entity_id")?,
        unit_id: get_opt_i64(r, "unit_id")?,
        old: get_opt_str(r, "old_json")?,
        new: get_opt_str(r, "new_json")?,
        prev_hash: get_str(r, "prev_hash")?,
        hash: get_str(r, "hash")?,
        sealing: Sealing::from_code(get_i64(r, "sealing")?)
            .ok_or_else(|| thidua_app::error::StorageError::Corrupt("audit_log.sealing is neither 1 nor 2".into()))?,
        old_digest: get_opt_str(r, "old_digest")?,
        new_digest: get_opt_str(r, "new_digest")?,
        erased_by: get_opt_i64(r, "erased_by")?,
    })
}

#[async_trait::async_trait]
impl thidua_app::ports::AuditStore for SqlStore {
    async fn append_audit(&self, audit: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let head = crate::audit::lock_head(&mut tx).await?;
        let seq = crate::audit::append(&mut tx, head, audit).await?;
        tx.commit().await.map_err(crate::db::err)?;
        Ok(seq)
    }
    async fn audit_page(&self, scope: &Scope, f: &AuditFilter, page: PageRequest) -> StoreResult<Page<AuditRecord>> {
        let mut wh = Vec::new();
        let mut b = db::Binds::new();
        if !matches!(scope, Scope::All) {
            let clause = db::scope_clause(scope, "u", &mut b);
            wh.push(format!("EXISTS (SELECT 1 FROM units u WHERE u.id = a.unit_id AND {clause})"));
        }
        for (col, val) in [("a.actor", &f.actor), ("a.entity", &f.entity), ("a.entity_id", &f.entity_id), ("a.action", &f.action)] {
            if let Some(val) = val.as_ref().filter(|s| !s.is_empty()) {
                wh.push(format!("{col} = {}", b.bind(V::text(val.clone()))));
            }
        }
        let where_sql = if wh.is_empty() { String::new() } else { format!("WHERE {}", wh.join(" AND ")) };
        self.paged((COLUMNS, &format!("FROM audit_log a {where_sql}"), "a.seq DESC"), b, page, record).await
    }
    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        let row = self.fetch_opt("SELECT seq, hash FROM audit_head WHERE id = 1", vec![]).await?;
        let row = row.ok_or_else(|| thidua_app::error::StorageError::Corrupt("audit_head has no row".into()))?;
        Ok((get_i64(&row, "seq")?, get_str(&row, "hash")?))
    }
    async fn audit_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log a WHERE a.seq > $1 ORDER BY a.seq LIMIT $2");
        self.fetch(&sql, vec![V::int(after), V::int(limit)]).await?.iter().map(record).collect()
    }
}

/// One audited write: a transaction that took the chain's head with its first statement. The
/// statements run on it (it dereferences to the transaction); [`Write::commit`] appends the
/// write's audit entry and commits, so a write cannot end without its entry, and one dropped
/// early (a refusal, a stale version, an error) rolls back with nothing written.
pub(crate) struct Write {
    tx: Transaction<'static, Any>,
    head: Head,
}

impl SqlStore {
    /// Begins an audited write (see [`Write`]).
    pub(crate) async fn write(&self) -> StoreResult<Write> {
        let mut tx = self.begin_write().await?;
        let head = lock_head(&mut tx).await?;
        Ok(Write { tx, head })
    }
}

impl Write {
    /// Runs an `INSERT … RETURNING id` in the write; the new row's id.
    pub(crate) async fn insert_id(&mut self, sql: &str, values: Vec<crate::db::V>) -> StoreResult<i64> {
        let row = q(sql, values).fetch_one(&mut *self.tx).await.map_err(err)?;
        row.try_get::<i64, _>(0).map_err(err)
    }

    /// Commits a write that created the record `id`: its audit entry names it.
    pub(crate) async fn commit_new(self, mut draft: AuditDraft, id: i64) -> StoreResult<i64> {
        draft.entity_id = id.to_string();
        self.commit(draft).await?;
        Ok(id)
    }

    /// Appends the write's audit entry and commits; the entry's sequence number.
    pub(crate) async fn commit(self, draft: AuditDraft) -> StoreResult<i64> {
        let Write { mut tx, head } = self;
        let seq = append(&mut tx, head, draft).await?;
        tx.commit().await.map_err(err)?;
        Ok(seq)
    }
}

impl std::ops::Deref for Write {
    type Target = Transaction<'static, Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}
