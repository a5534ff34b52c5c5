//! What the city must do, and by when, with a state-level award's dossier (Decree 152/2025,
//! `[[time_limit]]` and `[[publication]]` in `commendation/awards.toml`): submit to the Prime
//! Minister within 30 working days of receiving the full dossier (Art. 35(3)); publish the list
//! of an order's nominees 10 working days before the city's council meets (Art. 44(2)).

use super::AWARDS_TOML;
use crate::calendar::Calendar;
use crate::dates::{format_dmy, parse_dmy};
use serde::Deserialize;
use time::Date;

#[derive(Debug, Clone, Deserialize)]
pub struct TimeLimit {
    pub levels: Vec<String>,
    /// The step (code) the time runs from, and the one that must be taken within it.
    pub after: String,
    pub by: String,
    pub working_days: u32,
    pub what: String,
    pub basis: String,
    from: String,
    until: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Publication {
    pub levels: Vec<String>,
    pub working_days: u32,
    pub basis: String,
    from: String,
    until: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Procedure {
    #[serde(rename = "time_limit", default)]
    pub time_limits: Vec<TimeLimit>,
    #[serde(rename = "publication", default)]
    pub publications: Vec<Publication>,
}

/// A time limit applied to a dossier: the last day allowed, and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub last_day: Date,
    pub late: bool,
    /// «Thành phố … trước hết ngày …, 30 ngày làm việc kể từ …(basis)».
    pub text: String,
}

fn in_force(from: &str, until: Option<&str>, on: Date) -> bool {
    parse_dmy(from).is_ok_and(|f| f <= on) && until.is_none_or(|u| parse_dmy(u).is_ok_and(|u| on <= u))
}

impl Procedure {
    pub fn parse(text: &str) -> Result<Procedure, String> {
        let p: Procedure = toml::from_str(text).map_err(|e| format!("awards.toml: {e}"))?;
        let dates = p.time_limits.iter().flat_map(|t| [Some(&t.from), t.until.as_ref()]);
        for d in dates.chain(p.publications.iter().flat_map(|t| [Some(&t.from), t.until.as_ref()])).flatten() {
            parse_dmy(d).map_err(|e| format!("awards.toml: «{d}»: {e}"))?;
        }
        Ok(p)
    }

    pub fn shipped() -> Result<Procedure, String> {
        Procedure::parse(AWARDS_TOML)
    }

    /// The time limit of `level` running from `started` (the day of its `after` step), judged on
    /// `today` (late once past the last day while the `by` step is not taken).
    pub fn due(&self, level: &str, started: Date, today: Date, calendar: &Calendar) -> Option<(&TimeLimit, Due)> {
        let t = self.time_limits.iter().find(|t| t.levels.iter().any(|l| l == level) && in_force(&t.from, t.until.as_deref(), started))?;
        let last_day = calendar.add_working_days(started, t.working_days);
        let text = format!(
            "{} đến hết ngày {} ({} ngày làm việc kể từ ngày {}; {})",
            t.what,
            format_dmy(last_day),
            t.working_days,
            format_dmy(started),
            t.basis
        );
        Some((t, Due { last_day, late: today > last_day, text }))
    }

    /// What the city must publish before its council meets on an order's nominees, on `on`.
    pub fn publication(&self, level: &str, on: Date) -> Option<String> {
        let p = self.publications.iter().find(|p| p.levels.iter().any(|l| l == level) && in_force(&p.from, p.until.as_deref(), on))?;
        Some(format!(
            "Chủ tịch UBND Thành phố công khai danh sách đề nghị trên phương tiện truyền thông của Thành phố ít nhất {} ngày làm việc trước khi họp Hội đồng Thi đua – Khen thưởng Thành phố; kết quả lấy ý kiến Nhân dân báo cáo Hội đồng và ghi trong Biên bản xét khen thưởng ({}).",
            p.working_days, p.basis
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn calendar() -> Calendar {
        Calendar::shipped().expect("calendar")
    }

    #[test]
    fn the_city_submits_a_state_award_to_the_prime_minister_within_30_working_days_of_the_full_dossier() {
        // Decree 152/2025 Art. 35(3): «trong thời hạn 30 ngày làm việc …, kể từ ngày nhận đủ hồ sơ
        // theo quy định, bộ, ban, ngành, tỉnh xem xét, trình Thủ tướng Chính phủ».
        let p = Procedure::shipped().expect("reads");
        // Thursday 01/10/2026 + 30 working days (no holiday between): Thursday 12/11/2026.
        let (t, due) = p.due("bang_khen_thu_tuong", date!(2026 - 10 - 01), date!(2026 - 11 - 13), &calendar()).expect("a limit");
        assert_eq!((t.after.as_str(), t.by.as_str()), ("forward", "propose_upward"));
        assert_eq!(due.last_day, date!(2026 - 11 - 12));
        assert!(due.late && due.text.contains("khoản 3 Điều 35"), "{}", due.text);
        assert!(p.due("bang_khen_ubnd_tp", date!(2026 - 10 - 01), date!(2026 - 10 - 02), &calendar()).is_none(), "the City's own award");
        assert!(p.due("bang_khen_thu_tuong", date!(2025 - 06 - 01), date!(2025 - 06 - 02), &calendar()).is_none(), "before Decree 152");
    }

    #[test]
    fn an_order_s_nominees_are_published_ten_working_days_before_the_council_meets() {
        // Art. 44(2): «công khai danh sách … ít nhất 10 ngày làm việc trước khi họp Hội đồng».
        let p = Procedure::shipped().expect("reads");
        let note = p.publication("huan_chuong_lao_dong_hang_ba", date!(2026 - 10 - 01)).expect("for an order");
        assert!(note.contains("10 ngày làm việc") && note.contains("khoản 2 Điều 44"), "{note}");
        assert!(p.publication("bang_khen_thu_tuong", date!(2026 - 10 - 01)).is_none(), "not for a Bằng khen");
    }
}
