//! A data subject's requests and their legal clock (issue 18 §2; Decree 356/2025): each kind's
//! time limit as data (`privacy/requests.toml`), the day it must be acknowledged (working days on
//! the calendar) and the day it must be done (days, a last day that is a rest day moving to the
//! next working day, Civil Code 2015 Art. 148(5)).

use crate::calendar::Calendar;
use serde::Deserialize;
use time::{Date, Duration};

const REQUESTS_TOML: &str = include_str!("../../../privacy/requests.toml");

/// How a request's time limit counts its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DaysAre {
    /// Calendar days; a last day that is not a working day moves to the next working day.
    Calendar,
    /// Working days on the calendar.
    Working,
}

/// One kind of request and its time limit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub code: String,
    pub name: String,
    pub days: u32,
}

/// The time limits with their basis.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub version: u32,
    pub basis: String,
    pub ack_working_days: u32,
    pub days_are: DaysAre,
    pub end_on_rest_day: String,
    pub verified: bool,
    #[serde(rename = "kind")]
    pub kinds: Vec<Kind>,
}

/// When a request received on a day must be acknowledged and done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub acknowledge_by: Date,
    pub done_by: Date,
}

pub fn parse(text: &str) -> Result<Rules, String> {
    let r: Rules = toml::from_str(text).map_err(|e| format!("privacy/requests.toml: {e}"))?;
    if r.version != 1 {
        return Err(format!("privacy/requests.toml: version {} is not known", r.version));
    }
    for k in &r.kinds {
        if k.days == 0 || r.kinds.iter().filter(|o| o.code == k.code).count() > 1 {
            return Err(format!("privacy/requests.toml: kind {} has no days or is listed twice", k.code));
        }
    }
    Ok(r)
}

pub fn shipped() -> Result<Rules, String> {
    parse(REQUESTS_TOML)
}

impl Rules {
    pub fn kind(&self, code: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.code == code)
    }

    /// The clock of a request of `kind` received on `received` (the day itself not counted).
    pub fn clock(&self, kind: &Kind, received: Date, calendar: &Calendar) -> Clock {
        let acknowledge_by = calendar.add_working_days(received, self.ack_working_days);
        let done_by = match self.days_are {
            DaysAre::Working => calendar.add_working_days(received, kind.days),
            DaysAre::Calendar => {
                let mut last = received + Duration::days(i64::from(kind.days));
                while !calendar.is_working_day(last) {
                    match last.next_day() {
                        Some(next) => last = next,
                        None => break,
                    }
                }
                last
            }
        };
        Clock { acknowledge_by, done_by }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn clock(code: &str, received: Date) -> Clock {
        let rules = shipped().expect("reads");
        let calendar = Calendar::shipped().expect("calendar");
        rules.clock(rules.kind(code).expect("kind"), received, &calendar)
    }

    #[test]
    fn an_access_request_of_a_monday_is_acknowledged_by_wednesday_and_done_in_ten_days() {
        // Decree 356/2025: 2 working days to acknowledge, 10 days to give access.
        let c = clock("access", date!(2026 - 03 - 02));
        assert_eq!(c.acknowledge_by, date!(2026 - 03 - 04));
        assert_eq!(c.done_by, date!(2026 - 03 - 12));
    }

    #[test]
    fn each_kind_has_the_decree_s_days() {
        let rules = shipped().expect("reads");
        let days: Vec<(&str, u32)> = rules.kinds.iter().map(|k| (k.code.as_str(), k.days)).collect();
        assert_eq!(days, vec![("access", 10), ("correction", 10), ("withdrawal", 15), ("restriction", 15), ("deletion", 20)]);
    }

    #[test]
    fn a_request_received_before_tet_is_acknowledged_after_it() {
        // Friday 13/02/2026; Tết off from Saturday 14/02 to Sunday 22/02 (Thông báo 9441/TB-BNV):
        // the two working days are Monday 23/02 and Tuesday 24/02.
        assert_eq!(clock("deletion", date!(2026 - 02 - 13)).acknowledge_by, date!(2026 - 02 - 24));
    }

    #[test]
    fn a_time_limit_ending_in_tet_ends_on_the_first_working_day_after_it() {
        // Received Thursday 05/02/2026: ten days end Sunday 15/02, inside Tết; the limit moves to
        // Monday 23/02 (Civil Code 2015 Art. 148(5)).
        assert_eq!(clock("access", date!(2026 - 02 - 05)).done_by, date!(2026 - 02 - 23));
        // Fifteen days from Friday 06/02 end Saturday 21/02: also Monday 23/02.
        assert_eq!(clock("withdrawal", date!(2026 - 02 - 06)).done_by, date!(2026 - 02 - 23));
    }

    #[test]
    fn a_deletion_received_on_a_weekday_ends_twenty_days_later_when_that_is_a_working_day() {
        // Wednesday 04/03/2026 + 20 days = Tuesday 24/03.
        assert_eq!(clock("deletion", date!(2026 - 03 - 04)).done_by, date!(2026 - 03 - 24));
    }

    #[test]
    fn counted_in_working_days_the_same_request_ends_later() {
        let mut rules = shipped().expect("reads");
        rules.days_are = DaysAre::Working;
        let calendar = Calendar::shipped().expect("calendar");
        let access = rules.kind("access").expect("kind").clone();
        // Ten working days from Monday 02/03/2026: Monday 16/03.
        assert_eq!(rules.clock(&access, date!(2026 - 03 - 02), &calendar).done_by, date!(2026 - 03 - 16));
    }
}
