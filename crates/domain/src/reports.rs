//! The yearly implementation report (báo cáo tình hình tổ chức thực hiện Phong trào, seed VII:
//! «trước ngày 15 tháng 12 hằng năm về Sở Giáo dục và Đào tạo, Sở Nội vụ»). Approval as in DHIS2:
//! a unit drafts and submits; DOET returns it for correction or approves it; an approved report
//! is locked; DOET can lock a whole year, and reopen one unit's report, which is recorded.

use crate::access::{Action, Role};
use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Where a unit's report for a year stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    #[default]
    Draft,
    Submitted,
    Returned,
    Approved,
    /// DOET reopened it (after approval or in a locked year): editable again, once.
    Reopened,
}

impl ReportState {
    pub const ALL: [ReportState; 5] =
        [ReportState::Draft, ReportState::Submitted, ReportState::Returned, ReportState::Approved, ReportState::Reopened];

    pub fn code(self) -> &'static str {
        match self {
            ReportState::Draft => "draft",
            ReportState::Submitted => "submitted",
            ReportState::Returned => "returned",
            ReportState::Approved => "approved",
            ReportState::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<ReportState> {
        ReportState::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReportState::Draft => "Đang soạn",
            ReportState::Submitted => "Đã gửi, chờ Sở GD&ĐT duyệt",
            ReportState::Returned => "Bị trả lại để sửa",
            ReportState::Approved => "Đã duyệt (khóa)",
            ReportState::Reopened => "Được mở lại để sửa",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ReportState::Draft => "Draft",
            ReportState::Submitted => "Submitted, awaiting DOET",
            ReportState::Returned => "Returned for correction",
            ReportState::Approved => "Approved (locked)",
            ReportState::Reopened => "Reopened for correction",
        }
    }

    /// Whether the reporting unit may still change the figures and the text.
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned | ReportState::Reopened)
    }
}

/// A step of the report's flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStep {
    Submit,
    Return,
    Approve,
    Reopen,
}

impl ReportStep {
    pub const ALL: [ReportStep; 4] = [ReportStep::Submit, ReportStep::Return, ReportStep::Approve, ReportStep::Reopen];

    pub fn code(self) -> &'static str {
        match self {
            ReportStep::Submit => "submit",
            ReportStep::Return => "return",
            ReportStep::Approve => "approve",
            ReportStep::Reopen => "reopen",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStep> {
        ReportStep::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ReportStep::Submit => "Gửi báo cáo",
            ReportStep::Return => "Trả lại để sửa",
            ReportStep::Approve => "Duyệt báo cáo",
            ReportStep::Reopen => "Mở lại báo cáo",
        }
    }

    /// Who may take the step: the unit reports, DOET reviews.
    pub fn action(self) -> Action {
        match self {
            ReportStep::Submit => Action::Report,
            ReportStep::Return | ReportStep::Approve | ReportStep::Reopen => Action::ReviewReports,
        }
    }

    /// A return and a reopening say why.
    pub fn needs_comment(self) -> bool {
        matches!(self, ReportStep::Return | ReportStep::Reopen)
    }
}

/// The state `step` leads to from `from` in a year locked or not, or why it cannot be taken.
pub fn next(from: ReportState, step: ReportStep, year_locked: bool) -> Result<ReportState, String> {
    use ReportState as S;
    use ReportStep as T;
    match (from, step) {
        (S::Draft | S::Returned, T::Submit) if year_locked => {
            Err("Kỳ báo cáo năm này đã khóa: đề nghị Sở GD&ĐT mở lại báo cáo của đơn vị.".into())
        }
        (S::Draft | S::Returned | S::Reopened, T::Submit) => Ok(S::Submitted),
        (S::Submitted, T::Return) => Ok(S::Returned),
        (S::Submitted, T::Approve) => Ok(S::Approved),
        (S::Approved, T::Reopen) => Ok(S::Reopened),
        (S::Draft | S::Returned, T::Reopen) if year_locked => Ok(S::Reopened),
        (from, step) => Err(format!("Không thể «{}» khi báo cáo «{}».", step.label_vi(), from.label_vi())),
    }
}

/// Whether the unit may edit its report: the state allows it, and a locked year only for a
/// report DOET reopened.
pub fn may_edit(state: ReportState, year_locked: bool) -> Result<(), &'static str> {
    if !state.editable() {
        return Err("Báo cáo đã gửi hoặc đã duyệt nên không sửa được; đề nghị Sở GD&ĐT trả lại hoặc mở lại.");
    }
    if year_locked && state != ReportState::Reopened {
        return Err("Kỳ báo cáo năm này đã khóa: đề nghị Sở GD&ĐT mở lại báo cáo của đơn vị.");
    }
    Ok(())
}

/// The event code of a comment that leaves the report's state as it is.
pub const COMMENT: &str = "comment";

