//! The dashboard of a scope (city, ward, agency): learning titles by type against the national
//! targets, their trend by year, the units below for drill-down, awards by level, dossiers by
//! state, and reports on time — every figure drawn from the registry, never typed.

use crate::error::{AppError, AppResult};
use crate::ports::{Scope, UnitRecord};
use crate::reports::AwardFigure;
use crate::titles::coverage::Cell;
use crate::{Actor, App};
use std::collections::BTreeMap;
use std::sync::Arc;
use thidua_domain::access::Action;
use thidua_domain::access::ScopeRoot;
use thidua_domain::commendation::workflow::{Holder, State, time_held};
use thidua_domain::reports::Punctuality;
use thidua_domain::targets::{Target, Targets};
use thidua_domain::titles::TITLES;

/// The first year of the plan (2023–2030).
pub const FIRST_YEAR: i64 = 2023;

/// One learning title in a scope and year.
#[derive(Debug, Clone)]
pub struct TitleIndicator {
    pub code: &'static str,
    pub name: &'static str,
    pub cell: Cell,
    pub target: Option<Target>,
    /// The UNESCO Key Features area the indicator feeds.
    pub area: Option<String>,
}

/// A unit below, for drill-down.
#[derive(Debug, Clone)]
pub struct ChildLine {
    pub unit: UnitRecord,
    pub has_children: bool,
    /// By title, in the order of `Dashboard::titles`.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub unit: UnitRecord,
    pub year: i64,
    pub titles: Vec<TitleIndicator>,
    pub trend_years: Vec<i64>,
    /// (title name, recognised in each of `trend_years`)
    pub trend: Vec<(&'static str, Vec<u64>)>,
    pub children: Vec<ChildLine>,
    pub awards: Vec<AwardFigure>,
    pub initiatives: i64,
    /// (state, dossiers) of the year's campaigns proposed in the scope.
    pub dossiers: Vec<(State, u64)>,
    pub reports: Punctuality,
    /// Time at each appraisal level over the year's dossiers in the scope.
    pub holders: Vec<HolderTime>,
    /// What the presentation drew from this dashboard (its charts), drawn once: a dashboard is
    /// never changed after it is built, so neither is what is drawn from it.
    pub drawn: std::sync::OnceLock<Arc<dyn std::any::Any + Send + Sync>>,
}

/// How long the dossiers stayed with one holder.
#[derive(Debug, Clone, PartialEq)]
pub struct HolderTime {
    pub holder: Holder,
    /// Dossiers that passed through and left.
    pub passed: u64,
    /// Average days of those stays.
    pub average_days: f64,
    /// Dossiers with it now, and how long they have waited on average.
    pub waiting: u64,
    pub waiting_days: f64,
}

impl App {
    /// The dashboard of `unit` (the actor's first unit when `None`) for `year`, computed again
    /// after a write that touches the unit's subtree for that year or an earlier one (see
    /// `crate::changes`), and at least every minute (for the days waited and reports late).
    pub async fn dashboard(&self, actor: &Actor, unit: Option<i64>, year: i64) -> AppResult<Arc<Dashboard>> {
        if !(FIRST_YEAR - 3..=2100).contains(&year) {
            return Err(AppError::Invalid(format!("Năm «{year}» không hợp lệ.")));
        }
        let unit = match unit {
            Some(u) => u,
            None => self.entry_units(actor).await?.first().map(|u| u.id).ok_or(AppError::Forbidden)?,
        };
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        let version = self.follow_writes().await?;
        let now = self.now_ms();
        let feed = &self.views.feed;
        if let Some(d) = self.views.dashboards.get(&(unit, year), now, |at| feed.holds(at, |c| c.touches(unit, year))) {
            return Ok(d);
        }
        let built = Arc::new(self.build_dashboard(actor, unit, year).await?);
        self.views.dashboards.put((unit, year), version, now, built.clone());
        Ok(built)
    }

