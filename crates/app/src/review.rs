//! The mid-term (2025) and final (2030) reviews (seed V): phase 1 (2023–2025) against phase 2
//! (2026–2030), the scope and each unit below against the national targets of QĐ 387/QĐ-TTg,
//! QĐ 677/QĐ-TTg and, for enterprises, QĐ 1268/QĐ-TTg (`targets/national.toml`). Every figure
//! comes from the title registry.

use crate::error::{AppError, AppResult};
use crate::ports::UnitRecord;
use crate::titles::coverage::Cell;
use crate::{Actor, App};
use thidua_domain::targets::{Target, Targets};
use thidua_domain::titles::TITLES;

/// The plan's two phases.
pub const PHASES: [(i64, i64); 2] = [(2023, 2025), (2026, 2030)];

/// One phase of one title.
#[derive(Debug, Clone)]
pub struct PhaseFigure {
    pub from: i64,
    pub to: i64,
    /// Recognitions in each year of the phase up to the review (a subject recognised in two
    /// years counts twice).
    pub recognitions: u64,
    /// Coverage at the phase's last year reached.
    pub end: Cell,
    pub end_year: i64,
    pub target: Option<Target>,
}

impl PhaseFigure {
    /// Whether the coverage reached the target (`None`: no target, or no figure).
    pub fn met(&self) -> Option<bool> {
        met(&self.end, self.target.as_ref())
    }

    /// The coverage to show (see [`shown`]).
    pub fn shown(&self) -> Option<f64> {
        shown(&self.end, self.target.as_ref())
    }
}

/// Whether a cell's coverage reaches `target`: on the counts, never the figure rounded for
/// display (issue 13 §16). `None`: no target, or nothing eligible.
fn met(c: &Cell, target: Option<&Target>) -> Option<bool> {
    thidua_domain::criteria::reaches(c.recognised, c.eligible, target?.share)
}

/// A cell's coverage to show: rounded down to one decimal when short of its target, so that it
/// never reads as reaching it.
fn shown(c: &Cell, target: Option<&Target>) -> Option<f64> {
    match target {
        Some(t) => thidua_domain::criteria::share_shown(c.recognised, c.eligible, t.share),
        None => c.coverage(),
    }
}

#[derive(Debug, Clone)]
pub struct TitleReview {
    pub code: &'static str,
    pub name: &'static str,
    pub phases: Vec<PhaseFigure>,
}

/// A unit below and, by title, its coverage at the review year against the review's target.
#[derive(Debug, Clone)]
pub struct UnitReview {
    pub unit: UnitRecord,
    /// (title, coverage, met)
    pub titles: Vec<(&'static str, Option<f64>, Option<bool>)>,
}

#[derive(Debug, Clone)]
pub struct PhaseReview {
    pub unit: UnitRecord,
    /// 2025 (sơ kết) or 2030 (tổng kết).
    pub review_year: i64,
    pub titles: Vec<TitleReview>,
    pub units: Vec<UnitReview>,
    /// The bodies' own reviews and Giấy khen (seed III.3.2.c, III.3.3.c), when the review's
    /// campaign sets their day.
    pub own: Option<OwnReviews>,
}

/// Each reporting body of the scope «tiến hành sơ kết (tổng kết) … và khen thưởng theo thẩm quyền
/// trước ngày 30/7»: whether its head's decision is recorded, when, and how many it rewards.
#[derive(Debug, Clone)]
pub struct OwnReviews {
    pub campaign: String,
    pub decided_before: time::Date,
    /// Each body with its decisions, bodies by name.
    pub bodies: Vec<(UnitRecord, Vec<OwnDecision>)>,
}

/// A body's own decision: number, signed on, collectives and individuals rewarded.
pub type OwnDecision = (String, time::Date, i64);

impl OwnReviews {
    /// Bodies with at least one decision recorded.
    pub fn decided(&self) -> usize {
        self.bodies.iter().filter(|(_, d)| !d.is_empty()).count()
    }

    /// Bodies whose first decision came on or after the day.
    pub fn late(&self) -> usize {
        self.bodies.iter().filter(|(_, d)| d.iter().map(|x| x.1).min().is_some_and(|first| first >= self.decided_before)).count()
    }

