//! E-mail reminders: each user's tasks with a deadline (the same list as «Việc có hạn») turned
//! into mails at the configured thresholds, an overdue notice, and an escalation to the head of
//! the unit whose task is overdue. Mails go through the outbox: queued once per key, delivered by
//! whichever process claims them, retried with a growing delay, kept with their error.

use crate::commendation::DueItem;
use crate::error::{AppError, AppResult};
use crate::ports::{MailDraft, MailOutcome, MailRecord, MailSender, Page, PageRequest, UserRecord};
use crate::{Actor, App};
use thidua_domain::access::Action;
use thidua_domain::commendation::reminders::Urgency;
use thidua_domain::dates;

/// Attempts before a mail is given up.
pub const MAX_ATTEMPTS: i64 = 6;
/// How long a claimed mail is left to the process that claimed it.
const LEASE_MS: i64 = 10 * 60 * 1000;
/// The first retry delay; each later one doubles it.
const RETRY_BASE_MS: i64 = 5 * 60 * 1000;

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: u64,
    pub retried: u64,
    pub gave_up: u64,
}

/// The delay before attempt `attempts + 1`, after `attempts` failed ones.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    RETRY_BASE_MS << (attempts.clamp(1, 10) - 1)
}

fn days_line(item: &DueItem) -> String {
    if item.working_days_left > 0 {
        format!("Còn lại: {} ngày làm việc", item.working_days_left)
    } else if item.working_days_left == 0 {
        "Hôm nay là hạn cuối.".to_string()
    } else {
        format!("Đã quá hạn {} ngày làm việc", -item.working_days_left)
    }
}

fn item_lines(item: &DueItem, base_url: &str) -> String {
    format!(
        "  Việc: {}\n  Đợt khen thưởng: {}\n  Đơn vị: {}\n  Hạn: trước ngày {}\n  {}\n  Mở trên hệ thống: {}{}\n",
        item.what,
        item.campaign,
        item.unit,
        dates::format_dmy(item.due_before),
        days_line(item),
        base_url.trim_end_matches('/'),
        item.link,
    )
}

const FOOTER: &str = "\nThư này do hệ thống thidua (Phong trào thi đua xây dựng xã hội học tập, Thành phố Hà Nội) gửi tự động; \
xin đừng trả lời thư này. Danh sách đầy đủ các việc có hạn ở mục «Việc có hạn» trên trang chủ.\n";

/// The mails one user's tasks call for today, keyed so that each goes out once: a reminder at
/// the tightest threshold reached, one notice when overdue, and one escalation per unit head.
pub fn mails_for(user: &UserRecord, items: &[DueItem], heads: &dyn Fn(i64) -> Vec<UserRecord>, base_url: &str) -> Vec<MailDraft> {
    let mut out = Vec::new();
    let Some(to) = user.email.clone() else { return out };
    for item in items {
        let task = format!("{}|{}|{}", item.link, item.unit_id, item.due_before);
        match item.urgency {
            Urgency::Later => {}
            Urgency::Remind(t) => out.push(MailDraft {
                dedupe_key: format!("reminder:{}:{task}:{t}", user.id),
                kind: "reminder".into(),
                user_id: Some(user.id),
                to: to.clone(),
                subject: format!("[thidua] Còn {} ngày làm việc: {}", item.working_days_left, item.what),
                body: format!("Kính gửi {},\n\nViệc sau sắp đến hạn:\n{}{FOOTER}", user.full_name, item_lines(item, base_url)),
            }),
            Urgency::Overdue => {
                out.push(MailDraft {
                    dedupe_key: format!("overdue:{}:{task}", user.id),
                    kind: "overdue".into(),
                    user_id: Some(user.id),
                    to: to.clone(),
                    subject: format!("[thidua] Quá hạn: {}", item.what),
                    body: format!(
                        "Kính gửi {},\n\nViệc sau đã đến hạn hoặc quá hạn; thủ trưởng đơn vị cũng được thông báo:\n{}{FOOTER}",
                        user.full_name,
                        item_lines(item, base_url)
                    ),
                });
                for head in heads(item.unit_id) {
                    let Some(head_to) = head.email.clone() else { continue };
                    out.push(MailDraft {
                        dedupe_key: format!("escalation:{}:{task}", head.id),
                        kind: "escalation".into(),
                        user_id: Some(head.id),
                        to: head_to,
                        subject: format!("[thidua] {} quá hạn: {}", item.unit, item.what),
                        body: format!(
                            "Kính gửi {}, thủ trưởng {},\n\nViệc sau của đơn vị đã quá hạn mà chưa hoàn thành:\n{}{FOOTER}",
                            head.full_name,
                            item.unit,
                            item_lines(item, base_url)
                        ),
                    });
                }
            }
        }
    }
    out
}

