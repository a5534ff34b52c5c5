//! The commendation pages as an officer uses them: forms that keep what was typed, nominees found
//! by name, a subject's page starting its nomination, who is offered which step, and a late
//! ward's request for an extension answered by DOET.

use crate::commendation::{city, dossier, final_review, nominate, version};
use crate::support::{Engine, actor, engines, unit_id};
use thidua_app::App;
use thidua_app::commendation::StepInput;
use thidua_domain::commendation::workflow::Step;

#[tokio::test]
async fn a_refused_dossier_form_keeps_its_number_and_summary() {
    let (app, _db, _) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let campaign = final_review(&app, &ward).await;
    let mut web = crate::support::Client::new(app.clone());
    web.login("phuongbadinh").await;
    let page = web.get(&format!("/awards/campaigns/{campaign}")).await.text();
    assert!(
        page.contains("<option value=\"P-BADINH\" selected>Phường Ba Đình</option>"),
        "the ward is chosen by name, not typed as a code"
    );
    let r = web
        .post_form(
            &format!("/awards/campaigns/{campaign}/batches"),
            &[
                ("unit", "P-BADINH"),
                ("level", "huan_chuong_lao_dong_hang_nhat"),
                ("number", ""),
                ("summary", "Đề nghị khen thưởng gia đình học tập tiêu biểu"),
            ],
        )
        .await;
    let page = r.text();
    assert!(page.contains("role=\"alert\""), "refused: {page}");
    for kept in ["value=\"Đề nghị khen thưởng gia đình học tập tiêu biểu\"", "<option value=\"P-BADINH\" selected>"] {
        assert!(page.contains(kept), "{kept} is shown again");
    }
    assert!(page.contains("value=\"huan_chuong_lao_dong_hang_nhat\" selected"), "the level chosen stays chosen");
}

#[tokio::test]
async fn a_refused_nominee_keeps_its_achievement_text() {
    let (app, _db, _) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let batch = dossier(&app, &ward, "46/TTr-UBND").await;
    let mut web = crate::support::Client::new(app.clone());
    web.login("phuongbadinh").await;
    let achievement = "Ba thế hệ cùng học;\nông bà đọc sách mỗi tối cho các cháu.";
    let r = web
        .post_form(
            &format!("/awards/batches/{batch}/nominees"),
            &[
                ("version", &version(&app, batch).await.to_string()),
                ("subject_type", "household"),
                ("code", "HGD-KHONGCO"),
                ("position", "Chủ hộ"),
                ("achievement", achievement),
                ("cites_initiative", "on"),
            ],
        )
        .await;
    let page = r.text();
    assert!(page.contains("id=\"batch-error\"") && page.contains("href=\"#add-nominee\""), "a summary links to the form: {page}");
    assert!(page.contains(&format!(">{achievement}</textarea>")), "the achievement is shown again as typed");
    assert!(page.contains("value=\"HGD-KHONGCO\"") && page.contains("value=\"Chủ hộ\""));
    assert!(page.contains("name=\"cites_initiative\" checked"), "the box stays ticked");
}

#[tokio::test]
async fn only_the_proposer_is_offered_to_withdraw_a_dossier_sent_to_doet() {
    let (app, _db, households) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let batch = dossier(&app, &ward, "47/TTr-UBND").await;
    nominate(&app, &ward, batch, &households[2].0).await;
    app.take_step(&ward, batch, version(&app, batch).await, Step::Submit, StepInput::default()).await.expect("submit");
    let page_of = |who: &'static str| {
        let app = app.clone();
        async move {
            let mut web = crate::support::Client::new(app);
            web.login(who).await;
            web.get(&format!("/awards/batches/{batch}")).await.text()
        }
    };
    assert!(page_of("phuongbadinh").await.contains("id=\"step-withdraw\""), "the ward may take it back to fix");
    let doet = page_of("sogd").await;
    assert!(!doet.contains("id=\"step-withdraw\"") && !doet.contains("Rút lại để sửa"), "DOET appraises; it does not withdraw");
    assert!(doet.contains("id=\"step-doet_accept\""));
}

#[tokio::test]
async fn a_nominee_is_found_by_a_name_typed_without_diacritics_and_several_are_offered() {
    let (app, _db, households) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let batch = dossier(&app, &ward, "48/TTr-UBND").await;
    let head = app
        .store()
        .subjects_by_code(thidua_domain::titles::Subject::Household, std::slice::from_ref(&households[2].0))
        .await
        .expect("q")
        .remove(0);
    let folded = thidua_domain::text::fold(&head.name);
    let mut web = crate::support::Client::new(app.clone());
    web.login("phuongbadinh").await;
    async fn post(app: &App, web: &mut crate::support::Client, batch: i64, code: String) -> crate::support::Resp {
        let v = version(app, batch).await.to_string();
        web.post_form(&format!("/awards/batches/{batch}/nominees"), &[("version", &v), ("subject_type", "household"), ("code", &code)])
            .await
    }
    let r = post(&app, &mut web, batch, folded.clone()).await;
    let page = r.text();
    let matches = app
        .households(&ward, Some(unit_id(&app, "P-BADINH").await), Some(&folded), thidua_app::ports::PageRequest::new(1, 20))
        .await
        .expect("q")
        .total;
    if matches == 1 {
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "one match is taken: {page}");
    } else {
        assert!(page.contains("id=\"choices\"") && page.contains(&head.name), "several are offered by name: {page}");
        let r = post(&app, &mut web, batch, head.code.clone()).await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "the chosen one is added");
    }
    let nominees = app.store().nominees(batch).await.expect("nominees");
    assert!(nominees.iter().any(|n| n.subject_id == head.id), "the household typed by name is in the dossier");
    // A name nobody in the ward has is said so.
    let r = post(&app, &mut web, batch, "khong co ai ten nay".into()).await;
    assert!(r.text().contains("Không tìm thấy «khong co ai ten nay»"), "{}", r.text());
}

