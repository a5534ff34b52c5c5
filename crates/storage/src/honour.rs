//! The public honour roll: decided awards and recognised titles, naming a household or a citizen
//! only with their recorded consent.

use crate::db::{Binds, SqlStore, V, err, get_i64, get_opt_str, get_str, q};
use thidua_app::error::StorageError;
use thidua_app::ports::{AuditDraft, HonourAward, HonourTitle, Page, PageRequest, StoreResult};
use thidua_domain::titles::HonourTitles;

fn consent_table(subject_type: &str) -> StoreResult<crate::db::Table> {
    match subject_type {
        "household" => Ok(crate::db::Table::Households),
        "person" => Ok(crate::db::Table::People),
        other => Err(StorageError::Database(format!("consent does not apply to {other}"))),
    }
}

#[async_trait::async_trait]
impl thidua_app::ports::HonourStore for SqlStore {
    async fn honour_awards(&self, year: Option<i64>, page: PageRequest) -> StoreResult<Page<HonourAward>> {
        let mut b = Binds::new();
        let filter = match year {
            Some(y) => format!("AND substr(d.signed_on, 1, 4) = {}", b.bind(V::text(y.to_string()))),
            None => String::new(),
        };
        let select = "n.id, n.subject_type, n.name, n.unit_id, d.level, d.number, d.signed_on, \
             CASE n.subject_type WHEN 'household' THEN COALESCE(h.public_consent, 0) WHEN 'person' THEN COALESCE(p.public_consent, 0) \
             WHEN 'external' THEN CASE n.class WHEN 'collective' THEN 1 ELSE 0 END ELSE 1 END AS named";
        let from = format!(
            "FROM nominees n JOIN award_decisions d ON d.id = n.decision_id \
             LEFT JOIN households h ON n.subject_type = 'household' AND h.id = n.subject_id \
             LEFT JOIN people p ON n.subject_type = 'person' AND p.id = n.subject_id \
             WHERE n.outcome = 'awarded' {filter}"
        );
        self.paged((select, &from, "d.id DESC, n.id"), b, page, |r| {
            Ok(HonourAward {
                nominee_id: get_i64(r, "id")?,
                subject_type: get_str(r, "subject_type")?,
                name: (get_i64(r, "named")? != 0).then(|| get_str(r, "name")).transpose()?,
                unit_id: get_i64(r, "unit_id")?,
                level: get_str(r, "level")?,
                decision_number: get_str(r, "number")?,
                signed_on: crate::db::get_date(r, "signed_on")?,
            })
        })
        .await
    }
    async fn honour_titles(&self, year: i64, titles: &HonourTitles, page: PageRequest) -> StoreResult<Page<HonourTitle>> {
        let mut b = Binds::new();
        let (year, clan) = (b.bind(V::int(year)), b.bind(V::text(titles.clan)));
        let (household, citizen) = (b.bind(V::text(titles.household)), b.bind(V::text(titles.citizen)));
        let collective: Vec<String> = titles.collective.iter().map(|t| b.bind(V::text(*t))).collect();
        let collective = collective.join(", ");
        // Collectives and clans, then the consenting households and citizens: each part reads
        // only its own rows through a partial index. The CROSS JOINs make SQLite start from the
        // few consenting households and citizens (through their partial index) and look up their
        // assessment by the unique key; left to itself it started from the 1.8 million recognised
        // households of a year at Hanoi scale (2 s). PostgreSQL plans it as an inner join.
        let union = format!(
            "SELECT a.title, a.level, a.subject_id, a.unit_id, a.decision_id, c.name AS name FROM assessments a \
               LEFT JOIN clans c ON a.title = {clan} AND c.id = a.subject_id \
               WHERE a.decision_id IS NOT NULL AND a.year = {year} AND a.title IN ({collective}) \
             UNION ALL \
             SELECT a.title, a.level, a.subject_id, a.unit_id, a.decision_id, h.head_name AS name FROM households h \
               CROSS JOIN assessments a \
               WHERE h.public_consent <> 0 AND a.title = {household} AND a.subject_id = h.id AND a.year = {year} AND a.decision_id IS NOT NULL \
             UNION ALL \
             SELECT a.title, a.level, a.subject_id, a.unit_id, a.decision_id, p.full_name AS name FROM people p \
               CROSS JOIN assessments a \
               WHERE p.public_consent <> 0 AND a.title = {citizen} AND a.subject_id = p.id AND a.year = {year} AND a.decision_id IS NOT NULL"
        );
        let total = self.count(&format!("SELECT COUNT(*) FROM ({union}) t"), b.clone().into_values()).await?;
        let (limit, offset) = (b.bind(V::int(page.per_page)), b.bind(V::int(page.offset())));
        let rows = self
            .fetch(
                &format!(
                    "SELECT t.title, t.level, t.subject_id, t.unit_id, t.name, d.number, d.signed_on, d.issuing_body \
                     FROM ({union}) t JOIN recognition_decisions d ON d.id = t.decision_id \
                     ORDER BY t.title, d.id DESC, t.subject_id LIMIT {limit} OFFSET {offset}"
                ),
                b.into_values(),
            )
            .await?;
        let items = rows
            .iter()
            .map(|r| {
                let title = get_str(r, "title")?;
                let t = title.as_str();
                let subject_type = if t == titles.household {
                    "household"
                } else if t == titles.citizen {
                    "person"
                } else if t == titles.clan {
                    "clan"
                } else {
                    "unit"
                };
                Ok(HonourTitle {
                    subject_type: subject_type.into(),
                    title,
                    level: get_i64(r, "level")?,
                    subject_id: get_i64(r, "subject_id")?,
                    name: get_opt_str(r, "name")?,
                    unit_id: get_i64(r, "unit_id")?,
                    decision_number: get_str(r, "number")?,
                    signed_on: crate::db::get_date(r, "signed_on")?,
                    issuing_body: get_str(r, "issuing_body")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::new(items, total, &page))
    }
    async fn set_public_consent(&self, subject_type: &str, id: i64, consent: bool, draft: AuditDraft) -> StoreResult<()> {
        let table = consent_table(subject_type)?;
        let mut tx = self.write().await?;
        let n = q(&format!("UPDATE {table} SET public_consent = $1 WHERE id = $2"), vec![V::flag(consent), V::int(id)])
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::Database(format!("{subject_type} {id} not found")));
        }
        tx.commit(draft).await?;
        Ok(())
    }
    async fn public_consent(&self, subject_type: &str, id: i64) -> StoreResult<bool> {
        let table = consent_table(subject_type)?;
        Ok(self
            .fetch_opt(&format!("SELECT public_consent FROM {table} WHERE id = $1"), vec![V::int(id)])
            .await?
            .map(|r| get_i64(&r, "public_consent"))
            .transpose()?
            .unwrap_or(0)
            != 0)
    }
}
