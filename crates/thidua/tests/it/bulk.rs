//! What a bulk import leaves behind when it commits (issue 19): the kept counts moved by the rows
//! it wrote, and the possible duplicates of its wards regrouped after the commit — by the import
//! itself, or by the housekeeping when the import was interrupted — on both engines.

use crate::support::{Engine, actor, demo_app, engines, unit_id};
use thidua_app::import::FileInfo;
use thidua_app::ports::PageRequest;
use thidua_app::{Actor, App};
use thidua_domain::import::{ImportKind, Table};

/// Two heads of one name and birth year in two villages of Ba Đình, and one other.
async fn import_three(app: &App, officer: &Actor) {
    let row = |code: &str, village: &str, name: &str, birth: &str| vec![code.into(), village.into(), name.into(), birth.into()];
    let table = Table {
        headers: vec!["Mã hộ".into(), "Mã thôn/tổ dân phố".into(), "Họ và tên chủ hộ".into(), "Năm sinh chủ hộ".into()],
        rows: vec![
            row("HGD-BULK-1", "BD-TDP01", "Hà Thị Bích Ngọc", "1950"),
            row("HGD-BULK-2", "BD-TDP02", "HÀ THỊ BÍCH NGỌC", "1950"),
            row("HGD-BULK-3", "BD-TDP01", "Kiều Văn Sơn", "1961"),
        ],
    };
    let file = FileInfo { name: "bulk.csv".into(), sha256: "0".into() };
    app.import(officer, ImportKind::Households, &table, &file, false, &|_| {}).await.expect("import");
}

/// The codes of the possible-duplicate group holding HGD-BULK-1, if listed.
async fn bulk_twins(app: &App, who: &Actor) -> Option<Vec<String>> {
    let page = app.duplicate_subjects(who, "gia_dinh_hoc_tap", 2025, PageRequest::all()).await.expect("duplicates");
    let group = page.items.into_iter().find(|g| g.subjects.iter().any(|s| s.code == "HGD-BULK-1"))?;
    let mut codes: Vec<String> = group.subjects.into_iter().map(|s| s.code).collect();
    codes.sort();
    Some(codes)
}

/// Runs one statement straight on the database, as an interruption would leave it.
async fn direct(url: &str, engine: Engine, sql: &str, ward: i64) {
    let sql = match engine {
        Engine::Sqlite => sql.replace("$1", "?"),
        Engine::Postgres => sql.to_string(),
    };
    let store = thidua_storage::connect(url, 1).await.expect("connect");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ward).execute(store.pool()).await.expect("statement");
}

#[tokio::test]
async fn an_import_adds_exactly_its_rows_to_the_kept_counts_of_its_villages() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let (one, two) = (unit_id(&app, "BD-TDP01").await, unit_id(&app, "BD-TDP02").await);
        let kept = |village: i64| {
            let (app, officer) = (app.clone(), officer.clone());
            async move { app.households(&officer, Some(village), None, PageRequest::all()).await.expect("village") }
        };
        let (before_one, before_two) = (kept(one).await.total, kept(two).await.total);
        import_three(&app, &officer).await;
        let (after_one, after_two) = (kept(one).await, kept(two).await);
        assert_eq!((after_one.total, after_two.total), (before_one + 2, before_two + 1), "{engine:?}");
        assert_eq!(after_one.total, after_one.items.len() as i64, "{engine:?}: the kept count is the village's real count");
        assert_eq!(after_two.total, after_two.items.len() as i64, "{engine:?}");
    }
}

#[tokio::test]
async fn an_import_lists_the_possible_duplicates_it_brought_once_it_has_committed() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        import_three(&app, &officer).await;
        assert_eq!(bulk_twins(&app, &officer).await, Some(vec!["HGD-BULK-1".into(), "HGD-BULK-2".into()]), "{engine:?}");
        assert_eq!(app.refresh_pending_twins().await.expect("housekeeping"), 0, "{engine:?}: nothing was left to regroup");
    }
}

#[tokio::test]
async fn the_housekeeping_regroups_a_ward_an_interrupted_import_left_pending() {
    for engine in engines() {
        let (app, db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        import_three(&app, &officer).await;
        // As a process stopped between the import's commit and its regrouping leaves it.
        let ward = unit_id(&app, "P-BADINH").await;
        direct(&db.url, engine, "DELETE FROM name_twins WHERE ward_id = $1", ward).await;
        direct(&db.url, engine, "INSERT INTO twins_pending (ward_id, since_ms) VALUES ($1, 0)", ward).await;
        assert_eq!(bulk_twins(&app, &officer).await, None, "{engine:?}: not regrouped yet");
        assert_eq!(app.refresh_pending_twins().await.expect("housekeeping"), 1, "{engine:?}: one ward regrouped");
        assert_eq!(bulk_twins(&app, &officer).await, Some(vec!["HGD-BULK-1".into(), "HGD-BULK-2".into()]), "{engine:?}");
        assert_eq!(app.refresh_pending_twins().await.expect("again"), 0, "{engine:?}: done once");
    }
}
