//! The working-day calendar of state bodies, for deadlines counted in «ngày làm việc».
//!
//! - State bodies work Monday to Friday (QĐ 188/1999/QĐ-TTg); the weekly rest days are
//!   Saturday and Sunday.
//! - Public holidays (Bộ luật Lao động 2019, Điều 112): 01/01, five days of Tết Âm lịch, Giỗ Tổ
//!   Hùng Vương (10/3 âm lịch), 30/4, 01/5, 02/9 and one day next to it.
//! - A holiday that falls on a weekly rest day gives the next working day off (nghỉ bù, Điều 111
//!   khoản 3).
//! - The lunar dates are computed ([`crate::lunar`]). The Prime Minister decides each year which
//!   five days make Tết and which day joins Quốc khánh (Điều 112 khoản 3); that, the days swapped
//!   for a bridge, the Saturdays worked in exchange and any new holiday are a per-year table
//!   ([`YearTable`]): shipped under `calendar/`, editable by an administrator. A year without a
//!   table takes Tết as the last day of the lunar year and the first four of the new one, marked
//!   provisional, and has no day next to Quốc khánh yet.

use crate::lunar::{self, LunarDate};
use serde::{Deserialize, Serialize};
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

/// From this year 24 November is a day off, «Ngày Văn hóa Việt Nam»: Nghị quyết 28/2026/QH16,
/// Điều 2 («người lao động được nghỉ làm việc và hưởng nguyên lương»), in force 01/7/2026.
pub const CULTURE_DAY_FROM: i32 = 2026;

/// A range of days off decided by notice (a bridge), dd/mm/yyyy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub from: String,
    pub to: String,
    pub name: String,
}

/// One named day, dd/mm/yyyy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub date: String,
    pub name: String,
}

/// What the year's notice decides: the file format under `calendar/` and what an administrator
/// edits. Dates are dd/mm/yyyy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTable {
    pub year: i32,
    /// Checked against the official notice.
    pub verified: bool,
    /// The notice (number, date, issuer) or where the dates came from.
    pub basis: String,
    /// The five days of Tết Âm lịch decided for the year; computed when empty.
    #[serde(default)]
    pub tet: Vec<String>,
    /// The day joined to Quốc khánh 02/9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_day_adjacent: Option<String>,
    /// Public holidays added by law or notice (a day in lieu when on a weekend).
    #[serde(default)]
    pub holidays: Vec<Named>,
    /// Days off swapped for a bridge (no day in lieu of their own).
    #[serde(default)]
    pub days_off: Vec<Range>,
    /// Saturdays or Sundays worked in exchange.
    #[serde(default)]
    pub working_days: Vec<Named>,
}

impl YearTable {
    /// Reads a table written as TOML (the file format).
    pub fn from_toml(text: &str) -> Result<YearTable, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// An empty table for `year`: everything computed.
    pub fn empty(year: i32) -> YearTable {
        YearTable {
            year,
            verified: false,
            basis: String::new(),
            tet: vec![],
            national_day_adjacent: None,
            holidays: vec![],
            days_off: vec![],
            working_days: vec![],
        }
    }
}

/// Reads the lines of an edit form: `dd/mm/yyyy Tên` each (blank lines skipped).
pub fn parse_named_lines(text: &str) -> Result<Vec<Named>, String> {
    parse_named_lines_raw(text)?
        .into_iter()
        .map(|(i, date, name)| {
            crate::dates::parse_dmy(&date).map_err(|e| format!("dòng {i}: «{date}»: {e}"))?;
            Ok(Named { date, name })
        })
        .collect()
}

/// Reads `dd/mm/yyyy Tên` or `dd/mm/yyyy-dd/mm/yyyy Tên` lines into ranges.
pub fn parse_range_lines(text: &str) -> Result<Vec<Range>, String> {
    parse_named_lines_raw(text)?
        .into_iter()
        .map(|(i, span, name)| {
            let (from, to) = span.split_once('-').map(|(a, b)| (a.trim(), b.trim())).unwrap_or((span.as_str(), span.as_str()));
            for d in [from, to] {
                crate::dates::parse_dmy(d).map_err(|e| format!("dòng {i}: «{d}»: {e}"))?;
            }
            Ok(Range { from: from.to_string(), to: to.to_string(), name })
        })
        .collect()
}

