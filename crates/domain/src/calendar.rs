//! The working-day calendar of state bodies, for deadlines counted in «ngày làm việc».
//!
//! - State bodies work Monday to Friday (QĐ 188/1999/QĐ-TTg); the weekly rest days are
//!   Saturday and Sunday.
//! - Fixed holidays (Bộ luật Lao động 2019, Điều 112): 01/01, 30/4, 01/5, 02/9 — always.
//! - A holiday of Điều 112 that falls on a weekly rest day gives the next working day off
//!   (nghỉ bù, Điều 111 khoản 3).
//! - The days the Prime Minister decides each year (Tết Âm lịch, the day next to Quốc khánh),
//!   the lunar Giỗ Tổ Hùng Vương, swapped days off and the Saturdays worked in exchange are data,
//!   one file per year under `calendar/`, each naming its basis and whether it was checked
//!   against the official notice.

use serde::Deserialize;
use std::collections::BTreeMap;
use time::{Date, Duration, Month, Weekday};

/// Why a day is not worked (or is, on a Saturday).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    Working,
    /// Saturday or Sunday.
    WeeklyRest,
    /// A day off by law or by the year's notice, with its name.
    DayOff(String),
    /// A Saturday or Sunday worked in exchange for a day off.
    SwappedWorking(String),
}

#[derive(Debug, Deserialize)]
struct Range {
    from: String,
    to: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct Named {
    date: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct YearFile {
    year: i32,
    verified: bool,
    basis: String,
    /// Days off decided for the year (not followed by a nghỉ bù of their own).
    #[serde(default)]
    days_off: Vec<Range>,
    /// Holidays of Điều 112 whose date is set per year (Giỗ Tổ): nghỉ bù applies to them.
    #[serde(default)]
    holidays: Vec<Named>,
    /// Saturdays or Sundays worked.
    #[serde(default)]
    working_days: Vec<Named>,
}

/// What the calendar knows about one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearInfo {
    pub year: i32,
    pub verified: bool,
    pub basis: String,
}

/// The shipped year files.
pub const SHIPPED: &[(&str, &str)] =
    &[("2025.toml", include_str!("../../../calendar/2025.toml")), ("2026.toml", include_str!("../../../calendar/2026.toml"))];

/// Days that are not plain weekdays / weekends, and the years described by a file.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    exceptions: BTreeMap<Date, DayKind>,
    years: BTreeMap<i32, YearInfo>,
}

