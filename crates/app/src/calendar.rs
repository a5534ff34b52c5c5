//! The working-day calendar as the application uses it: the shipped year tables, each replaced
//! by the one an administrator stored for that year.

use crate::error::{AppError, AppResult};
use crate::ports::{AuditDraft, CalendarTableRecord};
use crate::{Actor, App};
use std::collections::BTreeMap;
use thidua_domain::access::Action;
use thidua_domain::calendar::{Calendar, YearTable};

/// A year's table and where it comes from.
#[derive(Debug, Clone)]
pub struct YearTableView {
    pub table: YearTable,
    /// The stored row, when an administrator edited the year.
    pub stored: Option<CalendarTableRecord>,
    /// Shipped with the application (`calendar/YYYY.toml`).
    pub shipped: bool,
}

impl App {
    /// Every year that has a table, shipped or stored (the stored one wins).
    pub async fn calendar_tables(&self) -> AppResult<BTreeMap<i32, YearTableView>> {
        let mut out: BTreeMap<i32, YearTableView> = Calendar::shipped_tables()
            .map_err(AppError::Invalid)?
            .into_iter()
            .map(|(y, table)| (y, YearTableView { table, stored: None, shipped: true }))
            .collect();
        for rec in self.store.calendar_tables().await? {
            let table = YearTable::from_toml(&rec.body).map_err(|e| AppError::Invalid(format!("lịch năm {}: {e}", rec.year)))?;
            let year = table.year;
            let shipped = out.contains_key(&year);
            out.insert(year, YearTableView { table, stored: Some(rec), shipped });
        }
        Ok(out)
    }

    /// The calendar in force: computed holidays, the shipped tables and the administrator's edits.
    pub async fn calendar(&self) -> AppResult<Calendar> {
        let tables: Vec<YearTable> = self.calendar_tables().await?.into_values().map(|v| v.table).collect();
        Calendar::from_tables(&tables).map_err(AppError::Invalid)
    }

    /// Stores an administrator's table for a year. `expected` is the stored version the form was
    /// built from (`None` when the year had no stored table): a concurrent edit is refused.
    pub async fn save_calendar_table(&self, actor: &Actor, table: YearTable, expected: Option<i64>) -> AppResult<i64> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCalendar, root).await?;
        if !thidua_domain::calendar::YEARS.contains(&table.year) {
            return Err(AppError::Invalid(format!("năm {} nằm ngoài khoảng lịch hỗ trợ (2000–2060)", table.year)));
        }
        // The whole calendar must still build with the new table.
        let mut tables: BTreeMap<i32, YearTable> = self.calendar_tables().await?.into_iter().map(|(y, v)| (y, v.table)).collect();
        let old = tables.insert(table.year, table.clone());
        Calendar::from_tables(&tables.into_values().collect::<Vec<_>>()).map_err(AppError::Invalid)?;
        let audit = AuditDraft {
            actor: actor.username.clone(),
            on_behalf_of: via.via().map(str::to_string),
            proof: via.clone(),
            action: "calendar.save".into(),
            entity: "calendar_year".into(),
            entity_id: table.year.to_string(),
            unit_id: Some(root),
            old: match old {
                Some(t) => crate::error::payload(&t)?,
                None => None,
            },
            new: crate::error::payload(&table)?,
            at_ms: self.now_ms(),
        };
        Ok(self.store.save_calendar_table(i64::from(table.year), &table.to_toml(), expected, audit).await?)
    }
}
