//! Campaigns (đợt khen thưởng): the yearly round, the 2025 mid-term review and the 2030 final
//! review of the plan (III.3, III.5.3), each with the award levels it offers, its quotas and its
//! deadlines. The shipped ones are data (`commendation/campaigns.toml`); officers add more.

use super::quota::{ProposerKind, Shape};
use crate::calendar::Calendar;
use crate::dates::parse_dmy;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignKind {
    /// Every year (khen thưởng hằng năm).
    Yearly,
    /// The 2023–2025 mid-term review (sơ kết).
    Midterm,
    /// The 2023–2030 final review (tổng kết).
    Final,
    /// A review conference of its own (hội nghị), created by officers.
    Conference,
}

impl CampaignKind {
    pub fn code(self) -> &'static str {
        match self {
            CampaignKind::Yearly => "yearly",
            CampaignKind::Midterm => "midterm",
            CampaignKind::Final => "final",
            CampaignKind::Conference => "conference",
        }
    }

    pub fn parse(s: &str) -> Option<CampaignKind> {
        [CampaignKind::Yearly, CampaignKind::Midterm, CampaignKind::Final, CampaignKind::Conference].into_iter().find(|k| k.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            CampaignKind::Yearly => "Hằng năm",
            CampaignKind::Midterm => "Sơ kết giai đoạn 2023 – 2025",
            CampaignKind::Final => "Tổng kết giai đoạn 2023 – 2030",
            CampaignKind::Conference => "Hội nghị sơ kết, tổng kết",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct RawQuota {
    level: String,
    proposer: ProposerKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    shape: String,
    #[serde(default)]
    collectives: Option<u32>,
    #[serde(default)]
    individuals: Option<u32>,
    #[serde(default)]
    total: Option<u32>,
    basis: String,
}

/// A quota of a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub level: String,
    pub proposer: ProposerKind,
    /// `None`: the plan's quota for each proposer of the kind. Set: DOET's allocation for the
    /// campaign (issue 13 §3) — to the proposer with this unit code, or `*` to each proposer the
    /// plan gives no number (the wards and communes after 01/7/2025) that has none of its own.
    pub unit: Option<String>,
    pub shape: Shape,
    pub basis: String,
}

/// The cap a proposer's dossier counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaFor<'a> {
    Cap(&'a Quota),
    /// The plan sets no number for this level and proposer.
    NoCap,
    /// The proposer's numbers come from DOET's allocation, and it has none for this level.
    NotAllocated,
}

/// The `unit` of an allocation to every allocated proposer.
pub const EVERY: &str = "*";

impl TryFrom<RawQuota> for Quota {
    type Error = String;
    fn try_from(r: RawQuota) -> Result<Quota, String> {
        let shape = match (r.shape.as_str(), r.collectives, r.individuals, r.total) {
            ("separate", Some(collectives), Some(individuals), None) => Shape::Separate { collectives, individuals },
            ("total", None, None, Some(total)) => Shape::Total { total },
            _ => return Err(format!("chỉ tiêu {}: shape = \"separate\" cần collectives và individuals; \"total\" cần total", r.level)),
        };
        Ok(Quota { level: r.level, proposer: r.proposer, unit: r.unit, shape, basis: r.basis })
    }
}

impl From<&Quota> for RawQuota {
    fn from(q: &Quota) -> RawQuota {
        let (shape, collectives, individuals, total) = match q.shape {
            Shape::Separate { collectives, individuals } => ("separate", Some(collectives), Some(individuals), None),
            Shape::Total { total } => ("total", None, None, Some(total)),
        };
        RawQuota {
            level: q.level.clone(),
            proposer: q.proposer,
            unit: q.unit.clone(),
            shape: shape.into(),
            collectives,
            individuals,
            total,
            basis: q.basis.clone(),
        }
    }
}

/// How the plan's «trước ngày tổ chức hội nghị sơ kết, hội nghị tổng kết 30 ngày làm việc»
/// (III.5.3.b) is read: the sentence can bind the dossier's arrival at DOHA or the Chairman's
/// decision. Kept as data, shown with the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// The dossier reaches DOHA that many working days before the conference (the default).
    ReachesDoha,
    /// The Chairman decides that many working days before the conference.
    ChairmanDecides,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct RawDeadline {
    levels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doet_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decided_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    working_days_before_conference: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reading: Option<Reading>,
    basis: String,
}

/// When the dossiers of some award levels are due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Fixed days: proposers to DOET, DOET to DOHA («trước ngày», III.5.3.a; the yearly round of
    /// III.5.3.b).
    Dates { unit_before: Date, doet_before: Date },
    /// Counted back from the review conference in working days (III.5.3.b).
    BeforeConference { working_days: u32, reading: Reading },
    /// The bodies review and reward their own before this day (III.3.2.c, III.3.3.c).
    OwnReview { decided_before: Date },
}

