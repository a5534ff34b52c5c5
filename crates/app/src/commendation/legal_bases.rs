//! The decree detailing the Law on Emulation and Commendation in force on a date (issue 13
//! §18): shipped in `commendation/bases.toml`, completed by DOHA when one replaces another
//! (Decree 152/2025 lapses on 01/3/2027) — never guessed. Every generated decision cites the
//! merged list's decree in force on its date.

use crate::error::{AppError, AppResult};
use crate::{Actor, App};
use thidua_domain::access::Action;
use thidua_domain::commendation::bases::{self, Decree};
use thidua_domain::dates;
use thidua_domain::limits::{self, Field};

/// A decree as typed on the page.
#[derive(Debug, Clone, Default)]
pub struct DecreeInput {
    pub number: String,
    pub cite: String,
    pub from: String,
    pub until: String,
    pub basis: String,
    pub verified: bool,
}

/// The page: every decree with whether it was shipped or entered, and whether the viewer may add.
#[derive(Debug, Clone)]
pub struct LegalBasesView {
    pub decrees: Vec<(Decree, bool)>,
    pub may_enter: bool,
    /// The last day covered: decisions dated after it say their basis is missing.
    pub covered_until: Option<time::Date>,
}

impl App {
    /// The shipped decrees merged with those DOHA recorded.
    pub async fn decrees(&self) -> AppResult<Vec<Decree>> {
        bases::merge(super::decrees()?, &self.store.entered_decrees().await?).map_err(AppError::Invalid)
    }

    pub async fn legal_bases(&self, actor: &Actor) -> AppResult<LegalBasesView> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let entered = self.store.entered_decrees().await?;
        let merged = bases::merge(super::decrees()?, &entered).map_err(AppError::Invalid)?;
        let decrees: Vec<(Decree, bool)> = merged
            .into_iter()
            .map(|d| {
                let was_entered = entered.iter().any(|e| e.number == d.number);
                (d, was_entered)
            })
            .collect();
        let covered_until = decrees.last().and_then(|(d, _)| d.until);
        Ok(LegalBasesView { may_enter: self.shows(actor, &snap, Action::ManageLegalBases, root), decrees, covered_until })
    }

    /// DOHA records a decree (or a new end of a recorded one); refused when two would be in force
    /// on one day.
    pub async fn enter_decree(&self, actor: &Actor, input: &DecreeInput) -> AppResult<()> {
        let root = self.snapshot().await?.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageLegalBases, root).await?;
        let text = |field, label: &str, s: &str| limits::checked(field, label, s).map_err(|e| AppError::Invalid(e.to_string()));
        let date = |label: &str, s: &str| {
            dates::parse_dmy(s.trim()).map_err(|_| AppError::Invalid(format!("«{label}»: «{}» không phải ngày dd/mm/yyyy.", s.trim())))
        };
        let d = Decree {
            number: text(Field::Short, "Số hiệu", &input.number)?,
            cite: text(Field::Name, "Cách dẫn ở phần «Căn cứ»", &input.cite)?,
            from: date("Có hiệu lực từ ngày", &input.from)?,
            until: if input.until.trim().is_empty() { None } else { Some(date("Hết hiệu lực sau ngày", &input.until)?) },
            basis: text(Field::Name, "Căn cứ của ngày hiệu lực", &input.basis)?,
            verified: input.verified,
        };
        let mut entered = self.store.entered_decrees().await?;
        entered.retain(|e| e.number != d.number);
        entered.push(d.clone());
        bases::merge(super::decrees()?, &entered).map_err(AppError::Invalid)?;
        let audit = self.draft(
            actor,
            &via,
            "legal_basis.enter",
            "legal_basis",
            &d.number,
            Some(root),
            None,
            Some(serde_json::json!({"number": d.number, "cite": d.cite, "from": dates::to_iso(d.from), "until": d.until.map(dates::to_iso), "basis": d.basis, "verified": d.verified})),
        );
        Ok(self.store.save_decree(&d, &actor.username, self.now_ms(), audit).await?)
    }
}
