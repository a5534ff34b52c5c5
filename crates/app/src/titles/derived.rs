//! Shares an indicator reads from the registry instead of from the assessor (issue 13 §12):
//! every title still valid in the data year counts, not only that year's recognitions (a
//! citizen recognised for 2024 still counts in 2025 while the title is valid), each subject once;
//! a unit's members and its learners are separate figures (Circular 24/2023, Điều 2), and a
//! commune's citizens are the people who live in it.

use crate::App;
use crate::error::AppResult;
use crate::ports::PeopleWhom;
use crate::registry::TreeSnapshot;
use std::collections::BTreeMap;
use thidua_domain::criteria::{CriteriaSet, IndicatorKind};
use thidua_domain::institutions::Relation;
use thidua_domain::titles::Subject;

/// What a `derived` name of a criteria file counts.
enum Figure {
    /// People holding Công dân học tập: the residents of the subject's subtree, or an
    /// organisation's members or learners.
    Citizens(Option<Relation>),
    /// Units of `title`'s subject in the subtree holding it at `level` or above.
    UnitsAtLevel { title: &'static str, level: i64 },
}

fn figure(name: &str) -> Option<Figure> {
    match name {
        "citizens_cong_dan_hoc_tap" => Some(Figure::Citizens(None)),
        "members_cong_dan_hoc_tap" => Some(Figure::Citizens(Some(Relation::Member))),
        "learners_cong_dan_hoc_tap" => Some(Figure::Citizens(Some(Relation::Learner))),
        other => {
            let (title, level) = if let Some(r) = other.strip_prefix("communes_cdht_level_") {
                ("cong_dong_hoc_tap_xa", r)
            } else {
                ("cong_dong_hoc_tap_huyen", other.strip_prefix("districts_cdht_level_")?)
            };
            Some(Figure::UnitsAtLevel { title, level: level.parse().ok()? })
        }
    }
}

impl App {
    /// How many years after its data year a recognition of `title` stays valid, by the newest set
    /// of the title that covers `year` (Circulars 24 and 25/2023: «bảo lưu trong thời hạn 03 năm
    /// tiếp theo năm được công nhận»).
    pub(crate) async fn validity_years(&self, title: &str, year: i64) -> AppResult<i64> {
        let Some(record) = self.sets_for_year(year).await?.into_iter().find(|r| r.title == title) else { return Ok(0) };
        Ok(i64::from(self.load_set(record.id).await?.set.validity_years))
    }

    /// Shares the registry computes for a subject (indicator code → numerator, denominator). An
    /// indicator whose figure the registry cannot give (no resident, member or learner on
    /// record) is absent: the assessor types it, and the page says why.
    pub async fn derived_shares(&self, set: &CriteriaSet, subject_unit: i64, year: i64) -> AppResult<BTreeMap<String, (u64, u64)>> {
        let mut out = BTreeMap::new();
        if !set.indicators().any(|i| matches!(&i.kind, IndicatorKind::Share { derived: Some(_), .. })) {
            return Ok(out);
        }
        let snap = self.snapshot().await?;
        for i in set.indicators() {
            let IndicatorKind::Share { derived: Some(name), .. } = &i.kind else { continue };
            let (n, d) = match figure(name) {
                Some(Figure::Citizens(relation)) => {
                    let valid = self.validity_years("cong_dan_hoc_tap", year).await?;
                    let whom = match relation {
                        None => PeopleWhom::Residents(subtree(&snap, subject_unit)),
                        Some(r) => PeopleWhom::Members { unit_id: subject_unit, relation: r.code() },
                    };
                    self.store.people_title_share("cong_dan_hoc_tap", year - valid, year, &whom).await?
                }
                Some(Figure::UnitsAtLevel { title, level }) => {
                    let valid = self.validity_years(title, year).await?;
                    let subject = if title == "cong_dong_hoc_tap_xa" { Subject::Commune } else { Subject::District };
                    let end = crate::titles::coverage::year_end(year);
                    let units: Vec<i64> = subtree(&snap, subject_unit)
                        .into_iter()
                        .filter(|u| {
                            snap.units.get(u).is_some_and(|u| {
                                subject.accepts_node(u.kind)
                                    && u.valid_from.is_none_or(|f| f <= end)
                                    && u.valid_to.is_none_or(|t| t >= end)
                                    && (u.active || u.valid_to.is_some())
                            })
                        })
                        .collect();
                    let held = self.store.units_holding(title, level, year - valid, year, &units).await?;
                    (held, units.len() as u64)
                }
                None => continue,
            };
            if d > 0 {
                out.insert(i.code.clone(), (n, d));
            }
        }
        Ok(out)
    }
}

/// `root` and every unit below it, by the current tree.
fn subtree(snap: &TreeSnapshot, root: i64) -> Vec<i64> {
    snap.units.keys().copied().filter(|u| snap.tree.covers(root, *u)).collect()
}
