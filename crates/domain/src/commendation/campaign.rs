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
    pub shape: Shape,
    pub basis: String,
}

impl TryFrom<RawQuota> for Quota {
    type Error = String;
    fn try_from(r: RawQuota) -> Result<Quota, String> {
        let shape = match (r.shape.as_str(), r.collectives, r.individuals, r.total) {
            ("separate", Some(collectives), Some(individuals), None) => Shape::Separate { collectives, individuals },
            ("total", None, None, Some(total)) => Shape::Total { total },
            _ => return Err(format!("chỉ tiêu {}: shape = \"separate\" cần collectives và individuals; \"total\" cần total", r.level)),
        };
        Ok(Quota { level: r.level, proposer: r.proposer, shape, basis: r.basis })
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
            shape: shape.into(),
            collectives,
            individuals,
            total,
            basis: q.basis.clone(),
        }
    }
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
    unit_deadline: String,
    doet_deadline: String,
    #[serde(default)]
    decision_working_days_before_conference: Option<u32>,
    #[serde(default)]
    bodies_review_before: Option<String>,
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
    /// Proposers' dossiers reach DOET before this day.
    pub unit_due_before: Date,
    /// DOET's consolidated dossier reaches DOHA before this day.
    pub doet_due_before: Date,
    /// The Chairman decides this many working days before the conference.
    pub decision_working_days_before_conference: Option<u32>,
    pub conference: Option<Date>,
    pub bodies_review_before: Option<Date>,
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
        unit_due_before: date_in(&r.unit_deadline, year)?,
        doet_due_before: date_in(&r.doet_deadline, year)?,
        decision_working_days_before_conference: r.decision_working_days_before_conference,
        conference: r.conference.as_deref().map(|s| date_in(s, year)).transpose()?,
        bodies_review_before: r.bodies_review_before.as_deref().map(|s| date_in(s, year)).transpose()?,
        council_for: r.council_for.clone(),
        quotas: r.quotas.iter().cloned().map(Quota::try_from).collect::<Result<_, _>>()?,
    };
    if c.doet_due_before < c.unit_due_before {
        return Err(format!("{}: hạn Sở GD&ĐT gửi Sở Nội vụ phải sau hạn các đơn vị gửi Sở GD&ĐT", c.code));
    }
    Ok(c)
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
    /// The quota for proposals of `level` by a proposer of `kind`; `None` = no cap in the plan.
    pub fn quota(&self, level: &str, kind: ProposerKind) -> Option<&Quota> {
        self.quotas.iter().find(|q| q.level == level && q.proposer == kind)
    }

    /// How the dossiers of `award` travel in this campaign.
    pub fn route(&self, award: &super::awards::Award) -> super::workflow::Route {
        award.route(self.council_for.contains(&award.code))
    }

    /// The last day the Chairman's decision may be signed: `n` working days before the
    /// conference (seed III.5.3.b).
    pub fn decision_due(&self, calendar: &Calendar) -> Option<Date> {
        Some(calendar.working_days_before(self.conference?, self.decision_working_days_before_conference?))
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
            unit_deadline: crate::dates::format_dmy(self.unit_due_before),
            doet_deadline: crate::dates::format_dmy(self.doet_due_before),
            decision_working_days_before_conference: self.decision_working_days_before_conference,
            bodies_review_before: self.bodies_review_before.map(crate::dates::format_dmy),
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

    #[test]
    fn the_plan_ships_its_three_campaigns_with_their_deadlines() {
        let c = Campaigns::shipped().expect("campaigns.toml reads");
        let mid = c.get("so-ket-2025").expect("mid-term");
        assert_eq!((mid.unit_due_before, mid.doet_due_before), (d("15/06/2025"), d("15/07/2025")));
        assert_eq!(mid.phase, 1);
        let fin = c.get("tong-ket-2030").expect("final");
        assert_eq!((fin.unit_due_before, fin.doet_due_before), (d("15/06/2030"), d("15/07/2030")));
        assert!(fin.levels.iter().any(|l| l == "huan_chuong_lao_dong_hang_nhat"));
        let y = c.get("hang-nam-2027").expect("yearly");
        assert_eq!((y.unit_due_before, y.doet_due_before), (d("15/07/2027"), d("01/08/2027")));
        assert_eq!((y.year, y.phase, y.kind), (2027, 2, CampaignKind::Yearly));
        assert!(y.quotas.is_empty(), "the plan sets no city quota for the yearly round");
        assert!(c.get("hang-nam-2040").is_none(), "the plan runs 2023–2030");
        assert_eq!(c.all().len(), 7 + 2, "yearly 2024–2030 and the two reviews");
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
    fn a_submission_on_the_deadline_day_is_late_unless_extended() {
        let due = d("15/07/2026");
        assert!(Campaign::on_time(d("14/07/2026"), due, None));
        assert!(!Campaign::on_time(d("15/07/2026"), due, None), "«trước ngày 15/7»");
        assert!(Campaign::on_time(d("20/07/2026"), due, Some(d("22/07/2026"))));
    }

    #[test]
    fn the_chairman_decides_thirty_working_days_before_the_conference() {
        let c = Campaigns::shipped().expect("campaigns");
        let mut fin = c.get("tong-ket-2030").expect("final");
        let cal = Calendar::shipped().expect("calendar");
        assert_eq!(fin.decision_due(&cal), None, "no conference date yet");
        // A conference on Friday 27/09/2030: back over 02/9 (Monday) and its adjacent day (none
        // decided yet), 30 working days is Thursday 15/08/2030.
        fin.conference = Some(d("27/09/2030"));
        let due = fin.decision_due(&cal).expect("due");
        assert_eq!(cal.working_days_between(due, d("27/09/2030")), 30);
        assert_eq!(due, d("15/08/2030"));
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
    fn a_quota_without_its_numbers_is_refused() {
        let bad = super::super::CAMPAIGNS_TOML.replace("total = 4\n", "");
        assert!(Campaigns::from_toml(&bad).is_err_and(|e| e.contains("total")));
    }
}