fn parse_named_lines_raw(text: &str) -> Result<Vec<(usize, String, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line = line.trim();
        let (head, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if name.trim().is_empty() {
            return Err(format!("dòng {}: thiếu tên ngày (dd/mm/yyyy Tên)", i + 1));
        }
        out.push((i + 1, head.to_string(), name.trim().to_string()));
    }
    Ok(out)
}

/// The form text of named days, one per line.
pub fn named_lines(days: &[Named]) -> String {
    days.iter().map(|d| format!("{} {}\n", d.date, d.name)).collect()
}

/// The form text of ranges, one per line.
pub fn range_lines(days: &[Range]) -> String {
    days.iter()
        .map(|r| if r.from == r.to { format!("{} {}\n", r.from, r.name) } else { format!("{}-{} {}\n", r.from, r.to, r.name) })
        .collect()
}

/// What is known of a year's notice.
#[derive(Debug, Clone)]
pub struct YearInfo {
    pub year: i32,
    pub verified: bool,
    pub basis: String,
}

/// A public holiday or a day in lieu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    pub name: String,
    /// Computed for a year whose notice is not in the table yet.
    pub provisional: bool,
    /// A day in lieu (nghỉ bù) rather than the holiday itself.
    pub in_lieu: bool,
}

/// The shipped year files.
pub const SHIPPED: &[(&str, &str)] =
    &[("2025.toml", include_str!("../../../calendar/2025.toml")), ("2026.toml", include_str!("../../../calendar/2026.toml"))];

/// The years whose holidays are computed.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2060;

/// Days that are not plain weekdays / weekends, and the years described by a table.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    exceptions: BTreeMap<Date, DayKind>,
    holidays: BTreeMap<Date, Holiday>,
    years: BTreeMap<i32, YearInfo>,
}

