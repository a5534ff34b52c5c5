//! Issue 14 on SQLite and PostgreSQL: a former ward divided among three new wards (the demo's Kim
//! Mã, Nghị quyết 1656/NQ-UBTVQH15) — its 2024 titles count under it in the 2024 report and under
//! each new ward by village in the 2025 tree; the new ward's officer sees exactly the villages
//! that moved to it; the mid-term review of a new ward counts what its villages achieved.

use crate::support::{Client, actor, demo_app, engines, unit_id};
use axum::http::StatusCode;
use thidua_app::AppError;
use thidua_app::ports::PageRequest;

const TITLE: &str = "gia_dinh_hoc_tap";

/// Households recognised in 2024 in each of Kim Mã's three groups (14 drawn, 12 pass).
const PER_GROUP: u64 = 12;

async fn version(app: &thidua_app::App, code: &str) -> i64 {
    let admin = actor(app, "admin").await;
    app.unit(&admin, unit_id(app, code).await).await.expect("unit").version
}

#[tokio::test]
async fn a_divided_wards_2024_titles_count_under_it_in_2024_and_under_each_new_ward_by_village_after() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let [kim_ma, ba_dinh, giang_vo, ngoc_ha] = [
            unit_id(&app, "P-KIMMA").await,
            unit_id(&app, "P-BADINH").await,
            unit_id(&app, "P-GIANGVO").await,
            unit_id(&app, "P-NGOCHA").await,
        ];
        let in_2024 = app.year_coverage(2024).await.expect("2024");
        assert_eq!(in_2024.cell(kim_ma, TITLE).recognised, 3 * PER_GROUP, "{engine:?}: the 2024 report, under the former ward");
        assert_eq!(in_2024.cell(ba_dinh, TITLE).recognised, 0, "{engine:?}: Ba Đình did not exist in 2024");
        // Group 3 still waits for its new ward: it stays with the former ward.
        let now = app.year_coverage_in(2024, 2025).await.expect("2024 in the 2025 tree");
        let got = [kim_ma, ba_dinh, giang_vo, ngoc_ha].map(|u| now.cell(u, TITLE).recognised);
        assert_eq!(got, [PER_GROUP, PER_GROUP, PER_GROUP, 0], "{engine:?}: Kim Mã, Ba Đình, Giảng Võ, Ngọc Hà");
        let admin = actor(&app, "admin").await;
        let group3 = unit_id(&app, "KM-TDP03").await;
        app.divide_unit(&admin, kim_ma, &[(group3, version(&app, "KM-TDP03").await, ngoc_ha)]).await.expect("divided");
        let now = app.year_coverage_in(2024, 2025).await.expect("again");
        let got = [kim_ma, ba_dinh, giang_vo, ngoc_ha].map(|u| now.cell(u, TITLE).recognised);
        assert_eq!(got, [0, PER_GROUP, PER_GROUP, PER_GROUP], "{engine:?}");
        let city = unit_id(&app, "HN").await;
        assert_eq!(
            now.cell(city, TITLE).recognised,
            in_2024.cell(city, TITLE).recognised,
            "{engine:?}: the city counts each title once in both trees"
        );
        assert_eq!(
            app.year_coverage(2024).await.expect("2024").cell(kim_ma, TITLE).recognised,
            3 * PER_GROUP,
            "{engine:?}: the 2024 report unchanged"
        );
        assert!(app.unassigned_units(&admin).await.expect("report").is_empty(), "{engine:?}: nothing left to move");
    }
}

#[tokio::test]
async fn a_new_wards_officer_sees_the_villages_that_moved_to_it_and_not_the_rest_of_the_divided_ward() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let [group1, group2, group3, kim_ma] = [
            unit_id(&app, "KM-TDP01").await,
            unit_id(&app, "KM-TDP02").await,
            unit_id(&app, "KM-TDP03").await,
            unit_id(&app, "P-KIMMA").await,
        ];
        let page = app.households(&officer, Some(group1), None, PageRequest::new(1, 50)).await.expect("moved to Ba Đình");
        assert_eq!(page.total, 14, "{engine:?}");
        for other in [group2, group3, kim_ma] {
            let r = app.households(&officer, Some(other), None, PageRequest::new(1, 50)).await;
            assert!(matches!(r, Err(AppError::Forbidden)), "{engine:?}: {other}: {:?}", r.map(|p| p.total));
        }
        let all = app.households(&officer, None, None, PageRequest::new(1, 500)).await.expect("the ward's list");
        let kim_ma_ids: Vec<i64> = all.items.iter().filter(|h| h.code.starts_with("HGD-KM-")).map(|h| h.unit_id).collect();
        assert_eq!(kim_ma_ids.len(), 14, "{engine:?}");
        assert!(kim_ma_ids.iter().all(|u| *u == group1), "{engine:?}");
        // Placing Kim Mã's last group needs the right over Kim Mã, which Ba Đình's officer lacks.
        let r = app.divide_unit(&officer, kim_ma, &[(group3, version(&app, "KM-TDP03").await, unit_id(&app, "P-BADINH").await)]).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "{engine:?}: {r:?}");
    }
}

