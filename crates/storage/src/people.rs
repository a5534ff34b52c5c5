//! Households and people. Every list joins the unit (`u`) so that the scope filter applies to
//! the unit the record is attached to.

use crate::db::Table;
use crate::db::{self, SqlStore, V, err, get_i64, get_opt_i64, get_opt_str, get_str, q};
use crate::keyset::{Keyed, Kind, Total};
use crate::search;
use sqlx::Row;
use sqlx::any::AnyRow;
use thidua_app::error::StorageError;
use thidua_app::ports::*;
use thidua_domain::registry::Gender;
use thidua_domain::text;

const HH_COLUMNS: &str =
    "h.id, h.code, h.unit_id, h.head_name, h.head_birth_year, h.head_gender, h.address, h.member_count, h.active, h.version";
const P_COLUMNS: &str = "p.id, p.code, p.full_name, p.birth_year, p.gender, p.unit_id, p.household_id, p.position, p.active, p.version";

fn household(r: &AnyRow) -> StoreResult<HouseholdRecord> {
    Ok(HouseholdRecord {
        id: get_i64(r, "id")?,
        code: get_str(r, "code")?,
        unit_id: get_i64(r, "unit_id")?,
        head_name: get_str(r, "head_name")?,
        head_birth_year: get_opt_i64(r, "head_birth_year")?,
        head_gender: db::get_opt_code(r, "head_gender", Gender::from_code)?,
        address: get_opt_str(r, "address")?,
        member_count: get_opt_i64(r, "member_count")?,
        active: get_i64(r, "active")? != 0,
        version: get_i64(r, "version")?,
    })
}

fn person(r: &AnyRow) -> StoreResult<PersonRecord> {
    Ok(PersonRecord {
        id: get_i64(r, "id")?,
        code: get_str(r, "code")?,
        full_name: get_str(r, "full_name")?,
        birth_year: get_opt_i64(r, "birth_year")?,
        gender: db::get_opt_code(r, "gender", Gender::from_code)?,
        unit_id: get_i64(r, "unit_id")?,
        household_id: get_opt_i64(r, "household_id")?,
        position: get_opt_str(r, "position")?,
        active: get_i64(r, "active")? != 0,
        version: get_i64(r, "version")?,
    })
}

/// Rows of a scope up to which a list reads the rows of the scope's units (by `unit_id`) and
/// sorts them; beyond, it walks its sort index and keeps the rows in scope. A ward's 48,000
/// citizens sort in 16 ms; walked in the city's name order to its 10,000th, 3.7 s (SQLite,
/// Hanoi scale): the engine cannot know which, so the kept counts say.
const DRIVE_BY_UNITS: i64 = 200_000;

/// A sort no index follows (a household's village or head's name, a citizen's birth year) sorts every row
/// in scope: refused over more than [`DRIVE_BY_UNITS`] rows (the city's 6 M citizens by birth
/// year: 6.9 s), with the way to a list it can sort.
fn whole_sort(in_scope: i64, by: &str, rows: &str) -> StoreResult<()> {
    if in_scope <= DRIVE_BY_UNITS {
        return Ok(());
    }
    Err(StorageError::Invalid(format!(
        "sắp xếp theo {by} chỉ dùng cho danh sách đến {} {rows}: hãy chọn phường, xã hoặc thôn, tổ dân phố trước, hoặc sắp xếp theo tên, mã",
        text::number(i128::from(DRIVE_BY_UNITS))
    )))
}

/// The units a list shows: the scope, narrowed to the subtree of `unit` when one is asked for,
/// as a condition on the unit column `col` of the listed (or counted) rows.
fn in_units(scope: &Scope, unit: Option<i64>, col: &str, b: &mut db::Binds) -> Vec<String> {
    let mut wh = Vec::new();
    if *scope != Scope::All {
        wh.push(format!("{col} IN (SELECT w.id FROM units w WHERE {})", db::scope_clause(scope, "w", b)));
    }
    if let Some(unit) = unit {
        let n = b.bind(V::int(unit));
        wh.push(format!("{col} IN (SELECT w.id FROM units w WHERE w.path LIKE (SELECT x.path FROM units x WHERE x.id = {n}) || '%')"));
    }
    wh
}

/// Where a registry list reads its rows. Conditions that pick few rows by an index (a small
/// scope's units, the ids a name search found) go `inner`: the rows are read by them inside a
/// subquery neither engine flattens (`OFFSET 0`) and then sorted whole. Left to themselves the
/// planners walk the list's sort index and test each row, believing the rows spread evenly
/// through it: PostgreSQL read the city's code index for a ward's last page (0.8 s) and the
/// city's name index for 1,256 citizens named «Trần Thị Lan» (9 s). Conditions over many rows
/// go `outer`, so that the walk in the list's order stops after a page.
pub(crate) struct Listed {
    table: Table,
    alias: &'static str,
    pub(crate) inner: Vec<String>,
    pub(crate) outer: Vec<String>,
    pub(crate) binds: db::Binds,
    /// Rows in scope, active or not, from the kept counts.
    pub(crate) in_scope: i64,
}