impl App {
    /// Sets a user's e-mail address (empty: none) and, for administrators of the user's unit,
    /// whether the user heads it. Users may set their own address.
    pub async fn set_user_contact(&self, actor: &Actor, user_id: i64, email: &str, unit_head: Option<bool>) -> AppResult<()> {
        let user = self.store.user(user_id).await?.ok_or(AppError::NotFound)?;
        let proof = if unit_head.is_some() || user.id != actor.user_id {
            self.authorize(actor, Action::ManageUsers, user.home_unit).await?
        } else {
            crate::Authorized::system("own contact")
        };
        let email =
            if email.trim().is_empty() { None } else { Some(thidua_domain::text::email(email).map_err(|m| AppError::Invalid(m.into()))?) };
        let unit_head = unit_head.unwrap_or(user.unit_head);
        let audit = crate::ports::AuditDraft {
            unit_id: Some(user.home_unit),
            old: Some(serde_json::json!({"email": user.email, "unit_head": user.unit_head})),
            ..self.audit_as(
                &actor.username,
                &proof,
                "user.contact",
                "user",
                user_id,
                Some(serde_json::json!({"email": email, "unit_head": unit_head})),
            )
        };
        Ok(self.store.set_user_contact(user_id, email.as_deref(), unit_head, audit).await?)
    }

    /// Queues today's reminder, overdue and escalation mails for every active user with an
    /// address; returns how many were new. Safe to run as often as wanted.
    pub async fn plan_reminders(&self) -> AppResult<u64> {
        let users: Vec<UserRecord> = self.store.users().await?.into_iter().filter(|u| u.active).collect();
        let heads_of = |unit: i64| -> Vec<UserRecord> {
            users.iter().filter(|u| u.unit_head && u.email.is_some() && u.home_unit == unit).cloned().collect()
        };
        let mut drafts = Vec::new();
        for user in users.iter().filter(|u| u.email.is_some()) {
            let actor = self.actor(user.id).await?;
            let items = match self.due_items(&actor).await {
                Ok(items) => items,
                // A user with no role over campaigns (a unit head only escalated to) has no list.
                Err(AppError::Forbidden) => continue,
                Err(e) => return Err(e),
            };
            drafts.extend(mails_for(user, &items, &heads_of, &self.config.public_url));
        }
        let audit = self.audit_system(
            "system",
            "mail.queue",
            "mail_outbox",
            "reminders",
            Some(serde_json::json!({"day": dates::format_dmy(self.today())})),
        );
        Ok(self.store.enqueue_mail(&drafts, audit).await?)
    }

    /// Sends up to `limit` queued mails that are due, recording each outcome.
    pub async fn deliver_mail(&self, sender: &dyn MailSender, limit: i64) -> AppResult<Delivery> {
        let now = self.now_ms();
        let mut done = Delivery::default();
        for m in self.store.claim_mail(now, now + LEASE_MS, limit).await? {
            let outcome = match sender.send(&m.to, &m.subject, &m.body).await {
                Ok(()) => {
                    done.sent += 1;
                    MailOutcome::Sent
                }
                Err(error) if m.attempts >= MAX_ATTEMPTS => {
                    done.gave_up += 1;
                    MailOutcome::GaveUp { error }
                }
                Err(error) => {
                    done.retried += 1;
                    MailOutcome::Retry { error, next_at_ms: self.now_ms() + retry_delay_ms(m.attempts) }
                }
            };
            self.store.finish_mail(m.id, self.now_ms(), &outcome).await?;
        }
        Ok(done)
    }

