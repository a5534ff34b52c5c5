//! The unit tree: administrative units and organisations, with materialised paths
//! (`/1/5/23/`) so that a subtree is one indexed prefix match.

use crate::db::Table;
use crate::db::{SqlStore, V, bump_tree, err, get_i64, get_opt_i64, get_opt_str, get_str, q};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, ImportCounts, StoreResult, UnitInput, UnitRecord};
use thidua_domain::dates;
use thidua_domain::import::UnitRow;
use thidua_domain::registry::NodeKind;
use thidua_domain::text;

const COLUMNS: &str = "id, code, name, kind, parent_id, location_id, valid_from, valid_to, successor_id, active, version";

fn record(r: &AnyRow) -> StoreResult<UnitRecord> {
    let kind = get_str(r, "kind")?;
    Ok(UnitRecord {
        id: get_i64(r, "id")?,
        code: get_str(r, "code")?,
        name: get_str(r, "name")?,
        kind: NodeKind::ALL
            .into_iter()
            .find(|k| k.code() == kind)
            .ok_or_else(|| StorageError::Corrupt(format!("unknown unit kind {kind}")))?,
        parent_id: get_opt_i64(r, "parent_id")?,
        location_id: get_opt_i64(r, "location_id")?,
        valid_from: get_opt_str(r, "valid_from")?.and_then(|s| dates::from_iso(&s)),
        valid_to: get_opt_str(r, "valid_to")?.and_then(|s| dates::from_iso(&s)),
        successor_id: get_opt_i64(r, "successor_id")?,
        active: get_i64(r, "active")? != 0,
        version: get_i64(r, "version")?,
    })
}

async fn path_of(tx: &mut Transaction<'static, Any>, id: Option<i64>) -> StoreResult<String> {
    match id {
        None => Ok("/".into()),
        Some(id) => {
            let row = q("SELECT path FROM units WHERE id = $1", vec![V::int(id)])
                .fetch_optional(&mut **tx)
                .await
                .map_err(err)?
                .ok_or_else(|| StorageError::Database(format!("đơn vị cấp trên {id} không tồn tại")))?;
            row.try_get::<String, _>(0).map_err(err)
        }
    }
}

async fn id_by_code(tx: &mut Transaction<'static, Any>, code: &str) -> StoreResult<Option<i64>> {
    let row = q("SELECT id FROM units WHERE code = $1", vec![V::text(code)]).fetch_optional(&mut **tx).await.map_err(err)?;
    row.map(|r| r.try_get::<i64, _>(0).map_err(err)).transpose()
}

/// Inserts one unit and sets its path; returns its id.
async fn insert_unit(tx: &mut Transaction<'static, Any>, u: &UnitInput, now_ms: i64) -> StoreResult<i64> {
    let parent_path = path_of(tx, u.parent_id).await?;
    let row = q(
        "INSERT INTO units (code, name, name_folded, kind, parent_id, location_id, valid_from, valid_to, successor_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        vec![
            V::text(u.code.clone()),
            V::text(u.name.clone()),
            V::text(text::fold(&u.name)),
            V::text(u.kind.code()),
            V::opt_int(u.parent_id),
            V::opt_int(u.location_id),
            V::opt_text(u.valid_from.map(dates::to_iso)),
            V::opt_text(u.valid_to.map(dates::to_iso)),
            V::opt_int(u.successor_id),
            V::int(now_ms),
        ],
    )
    .fetch_one(&mut **tx)
    .await
    .map_err(err)?;
    let id = row.try_get::<i64, _>(0).map_err(err)?;
    q("UPDATE units SET path = $1 WHERE id = $2", vec![V::text(format!("{parent_path}{id}/")), V::int(id)])
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    Ok(id)
}

