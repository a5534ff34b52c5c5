//! Yearly implementation reports: figures drawn from the registry (titles recognised, coverage,
//! awards by level, initiatives) and typed by the unit (activities held), the narrative in four
//! parts, and the flow of `thidua_domain::reports` (draft, submit, return, approve and lock,
//! reopen), with DOET's view of who reported and who is late.

use crate::error::{AppError, AppResult, StorageError};
use crate::ports::{AuditDraft, ReportEventRow, ReportRow, UnitRecord};
use crate::{Actor, App};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thidua_domain::access::{Action, Role};
use thidua_domain::commendation::quota::ProposerKind;
use thidua_domain::reports::{self as rules, Punctuality, ReportState, ReportStep};
use thidua_domain::text::clean_multiline;
use thidua_domain::titles::TITLES;
use time::{Date, Month};

/// Longest narrative part accepted, in characters.
pub const MAX_TEXT: usize = 20_000;

/// One learning title in a unit's figures.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TitleFigure {
    pub code: String,
    pub name: String,
    pub eligible: u64,
    pub assessed: u64,
    pub recognised: u64,
    /// Recognised over eligible, per cent.
    pub coverage: Option<f64>,
}

/// Awards decided in the year for nominees the unit (or a unit below it) proposed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AwardFigure {
    pub level: String,
    pub name: String,
    pub awarded: i64,
}

/// A stored JSON column of a report: empty (nothing written yet) is the default; anything that
/// does not parse is an error, never zeros in a report.
pub fn stored<T: serde::de::DeserializeOwned + Default>(json: &str, what: &str) -> AppResult<T> {
    if json.trim().is_empty() {
        return Ok(T::default());
    }
    serde_json::from_str(json).map_err(|e| AppError::Storage(StorageError::Corrupt(format!("{what}: {e}"))))
}

/// The figures the registry gives for a unit's subtree and year.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ReportFigures {
    pub titles: Vec<TitleFigure>,
    pub awards: Vec<AwardFigure>,
    /// Awarded nominees whose achievement cites a recognised initiative.
    pub initiatives: i64,
}

/// The figures the unit types.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct Activities {
    /// Activities and events held for the movement.
    pub events: i64,
    /// Of which in response to the Lifelong Learning Week (Tuần lễ hưởng ứng học tập suốt đời).
    pub week_events: i64,
    /// Participations in them.
    pub participants: i64,
    /// Exemplary models built or replicated.
    pub models: i64,
}

/// What the unit writes.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub activities: Activities,
    pub results: String,
    pub limits: String,
    pub lessons: String,
    pub proposals: String,
}

/// A unit's report as its page shows it.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub unit: UnitRecord,
    pub year: i64,
    pub row: ReportRow,
    pub state: ReportState,
    /// Live while the unit edits, as submitted afterwards.
    pub figures: ReportFigures,
    pub activities: Activities,
    pub events: Vec<ReportEventRow>,
    pub steps: Vec<ReportStep>,
    pub can_edit: bool,
    /// DOET or DOHA may comment on it (seed VII: the report goes to both).
    pub can_comment: bool,
    pub year_locked: bool,
    pub due_before: Date,
    /// The last return's or reopening's reason, while the unit is to act on it.
    pub to_fix: Option<String>,
}

/// One reporting body in DOET's list.
#[derive(Debug, Clone)]
pub struct ReportStatus {
    pub unit: UnitRecord,
    pub row: Option<ReportRow>,
    pub state: Option<ReportState>,
    /// First submission, in Hanoi.
    pub first_submitted: Option<Date>,
    pub on_time: Option<bool>,
}

/// DOET's view of a reporting year.
#[derive(Debug, Clone)]
pub struct ReportOverview {
    pub year: i64,
    pub due_before: Date,
    pub locked: bool,
    pub rows: Vec<ReportStatus>,
    pub punctuality: Punctuality,
}

fn year_i32(year: i64) -> AppResult<i32> {
    i32::try_from(year)
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| AppError::Invalid(format!("Năm báo cáo «{year}» không hợp lệ.")))
}

fn year_end(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MIN)
}