    /// The outbox for administrators of the whole city.
    pub async fn mail_outbox(&self, actor: &Actor, page: PageRequest) -> AppResult<Page<MailRecord>> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ManageUsers, root).await?;
        Ok(self.store.mail_outbox(page).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn user(id: i64, email: Option<&str>, head: bool) -> UserRecord {
        UserRecord {
            id,
            username: format!("u{id}"),
            full_name: format!("Cán bộ {id}"),
            password_hash: String::new(),
            home_unit: 10,
            active: true,
            email: email.map(Into::into),
            unit_head: head,
        }
    }

    fn item(days: i64, urgency: Urgency) -> DueItem {
        DueItem {
            what: "Gửi hồ sơ đề nghị khen thưởng đến Sở GD&ĐT".into(),
            campaign: "Khen thưởng năm 2027".into(),
            unit: "Phường Hoàn Kiếm".into(),
            unit_id: 10,
            due_before: date!(2027 - 07 - 15),
            working_days_left: days,
            urgency,
            link: "/awards/batches/4".into(),
        }
    }

    #[test]
    fn a_reminder_names_the_task_the_deadline_and_the_days_left() {
        let mails =
            mails_for(&user(1, Some("a@hn.vn"), false), &[item(3, Urgency::Remind(3))], &|_| vec![], "https://thidua.hanoi.gov.vn/");
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to, "a@hn.vn");
        assert_eq!(mails[0].subject, "[thidua] Còn 3 ngày làm việc: Gửi hồ sơ đề nghị khen thưởng đến Sở GD&ĐT");
        assert!(mails[0].body.contains("trước ngày 15/07/2027"), "{}", mails[0].body);
        assert!(mails[0].body.contains("https://thidua.hanoi.gov.vn/awards/batches/4"), "{}", mails[0].body);
    }

    #[test]
    fn each_threshold_is_its_own_mail_and_a_rerun_repeats_the_same_key() {
        let u = user(1, Some("a@hn.vn"), false);
        let at7 = mails_for(&u, &[item(6, Urgency::Remind(7))], &|_| vec![], "");
        let at3 = mails_for(&u, &[item(2, Urgency::Remind(3))], &|_| vec![], "");
        let at3_again = mails_for(&u, &[item(1, Urgency::Remind(3))], &|_| vec![], "");
        assert_ne!(at7[0].dedupe_key, at3[0].dedupe_key);
        assert_eq!(at3[0].dedupe_key, at3_again[0].dedupe_key, "the store keeps the first, so no second mail");
    }

    #[test]
    fn an_overdue_task_goes_to_the_officer_and_the_heads_of_its_unit() {
        let heads = |unit: i64| if unit == 10 { vec![user(9, Some("head@hn.vn"), true), user(8, None, true)] } else { vec![] };
        let mails = mails_for(&user(1, Some("a@hn.vn"), false), &[item(-2, Urgency::Overdue)], &heads, "");
        let to: Vec<(&str, &str)> = mails.iter().map(|m| (m.kind.as_str(), m.to.as_str())).collect();
        assert_eq!(to, vec![("overdue", "a@hn.vn"), ("escalation", "head@hn.vn")], "a head without an address gets nothing");
        assert!(mails[1].body.contains("Đã quá hạn 2 ngày làm việc"), "{}", mails[1].body);
        assert!(!mails[1].dedupe_key.contains(":1:"), "one escalation per head, whichever officer saw it: {}", mails[1].dedupe_key);
    }

    #[test]
    fn nothing_is_mailed_to_a_user_without_an_address_or_before_the_first_threshold() {
        assert!(mails_for(&user(1, None, false), &[item(2, Urgency::Remind(3))], &|_| vec![], "").is_empty());
        assert!(mails_for(&user(1, Some("a@hn.vn"), false), &[item(20, Urgency::Later)], &|_| vec![], "").is_empty());
    }

    #[test]
    fn retries_wait_longer_each_time() {
        assert_eq!(retry_delay_ms(1), 5 * 60 * 1000);
        assert_eq!(retry_delay_ms(2), 10 * 60 * 1000);
        assert_eq!(retry_delay_ms(5), 80 * 60 * 1000);
    }
}