impl Listed {
    /// `FROM … WHERE …` of the list, its unit joined as `u`.
    fn from(&self, backend: db::Backend) -> String {
        let (table, alias) = (self.table, self.alias);
        let source = if self.inner.is_empty() {
            format!("{table} {alias}")
        } else {
            let fence = match backend {
                db::Backend::Sqlite => "LIMIT -1 OFFSET 0",
                db::Backend::Postgres => "OFFSET 0",
            };
            format!("(SELECT * FROM {table} WHERE {} {fence}) {alias}", self.inner.join(" AND "))
        };
        let outer = if self.outer.is_empty() { "1 = 1".to_string() } else { self.outer.join(" AND ") };
        format!("FROM {source} JOIN units u ON u.id = {alias}.unit_id WHERE {outer}")
    }
}

impl SqlStore {
    /// A registry list's rows in scope: a scope of at most [`DRIVE_BY_UNITS`] rows (by the kept
    /// counts) is read by its units, a larger one walked and tested by its units' paths.
    async fn scoped(&self, scope: &Scope, unit: Option<i64>, (table, alias): (Table, &'static str), kept: &str) -> StoreResult<Listed> {
        let mut b = db::Binds::new();
        let wh = in_units(scope, unit, "c.unit_id", &mut b);
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(c.{kept}), 0) AS BIGINT) FROM unit_counts c WHERE {}",
            if wh.is_empty() { "1 = 1".to_string() } else { wh.join(" AND ") }
        );
        let in_scope = self.count(&sql, b.into_values()).await?;
        let mut binds = db::Binds::new();
        let (inner, outer) = if in_scope <= DRIVE_BY_UNITS {
            (in_units(scope, unit, "unit_id", &mut binds), vec![])
        } else {
            let mut wh = vec![db::scope_clause(scope, "u", &mut binds)];
            if let Some(unit) = unit {
                wh.push(format!("u.path LIKE (SELECT s.path FROM units s WHERE s.id = {}) || '%'", binds.bind(V::int(unit))));
            }
            (vec![], wh)
        };
        Ok(Listed { table, alias, inner, outer, binds, in_scope })
    }
}

impl SqlStore {
    /// Replaces version `expected` of a person inside a write, keeping the unit counts and the
    /// name-twin index in step.
    pub(crate) async fn update_person_in(
        &self,
        tx: &mut crate::audit::Write,
        (id, expected): (i64, i64),
        p: &PersonInput,
        at_ms: i64,
    ) -> StoreResult<()> {
        let old_unit = crate::assessments::unit_of(tx, Table::People, id).await?;
        let old_key = crate::twins::twin_key(tx, Table::People, id).await?;
        let mut values = Self::person_values(p);
        values.extend([V::int(at_ms), V::int(id), V::int(expected)]);
        crate::db::update_versioned(
            tx,
            "UPDATE people SET code = $1, full_name = $2, name_folded = $3, sort_key = $4, birth_year = $5, gender = $6, \
             unit_id = $7, household_id = $8, position = $9, updated_at = $10, version = version + 1 WHERE id = $11 AND version = $12",
            values,
        )
        .await?;
        crate::assessments::refresh_counts(tx, self.backend, &[Some(p.unit_id), old_unit].into_iter().flatten().collect()).await?;
        let key = crate::twins::twin_key(tx, Table::People, id).await?;
        crate::twins::refresh_twin_keys(tx, self.backend, Table::People, &[old_key, key]).await
    }

    fn person_values(p: &PersonInput) -> Vec<V> {
        vec![
            V::text(p.code.clone()),
            V::text(p.full_name.clone()),
            V::text(text::fold(&p.full_name)),
            V::text(text::name_sort_key(&p.full_name)),
            V::opt_int(p.birth_year),
            V::opt_text(p.gender.map(|g| g.code())),
            V::int(p.unit_id),
            V::opt_int(p.household_id),
            V::opt_text(p.position.clone()),
        ]
    }
}

