//! Connection, migrations and the small helpers every statement uses: values to bind, error
//! mapping, and the one scope filter that every list query of a scoped user carries.

use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, AssertSqlSafe, Executor, Row, Transaction};
use std::path::Path;
use std::time::Duration;
use thidua_app::error::StorageError;
use thidua_app::ports::{Page, PageRequest, Scope, StoreResult};
use time::OffsetDateTime;

/// Which engine the URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The n-th placeholder of a statement whose values are bound in order. For SQLite it is a
    /// plain `?`: every `$n` or `?n` is recorded as a named parameter, and the driver asks
    /// SQLite for each parameter's name with a linear search, which made a 1,000-row INSERT
    /// quadratic (86 % of import time in `sqlite3_bind_parameter_name`). PostgreSQL only knows
    /// `$n`.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// Chooses the engine from the URL scheme.
    pub fn from_url(url: &str) -> Result<Backend, StorageError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StorageError::Database(format!(
                "địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite: hoặc postgres:// (nhận được «{}»)",
                url.split(':').next().unwrap_or("")
            )))
        }
    }
}

/// The storage adapter.
#[derive(Clone)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
}

/// A value to bind: the only types both engines share here.
#[derive(Debug, Clone)]
pub(crate) enum V {
    Int(Option<i64>),
    Text(Option<String>),
}

impl V {
    pub fn int(v: i64) -> V {
        V::Int(Some(v))
    }
    pub fn opt_int(v: Option<i64>) -> V {
        V::Int(v)
    }
    pub fn text(v: impl Into<String>) -> V {
        V::Text(Some(v.into()))
    }
    pub fn opt_text(v: Option<impl Into<String>>) -> V {
        V::Text(v.map(Into::into))
    }
    pub fn flag(b: bool) -> V {
        V::Int(Some(i64::from(b)))
    }
}

/// Builds a query from run-time SQL (always our own constant fragments, never user text) and
/// its bound values.
pub(crate) fn q(sql: &str, values: Vec<V>) -> Query<'static, Any, AnyArguments> {
    let mut query = sqlx::query::<Any>(AssertSqlSafe(sql.to_string()));
    for v in values {
        query = match v {
            V::Int(i) => query.bind(i),
            V::Text(t) => query.bind(t),
        };
    }
    query
}

/// Maps a driver error, keeping unique violations and a busy SQLite writer recognisable.
pub(crate) fn err(e: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StorageError::Unique(db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string()));
        }
        // SQLITE_BUSY (5) and its extended codes (…, 517): the busy timeout ran out.
        if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
            && db.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| c & 0xff == 5)
        {
            return StorageError::Busy(db.message().to_string());
        }
    }
    StorageError::Database(e.to_string())
}

/// Unix milliseconds.
pub(crate) fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

