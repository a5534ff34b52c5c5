//! Decrees DOHA recorded when one replaces another (issue 13 §18); the shipped ones stay in
//! `commendation/bases.toml`.

use crate::db::{SqlStore, V, err, get_i64, get_opt_str, get_str, q};
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, StoreResult};
use thidua_domain::commendation::bases::Decree;
use thidua_domain::dates;

#[async_trait::async_trait]
impl thidua_app::ports::LegalBasisStore for SqlStore {
    async fn entered_decrees(&self) -> StoreResult<Vec<Decree>> {
        let corrupt = |what: &str, v: &str| StorageError::Corrupt(format!("legal_bases {what} «{v}»"));
        self.fetch("SELECT number, cite, from_date, until_date, basis, verified FROM legal_bases ORDER BY from_date", vec![])
            .await?
            .iter()
            .map(|r| {
                let from = get_str(r, "from_date")?;
                let until = get_opt_str(r, "until_date")?;
                Ok(Decree {
                    number: get_str(r, "number")?,
                    cite: get_str(r, "cite")?,
                    from: dates::from_iso(&from).ok_or_else(|| corrupt("from_date", &from))?,
                    until: until.as_deref().map(|u| dates::from_iso(u).ok_or_else(|| corrupt("until_date", u))).transpose()?,
                    basis: get_str(r, "basis")?,
                    verified: get_i64(r, "verified")? != 0,
                })
            })
            .collect()
    }

    async fn save_decree(&self, d: &Decree, by: &str, at_ms: i64, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        q(
            "INSERT INTO legal_bases (number, cite, from_date, until_date, basis, verified, entered_by, entered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (number) DO UPDATE SET cite = excluded.cite, from_date = excluded.from_date, until_date = excluded.until_date, \
             basis = excluded.basis, verified = excluded.verified, entered_by = excluded.entered_by, entered_at = excluded.entered_at",
            vec![
                V::text(d.number.clone()),
                V::text(d.cite.clone()),
                V::text(dates::to_iso(d.from)),
                V::opt_text(d.until.map(dates::to_iso)),
                V::text(d.basis.clone()),
                V::int(i64::from(d.verified)),
                V::text(by.to_string()),
                V::int(at_ms),
            ],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        tx.commit(audit).await?;
        Ok(())
    }
}
