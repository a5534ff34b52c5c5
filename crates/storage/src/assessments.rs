//! Learning-title assessments, recognition decisions, and the tallies behind coverage.
//!
//! Tallies (`title_tallies`, `unit_counts`) are refreshed for the units a transaction touched,
//! inside that transaction, so that a coverage page reads a few thousand small rows instead of
//! counting millions of assessments; `meta.tally_version` tells every process's cache.

use crate::db::{self, Backend, SqlStore, V, err, get_i64, get_opt_i64, get_opt_str, get_str, q};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeSet;
use thidua_app::error::StorageError;
use thidua_app::ports::*;
use thidua_domain::titles::Subject;

/// Where a subject kind lives: table, alias, name column, sort column, unit column.
struct SubjectTable {
    table: &'static str,
    name: &'static str,
    sort: &'static str,
    unit: &'static str,
}

fn subject_table(subject: Subject) -> SubjectTable {
    match subject {
        Subject::Household => SubjectTable { table: "households", name: "head_name", sort: "head_sort_key", unit: "unit_id" },
        Subject::Citizen => SubjectTable { table: "people", name: "full_name", sort: "sort_key", unit: "unit_id" },
        Subject::Clan => SubjectTable { table: "clans", name: "name", sort: "name_folded", unit: "unit_id" },
        _ => SubjectTable { table: "units", name: "name", sort: "name_folded", unit: "id" },
    }
}

const A_COLUMNS: &str = "a.id, a.title, a.subject_id, a.year, a.stage, a.unit_id, a.level, a.criteria_set, a.answers, a.points, a.passed, \
                         a.note, a.assessor, a.decision_id, a.certificate, a.version, a.updated_at";
const D_COLUMNS: &str = "d.id, d.number, d.signed_on, d.signer, d.signer_title, d.issuing_unit, d.issuing_body, d.title, d.level, d.year, \
                         d.criteria_set, d.subjects, d.created_at, d.created_by";

fn assessment(r: &AnyRow) -> StoreResult<AssessmentRecord> {
    Ok(AssessmentRecord {
        id: get_i64(r, "id")?,
        input: AssessmentInput {
            title: get_str(r, "title")?,
            subject_id: get_i64(r, "subject_id")?,
            year: get_i64(r, "year")?,
            stage: get_str(r, "stage")?,
            unit_id: get_i64(r, "unit_id")?,
            level: get_i64(r, "level")?,
            criteria_set: get_i64(r, "criteria_set")?,
            answers: get_str(r, "answers")?,
            points: get_i64(r, "points")?,
            passed: get_i64(r, "passed")? != 0,
            note: get_opt_str(r, "note")?,
            assessor: get_str(r, "assessor")?,
        },
        decision_id: get_opt_i64(r, "decision_id")?,
        certificate: get_opt_str(r, "certificate")?,
        version: get_i64(r, "version")?,
        updated_at_ms: get_i64(r, "updated_at")?,
    })
}

fn decision(r: &AnyRow) -> StoreResult<DecisionRecord> {
    let signed_on = crate::db::get_date(r, "signed_on")?;
    Ok(DecisionRecord {
        id: get_i64(r, "id")?,
        number: get_str(r, "number")?,
        signed_on,
        signer: get_str(r, "signer")?,
        signer_title: get_str(r, "signer_title")?,
        issuing_unit: get_i64(r, "issuing_unit")?,
        issuing_body: get_str(r, "issuing_body")?,
        title: get_str(r, "title")?,
        level: get_i64(r, "level")?,
        year: get_i64(r, "year")?,
        criteria_set: get_i64(r, "criteria_set")?,
        subjects: get_i64(r, "subjects")?,
        created_at_ms: get_i64(r, "created_at")?,
        created_by: get_str(r, "created_by")?,
    })
}

fn subject_ref(r: &AnyRow) -> StoreResult<SubjectRef> {
    Ok(SubjectRef { id: get_i64(r, "id")?, code: get_str(r, "code")?, name: get_str(r, "name")?, unit_id: get_i64(r, "unit_id")? })
}

pub(crate) fn placeholders(backend: Backend, from: usize, n: usize) -> String {
    (from..from + n).map(|i| backend.placeholder(i)).collect::<Vec<_>>().join(", ")
}