/// The deadline of some award levels of a campaign, with its basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelDeadline {
    pub levels: Vec<String>,
    pub due: Due,
    pub basis: String,
}

/// One award level's deadlines, resolved for the calendar and the conference date: each
/// «before» day is the first day that is late.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LevelDue {
    /// Proposers' dossiers reach DOET before this day.
    pub unit_before: Option<Date>,
    /// DOET's consolidated dossier reaches DOHA before this day.
    pub doet_before: Option<Date>,
    /// The decision is taken before this day.
    pub decided_before: Option<Date>,
    pub basis: String,
    /// What the dates still wait for, in words (the conference date).
    pub pending: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct RawCampaign {
    code: String,
    kind: CampaignKind,
    #[serde(default)]
    year: Option<i32>,
    name: String,
    phase: u8,
    basis: String,
    levels: Vec<String>,
    /// The campaign-wide deadlines, for the levels without their own (an officer's campaign).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit_deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doet_deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decision_working_days_before_conference: Option<u32>,
    /// Read from campaigns stored before the deadlines per level: the Giấy khen's own review.
    #[serde(default, skip_serializing)]
    bodies_review_before: Option<String>,
    #[serde(default, rename = "deadline", skip_serializing_if = "Vec::is_empty")]
    deadlines: Vec<RawDeadline>,
    #[serde(default)]
    conference: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    council_for: Vec<String>,
    /// The first year of a yearly template (the plan came after the 2023 deadline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_year_basis: Option<String>,
    #[serde(default, rename = "quota")]
    quotas: Vec<RawQuota>,
}

/// One campaign: what it offers, to whom, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub code: String,
    pub kind: CampaignKind,
    pub year: i32,
    pub name: String,
    /// 1 = 2023–2025, 2 = 2026–2030.
    pub phase: u8,
    pub basis: String,
    pub levels: Vec<String>,
    /// Campaign-wide: proposers' dossiers reach DOET before this day, for the levels decided
    /// in the city without a deadline of their own.
    pub unit_due_before: Option<Date>,
    /// Campaign-wide: DOET's consolidated dossier reaches DOHA before this day.
    pub doet_due_before: Option<Date>,
    /// Campaign-wide: the Chairman decides this many working days before the conference.
    pub decision_working_days_before_conference: Option<u32>,
    pub conference: Option<Date>,
    /// The deadlines of particular award levels (the plan's, III.3.2.c, III.5.3.a, III.5.3.b).
    pub deadlines: Vec<LevelDeadline>,
    /// City-level award levels whose dossiers this campaign puts before the council (the plan
    /// names the council for state-level awards only, III.5.3.a).
    pub council_for: Vec<String>,
    pub quotas: Vec<Quota>,
}

/// The shipped campaigns (the yearly one as a template without a year).
#[derive(Debug, Clone)]
pub struct Campaigns {
    raw: Vec<RawCampaign>,
}

#[derive(Deserialize)]
struct File {
    #[allow(dead_code)]
    version: u32,
    campaign: Vec<RawCampaign>,
}

impl RawCampaign {
    /// The years of a yearly template: from its first year (2023 when none is given) to 2030.
    fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.first_year.unwrap_or(2023)..=2030
    }
}