pub(crate) fn from_ms(v: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(v) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub(crate) fn get_i64(row: &AnyRow, col: &str) -> StoreResult<i64> {
    row.try_get::<i64, _>(col).map_err(err)
}
pub(crate) fn get_opt_i64(row: &AnyRow, col: &str) -> StoreResult<Option<i64>> {
    row.try_get::<Option<i64>, _>(col).map_err(err)
}
pub(crate) fn get_str(row: &AnyRow, col: &str) -> StoreResult<String> {
    row.try_get::<String, _>(col).map_err(err)
}
/// A code column read as the domain's value (`parse` is the type's own); an unknown code is a
/// damaged row, said so, never a default.
pub(crate) fn get_code<T>(row: &AnyRow, col: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let text = get_str(row, col)?;
    parse(&text).ok_or_else(|| StorageError::Corrupt(format!("{col} «{text}» is not a known code")))
}
/// A nullable code column read as the domain's value; an unknown code is a damaged row.
pub(crate) fn get_opt_code<T>(row: &AnyRow, col: &str, parse: fn(&str) -> Option<T>) -> StoreResult<Option<T>> {
    get_opt_str(row, col)?
        .map(|text| parse(&text).ok_or_else(|| StorageError::Corrupt(format!("{col} «{text}» is not a known code"))))
        .transpose()
}
/// A date stored as ISO yyyy-mm-dd; anything else is a damaged row, said so.
pub(crate) fn get_date(row: &AnyRow, col: &str) -> StoreResult<time::Date> {
    let text = get_str(row, col)?;
    time::Date::parse(&text, &time::format_description::well_known::Iso8601::DATE)
        .map_err(|e| StorageError::Corrupt(format!("{col} «{text}» is not an ISO date: {e}")))
}
pub(crate) fn get_opt_str(row: &AnyRow, col: &str) -> StoreResult<Option<String>> {
    row.try_get::<Option<String>, _>(col).map_err(err)
}

/// The values of a statement being built. [`Binds::bind`] appends one and answers its
/// placeholder, so a placeholder's number is always its value's place: no statement numbers
/// its placeholders by hand.
#[derive(Debug, Clone, Default)]
pub(crate) struct Binds(Vec<V>);

impl Binds {
    pub(crate) fn new() -> Binds {
        Binds(Vec::new())
    }

    /// Appends `v`; its placeholder (`$n`).
    pub(crate) fn bind(&mut self, v: V) -> String {
        self.0.push(v);
        format!("${}", self.0.len())
    }

    pub(crate) fn into_values(self) -> Vec<V> {
        self.0
    }
}

/// The scope filter for rows whose unit is joined as `alias` (`units` table), its values bound
/// in `b`.
pub(crate) fn scope_clause(scope: &Scope, alias: &str, b: &mut Binds) -> String {
    match scope {
        Scope::All => "1 = 1".into(),
        Scope::Roots(roots) if roots.is_empty() => "1 = 0".into(),
        Scope::Roots(roots) => {
            let parts: Vec<String> = roots
                .iter()
                .map(|r| {
                    let n = b.bind(V::int(r.node));
                    if r.subtree {
                        format!("{alias}.path LIKE (SELECT s.path FROM units s WHERE s.id = {n}) || '%'")
                    } else {
                        format!("{alias}.id = {n}")
                    }
                })
                .collect();
            format!("({})", parts.join(" OR "))
        }
    }
}

/// Escapes a search text for LIKE … ESCAPE '\'.
pub(crate) fn like_pattern(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Opens (and for SQLite creates) the database and runs the embedded migrations.
pub async fn connect(url: &str, max_connections: u32) -> StoreResult<SqlStore> {
    sqlx::any::install_default_drivers();
    let backend = Backend::from_url(url)?;
    let mut url = url.to_string();
    if backend == Backend::Sqlite {
        let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or("");
        if path != ":memory:"
            && !path.is_empty()
            && let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StorageError::Database(format!("không tạo được thư mục dữ liệu {}: {e}", dir.display())))?;
        }
        if !url.contains("mode=") {
            url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
        }
    }
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(15))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // page_size only takes effect when the file is created (before WAL is on):
                    // 8 KiB pages made million-row imports 10 % faster than the default 4 KiB.
                    conn.execute(sqlx::raw_sql(
                        "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 15000; PRAGMA synchronous = NORMAL;",
                    ))
                    .await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .map_err(|e| StorageError::Database(format!("không kết nối được cơ sở dữ liệu: {e}")))?;
    let store = SqlStore { pool, backend };
    store.migrate().await?;
    Ok(store)
}

impl SqlStore {
    /// Runs the embedded migrations of this engine.
    pub async fn migrate(&self) -> StoreResult<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.run(&self.pool).await.map_err(|e| StorageError::Database(format!("migration: {e}")))
    }

    pub(crate) async fn begin(&self) -> StoreResult<Transaction<'static, Any>> {
        self.pool.begin().await.map_err(err)
    }

    /// A transaction that will write. On SQLite it takes the write lock when it begins
    /// (`BEGIN IMMEDIATE`), waiting for another writer as long as the busy timeout allows: a
    /// deferred transaction that has read anything (even the schema, for a PRAGMA) and then
    /// writes while another connection writes fails at once with "database is locked".
    pub(crate) async fn begin_write(&self) -> StoreResult<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with(AssertSqlSafe("BEGIN IMMEDIATE")).await.map_err(err),
            Backend::Postgres => self.begin().await,
        }
    }

    pub(crate) async fn exec(&self, sql: &str, values: Vec<V>) -> StoreResult<u64> {
        q(sql, values).execute(&self.pool).await.map(|r| r.rows_affected()).map_err(err)
    }

    pub(crate) async fn count(&self, sql: &str, values: Vec<V>) -> StoreResult<i64> {
        let row = q(sql, values).fetch_one(&self.pool).await.map_err(err)?;
        row.try_get::<i64, _>(0).map_err(err)
    }

    pub(crate) async fn fetch(&self, sql: &str, values: Vec<V>) -> StoreResult<Vec<AnyRow>> {
        q(sql, values).fetch_all(&self.pool).await.map_err(err)
    }

    /// One page of `SELECT {select} {from} ORDER BY {order}` and how many rows the whole query
    /// returns: the one way a list is paged. Two statements rather than `COUNT(*) OVER ()`: with
    /// the window the engine must produce every matching row before the first page is sent, where
    /// `LIMIT` over an ordered index stops after one page.
    pub(crate) async fn paged<T>(
        &self,
        (select, from, order): (&str, &str, &str),
        mut binds: Binds,
        page: PageRequest,
        map: impl Fn(&AnyRow) -> StoreResult<T>,
    ) -> StoreResult<Page<T>> {
        let total = self.count(&format!("SELECT COUNT(*) {from}"), binds.clone().into_values()).await?;
        let (limit, offset) = (binds.bind(V::int(page.per_page)), binds.bind(V::int(page.offset())));
        let rows =
            self.fetch(&format!("SELECT {select} {from} ORDER BY {order} LIMIT {limit} OFFSET {offset}"), binds.into_values()).await?;
        let items = rows.iter().map(map).collect::<StoreResult<Vec<T>>>()?;
        Ok(Page::new(items, total, &page))
    }

    pub(crate) async fn fetch_opt(&self, sql: &str, values: Vec<V>) -> StoreResult<Option<AnyRow>> {
        q(sql, values).fetch_optional(&self.pool).await.map_err(err)
    }

    /// The underlying pool, for the backup command and tests.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// `SELECT 1 FROM <table> WHERE code IN (...)` for a chunk of codes.
    pub(crate) async fn existing_codes_db(&self, table: Table, codes: &[String]) -> StoreResult<Vec<String>> {
        if codes.is_empty() {
            return Ok(vec![]);
        }
        let placeholders: Vec<String> = (1..=codes.len()).map(|i| self.backend.placeholder(i)).collect();
        let sql = format!("SELECT code FROM {table} WHERE code IN ({})", placeholders.join(", "));
        let rows = self.fetch(&sql, codes.iter().map(|c| V::text(c.clone())).collect()).await?;
        rows.iter().map(|r| get_str(r, "code")).collect()
    }

    /// Flips `active` with an optimistic version check; bumps the tree version for units.
    pub(crate) async fn set_active_db(
        &self,
        table: Table,
        id: i64,
        expected_version: i64,
        active: bool,
        audit: thidua_app::ports::AuditDraft,
        bumps_tree: bool,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let sql = format!("UPDATE {table} SET active = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4");
        let n = q(&sql, vec![V::flag(active), V::int(audit.at_ms), V::int(id), V::int(expected_version)])
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::Stale);
        }
        if bumps_tree {
            bump_tree(&mut tx).await?;
        }
        if table.is_subject()
            && let Some(unit) = crate::assessments::unit_of(&mut tx, table, id).await?
        {
            crate::assessments::refresh_counts(&mut tx, self.backend, &[unit].into()).await?;
            let key = crate::twins::twin_key(&mut tx, table, id).await?;
            crate::twins::refresh_twin_keys(&mut tx, self.backend, table, &[key]).await?;
        }
        tx.commit(audit).await.map(|_| ())
    }
}