fn text(field: &str, s: &str) -> AppResult<String> {
    let s = clean_multiline(s);
    if s.chars().count() > MAX_TEXT {
        return Err(AppError::Invalid(format!("Phần «{field}» dài quá {MAX_TEXT} ký tự.")));
    }
    Ok(s)
}

impl App {
    /// Whether a unit reports to DOET for a year (seed VII: «các Sở, ngành, đơn vị, Ủy ban nhân
    /// dân quận, huyện»): the units directly under the city — districts until they were abolished,
    /// then wards and communes; city agencies and organisations — as they stood on 31/12. Schools
    /// and villages report through the unit above them.
    pub fn reports_for(snap: &crate::registry::TreeSnapshot, unit: &UnitRecord, year: i32) -> bool {
        let end = year_end(year);
        unit.parent_id.is_some_and(|p| snap.roots().contains(&p))
            && ProposerKind::of_node(unit.kind).is_some()
            && unit.valid_from.is_none_or(|f| f <= end)
            && unit.valid_to.is_none_or(|t| t >= end)
            && (unit.active || unit.valid_to.is_some())
    }

    pub(crate) fn hanoi_day(&self, ms: i64) -> Date {
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .map(|t| t.to_offset(time::macros::offset!(+7)).date())
            .unwrap_or(Date::MIN)
    }

    /// The figures the registry holds for `unit`'s subtree in `year`.
    pub async fn report_figures(&self, unit: i64, year: i64) -> AppResult<ReportFigures> {
        let cov = self.year_coverage(year).await?;
        let titles = TITLES
            .iter()
            .map(|t| (t, cov.cell(unit, t.code)))
            .filter(|(_, c)| c.eligible > 0 || c.assessed > 0 || c.recognised > 0)
            .map(|(t, c)| TitleFigure {
                code: t.code.to_string(),
                name: t.label_vi.to_string(),
                eligible: c.eligible,
                assessed: c.assessed,
                recognised: c.recognised,
                coverage: c.coverage(),
            })
            .collect();
        let snap = self.snapshot().await?;
        let awards_data = crate::commendation::awards()?;
        let mut by_level: BTreeMap<(i64, String), i64> = BTreeMap::new();
        let mut initiatives = 0;
        for c in self.store.award_counts(year).await? {
            if snap.tree.covers(unit, c.proposer_unit_id) {
                let rank = awards_data.get(&c.level).map_or(99, |a| i64::from(a.rank));
                *by_level.entry((rank, c.level.clone())).or_default() += c.awarded;
                initiatives += c.with_initiative;
            }
        }
        let awards = by_level
            .into_iter()
            .map(|((_, level), awarded)| AwardFigure {
                name: awards_data.get(&level).map(|a| a.name.clone()).unwrap_or_else(|| level.clone()),
                level,
                awarded,
            })
            .collect();
        Ok(ReportFigures { titles, awards, initiatives })
    }

    /// A unit's report for a year (a blank draft when none was started).
    pub async fn report_view(&self, actor: &Actor, unit: i64, year: i64) -> AppResult<ReportView> {
        let y = year_i32(year)?;
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        let snap = self.snapshot().await?;
        let u = snap.units.get(&unit).cloned().ok_or(AppError::NotFound)?;
        if !App::reports_for(&snap, &u, y) {
            return Err(AppError::Invalid(format!("{} không thuộc diện báo cáo Phong trào năm {year}.", u.name)));
        }
        let row = self.store.report(unit, year).await?.unwrap_or_else(|| ReportRow {
            unit_id: unit,
            year,
            state: ReportState::Draft,
            ..ReportRow::default()
        });
        let state = row.state;
        let year_locked = self.store.report_year_locked(year).await?;
        let events = if row.id > 0 { self.store.report_events(row.id).await? } else { Vec::new() };
        let figures = if state.editable() || row.figures.is_empty() {
            self.report_figures(unit, year).await?
        } else {
            stored(&row.figures, "report figures")?
        };
        let activities: Activities = stored(&row.activities, "report activities")?;
        let roles: Vec<Role> = self.roles_for(actor, unit, &snap);
        let steps = rules::available(state, year_locked, &roles)
            .into_iter()
            .filter(|s| s.action() != Action::ReviewReports || self.shows(actor, &snap, Action::ReviewReports, unit))
            .collect();
        let can_edit = rules::may_edit(state, year_locked).is_ok() && self.shows(actor, &snap, Action::Report, unit);
        let can_comment = rules::may_comment(state, row.first_submitted_at_ms.is_some()).is_ok()
            && self.shows(actor, &snap, Action::CommentReports, unit);
        let to_fix = matches!(state, ReportState::Returned | ReportState::Reopened)
            .then(|| events.iter().rev().find(|e| e.to_state == state.code()).map(|e| e.comment.clone()))
            .flatten();
        Ok(ReportView {
            unit: u,
            year,
            row,
            state,
            figures,
            activities,
            events,
            steps,
            can_edit,
            can_comment,
            year_locked,
            due_before: rules::due_before(y).unwrap_or(Date::MIN),
            to_fix,
        })
    }