#[async_trait::async_trait]
impl thidua_app::ports::PeopleStore for SqlStore {
    async fn set_household_active(&self, id: i64, v: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_active_db(Table::Households, id, v, active, audit, false).await
    }
    async fn set_person_active(&self, id: i64, v: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_active_db(Table::People, id, v, active, audit, false).await
    }
    async fn households(
        &self,
        scope: &Scope,
        unit: Option<i64>,
        query: Option<&str>,
        sort: HouseholdSort,
        page: PageRequest,
    ) -> StoreResult<Page<HouseholdRecord>> {
        let mut list = self.scoped(scope, unit, (Table::Households, "h"), "households_all").await?;
        let in_scope = list.in_scope;
        let mut total = Total::Known(in_scope);
        if let Some(q) = query {
            let matches = self.search(&search::HOUSEHOLDS, q, &mut list).await?;
            total = search::total(matches, *scope == Scope::All && unit.is_none());
        }
        match sort {
            HouseholdSort::Unit => whole_sort(in_scope, "tên thôn, tổ dân phố", "hộ")?,
            HouseholdSort::HeadName => whole_sort(in_scope, "tên chủ hộ", "hộ")?,
            HouseholdSort::Code => {}
        }
        let from = list.from(self.backend);
        let keys: &[(&str, Kind)] = match sort {
            HouseholdSort::Code => &[("h.code", Kind::Text), ("h.id", Kind::Int)],
            HouseholdSort::HeadName => &[("h.head_sort_key", Kind::Text), ("h.id", Kind::Int)],
            HouseholdSort::Unit => &[("u.name_folded", Kind::Text), ("h.code", Kind::Text), ("h.id", Kind::Int)],
        };
        self.keyset(Keyed { select: HH_COLUMNS, from: &from, keys }, list.binds, total, page, household).await
    }
    async fn household(&self, id: i64) -> StoreResult<Option<HouseholdRecord>> {
        let sql = format!("SELECT {HH_COLUMNS} FROM households h WHERE h.id = $1");
        self.fetch_opt(&sql, vec![V::int(id)]).await?.as_ref().map(household).transpose()
    }
    async fn create_household(&self, h: &HouseholdInput, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let row = q(
            "INSERT INTO households (code, unit_id, head_name, head_folded, head_sort_key, address, member_count, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $8, $5, $6, $7, $7) RETURNING id",
            vec![
                V::text(h.code.clone()),
                V::int(h.unit_id),
                V::text(h.head_name.clone()),
                V::text(text::fold(&h.head_name)),
                V::opt_text(h.address.clone()),
                V::opt_int(h.member_count),
                V::int(audit_draft.at_ms),
                V::text(text::name_sort_key(&h.head_name)),
            ],
        )
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        crate::assessments::refresh_counts(&mut tx, self.backend, &[h.unit_id].into()).await?;
        let key = crate::twins::twin_key(&mut tx, Table::Households, id).await?;
        crate::twins::refresh_twin_keys(&mut tx, self.backend, Table::Households, &[key]).await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..audit_draft }).await?;
        Ok(id)
    }
    async fn update_household(&self, id: i64, expected: i64, h: &HouseholdInput, audit_draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let old_unit = crate::assessments::unit_of(&mut tx, Table::Households, id).await?;
        let old_key = crate::twins::twin_key(&mut tx, Table::Households, id).await?;
        crate::db::update_versioned(
            &mut tx,
            "UPDATE households SET code = $1, unit_id = $2, head_name = $3, head_folded = $4, address = $5, member_count = $6, \
             updated_at = $7, version = version + 1, head_sort_key = $10 WHERE id = $8 AND version = $9",
            vec![
                V::text(h.code.clone()),
                V::int(h.unit_id),
                V::text(h.head_name.clone()),
                V::text(text::fold(&h.head_name)),
                V::opt_text(h.address.clone()),
                V::opt_int(h.member_count),
                V::int(audit_draft.at_ms),
                V::int(id),
                V::int(expected),
                V::text(text::name_sort_key(&h.head_name)),
            ],
        )
        .await?;
        crate::assessments::refresh_counts(&mut tx, self.backend, &[Some(h.unit_id), old_unit].into_iter().flatten().collect()).await?;
        let key = crate::twins::twin_key(&mut tx, Table::Households, id).await?;
        crate::twins::refresh_twin_keys(&mut tx, self.backend, Table::Households, &[old_key, key]).await?;
        tx.commit(audit_draft).await.map(|_| ())
    }
    async fn people(
        &self,
        scope: &Scope,
        unit: Option<i64>,
        household: Option<i64>,
        query: Option<&str>,
        sort: PersonSort,
        page: PageRequest,
    ) -> StoreResult<Page<PersonRecord>> {
        let mut list = self.scoped(scope, unit, (Table::People, "p"), "people_all").await?;
        let in_scope = list.in_scope;
        let mut total = if household.is_none() { Total::Known(in_scope) } else { Total::Capped };
        if let Some(q) = query {
            let matches = self.search(&search::PEOPLE, q, &mut list).await?;
            total = search::total(matches, *scope == Scope::All && unit.is_none() && household.is_none());
        }
        if let Some(h) = household {
            let n = list.binds.bind(V::int(h));
            list.inner.push(format!("household_id = {n}"));
        }
        if sort == PersonSort::BirthYear && household.is_none() {
            whole_sort(in_scope, "năm sinh", "công dân")?;
        }
        let from = list.from(self.backend);
        let keys: &[(&str, Kind)] = match sort {
            PersonSort::Name => &[("p.sort_key", Kind::Text), ("p.id", Kind::Int)],
            PersonSort::Code => &[("p.code", Kind::Text), ("p.id", Kind::Int)],
            // No birth year sorts first on both engines (PostgreSQL puts NULL last).
            PersonSort::BirthYear => &[("COALESCE(p.birth_year, 0)", Kind::Int), ("p.sort_key", Kind::Text), ("p.id", Kind::Int)],
        };
        self.keyset(Keyed { select: P_COLUMNS, from: &from, keys }, list.binds, total, page, person).await
    }
    async fn person(&self, id: i64) -> StoreResult<Option<PersonRecord>> {
        let sql = format!("SELECT {P_COLUMNS} FROM people p WHERE p.id = $1");
        self.fetch_opt(&sql, vec![V::int(id)]).await?.as_ref().map(person).transpose()
    }
    async fn create_person(&self, p: &PersonInput, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let mut values = Self::person_values(p);
        values.push(V::int(audit_draft.at_ms));
        let row = q(
            "INSERT INTO people (code, full_name, name_folded, sort_key, birth_year, gender, unit_id, household_id, position, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            values,
        )
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        crate::assessments::refresh_counts(&mut tx, self.backend, &[p.unit_id].into()).await?;
        let key = crate::twins::twin_key(&mut tx, Table::People, id).await?;
        crate::twins::refresh_twin_keys(&mut tx, self.backend, Table::People, &[key]).await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..audit_draft }).await?;
        Ok(id)
    }
    async fn update_person(&self, id: i64, expected: i64, p: &PersonInput, audit_draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        self.update_person_in(&mut tx, (id, expected), p, audit_draft.at_ms).await?;
        tx.commit(audit_draft).await.map(|_| ())
    }
}