/// A table a statement names from a value: a table name never reaches SQL as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Units,
    Households,
    People,
    Clans,
    Assessments,
    AuditLog,
    Articles,
    LearningResources,
}

impl Table {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Table::Units => "units",
            Table::Households => "households",
            Table::People => "people",
            Table::Clans => "clans",
            Table::Assessments => "assessments",
            Table::AuditLog => "audit_log",
            Table::Articles => "articles",
            Table::LearningResources => "learning_resources",
        }
    }

    /// The registry's subjects: each is counted under its unit (`unit_counts`).
    pub(crate) fn is_subject(self) -> bool {
        matches!(self, Table::Households | Table::People | Table::Clans)
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl From<thidua_app::ports::BulkTable> for Table {
    fn from(t: thidua_app::ports::BulkTable) -> Table {
        use thidua_app::ports::BulkTable as B;
        match t {
            B::Households => Table::Households,
            B::People => Table::People,
            B::Assessments => Table::Assessments,
            B::Clans => Table::Clans,
            B::AuditLog => Table::AuditLog,
        }
    }
}

/// Runs an `UPDATE … WHERE id = … AND version = …` inside a transaction: no row changed means
/// someone else changed the record first (or it is gone).
pub(crate) async fn update_versioned(tx: &mut Transaction<'static, Any>, sql: &str, values: Vec<V>) -> StoreResult<()> {
    let n = q(sql, values).execute(&mut **tx).await.map_err(err)?.rows_affected();
    if n == 0 { Err(StorageError::Stale) } else { Ok(()) }
}

/// Marks the tree as changed, so that every process reloads its cached snapshot.
pub(crate) async fn bump_tree(tx: &mut Transaction<'static, Any>) -> StoreResult<()> {
    q("UPDATE meta SET value = value + 1 WHERE key = 'tree_version'", vec![]).execute(&mut **tx).await.map_err(err)?;
    Ok(())
}

#[async_trait::async_trait]
impl thidua_app::ports::OpsStore for SqlStore {
    fn backend(&self) -> &'static str {
        self.backend.name()
    }
    async fn write_version(&self) -> StoreResult<i64> {
        self.count("SELECT seq FROM audit_head WHERE id = 1", vec![]).await
    }
    async fn ping(&self) -> StoreResult<()> {
        self.count("SELECT 1", vec![]).await.map(|_| ())
    }
    async fn table_size(&self, table: thidua_app::ports::BulkTable) -> StoreResult<(u64, u64)> {
        let table = Table::from(table);
        let bytes_sql = match self.backend {
            // dbstat: every page of the table and of its indexes.
            Backend::Sqlite => format!(
                "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = '{table}')"
            ),
            Backend::Postgres => format!("SELECT pg_total_relation_size('{table}')"),
        };
        let bytes = self.count(&bytes_sql, vec![]).await?;
        let rows = self.count(&format!("SELECT COUNT(*) FROM {table}"), vec![]).await?;
        Ok((u64::try_from(bytes).unwrap_or(0), u64::try_from(rows).unwrap_or(0)))
    }
}
