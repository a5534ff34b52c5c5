//! The unit tree: administrative units and organisations, with materialised paths
//! (`/1/5/23/`) so that a subtree is one indexed prefix match.

use crate::db::Table;
use crate::db::{SqlStore, V, bump_tree, err, get_i64, get_opt_i64, get_opt_str, get_str, q};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, EarlierParent, ImportCounts, StoreResult, Succession, UnitInput, UnitMove, UnitRecord};
use thidua_domain::dates;
use thidua_domain::import::UnitRow;
use thidua_domain::registry::NodeKind;
use thidua_domain::text;

const COLUMNS: &str = "id, code, name, kind, parent_id, location_id, valid_from, valid_to, active, version";

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
        successors: Vec::new(),
        earlier_parents: Vec::new(),
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
        "INSERT INTO units (code, name, name_folded, kind, parent_id, location_id, valid_from, valid_to, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        vec![
            V::text(u.code.clone()),
            V::text(u.name.clone()),
            V::text(text::fold(&u.name)),
            V::text(u.kind.code()),
            V::opt_int(u.parent_id),
            V::opt_int(u.location_id),
            V::opt_text(u.valid_from.map(dates::to_iso)),
            V::opt_text(u.valid_to.map(dates::to_iso)),
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
    set_successors(tx, id, &u.successors).await?;
    Ok(id)
}

