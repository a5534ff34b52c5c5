//! Personal-data breaches (issue 18 §5, Law 91/2025/QH15 Art. 23): recorded by DOET or the
//! system's administrators with the moment of discovery, the 72-hour notification clock, the
//! categories touched and the subjects possibly affected — counted from the read log where the
//! breach went through an account — and the notification's text; in both offices' work lists
//! until it is sent.

use crate::App;
use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::ports::{BreachDraft, BreachRecord, Page, PageRequest, ReadFootprint};
use thidua_domain::access::Action;
use thidua_domain::breaches::{Facts, Rules, shipped};
use thidua_domain::dates;
use thidua_domain::limits::Field;
use time::{OffsetDateTime, PrimitiveDateTime, Time};

/// What the officer types.
#[derive(Debug, Clone, Default)]
pub struct BreachForm {
    /// dd/mm/yyyy and HH:MM, Hanoi time.
    pub discovered_on: String,
    pub discovered_at: String,
    pub description: String,
    pub categories: Vec<String>,
    /// The account the breach went through, if any, and the days (dd/mm/yyyy) whose reads count.
    pub suspect_user: String,
    pub window_from: String,
    pub window_to: String,
    /// How many subjects, in words, when no account's reads tell it (or in addition).
    pub affected_note: String,
    pub consequences: String,
    pub measures: String,
    pub contact: String,
}

/// A breach with its categories named and its notification written.
#[derive(Debug, Clone)]
pub struct BreachView {
    pub record: BreachRecord,
    pub categories: Vec<String>,
    pub notification: String,
    pub late: bool,
    pub addressee: String,
    pub content_verified: bool,
}

fn rules() -> AppResult<Rules> {
    shipped().map_err(|e| AppError::Storage(crate::error::StorageError::Corrupt(e)))
}

fn hanoi() -> time::UtcOffset {
    time::macros::offset!(+7)
}

fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// «14:30 ngày 10/12/2026», in Hanoi.
pub fn moment_words(at_ms: i64) -> String {
    match OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000) {
        Ok(t) => {
            let t = t.to_offset(hanoi());
            format!("{:02}:{:02} ngày {}", t.hour(), t.minute(), dates::format_dmy(t.date()))
        }
        Err(_) => String::new(),
    }
}

fn day(input: &str, label: &str) -> AppResult<time::Date> {
    dates::parse_dmy(input).map_err(|_| AppError::Invalid(format!("{label} phải có dạng ngày/tháng/năm, ví dụ 05/03/2026")))
}

/// «Số chủ thể có thể bị ảnh hưởng» in words.
pub fn affected_words(a: Option<ReadFootprint>, note: &str) -> String {
    let n = |v: i64| thidua_domain::text::number(i128::from(v));
    let mut parts = Vec::new();
    if let Some(a) = a {
        parts.push(format!(
            "theo nhật ký truy cập, tài khoản đã mở hồ sơ của {} công dân và {} hộ gia đình, và xem {} dòng danh sách",
            n(a.people),
            n(a.households),
            n(a.list_rows)
        ));
    }
    if !note.trim().is_empty() {
        parts.push(note.trim().to_string());
    }
    parts.join("; ")
}

impl App {
    /// Records a breach for the whole city.
    pub async fn record_breach(&self, actor: &Actor, form: BreachForm) -> AppResult<i64> {
        let via = self.authorize_city(actor, Action::ProtectData).await?;
        let rules = rules()?;
        let on = day(&form.discovered_on, "Ngày phát hiện")?;
        let at = Time::parse(form.discovered_at.trim(), time::macros::format_description!("[hour padding:none]:[minute]"))
            .map_err(|_| AppError::Invalid("giờ phát hiện phải có dạng giờ:phút, ví dụ 14:30".into()))?;
        let discovered = PrimitiveDateTime::new(on, at).assume_offset(hanoi());
        if discovered > self.clock.now() {
            return Err(AppError::Invalid("thời điểm phát hiện chưa đến".into()));
        }
        let text = |label: &str, v: &str| crate::error::field(Field::FreeText, label, v);
        let description = text("Mô tả vi phạm", &form.description)?;
        if description.trim().is_empty() {
            return Err(AppError::Invalid("mô tả vi phạm: chuyện gì đã xảy ra, qua đâu".into()));
        }
        let mut categories: Vec<String> = form.categories.iter().filter(|c| rules.category(c).is_some()).cloned().collect();
        categories.dedup();
        if categories.is_empty() || categories.len() != form.categories.len() {
            return Err(AppError::Invalid("chọn các loại dữ liệu có thể bị lộ trong danh sách".into()));
        }
        let suspect = match form.suspect_user.trim() {
            "" => None,
            name => {
                let user = self
                    .store
                    .user_by_username(&name.to_lowercase())
                    .await?
                    .ok_or_else(|| AppError::Invalid(format!("không có tài khoản «{name}»")))?;
                let from = day(&form.window_from, "Từ ngày")?;
                let to = day(&form.window_to, "Đến ngày")?;
                if to < from {
                    return Err(AppError::Invalid("«đến ngày» phải sau «từ ngày»".into()));
                }
                let start = ms(from.midnight().assume_offset(hanoi()));
                let end = ms(to.next_day().unwrap_or(to).midnight().assume_offset(hanoi())) - 1;
                Some((user, start, end))
            }
        };
        let affected = match &suspect {
            Some((user, from, to)) => Some(self.store.read_footprint(user.id, *from, *to).await?),
            None => None,
        };
        let affected_note = text("Số chủ thể bị ảnh hưởng", &form.affected_note)?;
        if affected.is_none() && affected_note.trim().is_empty() {
            return Err(AppError::Invalid(
                "ghi số chủ thể có thể bị ảnh hưởng, hoặc tài khoản bị lợi dụng để tính từ nhật ký truy cập".into(),
            ));
        }
        let draft = BreachDraft {
            unit_id: self.snapshot().await?.roots().first().copied().ok_or(AppError::NotFound)?,
            discovered_at_ms: ms(discovered),
            notify_by_ms: ms(rules.notify_by(discovered)),
            description,
            categories,
            suspect: suspect.map(|(u, f, t)| (u.username, f, t)),
            affected,
            affected_note,
            consequences: text("Hậu quả có thể xảy ra", &form.consequences)?,
            measures: text("Biện pháp đã thực hiện", &form.measures)?,
            contact: text("Người liên hệ", &form.contact)?,
            recorded_by: actor.username.clone(),
        };
        let new = serde_json::json!({
            "discovered_at_ms": draft.discovered_at_ms, "notify_by_ms": draft.notify_by_ms, "categories": draft.categories,
            "suspect_user": draft.suspect.as_ref().map(|s| s.0.clone()),
            "affected": draft.affected.map(|a| [a.people, a.households, a.list_rows]),
        });
        let audit = self.draft(actor, &via, "breach.record", "breach", "", Some(draft.unit_id), None, Some(new));
        Ok(self.store.record_breach(&draft, audit).await?)
    }