/// Whether DOET or DOHA may comment on a report (seed VII: the report is sent «về Sở Giáo dục và
/// Đào tạo, Sở Nội vụ»): once the unit has sent it, whatever DOET has done with it since.
pub fn may_comment(state: ReportState, ever_submitted: bool) -> Result<(), &'static str> {
    if state == ReportState::Draft || !ever_submitted {
        return Err("Đơn vị chưa gửi báo cáo: chưa góp ý được.");
    }
    Ok(())
}

/// The steps a holder of `roles` can take.
pub fn available(from: ReportState, year_locked: bool, roles: &[Role]) -> Vec<ReportStep> {
    ReportStep::ALL.into_iter().filter(|s| next(from, *s, year_locked).is_ok() && roles.iter().any(|r| r.allows(s.action()))).collect()
}

/// When the yearly report is due, as `targets/reporting.toml` says, with its legal basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub day: u8,
    pub month: Month,
    pub basis: String,
}

impl Deadline {
    /// Reads `[yearly_report] due_before = "dd/mm"` and its `basis`.
    pub fn parse(text: &str) -> Result<Deadline, String> {
        #[derive(Deserialize)]
        struct File {
            yearly_report: Raw,
        }
        #[derive(Deserialize)]
        struct Raw {
            due_before: String,
            basis: String,
        }
        let f: File = toml::from_str(text).map_err(|e| format!("targets/reporting.toml: {e}"))?;
        let (d, m) = f.yearly_report.due_before.split_once('/').ok_or("due_before: dd/mm")?;
        let day: u8 = d.trim().parse().map_err(|_| format!("due_before: ngày «{d}»"))?;
        let month = m.trim().parse::<u8>().ok().and_then(|m| Month::try_from(m).ok()).ok_or(format!("due_before: tháng «{m}»"))?;
        // Valid in every year (29/02 would not be).
        Date::from_calendar_date(2025, month, day).map_err(|_| format!("due_before: «{d}/{m}» không phải ngày"))?;
        if f.yearly_report.basis.trim().is_empty() {
            return Err("targets/reporting.toml: thiếu căn cứ (basis)".into());
        }
        Ok(Deadline { day, month, basis: f.yearly_report.basis })
    }

    /// The deadline shipped with this build.
    pub fn shipped() -> Result<&'static Deadline, String> {
        static D: std::sync::OnceLock<Result<Deadline, String>> = std::sync::OnceLock::new();
        D.get_or_init(|| Deadline::parse(include_str!("../../../targets/reporting.toml"))).as_ref().map_err(Clone::clone)
    }
}

/// The first day on which the report of `year` is late («trước ngày 15 tháng 12 hằng năm»).
pub fn due_before(year: i32) -> Option<Date> {
    let d = Deadline::shipped().ok()?;
    Date::from_calendar_date(year, d.month, d.day).ok()
}

/// Whether a report first submitted on `submitted` was on time for `year`.
pub fn on_time(year: i32, submitted: Date) -> bool {
    due_before(year).is_some_and(|d| submitted < d)
}

/// How the reporting bodies of a year stand, as DOET sees them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Punctuality {
    /// Bodies expected to report.
    pub expected: u32,
    /// Submitted before the deadline.
    pub on_time: u32,
    /// Submitted on or after the deadline.
    pub late: u32,
    /// Not submitted yet.
    pub missing: u32,
}

impl Punctuality {
    /// Counts each body's first submission date (`None`: never submitted).
    pub fn of(year: i32, first_submissions: impl IntoIterator<Item = Option<Date>>) -> Punctuality {
        let mut p = Punctuality::default();
        for s in first_submissions {
            p.expected += 1;
            match s {
                Some(d) if on_time(year, d) => p.on_time += 1,
                Some(_) => p.late += 1,
                None => p.missing += 1,
            }
        }
        p
    }

