//! Storage contract: the same behaviours on SQLite and PostgreSQL.

use crate::support::{self, Engine, TestDb, actor, engines, open, unit_id};
use thidua_app::AppError;
use thidua_app::import::FileInfo;
use thidua_app::ports::{AuditDraft, HouseholdInput, PageRequest, PersonSort, Scope, UnitInput};
use thidua_domain::import::{HouseholdRow, ImportKind, Table};
use thidua_domain::registry::{Code, NodeKind};

fn file() -> FileInfo {
    FileInfo { name: "test.csv".into(), sha256: "0".into() }
}

fn households_table(rows: &[[&str; 3]]) -> Table {
    Table {
        headers: vec!["Mã hộ".into(), "Mã thôn/tổ dân phố".into(), "Họ và tên chủ hộ".into()],
        rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
    }
}

#[tokio::test]
async fn migrations_run_twice_without_harm() {
    for engine in engines() {
        let db = TestDb::empty(engine).await;
        let _ = open(&db.url).await;
        let app = open(&db.url).await;
        assert_eq!(app.store().tree_version().await.ok(), Some(0), "{engine:?}");
    }
}

#[tokio::test]
async fn a_ward_sees_only_its_own_households() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let ba_dinh = actor(&app, "phuongbadinh").await;
        let page = app.households(&ba_dinh, None, None, PageRequest::new(1, 1000)).await.expect("list");
        let snap = app.snapshot().await.expect("snap");
        let ward = unit_id(&app, "P-BADINH").await;
        assert!(page.total > 0);
        for h in &page.items {
            assert!(snap.tree.ancestors(h.unit_id).contains(&ward), "{engine:?}: household {} outside Ba Đình", h.code);
        }
        let cau_giay_village = unit_id(&app, "CG-TDP01").await;
        let other = app.households(&actor(&app, "admin").await, Some(cau_giay_village), None, PageRequest::new(1, 1)).await.expect("list");
        let hid = other.items[0].id;
        assert!(matches!(app.household(&ba_dinh, hid).await, Err(AppError::Forbidden)), "{engine:?}");
    }
}

#[tokio::test]
async fn the_successor_ward_sees_households_of_the_wards_it_replaced() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let hoan_kiem = actor(&app, "phuonghoankiem").await;
        let old_group = unit_id(&app, "HT-TDP01").await;
        let page = app.households(&hoan_kiem, Some(old_group), None, PageRequest::new(1, 100)).await.expect("list");
        assert_eq!(page.total, 14, "{engine:?}");
        let all = app.households(&hoan_kiem, None, None, PageRequest::new(1, 1)).await.expect("list");
        // 2 current groups + 9 groups of the three abolished wards, 14 households each.
        assert_eq!(all.total, 11 * 14, "{engine:?}");
    }
}

#[tokio::test]
async fn search_ignores_diacritics_and_names_sort_the_vietnamese_way() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let ba_dinh = actor(&app, "phuongbadinh").await;
        let found =
            app.people(&ba_dinh, None, None, Some("nguyen van an"), PersonSort::Name, PageRequest::new(1, 50)).await.expect("search");
        assert!(found.items.iter().any(|p| p.full_name == "Nguyễn Văn An"), "{engine:?}");
        let found_d = app.people(&ba_dinh, None, None, Some("DAT"), PersonSort::Name, PageRequest::new(1, 50)).await.expect("search");
        assert!(found_d.items.iter().all(|p| thidua_domain::text::fold(&p.full_name).contains("dat")));
        let heads = app
            .households_sorted(&ba_dinh, None, None, thidua_app::ports::HouseholdSort::HeadName, PageRequest::new(1, 500))
            .await
            .expect("list");
        let names: Vec<&str> = heads.items.iter().map(|h| h.head_name.as_str()).collect();
        let mut expected = names.clone();
        expected.sort_by(|a, b| thidua_domain::text::compare_names(a, b));
        assert_eq!(names, expected, "{engine:?}: households by head");
        let sorted = app.people(&ba_dinh, None, None, None, PersonSort::Name, PageRequest::new(1, 500)).await.expect("list");
        let names: Vec<&str> = sorted.items.iter().map(|p| p.full_name.as_str()).collect();
        let mut expected = names.clone();
        expected.sort_by(|a, b| thidua_domain::text::compare_names(a, b));
        assert_eq!(names, expected, "{engine:?}");
    }
}