fn date_in(s: &str, year: i32) -> Result<Date, String> {
    // «15/07» in a yearly template takes the campaign's year.
    let full = if s.matches('/').count() == 1 { format!("{s}/{year}") } else { s.to_string() };
    parse_dmy(&full).map_err(|e| format!("ngày «{s}»: {e}"))
}

fn build(r: &RawCampaign, year: i32) -> Result<Campaign, String> {
    let code = if r.kind == CampaignKind::Yearly && r.year.is_none() { format!("{}-{year}", r.code) } else { r.code.clone() };
    let phase = if r.phase == 0 { if year <= 2025 { 1 } else { 2 } } else { r.phase };
    let c = Campaign {
        code,
        kind: r.kind,
        year,
        name: if r.kind == CampaignKind::Yearly && r.year.is_none() { format!("{} năm {year}", r.name) } else { r.name.clone() },
        phase,
        basis: r.basis.clone(),
        levels: r.levels.clone(),
        unit_due_before: r.unit_deadline.as_deref().map(|s| date_in(s, year)).transpose()?,
        doet_due_before: r.doet_deadline.as_deref().map(|s| date_in(s, year)).transpose()?,
        decision_working_days_before_conference: r.decision_working_days_before_conference,
        conference: r.conference.as_deref().map(|s| date_in(s, year)).transpose()?,
        deadlines: deadlines(r, year)?,
        council_for: r.council_for.clone(),
        quotas: r.quotas.iter().cloned().map(Quota::try_from).collect::<Result<_, _>>()?,
    };
    if let (Some(unit), Some(doet)) = (c.unit_due_before, c.doet_due_before)
        && doet < unit
    {
        return Err(format!("{}: hạn Sở GD&ĐT gửi Sở Nội vụ phải sau hạn các đơn vị gửi Sở GD&ĐT", c.code));
    }
    Ok(c)
}

fn deadlines(r: &RawCampaign, year: i32) -> Result<Vec<LevelDeadline>, String> {
    let mut out = Vec::new();
    for d in &r.deadlines {
        let date = |s: &Option<String>| s.as_deref().map(|s| date_in(s, year)).transpose();
        let due = match (date(&d.unit_before)?, date(&d.doet_before)?, date(&d.decided_before)?, d.working_days_before_conference) {
            (Some(unit_before), Some(doet_before), None, None) if unit_before <= doet_before => Due::Dates { unit_before, doet_before },
            (None, None, Some(decided_before), None) => Due::OwnReview { decided_before },
            (None, None, None, Some(working_days)) => {
                Due::BeforeConference { working_days, reading: d.reading.unwrap_or(Reading::ReachesDoha) }
            }
            _ => {
                return Err(format!(
                    "{}: hạn của {:?}: ghi unit_before và doet_before (theo thứ tự), hoặc decided_before, hoặc working_days_before_conference",
                    r.code, d.levels
                ));
            }
        };
        if let Some(l) = d.levels.iter().find(|l| !r.levels.contains(l)) {
            return Err(format!("{}: hạn cho hình thức «{l}» mà đợt không có", r.code));
        }
        out.push(LevelDeadline { levels: d.levels.clone(), due, basis: d.basis.clone() });
    }
    if let Some(before) = &r.bodies_review_before
        && !out.iter().any(|d| d.levels.iter().any(|l| l == "giay_khen"))
    {
        let due = Due::OwnReview { decided_before: date_in(before, year)? };
        out.push(LevelDeadline { levels: vec!["giay_khen".into()], due, basis: r.basis.clone() });
    }
    Ok(out)
}

impl From<&LevelDeadline> for RawDeadline {
    fn from(d: &LevelDeadline) -> RawDeadline {
        let day = |d: Date| Some(crate::dates::format_dmy(d));
        let mut raw = RawDeadline { levels: d.levels.clone(), basis: d.basis.clone(), ..RawDeadline::default() };
        match d.due {
            Due::Dates { unit_before, doet_before } => (raw.unit_before, raw.doet_before) = (day(unit_before), day(doet_before)),
            Due::OwnReview { decided_before } => raw.decided_before = day(decided_before),
            Due::BeforeConference { working_days, reading } => {
                (raw.working_days_before_conference, raw.reading) = (Some(working_days), Some(reading));
            }
        }
        raw
    }
}

