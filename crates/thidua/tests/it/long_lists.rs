//! The registry's long lists (issue 19): paged by key, totals kept or capped, on both engines.

use crate::support::{Client, actor, demo_app, engines, unit_id};
use thidua_app::import::FileInfo;
use thidua_app::ports::{At, COUNT_CAP, HouseholdSort, MAX_OFFSET, PageRequest, PersonSort};
use thidua_app::{Actor, App, AppError};
use thidua_domain::import::{ImportKind, Table};

/// Every household id of the list, walking `next` from the first page, `per_page` at a time.
async fn walk_forward(app: &App, who: &Actor, sort: HouseholdSort, per_page: i64) -> Vec<i64> {
    let (mut ids, mut at) = (Vec::new(), None);
    loop {
        let page = app.households_sorted(who, None, None, sort, PageRequest::at(at, per_page)).await.expect("page");
        assert!(page.items.len() as i64 <= per_page);
        ids.extend(page.items.iter().map(|h| h.id));
        match page.next {
            Some(next) => at = Some(next),
            None => return ids,
        }
    }
}

/// The same, from the last page back by `prev`, in the list's order.
async fn walk_backward(app: &App, who: &Actor, sort: HouseholdSort, per_page: i64) -> Vec<i64> {
    let (mut pages, mut at) = (Vec::new(), Some(At::Last));
    loop {
        let page = app.households_sorted(who, None, None, sort, PageRequest::at(at, per_page)).await.expect("page");
        pages.push(page.items.iter().map(|h| h.id).collect::<Vec<_>>());
        match page.prev {
            Some(prev) => at = Some(prev),
            None => return pages.into_iter().rev().flatten().collect(),
        }
    }
}

#[tokio::test]
async fn walking_a_list_by_its_next_pages_shows_every_household_once_in_order() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuonghoankiem").await;
        for sort in [HouseholdSort::Code, HouseholdSort::HeadName, HouseholdSort::Unit] {
            let whole = app.households_sorted(&ward, None, None, sort, PageRequest::all()).await.expect("whole");
            assert!(whole.items.len() > 100, "{engine:?}: the ward has a long enough list");
            let expected: Vec<i64> = whole.items.iter().map(|h| h.id).collect();
            assert_eq!(walk_forward(&app, &ward, sort, 7).await, expected, "{engine:?} {sort:?}: forward");
            assert_eq!(walk_backward(&app, &ward, sort, 7).await, expected, "{engine:?} {sort:?}: backward");
        }
    }
}

#[tokio::test]
async fn people_by_name_order_page_by_key_through_equal_names() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuonghoankiem").await;
        let whole = app.people(&ward, None, None, None, PersonSort::Name, PageRequest::all()).await.expect("whole");
        let expected: Vec<i64> = whole.items.iter().map(|p| p.id).collect();
        for sort in [PersonSort::Name, PersonSort::BirthYear, PersonSort::Code] {
            let (mut seen, mut at) = (Vec::new(), None);
            loop {
                let page = app.people(&ward, None, None, None, sort, PageRequest::at(at, 9)).await.expect("page");
                seen.extend(page.items.iter().map(|p| p.id));
                let Some(next) = page.next else { break };
                at = Some(next);
            }
            if sort == PersonSort::Name {
                assert_eq!(seen, expected, "{engine:?}: name order, page by page");
            }
            let mut sorted = seen.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), expected.len(), "{engine:?} {sort:?}: every citizen once");
        }
    }
}

#[tokio::test]
async fn a_list_total_without_a_search_is_kept_and_counts_inactive_rows() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuonghoankiem").await;
        let first = app.households(&ward, None, None, PageRequest::new(1, 5)).await.expect("first");
        app.set_household_active(&ward, first.items[0].id, first.items[0].version, false).await.expect("deactivate");
        let after = app.households(&ward, None, None, PageRequest::new(1, 5)).await.expect("after");
        assert_eq!(after.total, first.total, "{engine:?}: an inactive household stays in the list and its total");
        assert!(!after.at_least);
        let walked = walk_forward(&app, &ward, HouseholdSort::Code, 50).await;
        assert_eq!(walked.len() as i64, after.total, "{engine:?}: the kept total is the list's length");
        let village = unit_id(&app, "HT-TDP01").await;
        let one = app.households(&ward, Some(village), None, PageRequest::new(1, 500)).await.expect("village");
        assert_eq!(one.total, one.items.len() as i64, "{engine:?}: a village's total");
    }
}