#[tokio::test]
async fn a_stale_version_cannot_overwrite_a_newer_edit() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let h = app.households(&officer, None, None, PageRequest::new(1, 1)).await.expect("list").items.remove(0);
        let input = |name: &str| HouseholdInput {
            code: h.code.clone(),
            unit_id: h.unit_id,
            head_name: name.into(),
            address: None,
            member_count: Some(3),
        };
        app.update_household(&officer, h.id, h.version, input("Lê Văn Một")).await.expect("first edit wins");
        let second = app.update_household(&officer, h.id, h.version, input("Lê Văn Hai")).await;
        assert!(matches!(second, Err(AppError::Conflict(_))), "{engine:?}: {second:?}");
        assert_eq!(app.household(&officer, h.id).await.expect("read").head_name, "Lê Văn Một");
    }
}

#[tokio::test]
async fn a_duplicate_code_is_a_conflict_not_a_crash() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let village = unit_id(&app, "BD-TDP01").await;
        let input = HouseholdInput {
            code: "HGD-BD-TDP01-001".into(),
            unit_id: village,
            head_name: "Trùng Mã".into(),
            address: None,
            member_count: None,
        };
        let r = app.create_household(&officer, input).await;
        assert!(matches!(r, Err(AppError::Conflict(_))), "{engine:?}: {r:?}");
    }
}

#[tokio::test]
async fn an_import_that_fails_in_the_database_writes_nothing() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let village = unit_id(&app, "BD-TDP02").await;
        let before =
            app.store().households(&Scope::All, None, None, Default::default(), PageRequest::new(1, 1)).await.expect("count").total;
        let row = |code: &str| HouseholdRow {
            row: 2,
            code: Code::parse(code).expect("code"),
            village: Code::parse("BD-TDP02").expect("code"),
            head_name: "Ngô Thị Hoa".into(),
            head_birth_year: None,
            head_gender: None,
            address: None,
            member_count: None,
        };
        // 1,500 new rows then one that collides with an existing code, past the first batch.
        let mut rows: Vec<(HouseholdRow, i64)> = (0..1500).map(|i| (row(&format!("NEW-{i}")), village)).collect();
        rows.push((row("HGD-BD-TDP01-001"), village));
        let draft = AuditDraft {
            actor: "t".into(),
            on_behalf_of: None,
            action: "import.households".into(),
            entity: "import".into(),
            entity_id: "x".into(),
            unit_id: None,
            old: None,
            new: None,
            at_ms: 0,
            proof: thidua_app::Authorized::for_tests(),
        };
        // The database refuses the batch at once (SQLite) or when the staged rows go in, at the
        // latest at commit (PostgreSQL's COPY path).
        let r = async {
            let mut tx = app.store().begin_import().await?;
            tx.insert_households(&rows).await?;
            tx.commit(draft.clone()).await
        }
        .await;
        assert!(r.is_err(), "{engine:?}");
        // A committed import of good rows writes them and one audit entry.
        let mut tx = app.store().begin_import().await.expect("begin");
        tx.insert_households(&rows[..10]).await.expect("insert");
        tx.commit(draft).await.expect("commit");
        let committed =
            app.store().households(&Scope::All, None, None, Default::default(), PageRequest::new(1, 1)).await.expect("count").total;
        assert_eq!(committed, before + 10, "{engine:?}");
        let before = committed;
        let after = app.store().households(&Scope::All, None, None, Default::default(), PageRequest::new(1, 1)).await.expect("count").total;
        assert_eq!(before, after, "{engine:?}: a failed import left rows behind");
    }
}

