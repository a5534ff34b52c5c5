//! Possible duplicates kept as records are written (issue 19): for each ward, the folded names
//! and birth years that two or more active household heads, or citizens, share (`name_twins`).
//!
//! A single write regroups its own keys under the audit head. An import marks its wards in
//! `twins_pending` and regroups each after it commits, holding only that ward's lock, so that
//! the regrouping of a ward a million rows went into does not hold every other writer. On
//! PostgreSQL the ward's lock is a transaction-scoped advisory lock, taken by every regrouping
//! in ward order and never held while waiting for the audit head; SQLite has one writer at a
//! time and needs none.

use crate::assessments::{REFRESH_CHUNK, placeholders};
use crate::db::{Backend, SqlStore, V, err, get_i64, get_str, q};
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeSet;
use thidua_app::ports::StoreResult;

/// The advisory-lock class of a ward's possible duplicates (the first key of the two-key form).
const WARD_LOCK_CLASS: i64 = 19;

/// Takes the regrouping lock of each ward, in ward order (PostgreSQL; held to the end of the
/// transaction).
async fn lock_wards(tx: &mut Transaction<'static, Any>, backend: Backend, wards: impl IntoIterator<Item = i64>) -> StoreResult<()> {
    if backend != Backend::Postgres {
        return Ok(());
    }
    let wards: BTreeSet<i64> = wards.into_iter().collect();
    for ward in wards {
        q("SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), CAST($2 AS INTEGER))", vec![V::int(WARD_LOCK_CLASS), V::int(ward)])
            .execute(&mut **tx)
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// The wards (parents) of `units`.
pub(crate) async fn wards_of(tx: &mut Transaction<'static, Any>, backend: Backend, units: &BTreeSet<i64>) -> StoreResult<BTreeSet<i64>> {
    let units: Vec<i64> = units.iter().copied().collect();
    let mut wards = BTreeSet::new();
    for chunk in units.chunks(REFRESH_CHUNK) {
        let ph = placeholders(backend, 1, chunk.len());
        let values: Vec<V> = chunk.iter().map(|u| V::int(*u)).collect();
        let sql = format!("SELECT DISTINCT parent_id FROM units WHERE id IN ({ph}) AND parent_id IS NOT NULL");
        for r in q(&sql, values).fetch_all(&mut **tx).await.map_err(err)? {
            wards.insert(r.try_get::<i64, _>(0).map_err(err)?);
        }
    }
    Ok(wards)
}

/// Marks `wards` as to be regrouped (in the import's own transaction: an import that commits
/// leaves its mark, one that rolls back none).
pub(crate) async fn mark_pending(tx: &mut Transaction<'static, Any>, wards: &BTreeSet<i64>, at_ms: i64) -> StoreResult<()> {
    for ward in wards {
        q(
            "INSERT INTO twins_pending (ward_id, since_ms) VALUES ($1, $2) ON CONFLICT (ward_id) DO NOTHING",
            vec![V::int(*ward), V::int(at_ms)],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    }
    Ok(())
}

/// Regroups every ward marked pending, one transaction each; how many were regrouped. Called
/// after an import commits and by the periodic housekeeping (an interrupted regrouping resumes).
pub(crate) async fn refresh_pending(store: &SqlStore) -> StoreResult<usize> {
    let wards: Vec<i64> = store
        .fetch("SELECT ward_id FROM twins_pending ORDER BY ward_id", vec![])
        .await?
        .iter()
        .map(|r| get_i64(r, "ward_id"))
        .collect::<StoreResult<_>>()?;
    let mut done = 0;
    for ward in wards {
        let mut tx = store.begin_write().await?;
        lock_wards(&mut tx, store.backend, [ward]).await?;
        // Another instance may have done it meanwhile.
        let taken = q("DELETE FROM twins_pending WHERE ward_id = $1", vec![V::int(ward)]).execute(&mut *tx).await.map_err(err)?;
        if taken.rows_affected() == 1 {
            refresh_twins(&mut tx, store.backend, &[ward].into()).await?;
            done += 1;
        }
        tx.commit().await.map_err(err)?;
    }
    Ok(done)
}

/// A household's or citizen's possible-duplicate key: its ward, folded name and birth year (0:
/// none).
pub(crate) type TwinKey = (i64, String, i64);

/// The subject code and the name and birth-year columns of a table with possible duplicates.
fn twin_columns(table: crate::db::Table) -> Option<(&'static str, &'static str, &'static str)> {
    match table {
        crate::db::Table::Households => Some(("household", "head_folded", "head_birth_year")),
        crate::db::Table::People => Some(("person", "name_folded", "birth_year")),
        _ => None,
    }
}

/// The records' ids of a group, comma-separated, in each engine's words.
fn twin_ids(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "group_concat(s.id, ',')",
        Backend::Postgres => "string_agg(CAST(s.id AS TEXT), ',' ORDER BY s.id)",
    }
}

/// The key of record `id` of `table` as it stands (none for a table without twins or a record
/// outside a ward).
pub(crate) async fn twin_key(tx: &mut Transaction<'static, Any>, table: crate::db::Table, id: i64) -> StoreResult<Option<TwinKey>> {
    let Some((_, folded, birth)) = twin_columns(table) else { return Ok(None) };
    let sql = format!(
        "SELECT u.parent_id AS ward, s.{folded} AS folded, COALESCE(s.{birth}, 0) AS birth FROM {table} s \
         JOIN units u ON u.id = s.unit_id WHERE s.id = $1 AND u.parent_id IS NOT NULL"
    );
    let row = q(&sql, vec![V::int(id)]).fetch_optional(&mut **tx).await.map_err(err)?;
    row.map(|r| Ok((get_i64(&r, "ward")?, get_str(&r, "folded")?, get_i64(&r, "birth")?))).transpose()
}

/// Recounts the possible duplicates of `keys` only: one record's write rewrites its own groups
/// (before and after the write), not its whole ward's.
pub(crate) async fn refresh_twin_keys(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table: crate::db::Table,
    keys: &[Option<TwinKey>],
) -> StoreResult<()> {
    let Some((subject, folded, birth)) = twin_columns(table) else { return Ok(()) };
    let mut keys: Vec<&TwinKey> = keys.iter().flatten().collect();
    keys.sort();
    keys.dedup();
    let ids = twin_ids(backend);
    lock_wards(tx, backend, keys.iter().map(|(ward, _, _)| *ward)).await?;
    for (ward, name, year) in keys {
        let key = vec![V::text(subject), V::int(*ward), V::text(name.clone()), V::int(*year)];
        q("DELETE FROM name_twins WHERE subject = $1 AND ward_id = $2 AND folded = $3 AND birth = $4", key.clone())
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        let sql = format!(
            "INSERT INTO name_twins (subject, ward_id, folded, birth, n, ids) \
             SELECT $1, u.parent_id, s.{folded}, COALESCE(s.{birth}, 0), COUNT(*), {ids} \
             FROM {table} s JOIN units u ON u.id = s.unit_id \
             WHERE s.active = 1 AND u.parent_id = $2 AND s.{folded} = $3 AND COALESCE(s.{birth}, 0) = $4 \
             GROUP BY u.parent_id, s.{folded}, COALESCE(s.{birth}, 0) HAVING COUNT(*) > 1"
        );
        q(&sql, key).execute(&mut **tx).await.map_err(err)?;
    }
    Ok(())
}

/// Recounts `name_twins` for `wards`: the folded names and birth years two or more active
/// household heads, or citizens, of the ward's villages and residential groups share (issue 19:
/// possible duplicates kept as records are written).
pub(crate) async fn refresh_twins(tx: &mut Transaction<'static, Any>, backend: Backend, wards: &BTreeSet<i64>) -> StoreResult<()> {
    lock_wards(tx, backend, wards.iter().copied()).await?;
    let wards: Vec<i64> = wards.iter().copied().collect();
    for chunk in wards.chunks(REFRESH_CHUNK) {
        let ph = placeholders(backend, 1, chunk.len());
        let values: Vec<V> = chunk.iter().map(|u| V::int(*u)).collect();
        // By the key's prefix (subject, ward): a scan of every ward's groups otherwise.
        let sql = format!("DELETE FROM name_twins WHERE subject IN ('household', 'person') AND ward_id IN ({ph})");
        q(&sql, values.clone()).execute(&mut **tx).await.map_err(err)?;
        for table in [crate::db::Table::Households, crate::db::Table::People] {
            let Some((subject, folded, birth)) = twin_columns(table) else { continue };
            let ids = twin_ids(backend);
            let sql = format!(
                "INSERT INTO name_twins (subject, ward_id, folded, birth, n, ids) \
                 SELECT '{subject}', u.parent_id, s.{folded}, COALESCE(s.{birth}, 0), COUNT(*), {ids} \
                 FROM {table} s JOIN units u ON u.id = s.unit_id \
                 WHERE s.active = 1 AND u.parent_id IN ({ph}) \
                 GROUP BY u.parent_id, s.{folded}, COALESCE(s.{birth}, 0) HAVING COUNT(*) > 1"
            );
            q(&sql, values.clone()).execute(&mut **tx).await.map_err(err)?;
        }
    }
    Ok(())
}