/// More households named alike than SQLite's name index hands over (20,000): the list is then
/// walked in its order and each name tested.
const COMMON: i64 = 20_001;

#[tokio::test]
async fn a_search_with_more_matches_than_the_cap_says_more_than() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let officer = actor(&app, "phuongbadinh").await;
        let rows: Vec<Vec<String>> = (0..COMMON).map(|i| vec![format!("HGD-CAP{i:05}"), "BD-TDP01".into(), "Lò Văn Páo".into()]).collect();
        let table = Table { headers: vec!["Mã hộ".into(), "Mã thôn/tổ dân phố".into(), "Họ và tên chủ hộ".into()], rows };
        let file = FileInfo { name: "cap.csv".into(), sha256: "0".into() };
        app.import(&officer, ImportKind::Households, &table, &file, false, &|_| {}).await.expect("import");
        let found = app.households(&officer, None, Some("lo van pao"), PageRequest::new(1, 20)).await.expect("search");
        assert_eq!((found.total, found.at_least), (COUNT_CAP, true), "{engine:?}");
        assert!(found.items.iter().all(|h| h.head_name == "Lò Văn Páo"), "{engine:?}");
        let city = app.households(&actor(&app, "admin").await, None, Some("lo van pao"), PageRequest::new(1, 20)).await.expect("city");
        assert_eq!((city.total, city.at_least), (COUNT_CAP, true), "{engine:?}: over the city, the index's own count says so");
        assert!(city.items.iter().all(|h| h.head_name == "Lò Văn Páo") && city.items.len() == 20, "{engine:?}");
        let exact = app.households(&officer, None, Some("hgd-cap00007"), PageRequest::new(1, 20)).await.expect("search");
        assert_eq!((exact.total, exact.at_least), (1, false), "{engine:?}: a code, in any case");
        let begun = app.households(&officer, None, Some("HGD-CAP0000"), PageRequest::all()).await.expect("search");
        let codes: Vec<&str> = begun.items.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(codes, (0..10).map(|i| format!("HGD-CAP0000{i}")).collect::<Vec<_>>(), "{engine:?}: codes that start with the text");
        let unfiltered = app.households(&officer, None, None, PageRequest::new(1, 1)).await.expect("all");
        assert!(unfiltered.total > COMMON && !unfiltered.at_least, "{engine:?}: the kept total is exact");
    }
}

#[tokio::test]
async fn a_name_search_finds_exactly_the_names_that_contain_the_text_folded() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let ward = actor(&app, "phuonghoankiem").await;
        let everyone = app.people(&ward, None, None, None, PersonSort::Name, PageRequest::all()).await.expect("all");
        for typed in ["nguyen van an", "Đức", "THỊ", "an", "văn  an", "ho\u{300}ng"] {
            let folded = thidua_domain::text::fold(typed);
            let expected: Vec<i64> =
                everyone.items.iter().filter(|p| thidua_domain::text::fold(&p.full_name).contains(&folded)).map(|p| p.id).collect();
            let found = app.people(&ward, None, None, Some(typed), PersonSort::Name, PageRequest::all()).await.expect("search");
            assert_eq!(found.items.iter().map(|p| p.id).collect::<Vec<_>>(), expected, "{engine:?}: «{typed}»");
            assert_eq!(found.total, expected.len() as i64, "{engine:?}: «{typed}»");
        }
        let heads = app.households(&ward, None, None, PageRequest::all()).await.expect("all");
        let h = &heads.items[3];
        let by_head = app.households(&ward, None, Some(&h.head_name.to_uppercase()), PageRequest::all()).await.expect("search");
        assert!(by_head.items.iter().any(|x| x.id == h.id), "{engine:?}: a head of household by name, in capitals");
        let renamed = thidua_app::ports::HouseholdInput { head_name: "Quàng Thị Xuyến".into(), ..input_of(h) };
        app.update_household(&ward, h.id, h.version, renamed).await.expect("rename");
        let after = app.households(&ward, None, Some("quang thi xuyen"), PageRequest::all()).await.expect("search");
        assert_eq!(after.items.iter().map(|x| x.id).collect::<Vec<_>>(), vec![h.id], "{engine:?}: the index follows a rename");
    }
}

