//! `thidua backup`, `thidua backup --verify` and `thidua restore`: the database and the stored
//! files together, in one archive with a manifest of hashes.
//!
//! The archive is a ZIP holding `manifest.json`, the SQLite database as `thidua.db` (a
//! consistent `VACUUM INTO` copy taken while the server runs) and every file the database refers
//! to as `files/<sha256>`, read through the configured file store (local disk or S3). On
//! PostgreSQL the database part is `pg_dump`'s (docs/deployment.md) and the archive holds the
//! files only; restoring it puts them back into the configured store. Every entry's SHA-256 and
//! size are in the manifest, checked by `--verify` and before any restore writes anything.

use crate::config::Config;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

/// The archive's table of contents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// `thidua-backup/1`.
    pub format: String,
    pub created_at: String,
    /// The database copy, when the archive holds one (SQLite).
    pub database: Option<Entry>,
    /// The audit chain's length in the copy.
    pub audit_entries: Option<i64>,
    pub files: Vec<Entry>,
}

/// One entry of the archive.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

const FORMAT: &str = "thidua-backup/1";
const DB_ENTRY: &str = "thidua.db";

fn zip_err(e: zip::result::ZipError) -> String {
    format!("tệp sao lưu: {e}")
}

fn io_err(e: std::io::Error) -> String {
    format!("tệp sao lưu: {e}")
}

/// Copies `reader` into the archive entry being written, returning its SHA-256 and size.
fn copy_hashed(reader: &mut impl Read, out: &mut impl Write) -> Result<(String, u64), String> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(io_err)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(io_err)?;
        size += n as u64;
    }
    Ok((hex::encode(h.finalize()), size))
}

/// Writes the archive to `file`: the database (SQLite) and every referenced file.
pub async fn backup(config: &Config, file: &Path) -> Result<Manifest, String> {
    if file.exists() {
        return Err(format!("tệp {} đã tồn tại", file.display()));
    }
    let app = crate::open_app(config).await?;
    let blobs = crate::blob_store(config).await?;
    let work = tempfile::Builder::new()
        .prefix(".thidua-sao-luu-")
        .tempdir_in(file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))
        .map_err(io_err)?;
    let out = std::fs::File::create(file).map_err(io_err)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(out));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(true);
    let mut manifest = Manifest {
        format: FORMAT.into(),
        created_at: time::OffsetDateTime::now_utc().to_string(),
        database: None,
        audit_entries: None,
        files: vec![],
    };
    if config.sqlite_path().is_some() {
        let copy = work.path().join(DB_ENTRY);
        let store = thidua_storage::connect(&config.database_url, 1).await.map_err(|e| e.to_string())?;
        store.backup_sqlite(&copy).await.map_err(|e| e.to_string())?;
        manifest.audit_entries = Some(thidua_storage::check_sqlite_backup(&copy).await.map_err(|e| e.to_string())?);
        zip.start_file(DB_ENTRY, deflated).map_err(zip_err)?;
        let (sha256, size) = copy_hashed(&mut std::fs::File::open(&copy).map_err(io_err)?, &mut zip)?;
        manifest.database = Some(Entry { path: DB_ENTRY.into(), sha256, size });
    }
    // Every file the database refers to, through the configured store; a missing one stops the
    // backup (an archive that silently lacks a file would restore 404s).
    for sha in app.blob_references().await.map_err(|e| e.to_string())? {
        let bytes = blobs
            .get(&sha)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("thiếu tệp {sha} trong kho tệp: không sao lưu được đầy đủ"))?;
        let path = format!("files/{sha}");
        zip.start_file(path.as_str(), stored).map_err(zip_err)?;
        zip.write_all(&bytes).map_err(io_err)?;
        manifest.files.push(Entry { path, sha256: sha, size: bytes.len() as u64 });
    }
    zip.start_file("manifest.json", deflated).map_err(zip_err)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?).map_err(io_err)?;
    zip.finish().map_err(zip_err)?.flush().map_err(io_err)?;
    Ok(manifest)
}

/// Checks an archive without restoring it: every entry of the manifest is present with its hash
/// and size, and the database copy is an intact thidua database. Returns the manifest.
pub async fn verify(file: &Path, work: &Path) -> Result<Manifest, String> {
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(std::fs::File::open(file).map_err(io_err)?)).map_err(zip_err)?;
    let manifest: Manifest = {
        let mut m = zip.by_name("manifest.json").map_err(|_| "tệp không phải bản sao lưu thidua (thiếu manifest.json)".to_string())?;
        let mut text = String::new();
        m.by_ref().take(64 << 20).read_to_string(&mut text).map_err(io_err)?;
        serde_json::from_str(&text).map_err(|e| format!("manifest.json hỏng: {e}"))?
    };
    if manifest.format != FORMAT {
        return Err(format!("định dạng sao lưu «{}» không hỗ trợ", manifest.format));
    }
    for entry in manifest.database.iter().chain(manifest.files.iter()) {
        let mut e = zip.by_name(&entry.path).map_err(|_| format!("thiếu {} trong bản sao lưu", entry.path))?;
        let (sha256, size) = if entry.path == DB_ENTRY {
            let mut out = std::fs::File::create(work.join(DB_ENTRY)).map_err(io_err)?;
            copy_hashed(&mut e, &mut out)?
        } else {
            copy_hashed(&mut e, &mut std::io::sink())?
        };
        if sha256 != entry.sha256 || size != entry.size {
            return Err(format!("{} trong bản sao lưu không khớp mã băm hoặc kích thước (hỏng)", entry.path));
        }
    }
    if manifest.database.is_some() {
        let entries = thidua_storage::check_sqlite_backup(&work.join(DB_ENTRY)).await.map_err(|e| e.to_string())?;
        if Some(entries) != manifest.audit_entries {
            return Err(format!("nhật ký trong bản sao lưu có {entries} mục, manifest ghi {:?}", manifest.audit_entries));
        }
    }
    Ok(manifest)
}

/// Restores an archive: checks it whole first, then the database (SQLite; the server stopped)
/// and every file into the configured store. Returns (manifest, the previous database kept).
pub async fn restore(config: &Config, file: &Path) -> Result<(Manifest, String), String> {
    let work = tempfile::tempdir().map_err(io_err)?;
    let manifest = verify(file, work.path()).await?;
    let mut kept = String::new();
    match (&manifest.database, config.sqlite_path()) {
        (Some(_), Some(target)) => {
            kept = thidua_storage::restore_sqlite(&work.path().join(DB_ENTRY), &target).await.map_err(|e| e.to_string())?;
        }
        (Some(_), None) => return Err("bản sao lưu chứa cơ sở dữ liệu SQLite nhưng cấu hình đang dùng PostgreSQL".into()),
        (None, _) => {}
    }
    let blobs = crate::blob_store(config).await?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(std::fs::File::open(file).map_err(io_err)?)).map_err(zip_err)?;
    for entry in &manifest.files {
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size).unwrap_or(0));
        zip.by_name(&entry.path).map_err(zip_err)?.read_to_end(&mut bytes).map_err(io_err)?;
        let sha = blobs.put(&bytes).await.map_err(|e| e.to_string())?;
        if sha != entry.sha256 {
            return Err(format!("{} không khớp mã băm khi khôi phục", entry.path));
        }
    }
    Ok((manifest, kept))
}
