//! Facts about units that decide which indicators apply: an education unit's type from a data
//! year on, and the years in which a commune is in a difficult area (issue 13 §13, §14).

use crate::db::{Binds, SqlStore, V, err, get_i64, get_opt_i64, get_str, q};
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, DifficultAreaRow, MemberRow, Page, PageRequest, PeopleWhom, StoreResult};
use thidua_domain::institutions::{Institution, InstitutionType, Ownership};

/// A COUNT(*) as the unsigned figure it is.
fn counted(n: i64) -> StoreResult<u64> {
    u64::try_from(n).map_err(|_| StorageError::Corrupt(format!("negative count {n}")))
}

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

    async fn unit_members(&self, unit_id: i64, page: PageRequest) -> StoreResult<Page<MemberRow>> {
        let mut b = Binds::new();
        let u = b.bind(V::int(unit_id));
        self.paged(
            (
                "p.id, p.code, p.full_name, p.birth_year, m.relation",
                &format!("FROM unit_members m JOIN people p ON p.id = m.person_id WHERE m.unit_id = {u} AND p.active = 1"),
                "m.relation DESC, p.sort_key, p.id",
            ),
            b,
            page,
            |r| {
                Ok(MemberRow {
                    person_id: get_i64(r, "id")?,
                    code: get_str(r, "code")?,
                    full_name: get_str(r, "full_name")?,
                    birth_year: get_opt_i64(r, "birth_year")?,
                    relation: get_str(r, "relation")?,
                })
            },
        )
        .await
    }

    async fn unit_member_counts(&self, unit_id: i64) -> StoreResult<(i64, i64)> {
        let count = |relation: &'static str| {
            self.count(
                "SELECT COUNT(*) FROM unit_members m JOIN people p ON p.id = m.person_id WHERE m.unit_id = $1 AND m.relation = $2 AND p.active = 1",
                vec![V::int(unit_id), V::text(relation.to_string())],
            )
        };
        Ok((count("member").await?, count("learner").await?))
    }

    async fn add_unit_members(
        &self,
        unit_id: i64,
        rows: &[(i64, &'static str)],
        by: &str,
        at_ms: i64,
        audit: AuditDraft,
    ) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        for (person, relation) in rows {
            q(
                "INSERT INTO unit_members (unit_id, person_id, relation, added_by, added_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (unit_id, person_id) DO UPDATE SET relation = excluded.relation, added_by = excluded.added_by, \
                 added_at = excluded.added_at",
                vec![V::int(unit_id), V::int(*person), V::text(relation.to_string()), V::text(by.to_string()), V::int(at_ms)],
            )
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        }
        tx.commit(audit).await?;
        Ok(rows.len())
    }

    async fn remove_unit_member(&self, unit_id: i64, person_id: i64, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let r = q("DELETE FROM unit_members WHERE unit_id = $1 AND person_id = $2", vec![V::int(unit_id), V::int(person_id)])
            .execute(&mut **tx)
            .await
            .map_err(err)?;
        if r.rows_affected() == 0 {
            return Err(StorageError::Stale);
        }
        tx.commit(audit).await?;
        Ok(())
    }

    async fn people_title_share(&self, title: &str, from_year: i64, to_year: i64, whom: &PeopleWhom) -> StoreResult<(u64, u64)> {
        // The people counted, as a FROM … WHERE over `p` with its binds.
        let (mut numerator, mut denominator) = (0u64, 0u64);
        let chunks: Vec<(String, Binds)> = match whom {
            PeopleWhom::Residents(units) => units
                .chunks(500)
                .map(|chunk| {
                    let mut b = Binds::new();
                    let list: Vec<String> = chunk.iter().map(|u| b.bind(V::int(*u))).collect();
                    (format!("FROM people p WHERE p.active = 1 AND p.unit_id IN ({})", list.join(", ")), b)
                })
                .collect(),
            PeopleWhom::Members { unit_id, relation } => {
                let mut b = Binds::new();
                let (u, r) = (b.bind(V::int(*unit_id)), b.bind(V::text(relation.to_string())));
                vec![(
                    format!(
                        "FROM unit_members m JOIN people p ON p.id = m.person_id WHERE m.unit_id = {u} AND m.relation = {r} AND p.active = 1"
                    ),
                    b,
                )]
            }
        };
        for (from, b) in chunks {
            denominator += counted(self.count(&format!("SELECT COUNT(*) {from}"), b.clone().into_values()).await?)?;
            let mut b = b;
            let (t, f, to) = (b.bind(V::text(title.to_string())), b.bind(V::int(from_year)), b.bind(V::int(to_year)));
            let sql = format!(
                "SELECT COUNT(*) {from} AND EXISTS (SELECT 1 FROM assessments a WHERE a.title = {t} AND a.subject_id = p.id \
                 AND a.year >= {f} AND a.year <= {to} AND a.decision_id IS NOT NULL)"
            );
            numerator += counted(self.count(&sql, b.into_values()).await?)?;
        }
        Ok((numerator, denominator))
    }

    async fn units_holding(&self, title: &str, min_level: i64, from_year: i64, to_year: i64, subjects: &[i64]) -> StoreResult<u64> {
        let mut n = 0u64;
        for chunk in subjects.chunks(500) {
            let mut b = Binds::new();
            let (t, l, f, to) =
                (b.bind(V::text(title.to_string())), b.bind(V::int(min_level)), b.bind(V::int(from_year)), b.bind(V::int(to_year)));
            let list: Vec<String> = chunk.iter().map(|u| b.bind(V::int(*u))).collect();
            let sql = format!(
                "SELECT COUNT(DISTINCT a.subject_id) FROM assessments a WHERE a.title = {t} AND a.level >= {l} AND a.year >= {f} \
                 AND a.year <= {to} AND a.decision_id IS NOT NULL AND a.subject_id IN ({})",
                list.join(", ")
            );
            n += counted(self.count(&sql, b.into_values()).await?)?;
        }
        Ok(n)
    }
}
