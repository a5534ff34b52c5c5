//! Bulk imports: one transaction per file. Each batch of validated rows is one `INSERT … SELECT`
//! from a JSON array bound as one value, which the engine unpacks in C, while the next batch is
//! validated. (PostgreSQL's COPY through a staging table was built and measured against it, and
//! was 3 s slower per million households: the time goes into the table's indexes, which both
//! paths maintain alike — BENCHMARKS.md, issue 19.)
//!
//! At commit the import does what reads much before it takes the audit chain's head — every
//! other writer waits for the head, so an import holding it while it recounts stalls the whole
//! city (issue 19: another ward's writes reached p99 0.5 s). Under the head it only adds the rows
//! it wrote to the kept counts, puts in place the title tallies it counted ahead (PostgreSQL;
//! counted again if another write moved them meanwhile), appends its audit entry and commits.
//! The possible duplicates of its wards are regrouped right after, ward by ward, each under that
//! ward's lock only (`twins_pending` keeps the wards still to do, so an interruption is resumed).

use crate::audit;
use crate::db::{SqlStore, V, err, q};
use std::collections::{BTreeMap, BTreeSet};
use thidua_app::error::StorageError;
use thidua_app::ports::{AssessmentInput, AuditDraft, ImportTx, StoreResult};
use thidua_domain::import::{HouseholdRow, PersonRow};
use thidua_domain::text;

/// Rows per INSERT statement of an import (one JSON text each).
const BATCH: usize = 5_000;

/// SQLite page cache of an import transaction, in KiB.
const IMPORT_CACHE_KIB: u32 = 32_768;

/// Units per statement when the kept counts are moved.
const COUNT_CHUNK: usize = 500;

/// Rows after which a PostgreSQL import analyzes the table it loaded: the planner must not go on
/// believing that a table loaded with millions of rows is empty (autovacuum may be off, or late).
const ANALYZE_AFTER_ROWS: usize = 10_000;

/// A bulk import: one transaction; batches are multi-row INSERTs of at most [`BATCH`] rows.
pub(crate) struct SqlImport {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    store: SqlStore,
    now_ms: i64,
    backend: crate::db::Backend,
    /// Units the import wrote households or people to (their wards' duplicates are regrouped).
    count_units: BTreeSet<i64>,
    /// Households and people written per unit, added to the kept counts at commit.
    added: BTreeMap<i64, (i64, i64)>,
    /// (year, unit) pairs whose title tallies change, recounted at commit.
    tally_pairs: BTreeSet<(i64, i64)>,
    /// Rows written per table, to refresh PostgreSQL's statistics after a bulk load.
    written: BTreeMap<&'static str, usize>,
}

pub(crate) async fn begin(store: &SqlStore) -> StoreResult<Box<dyn ImportTx>> {
    let mut tx = store.begin_write().await?;
    if store.backend == crate::db::Backend::Sqlite {
        // A million-row transaction outgrows SQLite's 2 MB default page cache, which then
        // spills dirty pages to disk mid-transaction; 32 MB keeps the hot index pages in memory.
        q(&format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}"), vec![]).execute(&mut *tx).await.map_err(err)?;
    }
    let now_ms = crate::db::ms(time::OffsetDateTime::now_utc());
    Ok(Box::new(SqlImport {
        tx,
        store: store.clone(),
        now_ms,
        backend: store.backend,
        count_units: Default::default(),
        added: Default::default(),
        tally_pairs: Default::default(),
        written: Default::default(),
    }))
}

/// A value of a row on its way to the database: text or a whole number, either possibly absent.
#[derive(Debug, Clone, Copy)]
pub(crate) enum F<'a> {
    T(Option<&'a str>),
    I(Option<i64>),
}

impl serde::Serialize for F<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            F::T(Some(t)) => s.serialize_str(t),
            F::I(Some(i)) => s.serialize_i64(*i),
            F::T(None) | F::I(None) => s.serialize_none(),
        }
    }
}

/// Where an import's rows go: the table with its columns, their types, and what a conflict does.
#[derive(Debug)]
pub(crate) struct Target {
    /// `table (col, …, created_at, updated_at)`: the row's columns, then the two stamps.
    pub(crate) into: &'static str,
    pub(crate) types: &'static [&'static str],
    /// Appended to the INSERT … SELECT (`""`, or an `ON CONFLICT` clause).
    pub(crate) conflict: &'static str,
}

/// The households an import writes.
static HOUSEHOLDS: Target = Target {
    into: "households (code, unit_id, head_name, head_folded, head_sort_key, head_birth_year, head_gender, address, member_count, created_at, updated_at)",
    types: &["text", "bigint", "text", "text", "text", "bigint", "text", "text", "bigint"],
    conflict: "",
};

/// The citizens an import writes.
static PEOPLE: Target = Target {
    into: "people (code, full_name, name_folded, sort_key, birth_year, gender, unit_id, household_id, position, created_at, updated_at)",
    types: &["text", "text", "text", "text", "bigint", "text", "bigint", "bigint", "text"],
    conflict: "",
};