    /// Saves the unit's draft (figures it types and the narrative); returns the report's id.
    pub async fn save_report(&self, actor: &Actor, unit: i64, year: i64, expected_version: i64, input: &ReportInput) -> AppResult<i64> {
        let via = self.authorize(actor, Action::Report, unit).await?;
        let view = self.report_view(actor, unit, year).await?;
        rules::may_edit(view.state, view.year_locked).map_err(|m| AppError::Invalid(m.into()))?;
        if view.row.version != expected_version {
            return Err(AppError::Conflict("Báo cáo vừa được người khác sửa; hãy tải lại trang.".into()));
        }
        let a = input.activities;
        if [a.events, a.week_events, a.participants, a.models].iter().any(|v| *v < 0) {
            return Err(AppError::Invalid("Các số liệu phải là số không âm.".into()));
        }
        if a.week_events > a.events {
            return Err(AppError::Invalid("Số hoạt động hưởng ứng Tuần lễ học tập suốt đời không thể lớn hơn tổng số hoạt động.".into()));
        }
        let row = ReportRow {
            activities: serde_json::to_string(&a).map_err(|e| AppError::Invalid(e.to_string()))?,
            results: text("Kết quả đạt được", &input.results)?,
            limits: text("Tồn tại, hạn chế và nguyên nhân", &input.limits)?,
            lessons: text("Bài học kinh nghiệm", &input.lessons)?,
            proposals: text("Đề xuất, kiến nghị", &input.proposals)?,
            updated_at_ms: self.now_ms(),
            updated_by: actor.username.clone(),
            ..view.row
        };
        let audit = self.report_audit(actor, &via, "report.save", unit, &row, None);
        Ok(self.store.save_report(&row, None, audit).await?)
    }

    fn report_audit(
        &self,
        actor: &Actor,
        via: &crate::Authorized,
        action: &str,
        unit: i64,
        row: &ReportRow,
        comment: Option<&str>,
    ) -> AuditDraft {
        self.draft(
            actor,
            via,
            action,
            "yearly_report",
            row.id,
            Some(unit),
            None,
            Some(serde_json::json!({"year": row.year, "state": row.state, "comment": comment})),
        )
    }

    /// Submits, returns, approves or reopens a unit's report.
    pub async fn report_step(
        &self,
        actor: &Actor,
        unit: i64,
        year: i64,
        expected_version: i64,
        step: ReportStep,
        comment: &str,
    ) -> AppResult<()> {
        let via = self.authorize(actor, step.action(), unit).await?;
        let view = self.report_view(actor, unit, year).await?;
        if view.row.version != expected_version {
            return Err(AppError::Conflict("Báo cáo vừa được người khác xử lý; hãy tải lại trang.".into()));
        }
        let comment = clean_multiline(comment);
        if step.needs_comment() && comment.is_empty() {
            return Err(AppError::Invalid(format!("«{}» cần ghi lý do.", step.label_vi())));
        }
        let to = rules::next(view.state, step, view.year_locked).map_err(AppError::Invalid)?;
        let now = self.now_ms();
        let mut row = ReportRow { state: to, updated_at_ms: now, updated_by: actor.username.clone(), ..view.row.clone() };
        match step {
            ReportStep::Submit => {
                if row.results.trim().is_empty() {
                    return Err(AppError::Invalid("Chưa viết phần «Kết quả đạt được»: báo cáo chưa gửi được.".into()));
                }
                row.figures = serde_json::to_string(&view.figures).map_err(|e| AppError::Invalid(e.to_string()))?;
                row.first_submitted_at_ms = row.first_submitted_at_ms.or(Some(now));
                row.submitted_at_ms = Some(now);
            }
            ReportStep::Approve => {
                row.approved_at_ms = Some(now);
                row.approved_by = Some(actor.full_name.clone());
            }
            ReportStep::Return | ReportStep::Reopen => row.approved_at_ms = None,
        }
        let event = ReportEventRow {
            id: 0,
            report_id: row.id,
            step: step.code().into(),
            from_state: view.state.code().into(),
            to_state: to.code().into(),
            actor: actor.full_name.clone(),
            at_ms: now,
            comment: comment.clone(),
        };
        let audit = self.report_audit(actor, &via, &format!("report.{}", step.code()), unit, &row, Some(&comment));
        self.store.save_report(&row, Some(&event), audit).await?;
        Ok(())
    }

