//! The Vietnamese lunar calendar (âm lịch), computed for the time zone of Vietnam (UTC+7).
//!
//! A lunar month starts on the civil day (UTC+7) of a new moon; month 11 is the month that holds
//! the winter solstice; a lunar year with 13 months repeats (nhuận) the first month that holds no
//! major solar term (trung khí). New moons and the solar longitude follow the series of Jean Meeus,
//! *Astronomical Algorithms* (ch. 25 and 49, truncated), which is what the published Vietnamese
//! calendars use. Because Vietnam counts days in UTC+7 and China in UTC+8, the two calendars
//! sometimes differ (Tết 1985: 21/01 in Vietnam, 20/02 in China).

use std::f64::consts::PI;
use time::Date;

/// Hours east of UTC for Vietnam.
const TZ: f64 = 7.0;
/// Julian day of the new moon of 1900-01-01 (k = 0) and the mean synodic month.
const EPOCH: f64 = 2_415_021.076_998_695;
const SYNODIC: f64 = 29.530_588_853;

/// A date of the lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDate {
    pub day: u8,
    pub month: u8,
    pub year: i32,
    /// The repeated (nhuận) month of a 13-month year.
    pub leap: bool,
}

impl std::fmt::Display for LunarDate {
    /// `D/M/YYYY`, followed by «nhuận» for a leap month.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.day, self.month, self.year)?;
        if self.leap {
            write!(f, " nhuận")?;
        }
        Ok(())
    }
}

/// Julian day of the k-th new moon after 1900-01-01 (Meeus ch. 49, the terms above 0.0004 day).
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3; // Sun's mean anomaly
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3; // Moon's mean anomaly
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3; // Moon's argument of latitude
    let s = |x: f64| (x * dr).sin();
    let mut c1 = (0.1734 - 0.000_393 * t) * s(m) + 0.0021 * s(2.0 * m);
    c1 = c1 - 0.4068 * s(mpr) + 0.0161 * s(2.0 * mpr);
    c1 -= 0.0004 * s(3.0 * mpr);
    c1 = c1 + 0.0104 * s(2.0 * f) - 0.0051 * s(m + mpr);
    c1 = c1 - 0.0074 * s(m - mpr) + 0.0004 * s(2.0 * f + m);
    c1 = c1 - 0.0004 * s(2.0 * f - m) - 0.0006 * s(2.0 * f + mpr);
    c1 = c1 + 0.0010 * s(2.0 * f - mpr) + 0.0005 * s(2.0 * mpr + m);
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd + c1 - delta_t
}

/// The civil day number (UTC+7) of the k-th new moon.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k as f64) + 0.5 + TZ / 24.0).floor() as i64
}

/// The Sun's apparent longitude at Julian day `jd` (UT), in twelfths of the circle (0..=11):
/// 0 from the March equinox, 3 from the June solstice, 9 from the December solstice.
fn sun_longitude_sector(jd: f64) -> i64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin()
        + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin()
        + 0.000_290 * (dr * 3.0 * m).sin();
    let l = ((l0 + dl) * dr).rem_euclid(2.0 * PI);
    (l / PI * 6.0).floor() as i64
}

/// The solar-term sector at the start (00:00 UTC+7) of civil day `day`.
fn sector_of_day(day: i64) -> i64 {
    sun_longitude_sector(day as f64 - 0.5 - TZ / 24.0)
}

/// The first day of the lunar month that holds the winter solstice of solar year `year`.
fn month_11(year: i32) -> Option<i64> {
    let dec31 = Date::from_calendar_date(year, time::Month::December, 31).ok()?.to_julian_day() as i64;
    let k = ((dec31 as f64 - 2_415_021.0) / SYNODIC).floor() as i64;
    let nm = new_moon_day(k);
    Some(if sector_of_day(nm) >= 9 { new_moon_day(k - 1) } else { nm })
}

/// In a 13-month lunar year starting at month 11 `a11`, the offset (from month 11) of the first
/// month without a major solar term: that month is the leap one.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - EPOCH) / SYNODIC + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sector_of_day(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sector_of_day(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

fn from_jd(jd: i64) -> Option<Date> {
    Date::from_julian_day(i32::try_from(jd).ok()?).ok()
}

/// The lunar date of a civil date (valid for 1800–2199; `None` outside what `time` can hold).
pub fn to_lunar(date: Date) -> Option<LunarDate> {
    let day = date.to_julian_day() as i64;
    let k = ((day as f64 - EPOCH) / SYNODIC).floor() as i64;
    let mut month_start = new_moon_day(k + 1);
    if month_start > day {
        month_start = new_moon_day(k);
    }
    let y = date.year();
    let mut a11 = month_11(y)?;
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = y;
        a11 = month_11(y - 1)?;
    } else {
        lunar_year = y + 1;
        b11 = month_11(y + 1)?;
    }
    let lunar_day = day - month_start + 1;
    let diff = (month_start - a11) / 29;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    Some(LunarDate { day: u8::try_from(lunar_day).ok()?, month: u8::try_from(month).ok()?, year: lunar_year, leap })
}

