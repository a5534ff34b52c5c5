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
        // A temporary name of its own: two uploads of the same bytes at once must not share it.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = parent.join(format!(".{}.{}.{n}", &sha[2..], std::process::id()));
        tokio::fs::write(&tmp, bytes).await.map_err(io)?;
        // Renaming over a file another upload just put there is fine: the bytes are the same.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_same_bytes_uploaded_at_once_are_stored_once() {
        let dir = tempfile::tempdir().expect("dir");
        let blobs = std::sync::Arc::new(LocalBlobs::new(dir.path()));
        let puts: Vec<_> = (0..16)
            .map(|_| {
                let b = blobs.clone();
                tokio::spawn(async move { b.put(b"%PDF-1.4 same bytes").await })
            })
            .collect();
        let mut hashes = Vec::new();
        for p in puts {
            hashes.push(p.await.expect("task").expect("stored"));
        }
        hashes.dedup();
        assert_eq!(hashes.len(), 1);
        assert_eq!(blobs.get(&hashes[0]).await.expect("read").as_deref(), Some(&b"%PDF-1.4 same bytes"[..]));
    }
}