#[tokio::test]
async fn the_mid_term_review_of_a_new_ward_counts_what_the_villages_it_holds_achieved_since_2023() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let sogd = actor(&app, "sogd").await;
        for (code, expected) in [("P-GIANGVO", PER_GROUP), ("P-NGOCHA", 0)] {
            let review = app.phase_review(&sogd, Some(unit_id(&app, code).await), 2025).await.expect("review");
            let phase1 = review.titles.iter().find(|t| t.code == TITLE).and_then(|t| t.phases.first()).map(|p| p.recognitions);
            assert_eq!(phase1.unwrap_or(0), expected, "{engine:?}: {code}");
        }
    }
}

#[tokio::test]
async fn the_divided_wards_page_moves_its_last_group_and_the_groups_page_shows_both_wards() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let (kim_ma, group3, ngoc_ha) = (unit_id(&app, "P-KIMMA").await, unit_id(&app, "KM-TDP03").await, unit_id(&app, "P-NGOCHA").await);
        let mut c = Client::new(app.clone());
        c.login("admin").await;
        let page = c.get(&format!("/units/{kim_ma}")).await.text();
        assert!(page.contains("id=\"divide\"") && page.contains("Phường Ngọc Hà</a> (một phần)"), "{engine:?}");
        let csrf = crate::support::csrf_of(&page);
        let v = version(&app, "KM-TDP03").await.to_string();
        let (to, ver) = (format!("to_{group3}"), format!("version_{group3}"));
        let ngoc_ha_s = ngoc_ha.to_string();
        let r = c
            .post_form(
                &format!("/units/{kim_ma}/divide"),
                &[("_csrf", csrf.as_str()), (to.as_str(), ngoc_ha_s.as_str()), (ver.as_str(), v.as_str())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        let page = c.get(&format!("/units/{kim_ma}")).await.text();
        assert!(!page.contains("id=\"divide\""), "{engine:?}: nothing left to divide");
        let group = c.get(&format!("/units/{group3}")).await.text();
        assert!(group.contains("Trước đây thuộc") && group.contains("Phường Kim Mã</a> (đến hết 30/06/2025)"), "{engine:?}");
        assert!(group.contains("thuộc đơn vị hiện tại từ 01/07/2025"), "{engine:?}");
        let ward = c.get(&format!("/units/{ngoc_ha}")).await.text();
        assert!(ward.contains("Phường Kim Mã</a> (một phần, từ 01/07/2025)"), "{engine:?}: the new ward names what it took over");
        // Kim Mã's own 2024 title, in the new ward's history as a predecessor's, not counted.
        let inherited = ward.split("id=\"inherited\"").nth(1).unwrap_or_default();
        assert!(
            inherited.contains("Cộng đồng học tập cấp xã") && inherited.contains("năm 2024") && inherited.contains("112/QĐ-UBND"),
            "{engine:?}"
        );
        assert!(inherited.contains("tạm thời") && !inherited.contains("được tính là danh hiệu của đơn vị này"), "{engine:?}");
        // The group's history shows the division that moved it, recorded on Kim Mã.
        let history = c.get(&format!("/units/{group3}/history")).await.text();
        assert!(history.contains("Chia thôn, tổ dân phố của đơn vị đã chia"), "{engine:?}");
        // The same form posted again (stale) is refused with the page, not a crash.
        let r = c
            .post_form(
                &format!("/units/{kim_ma}/divide"),
                &[("_csrf", csrf.as_str()), (to.as_str(), ngoc_ha_s.as_str()), (ver.as_str(), v.as_str())],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{engine:?}");
    }
}

#[tokio::test]
async fn a_divided_ward_is_assessed_up_to_its_last_year_and_the_new_ward_from_its_first() {
    use thidua_app::titles::AssessmentForm;
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let sogd = actor(&app, "sogd").await;
        let (kim_ma, ngoc_ha) = (unit_id(&app, "P-KIMMA").await, unit_id(&app, "P-NGOCHA").await);
        let set = |year: i64| {
            let app = app.clone();
            async move {
                let sets = app.sets_for_year(year).await.expect("sets");
                sets.into_iter().filter(|r| r.title == "cong_dong_hoc_tap_xa").map(|r| r.id).next().expect("a commune set")
            }
        };
        let form = |subject_id, year, criteria_set| AssessmentForm { criteria_set, subject_id, year, ..Default::default() };
        let r = app.save_assessment(&sogd, form(kim_ma, 2026, set(2026).await)).await;
        assert!(matches!(r, Err(AppError::Invalid(ref m)) if m.contains("đã kết thúc ngày 30/06/2025")), "{engine:?}: {r:?}");
        let r = app.save_assessment(&sogd, form(ngoc_ha, 2024, set(2024).await)).await;
        assert!(matches!(r, Err(AppError::Invalid(ref m)) if m.contains("hiệu lực từ ngày 01/07/2025")), "{engine:?}: {r:?}");
        // Within its years the ward is assessed as before (an empty form: refused for its answers, not its dates).
        let r = app.save_assessment(&sogd, form(ngoc_ha, 2025, set(2025).await)).await;
        assert!(!matches!(r, Err(AppError::Invalid(ref m)) if m.contains("không đánh giá cho năm")), "{engine:?}: {r:?}");
    }
}

