//! The two migration folders (`storage/migrations/sqlite` and `…/postgres`) describe one schema.
//! Both are applied to fresh databases and what the engines report back is compared: tables,
//! columns with their type family, nullability and primary key, indexes (columns, uniqueness,
//! partial or not), foreign keys and the number of CHECK constraints of each table. A column
//! added to one folder and forgotten in the other fails here, not in production.

use crate::support::{Engine, TestDb};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// One table as both engines can describe it.
#[derive(Debug, Default, PartialEq)]
struct Table {
    /// column → (type family, not null)
    columns: BTreeMap<String, (&'static str, bool)>,
    primary_key: Vec<String>,
    /// (columns, unique, partial)
    indexes: BTreeSet<(Vec<String>, bool, bool)>,
    /// (column, referenced table, referenced column)
    foreign_keys: BTreeSet<(String, String, String)>,
    checks: usize,
}

/// The family of a declared type: what the application may rely on whichever engine stores it.
fn family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") || t == "boolean" || t == "bool" {
        // SQLite has no boolean: both store 0/1 as integers (sqlx's Any driver reads them so).
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("real") || t.contains("double") || t.contains("float") || t.contains("numeric") {
        "real"
    } else if t.contains("blob") || t == "bytea" {
        "bytes"
    } else {
        "other"
    }
}

async fn sqlite_schema(url: &str) -> BTreeMap<String, Table> {
    let store = thidua_storage::connect(url, 1).await.expect("migrated");
    let pool = store.pool();
    let mut out = BTreeMap::new();
    let tables = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    for t in tables {
        let (name, sql): (String, String) = (t.get(0), t.get(1));
        let mut table = Table { checks: sql.to_ascii_uppercase().matches("CHECK").count(), ..Table::default() };
        let q = format!("SELECT name, type, \"notnull\", pk FROM pragma_table_info('{name}') ORDER BY pk, cid");
        let mut pk = Vec::new();
        for c in sqlx::query(sqlx::AssertSqlSafe(q)).fetch_all(pool).await.expect("columns") {
            let (col, ty, notnull, key): (String, String, i64, i64) = (c.get(0), c.get(1), c.get(2), c.get(3));
            if key > 0 {
                pk.push((key, col.clone()));
            }
            // A primary key column is never null, whatever its declaration says.
            table.columns.insert(col, (family(&ty), notnull == 1 || key > 0));
        }
        pk.sort();
        table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        let q = format!("SELECT name, \"unique\", origin, partial FROM pragma_index_list('{name}')");
        for i in sqlx::query(sqlx::AssertSqlSafe(q)).fetch_all(pool).await.expect("indexes") {
            let (index, unique, origin, partial): (String, i64, String, i64) = (i.get(0), i.get(1), i.get(2), i.get(3));
            if origin == "pk" {
                continue;
            }
            let q = format!("SELECT name FROM pragma_index_info('{index}') ORDER BY seqno");
            let cols = sqlx::query(sqlx::AssertSqlSafe(q)).fetch_all(pool).await.expect("index columns");
            let cols: Vec<String> = cols.iter().map(|r| r.try_get::<String, _>(0).unwrap_or_else(|_| "(expression)".into())).collect();
            table.indexes.insert((cols, unique == 1, partial == 1));
        }
        let q = format!("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{name}')");
        for f in sqlx::query(sqlx::AssertSqlSafe(q)).fetch_all(pool).await.expect("foreign keys") {
            let to: Option<String> = f.get(2);
            let (from, target): (String, String) = (f.get(0), f.get(1));
            // `REFERENCES t` without a column names t's primary key.
            table.foreign_keys.insert((from, target, to.unwrap_or_else(|| "id".into())));
        }
        out.insert(name, table);
    }
    store.pool().close().await;
    out
}

