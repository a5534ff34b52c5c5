//! Decree 152/2025 Art. 60, the transitional rules, on SQLite and PostgreSQL (issue 13 §10, §18):
//! a state-level dossier sent upward before 01/7/2025 is paid under Decree 98's coefficient, and a
//! decision of the second half of 2025 asks whether Hanoi had issued its own procedure rules.

use crate::award_routes::{app_at, dossier_for, own_decision};
use crate::commendation::{before_the_chairman, city, nominate, version};
use crate::support::{Client, Engine, TestDb, actor, engines};
use axum::http::StatusCode;
use thidua_app::commendation::OwnDecisionInput;
use thidua_domain::commendation::workflow::State;
use time::macros::{date, datetime};

/// Records the Chairman's proposal upward, dated as the city sent it on 20/06/2025 (a dossier of
/// the mid-term review sent to the Ministry before Decree 152 came into force).
async fn propose_upward_in_june_2025(office: &mut Client, app: &thidua_app::App, db: &TestDb, engine: Engine, batch: i64) {
    decide(office, app, batch, "310/TTr-UBND", "20/06/2025").await;
    let q = match engine {
        Engine::Sqlite => "UPDATE batch_events SET at = ? WHERE batch_id = ? AND step = 'propose_upward'",
        Engine::Postgres => "UPDATE batch_events SET at = $1 WHERE batch_id = $2 AND step = 'propose_upward'",
    };
    let june = datetime!(2025-06-20 03:00 UTC).unix_timestamp() * 1000;
    let direct = thidua_storage::connect(&db.url, 1).await.expect("connect");
    sqlx::query(sqlx::AssertSqlSafe(q)).bind(june).bind(batch).execute(direct.pool()).await.expect("backdated");
}