impl Campaigns {
    pub fn shipped() -> Result<Campaigns, String> {
        Campaigns::from_toml(super::CAMPAIGNS_TOML)
    }

    pub fn from_toml(text: &str) -> Result<Campaigns, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let c = Campaigns { raw: f.campaign };
        // Every campaign must build (the yearly template for a sample year).
        for r in &c.raw {
            build(r, r.year.unwrap_or(2026))?;
        }
        Ok(c)
    }

    /// The campaign of `code`: a fixed one (`so-ket-2025`) or the yearly one of a year
    /// (`hang-nam-2026`).
    pub fn get(&self, code: &str) -> Option<Campaign> {
        if let Some(r) = self.raw.iter().find(|r| r.code == code && r.year.is_some()) {
            return build(r, r.year?).ok();
        }
        let (prefix, year) = code.rsplit_once('-')?;
        let year: i32 = year.parse().ok()?;
        let r = self.raw.iter().find(|r| r.code == prefix && r.year.is_none())?;
        r.years().contains(&year).then(|| build(r, year).ok()).flatten()
    }

    /// The campaigns of the plan: every yearly round 2023–2030 and the two reviews.
    pub fn all(&self) -> Vec<Campaign> {
        let mut out = Vec::new();
        for r in &self.raw {
            match r.year {
                Some(y) => out.extend(build(r, y).ok()),
                None => out.extend(r.years().filter_map(|y| build(r, y).ok())),
            }
        }
        out.sort_by(|a, b| (a.year, a.kind.code()).cmp(&(b.year, b.kind.code())));
        out
    }
}

impl Campaign {
    /// The plan's quota for proposals of `level` by a proposer of `kind`; `None` = no cap in
    /// the plan.
    pub fn quota(&self, level: &str, kind: ProposerKind) -> Option<&Quota> {
        self.quotas.iter().find(|q| q.level == level && q.proposer == kind && q.unit.is_none())
    }