async fn postgres_schema(url: &str) -> BTreeMap<String, Table> {
    let store = thidua_storage::connect(url, 1).await.expect("migrated");
    let pool = store.pool();
    let mut out: BTreeMap<String, Table> = BTreeMap::new();
    let columns = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx%' ORDER BY table_name, ordinal_position",
    )
    .fetch_all(pool)
    .await
    .expect("columns");
    for c in columns {
        let (table, col, ty, nullable): (String, String, String, String) = (c.get(0), c.get(1), c.get(2), c.get(3));
        out.entry(table).or_default().columns.insert(col, (family(&ty), nullable == "NO"));
    }
    // Indexes and keys from the catalogue: columns in key order, by name.
    let indexes = sqlx::query(
        "SELECT t.relname::text, i.indisprimary, i.indisunique, i.indpred IS NOT NULL, \
                COALESCE((SELECT string_agg(COALESCE(a.attname::text, '(expression)'), ',' ORDER BY k.ord) \
                 FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) \
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum), '') \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .expect("indexes");
    for i in indexes {
        let (table, primary, unique, partial, cols): (String, bool, bool, bool, String) =
            (i.get(0), i.get(1), i.get(2), i.get(3), i.get(4));
        let cols: Vec<String> = cols.split(',').map(str::to_string).collect();
        let t = out.entry(table).or_default();
        if primary {
            t.primary_key = cols;
        } else {
            t.indexes.insert((cols, unique, partial));
        }
    }
    let constraints = sqlx::query(
        "SELECT t.relname::text, c.contype::text, \
                COALESCE((SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1]), ''), \
                COALESCE(r.relname::text, ''), \
                COALESCE((SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.confrelid AND a.attnum = c.confkey[1]), '') \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         LEFT JOIN pg_class r ON r.oid = c.confrelid \
         WHERE n.nspname = 'public' AND c.contype IN ('f', 'c')",
    )
    .fetch_all(pool)
    .await
    .expect("constraints");
    for c in constraints {
        let (table, kind, from, target, to): (String, String, String, String, String) = (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4));
        let t = out.entry(table).or_default();
        if kind == "f" {
            t.foreign_keys.insert((from, target, to));
        } else {
            t.checks += 1;
        }
    }
    store.pool().close().await;
    out
}

/// Every difference between the two descriptions, in words.
fn differences(sqlite: &BTreeMap<String, Table>, postgres: &BTreeMap<String, Table>) -> Vec<String> {
    let mut out = Vec::new();
    for name in sqlite.keys().chain(postgres.keys()).collect::<BTreeSet<_>>() {
        let (Some(s), Some(p)) = (sqlite.get(name), postgres.get(name)) else {
            out.push(format!("table {name}: only in {}", if sqlite.contains_key(name) { "SQLite" } else { "PostgreSQL" }));
            continue;
        };
        for col in s.columns.keys().chain(p.columns.keys()).collect::<BTreeSet<_>>() {
            if s.columns.get(col) != p.columns.get(col) {
                out.push(format!("{name}.{col}: SQLite {:?}, PostgreSQL {:?}", s.columns.get(col), p.columns.get(col)));
            }
        }
        if s.primary_key != p.primary_key {
            out.push(format!("{name}: primary key SQLite {:?}, PostgreSQL {:?}", s.primary_key, p.primary_key));
        }
        for i in s.indexes.symmetric_difference(&p.indexes) {
            out.push(format!("{name}: index {i:?} only in {}", if s.indexes.contains(i) { "SQLite" } else { "PostgreSQL" }));
        }
        for f in s.foreign_keys.symmetric_difference(&p.foreign_keys) {
            out.push(format!("{name}: foreign key {f:?} only in {}", if s.foreign_keys.contains(f) { "SQLite" } else { "PostgreSQL" }));
        }
        if s.checks != p.checks {
            out.push(format!("{name}: {} CHECK constraints in SQLite, {} in PostgreSQL", s.checks, p.checks));
        }
    }
    out
}

