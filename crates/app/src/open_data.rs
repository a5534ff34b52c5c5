//! Open aggregate statistics (no personal data) and the press feed: learning titles by ward and
//! year with small counts suppressed, and the newest decisions as an Atom feed.

use crate::App;
use crate::error::{AppError, AppResult};
use crate::ports::{PageRequest, Scope};
use serde::Serialize;
use thidua_domain::titles::TITLES;

/// Counts from 1 to this minus one are suppressed: with so few subjects a count can point at a
/// family (and, with them, one more count of the same title, see `domain::disclosure`).
pub const SUPPRESS_BELOW: u64 = thidua_domain::disclosure::THRESHOLD;

/// One line of the open statistics: a ward (or agency) and a title in a year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OpenStat {
    pub year: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub title: String,
    pub title_name: String,
    /// `None`: suppressed (1 to 4, or hidden with such a count so that the city's total does not
    /// give it away).
    pub eligible: Option<u64>,
    pub recognised: Option<u64>,
    /// Per cent; `None` when either count is suppressed or nothing is eligible.
    pub coverage: Option<f64>,
}

/// An entry of the press feed.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    /// A stable id (`tag:` URI part).
    pub id: String,
    pub title: String,
    pub summary: String,
    /// RFC 3339.
    pub updated: String,
    pub link: String,
}

fn rfc3339_ms(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

impl App {
    /// Titles by unit directly under the city (wards, communes, agencies) for `year`, as counted
    /// on 31/12 of that year; small counts suppressed.
    pub async fn open_statistics(&self, year: i64) -> AppResult<Vec<OpenStat>> {
        if !(2000..=2100).contains(&year) {
            return Err(AppError::Invalid(format!("Năm «{year}» không hợp lệ.")));
        }
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let cov = self.year_coverage(year).await?;
        let end = time::Date::from_calendar_date(i32::try_from(year).unwrap_or(2025), time::Month::December, 31).unwrap_or(time::Date::MIN);
        let mut units: Vec<&crate::ports::UnitRecord> = snap
            .children
            .get(&Some(root))
            .map(|c| c.iter().filter(|id| snap.tree.effective(**id, end) == **id).filter_map(|id| snap.units.get(id)).collect())
            .unwrap_or_default();
        units.sort_by_cached_key(|u| thidua_domain::text::text_sort_key(&u.name));
        let units: Vec<&crate::ports::UnitRecord> =
            std::iter::once(snap.units.get(&root).ok_or(AppError::NotFound)?).chain(units).collect();
        // Per title: the city's total and its parts, suppressed together.
        type Shown = (Option<u64>, Option<u64>);
        let mut shown: std::collections::HashMap<(usize, &str), Shown> = std::collections::HashMap::new();
        for t in TITLES {
            let cells: Vec<_> = units.iter().map(|u| cov.cell(u.id, t.code)).collect();
            let column = |f: fn(&crate::titles::Cell) -> u64| -> Vec<Option<u64>> {
                let total = cells.first().map_or(0, f);
                let parts: Vec<u64> = cells.iter().skip(1).map(f).collect();
                let total_shown = thidua_domain::disclosure::publishable(total).then_some(total);
                std::iter::once(total_shown).chain(thidua_domain::disclosure::suppress_parts(total, &parts)).collect()
            };
            let (e, r) = (column(|c| c.eligible), column(|c| c.recognised));
            for (i, (e, r)) in e.into_iter().zip(r).enumerate() {
                shown.insert((i, t.code), (e, r));
            }
        }
        let mut out = Vec::new();
        for (i, u) in units.iter().enumerate() {
            for t in TITLES {
                let c = cov.cell(u.id, t.code);
                if c.eligible == 0 && c.recognised == 0 {
                    continue;
                }
                let (eligible, recognised) = shown.get(&(i, t.code)).copied().unwrap_or((None, None));
                out.push(OpenStat {
                    year,
                    unit_code: u.code.clone(),
                    unit_name: u.name.clone(),
                    title: t.code.to_string(),
                    title_name: t.label_vi.to_string(),
                    coverage: eligible.zip(recognised).and_then(|_| c.coverage()),
                    eligible,
                    recognised,
                });
            }
        }
        Ok(out)
    }

    /// The newest commendation and recognition decisions, newest first, for the press.
    pub async fn press_feed(&self, limit: usize) -> AppResult<Vec<FeedEntry>> {
        let awards = crate::commendation::awards()?;
        let mut entries: Vec<(i64, FeedEntry)> = Vec::new();
        for d in self.store.award_decisions().await? {
            let level = awards.get(&d.level).map_or(d.level.clone(), |a| a.name.clone());
            entries.push((
                d.created_at_ms,
                FeedEntry {
                    id: format!("award-decision-{}", d.id),
                    title: format!("Quyết định số {} tặng {} cho {} tập thể, cá nhân, hộ gia đình", d.number, level, d.awarded),
                    summary: format!(
                        "Ký ngày {} bởi {} {}. Danh sách trên Bảng vàng.",
                        thidua_domain::dates::format_dmy(d.signed_on),
                        d.signer_title,
                        d.signer
                    ),
                    updated: rfc3339_ms(d.created_at_ms),
                    link: "/vinh-danh?loai=khen-thuong".into(),
                },
            ));
        }
        let decisions = self.store.decisions(&Scope::All, PageRequest::new(1, i64::try_from(limit).unwrap_or(50))).await?;
        for d in decisions.items {
            let title = TITLES.iter().find(|t| t.code == d.title).map_or(d.title.clone(), |t| t.label_vi.to_string());
            entries.push((
                d.created_at_ms,
                FeedEntry {
                    id: format!("recognition-decision-{}", d.id),
                    title: format!("{} công nhận «{}» năm {} cho {} đối tượng", d.issuing_body, title, d.year, d.subjects),
                    summary: format!("Quyết định số {} ngày {}.", d.number, thidua_domain::dates::format_dmy(d.signed_on)),
                    updated: rfc3339_ms(d.created_at_ms),
                    link: format!("/vinh-danh?loai=danh-hieu&nam={}", d.year),
                },
            ));
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.0));
        Ok(entries.into_iter().take(limit).map(|(_, e)| e).collect())
    }
}