    /// The cap of the proposer `unit` (a unit code) of `kind` for `level`: DOET's allocation to
    /// it, else — for a proposer whose numbers the plan does not give (`allocated`: the wards and
    /// communes after 01/7/2025) — DOET's allocation to each such proposer, else the plan's.
    /// An allocated proposer with neither, where the plan caps its kind, is not allocated.
    pub fn quota_for(&self, level: &str, kind: ProposerKind, unit: &str, allocated: bool) -> QuotaFor<'_> {
        let allocation = |u: &str| self.quotas.iter().find(|q| q.level == level && q.unit.as_deref() == Some(u));
        if let Some(q) = allocation(unit) {
            return QuotaFor::Cap(q);
        }
        match (allocated, self.quota(level, kind)) {
            (true, plan) => match allocation(EVERY) {
                Some(q) => QuotaFor::Cap(q),
                None if plan.is_some() => QuotaFor::NotAllocated,
                None => QuotaFor::NoCap,
            },
            (false, Some(q)) => QuotaFor::Cap(q),
            (false, None) => QuotaFor::NoCap,
        }
    }

    /// DOET's allocations (issue 13 §3), in the order they were set.
    pub fn allocations(&self) -> impl Iterator<Item = &Quota> {
        self.quotas.iter().filter(|q| q.unit.is_some())
    }

    /// Sets (or, with `shape` `None`, removes) DOET's allocation of `level` to `unit` (`*`: each
    /// allocated proposer without its own).
    pub fn allocate(&mut self, level: &str, unit: &str, shape: Option<Shape>, basis: &str) {
        self.quotas.retain(|q| !(q.level == level && q.unit.as_deref() == Some(unit)));
        if let Some(shape) = shape {
            self.quotas.push(Quota {
                level: level.into(),
                proposer: ProposerKind::Locality,
                unit: Some(unit.into()),
                shape,
                basis: basis.into(),
            });
        }
    }

    /// How the dossiers of `award` travel in this campaign.
    pub fn route(&self, award: &super::awards::Award) -> super::workflow::Route {
        award.route(self.council_for.contains(&award.code))
    }

    /// The last day the Chairman's decision may be signed under the campaign-wide rule: `n`
    /// working days before the conference.
    pub fn decision_due(&self, calendar: &Calendar) -> Option<Date> {
        Some(calendar.working_days_before(self.conference?, self.decision_working_days_before_conference?))
    }

    /// The deadlines of `level`, travelling on `route`: the level's own (the plan's), else for a
    /// level the city decides the campaign-wide ones; a level its proposer's own head decides
    /// has no city deadline unless the campaign gives it one.
    pub fn due(&self, level: &str, route: super::workflow::Route, calendar: &Calendar) -> LevelDue {
        let Some(d) = self.deadlines.iter().find(|d| d.levels.iter().any(|l| l == level)) else {
            if route == super::workflow::Route::OwnHead {
                return LevelDue {
                    basis: "Thủ trưởng cơ quan, đơn vị quyết định theo thẩm quyền; Kế hoạch không định hạn (mục III.3.1)".into(),
                    ..LevelDue::default()
                };
            }
            return LevelDue {
                unit_before: self.unit_due_before,
                doet_before: self.doet_due_before,
                decided_before: self.decision_due(calendar).and_then(|d| d.next_day()),
                basis: self.basis.clone(),
                pending: None,
            };
        };
        let basis = d.basis.clone();
        match d.due {
            Due::Dates { unit_before, doet_before } => {
                LevelDue { unit_before: Some(unit_before), doet_before: Some(doet_before), basis, ..LevelDue::default() }
            }
            Due::OwnReview { decided_before } => LevelDue { decided_before: Some(decided_before), basis, ..LevelDue::default() },
            Due::BeforeConference { working_days, reading } => {
                let Some(conference) = self.conference else {
                    let pending = format!("tính khi có ngày hội nghị: trước hội nghị {working_days} ngày làm việc");
                    return LevelDue { basis, pending: Some(pending), ..LevelDue::default() };
                };
                // The day `working_days` working days before the conference is still in time.
                let last = calendar.working_days_before(conference, working_days);
                let before = last.next_day().unwrap_or(last);
                let (decided_before, read_as) = match reading {
                    Reading::ReachesDoha => (conference, "hồ sơ đến Sở Nội vụ"),
                    Reading::ChairmanDecides => (before, "Chủ tịch quyết định"),
                };
                // The plan sets no earlier day for the proposers: their dossier is due when DOET's is.
                LevelDue {
                    unit_before: Some(before),
                    doet_before: Some(before),
                    decided_before: Some(decided_before),
                    basis: format!("{basis} — cách hiểu: {read_as} trước hội nghị {working_days} ngày làm việc"),
                    pending: None,
                }
            }
        }
    }

    /// The day a nominee's learning titles are judged on for `level` (issue 13 §6): the last day
    /// its proposer's dossier may reach DOET, else the last day of the decision, else the end of
    /// the campaign's year. A title counts when it is valid on that day.
    pub fn reference_day(&self, level: &str, route: super::workflow::Route, calendar: &Calendar) -> Date {
        let due = self.due(level, route, calendar);
        let end_of_year = Date::from_calendar_date(self.year, time::Month::December, 31).unwrap_or(Date::MIN);
        due.unit_before.or(due.decided_before).and_then(|d| d.previous_day()).unwrap_or(end_of_year)
    }

    /// Whether something handed in on `on` meets a «before `due_before`» deadline, given an
    /// extension granted to the unit (the new due-before day).
    pub fn on_time(on: Date, due_before: Date, extension: Option<Date>) -> bool {
        on < extension.map_or(due_before, |e| e.max(due_before))
    }

    /// The campaign as the TOML of one `[[campaign]]` entry, to store an officer's campaign.
    pub fn to_toml(&self) -> String {
        let raw = RawCampaign {
            code: self.code.clone(),
            kind: self.kind,
            year: Some(self.year),
            name: self.name.clone(),
            phase: self.phase,
            basis: self.basis.clone(),
            levels: self.levels.clone(),
            unit_deadline: self.unit_due_before.map(crate::dates::format_dmy),
            doet_deadline: self.doet_due_before.map(crate::dates::format_dmy),
            decision_working_days_before_conference: self.decision_working_days_before_conference,
            bodies_review_before: None,
            deadlines: self.deadlines.iter().map(RawDeadline::from).collect(),
            conference: self.conference.map(crate::dates::format_dmy),
            council_for: self.council_for.clone(),
            first_year: None,
            first_year_basis: None,
            quotas: self.quotas.iter().map(RawQuota::from).collect(),
        };
        toml::to_string(&File2 { campaign: vec![raw] }).unwrap_or_default()
    }

    /// Reads back what [`Campaign::to_toml`] wrote.
    pub fn from_toml(text: &str) -> Result<Campaign, String> {
        let f: File2 = toml::from_str(text).map_err(|e| e.to_string())?;
        let r = f.campaign.first().ok_or("không có đợt khen thưởng")?;
        build(r, r.year.ok_or("đợt khen thưởng thiếu năm")?)
    }
}

