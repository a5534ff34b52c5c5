//! Content-addressed files on local disk: `<dir>/ab/cdef…` named by the SHA-256 of the bytes,
//! written once (to a temporary name, then renamed) and never changed.

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use thidua_app::error::StorageError;
use thidua_app::ports::{BlobStore, StoreResult};

pub struct LocalBlobs {
    dir: PathBuf,
}

impl LocalBlobs {
    pub fn new(dir: impl Into<PathBuf>) -> LocalBlobs {
        LocalBlobs { dir: dir.into() }
    }

    fn path(&self, sha: &str) -> Option<PathBuf> {
        let ok = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        ok.then(|| self.dir.join(&sha[..2]).join(&sha[2..]))
    }
}

fn io(e: std::io::Error) -> StorageError {
    StorageError::Database(format!("kho tệp: {e}"))
}

#[async_trait]
impl BlobStore for LocalBlobs {
    async fn put(&self, bytes: &[u8]) -> StoreResult<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let path = self.path(&sha).ok_or_else(|| StorageError::Corrupt("sha256".into()))?;
        if tokio::fs::try_exists(&path).await.map_err(io)? {
            return Ok(sha);
        }
        let parent = path.parent().ok_or_else(|| StorageError::Corrupt("blob path".into()))?;
        tokio::fs::create_dir_all(parent).await.map_err(io)?;
        let tmp = parent.join(format!(".{}.{}", &sha[2..], std::process::id()));
        tokio::fs::write(&tmp, bytes).await.map_err(io)?;
        tokio::fs::rename(&tmp, &path).await.map_err(io)?;
        Ok(sha)
    }

    async fn get(&self, sha: &str) -> StoreResult<Option<Vec<u8>>> {
        let Some(path) = self.path(sha) else { return Ok(None) };
        match tokio::fs::read(&path).await {
            Ok(b) if hex::encode(Sha256::digest(&b)) == sha => Ok(Some(b)),
            Ok(_) => Err(StorageError::Corrupt(format!("tệp {sha} không khớp mã băm"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }
}
