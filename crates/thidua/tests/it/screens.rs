//! What every page looks like to the people who use it, in a real browser: each role's main
//! tasks within three clicks of the home page, and the public, ward and DOET pages at 1366×768 and
//! on a 390×844 phone — no sideways scroll, no text under 12 px, controls at 16 px in the page font,
//! no serious accessibility violation (axe-core), the phone's menu folded, and a word in a number
//! box answered in Vietnamese. Runs with the browser tests (`THIDUA_BROWSER_TESTS=1`).

use crate::browser::{
    Stage, axe_source, axe_violations, click, click_and_reload, enabled, relogin, save_screenshot, stage, type_in, wait_for_text,
};
use fantoccini::Client;

/// What a phone shows of the page now: whether it scrolls sideways, and the visible text drawn
/// under 12 px (SVG text at the size it is drawn on screen).
const PHONE_CHECK: &str = r#"
const w = window.innerWidth;
const small = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const n = walker.currentNode;
  const el = n.parentElement;
  if (!el || !n.textContent.trim()) continue;
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  if (r.width <= 1 || r.height <= 1 || cs.visibility === 'hidden') continue;
  let size = parseFloat(cs.fontSize);
  if (el.closest('svg') && el.getScreenCTM) { const m = el.getScreenCTM(); if (m) size = size * Math.hypot(m.a, m.b); }
  if (size < 11.95) small.push(el.tagName + ' «' + n.textContent.trim().slice(0, 30) + '» ' + size.toFixed(1) + 'px');
}
// On a desk, a data table keeps its table layout: its header row stands above its first row.
const tables = [];
document.querySelectorAll('table.data').forEach(t => {
  const head = t.querySelector('thead'), row = t.querySelector('tbody tr');
  if (!head || !row || w < 700) return;
  if (row.getBoundingClientRect().top < head.getBoundingClientRect().bottom - 1) tables.push((t.id || t.className) + ': the rows stand beside the header');
});
// On any screen, a table's caption reads as a line, never one letter per line.
document.querySelectorAll('table.data caption').forEach(cap => {
  const r = cap.getBoundingClientRect();
  if (getComputedStyle(cap).position !== 'absolute' && r.width > 0 && r.width < 120 && cap.textContent.trim().length > 8)
    tables.push('caption squeezed to ' + Math.round(r.width) + ' px: ' + cap.textContent.trim().slice(0, 30));
});
const first = document.querySelector('.nav > a');
const bodyFont = getComputedStyle(document.body).fontFamily;
const controls = [];
document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), select, textarea').forEach(el => {
  const cs = getComputedStyle(el);
  if (el.getBoundingClientRect().width === 0) return;
  if (parseFloat(cs.fontSize) < 16 || cs.fontFamily !== bodyFont) controls.push(el.tagName + '#' + el.id + ' ' + cs.fontSize + ' ' + cs.fontFamily);
});
return JSON.stringify({
  width: w,
  scroll: document.documentElement.scrollWidth,
  small: small.slice(0, 8),
  controls: controls.slice(0, 5),
  tables: tables.slice(0, 3),
  menu_open: first ? first.getBoundingClientRect().height > 0 : null,
});
"#;