/// A ward (or agency) in the public ranking of one title's coverage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RankLine {
    pub rank: usize,
    pub unit_code: String,
    pub unit_name: String,
    pub eligible: Option<u64>,
    pub recognised: Option<u64>,
    pub coverage: Option<f64>,
}

impl App {
    /// The units under the city ranked by the coverage of `title` in `year` (highest first;
    /// units whose counts are suppressed or nothing eligible come last, unranked). Instead of a
    /// map: the project ships no ward boundaries it may lawfully redistribute.
    pub async fn ranking(&self, title: &str, year: i64) -> AppResult<Vec<RankLine>> {
        if !TITLES.iter().any(|t| t.code == title) {
            return Err(AppError::Invalid(format!("Danh hiệu «{title}» không có.")));
        }
        let root_code = {
            let snap = self.snapshot().await?;
            let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
            snap.units.get(&root).map(|u| u.code.clone()).unwrap_or_default()
        };
        let mut rows: Vec<OpenStat> =
            self.open_statistics(year).await?.into_iter().filter(|r| r.title == title && r.unit_code != root_code).collect();
        rows.sort_by(|a, b| match (a.coverage, b.coverage) {
            (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| thidua_domain::text::compare_text(&a.unit_name, &b.unit_name)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => thidua_domain::text::compare_text(&a.unit_name, &b.unit_name),
        });
        let mut out = Vec::new();
        let mut rank = 0;
        let mut previous: Option<f64> = None;
        for (i, r) in rows.into_iter().enumerate() {
            // Equal coverage, equal rank (1, 2, 2, 4).
            if r.coverage.is_some() && r.coverage != previous {
                rank = i + 1;
            }
            previous = r.coverage;
            out.push(RankLine {
                rank: if r.coverage.is_some() { rank } else { 0 },
                unit_code: r.unit_code,
                unit_name: r.unit_name,
                eligible: r.eligible,
                recognised: r.recognised,
                coverage: r.coverage,
            });
        }
        Ok(out)
    }
}
