//! The retention job (issue 18 §3): a scan lists, per purpose of the record of processing, what
//! is past its period; nothing goes until an administrator of the city confirms; then exactly
//! what the scan's cutoff selects goes, audited, with the tallies counted again. Both engines.

use crate::support::{actor, demo_app_at, engines, unit_id};
use crate::titles::{file, household_set, sheet};
use thidua_app::AppError;
use thidua_app::ports::{PageRequest, PersonSort, ReadChannel};
use thidua_app::titles::{DecisionForm, SheetTarget};
use thidua_domain::processing::SweepWhat;
use thidua_domain::titles::Stage;

#[tokio::test]
async fn past_their_period_unrecognised_assessments_and_old_reads_go_only_once_an_administrator_confirms() {
    for engine in engines() {
        let (app, db, clock) = demo_app_at(engine, time::macros::datetime!(2026-12-08 02:00 UTC)).await;
        let store = thidua_storage::connect(&db.url, 1).await.expect("connect");
        let n = |sql: &'static str| {
            let pool = store.pool().clone();
            async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect(sql) }
        };
        // Ba Đình assesses its first group for 2025, three below the mark, and recognises the rest.
        let ward = actor(&app, "phuongbadinh").await;
        let set = household_set(&app).await;
        let table = sheet(&app, set, unit_id(&app, "BD-TDP01").await, 3).await;
        let target = SheetTarget { criteria_set: set, year: 2025, stage: Stage::Verified };
        app.import_assessments(&ward, target, &table, &file(), false).await.expect("import");
        let decision = DecisionForm {
            criteria_set: set,
            year: 2025,
            issuing_unit: unit_id(&app, "P-BADINH").await,
            number: "40/QĐ-UBND".into(),
            signed_on: time::macros::date!(2026 - 01 - 20),
            signer: "Vũ Văn Hùng".into(),
            signer_title: "Chủ tịch".into(),
            only: None,
        };
        let decision = app.issue_decision(&ward, decision).await.expect("decision");
        let recognised = app.decision(&ward, decision).await.expect("view").items.len();
        let person = app.people(&ward, None, None, None, PersonSort::Name, PageRequest::new(1, 1)).await.expect("p").items[0].id;
        app.read_person(&ward, person, ReadChannel::Page).await.expect("read");

        // Five full years after 2025, and five years to the day after the read.
        clock.set(time::macros::datetime!(2031-12-09 02:00 UTC));
        let admin = actor(&app, "admin").await;
        let unrecognised = n("SELECT COUNT(*) FROM assessments WHERE decision_id IS NULL AND year < 2026").await;
        let reads = n("SELECT COUNT(*) FROM read_log").await;
        assert!(unrecognised >= 3 && reads >= 1, "{engine:?}: {unrecognised} {reads}");
        let scans = app.scan_retention(Some(&admin)).await.expect("scan");
        let due = |what: SweepWhat| scans.iter().find(|s| s.what == what).expect("scanned").clone();
        assert_eq!(due(SweepWhat::UnrecognisedAssessments).due, unrecognised, "{engine:?}");
        assert_eq!(due(SweepWhat::ReadLog).due, reads, "{engine:?}");
        assert_eq!(n("SELECT COUNT(*) FROM read_log").await, reads, "{engine:?}: a scan removes nothing");
        let waiting = app.waiting_items(&admin).await.expect("waiting");
        assert!(waiting.iter().any(|w| w.link == "/admin/retention" && w.count as i64 == unrecognised), "{engine:?}: {waiting:?}");

        let ward_tries = app.apply_retention(&ward, due(SweepWhat::ReadLog).id, 1).await;
        assert!(matches!(ward_tries, Err(AppError::Forbidden)), "{engine:?}: {ward_tries:?}");
        let a = due(SweepWhat::UnrecognisedAssessments);
        assert_eq!(app.apply_retention(&admin, a.id, a.version).await.expect("applied"), unrecognised, "{engine:?}");
        let r = due(SweepWhat::ReadLog);
        assert_eq!(app.apply_retention(&admin, r.id, r.version).await.expect("applied"), reads, "{engine:?}");
        assert_eq!(n("SELECT COUNT(*) FROM assessments WHERE decision_id IS NULL AND year < 2026").await, 0, "{engine:?}");
        assert_eq!(app.decision(&ward, decision).await.expect("view").items.len(), recognised, "{engine:?}: recognitions stay");
        let coverage = app.coverage(&ward, 2025, Some(unit_id(&app, "P-BADINH").await)).await.expect("coverage");
        let col = coverage.titles.iter().position(|t| t.code == "gia_dinh_hoc_tap").expect("column");
        assert_eq!(coverage.total.cells[col].assessed, recognised as u64, "{engine:?}: the tallies were counted again");
        let again = app.apply_retention(&admin, a.id, a.version + 1).await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{engine:?}: once: {again:?}");
        assert!(app.verify_audit().await.is_ok(), "{engine:?}");
        let audit = app.store().audit_after(0, 1_000_000).await.expect("audit");
        let applied: Vec<_> = audit.iter().filter(|e| e.action == "retention.apply").collect();
        assert_eq!(applied.len(), 2, "{engine:?}: each removal audited");
        assert!(applied[0].new.as_deref().is_some_and(|t| t.contains(&format!("\"removed\":{unrecognised}"))), "{engine:?}");
    }
}