#[async_trait::async_trait]
impl thidua_app::ports::UnitStore for SqlStore {
    async fn set_unit_active(&self, id: i64, v: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_active_db(Table::Units, id, v, active, audit, true).await
    }
    async fn tree_version(&self) -> StoreResult<i64> {
        self.count("SELECT value FROM meta WHERE key = 'tree_version'", vec![]).await
    }
    async fn all_units(&self) -> StoreResult<Vec<UnitRecord>> {
        self.fetch(&format!("SELECT {COLUMNS} FROM units ORDER BY id"), vec![]).await?.iter().map(record).collect()
    }
    async fn unit(&self, id: i64) -> StoreResult<Option<UnitRecord>> {
        self.fetch_opt(&format!("SELECT {COLUMNS} FROM units WHERE id = $1"), vec![V::int(id)]).await?.as_ref().map(record).transpose()
    }
    async fn create_unit(&self, input: &UnitInput, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let id = insert_unit(&mut tx, input, audit_draft.at_ms).await?;
        bump_tree(&mut tx).await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..audit_draft }).await?;
        Ok(id)
    }
    async fn update_unit(&self, id: i64, expected: i64, u: &UnitInput, audit_draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let old_path = path_of(&mut tx, Some(id)).await?;
        let old_parent = q("SELECT parent_id FROM units WHERE id = $1", vec![V::int(id)])
            .fetch_optional(&mut **tx)
            .await
            .map_err(err)?
            .and_then(|r| r.try_get::<Option<i64>, _>(0).ok().flatten());
        crate::db::update_versioned(
            &mut tx,
            "UPDATE units SET code = $1, name = $2, name_folded = $3, kind = $4, parent_id = $5, location_id = $6, \
             valid_from = $7, valid_to = $8, successor_id = $9, updated_at = $10, version = version + 1 \
             WHERE id = $11 AND version = $12",
            vec![
                V::text(u.code.clone()),
                V::text(u.name.clone()),
                V::text(text::fold(&u.name)),
                V::text(u.kind.code()),
                V::opt_int(u.parent_id),
                V::opt_int(u.location_id),
                V::opt_text(u.valid_from.map(dates::to_iso)),
                V::opt_text(u.valid_to.map(dates::to_iso)),
                V::opt_int(u.successor_id),
                V::int(audit_draft.at_ms),
                V::int(id),
                V::int(expected),
            ],
        )
        .await?;
        let new_path = format!("{}{id}/", path_of(&mut tx, u.parent_id).await?);
        if new_path != old_path {
            // Re-root the whole subtree: every descendant's path starts with the old prefix.
            q(
                "UPDATE units SET path = $1 || substr(path, CAST($2 AS INTEGER)) WHERE substr(path, 1, CAST($3 AS INTEGER)) = $4",
                vec![
                    V::text(new_path),
                    V::int(old_path.chars().count() as i64 + 1),
                    V::int(old_path.chars().count() as i64),
                    V::text(old_path),
                ],
            )
            .execute(&mut **tx)
            .await
            .map_err(err)?;
            // A village moved to another ward takes its possible duplicates with it.
            let wards = [old_parent, u.parent_id].into_iter().flatten().collect();
            crate::twins::refresh_twins(&mut tx, self.backend, &wards).await?;
        }
        bump_tree(&mut tx).await?;
        tx.commit(audit_draft).await.map(|_| ())
    }
    /// Inserts rows in file order (parents may be defined above their children), then links
    /// successors, which may point anywhere in the file.
    async fn import_units(&self, rows: &[UnitRow], audit_draft: AuditDraft) -> StoreResult<ImportCounts> {
        let mut tx = self.write().await?;
        let mut ids: HashMap<String, i64> = HashMap::new();
        for r in rows {
            let resolve = |c: &Option<thidua_domain::registry::Code>| c.as_ref().map(|c| c.to_string());
            let parent = match resolve(&r.parent) {
                Some(c) => match ids.get(&c) {
                    Some(id) => Some(*id),
                    None => id_by_code(&mut tx, &c).await?,
                },
                None => None,
            };
            let location = match resolve(&r.location) {
                Some(c) => match ids.get(&c) {
                    Some(id) => Some(*id),
                    None => id_by_code(&mut tx, &c).await?,
                },
                None => None,
            };
            let input = UnitInput {
                code: r.code.to_string(),
                name: r.name.clone(),
                kind: r.kind,
                parent_id: parent,
                location_id: location,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                successor_id: None,
            };
            let id = insert_unit(&mut tx, &input, audit_draft.at_ms).await?;
            ids.insert(r.code.to_string(), id);
        }
        for r in rows {
            if let Some(s) = &r.successor {
                let succ = match ids.get(s.as_str()) {
                    Some(id) => Some(*id),
                    None => id_by_code(&mut tx, s.as_str()).await?,
                };
                q("UPDATE units SET successor_id = $1 WHERE code = $2", vec![V::opt_int(succ), V::text(r.code.to_string())])
                    .execute(&mut **tx)
                    .await
                    .map_err(err)?;
            }
        }
        bump_tree(&mut tx).await?;
        tx.commit(audit_draft).await?;
        Ok(ImportCounts { created: rows.len() })
    }
}