#[derive(Serialize, Deserialize)]
struct File2 {
    campaign: Vec<RawCampaign>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_dmy(s).expect("date")
    }

    use crate::commendation::workflow::Route;

    const CITY: Route = Route::City { council: false };

    #[test]
    fn the_plan_ships_its_three_campaigns_with_their_deadlines() {
        let c = Campaigns::shipped().expect("campaigns.toml reads");
        let cal = Calendar::shipped().expect("calendar");
        let mid = c.get("so-ket-2025").expect("mid-term");
        let state = mid.due("bang_khen_thu_tuong", Route::State, &cal);
        assert_eq!((state.unit_before, state.doet_before), (Some(d("15/06/2025")), Some(d("15/07/2025"))), "III.5.3.a");
        assert_eq!(mid.phase, 1);
        let fin = c.get("tong-ket-2030").expect("final");
        let state = fin.due("huan_chuong_lao_dong_hang_nhat", Route::State, &cal);
        assert_eq!((state.unit_before, state.doet_before), (Some(d("15/06/2030")), Some(d("15/07/2030"))), "III.5.3.a");
        let y = c.get("hang-nam-2027").expect("yearly");
        let city = y.due("bang_khen_ubnd_tp", CITY, &cal);
        assert_eq!((city.unit_before, city.doet_before), (Some(d("15/07/2027")), Some(d("01/08/2027"))), "III.5.3.b, first dash");
        assert_eq!((y.year, y.phase, y.kind), (2027, 2, CampaignKind::Yearly));
        assert!(y.quotas.is_empty(), "the plan sets no city quota for the yearly round");
        assert!(c.get("hang-nam-2040").is_none(), "the plan runs 2023–2030");
        assert_eq!(c.all().len(), 7 + 2, "yearly 2024–2030 and the two reviews");
    }

    #[test]
    fn the_15_june_deadline_of_a_review_binds_state_level_awards_only() {
        // III.5.3.a «Thời gian đề nghị khen thưởng cấp Nhà nước»: 15/6 and 15/7. III.5.3.b: the
        // City Bằng khen at a review has no calendar date.
        let (c, cal) = (Campaigns::shipped().expect("campaigns"), Calendar::shipped().expect("calendar"));
        let fin = c.get("tong-ket-2030").expect("final");
        let city = fin.due("bang_khen_ubnd_tp", CITY, &cal);
        assert_eq!((city.unit_before, city.doet_before), (None, None), "no conference date yet: {city:?}");
        assert!(city.pending.is_some_and(|p| p.contains("30 ngày làm việc")) && city.basis.contains("III.5.3.b"));
    }

    #[test]
    fn a_city_bang_khen_at_a_review_reaches_doha_thirty_working_days_before_the_conference() {
        let (c, cal) = (Campaigns::shipped().expect("campaigns"), Calendar::shipped().expect("calendar"));
        let mut fin = c.get("tong-ket-2030").expect("final");
        // A conference on Friday 27/09/2030: back over 02/9 (Monday) and its adjacent day (none
        // decided yet), 30 working days is Thursday 15/08/2030, still in time.
        fin.conference = Some(d("27/09/2030"));
        let city = fin.due("bang_khen_ubnd_tp", CITY, &cal);
        assert_eq!(cal.working_days_between(d("15/08/2030"), d("27/09/2030")), 30);
        assert_eq!((city.unit_before, city.doet_before), (Some(d("16/08/2030")), Some(d("16/08/2030"))), "{city:?}");
        assert_eq!(city.decided_before, Some(d("27/09/2030")), "the Chairman decides before the conference");
        assert!(city.basis.contains("hồ sơ đến Sở Nội vụ"), "the reading is shown: {}", city.basis);
        // The other reading, kept as data: the Chairman decides 30 working days before.
        let text = super::super::CAMPAIGNS_TOML.replace("reading = \"reaches_doha\"", "reading = \"chairman_decides\"");
        let mut other = Campaigns::from_toml(&text).expect("reads").get("tong-ket-2030").expect("final");
        other.conference = fin.conference;
        let city = other.due("bang_khen_ubnd_tp", CITY, &cal);
        assert_eq!(city.decided_before, Some(d("16/08/2030")), "{city:?}");
        assert!(city.basis.contains("Chủ tịch quyết định"), "{}", city.basis);
    }

    #[test]
    fn a_giay_khen_has_no_city_deadline_but_the_bodies_review_before_30_july_of_a_review_year() {
        // III.3.2.c / III.3.3.c: «tiến hành sơ kết (tổng kết) phong trào thi đua trước ngày 30/7».
        let (c, cal) = (Campaigns::shipped().expect("campaigns"), Calendar::shipped().expect("calendar"));
        let own = c.get("so-ket-2025").expect("mid-term").due("giay_khen", Route::OwnHead, &cal);
        assert_eq!((own.unit_before, own.decided_before), (None, Some(d("30/07/2025"))), "{own:?}");
        let yearly = c.get("hang-nam-2027").expect("yearly").due("giay_khen", Route::OwnHead, &cal);
        assert_eq!((yearly.unit_before, yearly.doet_before, yearly.decided_before), (None, None, None), "{yearly:?}");
    }

    #[test]
    fn there_is_no_yearly_round_of_2023_because_the_plan_came_after_its_deadline() {
        // The plan implements Decision 1315/QĐ-TTg of 09/11/2023 (seed, preamble): it did not
        // exist on 15/7/2023, the yearly deadline of III.5.3.b.
        let c = Campaigns::shipped().expect("campaigns");
        assert!(c.get("hang-nam-2023").is_none());
        assert_eq!(c.get("hang-nam-2024").map(|y| y.year), Some(2024));
        assert!(c.all().iter().all(|x| x.year >= 2024), "{:?}", c.all().iter().map(|x| &x.code).collect::<Vec<_>>());
    }

    #[test]
    fn titles_are_judged_on_the_last_day_the_dossier_may_reach_doet() {
        let (c, cal) = (Campaigns::shipped().expect("campaigns"), Calendar::shipped().expect("calendar"));
        let y = c.get("hang-nam-2027").expect("yearly");
        assert_eq!(y.reference_day("bang_khen_ubnd_tp", CITY, &cal), d("14/07/2027"), "«trước ngày 15/7»");
        assert_eq!(y.reference_day("giay_khen", Route::OwnHead, &cal), d("31/12/2027"), "no day set: the year's end");
        let mid = c.get("so-ket-2025").expect("mid-term");
        assert_eq!(mid.reference_day("giay_khen", Route::OwnHead, &cal), d("29/07/2025"), "the bodies' own review");
    }

    #[test]
    fn a_submission_on_the_deadline_day_is_late_unless_extended() {
        let due = d("15/07/2026");
        assert!(Campaign::on_time(d("14/07/2026"), due, None));
        assert!(!Campaign::on_time(d("15/07/2026"), due, None), "«trước ngày 15/7»");
        assert!(Campaign::on_time(d("20/07/2026"), due, Some(d("22/07/2026"))));
    }

    #[test]
    fn an_officers_campaign_round_trips_through_its_stored_form() {
        let c = Campaigns::shipped().expect("campaigns");
        let mut fin = c.get("tong-ket-2030").expect("final");
        fin.conference = Some(d("27/09/2030"));
        assert_eq!(Campaign::from_toml(&fin.to_toml()).expect("reads back"), fin);
    }

    #[test]
    fn the_council_is_on_the_way_of_state_level_awards_and_of_city_ones_only_where_the_campaign_puts_it() {
        use crate::commendation::awards::Awards;
        use crate::commendation::workflow::Route;
        let (c, awards) = (Campaigns::shipped().expect("campaigns"), Awards::shipped().expect("awards"));
        let mut fin = c.get("tong-ket-2030").expect("final");
        let award = |code: &str| awards.get(code).expect(code).clone();
        assert_eq!(fin.route(&award("giay_khen")), Route::OwnHead, "III.3.3.c: theo thẩm quyền");
        assert_eq!(fin.route(&award("bang_khen_ubnd_tp")), Route::City { council: false }, "III.5.3.b");
        assert_eq!(fin.route(&award("huan_chuong_lao_dong_hang_ba")), Route::State, "III.5.3.a");
        fin.council_for = vec!["bang_khen_ubnd_tp".into()];
        assert_eq!(fin.route(&award("bang_khen_ubnd_tp")), Route::City { council: true });
        assert_eq!(Campaign::from_toml(&fin.to_toml()).expect("reads back").council_for, ["bang_khen_ubnd_tp"]);
    }

    #[test]
    fn a_commune_after_the_reform_proposes_only_under_doets_allocation() {
        // Issue 13 §3: the plan's «không quá 04» is per quận, huyện, thị xã (III.3.3.b); the
        // allocation to the 126 communes that replaced them is DOET's, per campaign.
        let mut c = Campaigns::shipped().expect("campaigns").get("tong-ket-2030").expect("2030");
        let level = "bang_khen_ubnd_tp";
        assert_eq!(c.quota_for(level, ProposerKind::Locality, "P-BADINH", true), QuotaFor::NotAllocated);
        assert!(matches!(c.quota_for(level, ProposerKind::Organisation, "SCT", false), QuotaFor::Cap(q) if q.unit.is_none()));
        assert_eq!(c.quota_for("giay_khen", ProposerKind::Locality, "P-BADINH", true), QuotaFor::NoCap, "no city number for a Giấy khen");
        c.allocate(level, EVERY, Some(Shape::Total { total: 1 }), "Công văn số 1/SGDĐT (dữ liệu thử)");
        c.allocate(level, "P-BADINH", Some(Shape::Total { total: 2 }), "Công văn số 1/SGDĐT (dữ liệu thử)");
        let shape = |u: &str| match c.quota_for(level, ProposerKind::Locality, u, true) {
            QuotaFor::Cap(q) => Some(q.shape),
            _ => None,
        };
        assert_eq!((shape("P-BADINH"), shape("P-HOANKIEM")), (Some(Shape::Total { total: 2 }), Some(Shape::Total { total: 1 })));
        // Stored and read back, then removed.
        let again = Campaign::from_toml(&c.to_toml()).expect("reads back");
        assert_eq!(again.allocations().count(), 2);
        let mut c = again;
        c.allocate(level, "P-BADINH", None, "");
        assert_eq!(c.allocations().count(), 1);
    }

    #[test]
    fn a_quota_without_its_numbers_is_refused() {
        let bad = super::super::CAMPAIGNS_TOML.replace("total = 4\n", "");
        assert!(Campaigns::from_toml(&bad).is_err_and(|e| e.contains("total")));
        let bad =
            super::super::CAMPAIGNS_TOML.replace("levels = [\"giay_khen\"]\ndecided_before", "levels = [\"giay_khen_x\"]\ndecided_before");
        assert!(Campaigns::from_toml(&bad).is_err_and(|e| e.contains("giay_khen_x")));
    }
}