fn day(s: &str, file: &str) -> Result<Date, String> {
    crate::dates::parse_dmy(s).map_err(|e| format!("{file}: ngày «{s}»: {e}"))
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl Calendar {
    /// The calendar from the shipped year files.
    pub fn shipped() -> Result<Calendar, String> {
        Calendar::from_files(SHIPPED)
    }

    /// A calendar from year files (name, TOML text).
    pub fn from_files(files: &[(&str, &str)]) -> Result<Calendar, String> {
        let mut c = Calendar::default();
        let mut holidays: BTreeMap<Date, String> = BTreeMap::new();
        for (name, text) in files {
            let f: YearFile = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            for r in &f.days_off {
                let (from, to) = (day(&r.from, name)?, day(&r.to, name)?);
                if to < from || (to - from) > Duration::days(31) {
                    return Err(format!("{name}: khoảng nghỉ «{}» từ {} đến {} không hợp lệ", r.name, r.from, r.to));
                }
                let mut d = from;
                while d <= to {
                    c.exceptions.insert(d, DayKind::DayOff(r.name.clone()));
                    d = d.next_day().ok_or("date overflow")?;
                }
            }
            for h in &f.holidays {
                holidays.insert(day(&h.date, name)?, h.name.clone());
            }
            for w in &f.working_days {
                let d = day(&w.date, name)?;
                if !is_weekend(d) {
                    return Err(format!("{name}: ngày làm bù {} không phải thứ Bảy hoặc Chủ nhật", w.date));
                }
                c.exceptions.insert(d, DayKind::SwappedWorking(w.name.clone()));
            }
            c.years.insert(f.year, YearInfo { year: f.year, verified: f.verified, basis: f.basis });
        }
        // The fixed holidays of Điều 112, for every year a deadline may reach.
        for year in 2020..=2035 {
            for (m, dd, name) in [
                (Month::January, 1, "Tết Dương lịch"),
                (Month::April, 30, "Ngày Chiến thắng"),
                (Month::May, 1, "Ngày Quốc tế lao động"),
                (Month::September, 2, "Quốc khánh"),
            ] {
                let d = Date::from_calendar_date(year, m, dd).map_err(|e| e.to_string())?;
                holidays.entry(d).or_insert_with(|| name.to_string());
            }
        }
        // Holidays are days off; one on a weekly rest day moves to the next working day.
        for (d, name) in &holidays {
            c.exceptions.insert(*d, DayKind::DayOff(name.clone()));
        }
        for (d, name) in &holidays {
            if is_weekend(*d) && !matches!(c.exceptions.get(d), Some(DayKind::SwappedWorking(_))) {
                let mut next = d.next_day().ok_or("date overflow")?;
                while !c.is_working_day(next) {
                    next = next.next_day().ok_or("date overflow")?;
                }
                c.exceptions.insert(next, DayKind::DayOff(format!("Nghỉ bù {name}")));
            }
        }
        Ok(c)
    }

    /// What `d` is.
    pub fn kind(&self, d: Date) -> DayKind {
        match self.exceptions.get(&d) {
            Some(k) => k.clone(),
            None if is_weekend(d) => DayKind::WeeklyRest,
            None => DayKind::Working,
        }
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        matches!(self.kind(d), DayKind::Working | DayKind::SwappedWorking(_))
    }

    /// The day `n` working days after `start` (start itself not counted).
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            match d.next_day() {
                Some(next) => d = next,
                None => return d,
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The day `n` working days before `end` (end itself not counted): «n ngày làm việc trước».
    pub fn working_days_before(&self, end: Date, n: u32) -> Date {
        let mut d = end;
        let mut left = n;
        while left > 0 {
            match d.previous_day() {
                Some(prev) => d = prev,
                None => return d,
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            match d.next_day() {
                Some(next) => d = next,
                None => break,
            }
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }

    /// Whether the year's days decided by notice are known, and checked.
    pub fn year(&self, year: i32) -> Option<&YearInfo> {
        self.years.get(&year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_dmy;

    fn d(s: &str) -> Date {
        parse_dmy(s).expect("date")
    }

    fn cal() -> Calendar {
        Calendar::shipped().expect("the shipped calendar reads")
    }

    #[test]
    fn state_bodies_work_monday_to_friday() {
        let c = cal();
        assert!(c.is_working_day(d("10/06/2026")), "a Wednesday");
        assert_eq!(c.kind(d("13/06/2026")), DayKind::WeeklyRest);
        assert_eq!(c.kind(d("14/06/2026")), DayKind::WeeklyRest);
    }

    #[test]
    fn the_fixed_holidays_of_article_112_are_off_every_year() {
        let c = cal();
        for s in ["01/01/2026", "30/04/2026", "01/05/2026", "02/09/2026", "01/01/2031", "02/09/2032"] {
            assert!(!c.is_working_day(d(s)), "{s}");
        }
    }

    #[test]
    fn a_holiday_on_a_weekly_rest_day_gives_the_next_working_day_off() {
        let c = cal();
        // 01/5/2027 is a Saturday: Monday 03/5 is off (Điều 111 khoản 3).
        assert!(!c.is_working_day(d("03/05/2027")));
        assert!(c.is_working_day(d("04/05/2027")));
        // 30/4/2028 is a Sunday and 01/5 a Monday holiday: the day in lieu is Tuesday 02/5.
        assert!(!c.is_working_day(d("01/05/2028")) && !c.is_working_day(d("02/05/2028")));
        assert!(c.is_working_day(d("03/05/2028")));
    }

    #[test]
    fn tet_binh_ngo_2026_closes_offices_for_nine_days() {
        let c = cal();
        for day in 14..=22 {
            assert!(!c.is_working_day(d(&format!("{day:02}/02/2026"))), "{day}/02/2026");
        }
        assert!(c.is_working_day(d("13/02/2026")) && c.is_working_day(d("23/02/2026")));
        // One working day after Friday 13/02 is Monday 23/02.
        assert_eq!(c.add_working_days(d("13/02/2026"), 1), d("23/02/2026"));
    }

    #[test]
    fn gio_to_on_a_sunday_in_2026_moves_the_day_off_to_monday() {
        let c = cal();
        assert!(!c.is_working_day(d("27/04/2026")));
        assert!(matches!(c.kind(d("27/04/2026")), DayKind::DayOff(n) if n.contains("Nghỉ bù")));
    }

    #[test]
    fn a_saturday_worked_in_exchange_counts_as_a_working_day() {
        let c = cal();
        assert!(c.is_working_day(d("26/04/2025")));
        assert!(!c.is_working_day(d("02/05/2025")));
    }

    #[test]
    fn deadlines_count_working_days_both_ways() {
        let c = cal();
        // 20 working days from Friday 29/05/2026: June has no holiday, so Friday 26/06.
        assert_eq!(c.add_working_days(d("29/05/2026"), 20), d("26/06/2026"));
        assert_eq!(c.working_days_between(d("29/05/2026"), d("26/06/2026")), 20);
        // 30 working days before a conference on Monday 23/03/2026 (after Tết).
        let before = c.working_days_before(d("23/03/2026"), 30);
        assert_eq!(c.working_days_between(before, d("23/03/2026")), 30);
        // Back over Tết (14–22/02 off): Monday 02/02.
        assert_eq!(before, d("02/02/2026"));
    }

    #[test]
    fn a_year_file_says_whether_it_was_checked_against_the_notice() {
        let c = cal();
        assert!(c.year(2026).is_some_and(|y| !y.verified && y.basis.contains("Điều 112")));
        assert!(c.year(2031).is_none(), "years without a notice only have the fixed holidays");
    }

    #[test]
    fn a_working_day_that_is_not_a_weekend_is_refused() {
        let bad = "year = 2027\nverified = false\nbasis = \"x\"\n[[working_days]]\ndate = \"03/03/2027\"\nname = \"x\"\n";
        assert!(Calendar::from_files(&[("2027.toml", bad)]).is_err());
    }
}