#[tokio::test]
async fn an_import_validates_everything_first_and_then_writes_all_rows() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let bad =
            households_table(&[["HGD-N1", "BD-TDP01", "Mai Văn Tư"], ["HGD-N2", "CG-TDP01", "Hồ Thị Năm"], ["HGD-N3", "BD-TDP01", ""]]);
        let Err(AppError::Rows(errors)) = app.import(&officer, ImportKind::Households, &bad, &file(), false, &|_| {}).await else {
            panic!("{engine:?}: expected row errors");
        };
        assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![3, 4], "{engine:?}: {errors:?}");
        assert!(errors[0].reason.contains("ngoài phạm vi"), "{errors:?}");
        assert!(app.store().existing_household_codes(&["HGD-N1".into()]).await.expect("q").is_empty(), "nothing written");
        let good = households_table(&[["HGD-N1", "BD-TDP01", "Mai Văn Tư"], ["HGD-N3", "BD-TDP01", "Hồ Thị Năm"]]);
        let report = app.import(&officer, ImportKind::Households, &good, &file(), false, &|_| {}).await.expect("import");
        assert_eq!(report.created, 2);
        assert_eq!(app.store().existing_household_codes(&["HGD-N1".into(), "HGD-N3".into()]).await.expect("q").len(), 2);
    }
}

#[tokio::test]
async fn moving_a_unit_moves_its_whole_subtree() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let admin = actor(&app, "admin").await;
        let group = app.unit(&admin, unit_id(&app, "CG-TDP01").await).await.expect("unit");
        let ba_dinh = unit_id(&app, "P-BADINH").await;
        let input = UnitInput {
            code: group.code.clone(),
            name: group.name.clone(),
            kind: NodeKind::ResidentialGroup,
            parent_id: Some(ba_dinh),
            location_id: None,
            valid_from: None,
            valid_to: None,
            successors: vec![],
        };
        app.update_unit(&admin, group.id, group.version, input).await.expect("move");
        let officer = actor(&app, "phuongbadinh").await;
        let moved = app.households(&officer, Some(group.id), None, PageRequest::new(1, 1)).await.expect("now in scope");
        assert_eq!(moved.total, 14, "{engine:?}");
    }
}

#[tokio::test]
async fn every_write_is_chained_in_the_audit_log_and_the_chain_verifies() {
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let village = unit_id(&app, "BD-TDP01").await;
        let id = app
            .create_household(
                &officer,
                HouseholdInput {
                    code: "HGD-AUDIT".into(),
                    unit_id: village,
                    head_name: "Kiều Văn Chứng".into(),
                    address: None,
                    member_count: None,
                },
            )
            .await
            .expect("create");
        let history = app.household_history(&officer, id).await.expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].actor, "phuongbadinh");
        assert!(history[0].new.as_deref().unwrap_or("").contains("Kiều Văn Chứng"));
        let n = app.verify_audit().await.expect("chain verifies");
        assert!(n > 10, "{engine:?}");
    }
}

#[tokio::test]
async fn the_database_refuses_to_edit_or_delete_audit_entries() {
    for engine in engines() {
        let db = TestDb::demo(engine).await;
        let store = thidua_storage::connect(&db.url, 1).await.expect("connect");
        let upd = sqlx::Executor::execute(store.pool(), "UPDATE audit_log SET actor = 'ke-gian' WHERE seq = 1").await;
        assert!(upd.is_err(), "{engine:?}: update allowed");
        let del = sqlx::Executor::execute(store.pool(), "DELETE FROM audit_log WHERE seq = 1").await;
        assert!(del.is_err(), "{engine:?}: delete allowed");
    }
}