    pub async fn breaches(&self, actor: &Actor, page: PageRequest) -> AppResult<Page<BreachView>> {
        self.authorize_city(actor, Action::ProtectData).await?;
        let page = self.store.breaches(page).await?;
        let mut items = Vec::with_capacity(page.items.len());
        for b in &page.items {
            items.push(self.breach_view(b.clone())?);
        }
        Ok(page.with_items(items))
    }

    pub async fn breach(&self, actor: &Actor, id: i64) -> AppResult<BreachView> {
        self.authorize_city(actor, Action::ProtectData).await?;
        let b = self.store.breach(id).await?.ok_or(AppError::NotFound)?;
        self.breach_view(b)
    }

    fn breach_view(&self, record: BreachRecord) -> AppResult<BreachView> {
        let rules = rules()?;
        let categories: Vec<String> =
            record.draft.categories.iter().map(|c| rules.category(c).map_or_else(|| c.clone(), |k| k.name.clone())).collect();
        let processing = thidua_domain::processing::shipped().map_err(|e| AppError::Storage(crate::error::StorageError::Corrupt(e)))?;
        let d = &record.draft;
        let discovered = moment_words(d.discovered_at_ms);
        let affected = affected_words(d.affected, &d.affected_note);
        let notification = rules.notification(&Facts {
            controller: &processing.controller,
            description: &d.description,
            discovered: &discovered,
            categories: categories.iter().map(String::as_str).collect(),
            affected: &affected,
            consequences: &d.consequences,
            measures: &d.measures,
            contact: &d.contact,
        });
        let now = ms(self.clock.now());
        let late = match &record.notified {
            Some((at, _)) => *at > d.notify_by_ms,
            None => now > d.notify_by_ms,
        };
        Ok(BreachView { record, categories, notification, late, addressee: rules.addressee, content_verified: rules.content_verified })
    }

    /// Records that the notification was sent now.
    pub async fn mark_breach_notified(&self, actor: &Actor, id: i64, version: i64) -> AppResult<()> {
        let via = self.authorize_city(actor, Action::ProtectData).await?;
        let b = self.store.breach(id).await?.ok_or(AppError::NotFound)?;
        if b.notified.is_some() {
            return Err(AppError::Conflict(format!("vi phạm số {id} đã được thông báo")));
        }
        let at = ms(self.clock.now());
        let audit =
            self.draft(actor, &via, "breach.notify", "breach", id, Some(b.draft.unit_id), None, Some(serde_json::json!({"at_ms": at})));
        self.store.mark_notified(id, version, at, &actor.username, audit).await.map_err(|e| match e {
            crate::error::StorageError::Stale => AppError::Conflict("vi phạm vừa được cập nhật: tải lại trang".into()),
            other => other.into(),
        })
    }

    /// The breaches whose notification is still to send, for whoever keeps the register over the
    /// city: DOET and the system's administrators.
    pub(crate) async fn breach_due_items(
        &self,
        actor: &Actor,
        calendar: &thidua_domain::calendar::Calendar,
        thresholds: &[u32],
    ) -> AppResult<Vec<crate::commendation::DueItem>> {
        use thidua_domain::commendation::reminders::urgency;
        let snap = self.snapshot().await?;
        let Some(root) = snap.roots().first().copied() else { return Ok(vec![]) };
        if !self.can(actor, Action::ProtectData, root).await {
            return Ok(vec![]);
        }
        let mut out = Vec::new();
        let today = self.today();
        for b in self.store.breaches(PageRequest::all()).await?.items.into_iter().filter(|b| b.notified.is_none()) {
            let last = dates::date_in_hanoi(b.draft.notify_by_ms).unwrap_or(today);
            let due_before = last.next_day().unwrap_or(last);
            let days = crate::commendation::working_days_left(calendar, today, due_before);
            out.push(crate::commendation::DueItem {
                what: format!(
                    "Thông báo vi phạm dữ liệu cá nhân số {} cho cơ quan chuyên trách trước {}",
                    b.id,
                    moment_words(b.draft.notify_by_ms)
                ),
                campaign: "Bảo vệ dữ liệu cá nhân".into(),
                unit: snap.units.get(&root).map(|u| u.name.clone()).unwrap_or_default(),
                unit_id: actor.home_unit,
                due_before,
                working_days_left: days,
                urgency: urgency(days, thresholds),
                link: format!("/admin/breaches/{}", b.id),
            });
        }
        Ok(out)
    }
}