    /// Reports on time over reports expected, in per cent (one decimal).
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.expected > 0).then(|| (f64::from(self.on_time) * 1000.0 / f64::from(self.expected)).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn doet_and_doha_comment_on_a_report_once_it_is_sent_and_only_then() {
        // Seed VII: «gửi báo cáo … về Sở Giáo dục và Đào tạo, Sở Nội vụ» — both receive it, both may
        // answer; a draft is the unit's own until it sends it.
        assert!(may_comment(ReportState::Draft, false).is_err());
        assert!(may_comment(ReportState::Submitted, true).is_ok());
        assert!(may_comment(ReportState::Approved, true).is_ok());
        assert!(may_comment(ReportState::Returned, true).is_ok(), "a returned report was sent once");
        assert!(may_comment(ReportState::Reopened, false).is_err(), "reopened in a locked year before it was ever sent");
        assert!(Role::DohaOfficer.allows(Action::CommentReports) && Role::DoetOfficer.allows(Action::CommentReports));
        assert!(!Role::DohaOfficer.allows(Action::ReviewReports), "DOHA comments; approving stays DOET's");
        assert!(!Role::UnitOfficer.allows(Action::CommentReports));
    }

    #[test]
    fn the_shipped_deadline_names_the_plans_section_vii() {
        let d = Deadline::shipped().expect("targets/reporting.toml");
        assert_eq!((d.day, d.month), (15, Month::December));
        assert!(d.basis.contains("trước ngày 15 tháng 12 hằng năm") && d.basis.contains("mục VII"), "{}", d.basis);
    }

    #[test]
    fn a_deadline_that_is_not_a_day_of_every_year_or_has_no_basis_is_refused() {
        assert!(Deadline::parse("[yearly_report]\ndue_before = \"29/02\"\nbasis = \"x\"").is_err());
        assert!(Deadline::parse("[yearly_report]\ndue_before = \"15/13\"\nbasis = \"x\"").is_err());
        assert!(Deadline::parse("[yearly_report]\ndue_before = \"15/12\"\nbasis = \" \"").is_err());
        assert_eq!(Deadline::parse("[yearly_report]\ndue_before = \"1/12\"\nbasis = \"x\"").map(|d| d.day), Ok(1));
    }

    #[test]
    fn the_report_is_due_before_the_fifteenth_of_december() {
        assert_eq!(due_before(2026), Some(date!(2026 - 12 - 15)));
        assert!(on_time(2026, date!(2026 - 12 - 14)));
        assert!(!on_time(2026, date!(2026 - 12 - 15)), "«trước ngày 15/12»: the 15th is late");
        assert!(!on_time(2026, date!(2027 - 01 - 05)));
    }

    #[test]
    fn a_unit_submits_doet_returns_the_unit_resubmits_doet_approves_and_the_report_locks() {
        let mut s = ReportState::Draft;
        for (step, to) in [
            (ReportStep::Submit, ReportState::Submitted),
            (ReportStep::Return, ReportState::Returned),
            (ReportStep::Submit, ReportState::Submitted),
            (ReportStep::Approve, ReportState::Approved),
        ] {
            s = next(s, step, false).unwrap_or_else(|e| panic!("{}: {e}", step.code()));
            assert_eq!(s, to);
        }
        assert!(may_edit(s, false).is_err(), "approved is locked");
        assert!(next(s, ReportStep::Submit, false).is_err());
        assert!(next(s, ReportStep::Return, false).is_err(), "an approved report is reopened, not returned");
    }

    #[test]
    fn a_reopened_report_is_editable_again_even_in_a_locked_year() {
        let s = next(ReportState::Approved, ReportStep::Reopen, true).expect("reopen");
        assert_eq!(s, ReportState::Reopened);
        assert_eq!(may_edit(s, true), Ok(()));
        assert_eq!(next(s, ReportStep::Submit, true), Ok(ReportState::Submitted));
    }

    #[test]
    fn a_locked_year_refuses_drafts_until_doet_reopens_the_units_report() {
        assert!(may_edit(ReportState::Draft, true).is_err());
        assert!(next(ReportState::Draft, ReportStep::Submit, true).unwrap_err().contains("đã khóa"));
        assert_eq!(next(ReportState::Draft, ReportStep::Reopen, true), Ok(ReportState::Reopened));
        assert!(next(ReportState::Draft, ReportStep::Reopen, false).is_err(), "nothing to reopen in an open year");
    }

    #[test]
    fn only_doet_reviews_and_only_the_unit_or_doet_submits() {
        assert_eq!(available(ReportState::Draft, false, &[Role::UnitOfficer]), vec![ReportStep::Submit]);
        assert_eq!(available(ReportState::Submitted, false, &[Role::UnitOfficer]), vec![]);
        assert_eq!(available(ReportState::Submitted, false, &[Role::DoetOfficer]), vec![ReportStep::Return, ReportStep::Approve]);
        assert_eq!(available(ReportState::Submitted, false, &[Role::DohaOfficer, Role::Auditor]), vec![], "DOHA reads only");
        assert_eq!(available(ReportState::Approved, false, &[Role::DoetOfficer]), vec![ReportStep::Reopen]);
        assert!(ReportStep::Return.needs_comment() && ReportStep::Reopen.needs_comment() && !ReportStep::Approve.needs_comment());
    }

    #[test]
    fn reporting_on_time_is_a_rate_of_the_bodies_expected() {
        let p = Punctuality::of(2026, [Some(date!(2026 - 12 - 01)), Some(date!(2026 - 12 - 16)), None, Some(date!(2026 - 11 - 30))]);
        assert_eq!(p, Punctuality { expected: 4, on_time: 2, late: 1, missing: 1 });
        assert_eq!(p.on_time_rate(), Some(50.0));
        assert_eq!(Punctuality::default().on_time_rate(), None);
    }
}