#[tokio::test]
async fn the_database_lets_only_an_erasure_touch_an_entry_and_verification_finds_one_nobody_ordered() {
    for engine in engines() {
        let mut db = TestDb::demo(engine).await;
        db.tampered();
        let store = thidua_storage::connect(&db.url, 1).await.expect("connect");
        for sql in [
            "UPDATE audit_log SET new_json = '{}' WHERE seq = 2",
            "UPDATE audit_log SET new_json = '{}', erased_by = 1, actor = 'ke-gian' WHERE seq = 2",
            "UPDATE audit_log SET new_json = '{}', erased_by = 1, new_digest = NULL WHERE seq = 2",
        ] {
            assert!(sqlx::Executor::execute(store.pool(), sql).await.is_err(), "{engine:?}: {sql} allowed");
        }
        // An erasure's shape is let through by the database, but no erase entry orders it.
        sqlx::Executor::execute(store.pool(), "UPDATE audit_log SET new_json = '{}', erased_by = 1 WHERE seq = 2").await.expect("erasure");
        let again = sqlx::Executor::execute(store.pool(), "UPDATE audit_log SET new_json = '{\"x\":1}', erased_by = 2 WHERE seq = 2").await;
        assert!(again.is_err(), "{engine:?}: an erased entry was edited again");
        let err = open(&db.url).await.verify_audit().await.expect_err("unordered erasure found");
        assert!(err.contains("số 2") && err.contains("không có lệnh xóa"), "{engine:?}: {err}");
    }
}

#[tokio::test]
async fn a_payload_edited_behind_the_triggers_is_found_against_its_digest() {
    let mut db = TestDb::demo(Engine::Sqlite).await;
    db.tampered();
    let store = thidua_storage::connect(&db.url, 1).await.expect("connect");
    for sql in ["DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET new_json = '{\"full_name\":\"Kẻ gian\"}' WHERE seq = 3"] {
        sqlx::Executor::execute(store.pool(), sql).await.expect(sql);
    }
    let err = open(&db.url).await.verify_audit().await.expect_err("edit found");
    assert!(err.contains("số 3") && err.contains("niêm phong"), "{err}");
}

#[tokio::test]
async fn the_database_refuses_to_delete_units_and_criteria_set_versions() {
    // Assessments point at both without a per-row key check on PostgreSQL: deleting is refused.
    for engine in engines() {
        let db = TestDb::demo(engine).await;
        let store = thidua_storage::connect(&db.url, 1).await.expect("connect");
        for sql in ["DELETE FROM units WHERE code = 'BD-TDP04'", "DELETE FROM criteria_sets WHERE id = 1"] {
            assert!(sqlx::Executor::execute(store.pool(), sql).await.is_err(), "{engine:?}: {sql} allowed");
        }
    }
}

#[tokio::test]
async fn tampering_behind_the_triggers_is_detected_by_verification() {
    // Someone with raw database access drops the guard and edits an entry.
    let mut db = TestDb::demo(Engine::Sqlite).await;
    db.tampered();
    let store = thidua_storage::connect(&db.url, 1).await.expect("connect");
    for sql in ["DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor = 'ke-gian' WHERE seq = 3"] {
        sqlx::Executor::execute(store.pool(), sql).await.expect(sql);
    }
    let app = open(&db.url).await;
    let err = app.verify_audit().await.expect_err("tampering detected");
    assert!(err.contains("số 3"), "{err}");
}

#[tokio::test]
async fn sessions_and_login_failures_live_in_the_database() {
    for engine in engines() {
        let db = TestDb::demo(engine).await;
        let a = open(&db.url).await;
        let b = open(&db.url).await;
        let (_, session) = a
            .login("phuongbadinh", support::PASSWORD, "10.0.0.1")
            .await
            .expect("login")
            .signed_in()
            .expect("a ward officer signs in in one step");
        let (actor, _) = b.session_actor(&session.token).await.expect("the other instance knows the session");
        assert_eq!(actor.username, "phuongbadinh");
        for i in 0..5 {
            let app = if i % 2 == 0 { &a } else { &b };
            assert!(matches!(app.login("sogd", "sai-mat-khau", "10.0.0.2").await, Err(AppError::Unauthenticated)));
        }
        let r = b.login("sogd", support::PASSWORD, "10.0.0.3").await;
        assert!(matches!(r, Err(AppError::Throttled(_))), "{engine:?}: {r:?}");
    }
}