#[async_trait::async_trait]
impl thidua_app::ports::ImportStore for SqlStore {
    async fn existing_household_codes(&self, codes: &[String]) -> StoreResult<Vec<String>> {
        self.existing_codes_db(Table::Households, codes).await
    }
    async fn existing_person_codes(&self, codes: &[String]) -> StoreResult<Vec<String>> {
        self.existing_codes_db(Table::People, codes).await
    }
    async fn household_codes(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let ph: Vec<String> = (1..=ids.len()).map(|i| self.backend.placeholder(i)).collect();
        let sql = format!("SELECT id, code FROM households WHERE id IN ({})", ph.join(", "));
        let rows = self.fetch(&sql, ids.iter().map(|i| V::int(*i)).collect()).await?;
        rows.iter().map(|r| Ok((get_i64(r, "id")?, get_str(r, "code")?))).collect()
    }
    async fn household_ids(&self, codes: &[String]) -> StoreResult<Vec<(String, i64, i64)>> {
        if codes.is_empty() {
            return Ok(vec![]);
        }
        let ph: Vec<String> = (1..=codes.len()).map(|i| self.backend.placeholder(i)).collect();
        let sql = format!("SELECT code, id, unit_id FROM households WHERE code IN ({})", ph.join(", "));
        let rows = self.fetch(&sql, codes.iter().map(|c| V::text(c.clone())).collect()).await?;
        rows.iter().map(|r| Ok((get_str(r, "code")?, get_i64(r, "id")?, get_i64(r, "unit_id")?))).collect()
    }
    async fn begin_import(&self) -> StoreResult<Box<dyn ImportTx>> {
        crate::import::begin(self).await
    }
    async fn refresh_pending_twins(&self) -> StoreResult<usize> {
        crate::twins::refresh_pending(self).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sort_no_index_follows_is_refused_over_a_scope_of_two_hundred_thousand_rows() {
        assert!(whole_sort(DRIVE_BY_UNITS, "năm sinh", "công dân").is_ok());
        let Err(StorageError::Invalid(why)) = whole_sort(DRIVE_BY_UNITS + 1, "năm sinh", "công dân") else {
            panic!("a city-wide birth-year sort must be refused");
        };
        assert!(why.contains("200.000 công dân") && why.contains("hãy chọn phường, xã"), "{why}");
    }
}
