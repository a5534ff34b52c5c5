//! SQLite backup and restore. PostgreSQL uses its own tools (pg_dump / pg_restore).

use crate::db::{Backend, SqlStore, err};
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor, Row};
use std::path::Path;
use thidua_app::error::StorageError;
use thidua_app::ports::StoreResult;

impl SqlStore {
    /// Writes a consistent copy of the live SQLite database to `file` (`VACUUM INTO`), while the
    /// server keeps serving.
    pub async fn backup_sqlite(&self, file: &Path) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StorageError::Database("sao lưu trực tuyến chỉ dành cho SQLite; PostgreSQL dùng pg_dump".into()));
        }
        if file.exists() {
            return Err(StorageError::Database(format!("tệp {} đã tồn tại", file.display())));
        }
        let target = file.to_string_lossy().replace('\'', "''");
        self.pool.execute(sqlx::query(AssertSqlSafe(format!("VACUUM INTO '{target}'")))).await.map_err(err)?;
        Ok(())
    }
}

/// Checks that `file` is an intact thidua SQLite database; returns its number of audit entries.
pub async fn check_sqlite_backup(file: &Path) -> StoreResult<i64> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite:{}?mode=ro", file.display());
    let mut conn =
        AnyConnection::connect(&url).await.map_err(|e| StorageError::Database(format!("không mở được {}: {e}", file.display())))?;
    let row = sqlx::query("PRAGMA integrity_check").fetch_one(&mut conn).await.map_err(err)?;
    let verdict: String = row.try_get(0).map_err(err)?;
    if verdict != "ok" {
        return Err(StorageError::Corrupt(format!("tệp sao lưu hỏng: {verdict}")));
    }
    let row = sqlx::query("SELECT seq FROM audit_head WHERE id = 1")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| StorageError::Corrupt("tệp không phải cơ sở dữ liệu thidua".into()))?;
    let seq: i64 = row.try_get(0).map_err(err)?;
    conn.close().await.map_err(err)?;
    Ok(seq)
}

/// Replaces the SQLite database at `target` with `backup` (the server must be stopped: the
/// target is locked exclusively first). The previous file is kept beside it.
pub async fn restore_sqlite(backup: &Path, target: &Path) -> StoreResult<String> {
    check_sqlite_backup(backup).await?;
    let io = |e: std::io::Error| StorageError::Database(e.to_string());
    let mut kept = String::new();
    if target.exists() {
        let url = format!("sqlite:{}?mode=rw", target.display());
        let mut conn = AnyConnection::connect(&url).await.map_err(err)?;
        conn.execute("PRAGMA busy_timeout = 0").await.map_err(err)?;
        // Fails while a server holds the database.
        conn.execute("BEGIN EXCLUSIVE")
            .await
            .map_err(|_| StorageError::Database("cơ sở dữ liệu đang được dùng: hãy dừng máy chủ trước khi khôi phục".into()))?;
        conn.execute("ROLLBACK").await.map_err(err)?;
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await.map_err(err)?;
        conn.close().await.map_err(err)?;
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        kept = format!("{}.truoc-khoi-phuc-{stamp}", target.display());
        std::fs::rename(target, &kept).map_err(io)?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", target.display());
        if Path::new(&side).exists() {
            std::fs::remove_file(&side).map_err(io)?;
        }
    }
    std::fs::copy(backup, target).map_err(io)?;
    Ok(kept)
}

#[async_trait::async_trait]
impl thidua_app::ports::BackupStore for SqlStore {
    async fn blob_references(&self) -> StoreResult<Vec<String>> {
        let rows = self
            .fetch(
                "SELECT sha256 AS h FROM dossier_documents \
                 UNION SELECT scan_sha256 FROM award_decisions WHERE scan_sha256 IS NOT NULL \
                 UNION SELECT photo_sha256 FROM articles WHERE photo_sha256 IS NOT NULL \
                 UNION SELECT file_sha256 FROM learning_resources WHERE file_sha256 IS NOT NULL \
                 ORDER BY 1",
                vec![],
            )
            .await?;
        rows.iter().map(|r| crate::db::get_str(r, "h")).collect()
    }
}