fn day(s: &str, year: i32) -> Result<Date, String> {
    crate::dates::parse_dmy(s).map_err(|e| format!("lịch năm {year}: ngày «{s}»: {e}"))
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn next(d: Date) -> Result<Date, String> {
    d.next_day().ok_or_else(|| "date overflow".to_string())
}

/// The five computed days of Tết for the lunar year starting in solar `year`, with their names.
fn computed_tet(year: i32) -> Result<Vec<(Date, String)>, String> {
    let first = lunar::tet(year).ok_or_else(|| format!("không tính được Tết năm {year}"))?;
    let eve = first.previous_day().ok_or("date overflow")?;
    let eve_day = lunar::to_lunar(eve).map(|l| l.day).unwrap_or(30);
    let mut days = vec![(eve, format!("{eve_day} tháng Chạp"))];
    let mut d = first;
    for n in 1..=4 {
        days.push((d, format!("mùng {n} tháng Giêng")));
        d = next(d)?;
    }
    Ok(days)
}

impl Calendar {
    /// The calendar from the shipped year files.
    pub fn shipped() -> Result<Calendar, String> {
        Calendar::from_files(SHIPPED)
    }

    /// The shipped tables, by year.
    pub fn shipped_tables() -> Result<BTreeMap<i32, YearTable>, String> {
        let mut out = BTreeMap::new();
        for (name, text) in SHIPPED {
            let t = YearTable::from_toml(text).map_err(|e| format!("{name}: {e}"))?;
            out.insert(t.year, t);
        }
        Ok(out)
    }

    /// A calendar from year files (name, TOML text).
    pub fn from_files(files: &[(&str, &str)]) -> Result<Calendar, String> {
        let mut tables = Vec::new();
        for (name, text) in files {
            tables.push(YearTable::from_toml(text).map_err(|e| format!("{name}: {e}"))?);
        }
        Calendar::from_tables(&tables)
    }

    /// A calendar from the year tables (at most one per year; a later one replaces an earlier).
    pub fn from_tables(tables: &[YearTable]) -> Result<Calendar, String> {
        let by_year: BTreeMap<i32, &YearTable> = tables.iter().map(|t| (t.year, t)).collect();
        let mut c = Calendar::default();
        // Holidays outside Labour Code Art. 112, which the day in lieu of Art. 111(3) does not
        // follow (legal.md §11.3, a reading marked provisional in calendar/README.md).
        let mut without_lieu = std::collections::BTreeSet::new();
        for year in YEARS {
            let table = by_year.get(&year).copied();
            let mut hol = |d: Date, name: String, provisional: bool| {
                c.holidays.entry(d).or_insert(Holiday { date: d, name, provisional, in_lieu: false });
            };
            let fixed = |m: Month, dd: u8| Date::from_calendar_date(year, m, dd).map_err(|e| e.to_string());
            hol(fixed(Month::January, 1)?, "Tết Dương lịch".into(), false);
            let can_chi = lunar::can_chi(year);
            match table.filter(|t| !t.tet.is_empty()) {
                Some(t) => {
                    if t.tet.len() != 5 {
                        return Err(format!("lịch năm {year}: Tết Âm lịch phải đủ 5 ngày (Điều 112), đang có {}", t.tet.len()));
                    }
                    for s in &t.tet {
                        hol(day(s, year)?, format!("Tết Nguyên đán {can_chi}"), false);
                    }
                }
                None => {
                    for (d, label) in computed_tet(year)? {
                        hol(d, format!("Tết Nguyên đán {can_chi} ({label}, tạm tính)"), true);
                    }
                }
            }
            let gio_to = lunar::from_lunar(LunarDate { day: 10, month: 3, year, leap: false })
                .ok_or_else(|| format!("không tính được Giỗ Tổ năm {year}"))?;
            hol(gio_to, "Giỗ Tổ Hùng Vương (10/3 âm lịch)".into(), false);
            hol(fixed(Month::April, 30)?, "Ngày Chiến thắng".into(), false);
            hol(fixed(Month::May, 1)?, "Ngày Quốc tế lao động".into(), false);
            hol(fixed(Month::September, 2)?, "Quốc khánh".into(), false);
            if year >= CULTURE_DAY_FROM {
                let d = fixed(Month::November, 24)?;
                hol(d, "Ngày Văn hóa Việt Nam".into(), false);
                without_lieu.insert(d);
            }
            let Some(t) = table else { continue };
            if let Some(s) = &t.national_day_adjacent {
                let d = day(s, year)?;
                let national = fixed(Month::September, 2)?;
                if (d - national).abs() != Duration::days(1) {
                    return Err(format!("lịch năm {year}: ngày liền kề Quốc khánh {s} phải là 01/9 hoặc 03/9"));
                }
                hol(d, "Quốc khánh (ngày liền kề)".into(), false);
            }
            for h in &t.holidays {
                hol(day(&h.date, year)?, h.name.clone(), false);
            }
            for r in &t.days_off {
                let (from, to) = (day(&r.from, year)?, day(&r.to, year)?);
                if to < from || (to - from) > Duration::days(31) {
                    return Err(format!("lịch năm {year}: khoảng nghỉ «{}» từ {} đến {} không hợp lệ", r.name, r.from, r.to));
                }
                let mut d = from;
                while d <= to {
                    c.exceptions.insert(d, DayKind::DayOff(r.name.clone()));
                    d = next(d)?;
                }
            }
            for w in &t.working_days {
                let d = day(&w.date, year)?;
                if !is_weekend(d) {
                    return Err(format!("lịch năm {year}: ngày làm bù {} không phải thứ Bảy hoặc Chủ nhật", w.date));
                }
                c.exceptions.insert(d, DayKind::SwappedWorking(w.name.clone()));
            }
            c.years.insert(year, YearInfo { year, verified: t.verified, basis: t.basis.clone() });
        }
        for (d, h) in &c.holidays {
            c.exceptions.insert(*d, DayKind::DayOff(h.name.clone()));
        }
        // Holidays on a weekly rest day move to the next working day, in date order.
        let on_weekend: Vec<Holiday> = c
            .holidays
            .values()
            .filter(|h| is_weekend(h.date) && !without_lieu.contains(&h.date))
            .filter(|h| !matches!(c.exceptions.get(&h.date), Some(DayKind::SwappedWorking(_))))
            .cloned()
            .collect();
        for h in on_weekend {
            let mut d = next(h.date)?;
            while !c.is_working_day(d) {
                d = next(d)?;
            }
            let name = format!("Nghỉ bù {}", h.name);
            c.exceptions.insert(d, DayKind::DayOff(name.clone()));
            c.holidays.insert(d, Holiday { date: d, name, provisional: h.provisional, in_lieu: true });
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

    /// The public holidays of `year` and the days in lieu, in date order (a holiday on a weekend
    /// is listed too).
    pub fn holidays(&self, year: i32) -> Vec<&Holiday> {
        self.holidays.values().filter(|h| h.date.year() == year).collect()
    }

    /// Days off decided by the year's notice beyond the holidays, and Saturdays worked.
    pub fn swaps(&self, year: i32) -> Vec<(Date, DayKind)> {
        self.exceptions.iter().filter(|(d, _)| d.year() == year && !self.holidays.contains_key(d)).map(|(d, k)| (*d, k.clone())).collect()
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
        assert!(c.year(2025).is_some_and(|y| !y.verified && y.basis.contains("Điều 112")));
        assert!(c.year(2026).is_some_and(|y| y.verified && y.basis.contains("9441/TB-BNV")));
        assert!(c.year(2031).is_none(), "years without a notice only have the fixed holidays");
    }

    #[test]
    fn a_working_day_that_is_not_a_weekend_is_refused() {
        let bad = "year = 2027\nverified = false\nbasis = \"x\"\n[[working_days]]\ndate = \"03/03/2027\"\nname = \"x\"\n";
        assert!(Calendar::from_files(&[("2027.toml", bad)]).is_err());
    }

    #[test]
    fn without_a_notice_tet_is_the_last_day_of_the_lunar_year_and_four_more_provisionally() {
        let c = cal();
        // Tết Đinh Mùi: mùng 1 is Saturday 06/02/2027.
        let tet: Vec<_> = c.holidays(2027).into_iter().filter(|h| h.name.starts_with("Tết Nguyên đán")).collect();
        assert_eq!(
            tet.iter().map(|h| h.date).collect::<Vec<_>>(),
            ["05/02/2027", "06/02/2027", "07/02/2027", "08/02/2027", "09/02/2027"].map(d)
        );
        assert!(tet.iter().all(|h| h.provisional && h.name.contains("Đinh Mùi")));
        // Saturday and Sunday inside Tết give Wednesday 10/02 and Thursday 11/02 in lieu.
        let in_lieu: Vec<_> =
            c.holidays(2027).into_iter().filter(|h| h.in_lieu && h.date.month() == Month::February).map(|h| h.date).collect();
        assert_eq!(in_lieu, [d("10/02/2027"), d("11/02/2027")]);
        assert_eq!(c.add_working_days(d("04/02/2027"), 1), d("12/02/2027"));
    }

    #[test]
    fn hung_kings_day_is_computed_from_the_lunar_calendar_every_year() {
        let c = cal();
        let gio_to = |y| c.holidays(y).into_iter().find(|h| h.name.starts_with("Giỗ Tổ")).map(|h| h.date);
        assert_eq!(gio_to(2025), Some(d("07/04/2025")));
        assert_eq!(gio_to(2027), Some(d("16/04/2027")));
        assert_eq!(gio_to(2030), Some(d("12/04/2030")));
    }

    #[test]
    fn the_24th_of_november_is_a_day_off_from_2026_without_a_day_in_lieu() {
        // Nghị quyết 28/2026/QH16, Điều 2: «Ngày 24 tháng 11 hằng năm là Ngày Văn hóa Việt Nam;
        // người lao động được nghỉ làm việc và hưởng nguyên lương» — in force 01/7/2026.
        let c = Calendar::shipped().expect("calendar");
        assert!(c.is_working_day(d("24/11/2025")), "before the resolution");
        assert!(!c.is_working_day(d("24/11/2026")), "Tuesday 24/11/2026");
        assert!(!c.is_working_day(d("24/11/2027")));
        // Saturday 24/11/2029: outside Art. 112, no day in lieu (legal.md §11.3 [S]).
        assert!(c.is_working_day(d("26/11/2029")), "Monday after is worked");
    }

    #[test]
    fn the_2026_schedule_of_notice_9441_bridges_quoc_khanh_with_saturday_22_august_worked() {
        // Thông báo 9441/TB-BNV (16/10/2025): 01/9 joins 02/9; Monday 31/8 off, swapped with
        // Saturday 22/8 worked; 29/8 – 02/9 off.
        let c = Calendar::shipped().expect("calendar");
        for off in ["29/08/2026", "30/08/2026", "31/08/2026", "01/09/2026", "02/09/2026"] {
            assert!(!c.is_working_day(d(off)), "{off}");
        }
        assert!(c.is_working_day(d("22/08/2026")), "the Saturday worked in exchange");
        assert!(c.is_working_day(d("03/09/2026")));
        assert!(c.year(2026).is_some_and(|y| y.verified && y.basis.contains("9441/TB-BNV")));
    }

    #[test]
    fn victory_and_labour_day_on_a_weekend_give_two_days_in_lieu() {
        let c = cal();
        // 30/4/2022 is a Saturday and 01/5 a Sunday: Monday 02/5 and Tuesday 03/5 are off.
        assert!(!c.is_working_day(d("02/05/2022")) && !c.is_working_day(d("03/05/2022")));
        assert!(c.is_working_day(d("04/05/2022")));
        let lines: Vec<_> = c
            .holidays(2022)
            .into_iter()
            .filter(|h| h.date.month() == Month::May || h.date.month() == Month::April)
            .map(|h| (h.date, h.in_lieu))
            .collect();
        assert!(lines.contains(&(d("30/04/2022"), false)), "a holiday on a weekend is listed too");
        assert!(lines.contains(&(d("02/05/2022"), true)) && lines.contains(&(d("03/05/2022"), true)));
    }

    #[test]
    fn a_year_table_overrides_the_computed_tet_and_adds_its_swaps() {
        let mut t = YearTable::empty(2027);
        t.verified = true;
        t.basis = "Thông báo số 1/TB-BNV (thử)".into();
        t.tet = ["04/02/2027", "05/02/2027", "08/02/2027", "09/02/2027", "10/02/2027"].map(String::from).to_vec();
        t.national_day_adjacent = Some("03/09/2027".into());
        t.days_off.push(Range { from: "11/02/2027".into(), to: "12/02/2027".into(), name: "Nghỉ hoán đổi".into() });
        t.working_days.push(Named { date: "20/02/2027".into(), name: "Làm bù".into() });
        let c = Calendar::from_tables(&[t]).expect("valid table");
        let tet: Vec<_> = c.holidays(2027).into_iter().filter(|h| h.name.starts_with("Tết Nguyên")).collect();
        assert_eq!(tet.len(), 5);
        assert!(tet.iter().all(|h| !h.provisional));
        assert!(c.is_working_day(d("20/02/2027")), "a Saturday worked");
        assert!(!c.is_working_day(d("12/02/2027")), "a swapped day off");
        assert!(!c.is_working_day(d("03/09/2027")), "the day joined to Quốc khánh");
        assert!(c.year(2027).is_some_and(|y| y.verified));
    }

    #[test]
    fn a_table_with_other_than_five_tet_days_or_a_wrong_national_day_is_refused() {
        let mut t = YearTable::empty(2027);
        t.tet = vec!["05/02/2027".into()];
        assert!(Calendar::from_tables(&[t]).is_err_and(|e| e.contains("5 ngày")));
        let mut t = YearTable::empty(2027);
        t.national_day_adjacent = Some("05/09/2027".into());
        assert!(Calendar::from_tables(&[t]).is_err());
    }

    #[test]
    fn form_lines_read_back_as_the_days_they_show() {
        let named = parse_named_lines("24/11/2027 Ngày Văn hóa Việt Nam\n\n").expect("valid");
        assert_eq!(named, [Named { date: "24/11/2027".into(), name: "Ngày Văn hóa Việt Nam".into() }]);
        assert_eq!(parse_named_lines(&named_lines(&named)).expect("valid"), named);
        let ranges = parse_range_lines("11/02/2027-12/02/2027 Nghỉ hoán đổi\n03/05/2027 Nghỉ\n").expect("valid");
        assert_eq!(ranges[0].to, "12/02/2027");
        assert_eq!(ranges[1].from, ranges[1].to);
        assert_eq!(parse_range_lines(&range_lines(&ranges)).expect("valid"), ranges);
    }

    #[test]
    fn a_form_line_without_a_name_or_with_a_bad_date_names_its_line() {
        assert!(parse_named_lines("24/11/2027").is_err_and(|e| e.contains("dòng 1")));
        assert!(parse_named_lines("x\n31/02/2027 Sai").is_err_and(|e| e.contains("dòng 1")));
        assert!(parse_range_lines("01/01/2027 A\n32/01/2027 B").is_err_and(|e| e.contains("dòng 2")));
    }

    #[test]
    fn a_year_table_round_trips_through_its_file_format() {
        let tables = Calendar::shipped_tables().expect("shipped");
        for t in tables.values() {
            assert_eq!(&YearTable::from_toml(&t.to_toml()).expect("reads back"), t);
        }
    }
}