fn input_of(h: &thidua_app::ports::HouseholdRecord) -> thidua_app::ports::HouseholdInput {
    thidua_app::ports::HouseholdInput {
        code: h.code.clone(),
        unit_id: h.unit_id,
        head_name: h.head_name.clone(),
        address: h.address.clone(),
        member_count: h.member_count,
    }
}

#[tokio::test]
async fn a_page_number_deeper_than_the_offset_limit_is_refused_with_the_way_there() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let admin = actor(&app, "admin").await;
        let deep = PageRequest::new(MAX_OFFSET / 50 + 2, 50);
        let Err(AppError::Invalid(why)) = app.households(&admin, None, None, deep).await else {
            panic!("{engine:?}: a page beyond {MAX_OFFSET} rows by number must be refused");
        };
        assert!(why.contains("Trang sau"), "{why}");
        assert!(app.households(&admin, None, None, PageRequest::new(MAX_OFFSET / 50, 50)).await.is_ok(), "{engine:?}");
    }
}

#[tokio::test]
async fn a_forged_position_is_refused_as_invalid_on_the_page_and_the_api() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let mut c = Client::new(app);
        c.login("phuonghoankiem").await;
        // Not hex; hex of a non-array; an array of the wrong kinds; the wrong length.
        for at in ["zz", "7b7d", &hex(r#"[1,"a"]"#), &hex(r#"["a"]"#)] {
            let page = c.get(&format!("/households?after={at}")).await;
            assert_eq!(page.status, 422, "{engine:?}: {at}");
            assert!(page.text().contains("vị trí trang không hợp lệ"), "{engine:?}");
            let api = c.get(&format!("/api/v1/people?before={at}")).await;
            assert_eq!(api.status, 422, "{engine:?}: {at}");
        }
    }
}

#[tokio::test]
async fn the_list_page_links_its_next_and_last_pages_and_the_api_its_positions() {
    for engine in engines() {
        let (app, _db) = demo_app(engine).await;
        let mut c = Client::new(app);
        c.login("phuonghoankiem").await;
        let first = c.get("/households").await.text();
        let next = first.split("rel=\"next\"").next().and_then(|s| s.rsplit("href=\"").next()).expect("next link");
        let next = next.trim_end_matches("\" ").replace("&amp;", "&");
        assert!(next.starts_with("/households?after="), "{next}");
        assert!(first.contains("/households?last=1"), "{engine:?}: a link to the last page");
        let second = c.get(&next).await;
        assert_eq!(second.status, 200);
        assert!(second.text().contains("rel=\"prev\""), "{engine:?}: the second page links back");
        let api = c.get("/api/v1/people?per_page=10").await.json();
        let after = api["next"].as_str().expect("next position").to_string();
        let more = c.get(&format!("/api/v1/people?per_page=10&after={after}")).await.json();
        assert!(more["prev"].is_string(), "{engine:?}: the second page has a way back");
        assert_ne!(more["items"][0]["id"], api["items"][0]["id"], "{engine:?}");
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn an_empty_number_is_refused_by_the_api_and_absent_on_a_page() {
    let (app, _db) = demo_app(crate::support::Engine::Sqlite).await;
    let mut c = Client::new(app);
    c.login("phuonghoankiem").await;
    assert_eq!(c.get("/api/v1/people?per_page=").await.status, 400, "the contract says per_page is a number");
    assert_eq!(c.get("/api/v1/people?last=").await.status, 400, "and last a yes or no");
    assert_eq!(c.get("/people?page=&q=").await.status, 200, "a person's empty box is no value");
}
