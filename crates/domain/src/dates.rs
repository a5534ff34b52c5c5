//! Dates as Vietnamese officials write them: dd/mm/yyyy.

use time::{Date, Month};

/// The movement's working year on `today`: the year whose assessments, recognitions and report
/// are being done. It is the calendar year, except in January, when the previous year's report
/// (due 15/12) and its recognitions are still being closed. Every page that opens on "this year"
/// (titles, dashboard, reports, a subject's assessment) opens on this one, so that they agree.
pub fn working_year(today: Date) -> i64 {
    let year = i64::from(today.year());
    if today.month() == Month::January { year - 1 } else { year }
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("ngày «{0}» không đúng dạng dd/mm/yyyy")]
    Format(String),
    #[error("ngày «{0}» không tồn tại")]
    Invalid(String),
}

/// Parses `dd/mm/yyyy` (also accepting `d/m/yyyy` and `-` or `.` as separators, as spreadsheets
/// often write them). ISO `yyyy-mm-dd` is accepted too, since spreadsheet date cells arrive so.
pub fn parse_dmy(input: &str) -> Result<Date, DateError> {
    let s = input.trim();
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(DateError::Format(s.to_string()));
    };
    let num = |p: &str| p.parse::<u32>().map_err(|_| DateError::Format(s.to_string()));
    let (day, month, year) = if a.len() == 4 { (num(c)?, num(b)?, num(a)?) } else { (num(a)?, num(b)?, num(c)?) };
    if !(1000..=9999).contains(&year) {
        return Err(DateError::Format(s.to_string()));
    }
    let month = u8::try_from(month).ok().and_then(|m| Month::try_from(m).ok()).ok_or_else(|| DateError::Invalid(s.to_string()))?;
    let day = u8::try_from(day).map_err(|_| DateError::Invalid(s.to_string()))?;
    let year = i32::try_from(year).map_err(|_| DateError::Invalid(s.to_string()))?;
    Date::from_calendar_date(year, month, day).map_err(|_| DateError::Invalid(s.to_string()))
}

/// Formats a date as dd/mm/yyyy.
/// «ngày 05 tháng 01 năm 2026», as a document's place-and-date line writes it.
pub fn date_words(d: Date) -> String {
    format!("ngày {:02} tháng {:02} năm {}", d.day(), u8::from(d.month()), d.year())
}

/// «05/01/2026 14:30», the moment in Hanoi (UTC+7) of milliseconds since 1970; none for a
/// moment outside the calendar.
pub fn moment_in_hanoi(ms: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?.to_offset(time::macros::offset!(+7));
    Some(format!("{} {:02}:{:02}", format_dmy(t.date()), t.hour(), t.minute()))
}

/// The calendar day in Hanoi (UTC+7) of a moment given in milliseconds since 1970; none for a
/// moment outside the calendar.
pub fn date_in_hanoi(ms: i64) -> Option<Date> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok().map(|t| t.to_offset(time::macros::offset!(+7)).date())
}

pub fn format_dmy(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), u8::from(date.month()), date.year())
}

/// ISO form used for storage (sorts as text in every database).
pub fn to_iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Reads the ISO storage form back.
pub fn from_iso(s: &str) -> Option<Date> {
    parse_dmy(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_working_year_is_the_calendar_year_except_in_january() {
        use time::macros::date;
        assert_eq!(working_year(date!(2026 - 12 - 06)), 2026);
        assert_eq!(working_year(date!(2026 - 02 - 01)), 2026);
        assert_eq!(working_year(date!(2027 - 01 - 31)), 2026, "January closes the year before");
    }
    use time::macros::date;

    #[test]
    fn reads_day_month_year() {
        assert_eq!(parse_dmy("30/06/2025"), Ok(date!(2025 - 06 - 30)));
        assert_eq!(parse_dmy("1/7/2025"), Ok(date!(2025 - 07 - 01)));
        assert_eq!(parse_dmy("2025-07-01"), Ok(date!(2025 - 07 - 01)));
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        assert!(matches!(parse_dmy("31/02/2025"), Err(DateError::Invalid(_))));
        assert!(matches!(parse_dmy("2025"), Err(DateError::Format(_))));
        assert!(matches!(parse_dmy("ab/cd/efgh"), Err(DateError::Format(_))));
        assert!(matches!(parse_dmy("12/13/2025"), Err(DateError::Invalid(_))));
    }

    #[test]
    fn writes_day_month_year_with_leading_zeros() {
        assert_eq!(format_dmy(date!(2025 - 07 - 01)), "01/07/2025");
        assert_eq!(to_iso(date!(2025 - 07 - 01)), "2025-07-01");
    }
}
