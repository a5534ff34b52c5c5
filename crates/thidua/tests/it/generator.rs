//! The Hanoi-scale generator at one two-thousandth of the city, on SQLite and PostgreSQL: it
//! builds the registry, one year of assessments and the wards' decisions through the real use
//! cases, and the coverage it reports agrees with the assessments stored.

use crate::support::{TestDb, actor, engines, open};
use thidua::scale::{Scale, generate};
use thidua_app::ports::{AssessmentFilter, PageRequest};

#[test]
fn the_scale_names_the_hanoi_city_and_its_fractions() {
    assert_eq!(Scale::parse("hanoi"), Some(Scale::HANOI));
    let small = Scale::parse("hanoi/2000").expect("a fraction");
    assert_eq!((small.wards, small.villages, small.households, small.people), (2, 2, 1250, 3000));
    assert_eq!(Scale::parse("paris"), None);
    assert_eq!(Scale::parse("hanoi/0"), None);
}

#[tokio::test]
async fn a_small_city_is_generated_assessed_and_recognised_and_its_coverage_adds_up() {
    for engine in engines() {
        let db = TestDb::empty(engine).await;
        let app = open(&db.url).await;
        let scale = Scale::parse("hanoi/2000").expect("scale");
        let g = generate(&app, &scale, false).await.expect("generates");
        assert_eq!((g.households, g.people), (scale.households, scale.people), "{engine:?}");
        assert_eq!(g.clans, scale.clans);
        // Households, citizens, clans, villages, wards, schools: every subject assessed once.
        assert!(g.assessments >= scale.households + scale.people + scale.clans + scale.villages + scale.wards, "{g:?}");
        assert!(g.decisions >= 2 * scale.wards, "each ward recognises its households and citizens: {g:?}");

        let admin = actor(&app, "admin").await;
        let decided =
            |title: &str| AssessmentFilter { title: title.into(), year: Some(scale.year), decided: Some(true), ..Default::default() };
        let recognised = app.assessments(&admin, &decided("gia_dinh_hoc_tap"), PageRequest::new(1, 1)).await.expect("list").total;
        let table = app.coverage(&admin, scale.year, None).await.expect("coverage");
        let column = table.titles.iter().position(|t| t.code == "gia_dinh_hoc_tap").expect("household column");
        let cell = table.total.cells[column];
        assert!(recognised > 0 && recognised < scale.households as i64, "some households pass, some do not: {recognised}");
        assert_eq!((cell.recognised, cell.eligible), (recognised as u64, scale.households as u64), "{engine:?}");

        // The real city (issue 14 §6): the 126 wards and communes of 01/07/2025 and the units
        // before them; each generated village recorded under a former unit until 30/06/2025.
        let snap = app.snapshot().await.expect("tree");
        let from_july = time::macros::date!(2025 - 07 - 01);
        assert_eq!(
            snap.units.values().filter(|u| u.valid_from == Some(from_july) && u.parent_id == snap.by_code.get("HN").copied()).count(),
            126
        );
        let ba_dinh = snap.by_code.get("00004").copied().expect("Phường Ba Đình");
        let village =
            snap.units.values().find(|u| u.parent_id == Some(ba_dinh) && u.kind.holds_households()).expect("a village of Ba Đình");
        let before =
            village.earlier_parents.first().and_then(|e| snap.units.get(&e.parent)).map(|u| (u.code.starts_with("CU-"), u.valid_to));
        assert_eq!(before, Some((true, Some(time::macros::date!(2025 - 06 - 30)))), "{engine:?}: {}", village.name);
        assert!(app.unassigned_units(&admin).await.expect("report").is_empty(), "{engine:?}: every village has its new ward");

        // A second run refuses to write into a database that holds data.
        assert!(generate(&app, &scale, false).await.is_err());
    }
}

#[tokio::test]
async fn the_pages_benchmark_walks_every_users_pages_on_a_small_city_and_fails_past_its_limit() {
    // Issue 19: `thidua bench pages` runs in CI at a small scale as a smoke test; a limit no page
    // can meet makes it fail, naming the pages.
    for engine in engines() {
        let db = TestDb::empty(engine).await;
        let app = open(&db.url).await;
        generate(&app, &Scale::parse("hanoi/2000").expect("scale"), false).await.expect("generates");
        let config = thidua::config::Config { database_url: db.url.clone(), ..Default::default() };
        let opts = |limit_ms| thidua::bench::PagesBench {
            users: vec!["sogd".into(), "phuong001".into()],
            runs: 2,
            per_kind: 1,
            max_pages: 60,
            limit_ms,
            typed: vec!["/search?q=nguyen".into(), "/people?last=1".into()],
        };
        thidua::bench::pages(&config, opts(60_000.0)).await.expect("every page answers under a minute");
        let over = thidua::bench::pages(&config, opts(0.0)).await.expect_err("no page is served in no time");
        assert!(over.contains("sogd /") && over.contains("phuong001 /search?q=nguyen"), "{engine:?}: {over}");
        // Issue 14 §7: `thidua bench tree` on the same city, as a smoke test.
        thidua::bench::tree(&config, "sogd", 1).await.expect("the tree benchmark runs");
    }
}

#[tokio::test]
async fn the_import_and_isolation_benchmarks_run_on_a_small_file() {
    // Issue 19: `thidua bench import` and `thidua bench isolation` as smoke tests (each makes a
    // database of its own: a SQLite file, or a new database on the test server).
    for engine in engines() {
        let server = match engine {
            crate::support::Engine::Sqlite => None,
            crate::support::Engine::Postgres => crate::support::pg_url(),
        };
        thidua::bench::import(2_000, None, server.clone()).await.unwrap_or_else(|e| panic!("{engine:?}: bench import: {e}"));
        let importer = std::path::Path::new(env!("CARGO_BIN_EXE_thidua"));
        thidua::bench::isolation(2_000, server, 50, 1, importer).await.unwrap_or_else(|e| panic!("{engine:?}: bench isolation: {e}"));
    }
}

#[tokio::test]
async fn the_kept_dashboards_benchmark_runs_while_wards_write() {
    // Issue 19, target 5: `thidua bench kept` as a smoke test on the demo city (its writes
    // happen, the dashboards answer 200 throughout).
    for engine in engines() {
        let db = crate::support::TestDb::demo(engine).await;
        let config = thidua::config::Config { database_url: db.url.clone(), ..Default::default() };
        let app = open(&db.url).await;
        let households = || async { app.store().table_size(thidua_app::ports::BulkTable::Households).await.expect("count").1 };
        let before = households().await;
        let opts = thidua::bench::KeptBench { year: 2025, writers: 1, every_ms: 20, seconds: 0.3, readers: 1 };
        thidua::bench::kept(&config, opts).await.unwrap_or_else(|e| panic!("{engine:?}: bench kept: {e}"));
        assert!(households().await > before, "{engine:?}: the writers wrote");
    }
}