    async fn build_dashboard(&self, actor: &Actor, unit: i64, year: i64) -> AppResult<Dashboard> {
        let table = self.coverage(actor, year, Some(unit)).await?;
        let unit_id = table.total.unit.id;
        let targets = Targets::shipped().map_err(AppError::Invalid)?;
        let cov = self.year_coverage(year).await?;
        let titles: Vec<TitleIndicator> = TITLES
            .iter()
            .map(|t| (t, cov.cell(unit_id, t.code)))
            .filter(|(_, c)| c.eligible > 0 || c.assessed > 0 || c.recognised > 0)
            .map(|(t, cell)| TitleIndicator {
                code: t.code,
                name: t.label_vi,
                cell,
                target: targets.for_unit(t.code, year, table.total.unit.kind.code()).cloned(),
                area: targets.area_of(t.code).map(|a| a.name.clone()),
            })
            .collect();
        let trend_years: Vec<i64> = (FIRST_YEAR.min(year)..=year).collect();
        let mut per_year = Vec::new();
        for y in &trend_years {
            per_year.push(self.year_coverage(*y).await?);
        }
        let trend = titles.iter().map(|t| (t.name, per_year.iter().map(|c| c.cell(unit_id, t.code).recognised).collect())).collect();
        let children = table
            .rows
            .iter()
            .map(|r| ChildLine {
                unit: r.unit.clone(),
                has_children: r.has_children,
                cells: titles.iter().map(|t| cov.cell(r.unit.id, t.code)).collect(),
            })
            .collect();
        let figures = self.report_figures(unit_id, year).await?;
        let campaigns: Vec<i64> = self
            .store
            .campaign_rows()
            .await?
            .into_iter()
            .filter_map(|c| App::campaign_view(c).ok())
            .filter(|c| i64::from(c.campaign.year) == year)
            .map(|c| c.row.id)
            .collect();
        let scope = Scope::Roots(vec![ScopeRoot { node: unit_id, subtree: true }]);
        let mut by_state: BTreeMap<String, u64> = BTreeMap::new();
        let mut batches = Vec::new();
        for c in campaigns {
            for b in self.store.batches(&scope, Some(c), &[]).await? {
                *by_state.entry(b.state.code().to_string()).or_default() += 1;
                batches.push(b);
            }
        }
        let ids: Vec<i64> = batches.iter().map(|b| b.id).collect();
        let mut steps: BTreeMap<i64, Vec<(State, i64)>> = BTreeMap::new();
        for (batch, to, at) in self.store.batch_steps_of(&ids).await? {
            if let Some(s) = State::parse(&to) {
                steps.entry(batch).or_default().push((s, at));
            }
        }
        let now = self.now_ms();
        let mut per: BTreeMap<Holder, (u64, i64, u64, i64)> = BTreeMap::new();
        for b in &batches {
            for held in time_held(b.created_at_ms, steps.get(&b.id).map_or(&[][..], |v| v.as_slice()), now) {
                let e = per.entry(held.holder).or_default();
                if held.stays > 0 {
                    e.0 += 1;
                    e.1 += held.finished_ms;
                }
                if let Some(ms) = held.ongoing_ms {
                    e.2 += 1;
                    e.3 += ms;
                }
            }
        }
        let days = |ms: i64, n: u64| if n == 0 { 0.0 } else { (ms as f64 / 86_400_000.0 / n as f64 * 10.0).round() / 10.0 };
        let holders = per
            .into_iter()
            .map(|(holder, (passed, done, waiting, ongoing))| HolderTime {
                holder,
                passed,
                average_days: days(done, passed),
                waiting,
                waiting_days: days(ongoing, waiting),
            })
            .collect();
        let dossiers = State::ALL.iter().filter_map(|s| by_state.get(s.code()).map(|n| (*s, *n))).collect();
        let snap = self.snapshot().await?;
        let reports = match i32::try_from(year) {
            Ok(y) => {
                let rows = self.store.reports(year).await?;
                let first: BTreeMap<i64, Option<i64>> = rows.into_iter().map(|r| (r.unit_id, r.first_submitted_at_ms)).collect();
                let bodies = snap.units.values().filter(|u| App::reports_for(&snap, u, y) && snap.tree.covers(unit_id, u.id));
                Punctuality::of(y, bodies.map(|u| first.get(&u.id).copied().flatten().map(|ms| self.hanoi_day(ms))).collect::<Vec<_>>())
            }
            Err(_) => Punctuality::default(),
        };
        Ok(Dashboard {
            unit: table.total.unit.clone(),
            year,
            titles,
            trend_years,
            trend,
            children,
            awards: figures.awards,
            initiatives: figures.initiatives,
            dossiers,
            reports,
            holders,
            drawn: std::sync::OnceLock::new(),
        })
    }
}
