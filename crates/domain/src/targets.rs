//! National targets for the share of subjects holding each learning title (QĐ 387/QĐ-TTg,
//! QĐ 677/QĐ-TTg, and QĐ 1268/QĐ-TTg for workers in enterprises), and the UNESCO Key Features of
//! Learning Cities area each indicator feeds. Data: `targets/national.toml`.

use serde::Deserialize;
use std::sync::OnceLock;

/// A milestone: by `year`, `share` per cent of the eligible subjects hold `title`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Target {
    pub title: String,
    pub year: i64,
    pub share: f64,
    pub basis: String,
    /// The kinds of unit (`NodeKind::code`) whose subjects the target is about — QĐ 1268 counts
    /// the workers of enterprises; empty: every unit.
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// An area of the UNESCO framework and the titles whose indicators feed it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub titles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Targets {
    pub version: i64,
    #[serde(rename = "target", default)]
    pub targets: Vec<Target>,
    #[serde(rename = "area", default)]
    pub areas: Vec<Area>,
    /// QĐ 1268's training targets for the workers of enterprises.
    #[serde(rename = "worker_training", default)]
    pub worker_training: Vec<WorkerTraining>,
}

/// A QĐ 1268 training target: the share of an enterprise's workers to reach `indicator` by `year`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WorkerTraining {
    pub indicator: String,
    pub year: i64,
    pub share: f64,
    pub basis: String,
}

const SHIPPED: &str = include_str!("../../../targets/national.toml");

impl Targets {
    pub fn parse(text: &str) -> Result<Targets, String> {
        let t: Targets = toml::from_str(text).map_err(|e| format!("targets/national.toml: {e}"))?;
        if let Some(bad) = t.targets.iter().find(|x| !(0.0..=100.0).contains(&x.share)) {
            return Err(format!("targets/national.toml: {} {}: share {} is not a percentage", bad.title, bad.year, bad.share));
        }
        if let Some(bad) = t.worker_training.iter().find(|x| !(0.0..=100.0).contains(&x.share)) {
            return Err(format!("targets/national.toml: {} {}: share {} is not a percentage", bad.indicator, bad.year, bad.share));
        }
        Ok(t)
    }

    /// The shipped targets (parsed once).
    pub fn shipped() -> Result<&'static Targets, String> {
        static T: OnceLock<Result<Targets, String>> = OnceLock::new();
        T.get_or_init(|| Targets::parse(SHIPPED)).as_ref().map_err(Clone::clone)
    }

    /// The milestone a data year is measured against: the first one due in or after it (of the
    /// targets about every unit).
    pub fn for_year(&self, title: &str, year: i64) -> Option<&Target> {
        self.for_unit(title, year, "")
    }

    /// The milestone a unit of `kind` is measured against in a data year: a target about its kind
    /// (QĐ 1268 for an enterprise) before one about every unit.
    pub fn for_unit(&self, title: &str, year: i64, kind: &str) -> Option<&Target> {
        let due = |specific: bool| {
            self.targets
                .iter()
                .filter(|t| t.title == title && t.year >= year && t.kinds.iter().any(|k| k == kind) == specific)
                .filter(|t| specific || t.kinds.is_empty())
                .min_by_key(|t| t.year)
        };
        due(true).or_else(|| due(false))
    }

    /// The milestone a unit of `kind` must already have reached in `year`: the latest one due in
    /// or before it, or the first one when none is due yet (a campaign of 2027 asks an enterprise
    /// for QĐ 1268's 30 % of 2025, not yet the 50 % of 2030). A reading of «đạt và vượt mục
    /// tiêu» (seed III.2.1.g), kept here so that it can be changed in one place.
    pub fn reached_by(&self, title: &str, year: i64, kind: &str) -> Option<&Target> {
        let of_kind = |t: &&Target| t.title == title && t.kinds.iter().any(|k| k == kind);
        self.targets
            .iter()
            .filter(of_kind)
            .filter(|t| t.year <= year)
            .max_by_key(|t| t.year)
            .or_else(|| self.targets.iter().filter(of_kind).min_by_key(|t| t.year))
    }

    /// QĐ 1268's training milestones an enterprise must have reached by `year` (the latest due
    /// by then; the first ones before any is due), one per indicator, in the data's order.
    pub fn worker_training_by(&self, year: i64) -> Vec<&WorkerTraining> {
        let due = self.worker_training.iter().filter(|t| t.year <= year).map(|t| t.year).max();
        let pick = due.or_else(|| self.worker_training.iter().map(|t| t.year).min());
        self.worker_training.iter().filter(|t| Some(t.year) == pick).collect()
    }

    /// The milestone of exactly `year` for a unit of `kind` (the review's year).
    pub fn at(&self, title: &str, year: i64, kind: &str) -> Option<&Target> {
        self.for_unit(title, year, kind).filter(|t| t.year == year)
    }

    /// The UNESCO area an indicator of `title` feeds.
    pub fn area_of(&self, title: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.titles.iter().any(|t| t == title))
    }

    pub fn area(&self, code: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.code == code)
    }
}

#[cfg(test)]
mod reached_tests {
    use super::Targets;