/// The Chairman's office's form on the queue: the proposal upward, or the central decision.
async fn decide(office: &mut Client, app: &thidua_app::App, batch: i64, number: &str, signed: &str) {
    let b = app.store().batch(batch).await.expect("q").expect("batch");
    let pick = format!("{}:{}:{}:{}", b.id, b.version, b.campaign_id, b.level);
    let form = [
        ("pick", pick.as_str()),
        ("number", number),
        ("signed_on", signed),
        ("signer", "Thủ tướng"),
        ("signer_title", "Thủ tướng Chính phủ"),
    ];
    let r = office.post_form("/awards/decide", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

#[tokio::test]
async fn a_prime_minister_s_bang_khen_sent_upward_before_july_2025_is_paid_under_decree_98() {
    // Decree 152/2025 Art. 60(3): a dossier sent to the Ministry before 01/7/2025 is decided under
    // Decree 98/2023; Art. 49(1): the base salary of the decision's date (2,340,000 đ in 08/2025).
    for engine in engines() {
        let (app, db, households) = city(engine).await;
        let (early, _) = before_the_chairman(&app, "23/TTr-UBND", "bang_khen_thu_tuong", &[&households[5].0]).await;
        let (late, _) = before_the_chairman(&app, "24/TTr-UBND", "bang_khen_thu_tuong", &[&households[6].0]).await;
        let mut office = Client::new(app.clone());
        office.login("vpubnd").await;
        propose_upward_in_june_2025(&mut office, &app, &db, engine, early).await;
        decide(&mut office, &app, late, "311/TTr-UBND", "02/07/2025").await;
        let page = office.get(&format!("/awards/batches/{early}")).await.text();
        assert!(page.contains("id=\"reward-rule\"") && page.contains("khoản 3 Điều 60"), "{engine:?}: the dossier says which decree pays");
        let page = office.get(&format!("/awards/batches/{late}")).await.text();
        assert!(!page.contains("id=\"reward-rule\""), "{engine:?}: recorded in 2030, no transitional rule");
        for batch in [early, late] {
            decide(&mut office, &app, batch, &format!("15{batch}/QĐ-TTg"), "15/08/2025").await;
        }
        let paid = |batch: i64| {
            let app = app.clone();
            async move {
                let b = app.store().batch(batch).await.expect("q").expect("batch");
                assert_eq!(b.state, State::CentralDecided);
                app.store().award_decision(b.decision_id.expect("recorded")).await.expect("q").expect("decision").reward_vnd
            }
        };
        // A household under Decree 98 (coefficient 1.5, unchecked): 1.5 × 2,340,000 = 3,510,000 đ.
        assert_eq!(paid(early).await, 3_510_000, "{engine:?}");
        // Under Decree 152 Art. 54(1)(a), (3): 3.5 × 1.5 = 5.25 × 2,340,000 = 12,285,000 → 12,290,000 đ.
        assert_eq!(paid(late).await, 12_290_000, "{engine:?}");
    }
}

#[tokio::test]
async fn a_giay_khen_decided_in_the_second_half_of_2025_asks_whether_hanoi_had_its_own_procedure_rules() {
    // Decree 152/2025 Art. 60(2): Decree 98 governs the province's own awards' dossier and
    // procedure until 31/12/2025 where the province had not issued its rules; Hanoi's are not
    // known, so the decision asks before it is issued, and the legal-bases page says so.
    for engine in engines() {
        let (app, _db, households) = city(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let batch = dossier_for(&app, &ward, "P-BADINH", "34/TTr-UBND", "giay_khen").await;
        nominate(&app, &ward, batch, &households[3].0).await;
        let input = OwnDecisionInput { signed_on: date!(2025 - 09 - 15), ..own_decision(batch, version(&app, batch).await, "16/QĐ-UBND") };
        let decision = app.decide_own(&ward, input).await.expect("decided");
        let bases = app.award_decision_doc(&ward, decision).await.expect("doc").value.bases;
        let note = bases.iter().find(|b| b.contains("khoản 2 Điều 60")).unwrap_or_else(|| panic!("{engine:?}: {bases:?}"));
        assert!(note.contains("98/2023/NĐ-CP") && note.contains("cần xác định trước khi ban hành"), "{engine:?}: {note}");
        assert!(bases.iter().any(|b| b.contains("Nghị định số 152/2025/NĐ-CP")), "{engine:?}: Decree 152 is the decree in force");
        let mut doha = Client::new(app.clone());
        doha.login("btdkt").await;
        let page = doha.get("/legal-bases").await.text();
        assert!(page.contains("id=\"transitions\"") && page.contains("khoản 3 Điều 60") && page.contains("Tạm thời"), "{engine:?}");
    }
}

#[tokio::test]
async fn the_city_has_30_working_days_from_the_full_dossier_to_submit_a_state_award_upward() {
    // Decree 152/2025 Art. 35(3): «trong thời hạn 30 ngày làm việc …, kể từ ngày nhận đủ hồ sơ …,
    // bộ, ban, ngành, tỉnh xem xét, trình Thủ tướng Chính phủ». DOET sends the dossier on Thursday
    // 01/10/2026; DOHA finds it complete: the city submits by Thursday 12/11/2026.
    for engine in engines() {
        let (_, db, households) = city(engine).await;
        let october = app_at(&db, datetime!(2026-10-01 02:00 UTC)).await;
        let (batch, _) = before_the_chairman(&october, "26/TTr-UBND", "bang_khen_thu_tuong", &[&households[7].0]).await;
        let doha = actor(&october, "btdkt").await;
        let due = october.batch_view(&doha, batch).await.expect("view").city_due.expect("a time limit");
        assert_eq!((due.last_day, due.late), (date!(2026 - 11 - 12), false), "{engine:?}");
        assert!(due.text.contains("khoản 3 Điều 35"), "{engine:?}: {}", due.text);
        let november = app_at(&db, datetime!(2026-11-13 02:00 UTC)).await;
        let view = november.batch_view(&doha, batch).await.expect("view");
        assert!(view.city_due.is_some_and(|d| d.late), "{engine:?}: a day past it, not yet submitted");
        let mut office = Client::new(november.clone());
        office.login("btdkt").await;
        let page = office.get(&format!("/awards/batches/{batch}")).await.text();
        assert!(page.contains("id=\"city-due\"") && page.contains("12/11/2026"), "{engine:?}");
    }
}