    /// DOET or DOHA comments on a unit's sent report; the report's state and version stay as they
    /// are, so that a comment never makes the unit's own save stale.
    pub async fn comment_report(&self, actor: &Actor, unit: i64, year: i64, comment: &str) -> AppResult<()> {
        let via = self.authorize(actor, Action::CommentReports, unit).await?;
        let view = self.report_view(actor, unit, year).await?;
        rules::may_comment(view.state, view.row.first_submitted_at_ms.is_some()).map_err(|m| AppError::Invalid(m.into()))?;
        let comment = text("Góp ý", comment)?;
        if comment.is_empty() {
            return Err(AppError::Invalid("Chưa viết nội dung góp ý.".into()));
        }
        let event = ReportEventRow {
            id: 0,
            report_id: view.row.id,
            step: rules::COMMENT.into(),
            from_state: view.state.code().into(),
            to_state: view.state.code().into(),
            actor: actor.username.clone(),
            at_ms: self.now_ms(),
            comment: comment.clone(),
        };
        let audit = self.report_audit(actor, &via, "report.comment", unit, &view.row, Some(&comment));
        Ok(self.store.add_report_event(&event, audit).await?)
    }

    /// DOET closes (or opens again) a reporting year.
    pub async fn lock_report_year(&self, actor: &Actor, year: i64, locked: bool) -> AppResult<()> {
        year_i32(year)?;
        let root = self.snapshot().await?.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ReviewReports, root).await?;
        let audit = self.draft(
            actor,
            &via,
            if locked { "report_year.lock" } else { "report_year.unlock" },
            "report_year",
            year,
            Some(root),
            None,
            None,
        );
        Ok(self.store.set_report_year_locked(year, locked, audit).await?)
    }

    /// The reporting bodies the actor can see for a year, with their state and punctuality.
    pub async fn report_overview(&self, actor: &Actor, year: i64) -> AppResult<ReportOverview> {
        let y = year_i32(year)?;
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        let snap = self.snapshot().await?;
        let mut reports: BTreeMap<i64, ReportRow> = self.store.reports(year).await?.into_iter().map(|r| (r.unit_id, r)).collect();
        let mut rows = Vec::new();
        let mut units: Vec<&UnitRecord> = snap.units.values().filter(|u| App::reports_for(&snap, u, y)).collect();
        units.sort_by_cached_key(|u| thidua_domain::text::text_sort_key(&u.name));
        for u in units {
            if !self.shows(actor, &snap, Action::ReadRegistry, u.id) {
                continue;
            }
            let row = reports.remove(&u.id);
            let first_submitted = row.as_ref().and_then(|r| r.first_submitted_at_ms).map(|ms| self.hanoi_day(ms));
            rows.push(ReportStatus {
                unit: u.clone(),
                state: row.as_ref().map(|r| r.state),
                row,
                first_submitted,
                on_time: first_submitted.map(|d| rules::on_time(y, d)),
            });
        }
        let punctuality = Punctuality::of(y, rows.iter().map(|r| r.first_submitted));
        Ok(ReportOverview {
            year,
            due_before: rules::due_before(y).unwrap_or(Date::MIN),
            locked: self.store.report_year_locked(year).await?,
            rows,
            punctuality,
        })
    }
}
