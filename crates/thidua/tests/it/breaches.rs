//! Personal-data breaches (issue 18 §5): recorded by DOET or the administrators with the 72-hour
//! clock from discovery, the subjects possibly affected counted from the read log of the account
//! the breach went through, the notification's text, and a place in both offices' work lists
//! until it is sent. Both engines.

use crate::support::{actor, demo_app_at, engines};
use thidua_app::breaches::BreachForm;
use thidua_app::ports::{PageRequest, PersonSort, ReadChannel};
use thidua_app::{App, AppError};

/// 09:00 on Tuesday 8 December 2026 in Hanoi.
const TUESDAY_9AM: time::OffsetDateTime = time::macros::datetime!(2026-12-08 02:00 UTC);

fn form(suspect: &str) -> BreachForm {
    BreachForm {
        discovered_on: "08/12/2026".into(),
        discovered_at: "8:30".into(),
        description: "Mật khẩu của một cán bộ phường bị lộ; tài khoản bị đăng nhập từ nơi lạ.".into(),
        categories: vec!["identity".into(), "household".into()],
        suspect_user: suspect.into(),
        window_from: "08/12/2026".into(),
        window_to: "08/12/2026".into(),
        affected_note: String::new(),
        consequences: "Danh sách có thể bị dùng để lừa đảo qua điện thoại.".into(),
        measures: "Đã khóa tài khoản, buộc đổi mật khẩu, bật xác thực hai bước.".into(),
        contact: "Phòng Công nghệ thông tin, Sở GD&ĐT".into(),
    }
}

async fn links(app: &App, username: &str) -> Vec<String> {
    app.due_items(&actor(app, username).await).await.expect("due").into_iter().map(|d| d.link).collect()
}

#[tokio::test]
async fn a_breach_through_an_account_counts_what_it_read_and_waits_72_hours_in_both_offices_work_lists() {
    for engine in engines() {
        let (app, _db, clock) = demo_app_at(engine, TUESDAY_9AM).await;
        let ward = actor(&app, "phuongbadinh").await;
        let people = app.people(&ward, None, None, None, PersonSort::Name, PageRequest::new(1, 2)).await.expect("people").items;
        for p in [&people[0], &people[1], &people[0]] {
            app.read_person(&ward, p.id, ReadChannel::Page).await.expect("read");
        }
        let household = people[0].household_id.expect("a member of a household");
        app.read_household(&ward, household, ReadChannel::Api).await.expect("read");

        let admin = actor(&app, "admin").await;
        let id = app.record_breach(&admin, form("phuongbadinh")).await.expect("recorded");
        let v = app.breach(&admin, id).await.expect("view");
        let a = v.record.draft.affected.expect("counted from the read log");
        assert_eq!((a.people, a.households), (2, 1), "{engine:?}: distinct records read");
        let by = time::OffsetDateTime::from_unix_timestamp(v.record.draft.notify_by_ms / 1000).expect("t");
        assert_eq!(by, time::macros::datetime!(2026-12-11 08:30 +7), "{engine:?}: 72 hours after discovery");
        assert!(v.notification.contains("2 công dân và 1 hộ gia đình"), "{engine:?}: {}", v.notification);
        assert!(!v.late, "{engine:?}");

        let link = format!("/admin/breaches/{id}");
        for who in ["admin", "sogd"] {
            assert!(links(&app, who).await.contains(&link), "{engine:?}: in {who}'s work list");
        }
        assert!(!links(&app, "phuongbadinh").await.contains(&link), "{engine:?}: not the ward's task");

        clock.set(time::macros::datetime!(2026-12-11 03:00 UTC));
        assert!(app.breach(&admin, id).await.expect("view").late, "{engine:?}: past 08:30 on Friday");
        app.mark_breach_notified(&admin, id, v.record.version).await.expect("notified");
        assert!(!links(&app, "sogd").await.contains(&link), "{engine:?}: done once sent");
        let again = app.mark_breach_notified(&admin, id, v.record.version + 1).await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{engine:?}: {again:?}");
    }
}

#[tokio::test]
async fn a_ward_officer_keeps_no_breach_register_and_a_breach_needs_its_facts() {
    for engine in engines() {
        let (app, _db, _clock) = demo_app_at(engine, TUESDAY_9AM).await;
        let ward = actor(&app, "phuongbadinh").await;
        assert!(matches!(app.record_breach(&ward, form("")).await, Err(AppError::Forbidden)), "{engine:?}");
        assert!(matches!(app.breaches(&ward, PageRequest::new(1, 10)).await, Err(AppError::Forbidden)), "{engine:?}");
        let doet = actor(&app, "sogd").await;
        let refused = [
            BreachForm { categories: vec![], ..form("phuongbadinh") },
            BreachForm { categories: vec!["passwords".into()], ..form("phuongbadinh") },
            form("khong-co-ai"),
            form(""),
            BreachForm { discovered_on: "09/12/2026".into(), ..form("phuongbadinh") },
            BreachForm { discovered_at: "8 giờ".into(), ..form("phuongbadinh") },
        ];
        for f in refused {
            let r = app.record_breach(&doet, f.clone()).await;
            assert!(matches!(r, Err(AppError::Invalid(_))), "{engine:?}: {f:?} gave {r:?}");
        }
        let estimated = BreachForm { affected_note: "khoảng 300 công dân của tổ dân phố số 1".into(), ..form("") };
        let id = app.record_breach(&doet, estimated).await.expect("recorded with an estimate");
        let v = app.breach(&doet, id).await.expect("view");
        assert!(v.record.draft.affected.is_none() && v.notification.contains("khoảng 300 công dân"), "{engine:?}");
    }
}