#[tokio::test]
async fn both_migration_folders_build_the_same_schema() {
    if crate::support::pg_url().is_none() {
        return;
    }
    let (lite, pg) = (TestDb::empty(Engine::Sqlite).await, TestDb::empty(Engine::Postgres).await);
    let sqlite = sqlite_schema(&lite.url).await;
    let postgres = postgres_schema(&pg.url).await;
    assert!(sqlite.len() > 20, "the SQLite schema was read: {:?}", sqlite.keys());
    let diff = differences(&sqlite, &postgres);
    let unexplained: Vec<&String> = diff.iter().filter(|d| !ACCEPTED.iter().any(|(a, _)| a == d)).collect();
    assert!(
        unexplained.is_empty(),
        "the two migration folders disagree ({} differences):\n{}",
        unexplained.len(),
        unexplained.iter().map(|d| d.as_str()).collect::<Vec<_>>().join("\n")
    );
    for (accepted, why) in ACCEPTED {
        assert!(diff.iter().any(|d| d == accepted), "«{accepted}» ({why}) is no longer a difference: take it off ACCEPTED");
    }
}

/// Differences made on purpose, each with its reason.
const ACCEPTED: &[(&str, &str)] = &[
    (
        "assessments: foreign key (\"criteria_set\", \"criteria_sets\", \"id\") only in SQLite",
        "0005: PostgreSQL checked the key with one query per row of a bulk import; criteria-set versions are never deleted (a trigger refuses it on both engines)",
    ),
    (
        "assessments: foreign key (\"unit_id\", \"units\", \"id\") only in SQLite",
        "0005: as above; units are deactivated, never deleted (a trigger refuses it on both engines)",
    ),
    (
        "table households_search: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table households_search_config: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table households_search_data: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table households_search_docsize: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table households_search_idx: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table people_search: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table people_search_config: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table people_search_data: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table people_search_docsize: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "table people_search_idx: only in SQLite",
        "0022: SQLite's trigram index of the folded names (FTS5 and its shadow tables); PostgreSQL indexes the column itself with pg_trgm",
    ),
    (
        "households: index ([\"head_folded\"], false, false) only in PostgreSQL",
        "0022: PostgreSQL's pg_trgm index of the folded head names; SQLite keeps households_search",
    ),
    (
        "households: index ([\"code\"], false, false) only in PostgreSQL",
        "0022: PostgreSQL compares codes byte by byte for a search by their beginning (COLLATE \"C\"); SQLite's own index on the code does",
    ),
    ("people: index ([\"code\"], false, false) only in PostgreSQL", "0022: as above"),
    (
        "people: index ([\"name_folded\"], false, false) only in PostgreSQL",
        "0022: PostgreSQL's pg_trgm index of the folded names; SQLite keeps people_search",
    ),
];

#[test]
fn a_column_missing_on_one_side_is_a_difference() {
    let mut a = BTreeMap::new();
    a.insert("units".to_string(), Table { columns: [("name".to_string(), ("text", true))].into(), ..Table::default() });
    let mut b = BTreeMap::new();
    b.insert("units".to_string(), Table::default());
    assert_eq!(differences(&a, &b), vec!["units.name: SQLite Some((\"text\", true)), PostgreSQL None".to_string()]);
}

#[tokio::test]
async fn decision_dates_stored_as_dd_mm_yyyy_become_iso_and_iso_ones_stay() {
    for engine in crate::support::engines() {
        let db = TestDb::demo(engine).await;
        crate::support::open(&db.url).await; // the shipped campaigns
        let store = thidua_storage::connect(&db.url, 1).await.expect("migrated");
        let pool = store.pool();
        let campaign: i64 = sqlx::query("SELECT MIN(id) FROM campaigns").fetch_one(pool).await.expect("campaign").get(0);
        for (number, date) in [("1/TTr-CU", "20/06/2030"), ("2/TTr-MOI", "2030-06-21")] {
            let sql = format!(
                "INSERT INTO consolidations (campaign_id, level, number, signed_on, created_at, created_by) \
                 VALUES ({campaign}, 'bang_khen_ubnd_tp', '{number}', '{date}', 0, 'test')"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await.expect("insert");
        }
        let migration = match engine {
            Engine::Sqlite => include_str!("../../../storage/migrations/sqlite/0013_iso_decision_dates.sql"),
            Engine::Postgres => include_str!("../../../storage/migrations/postgres/0013_iso_decision_dates.sql"),
        };
        sqlx::raw_sql(sqlx::AssertSqlSafe(migration.to_string())).execute(pool).await.expect("the migration runs again");
        let rows = sqlx::query("SELECT number, signed_on FROM consolidations WHERE created_by = 'test' ORDER BY number")
            .fetch_all(pool)
            .await
            .expect("read");
        let dates: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(
            dates,
            vec![("1/TTr-CU".to_string(), "2030-06-20".to_string()), ("2/TTr-MOI".to_string(), "2030-06-21".to_string())],
            "{engine:?}"
        );
        store.pool().close().await;
    }
}

/// The migrations of `engine` whose file names sort from `from` to before `before`, each in its
/// own transaction (as sqlx applies them).
async fn migrate_range(pool: &sqlx::AnyPool, engine: Engine, (from, before): (&str, &str)) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../storage/migrations").join(match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    });
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("migrations").map(|e| e.expect("entry").path()).collect();
    files.sort();
    for f in files.iter().filter(|f| f.file_name().and_then(|n| n.to_str()).is_some_and(|n| from <= n && n < before)) {
        let sql = std::fs::read_to_string(f).expect("read");
        let mut tx = pool.begin().await.expect("begin");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await.unwrap_or_else(|e| panic!("{f:?}: {e}"));
        tx.commit().await.expect("commit");
    }
}

