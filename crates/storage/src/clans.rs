//! Clans (dòng họ): a home unit for scope, a representative, and the villages they span.

use crate::db::Table;
use crate::db::{self, SqlStore, V, err, get_i64, get_opt_str, get_str, q};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use thidua_app::ports::*;
use thidua_domain::text;

const COLUMNS: &str = "c.id, c.code, c.name, c.unit_id, c.representative_name, c.active, c.version";

fn record(r: &AnyRow, villages: Vec<i64>) -> StoreResult<ClanRecord> {
    Ok(ClanRecord {
        id: get_i64(r, "id")?,
        code: get_str(r, "code")?,
        name: get_str(r, "name")?,
        unit_id: get_i64(r, "unit_id")?,
        representative_name: get_opt_str(r, "representative_name")?,
        villages,
        active: get_i64(r, "active")? != 0,
        version: get_i64(r, "version")?,
    })
}

async fn set_villages(tx: &mut Transaction<'static, Any>, clan: i64, villages: &[i64]) -> StoreResult<()> {
    q("DELETE FROM clan_units WHERE clan_id = $1", vec![V::int(clan)]).execute(&mut **tx).await.map_err(err)?;
    for v in villages {
        q("INSERT INTO clan_units (clan_id, unit_id) VALUES ($1, $2)", vec![V::int(clan), V::int(*v)])
            .execute(&mut **tx)
            .await
            .map_err(err)?;
    }
    Ok(())
}

impl SqlStore {
    async fn villages_of(&self, clan: i64) -> StoreResult<Vec<i64>> {
        let rows = self.fetch("SELECT unit_id FROM clan_units WHERE clan_id = $1 ORDER BY unit_id", vec![V::int(clan)]).await?;
        rows.iter().map(|r| get_i64(r, "unit_id")).collect()
    }
}

#[async_trait::async_trait]
impl thidua_app::ports::ClanStore for SqlStore {
    async fn set_clan_active(&self, id: i64, v: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_active_db(Table::Clans, id, v, active, audit, false).await
    }
    async fn clans(&self, scope: &Scope, unit: Option<i64>, query: Option<&str>, page: PageRequest) -> StoreResult<Page<ClanRecord>> {
        let mut b = db::Binds::new();
        let mut wh = vec![db::scope_clause(scope, "u", &mut b)];
        if let Some(unit) = unit {
            let n = b.bind(V::int(unit));
            wh.push(format!(
                "(u.path LIKE (SELECT s.path FROM units s WHERE s.id = {n}) || '%' \
                 OR EXISTS (SELECT 1 FROM clan_units cu JOIN units v ON v.id = cu.unit_id WHERE cu.clan_id = c.id AND v.path LIKE (SELECT s.path FROM units s WHERE s.id = {n}) || '%'))"
            ));
        }
        if let Some(q) = query {
            let n = b.bind(V::text(db::like_pattern(q)));
            wh.push(format!("(c.name_folded LIKE {n} ESCAPE '\\' OR lower(c.code) LIKE {n} ESCAPE '\\')"));
        }
        let from = format!("FROM clans c JOIN units u ON u.id = c.unit_id WHERE {}", wh.join(" AND "));
        let mut found = self.paged((COLUMNS, &from, "c.name_folded, c.code"), b, page, |r| record(r, Vec::new())).await?;
        for clan in &mut found.items {
            clan.villages = self.villages_of(clan.id).await?;
        }
        Ok(found)
    }
    async fn clan(&self, id: i64) -> StoreResult<Option<ClanRecord>> {
        let Some(r) = self.fetch_opt(&format!("SELECT {COLUMNS} FROM clans c WHERE c.id = $1"), vec![V::int(id)]).await? else {
            return Ok(None);
        };
        Ok(Some(record(&r, self.villages_of(id).await?)?))
    }
    async fn create_clan(&self, c: &ClanInput, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let row = q(
            "INSERT INTO clans (code, name, name_folded, unit_id, representative_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            vec![V::text(c.code.clone()), V::text(c.name.clone()), V::text(text::fold(&c.name)), V::int(c.unit_id), V::opt_text(c.representative_name.clone()), V::int(audit_draft.at_ms)],
        )
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        set_villages(&mut tx, id, &c.villages).await?;
        crate::assessments::refresh_counts(&mut tx, self.backend, &[c.unit_id].into()).await?;
        tx.commit(AuditDraft { entity_id: id.to_string(), ..audit_draft }).await?;
        Ok(id)
    }
    async fn update_clan(&self, id: i64, expected: i64, c: &ClanInput, audit_draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let old_unit = crate::assessments::unit_of(&mut tx, Table::Clans, id).await?;
        crate::db::update_versioned(
            &mut tx,
            "UPDATE clans SET code = $1, name = $2, name_folded = $3, unit_id = $4, representative_name = $5, updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8",
            vec![
                V::text(c.code.clone()),
                V::text(c.name.clone()),
                V::text(text::fold(&c.name)),
                V::int(c.unit_id),
                V::opt_text(c.representative_name.clone()),
                V::int(audit_draft.at_ms),
                V::int(id),
                V::int(expected),
            ],
        )
        .await?;
        set_villages(&mut tx, id, &c.villages).await?;
        crate::assessments::refresh_counts(&mut tx, self.backend, &[Some(c.unit_id), old_unit].into_iter().flatten().collect()).await?;
        tx.commit(audit_draft).await.map(|_| ())
    }
}