async fn phone_check(c: &Client) -> serde_json::Value {
    let v = c.execute(PHONE_CHECK, vec![]).await.expect("measure");
    serde_json::from_str(v.as_str().expect("a JSON string")).expect("JSON")
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver (THIDUA_BROWSER_TESTS=1); .ci/run runs it"]
async fn on_a_desk_and_a_phone_every_page_fits_reads_and_passes_axe_and_the_phone_menu_folds() {
    if !enabled() {
        return;
    }
    let axe = axe_source();
    let Stage { c, base, .. } = &stage().await;

    // The public front pages first, then a ward officer's and a DOET officer's own pages.
    let public: &[&str] = &["/", "/vinh-danh", "/xep-hang", "/du-lieu-mo", "/guong-dien-hinh", "/hoc-lieu", "/login"];
    let ward: &[&str] = &[
        "/",
        "/households",
        "/people",
        "/clans",
        "/titles",
        "/titles/list",
        "/awards",
        "/reports",
        "/calendar",
        "/account",
        "/search?q=nguyen+van+an",
        "/privacy/requests",
    ];
    let doet: &[&str] = &[
        "/",
        "/dashboard",
        "/awards/queue",
        "/titles/decisions",
        "/publications",
        "/criteria",
        "/reports",
        "/legal-bases",
        "/reports/review/2030",
        "/admin/breaches",
    ];
    // The ward's school, its classification and its members (ids found as a user finds them).
    relogin(c, base, "phuongbadinh").await;
    let school = unit_path(c, base, "TH-BADINH").await;
    let ward_pages: Vec<String> =
        ward.iter().map(|p| p.to_string()).chain([school.clone(), format!("{school}/members"), "/legal-bases".to_string()]).collect();
    let ward_pages: Vec<&str> = ward_pages.iter().map(String::as_str).collect();
    let ward: &[&str] = &ward_pages;
    let mut problems = Vec::new();
    for (screen, (width, height)) in [("bàn làm việc", (1366, 768)), ("điện thoại", (390, 844))] {
        let phone = width < 700;
        c.set_window_size(width, height).await.expect("window size");
        for (who, pages) in [("", public), ("phuongbadinh", ward), ("sogd", doet)] {
            if who.is_empty() {
                c.delete_all_cookies().await.expect("a citizen: no session");
            } else {
                relogin(c, base, who).await;
            }
            if !who.is_empty() && phone {
                let m = phone_check(c).await;
                assert_eq!(m["menu_open"], serde_json::json!(false), "{who}: the menu is folded on a phone: {m}");
                click(c, "label.menu-button").await;
                let m = phone_check(c).await;
                assert_eq!(m["menu_open"], serde_json::json!(true), "{who}: the menu button opens it: {m}");
            }
            for &page in pages {
                c.goto(&format!("{base}{page}")).await.expect("page");
                wait_for_text(c, "</footer>").await;
                let m = phone_check(c).await;
                if m["scroll"].as_i64() > m["width"].as_i64() {
                    problems.push(format!("{screen} {who} {page}: scrolls sideways ({} px on a {} px screen)", m["scroll"], m["width"]));
                }
                if m["small"].as_array().is_some_and(|a| !a.is_empty()) {
                    problems.push(format!("{screen} {who} {page}: text under 12 px: {}", m["small"]));
                }
                if m["tables"].as_array().is_some_and(|a| !a.is_empty()) {
                    problems.push(format!("{screen} {who} {page}: a table out of shape: {}", m["tables"]));
                }
                if m["controls"].as_array().is_some_and(|a| !a.is_empty()) {
                    problems.push(format!("{screen} {who} {page}: a control not in the page font at 16 px: {}", m["controls"]));
                }
                if let Some(axe) = &axe {
                    for v in axe_violations(c, axe).await {
                        problems.push(format!("{screen} {who} {page}: axe-core: {v}"));
                    }
                }
                if phone {
                    let path = match page.split('?').next().unwrap_or("") {
                        "/" => "-trang-chu".to_string(),
                        p => p.replace('/', "-"),
                    };
                    let name = if who.is_empty() { format!("dien-thoai{path}.png") } else { format!("dien-thoai-{who}{path}.png") };
                    save_screenshot(c, &name).await;
                    // A word where a number goes answers a Vietnamese page, never the parser's English.
                    let sep = if page.contains('?') { '&' } else { '?' };
                    c.goto(&format!("{base}{page}{sep}year=hai+nghin&nam=abc&page=x")).await.expect("bad value");
                    let src = wait_for_text(c, "</footer>").await;
                    assert!(!src.contains("Failed to deserialize"), "{page}: the parser's own words");
                    assert!(
                        !src.contains("error-message") || src.contains("không đọc được giá trị"),
                        "{page}: a refused value names its field"
                    );
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The path of the unit page of `code`, as the search box finds it.
async fn unit_path(c: &Client, base: &str, code: &str) -> String {
    c.goto(&format!("{base}/search?q={code}")).await.expect("search");
    let src = wait_for_text(c, "</footer>").await;
    let main = src.split("<main").nth(1).unwrap_or(&src);
    let at = main.find("href=\"/units/").unwrap_or_else(|| panic!("{code}: no unit link on the search page"));
    let rest = &main[at + "href=\"".len()..];
    rest[..rest.find('"').expect("the link ends")].to_string()
}

/// Follows a task's click path from the home page: each step is a link or button (CSS) clicked
/// and the page it opens; the last page must show `arrived`. At most three clicks (docs/tasks.md).
/// On a phone a link of the folded menu is reached by opening the menu first (not a page).
/// Each page on the way is saved as `buoc-<task>-<step>-<screen>.png`.
async fn three_clicks(c: &Client, base: &str, task: &str, path: &[&str], arrived: &str, phone: bool) {
    assert!(path.len() <= 3, "{task}: {} clicks", path.len());
    let screen = if phone { "dien-thoai" } else { "ban-lam-viec" };
    c.goto(&format!("{base}/")).await.expect("home");
    wait_for_text(c, "</footer>").await;
    save_screenshot(c, &format!("buoc-{task}-0-{screen}.png")).await;
    for (i, css) in path.iter().enumerate() {
        if phone && css.starts_with("nav ") {
            click(c, "label.menu-button").await;
        }
        click_and_reload(c, css).await;
        save_screenshot(c, &format!("buoc-{task}-{}-{screen}.png", i + 1)).await;
    }
    let page = c.source().await.expect("source");
    assert!(page.contains(arrived), "{task} ({screen}): after {path:?} the page does not show «{arrived}»");
    if phone {
        let m = phone_check(c).await;
        assert!(m["scroll"].as_i64() <= m["width"].as_i64(), "{task}: the phone scrolls sideways: {m}");
        assert!(m["small"].as_array().is_some_and(|a| a.is_empty()), "{task}: text under 12 px: {m}");
        assert!(m["controls"].as_array().is_some_and(|a| a.is_empty()), "{task}: a control not in the page font at 16 px: {m}");
    }
    // The page it arrived at answers a word where a number goes in Vietnamese.
    let url = c.current_url().await.expect("url");
    let sep = if url.query().is_some() { '&' } else { '?' };
    c.goto(&format!("{}{sep}year=hai+nghin&page=x", url.as_str().split('#').next().unwrap_or(""))).await.expect("bad value");
    let src = wait_for_text(c, "</footer>").await;
    assert!(!src.contains("Failed to deserialize"), "{task}: the parser's own words");
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver (THIDUA_BROWSER_TESTS=1); .ci/run runs it"]
async fn each_roles_main_tasks_are_at_most_three_clicks_from_the_home_page() {
    if !enabled() {
        return;
    }
    let Stage { c, base, .. } = &stage().await;
    for (phone, (width, height)) in [(false, (1366, 768)), (true, (390, 844))] {
        c.set_window_size(width, height).await.expect("window size");
        c.delete_all_cookies().await.expect("a citizen: no session");

        // A citizen.
        three_clicks(c, base, "bang-vang", &[".cards a[href='/vinh-danh']"], "<h1>Bảng vàng Phong trào", phone).await;
        three_clicks(c, base, "guong-dien-hinh", &[".cards a[href='/guong-dien-hinh']"], "Gương điển hình", phone).await;
        c.goto(&format!("{base}/")).await.expect("home");
        type_in(c, "#ma", "0000 0000 0000 0000").await;
        click_and_reload(c, "#verify-box button[type=submit]").await;
        assert!(c.current_url().await.expect("url").path().starts_with("/xac-minh/"), "the code leads to its verification page");

        // A ward officer.
        relogin(c, base, "phuongbadinh").await;
        three_clicks(c, base, "nhap-tep", &[".tasks a[href='/import']"], "id=\"import-submit\"", phone).await;
        three_clicks(
            c,
            base,
            "danh-gia-ho",
            &["nav a[href='/households']", "table.data tbody a[href^='/households/']", "#assess-link"],
            "id=\"assess-form\"",
            phone,
        )
        .await;
        three_clicks(
            c,
            base,
            "de-nghi-ho",
            &["nav a[href='/households']", "table.data tbody a[href^='/households/']", "#nominate-link"],
            "id=\"nominate-into\"",
            phone,
        )
        .await;
        // A citizen's request about their personal data, registered from their page (issue 18 §2).
        three_clicks(
            c,
            base,
            "yeu-cau-du-lieu-ca-nhan",
            &["nav a[href='/people']", "table.data tbody a[href^='/people/']", "#privacy-request-link"],
            "id=\"request-form\"",
            phone,
        )
        .await;
        // Registered: the request's page gives its two time limits and what can be done.
        click(c, "input[name=kind][value=deletion]").await;
        click_and_reload(c, "#request-form button[type=submit]").await;
        let page = wait_for_text(c, "Hạn giải quyết").await;
        assert!(page.contains("Xóa dữ liệu cá nhân") && page.contains("Hạn xác nhận đã nhận"), "the request's page");
        save_screenshot(c, &format!("yeu-cau-du-lieu-ca-nhan-{}.png", if phone { "dien-thoai" } else { "ban-lam-viec" })).await;
        if let Some(axe) = axe_source() {
            let violations = axe_violations(c, &axe).await;
            assert!(violations.is_empty(), "the request's page: {violations:?}");
        }
        three_clicks(c, base, "lap-ho-so", &[".tasks a[href='/awards']", "a[href^='/awards/campaigns/']"], "id=\"new-batch\"", phone).await;

        // A DOET officer.
        relogin(c, base, "sogd").await;
        three_clicks(c, base, "tham-dinh", &["nav a[href='/awards/queue']"], "aria-current=\"page\">Hồ sơ chờ xử lý", phone).await;
        three_clicks(c, base, "xem-bao-cao", &[".tasks a[href='/reports']"], "id=\"report-list\"", phone).await;
        three_clicks(c, base, "bang-dieu-khien", &["nav a[href='/dashboard']"], "id=\"chart-titles\"", phone).await;

        // DOHA's board, the council and the Chairman's office: their step waits in the queue.
        for (who, task) in [("btdkt", "ban-tdkt"), ("hoidong", "hoi-dong"), ("vpubnd", "vp-ubnd")] {
            relogin(c, base, who).await;
            three_clicks(c, base, task, &["nav a[href='/awards/queue']"], "aria-current=\"page\">Hồ sơ chờ xử lý", phone).await;
        }
        // The Learning Promotion Association's assessor assesses a household of its ward.
        relogin(c, base, "khuyenhoc").await;
        three_clicks(
            c,
            base,
            "khuyen-hoc",
            &["nav a[href='/households']", "table.data tbody a[href^='/households/']", "#assess-link"],
            "id=\"assess-form\"",
            phone,
        )
        .await;
        // The inspector reads the audit log; the administrator manages accounts.
        relogin(c, base, "kiemtra").await;
        three_clicks(c, base, "kiem-tra", &["nav a[href='/audit']"], "aria-current=\"page\">", phone).await;
        // Who looked at whom (issue 18 §4): two clicks from the menu.
        three_clicks(
            c,
            base,
            "nhat-ky-truy-cap",
            &["nav a[href='/audit']", "a[href='/audit/reads']"],
            "Nhật ký truy cập dữ liệu cá nhân</h1>",
            phone,
        )
        .await;
        relogin(c, base, "admin").await;
        three_clicks(c, base, "quan-tri", &["nav a[href='/admin/users']"], "aria-current=\"page\">", phone).await;
        // The record of processing and its dossier (issue 18 §1).
        three_clicks(
            c,
            base,
            "ho-so-du-lieu-ca-nhan",
            &["nav a[href='/admin/users']", "a[href='/admin/privacy']"],
            "id=\"dossier\"",
            phone,
        )
        .await;
    }
}
