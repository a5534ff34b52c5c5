//! The dossier file store, the same contract on local disk and on S3-compatible object storage
//! (`THIDUA_TEST_S3_ENDPOINT`, e.g. a local `moto_server`; `.ci/run` starts one): bytes come back
//! as stored, the same bytes are stored once under their SHA-256, unknown or malformed names are
//! absent, and a dossier's documents go through the configured store.

use crate::support::{Engine, actor, demo_app};
use std::sync::Arc;
use thidua_app::ports::BlobStore;
use thidua_domain::commendation::eligibility::DocKind;

fn s3_config() -> Option<thidua_storage::S3Config> {
    let endpoint = crate::support::needed("THIDUA_TEST_S3_ENDPOINT", "the S3 half of this test");
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    endpoint.map(|endpoint| thidua_storage::S3Config {
        endpoint,
        bucket: "thidua-test".into(),
        // A named region: rust-s3 sends it as the bucket's location constraint, which S3 refuses
        // for us-east-1 (the default region takes none).
        region: "ap-southeast-1".into(),
        access_key: "thidua".into(),
        secret_key: "thidua-secret".into(),
        prefix: format!("t{}-{n}/", std::process::id()),
    })
}

async fn stores() -> Vec<(&'static str, Arc<dyn BlobStore>, tempfile::TempDir)> {
    let dir = tempfile::tempdir().expect("dir");
    let mut out: Vec<(&'static str, Arc<dyn BlobStore>, tempfile::TempDir)> =
        vec![("local", Arc::new(thidua_storage::LocalBlobs::new(dir.path())), dir)];
    if let Some(c) = s3_config() {
        thidua_storage::S3Blobs::ensure_bucket(&c).await.expect("bucket");
        let s3 = thidua_storage::S3Blobs::new(&c).expect("s3");
        s3.check().await.expect("the bucket answers");
        out.push(("s3", Arc::new(s3), tempfile::tempdir().expect("dir")));
    }
    out
}

#[tokio::test]
async fn a_file_comes_back_as_stored_under_its_sha256() {
    for (name, store, _dir) in stores().await {
        let bytes = b"%PDF-1.4\n% bien ban hop Hoi dong TDKT phuong Ba Dinh\n%%EOF\n".to_vec();
        let sha = store.put(&bytes).await.expect("put");
        use sha2::Digest;
        assert_eq!(sha, hex::encode(sha2::Sha256::digest(&bytes)), "{name}");
        assert_eq!(store.get(&sha).await.expect("get").as_deref(), Some(bytes.as_slice()), "{name}");
        assert_eq!(store.put(&bytes).await.expect("again"), sha, "{name}: the same bytes, the same name");
    }
}

#[tokio::test]
async fn unknown_and_malformed_names_are_absent() {
    for (name, store, _dir) in stores().await {
        assert_eq!(store.get(&"ab".repeat(32)).await.expect("get"), None, "{name}");
        assert_eq!(store.get("../../etc/passwd").await.expect("get"), None, "{name}");
        assert_eq!(store.get(&"AB".repeat(32)).await.expect("get"), None, "{name}: upper-case hex is not a name we write");
    }
}

#[tokio::test]
async fn the_same_file_uploaded_sixteen_times_at_once_is_stored_once() {
    for (name, store, _dir) in stores().await {
        let bytes: Vec<u8> = format!("%PDF-1.4 {name} dong thoi").into_bytes();
        let puts: Vec<_> = (0..16)
            .map(|_| {
                let (s, b) = (store.clone(), bytes.clone());
                tokio::spawn(async move { s.put(&b).await })
            })
            .collect();
        let mut hashes = Vec::new();
        for p in puts {
            hashes.push(p.await.expect("task").expect("put"));
        }
        hashes.dedup();
        assert_eq!(hashes.len(), 1, "{name}");
        assert_eq!(store.get(&hashes[0]).await.expect("get"), Some(bytes), "{name}");
    }
}

#[tokio::test]
async fn a_dossier_document_goes_to_object_storage_when_it_is_configured() {
    let Some(config) = s3_config() else { return };
    thidua_storage::S3Blobs::ensure_bucket(&config).await.expect("bucket");
    let (app, _db) = demo_app(Engine::Sqlite).await;
    let app = app.with_blobs(Arc::new(thidua_storage::S3Blobs::new(&config).expect("s3")));
    let ward = actor(&app, "phuonghoankiem").await;
    let campaign = app.campaigns(&ward).await.expect("campaigns").into_iter().find(|c| c.row.status == "open").expect("an open campaign");
    let batch = app
        .create_batch(
            &ward,
            thidua_app::commendation::NewBatch {
                campaign_id: campaign.row.id,
                level: campaign.campaign.levels[0].clone(),
                proposer_unit: crate::support::unit_id(&app, "P-HOANKIEM").await,
                number: "5/TTr-UBND".into(),
                summary: String::new(),
            },
        )
        .await
        .expect("batch");
    let version = app.store().batch(batch).await.expect("q").expect("b").version;
    let pdf = b"%PDF-1.4\n% to trinh phuong Hoan Kiem\n%%EOF\n";
    let doc = app.upload_document(&ward, batch, version, None, DocKind::ToTrinh, "to-trinh.pdf", pdf).await.expect("upload");
    let (row, bytes) = app.document_bytes(&ward, doc).await.expect("read back");
    assert_eq!((row.file_name.as_str(), bytes.as_slice()), ("to-trinh.pdf", &pdf[..]));
    let direct = thidua_storage::S3Blobs::new(&config).expect("s3");
    assert_eq!(direct.get(&row.sha256).await.expect("get").as_deref(), Some(&pdf[..]), "the object is in the bucket");
}