    #[test]
    fn an_enterprise_must_have_reached_the_qd_1268_milestone_already_due() {
        // QĐ 1268/QĐ-TTg: 30 % of workers «Công dân học tập» by 2025, 50 % by 2030.
        let t = Targets::shipped().expect("targets");
        let share = |y| t.reached_by("cong_dan_hoc_tap", y, "enterprise").map(|x| (x.share, x.year));
        assert_eq!(share(2024), Some((30.0, 2025)), "before the first milestone: the first");
        assert_eq!(share(2025), Some((30.0, 2025)));
        assert_eq!(share(2029), Some((30.0, 2025)), "the 2030 target is not yet due");
        assert_eq!(share(2030), Some((50.0, 2030)));
        assert!(t.reached_by("cong_dan_hoc_tap", 2030, "village").is_none(), "none about a village");
    }

    #[test]
    fn an_enterprise_s_worker_training_milestones_are_qd_1268_s_due_by_the_year() {
        // Seed III.2.1.g: «Đạt và vượt các chỉ tiêu về đào tạo công nhân theo Quyết định số
        // 1268/QĐ-TTg»; legal.md §4: skills 50 % by 2025 and 75 % by 2030, and three others.
        let t = Targets::shipped().expect("targets");
        let by = |y| t.worker_training_by(y).iter().map(|w| (w.year, w.share)).collect::<Vec<_>>();
        assert_eq!(by(2026), [(2025, 70.0), (2025, 50.0), (2025, 50.0), (2025, 40.0)]);
        assert_eq!(by(2030), [(2030, 90.0), (2030, 75.0), (2030, 75.0), (2030, 65.0)]);
        assert_eq!(by(2024), by(2025), "before the first milestone: the first");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_of_learning_units_are_measured_against_qd_677s_60_and_80_per_cent_not_the_adults_share() {
        // QĐ 677/QĐ-TTg: «60% cán bộ, công chức, viên chức và người lao động» in the đơn vị học tập
        // by 2025, 80% by 2030; 40% / 60% of adults elsewhere; QĐ 1268 for enterprises.
        let t = Targets::shipped().expect("targets");
        let share = |kind: &str, year: i64| t.at("cong_dan_hoc_tap", year, kind).map(|x| x.share);
        assert_eq!((share("agency", 2025), share("agency", 2030)), (Some(60.0), Some(80.0)));
        assert_eq!((share("school", 2025), share("socio_political", 2030)), (Some(60.0), Some(80.0)));
        assert_eq!((share("ward", 2025), share("village", 2030)), (Some(40.0), Some(60.0)), "adults in the community");
        assert_eq!((share("enterprise", 2025), share("enterprise", 2030)), (Some(30.0), Some(50.0)), "QĐ 1268");
    }

    #[test]
    fn the_shipped_targets_follow_the_prime_ministers_decisions() {
        let t = Targets::shipped().expect("targets");
        let share = |title: &str, year: i64| t.for_year(title, year).map(|x| (x.year, x.share));
        assert_eq!(share("gia_dinh_hoc_tap", 2024), Some((2025, 70.0)), "QĐ 387: 70% of families by 2025");
        assert_eq!(share("dong_ho_hoc_tap", 2025), Some((2025, 65.0)));
        assert_eq!(share("cong_dong_hoc_tap_thon", 2023), Some((2025, 65.0)));
        assert_eq!(share("don_vi_hoc_tap", 2025), Some((2025, 80.0)));
        assert_eq!(share("cong_dan_hoc_tap", 2025), Some((2025, 40.0)), "QĐ 677: 40% of adults by 2025");
        assert_eq!(share("cong_dan_hoc_tap", 2027), Some((2030, 60.0)), "and 60% by 2030");
        assert_eq!(share("gia_dinh_hoc_tap", 2027), None, "QĐ 387 gives no 2030 figure: none is invented");
    }

    #[test]
    fn workers_of_an_enterprise_are_measured_against_decision_1268() {
        let t = Targets::shipped().expect("targets");
        let share = |year: i64, kind: &str| t.for_unit("cong_dan_hoc_tap", year, kind).map(|x| (x.year, x.share));
        assert_eq!(share(2025, "enterprise"), Some((2025, 30.0)), "QĐ 1268: 30% of workers by 2025");
        assert_eq!(share(2026, "enterprise"), Some((2030, 50.0)), "and 50% by 2030");
        assert_eq!(share(2025, "ward"), Some((2025, 40.0)), "elsewhere QĐ 677's 40%");
        assert_eq!(t.for_year("cong_dan_hoc_tap", 2025).map(|x| x.share), Some(40.0), "the city as a whole: QĐ 677");
        assert!(t.at("cong_dan_hoc_tap", 2030, "enterprise").is_some_and(|x| x.basis.contains("1268")));
        assert_eq!(t.at("gia_dinh_hoc_tap", 2030, "ward"), None, "QĐ 387 has no 2030 figure");
    }

    #[test]
    fn every_title_feeds_one_unesco_area() {
        let t = Targets::shipped().expect("targets");
        for title in crate::titles::TITLES {
            assert!(t.area_of(title.code).is_some(), "{} has no area", title.code);
        }
        assert_eq!(t.area_of("don_vi_hoc_tap").map(|a| a.code.as_str()), Some("workplace"));
    }

    #[test]
    fn a_share_above_a_hundred_is_refused() {
        let bad = "version = 1\n[[target]]\ntitle = \"x\"\nyear = 2025\nshare = 170\nbasis = \"b\"\n";
        assert!(Targets::parse(bad).unwrap_err().contains("not a percentage"));
    }
}