#[tokio::test]
async fn a_group_set_back_under_its_divided_ward_by_an_edit_can_be_handed_over_again() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let admin = actor(&app, "admin").await;
        let (kim_ma, group1, ngoc_ha) = (unit_id(&app, "P-KIMMA").await, unit_id(&app, "KM-TDP01").await, unit_id(&app, "P-NGOCHA").await);
        // An officer corrects the group's parent back to Kim Mã (a correction, not a move).
        let g = app.unit(&admin, group1).await.expect("group");
        let input = thidua_app::ports::UnitInput {
            code: g.code.clone(),
            name: g.name.clone(),
            kind: g.kind,
            parent_id: Some(kim_ma),
            location_id: g.location_id,
            valid_from: g.valid_from,
            valid_to: g.valid_to,
            successors: g.successors.clone(),
        };
        app.update_unit(&admin, group1, g.version, input).await.expect("set back");
        app.divide_unit(&admin, kim_ma, &[(group1, version(&app, "KM-TDP01").await, ngoc_ha)]).await.expect("handed over again");
        let g = app.unit(&admin, group1).await.expect("group");
        assert_eq!(g.parent_id, Some(ngoc_ha), "{engine:?}");
        assert_eq!(g.earlier_parents.len(), 1, "{engine:?}: one parent up to 30/06/2025, Kim Mã");
        assert_eq!(g.earlier_parents[0].parent, kim_ma, "{engine:?}");
    }
}

#[tokio::test]
async fn a_commune_title_template_lists_the_wards_that_existed_at_the_end_of_its_year() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let sogd = actor(&app, "sogd").await;
        let city = unit_id(&app, "HN").await;
        let names = |year: i64| {
            let (app, sogd) = (app.clone(), sogd.clone());
            async move {
                let sets = app.sets_for_year(year).await.expect("sets");
                let set = sets.into_iter().filter(|r| r.title == "cong_dong_hoc_tap_xa").map(|r| r.id).next().expect("a commune set");
                let (_, _, subjects) = app.template_subjects(&sogd, set, city, year).await.expect("template");
                subjects.into_iter().map(|s| s.name).collect::<Vec<_>>()
            }
        };
        let in_2024 = names(2024).await;
        assert!(
            in_2024.contains(&"Phường Kim Mã".to_string()) && !in_2024.contains(&"Phường Ngọc Hà".to_string()),
            "{engine:?}: {in_2024:?}"
        );
        let in_2026 = names(2026).await;
        assert!(
            !in_2026.contains(&"Phường Kim Mã".to_string()) && in_2026.contains(&"Phường Ngọc Hà".to_string()),
            "{engine:?}: {in_2026:?}"
        );
    }
}