#[tokio::test]
async fn a_households_page_starts_its_nomination_into_a_dossier_being_prepared() {
    let (app, _db, households) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let batch = dossier(&app, &ward, "49/TTr-UBND").await;
    let head = app
        .store()
        .subjects_by_code(thidua_domain::titles::Subject::Household, std::slice::from_ref(&households[3].0))
        .await
        .expect("q")
        .remove(0);
    let mut web = crate::support::Client::new(app.clone());
    web.login("phuongbadinh").await;
    let page = web.get(&format!("/households/{}", head.id)).await.text().replace("&#38;", "&").replace("&amp;", "&");
    let link = format!("/awards?de_nghi=household&ma={}", head.code);
    assert!(page.contains(&format!("href=\"{link}\"")), "«Đề nghị khen thưởng» on the household's page: {page}");
    let awards = web.get(&link).await.text().replace("&#38;", "&").replace("&amp;", "&");
    let into = format!("/awards/batches/{batch}?de_nghi=household&ma={}#add-nominee", head.code);
    assert!(awards.contains("id=\"nominate-into\"") && awards.contains(&into), "the dossier being prepared is offered: {awards}");
    let form = web.get(&into.replace("#add-nominee", "")).await.text();
    assert!(form.contains(&format!("id=\"code\" name=\"code\" value=\"{}\"", head.code)), "the form comes filled with the household");
}

#[tokio::test]
async fn a_campaign_whose_deadline_passed_says_so_before_a_dossier_is_built() {
    let (app, _db, _) = city(Engine::Sqlite).await;
    let ward = actor(&app, "phuongbadinh").await;
    let late = app.campaigns(&ward).await.expect("c").into_iter().find(|c| c.row.code == "hang-nam-2029").expect("2029").row.id;
    let on_time = final_review(&app, &ward).await;
    let mut web = crate::support::Client::new(app.clone());
    web.login("phuongbadinh").await;
    let page = web.get(&format!("/awards/campaigns/{late}")).await.text();
    assert!(page.contains("id=\"late-notice\"") && page.contains("15/07/2029"), "the 2029 round closed on 15/7/2029: {page}");
    assert!(page.contains("Phường Ba Đình: đã quá hạn"), "names the body that is late");
    let page = web.get(&format!("/awards/campaigns/{on_time}")).await.text();
    assert!(!page.contains("id=\"late-notice\""), "the 2030 review is still open for the ward");
}

#[tokio::test]
async fn a_late_ward_asks_doet_for_an_extension_and_doet_answers_it_from_its_list() {
    for engine in engines() {
        let (app, _db, _) = city(engine).await;
        let ward = actor(&app, "phuongbadinh").await;
        let ward_id = unit_id(&app, "P-BADINH").await;
        let late = app.campaigns(&ward).await.expect("c").into_iter().find(|c| c.row.code == "hang-nam-2029").expect("2029").row.id;
        let on_time = final_review(&app, &ward).await;
        let mut web = crate::support::Client::new(app.clone());
        web.login("phuongbadinh").await;
        // Not late: nothing to ask.
        let r = web
            .post_form(&format!("/awards/campaigns/{on_time}/extension-request"), &[("unit", &ward_id.to_string()), ("reason", "x")])
            .await;
        assert!(r.text().contains("Chưa quá hạn"), "{engine:?}: {}", r.text());
        // Late: the ward asks, and its page says it is waiting.
        let r = web
            .post_form(
                &format!("/awards/campaigns/{late}/extension-request"),
                &[("unit", &ward_id.to_string()), ("reason", "Phường mới thành lập sau sắp xếp, chưa kịp họp Hội đồng")],
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        assert!(web.get(&format!("/awards/campaigns/{late}")).await.text().contains("id=\"extension-asked\""), "{engine:?}");
        // DOET sees it waiting on its home page and answers from its list.
        let mut doet = crate::support::Client::new(app.clone());
        doet.login("sogd").await;
        assert!(doet.get("/").await.text().contains("href=\"/awards/extensions\""), "{engine:?}: waiting for DOET");
        let list = doet.get("/awards/extensions").await.text();
        assert!(
            list.contains("Phường mới thành lập sau sắp xếp") && list.contains(&format!("id=\"request-{late}-{ward_id}\"")),
            "{engine:?}: {list}"
        );
        let r = doet
            .post_form(
                &format!("/awards/extensions/{late}/{ward_id}"),
                &[("decision", "grant"), ("due_before", "15/05/2030"), ("reason", "Đồng ý")],
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{engine:?}: {}", r.text());
        assert!(
            app.extension_requests(&actor(&app, "sogd").await).await.expect("list").is_empty(),
            "{engine:?}: answered, no longer waiting"
        );
        let page = web.get(&format!("/awards/campaigns/{late}")).await.text();
        assert!(!page.contains("Phường Ba Đình: đã quá hạn"), "{engine:?}: extended, the ward is no longer late");
    }
}