/// Replaces the successors of `id`.
async fn set_successors(tx: &mut Transaction<'static, Any>, id: i64, list: &[Succession]) -> StoreResult<()> {
    q("DELETE FROM unit_successions WHERE predecessor_id = $1", vec![V::int(id)]).execute(&mut **tx).await.map_err(err)?;
    for s in list {
        q(
            "INSERT INTO unit_successions (predecessor_id, successor_id, whole) VALUES ($1, $2, $3)",
            vec![V::int(id), V::int(s.to), V::int(i64::from(s.whole))],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    }
    Ok(())
}

/// Re-roots a unit's subtree under `parent` (every descendant's path starts with the old prefix).
async fn reroot(tx: &mut Transaction<'static, Any>, id: i64, parent: Option<i64>) -> StoreResult<bool> {
    let old_path = path_of(tx, Some(id)).await?;
    let new_path = format!("{}{id}/", path_of(tx, parent).await?);
    if new_path == old_path {
        return Ok(false);
    }
    q(
        "UPDATE units SET path = $1 || substr(path, CAST($2 AS INTEGER)) WHERE substr(path, 1, CAST($3 AS INTEGER)) = $4",
        vec![V::text(new_path), V::int(old_path.chars().count() as i64 + 1), V::int(old_path.chars().count() as i64), V::text(old_path)],
    )
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    Ok(true)
}

impl SqlStore {
    /// Gives the records their successions and earlier parents (`only`: of one unit).
    async fn with_links(&self, mut records: Vec<UnitRecord>, only: Option<i64>) -> StoreResult<Vec<UnitRecord>> {
        let (filter, values) = match only {
            Some(id) => (" WHERE predecessor_id = $1", vec![V::int(id)]),
            None => ("", vec![]),
        };
        let mut successors: HashMap<i64, Vec<Succession>> = HashMap::new();
        let sql = format!("SELECT predecessor_id, successor_id, whole FROM unit_successions{filter} ORDER BY predecessor_id, successor_id");
        for r in self.fetch(&sql, values.clone()).await? {
            let s = Succession { to: get_i64(&r, "successor_id")?, whole: get_i64(&r, "whole")? != 0 };
            successors.entry(get_i64(&r, "predecessor_id")?).or_default().push(s);
        }
        let mut earlier: HashMap<i64, Vec<EarlierParent>> = HashMap::new();
        let sql = format!(
            "SELECT unit_id, parent_id, valid_to FROM unit_memberships{} ORDER BY unit_id, valid_to",
            filter.replace("predecessor_id", "unit_id")
        );
        for r in self.fetch(&sql, values).await? {
            let until = dates::from_iso(&get_str(&r, "valid_to")?).ok_or_else(|| {
                StorageError::Corrupt(format!("unit_memberships: ngày «{}» hỏng", get_str(&r, "valid_to").unwrap_or_default()))
            })?;
            earlier.entry(get_i64(&r, "unit_id")?).or_default().push(EarlierParent { parent: get_i64(&r, "parent_id")?, until });
        }
        for u in &mut records {
            u.successors = successors.remove(&u.id).unwrap_or_default();
            u.earlier_parents = earlier.remove(&u.id).unwrap_or_default();
        }
        Ok(records)
    }
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
        let records = self
            .fetch(&format!("SELECT {COLUMNS} FROM units ORDER BY id"), vec![])
            .await?
            .iter()
            .map(record)
            .collect::<StoreResult<_>>()?;
        self.with_links(records, None).await
    }
    async fn unit(&self, id: i64) -> StoreResult<Option<UnitRecord>> {
        let Some(r) = self.fetch_opt(&format!("SELECT {COLUMNS} FROM units WHERE id = $1"), vec![V::int(id)]).await? else {
            return Ok(None);
        };
        Ok(self.with_links(vec![record(&r)?], Some(id)).await?.pop())
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
        let old_parent = q("SELECT parent_id FROM units WHERE id = $1", vec![V::int(id)])
            .fetch_optional(&mut **tx)
            .await
            .map_err(err)?
            .and_then(|r| r.try_get::<Option<i64>, _>(0).ok().flatten());
        crate::db::update_versioned(
            &mut tx,
            "UPDATE units SET code = $1, name = $2, name_folded = $3, kind = $4, parent_id = $5, location_id = $6, \
             valid_from = $7, valid_to = $8, updated_at = $9, version = version + 1 \
             WHERE id = $10 AND version = $11",
            vec![
                V::text(u.code.clone()),
                V::text(u.name.clone()),
                V::text(text::fold(&u.name)),
                V::text(u.kind.code()),
                V::opt_int(u.parent_id),
                V::opt_int(u.location_id),
                V::opt_text(u.valid_from.map(dates::to_iso)),
                V::opt_text(u.valid_to.map(dates::to_iso)),
                V::int(audit_draft.at_ms),
                V::int(id),
                V::int(expected),
            ],
        )
        .await?;
        set_successors(&mut tx, id, &u.successors).await?;
        if reroot(&mut tx, id, u.parent_id).await? {
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
                successors: Vec::new(),
            };
            let id = insert_unit(&mut tx, &input, audit_draft.at_ms).await?;
            ids.insert(r.code.to_string(), id);
        }
        for r in rows.iter().filter(|r| !r.successors.is_empty()) {
            let mut list = Vec::with_capacity(r.successors.len());
            for s in &r.successors {
                let to = match ids.get(s.code.as_str()) {
                    Some(id) => *id,
                    None => id_by_code(&mut tx, s.code.as_str())
                        .await?
                        .ok_or_else(|| StorageError::Database(format!("không tìm thấy đơn vị mã «{}»", s.code)))?,
                };
                list.push(Succession { to, whole: s.whole });
            }
            let id =
                ids.get(r.code.as_str()).copied().ok_or_else(|| StorageError::Database(format!("đơn vị «{}» chưa được ghi", r.code)))?;
            set_successors(&mut tx, id, &list).await?;
        }
        bump_tree(&mut tx).await?;
        tx.commit(audit_draft).await?;
        Ok(ImportCounts { created: rows.len() })
    }
    async fn move_units(&self, moves: &[UnitMove], audit_draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let mut wards = std::collections::BTreeSet::new();
        for m in moves {
            crate::db::update_versioned(
                &mut tx,
                "UPDATE units SET parent_id = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4 AND parent_id = $5",
                vec![V::int(m.to_parent), V::int(audit_draft.at_ms), V::int(m.unit_id), V::int(m.expected_version), V::int(m.from_parent)],
            )
            .await?;
            // A unit handed over again up to the same day (its parent set back by an edit in
            // between) has one parent up to that day: this one.
            q(
                "DELETE FROM unit_memberships WHERE unit_id = $1 AND valid_to = $2",
                vec![V::int(m.unit_id), V::text(dates::to_iso(m.last_day))],
            )
            .execute(&mut **tx)
            .await
            .map_err(err)?;
            q(
                "INSERT INTO unit_memberships (unit_id, parent_id, valid_to) VALUES ($1, $2, $3)",
                vec![V::int(m.unit_id), V::int(m.from_parent), V::text(dates::to_iso(m.last_day))],
            )
            .execute(&mut **tx)
            .await
            .map_err(err)?;
            reroot(&mut tx, m.unit_id, Some(m.to_parent)).await?;
            wards.extend([m.from_parent, m.to_parent]);
        }
        crate::twins::refresh_twins(&mut tx, self.backend, &wards).await?;
        bump_tree(&mut tx).await?;
        tx.commit(audit_draft).await.map(|_| ())
    }
}