/// The civil date of a lunar date; `None` when it does not exist (a leap flag on a month that is
/// not repeated that year, or a day past the month's end).
pub fn from_lunar(l: LunarDate) -> Option<Date> {
    if !(1..=12).contains(&l.month) || !(1..=30).contains(&l.day) {
        return None;
    }
    let (a11, b11) = if l.month < 11 { (month_11(l.year - 1)?, month_11(l.year)?) } else { (month_11(l.year)?, month_11(l.year + 1)?) };
    let k = (0.5 + (a11 as f64 - EPOCH) / SYNODIC).floor() as i64;
    let mut off = i64::from(l.month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if l.leap && i64::from(l.month) != leap_month {
            return None;
        }
        if l.leap || off >= leap_off {
            off += 1;
        }
    } else if l.leap {
        return None;
    }
    let start = new_moon_day(k + off);
    let date = from_jd(start + i64::from(l.day) - 1)?;
    // A day 30 of a 29-day month falls in the next month.
    (to_lunar(date)? == l).then_some(date)
}

/// The first day (mùng 1 tháng Giêng) of lunar year `year`: Tết Nguyên đán.
pub fn tet(year: i32) -> Option<Date> {
    from_lunar(LunarDate { day: 1, month: 1, year, leap: false })
}

/// The sexagenary name (can chi) of lunar year `year`, e.g. «Bính Ngọ» for 2026.
pub fn can_chi(year: i32) -> String {
    const CAN: [&str; 10] = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"];
    const CHI: [&str; 12] = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"];
    let (c, k) = ((year + 6).rem_euclid(10), (year + 8).rem_euclid(12));
    format!("{} {}", CAN[c as usize], CHI[k as usize])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_dmy;

    fn d(s: &str) -> Date {
        parse_dmy(s).expect("date")
    }

    #[test]
    fn tet_falls_on_the_published_days() {
        for (year, day) in [
            (2007, "17/02/2007"),
            (2023, "22/01/2023"),
            (2024, "10/02/2024"),
            (2025, "29/01/2025"),
            (2026, "17/02/2026"),
            (2027, "06/02/2027"),
            (2028, "26/01/2028"),
        ] {
            assert_eq!(tet(year), Some(d(day)), "Tết {year}");
        }
    }

    #[test]
    fn lunar_years_carry_their_sexagenary_names() {
        assert_eq!(can_chi(2025), "Ất Tỵ");
        assert_eq!(can_chi(2026), "Bính Ngọ");
        assert_eq!(can_chi(2030), "Canh Tuất");
        assert_eq!(can_chi(1984), "Giáp Tý");
    }

    #[test]
    fn vietnam_counts_days_in_utc_plus_7_so_tet_1985_is_a_month_before_china() {
        assert_eq!(tet(1985), Some(d("21/01/1985")));
        // The new moon of 02/02/2030 is at 23:07 in Hanoi and 00:07 on 03/02 in Beijing.
        assert_eq!(tet(2030), Some(d("02/02/2030")));
    }

    #[test]
    fn hung_kings_day_is_the_tenth_of_the_third_month() {
        let gio_to = |y| from_lunar(LunarDate { day: 10, month: 3, year: y, leap: false });
        assert_eq!(gio_to(2024), Some(d("18/04/2024")));
        assert_eq!(gio_to(2025), Some(d("07/04/2025")));
        assert_eq!(gio_to(2026), Some(d("26/04/2026")));
    }

    #[test]
    fn leap_months_are_named_and_placed() {
        // 2023 repeats the second month, 2025 the sixth.
        assert_eq!(to_lunar(d("22/03/2023")), Some(LunarDate { day: 1, month: 2, year: 2023, leap: true }));
        assert_eq!(to_lunar(d("25/07/2025")), Some(LunarDate { day: 1, month: 6, year: 2025, leap: true }));
        assert_eq!(to_lunar(d("25/07/2025")).map(|l| l.to_string()).as_deref(), Some("1/6/2025 nhuận"));
        assert_eq!(to_lunar(d("24/07/2025")).map(|l| l.to_string()).as_deref(), Some("30/6/2025"));
    }

    #[test]
    fn the_days_before_tet_belong_to_the_previous_lunar_year() {
        assert_eq!(to_lunar(d("16/02/2026")), Some(LunarDate { day: 29, month: 12, year: 2025, leap: false }));
        assert_eq!(to_lunar(d("01/01/2026")).map(|l| (l.month, l.year)), Some((11, 2025)));
    }

    #[test]
    fn a_leap_month_that_does_not_exist_is_refused() {
        assert_eq!(from_lunar(LunarDate { day: 1, month: 3, year: 2025, leap: true }), None);
        assert_eq!(from_lunar(LunarDate { day: 1, month: 6, year: 2026, leap: true }), None);
    }

    #[test]
    fn every_day_of_two_decades_converts_there_and_back() {
        let mut day = d("01/01/2020");
        let end = d("31/12/2040");
        while day <= end {
            let l = to_lunar(day).expect("in range");
            assert_eq!(from_lunar(l), Some(day), "{day} → {l}");
            day = day.next_day().expect("in range");
        }
    }
}
