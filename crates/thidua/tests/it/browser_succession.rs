//! Issue 14 in a real browser: Ba Đình's officer follows a household of the former Kim Mã ward
//! (divided on 01/07/2025) to its residential group, which names both wards, to the new ward's
//! page with what it took over, and to the group's history with the division that moved it.
//! Runs with the browser tests (`THIDUA_BROWSER_TESTS=1`).

use crate::browser::{Stage, click_and_reload, enabled, relogin, save_screenshot, stage, wait_for_text};

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver (THIDUA_BROWSER_TESTS=1); .ci/run runs it"]
async fn a_former_wards_household_leads_to_its_new_wards_page_and_history() {
    if !enabled() {
        return;
    }
    let Stage { c, base, .. } = &stage().await;
    relogin(c, base, "phuongbadinh").await;
    for (screen, (width, height)) in [("ban-lam-viec", (1366, 768)), ("dien-thoai", (390, 844))] {
        c.set_window_size(width, height).await.expect("window size");
        // The group as the officer finds it: by its code in the search box.
        c.goto(&format!("{base}/search?q=KM-TDP01")).await.expect("search");
        wait_for_text(c, "</footer>").await;
        click_and_reload(c, "main a[href^='/units/']").await;
        click_and_reload(c, "a[href^='/households?unit=']").await;
        click_and_reload(c, "table.data tbody a[href^='/households/']").await;
        let household = wait_for_text(c, "HGD-KM-TDP01-").await;
        assert!(household.contains("Kim Mã"), "the household's group");
        // From the household to its group: the group names the ward it left and when it joined.
        click_and_reload(c, "dl a[href^='/units/']").await;
        let group = wait_for_text(c, "Trước đây thuộc").await;
        assert!(group.contains("Phường Kim Mã (đến hết 30/06/2025)"), "the former ward, not a link for Ba Đình's officer");
        assert!(group.contains("thuộc đơn vị hiện tại từ 01/07/2025"));
        save_screenshot(c, &format!("to-dan-pho-sau-sap-xep-{screen}.png")).await;
        // Up to the new ward: what it took over, and the former ward's own title, not counted.
        click_and_reload(c, "nav.crumbs li:nth-last-child(2) a").await;
        let ward = wait_for_text(c, "Kế thừa từ").await;
        assert!(ward.contains("<h1>Phường Ba Đình") && ward.contains("Phường Kim Mã (một phần, từ 01/07/2025)"));
        assert!(ward.contains("id=\"inherited\"") && ward.contains("112/QĐ-UBND") && ward.contains("tạm thời"));
        save_screenshot(c, &format!("phuong-moi-ke-thua-{screen}.png")).await;
        // Back to the group and its history: the division that moved it, by whom.
        c.back().await.expect("back");
        wait_for_text(c, "Trước đây thuộc").await;
        click_and_reload(c, "a[href$='/history']").await;
        let history = wait_for_text(c, "Chia thôn, tổ dân phố của đơn vị đã chia").await;
        assert!(history.contains("cli"), "who divided it (the demo loads through the command line)");
    }
    c.clone().close().await.expect("close");
}
