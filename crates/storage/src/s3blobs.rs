//! Content-addressed files on S3-compatible object storage (AWS S3, MinIO, Ceph, Viettel/VNPT
//! object storage…): object `<prefix>sha256/ab/cdef…`, written once, never changed, checked
//! against its hash when read. For several application servers sharing one store.

use async_trait::async_trait;
use s3::creds::Credentials;
use s3::{Bucket, Region};
use sha2::{Digest, Sha256};
use thidua_app::error::StorageError;
use thidua_app::ports::{BlobStore, StoreResult};

/// Where the objects go.
#[derive(Clone)]
pub struct S3Config {
    /// `https://s3.example.vn` or `http://127.0.0.1:9000`.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
    /// Prepended to every key (`thidua/`), so that one bucket can hold several systems.
    pub prefix: String,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .field("secret_key", &"***")
            .field("prefix", &self.prefix)
            .finish()
    }
}

pub struct S3Blobs {
    bucket: Box<Bucket>,
    prefix: String,
}

fn s3(e: impl std::fmt::Display) -> StorageError {
    StorageError::Database(format!("kho tệp S3: {e}"))
}

fn valid_sha(sha: &str) -> bool {
    sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

impl S3Blobs {
    /// A store on the bucket (path-style addressing, which every S3-compatible server accepts).
    pub fn new(config: &S3Config) -> StoreResult<S3Blobs> {
        if !(config.endpoint.starts_with("http://") || config.endpoint.starts_with("https://")) {
            return Err(s3(format!("địa chỉ «{}» phải bắt đầu bằng http:// hoặc https://", config.endpoint)));
        }
        if config.bucket.is_empty() {
            return Err(s3("thiếu tên bucket"));
        }
        let region = Region::Custom { region: config.region.clone(), endpoint: config.endpoint.trim_end_matches('/').to_string() };
        let creds = Credentials::new(Some(&config.access_key), Some(&config.secret_key), None, None, None).map_err(s3)?;
        let bucket = Bucket::new(&config.bucket, region, creds).map_err(s3)?.with_path_style();
        Ok(S3Blobs { bucket, prefix: config.prefix.clone() })
    }

    /// Creates the bucket when it does not exist (tests; in production the bucket is made by the
    /// storage administrator with its own retention and access policy).
    pub async fn ensure_bucket(config: &S3Config) -> StoreResult<()> {
        let store = S3Blobs::new(config)?;
        if store.bucket.exists().await.map_err(s3)? {
            return Ok(());
        }
        let region = Region::Custom { region: config.region.clone(), endpoint: config.endpoint.trim_end_matches('/').to_string() };
        let creds = Credentials::new(Some(&config.access_key), Some(&config.secret_key), None, None, None).map_err(s3)?;
        let r = Bucket::create_with_path_style(&config.bucket, region, creds, s3::BucketConfiguration::default()).await.map_err(s3)?;
        if !(200..300).contains(&r.response_code) && r.response_code != 409 {
            return Err(s3(format!("không tạo được bucket «{}»: HTTP {} {}", config.bucket, r.response_code, r.response_text)));
        }
        Ok(())
    }

    /// Checks that the bucket answers (start-up, `check-config`).
    pub async fn check(&self) -> StoreResult<()> {
        let r = self.bucket.head_object(self.key(&"0".repeat(64))).await.map_err(s3)?;
        match r.1 {
            200 | 404 => Ok(()),
            403 => Err(s3("bị từ chối (HTTP 403): kiểm tra khóa truy cập và quyền trên bucket")),
            code => Err(s3(format!("bucket không trả lời đúng (HTTP {code})"))),
        }
    }

    fn key(&self, sha: &str) -> String {
        format!("{}sha256/{}/{}", self.prefix, &sha[..2], &sha[2..])
    }
}

#[async_trait]
impl BlobStore for S3Blobs {
    async fn put(&self, bytes: &[u8]) -> StoreResult<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let key = self.key(&sha);
        let (_, status) = self.bucket.head_object(&key).await.map_err(s3)?;
        if status == 200 {
            return Ok(sha);
        }
        // The same bytes written twice at once give the same object: no race to guard.
        let r = self.bucket.put_object_with_content_type(&key, bytes, "application/octet-stream").await.map_err(s3)?;
        if !(200..300).contains(&r.status_code()) {
            return Err(s3(format!("ghi tệp {sha} thất bại: HTTP {}", r.status_code())));
        }
        Ok(sha)
    }

    async fn get(&self, sha: &str) -> StoreResult<Option<Vec<u8>>> {
        if !valid_sha(sha) {
            return Ok(None);
        }
        let r = self.bucket.get_object(self.key(sha)).await.map_err(s3)?;
        match r.status_code() {
            200 => {
                let bytes = r.to_vec();
                if hex::encode(Sha256::digest(&bytes)) != sha {
                    return Err(StorageError::Corrupt(format!("tệp {sha} trên S3 không khớp mã băm")));
                }
                Ok(Some(bytes))
            }
            404 => Ok(None),
            code => Err(s3(format!("đọc tệp {sha} thất bại: HTTP {code}"))),
        }
    }
}
