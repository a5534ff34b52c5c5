//! Award levels (hình thức khen thưởng), who issues each, and the reward as a coefficient of the
//! base salary (mức lương cơ sở) per class of nominee, with effective dates.

use super::Class;
use crate::dates::parse_dmy;
use serde::Deserialize;
use time::Date;

/// Who signs an award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Issuer {
    /// The head of the proposing body itself, within its authority (Law 2022, Art. 80).
    ProposerHead,
    CityChairman,
    PrimeMinister,
    President,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Reward {
    pub subject: Class,
    pub coefficient: f64,
    pub from: String,
    pub verified: bool,
    pub basis: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Award {
    pub code: String,
    pub name: String,
    pub issuer: Issuer,
    pub issuer_label: String,
    pub basis: String,
    pub rank: u8,
    pub rewards: Vec<Reward>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BaseSalary {
    pub from: String,
    pub amount: i64,
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rounding {
    pub step: i64,
    pub basis: String,
    /// Checked against the text for decisions from this day (dd/mm/yyyy); unchecked before it.
    pub verified_from: Option<String>,
}

impl Rounding {
    fn verified_on(&self, on: Date) -> bool {
        self.verified_from.as_deref().and_then(|f| parse_dmy(f).ok()).is_some_and(|f| f <= on)
    }
}

impl Award {
    /// How its dossiers travel; `council` = the campaign puts the council on the City Chairman's
    /// awards (it always is on state-level ones).
    pub fn route(&self, council: bool) -> super::workflow::Route {
        use super::workflow::Route;
        match self.issuer {
            Issuer::ProposerHead => Route::OwnHead,
            Issuer::CityChairman => Route::City { council },
            Issuer::PrimeMinister | Issuer::President => Route::State,
        }
    }
}

/// The award levels and the money rules.
#[derive(Debug, Clone, Deserialize)]
pub struct Awards {
    pub version: u32,
    pub base_salary: Vec<BaseSalary>,
    pub rounding: Rounding,
    #[serde(rename = "award")]
    pub awards: Vec<Award>,
}

/// A reward computed for one nominee on a date, with what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub vnd: i64,
    pub coefficient: f64,
    pub base_salary: i64,
    /// Every figure used was checked against its legal text.
    pub verified: bool,
}

impl Awards {
    pub fn shipped() -> Result<Awards, String> {
        Awards::from_toml(super::AWARDS_TOML)
    }

    pub fn from_toml(text: &str) -> Result<Awards, String> {
        let a: Awards = toml::from_str(text).map_err(|e| e.to_string())?;
        for s in &a.base_salary {
            parse_dmy(&s.from).map_err(|e| format!("mức lương cơ sở từ «{}»: {e}", s.from))?;
        }
        for award in &a.awards {
            for r in &award.rewards {
                parse_dmy(&r.from).map_err(|e| format!("{}: hiệu lực «{}»: {e}", award.code, r.from))?;
                let thousandths = r.coefficient * 1000.0;
                if !(r.coefficient > 0.0 && r.coefficient < 100.0) || (thousandths - thousandths.round()).abs() > 1e-6 {
                    return Err(format!("{}: hệ số {} không hợp lệ", award.code, r.coefficient));
                }
            }
        }
        if let Some(f) = &a.rounding.verified_from {
            parse_dmy(f).map_err(|e| format!("làm tròn: «{f}»: {e}"))?;
        }
        if a.rounding.step <= 0 {
            return Err("bước làm tròn phải dương".into());
        }
        Ok(a)
    }

    pub fn get(&self, code: &str) -> Option<&Award> {
        self.awards.iter().find(|a| a.code == code)
    }

    /// The base salary in force on `on`.
    pub fn base_salary_on(&self, on: Date) -> Option<&BaseSalary> {
        self.base_salary.iter().filter(|s| parse_dmy(&s.from).is_ok_and(|f| f <= on)).max_by_key(|s| parse_dmy(&s.from).ok())
    }

    /// The reward of award `code` for a nominee of `class`, decided on `on`: coefficient × base
    /// salary, rounded up to the step. `None` when the award carries no reward for that class
    /// (e.g. a household cannot receive a Huân chương) or no rule is in force yet.
    pub fn reward(&self, code: &str, class: Class, on: Date) -> Option<Amount> {
        self.reward_under(code, class, on, on)
    }

    /// The reward of a decision on `on` whose coefficient is the one in force on `rules_on` (a
    /// dossier that stays under the former decree, Decree 152/2025 Art. 60(3)); the base salary is
    /// always the one in force on the decision's date (Art. 49(1)).
    pub fn reward_under(&self, code: &str, class: Class, on: Date, rules_on: Date) -> Option<Amount> {
        let award = self.get(code)?;
        let rule = award
            .rewards
            .iter()
            .filter(|r| r.subject == class && parse_dmy(&r.from).is_ok_and(|f| f <= rules_on))
            .max_by_key(|r| parse_dmy(&r.from).ok())?;
        let base = self.base_salary_on(on)?;
        // Coefficients have at most three decimals (checked on reading): work in thousandths to
        // stay exact.
        let thousandths = (rule.coefficient * 1000.0).round() as i64;
        let raw = base.amount * thousandths;
        let step = self.rounding.step * 1000;
        let vnd = (raw + step - 1) / step * self.rounding.step;
        Some(Amount {
            vnd,
            coefficient: rule.coefficient,
            base_salary: base.amount,
            verified: rule.verified && base.verified && self.rounding.verified_on(rules_on),
        })
    }
}

/// Formats an amount of đồng with dots between thousands: 2.340.000 đ.
pub fn format_vnd(vnd: i64) -> String {
    format!("{} đ", crate::text::number(i128::from(vnd)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_dmy(s).expect("date")
    }

    #[test]
    fn the_shipped_award_levels_read_and_name_their_basis() {
        let a = Awards::shipped().expect("awards.toml reads");
        let codes: Vec<&str> = a.awards.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(codes[..3], ["giay_khen", "bang_khen_ubnd_tp", "bang_khen_thu_tuong"]);
        assert_eq!(codes.iter().filter(|c| c.starts_with("huan_chuong_lao_dong")).count(), 3);
        assert!(a.awards.iter().all(|x| !x.basis.is_empty()));
        assert_eq!(a.get("giay_khen").map(|g| g.issuer), Some(Issuer::ProposerHead));
        assert!(a.get("giay_khen").is_some_and(|g| g.basis.contains("Điều 80")));
    }

    #[test]
    fn the_reward_is_the_coefficient_times_the_base_salary_in_force() {
        let a = Awards::shipped().expect("awards");
        // Decree 98/2023 (unchecked), base 2,340,000 đ from 01/07/2024: a collective's Bằng khen
        // decided on 30/06/2025 is 2.0 × = 4,680,000 đ.
        let r = a.reward("bang_khen_ubnd_tp", Class::Collective, d("30/06/2025")).expect("reward");
        assert_eq!(r.vnd, 4_680_000);
        assert!(!r.verified, "Decree 98's coefficients are not checked");
        // Before 01/07/2024 the base salary was 1,800,000 đ: 0.15 × = 270,000 đ.
        assert_eq!(a.reward("giay_khen", Class::Individual, d("01/03/2024")).map(|r| r.vnd), Some(270_000));
    }

    #[test]
    fn from_july_2025_decree_152_sets_the_coefficients_collectives_twice_households_one_and_a_half() {
        // Decree 152/2025 Art. 49–55: the provincial Chairman's Bằng khen 1.5 × for an individual,
        // collectives ×2, households ×1.5 of it; base 2,340,000 đ until 30/6/2026.
        let a = Awards::shipped().expect("awards");
        let on = d("15/08/2025");
        assert_eq!(a.reward("bang_khen_ubnd_tp", Class::Collective, on).map(|r| r.vnd), Some(7_020_000));
        assert_eq!(a.reward("bang_khen_ubnd_tp", Class::Household, on).map(|r| r.vnd), Some(5_270_000), "2.25 × 2,340,000 = 5,265,000 ↑");
        assert_eq!(a.reward("giay_khen", Class::Individual, on).map(|r| r.vnd), Some(710_000), "0.3 × 2,340,000 = 702,000 ↑");
    }

    #[test]
    fn from_july_2026_the_base_salary_is_2_530_000_and_a_citizen_s_bang_khen_is_3_800_000() {
        // legal.md §11.1: 1.5 × 2,530,000 = 3,795,000 → rounded up to 3,800,000 đ (Decree 161/2026).
        let a = Awards::shipped().expect("awards");
        assert_eq!(a.reward("bang_khen_ubnd_tp", Class::Individual, d("30/06/2026")).map(|r| r.vnd), Some(3_510_000));
        assert_eq!(a.reward("bang_khen_ubnd_tp", Class::Individual, d("01/07/2026")).map(|r| r.vnd), Some(3_800_000));
    }

    #[test]
    fn the_prime_minister_s_bang_khen_is_three_and_a_half_base_salaries_from_july_2025() {
        // Decree 152/2025 Art. 54(1)(a): «Bằng khen của Thủ tướng Chính phủ» … 3,5 lần mức lương cơ
        // sở; Art. 54(2)(a) collectives twice; Art. 54(3) households 1.5 times.
        let a = Awards::shipped().expect("awards");
        let on = d("15/08/2025");
        assert_eq!(a.reward("bang_khen_thu_tuong", Class::Individual, on).map(|r| r.vnd), Some(8_190_000), "3.5 × 2,340,000");
        assert_eq!(a.reward("bang_khen_thu_tuong", Class::Collective, on).map(|r| r.vnd), Some(16_380_000));
        assert_eq!(
            a.reward("bang_khen_thu_tuong", Class::Household, on).map(|r| r.vnd),
            Some(12_290_000),
            "5.25 × 2,340,000 = 12,285,000 ↑"
        );
        // 3.5 × 2,530,000 = 8,855,000 → 8,860,000 from 01/7/2026 (Decree 161/2026).
        assert_eq!(a.reward("bang_khen_thu_tuong", Class::Individual, d("01/07/2026")).map(|r| r.vnd), Some(8_860_000));
        assert!(a.reward("bang_khen_thu_tuong", Class::Individual, on).is_some_and(|r| r.verified));
    }

    #[test]
    fn the_labour_orders_follow_decree_152_article_51_from_july_2025() {
        // Art. 51(1)(e),(g),(h): hạng Nhất 9,0, hạng Nhì 7,5, hạng Ba 4,5 lần; Art. 51(2) collectives twice.
        let a = Awards::shipped().expect("awards");
        let on = d("01/07/2026");
        assert_eq!(
            a.reward("huan_chuong_lao_dong_hang_ba", Class::Individual, on).map(|r| r.vnd),
            Some(11_390_000),
            "4.5 × 2,530,000 = 11,385,000 ↑"
        );
        assert_eq!(a.reward("huan_chuong_lao_dong_hang_nhi", Class::Collective, on).map(|r| r.vnd), Some(37_950_000));
        assert!(a.reward("huan_chuong_lao_dong_hang_nhat", Class::Individual, on).is_some_and(|r| r.verified && r.vnd == 22_770_000));
    }

    #[test]
    fn a_giay_khen_under_decree_98_was_fifteen_hundredths_of_the_base_salary() {
        // legal.md §11.1: Giấy khen ×0.3 under Decree 152 «(was ×0.15 under Decree 98)».
        let a = Awards::shipped().expect("awards");
        assert_eq!(a.reward("giay_khen", Class::Individual, d("30/06/2025")).map(|r| r.vnd), Some(360_000), "0.15 × 2,340,000 = 351,000 ↑");
        assert_eq!(a.reward("giay_khen", Class::Household, d("30/06/2025")).map(|r| r.vnd), Some(530_000), "0.225 × 2,340,000 = 526,500 ↑");
    }

    #[test]
    fn a_decision_under_the_former_decree_takes_its_coefficient_and_today_s_base_salary() {
        // Decree 152/2025 Art. 60(3) keeps Decree 98 for a dossier sent before 01/7/2025; Art. 49(1)
        // takes the base salary in force on the decision's date.
        let a = Awards::shipped().expect("awards");
        let r = a.reward_under("bang_khen_thu_tuong", Class::Individual, d("15/08/2025"), d("30/06/2025")).expect("reward");
        assert_eq!((r.coefficient, r.base_salary, r.vnd), (1.5, 2_340_000, 3_510_000));
    }

    #[test]
    fn a_coefficient_with_four_decimals_is_refused() {
        let text = super::super::AWARDS_TOML.replacen("coefficient = 0.15,", "coefficient = 0.1525,", 1);
        assert!(Awards::from_toml(&text).is_err_and(|e| e.contains("0.1525")));
    }

    #[test]
    fn rewards_are_rounded_up_to_ten_thousand_dong() {
        let text = Awards::shipped().map(|_| super::super::AWARDS_TOML.replace("coefficient = 0.3,", "coefficient = 0.33,")).expect("text");
        let a = Awards::from_toml(&text).expect("reads");
        // 0.33 × 2,340,000 = 772,200 → 780,000.
        assert_eq!(a.reward("giay_khen", Class::Individual, d("01/01/2026")).map(|r| r.vnd), Some(780_000));
    }

    #[test]
    fn a_household_receives_no_order() {
        let a = Awards::shipped().expect("awards");
        assert!(a.reward("huan_chuong_lao_dong_hang_ba", Class::Household, d("01/01/2030")).is_none());
        assert!(a.reward("giay_khen", Class::Individual, d("01/01/2020")).is_none(), "no rule in force before 2024");
    }

    #[test]
    fn amounts_print_with_dots_between_thousands() {
        assert_eq!(format_vnd(4_680_000), "4.680.000 đ");
        assert_eq!(format_vnd(0), "0 đ");
    }
}