#[tokio::test]
async fn a_large_csv_streams_in_batches_and_lands_whole() {
    use thidua_domain::import::RowSource;
    for engine in engines() {
        let (app, _db) = crate::support::demo_app(engine).await;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("lon.csv");
        let mut csv = String::from("Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ,Năm sinh chủ hộ\n");
        for i in 0..12_345 {
            csv.push_str(&format!("LON-{i:06},{},Đoàn Văn Số {i},{}\n", ["BD-TDP01", "CG-TDP02"][i % 2], 1950 + i % 50));
        }
        std::fs::write(&path, &csv).expect("write");
        let source = thidua_documents::CsvFile::open(&path, 100_000).expect("open");
        assert_eq!(source.rows().expect("rows").count(), 12_345);
        let admin = actor(&app, "admin").await;
        let report = app.import_source(&admin, ImportKind::Households, &source, &file(), false, &|_| {}).await.expect("import");
        assert_eq!(report.created, 12_345, "{engine:?}");
        let landed = app.store().existing_household_codes(&["LON-000000".into(), "LON-012344".into()]).await.expect("q");
        assert_eq!(landed.len(), 2);
        // Row 12,346 of a second file repeats a stored code: the whole file is refused.
        std::fs::write(&path, csv.replace("LON-", "LAI-") + "LON-000007,BD-TDP01,Trùng Lặp,1960\n").expect("write");
        let source = thidua_documents::CsvFile::open(&path, 100_000).expect("open");
        let Err(AppError::Rows(errors)) = app.import_source(&admin, ImportKind::Households, &source, &file(), false, &|_| {}).await else {
            panic!("expected a refusal")
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 12_347);
        assert!(
            app.store().existing_household_codes(&["LAI-000000".into()]).await.expect("q").is_empty(),
            "{engine:?}: nothing of the refused file landed"
        );
    }
}

#[tokio::test]
async fn shipped_criteria_sets_are_stored_once_and_never_edited() {
    for engine in engines() {
        let db = TestDb::empty(engine).await;
        let app = open(&db.url).await;
        let n = thidua_domain::criteria::SHIPPED.len();
        assert_eq!(app.store().criteria_sets().await.expect("list").len(), n, "{engine:?}");
        // A second start stores nothing new.
        assert_eq!(app.sync_shipped_criteria().await.expect("sync"), 0);
        let store = thidua_storage::connect(&db.url, 1).await.expect("connect");
        let edit = sqlx::Executor::execute(store.pool(), "UPDATE criteria_sets SET title_vi = 'sửa lén' WHERE id = 1").await;
        assert!(edit.is_err(), "{engine:?}: a stored version was edited");
    }
}

#[tokio::test]
async fn deleting_the_newest_audit_entries_is_detected_against_the_head() {
    for engine in engines() {
        let mut db = TestDb::demo(engine).await;
        db.tampered();
        let store = thidua_storage::connect(&db.url, 1).await.expect("connect");
        let drop_guard = match engine {
            Engine::Sqlite => "DROP TRIGGER audit_log_no_delete",
            Engine::Postgres => "DROP TRIGGER audit_log_no_delete ON audit_log",
        };
        for sql in [drop_guard, "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)"] {
            sqlx::Executor::execute(store.pool(), sql).await.expect(sql);
        }
        let app = open(&db.url).await;
        let err = app.verify_audit().await.expect_err("truncation detected");
        assert!(err.contains("các mục mới nhất đã bị xóa"), "{engine:?}: {err}");
    }
}