/// One connection to an empty database whose migrations the test applies by hand.
async fn pool_by_hand(db: &mut TestDb, engine: Engine) -> sqlx::AnyPool {
    db.migrated_by_hand();
    sqlx::any::install_default_drivers();
    let url = if engine == Engine::Sqlite { format!("{}?mode=rwc", db.url) } else { db.url.clone() };
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    sqlx::Executor::execute(conn, sqlx::raw_sql("PRAGMA foreign_keys = ON")).await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .expect("connect")
}

/// Issue 14 §5: a database written with one successor per unit (the demo's Hoàn Kiếm: three
/// former wards that went whole into the new ward) keeps every unit and gains the relation.
#[tokio::test]
async fn single_successors_recorded_before_0031_become_whole_successions_without_losing_a_unit() {
    for engine in crate::support::engines() {
        let mut db = TestDb::empty(engine).await;
        let pool = pool_by_hand(&mut db, engine).await;
        migrate_range(&pool, engine, ("0001", "0031")).await;
        let unit = |id: i64, code: &str, parent: &str, path: &str, rest: &str| {
            format!(
                "INSERT INTO units (id, code, name, name_folded, kind, parent_id, path, valid_to, successor_id, created_at, updated_at) \
                 VALUES ({id}, '{code}', '{code}', '{code}', 'ward', {parent}, '{path}', {rest}, 0, 0)"
            )
        };
        for sql in [
            unit(1, "HN", "NULL", "/1/", "NULL, NULL"),
            unit(2, "P-HOANKIEM", "1", "/1/2/", "NULL, NULL"),
            unit(3, "Q-HOANKIEM", "1", "/1/3/", "'2025-06-30', NULL"),
            unit(4, "P-HANGTRONG", "3", "/1/3/4/", "'2025-06-30', 2"),
            unit(5, "P-TRANGTIEN", "3", "/1/3/5/", "'2025-06-30', 2"),
            unit(6, "HT-TDP01", "4", "/1/3/4/6/", "NULL, NULL"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&pool).await.unwrap_or_else(|e| panic!("{engine:?}: {sql}: {e}"));
        }
        migrate_range(&pool, engine, ("0031", "0032")).await;
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM units").fetch_one(&pool).await.expect("count").get(0);
        assert_eq!(n, 6, "{engine:?}: every unit kept");
        let rows = sqlx::query("SELECT predecessor_id, successor_id, whole FROM unit_successions ORDER BY predecessor_id")
            .fetch_all(&pool)
            .await
            .expect("successions");
        let got: Vec<(i64, i64, i64)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
        assert_eq!(got, vec![(4, 2, 1), (5, 2, 1)], "{engine:?}");
        pool.close().await;
    }
}

