//! Facts about units that decide which indicators apply: an education unit's type from a data
//! year on, and the years in which a commune is in a difficult area (issue 13 §13, §14).

use crate::db::{SqlStore, V, err, get_i64, get_str, q};
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, DifficultAreaRow, StoreResult};
use thidua_domain::institutions::{Institution, InstitutionType, Ownership};

#[async_trait::async_trait]
impl thidua_app::ports::UnitFactsStore for SqlStore {
    async fn institution_types(&self) -> StoreResult<Vec<(i64, InstitutionType)>> {
        self.fetch("SELECT unit_id, from_year, institution, ownership, basis FROM institution_types ORDER BY unit_id, from_year", vec![])
            .await?
            .iter()
            .map(|r| {
                let (institution, ownership) = (get_str(r, "institution")?, get_str(r, "ownership")?);
                let corrupt = |what: &str, code: &str| StorageError::Corrupt(format!("unknown {what} {code}"));
                Ok((
                    get_i64(r, "unit_id")?,
                    InstitutionType {
                        from_year: i32::try_from(get_i64(r, "from_year")?).map_err(|_| corrupt("year", "out of range"))?,
                        institution: Institution::parse(&institution).ok_or_else(|| corrupt("institution", &institution))?,
                        ownership: Ownership::parse(&ownership).ok_or_else(|| corrupt("ownership", &ownership))?,
                        basis: get_str(r, "basis")?,
                    },
                ))
            })
            .collect()
    }

    async fn record_institution_type(&self, unit_id: i64, t: &InstitutionType, by: &str, at_ms: i64, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        q(
            "INSERT INTO institution_types (unit_id, from_year, institution, ownership, basis, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (unit_id, from_year) DO UPDATE SET institution = excluded.institution, ownership = excluded.ownership, \
             basis = excluded.basis, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
            vec![
                V::int(unit_id),
                V::int(i64::from(t.from_year)),
                V::text(t.institution.code().to_string()),
                V::text(t.ownership.code().to_string()),
                V::text(t.basis.clone()),
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

    async fn difficult_areas(&self) -> StoreResult<Vec<DifficultAreaRow>> {
        self.fetch("SELECT unit_id, year, basis, recorded_by, recorded_at FROM difficult_areas ORDER BY unit_id, year", vec![])
            .await?
            .iter()
            .map(|r| {
                Ok(DifficultAreaRow {
                    unit_id: get_i64(r, "unit_id")?,
                    year: get_i64(r, "year")?,
                    basis: get_str(r, "basis")?,
                    recorded_by: get_str(r, "recorded_by")?,
                    recorded_at_ms: get_i64(r, "recorded_at")?,
                })
            })
            .collect()
    }

    async fn set_difficult_area(
        &self,
        unit_id: i64,
        year: i64,
        basis: Option<&str>,
        by: &str,
        at_ms: i64,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let (sql, values) = match basis {
            Some(basis) => (
                "INSERT INTO difficult_areas (unit_id, year, basis, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (unit_id, year) DO UPDATE SET basis = excluded.basis, recorded_by = excluded.recorded_by, \
                 recorded_at = excluded.recorded_at",
                vec![V::int(unit_id), V::int(year), V::text(basis.to_string()), V::text(by.to_string()), V::int(at_ms)],
            ),
            None => ("DELETE FROM difficult_areas WHERE unit_id = $1 AND year = $2", vec![V::int(unit_id), V::int(year)]),
        };
        q(sql, values).execute(&mut **tx).await.map_err(err)?;
        tx.commit(audit).await?;
        Ok(())
    }
}