/// Units per statement when refreshing tallies.
pub(crate) const REFRESH_CHUNK: usize = 500;

/// Recounts `unit_counts` for `units`.
pub(crate) async fn refresh_counts(tx: &mut Transaction<'static, Any>, backend: Backend, units: &BTreeSet<i64>) -> StoreResult<()> {
    let units: Vec<i64> = units.iter().copied().collect();
    for chunk in units.chunks(REFRESH_CHUNK) {
        let ph = placeholders(backend, 1, chunk.len());
        let values: Vec<V> = chunk.iter().map(|u| V::int(*u)).collect();
        q(&format!("DELETE FROM unit_counts WHERE unit_id IN ({ph})"), values.clone()).execute(&mut **tx).await.map_err(err)?;
        q(
            &format!(
                "INSERT INTO unit_counts (unit_id, households, people, clans, households_all, people_all) SELECT u.id, \
                 (SELECT COUNT(*) FROM households h WHERE h.unit_id = u.id AND h.active = 1), \
                 (SELECT COUNT(*) FROM people p WHERE p.unit_id = u.id AND p.active = 1), \
                 (SELECT COUNT(*) FROM clans c WHERE c.unit_id = u.id AND c.active = 1), \
                 (SELECT COUNT(*) FROM households h WHERE h.unit_id = u.id), \
                 (SELECT COUNT(*) FROM people p WHERE p.unit_id = u.id) \
                 FROM units u WHERE u.id IN ({ph})"
            ),
            values,
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    }
    bump_counts(tx).await
}

/// Tells every process's cache that some unit's counts changed.
pub(crate) async fn bump_counts(tx: &mut Transaction<'static, Any>) -> StoreResult<()> {
    q("UPDATE meta SET value = value + 1 WHERE key = 'counts_version'", vec![]).execute(&mut **tx).await.map_err(err)?;
    Ok(())
}

/// The columns of a tally row.
const TALLY_COLUMNS: &str = "unit_id, year, title, level, assessed, passed, recognised, unverified";

/// Recounts `title_tallies` for (year, unit) pairs.
pub(crate) async fn refresh_tallies(tx: &mut Transaction<'static, Any>, backend: Backend, pairs: &BTreeSet<(i64, i64)>) -> StoreResult<()> {
    tally_into(tx, backend, pairs, "title_tallies").await?;
    bump_tallies(tx).await
}

/// The tallies of (year, unit) pairs counted into `table` — `title_tallies` (its rows of those
/// pairs replaced) or an import's staging table.
async fn tally_into(tx: &mut Transaction<'static, Any>, backend: Backend, pairs: &BTreeSet<(i64, i64)>, table: &str) -> StoreResult<()> {
    let years: BTreeSet<i64> = pairs.iter().map(|(y, _)| *y).collect();
    for year in years {
        let units: Vec<i64> = pairs.iter().filter(|(y, _)| *y == year).map(|(_, u)| *u).collect();
        for chunk in units.chunks(REFRESH_CHUNK) {
            let ph = placeholders(backend, 2, chunk.len());
            let mut values = vec![V::int(year)];
            values.extend(chunk.iter().map(|u| V::int(*u)));
            if table == "title_tallies" {
                q(&format!("DELETE FROM title_tallies WHERE year = {} AND unit_id IN ({ph})", backend.placeholder(1)), values.clone())
                    .execute(&mut **tx)
                    .await
                    .map_err(err)?;
            }
            q(
                &format!(
                    "INSERT INTO {table} ({TALLY_COLUMNS}) \
                     SELECT a.unit_id, a.year, a.title, a.level, COUNT(DISTINCT a.subject_id), \
                     SUM(CASE WHEN a.stage = 'verified' AND a.passed = 1 THEN 1 ELSE 0 END), \
                     SUM(CASE WHEN a.decision_id IS NOT NULL THEN 1 ELSE 0 END), \
                     SUM(CASE WHEN a.stage = 'self' AND NOT EXISTS (SELECT 1 FROM assessments v WHERE v.title = a.title \
                         AND v.subject_id = a.subject_id AND v.year = a.year AND v.stage = 'verified') THEN 1 ELSE 0 END) \
                     FROM assessments a WHERE a.year = {} AND a.unit_id IN ({ph}) GROUP BY a.unit_id, a.year, a.title, a.level",
                    backend.placeholder(1)
                ),
                values,
            )
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        }
    }
    Ok(())
}

/// The version of the kept tallies and counts as `tx` sees it (every change of them moves it).
async fn tally_version(tx: &mut Transaction<'static, Any>) -> StoreResult<i64> {
    let row = q("SELECT value FROM meta WHERE key = 'tally_version'", vec![]).fetch_one(&mut **tx).await.map_err(err)?;
    row.try_get::<i64, _>(0).map_err(err)
}

/// An import's tallies counted ahead, before it takes the audit head (PostgreSQL: counting a
/// million assessments under the head would hold every other writer of the city).
pub(crate) struct StagedTallies {
    /// The tally version when the counting began.
    version: i64,
}

/// Counts the tallies of `pairs` into a temporary table of the import's transaction.
pub(crate) async fn stage_tallies(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    pairs: &BTreeSet<(i64, i64)>,
) -> StoreResult<StagedTallies> {
    let version = tally_version(tx).await?;
    q(
        "CREATE TEMPORARY TABLE import_tallies (unit_id BIGINT, year BIGINT, title TEXT, level BIGINT, assessed BIGINT, \
         passed BIGINT, recognised BIGINT, unverified BIGINT) ON COMMIT DROP",
        vec![],
    )
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    tally_into(tx, backend, pairs, "import_tallies").await?;
    Ok(StagedTallies { version })
}

/// Under the audit head: puts the staged tallies in place — or, when another write changed the
/// tallies since they were counted (its version moved), counts them again now.
pub(crate) async fn apply_tallies(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    pairs: &BTreeSet<(i64, i64)>,
    staged: StagedTallies,
) -> StoreResult<()> {
    if tally_version(tx).await? != staged.version {
        return refresh_tallies(tx, backend, pairs).await;
    }
    let years: BTreeSet<i64> = pairs.iter().map(|(y, _)| *y).collect();
    for year in years {
        let units: Vec<i64> = pairs.iter().filter(|(y, _)| *y == year).map(|(_, u)| *u).collect();
        for chunk in units.chunks(REFRESH_CHUNK) {
            let mut values = vec![V::int(year)];
            values.extend(chunk.iter().map(|u| V::int(*u)));
            let ph = placeholders(backend, 2, chunk.len());
            let sql = format!("DELETE FROM title_tallies WHERE year = {} AND unit_id IN ({ph})", backend.placeholder(1));
            q(&sql, values).execute(&mut **tx).await.map_err(err)?;
        }
    }
    q(&format!("INSERT INTO title_tallies ({TALLY_COLUMNS}) SELECT {TALLY_COLUMNS} FROM import_tallies"), vec![])
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    bump_tallies(tx).await
}

async fn bump_tallies(tx: &mut Transaction<'static, Any>) -> StoreResult<()> {
    q("UPDATE meta SET value = value + 1 WHERE key = 'tally_version'", vec![]).execute(&mut **tx).await.map_err(err)?;
    Ok(())
}

/// The unit a household, person or clan is attached to, read inside a write transaction.
pub(crate) async fn unit_of(tx: &mut Transaction<'static, Any>, table: crate::db::Table, id: i64) -> StoreResult<Option<i64>> {
    let row = q(&format!("SELECT unit_id FROM {table} WHERE id = $1"), vec![V::int(id)]).fetch_optional(&mut **tx).await.map_err(err)?;
    row.map(|r| r.try_get::<i64, _>(0).map_err(err)).transpose()
}

/// The columns of an assessment upsert and their types (see `import::Target`).
pub(crate) const UPSERT_TARGET: &str = "assessments (title, subject_id, year, stage, unit_id, level, criteria_set, answers, points, passed, note, assessor, created_at, updated_at)";
pub(crate) const UPSERT_TYPES: [&str; 12] =
    ["text", "bigint", "bigint", "text", "bigint", "bigint", "bigint", "text", "bigint", "bigint", "text", "text"];

/// What an upsert of a batch does with a subject already assessed: replace it, unless a
/// decision recognised it. (An `INSERT … SELECT` needs a WHERE clause before it for SQLite to
/// parse it.)
pub(crate) const UPSERT_CONFLICT: &str = " ON CONFLICT (title, subject_id, year, stage) DO UPDATE SET unit_id = excluded.unit_id, \
     level = excluded.level, criteria_set = excluded.criteria_set, answers = excluded.answers, points = excluded.points, \
     passed = excluded.passed, note = excluded.note, assessor = excluded.assessor, updated_at = excluded.updated_at, \
     version = assessments.version + 1 WHERE assessments.decision_id IS NULL";

impl SqlStore {
    /// The WHERE clause of an assessment list (over `assessments a JOIN units u`) and its values.
    fn assessment_where(scope: &Scope, f: &AssessmentFilter) -> (Vec<String>, db::Binds) {
        let mut b = db::Binds::new();
        let mut wh = vec![db::scope_clause(scope, "u", &mut b)];
        wh.push(format!("a.title = {}", b.bind(V::text(f.title.clone()))));
        if let Some(y) = f.year {
            wh.push(format!("a.year = {}", b.bind(V::int(y))));
        }
        if let Some(unit) = f.unit {
            // Driven from the units of the subtree, so that each reads its own assessments
            // through the (unit_id, year, title) index instead of scanning the title.
            wh.push(format!(
                "a.unit_id IN (SELECT y.id FROM units y WHERE y.path LIKE (SELECT x.path FROM units x WHERE x.id = {}) || '%')",
                b.bind(V::int(unit))
            ));
        }
        if let Some(stage) = &f.stage {
            wh.push(format!("a.stage = {}", b.bind(V::text(stage.clone()))));
        }
        if let Some(p) = f.passed {
            wh.push(format!("a.passed = {}", b.bind(V::flag(p))));
        }
        match f.decided {
            Some(true) => wh.push("a.decision_id IS NOT NULL".into()),
            Some(false) => wh.push("a.decision_id IS NULL".into()),
            None => {}
        }
        if let Some(d) = f.decision {
            wh.push(format!("a.decision_id = {}", b.bind(V::int(d))));
        }
        (wh, b)
    }
}

fn values(a: &AssessmentInput, now: i64) -> Vec<V> {
    vec![
        V::text(a.title.clone()),
        V::int(a.subject_id),
        V::int(a.year),
        V::text(a.stage.clone()),
        V::int(a.unit_id),
        V::int(a.level),
        V::int(a.criteria_set),
        V::text(a.answers.clone()),
        V::int(a.points),
        V::flag(a.passed),
        V::opt_text(a.note.clone()),
        V::text(a.assessor.clone()),
        V::int(now),
    ]
}

#[async_trait::async_trait]
impl thidua_app::ports::TitlesStore for SqlStore {
    async fn subjects_by_code(&self, subject: Subject, codes: &[String]) -> StoreResult<Vec<SubjectRef>> {
        if codes.is_empty() {
            return Ok(vec![]);
        }
        let t = subject_table(subject);
        // The codes travel as one value (a JSON array on SQLite, a text[] on PostgreSQL): with
        // thousands of bound parameters PostgreSQL spent more time planning than looking up.
        let (list, codes_value) = match self.backend {
            Backend::Sqlite => (
                "code IN (SELECT value FROM json_each(?))".to_string(),
                serde_json::to_string(codes).map_err(|e| StorageError::Database(e.to_string()))?,
            ),
            Backend::Postgres => {
                let quoted: Vec<String> = codes.iter().map(|c| format!("\"{}\"", c.replace('\\', "\\\\").replace('"', "\\\""))).collect();
                ("code = ANY(CAST($1 AS text[]))".to_string(), format!("{{{}}}", quoted.join(",")))
            }
        };
        let sql = format!("SELECT id, code, {} AS name, {} AS unit_id FROM {} WHERE {list}", t.name, t.unit, t.table);
        self.fetch(&sql, vec![V::text(codes_value)]).await?.iter().map(subject_ref).collect()
    }
    async fn subject_by_id(&self, subject: Subject, id: i64) -> StoreResult<Option<SubjectRef>> {
        let t = subject_table(subject);
        let sql = format!("SELECT id, code, {} AS name, {} AS unit_id FROM {} WHERE id = $1", t.name, t.unit, t.table);
        self.fetch_opt(&sql, vec![V::int(id)]).await?.as_ref().map(subject_ref).transpose()
    }
    async fn subjects_of_unit(&self, subject: Subject, unit: i64) -> StoreResult<Vec<SubjectRef>> {
        let t = subject_table(subject);
        let sql = format!(
            "SELECT id, code, {} AS name, {} AS unit_id FROM {} WHERE {} = $1 AND active = 1 ORDER BY {}, code",
            t.name, t.unit, t.table, t.unit, t.sort
        );
        self.fetch(&sql, vec![V::int(unit)]).await?.iter().map(subject_ref).collect()
    }
    async fn assessed_subjects(&self, title: &str, year: i64, stage: &str, subjects: &[i64]) -> StoreResult<Vec<(i64, bool)>> {
        // The ids travel as one value: a JSON array on SQLite, a bigint[] on PostgreSQL, where
        // a list of 5,000 bound parameters was compared with every row of a scan, and a join
        // with the array's elements was planned as a scan per element while the table's
        // statistics were stale (400 s a batch).
        let from = match self.backend {
            Backend::Sqlite => {
                "assessments a WHERE a.subject_id IN (SELECT value FROM json_each(?)) AND a.title = ? AND a.year = ? AND a.stage = ?"
            }
            Backend::Postgres => {
                "assessments a WHERE a.subject_id = ANY(CAST($1 AS bigint[])) AND a.title = $2 AND a.year = $3 AND a.stage = $4"
            }
        };
        let mut out = Vec::new();
        let mut tx = self.begin().await?;
        if self.backend == Backend::Postgres {
            // While a bulk import fills the table, PostgreSQL's statistics still describe it as
            // nearly empty and it plans a sequential scan per id (20 s a batch on the first
            // ward of the Hanoi-scale run); the lookup is by key, always.
            q("SET LOCAL enable_seqscan = off", vec![]).execute(&mut *tx).await.map_err(err)?;
        }
        for chunk in subjects.chunks(5_000) {
            let list = chunk.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            let ids = if self.backend == Backend::Sqlite { format!("[{list}]") } else { format!("{{{list}}}") };
            let values = vec![V::text(ids), V::text(title), V::int(year), V::text(stage)];
            for r in q(&format!("SELECT a.subject_id, a.decision_id FROM {from}"), values).fetch_all(&mut *tx).await.map_err(err)? {
                out.push((get_i64(&r, "subject_id")?, get_opt_i64(&r, "decision_id")?.is_some()));
            }
        }
        tx.commit().await.map_err(err)?;
        Ok(out)
    }
    async fn save_assessment(&self, a: &AssessmentInput, expected: Option<i64>, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let now = audit_draft.at_ms;
        let existing = q(
            "SELECT id, unit_id, decision_id, version FROM assessments WHERE title = $1 AND subject_id = $2 AND year = $3 AND stage = $4",
            vec![V::text(a.title.clone()), V::int(a.subject_id), V::int(a.year), V::text(a.stage.clone())],
        )
        .fetch_optional(&mut **tx)
        .await
        .map_err(err)?;
        let mut pairs = BTreeSet::from([(a.year, a.unit_id)]);
        let id = match (existing, expected) {
            (None, _) => {
                let row = q(
                    "INSERT INTO assessments (title, subject_id, year, stage, unit_id, level, criteria_set, answers, points, passed, note, assessor, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
                    values(a, now),
                )
                .fetch_one(&mut **tx)
                .await
                .map_err(err)?;
                row.try_get::<i64, _>(0).map_err(err)?
            }
            (Some(r), Some(expected)) => {
                let id = get_i64(&r, "id")?;
                if get_opt_i64(&r, "decision_id")?.is_some() || get_i64(&r, "version")? != expected {
                    return Err(StorageError::Stale);
                }
                pairs.insert((a.year, get_i64(&r, "unit_id")?));
                let mut v = values(a, now);
                v.extend([V::int(id), V::int(expected)]);
                db::update_versioned(
                    &mut tx,
                    "UPDATE assessments SET title = $1, subject_id = $2, year = $3, stage = $4, unit_id = $5, level = $6, criteria_set = $7, \
                     answers = $8, points = $9, passed = $10, note = $11, assessor = $12, updated_at = $13, version = version + 1 \
                     WHERE id = $14 AND version = $15 AND decision_id IS NULL",
                    v,
                )
                .await?;
                id
            }
            // A new assessment for a subject that has one: someone else entered it first.
            (Some(_), None) => return Err(StorageError::Unique("assessments_subject_key".into())),
        };
        refresh_tallies(&mut tx, self.backend, &pairs).await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..audit_draft }).await?;
        Ok(id)
    }
    async fn assessment(&self, id: i64) -> StoreResult<Option<AssessmentRecord>> {
        self.fetch_opt(&format!("SELECT {A_COLUMNS} FROM assessments a WHERE a.id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(assessment)
            .transpose()
    }
    async fn assessments(&self, scope: &Scope, f: &AssessmentFilter, page: PageRequest) -> StoreResult<Page<AssessmentItem>> {
        let subject = thidua_domain::titles::title(&f.title).map(|t| t.subject).unwrap_or(Subject::Unit);
        let t = subject_table(subject);
        let (wh, values) = Self::assessment_where(scope, f);
        let from = format!(
            "FROM assessments a JOIN units u ON u.id = a.unit_id JOIN {} s ON s.id = a.subject_id WHERE {}",
            t.table,
            wh.join(" AND ")
        );
        let select = format!("{A_COLUMNS}, s.code AS subject_code, s.{} AS subject_name, u.name AS unit_name", t.name);
        let order = format!("u.name_folded, s.{}, a.stage", t.sort);
        self.paged((&select, &from, &order), values, page, |r| {
            Ok(AssessmentItem {
                record: assessment(r)?,
                subject_code: get_str(r, "subject_code")?,
                subject_name: get_str(r, "subject_name")?,
                unit_name: get_str(r, "unit_name")?,
            })
        })
        .await
    }
    /// Ids of the assessments a filter selects (no names, no order): the candidates of a decision.
    async fn assessment_ids(&self, scope: &Scope, f: &AssessmentFilter) -> StoreResult<Vec<(i64, i64)>> {
        let (wh, values) = Self::assessment_where(scope, f);
        let sql = format!("SELECT a.id, a.level FROM assessments a JOIN units u ON u.id = a.unit_id WHERE {}", wh.join(" AND "));
        self.fetch(&sql, values.into_values()).await?.iter().map(|r| Ok((get_i64(r, "id")?, get_i64(r, "level")?))).collect()
    }
    async fn subject_assessments(&self, title: &str, subject_id: i64) -> StoreResult<Vec<AssessmentRecord>> {
        self.fetch(
            &format!("SELECT {A_COLUMNS} FROM assessments a WHERE a.title = $1 AND a.subject_id = $2 ORDER BY a.year, a.stage"),
            vec![V::text(title), V::int(subject_id)],
        )
        .await?
        .iter()
        .map(assessment)
        .collect()
    }
    async fn issue_decision(&self, d: &DecisionInput, created_by: &str, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let row = q(
            "INSERT INTO recognition_decisions (number, signed_on, signer, signer_title, issuing_unit, issuing_body, title, level, year, \
             criteria_set, subjects, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            vec![
                V::text(d.number.clone()),
                V::text(d.signed_on.to_string()),
                V::text(d.signer.clone()),
                V::text(d.signer_title.clone()),
                V::int(d.issuing_unit),
                V::text(d.issuing_body.clone()),
                V::text(d.title.clone()),
                V::int(d.level),
                V::int(d.year),
                V::int(d.criteria_set),
                V::int(i64::try_from(d.assessments.len()).unwrap_or(i64::MAX)),
                V::int(audit_draft.at_ms),
                V::text(created_by),
            ],
        )
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        // A certificate code: 64 random bits in hex, from the database's own generator.
        let random = match self.backend {
            Backend::Sqlite => "lower(hex(randomblob(8)))",
            Backend::Postgres => "substr(md5(random()::text || clock_timestamp()::text || a.id::text), 1, 16)",
        };
        let mut pairs = BTreeSet::new();
        for chunk in d.assessments.chunks(5_000) {
            // Only the ids select the rows (a primary-key lookup each); the conditions are
            // checked on what the statement returns, and any mismatch rolls the whole decision
            // back. With `title = ?` in the WHERE clause SQLite walked the title's whole index
            // instead (0.2 s per 5,000 rows at 2 million assessments, growing with the table).
            let ph = placeholders(self.backend, 3, chunk.len());
            let mut values = vec![V::int(id), V::int(audit_draft.at_ms)];
            values.extend(chunk.iter().map(|a| V::int(*a)));
            let sql = format!(
                "UPDATE assessments AS a SET decision_id = {}, certificate = {random}, updated_at = {}, version = version + 1 \
                 WHERE a.id IN ({ph}) AND a.decision_id IS NULL RETURNING unit_id, title, year, level, stage, passed",
                self.backend.placeholder(1),
                self.backend.placeholder(2),
            );
            let rows = q(&sql, values).fetch_all(&mut **tx).await.map_err(err)?;
            if rows.len() != chunk.len() {
                // One of them was recognised by another decision meanwhile, or is gone.
                return Err(StorageError::Stale);
            }
            for r in rows {
                let qualifies = get_str(&r, "title")? == d.title
                    && get_i64(&r, "year")? == d.year
                    && get_i64(&r, "level")? == d.level
                    && get_str(&r, "stage")? == "verified"
                    && get_i64(&r, "passed")? == 1;
                if !qualifies {
                    // Changed since the list was read, or never qualified: nothing is kept.
                    return Err(StorageError::Stale);
                }
                pairs.insert((d.year, get_i64(&r, "unit_id")?));
            }
        }
        refresh_tallies(&mut tx, self.backend, &pairs).await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..audit_draft }).await?;
        Ok(id)
    }
    async fn decision(&self, id: i64) -> StoreResult<Option<DecisionRecord>> {
        self.fetch_opt(&format!("SELECT {D_COLUMNS} FROM recognition_decisions d WHERE d.id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(decision)
            .transpose()
    }
    async fn decisions(&self, scope: &Scope, page: PageRequest) -> StoreResult<Page<DecisionRecord>> {
        let mut b = db::Binds::new();
        let clause = db::scope_clause(scope, "u", &mut b);
        let from = format!("FROM recognition_decisions d JOIN units u ON u.id = d.issuing_unit WHERE {clause}");
        self.paged((D_COLUMNS, &from, "d.signed_on DESC, d.id DESC"), b, page, decision).await
    }
    async fn certificate(&self, code: &str) -> StoreResult<Option<(AssessmentRecord, DecisionRecord)>> {
        let Some(row) =
            self.fetch_opt(&format!("SELECT {A_COLUMNS} FROM assessments a WHERE a.certificate = $1"), vec![V::text(code)]).await?
        else {
            return Ok(None);
        };
        let a = assessment(&row)?;
        let Some(d) = (match a.decision_id {
            Some(id) => self.decision(id).await?,
            None => None,
        }) else {
            return Ok(None);
        };
        Ok(Some((a, d)))
    }
    async fn coverage_versions(&self) -> StoreResult<(i64, i64)> {
        let rows = self.fetch("SELECT key, value FROM meta WHERE key IN ('tally_version', 'counts_version')", vec![]).await?;
        let (mut tallies, mut counts) = (None, None);
        for r in &rows {
            match get_str(r, "key")?.as_str() {
                "tally_version" => tallies = Some(get_i64(r, "value")?),
                _ => counts = Some(get_i64(r, "value")?),
            }
        }
        match (tallies, counts) {
            (Some(t), Some(c)) => Ok((t, c)),
            _ => Err(StorageError::Database("meta: tally_version or counts_version missing".into())),
        }
    }
    async fn tallies(&self, year: i64) -> StoreResult<Vec<TallyRow>> {
        self.fetch("SELECT unit_id, title, level, assessed, passed, recognised FROM title_tallies WHERE year = $1", vec![V::int(year)])
            .await?
            .iter()
            .map(|r| {
                Ok(TallyRow {
                    unit_id: get_i64(r, "unit_id")?,
                    title: get_str(r, "title")?,
                    level: get_i64(r, "level")?,
                    assessed: get_i64(r, "assessed")?,
                    passed: get_i64(r, "passed")?,
                    recognised: get_i64(r, "recognised")?,
                })
            })
            .collect()
    }
    async fn unit_counts(&self) -> StoreResult<Vec<(i64, UnitCounts)>> {
        self.fetch("SELECT unit_id, households, people, clans FROM unit_counts", vec![])
            .await?
            .iter()
            .map(|r| {
                Ok((
                    get_i64(r, "unit_id")?,
                    UnitCounts { households: get_i64(r, "households")?, people: get_i64(r, "people")?, clans: get_i64(r, "clans")? },
                ))
            })
            .collect()
    }
    async fn unverified_counts(&self, scope: &Scope, year: i64) -> StoreResult<Vec<(String, i64)>> {
        // Kept in `title_tallies` with the assessments (migration 0023), summed over the scope.
        let mut b = db::Binds::new();
        let clause = db::scope_clause(scope, "u", &mut b);
        let y = b.bind(V::int(year));
        let sql = format!(
            "SELECT t.title AS title, CAST(SUM(t.unverified) AS BIGINT) AS n FROM title_tallies t JOIN units u ON u.id = t.unit_id \
             WHERE {clause} AND t.year = {y} GROUP BY t.title HAVING SUM(t.unverified) > 0 ORDER BY t.title"
        );
        let rows = self.fetch(&sql, b.into_values()).await?;
        rows.iter().map(|r| Ok((get_str(r, "title")?, get_i64(r, "n")?))).collect()
    }
    async fn duplicate_subjects(&self, scope: &Scope, title: &str, year: i64, page: PageRequest) -> StoreResult<Page<DuplicateGroup>> {
        let (kind, table, name) = match thidua_domain::titles::title(title).map(|t| t.subject) {
            Some(Subject::Household) => ("household", "households", "head_name"),
            Some(Subject::Citizen) => ("person", "people", "full_name"),
            _ => return Ok(Page::new(vec![], 0, &page)),
        };
        // The kept groups of the wards in scope (issue 19: written with the records, never
        // searched at request time), a page of them with their true count.
        let mut b = db::Binds::new();
        let clause = db::scope_clause(scope, "u", &mut b);
        let kind = b.bind(V::text(kind));
        // The wards in scope as a set (the key's second column), and the index's own order: the
        // count reads the key alone and a page stops after its rows.
        let from = format!("FROM name_twins t WHERE t.subject = {kind} AND t.ward_id IN (SELECT u.id FROM units u WHERE {clause})");
        let mut groups = self
            .paged(("t.ward_id, t.birth, t.ids", &from, "t.folded, t.ward_id, t.birth"), b, page, |r| {
                let ids: Vec<i64> = get_str(r, "ids")?.split(',').filter_map(|x| x.trim().parse().ok()).collect();
                Ok((get_i64(r, "ward_id")?, get_i64(r, "birth")?, ids))
            })
            .await?;
        // Their records, and which were assessed for the title in the year, read by key.
        let ids: Vec<i64> = groups.items.iter().flat_map(|g| g.2.iter().copied()).collect();
        let mut subjects = std::collections::HashMap::new();
        let mut assessed = std::collections::HashSet::new();
        for chunk in ids.chunks(REFRESH_CHUNK) {
            let ph = placeholders(self.backend, 1, chunk.len());
            let values: Vec<V> = chunk.iter().map(|i| V::int(*i)).collect();
            let sql = format!("SELECT id, code, {name} AS name, unit_id FROM {table} WHERE id IN ({ph})");
            for r in self.fetch(&sql, values.clone()).await? {
                let s = subject_ref(&r)?;
                subjects.insert(s.id, s);
            }
            let ph = placeholders(self.backend, 3, chunk.len());
            let mut with = vec![V::text(title), V::int(year)];
            with.extend(values);
            let sql = format!("SELECT DISTINCT subject_id FROM assessments WHERE title = $1 AND year = $2 AND subject_id IN ({ph})");
            for r in self.fetch(&sql, with).await? {
                assessed.insert(get_i64(&r, "subject_id")?);
            }
        }
        let items = std::mem::take(&mut groups.items)
            .into_iter()
            .map(|(ward_id, birth, ids)| {
                let members: Vec<SubjectRef> = ids.iter().filter_map(|i| subjects.get(i).cloned()).collect();
                DuplicateGroup {
                    name: members.first().map(|m| m.name.clone()).unwrap_or_default(),
                    birth_year: (birth != 0).then_some(birth),
                    ward_id,
                    assessed: members.iter().filter(|m| assessed.contains(&m.id)).map(|m| m.id).collect(),
                    subjects: members,
                }
            })
            .collect();
        Ok(groups.with_items(items))
    }
}