#[tokio::test]
async fn decisions_and_claims_recorded_before_0015_keep_their_dossiers_and_gain_the_city_and_the_level() {
    for engine in crate::support::engines() {
        let mut db = TestDb::empty(engine).await;
        let pool = pool_by_hand(&mut db, engine).await;
        migrate_range(&pool, engine, ("0001", "0015")).await;
        for sql in [
            "INSERT INTO units (id, code, name, name_folded, kind, path, created_at, updated_at) VALUES (1, 'HN', 'Thành phố Hà Nội', 'thanh pho ha noi', 'city', '/1/', 0, 0)",
            "INSERT INTO units (id, code, name, name_folded, kind, parent_id, path, created_at, updated_at) VALUES (2, 'P-BD', 'Phường Ba Đình', 'phuong ba dinh', 'ward', 1, '/1/2/', 0, 0)",
            "INSERT INTO campaigns (id, code, year, body, status, origin, version, created_at, created_by) VALUES (1, 'tong-ket-2030', 2030, '', 'open', 'shipped', 1, 0, 't')",
            "INSERT INTO award_decisions (id, campaign_id, level, number, signed_on, signer, signer_title, central, awarded, reward_vnd, created_at, created_by) \
             VALUES (7, 1, 'bang_khen_ubnd_tp', '4321/QĐ-UBND', '2030-07-20', 'Trần Sỹ Thanh', 'Chủ tịch', 0, 1, 5700000, 0, 't')",
            "INSERT INTO nomination_batches (id, campaign_id, level, proposer_unit_id, number, summary, state, decision_id, state_since, version, created_at, created_by) \
             VALUES (3, 1, 'bang_khen_ubnd_tp', 2, '1/TTr-UBND', '', 'decided', 7, 0, 1, 0, 't')",
            "INSERT INTO nominees (id, batch_id, campaign_id, kind, class, subject_type, subject_id, unit_id, name, name_folded, position, achievement, cites_initiative, outcome, decision_id, created_at) \
             VALUES (5, 3, 1, 'household', 'household', 'household', 42, 2, 'Hộ ông A', 'ho ong a', '', '', 0, 'awarded', 7, 0)",
            "INSERT INTO nomination_claims (campaign_id, subject_type, subject_id, nominee_id) VALUES (1, 'household', 42, 5)",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap_or_else(|e| panic!("{engine:?}: {sql}: {e}"));
        }
        migrate_range(&pool, engine, ("0015", "0016")).await;
        let d = sqlx::query("SELECT issuer_unit_id, number, reward_vnd FROM award_decisions WHERE id = 7")
            .fetch_one(&pool)
            .await
            .expect("kept");
        assert_eq!((d.get::<i64, _>(0), d.get::<String, _>(1), d.get::<i64, _>(2)), (1, "4321/QĐ-UBND".into(), 5_700_000), "{engine:?}");
        let b = sqlx::query(
            "SELECT b.decision_id, n.decision_id FROM nomination_batches b JOIN nominees n ON n.batch_id = b.id WHERE b.id = 3",
        )
        .fetch_one(&pool)
        .await
        .expect("dossier");
        assert_eq!((b.get::<i64, _>(0), b.get::<i64, _>(1)), (7, 7), "{engine:?}: the dossier still points at its decision");
        let c = sqlx::query("SELECT level, nominee_id FROM nomination_claims").fetch_all(&pool).await.expect("claims");
        let claims: Vec<(String, i64)> = c.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(claims, [("bang_khen_ubnd_tp".to_string(), 5)], "{engine:?}");
        if engine == Engine::Sqlite {
            let broken = sqlx::query("SELECT COUNT(*) FROM pragma_foreign_key_check").fetch_one(&pool).await.expect("check");
            assert_eq!(broken.get::<i64, _>(0), 0, "no reference left dangling");
        }
        // A new decision goes on (the sequence continues past the kept id).
        sqlx::query(
            "INSERT INTO award_decisions (campaign_id, issuer_unit_id, level, number, signed_on, signer, signer_title, central, awarded, reward_vnd, created_at, created_by) \
             VALUES (1, 2, 'giay_khen', '15/QĐ-UBND', '2030-07-10', 'Vũ Văn Hùng', 'Chủ tịch', 0, 1, 1140000, 0, 't')",
        )
        .execute(&pool)
        .await
        .expect("a ward's own decision");
        pool.close().await;
    }
}