/// Assessments of subjects not assessed yet: a plain INSERT (ON CONFLICT costs a probe of the
/// unique index per row before the insert; one assessed meanwhile by someone else fails the
/// unique key, and the import with it).
static ASSESSMENTS_NEW: Target = Target { into: crate::assessments::UPSERT_TARGET, types: &crate::assessments::UPSERT_TYPES, conflict: "" };

/// Assessments that may replace stored ones.
static ASSESSMENTS_UPSERT: Target = Target {
    into: crate::assessments::UPSERT_TARGET,
    types: &crate::assessments::UPSERT_TYPES,
    conflict: crate::assessments::UPSERT_CONFLICT,
};

impl SqlImport {
    /// Writes `rows` to `target`, a JSON array per [`BATCH`] rows.
    async fn put(&mut self, target: &'static Target, rows: &[Vec<F<'_>>]) -> StoreResult<()> {
        let mut sql = self.json_insert(target.into, target.types, 2);
        if !target.conflict.is_empty() {
            // SQLite parses `INSERT … SELECT … ON CONFLICT` only after a WHERE clause.
            sql.push_str(" WHERE true");
        }
        sql.push_str(target.conflict);
        for chunk in rows.chunks(BATCH) {
            let mut json = Vec::with_capacity(chunk.len() * 160);
            for (i, row) in chunk.iter().enumerate() {
                push_json_row(&mut json, i, row)?;
            }
            q(&sql, vec![V::text(json_text(json)?)]).execute(&mut *self.tx).await.map_err(err)?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ImportTx for SqlImport {
    async fn insert_households(&mut self, rows: &[(HouseholdRow, i64)]) -> StoreResult<()> {
        *self.written.entry("households").or_default() += rows.len();
        let keys: Vec<(String, String)> = rows.iter().map(|(r, _)| (text::fold(&r.head_name), text::name_sort_key(&r.head_name))).collect();
        let mut values = Vec::with_capacity(rows.len());
        for ((r, unit_id), (folded, key)) in rows.iter().zip(&keys) {
            self.count_units.insert(*unit_id);
            self.added.entry(*unit_id).or_default().0 += 1;
            values.push(vec![
                F::T(Some(r.code.as_str())),
                F::I(Some(*unit_id)),
                F::T(Some(&r.head_name)),
                F::T(Some(folded)),
                F::T(Some(key)),
                F::I(r.head_birth_year.map(i64::from)),
                F::T(r.head_gender.map(|g| g.code())),
                F::T(r.address.as_deref()),
                F::I(r.member_count.map(i64::from)),
            ]);
        }
        self.put(&HOUSEHOLDS, &values).await
    }

    async fn insert_people(&mut self, rows: &[(PersonRow, i64, Option<i64>)]) -> StoreResult<()> {
        *self.written.entry("people").or_default() += rows.len();
        let keys: Vec<(String, String)> =
            rows.iter().map(|(r, ..)| (text::fold(&r.full_name), text::name_sort_key(&r.full_name))).collect();
        let mut values = Vec::with_capacity(rows.len());
        for ((r, unit_id, household_id), (folded, key)) in rows.iter().zip(&keys) {
            self.count_units.insert(*unit_id);
            self.added.entry(*unit_id).or_default().1 += 1;
            values.push(vec![
                F::T(Some(r.code.as_str())),
                F::T(Some(&r.full_name)),
                F::T(Some(folded)),
                F::T(Some(key)),
                F::I(r.birth_year.map(i64::from)),
                F::T(r.gender.map(|g| g.code())),
                F::I(Some(*unit_id)),
                F::I(*household_id),
                F::T(r.position.as_deref()),
            ]);
        }
        self.put(&PEOPLE, &values).await
    }

    async fn upsert_assessments(&mut self, rows: &[AssessmentInput], fresh: bool) -> StoreResult<()> {
        *self.written.entry("assessments").or_default() += rows.len();
        let mut values = Vec::with_capacity(rows.len());
        for a in rows {
            self.tally_pairs.insert((a.year, a.unit_id));
            values.push(vec![
                F::T(Some(&a.title)),
                F::I(Some(a.subject_id)),
                F::I(Some(a.year)),
                F::T(Some(&a.stage)),
                F::I(Some(a.unit_id)),
                F::I(Some(a.level)),
                F::I(Some(a.criteria_set)),
                F::T(Some(&a.answers)),
                F::I(Some(a.points)),
                F::I(Some(i64::from(a.passed))),
                F::T(a.note.as_deref()),
                F::T(Some(&a.assessor)),
            ]);
        }
        self.put(if fresh { &ASSESSMENTS_NEW } else { &ASSESSMENTS_UPSERT }, &values).await
    }

    async fn commit(self: Box<Self>, audit_draft: AuditDraft) -> StoreResult<()> {
        let SqlImport { mut tx, store, backend, count_units, added, tally_pairs, written, .. } = *self;
        // Before the head: statistics, and the wards whose duplicates are to be regrouped.
        if backend == crate::db::Backend::Postgres {
            for (table, _) in written.iter().filter(|(_, n)| **n >= ANALYZE_AFTER_ROWS) {
                q(&format!("ANALYZE {table}"), vec![]).execute(&mut *tx).await.map_err(err)?;
            }
        }
        let wards = crate::twins::wards_of(&mut tx, backend, &count_units).await?;
        crate::twins::mark_pending(&mut tx, &wards, audit_draft.at_ms).await?;
        // PostgreSQL: the tallies are counted ahead (SQLite has one writer: nobody waits).
        let staged = match backend {
            crate::db::Backend::Postgres if !tally_pairs.is_empty() => {
                Some(crate::assessments::stage_tallies(&mut tx, backend, &tally_pairs).await?)
            }
            _ => None,
        };
        // Under the head: only what is quick.
        let head = audit::lock_head(&mut tx).await?;
        match staged {
            Some(staged) => crate::assessments::apply_tallies(&mut tx, backend, &tally_pairs, staged).await?,
            None if !tally_pairs.is_empty() => crate::assessments::refresh_tallies(&mut tx, backend, &tally_pairs).await?,
            None => {}
        }
        if !added.is_empty() {
            add_counts(&mut tx, &added).await?;
        }
        audit::append(&mut tx, head, audit_draft).await?;
        if backend == crate::db::Backend::Sqlite {
            // The connection goes back to the pool with the default cache.
            q("PRAGMA cache_size = -2000", vec![]).execute(&mut *tx).await.map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        // The import stands; a failure to regroup now is resumed by the housekeeping.
        if !wards.is_empty()
            && let Err(e) = crate::twins::refresh_pending(&store).await
        {
            tracing::warn!(error = %e, "possible duplicates of an import's wards not regrouped yet");
        }
        Ok(())
    }
}

/// Adds the households and people an import wrote to the kept counts of their units: the rows
/// are new and active, so the counts move by exactly their number, without a recount (a recount
/// of a village a million rows went into took 11 s under the head on PostgreSQL).
async fn add_counts(tx: &mut sqlx::Transaction<'static, sqlx::Any>, added: &BTreeMap<i64, (i64, i64)>) -> StoreResult<()> {
    let rows: Vec<(&i64, &(i64, i64))> = added.iter().collect();
    for chunk in rows.chunks(COUNT_CHUNK) {
        let mut values = Vec::with_capacity(chunk.len() * 3);
        let tuples: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, (unit, (households, people)))| {
                values.extend([V::int(**unit), V::int(*households), V::int(*people)]);
                let [u, h, p] = [3 * i + 1, 3 * i + 2, 3 * i + 3].map(|n| format!("${n}"));
                format!("({u}, {h}, {p}, 0, {h}, {p})")
            })
            .collect();
        let sql = format!(
            "INSERT INTO unit_counts (unit_id, households, people, clans, households_all, people_all) VALUES {} \
             ON CONFLICT (unit_id) DO UPDATE SET households = unit_counts.households + excluded.households, \
             people = unit_counts.people + excluded.people, households_all = unit_counts.households_all + excluded.households_all, \
             people_all = unit_counts.people_all + excluded.people_all",
            tuples.join(", ")
        );
        q(&sql, values).execute(&mut **tx).await.map_err(err)?;
    }
    crate::assessments::bump_counts(tx).await
}

/// Appends one row (a tuple, serialised as a JSON array) to a JSON array being built.
fn push_json_row<T: serde::Serialize>(json: &mut Vec<u8>, i: usize, row: &T) -> StoreResult<()> {
    json.push(if i == 0 { b'[' } else { b',' });
    serde_json::to_writer(&mut *json, row).map_err(|e| StorageError::Database(e.to_string()))
}

/// The finished JSON array as text (serde_json writes valid UTF-8).
fn json_text(mut json: Vec<u8>) -> StoreResult<String> {
    json.push(b']');
    String::from_utf8(json).map_err(|e| StorageError::Database(e.to_string()))
}

impl SqlImport {
    /// `INSERT INTO <target> SELECT … FROM <the JSON array bound as $1>`: a batch of rows travels
    /// as one JSON text that the database unpacks in C, instead of thousands of bound values
    /// (binding dominated import time). `types` are the JSON columns; `stamps` trailing columns
    /// get the import's timestamp, a number we format ourselves.
    fn json_insert(&self, target: &str, types: &[&str], stamps: usize) -> String {
        let now = self.now_ms;
        let mut cols: Vec<String> = match self.backend {
            crate::db::Backend::Sqlite => (0..types.len()).map(|i| format!("j.value ->> {i}")).collect(),
            crate::db::Backend::Postgres => types
                .iter()
                .enumerate()
                .map(|(i, t)| if *t == "text" { format!("j.value ->> {i}") } else { format!("CAST(j.value ->> {i} AS {t})") })
                .collect(),
        };
        cols.extend((0..stamps).map(|_| now.to_string()));
        let from = match self.backend {
            crate::db::Backend::Sqlite => "jsonb_each(?) AS j",
            crate::db::Backend::Postgres => "jsonb_array_elements(CAST($1 AS jsonb)) AS j(value)",
        };
        format!("INSERT INTO {target} SELECT {} FROM {from}", cols.join(", "))
    }
}