    /// Collectives and individuals rewarded.
    pub fn awarded(&self) -> i64 {
        self.bodies.iter().flat_map(|(_, d)| d.iter().map(|x| x.2)).sum()
    }
}

impl App {
    /// The review of `unit` (the actor's first unit when `None`) at `review_year` (2025 or 2030).
    /// Years after the current one are not counted yet.
    pub async fn phase_review(&self, actor: &Actor, unit: Option<i64>, review_year: i64) -> AppResult<PhaseReview> {
        if review_year != 2025 && review_year != 2030 {
            return Err(AppError::Invalid("Sơ kết năm 2025 hoặc tổng kết năm 2030.".into()));
        }
        let last = review_year.min(i64::from(self.today().year()));
        let table = self.coverage(actor, last, unit).await?;
        let unit_id = table.total.unit.id;
        let targets = Targets::shipped().map_err(AppError::Invalid)?;
        let mut years = Vec::new();
        for y in PHASES[0].0..=last {
            // Each year's figures in the review year's tree: a ward formed in 2025 is reviewed on
            // what the villages it holds achieved since 2023.
            years.push((y, self.year_coverage_in(y, last).await?));
        }
        let cell =
            |y: i64, node: i64, title: &str| years.iter().find(|(x, _)| *x == y).map(|(_, c)| c.cell(node, title)).unwrap_or_default();
        let mut titles = Vec::new();
        for t in TITLES {
            if years.iter().all(|(_, c)| {
                let x = c.cell(unit_id, t.code);
                x.eligible == 0 && x.recognised == 0
            }) {
                continue;
            }
            let phases = PHASES
                .iter()
                .filter(|(from, _)| *from <= last)
                .map(|(from, to)| {
                    let end_year = (*to).min(last);
                    PhaseFigure {
                        from: *from,
                        to: *to,
                        recognitions: (*from..=end_year).map(|y| cell(y, unit_id, t.code).recognised).sum(),
                        end: cell(end_year, unit_id, t.code),
                        end_year,
                        target: targets.at(t.code, *to, table.total.unit.kind.code()).cloned(),
                    }
                })
                .collect();
            titles.push(TitleReview { code: t.code, name: t.label_vi, phases });
        }
        let units = table
            .rows
            .iter()
            .map(|r| UnitReview {
                unit: r.unit.clone(),
                titles: titles
                    .iter()
                    .map(|t| {
                        let c = cell(last, r.unit.id, t.code);
                        let target = targets.at(t.code, review_year, r.unit.kind.code());
                        (t.name, shown(&c, target), met(&c, target))
                    })
                    .collect(),
            })
            .collect();
        let own = self.own_reviews(actor, unit_id, review_year).await?;
        Ok(PhaseReview { unit: table.total.unit.clone(), review_year, titles, units, own })
    }

    /// The bodies' own reviews of `review_year` in `scope`'s subtree (the reporting bodies of
    /// that year), from the Giấy khen decisions recorded on their dossiers of the review's
    /// campaign.
    async fn own_reviews(&self, actor: &Actor, scope: i64, review_year: i64) -> AppResult<Option<OwnReviews>> {
        let calendar = self.calendar().await?;
        let y = i32::try_from(review_year).map_err(|_| AppError::Invalid("năm".into()))?;
        let own_head = thidua_domain::commendation::workflow::Route::OwnHead;
        let Some((c, decided_before)) = self.campaigns(actor).await?.into_iter().filter(|c| c.campaign.year == y).find_map(|c| {
            let day = c.campaign.due("giay_khen", own_head, &calendar).decided_before?;
            Some((c, day))
        }) else {
            return Ok(None);
        };
        let snap = self.snapshot().await?;
        let mut bodies: Vec<(UnitRecord, Vec<OwnDecision>)> = snap
            .units
            .values()
            .filter(|u| snap.tree.covers(scope, u.id) && App::reports_for(&snap, u, y))
            .map(|u| (u.clone(), Vec::new()))
            .collect();
        bodies.sort_by_cached_key(|(u, _)| thidua_domain::text::text_sort_key(&u.name));
        let subtree = crate::ports::Scope::Roots(vec![thidua_domain::access::ScopeRoot { node: scope, subtree: true }]);
        for b in self.store.batches(&subtree, Some(c.row.id), &[]).await? {
            let (Some(decision), true) = (b.decision_id, b.level == "giay_khen") else { continue };
            let Some(d) = self.store.award_decision(decision).await? else { continue };
            if let Some((_, list)) = bodies.iter_mut().find(|(u, _)| u.id == b.proposer_unit_id) {
                list.push((d.number, d.signed_on, d.awarded));
            }
        }
        Ok(Some(OwnReviews { campaign: c.campaign.name.clone(), decided_before, bodies }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(recognised: u64, eligible: u64, share: f64) -> PhaseFigure {
        let target = Target { title: "gia_dinh_hoc_tap".into(), year: 2025, share, basis: "QĐ 387/QĐ-TTg".into(), kinds: vec![] };
        let end = Cell { eligible, assessed: eligible, passed: recognised, recognised };
        PhaseFigure { from: 2023, to: 2025, recognitions: recognised, end, end_year: 2025, target: Some(target) }
    }

    #[test]
    fn a_coverage_of_69_95_per_cent_does_not_meet_a_70_per_cent_target_and_shows_as_69_9() {
        // Issue 13 §16: the comparison is on the counts; the display never reads as reaching it.
        let p = phase(6_995, 10_000, 70.0);
        assert_eq!(p.met(), Some(false));
        assert_eq!(thidua_domain::text::percent(p.shown()), "69,9\u{a0}%");
        assert_eq!(phase(7_000, 10_000, 70.0).met(), Some(true));
    }
}
