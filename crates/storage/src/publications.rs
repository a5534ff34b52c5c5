//! Articles (exemplary models, good practices, initiatives) and the learning resources catalogue.

use crate::db::{Binds, SqlStore, V, err, get_i64, get_opt_i64, get_opt_str, get_str, like_pattern, q, scope_clause};
use sqlx::Row;
use sqlx::any::AnyRow;
use thidua_app::ports::{ArticleFilter, ArticleRow, AuditDraft, Page, PageRequest, ResourceFilter, ResourceRow, Scope, StoreResult};

const ARTICLE: &str = "a.id, a.unit_id, a.kind, a.state, a.version, a.title, a.summary, a.body, a.subjects, a.recognition, \
                       a.photo_sha256, a.photo_caption, a.search_key, a.review_comment, a.created_at, a.created_by, a.updated_at, \
                       a.updated_by, a.published_at, a.published_by";

fn article(r: &AnyRow) -> StoreResult<ArticleRow> {
    Ok(ArticleRow {
        id: get_i64(r, "id")?,
        unit_id: get_i64(r, "unit_id")?,
        kind: get_str(r, "kind")?,
        state: crate::db::get_code(r, "state", thidua_domain::publications::ArticleState::parse)?,
        version: get_i64(r, "version")?,
        title: get_str(r, "title")?,
        summary: get_str(r, "summary")?,
        body: get_str(r, "body")?,
        subjects: get_str(r, "subjects")?,
        recognition: get_str(r, "recognition")?,
        photo_sha256: get_opt_str(r, "photo_sha256")?,
        photo_caption: get_str(r, "photo_caption")?,
        search_key: get_str(r, "search_key")?,
        review_comment: get_str(r, "review_comment")?,
        created_at_ms: get_i64(r, "created_at")?,
        created_by: get_str(r, "created_by")?,
        updated_at_ms: get_i64(r, "updated_at")?,
        updated_by: get_str(r, "updated_by")?,
        published_at_ms: get_opt_i64(r, "published_at")?,
        published_by: get_opt_str(r, "published_by")?,
    })
}

const RESOURCE: &str = "a.id, a.unit_id, a.state, a.version, a.title, a.topic, a.level, a.description, a.url, a.file_sha256, \
                        a.file_name, a.file_type, a.file_size, a.search_key, a.created_at, a.created_by, a.withdrawn_at, a.withdrawn_by";

fn resource(r: &AnyRow) -> StoreResult<ResourceRow> {
    Ok(ResourceRow {
        id: get_i64(r, "id")?,
        unit_id: get_i64(r, "unit_id")?,
        state: crate::db::get_code(r, "state", thidua_domain::publications::ResourceState::parse)?,
        version: get_i64(r, "version")?,
        title: get_str(r, "title")?,
        topic: get_str(r, "topic")?,
        level: get_str(r, "level")?,
        description: get_str(r, "description")?,
        url: get_opt_str(r, "url")?,
        file_sha256: get_opt_str(r, "file_sha256")?,
        file_name: get_opt_str(r, "file_name")?,
        file_type: get_opt_str(r, "file_type")?,
        file_size: get_opt_i64(r, "file_size")?,
        search_key: get_str(r, "search_key")?,
        created_at_ms: get_i64(r, "created_at")?,
        created_by: get_str(r, "created_by")?,
        withdrawn_at_ms: get_opt_i64(r, "withdrawn_at")?,
        withdrawn_by: get_opt_str(r, "withdrawn_by")?,
    })
}

/// The WHERE clause of a listing: scope (through the unit's path), equalities, and every search
/// word in the folded key.
fn conditions(scope: Option<&Scope>, equal: &[(&str, Option<&str>)], words: &[String]) -> (String, Binds) {
    let mut parts = Vec::new();
    let mut b = Binds::new();
    if let Some(s) = scope {
        parts.push(scope_clause(s, "u", &mut b));
    }
    for (column, value) in equal {
        if let Some(v) = value {
            parts.push(format!("a.{column} = {}", b.bind(V::text(*v))));
        }
    }
    for w in words {
        parts.push(format!("a.search_key LIKE {} ESCAPE '\\'", b.bind(V::text(like_pattern(w)))));
    }
    let clause = if parts.is_empty() { "1 = 1".to_string() } else { parts.join(" AND ") };
    (clause, b)
}

impl SqlStore {
    async fn unit_page<T>(
        &self,
        table: crate::db::Table,
        columns: &str,
        (clause, values): (String, Binds),
        order: &str,
        page: PageRequest,
        map: fn(&AnyRow) -> StoreResult<T>,
    ) -> StoreResult<Page<T>> {
        let from = format!("FROM {table} a JOIN units u ON u.id = a.unit_id WHERE {clause}");
        self.paged((columns, &from, order), values, page, map).await
    }
}

#[async_trait::async_trait]
impl thidua_app::ports::PublicationStore for SqlStore {
    async fn articles(&self, f: &ArticleFilter, page: PageRequest) -> StoreResult<Page<ArticleRow>> {
        let published = f.state == Some(thidua_domain::publications::ArticleState::Published);
        let order = if published { "a.published_at DESC, a.id DESC" } else { "a.updated_at DESC, a.id DESC" };
        let where_ = conditions(f.scope.as_ref(), &[("kind", f.kind.as_deref()), ("state", f.state.map(|s| s.code()))], &f.words);
        self.unit_page(crate::db::Table::Articles, ARTICLE, where_, order, page, article).await
    }
    async fn article(&self, id: i64) -> StoreResult<Option<ArticleRow>> {
        self.fetch_opt(&format!("SELECT {ARTICLE} FROM articles a WHERE a.id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(article)
            .transpose()
    }
    async fn save_article(&self, row: &ArticleRow, mut draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let mut v = vec![
            V::text(row.kind.clone()),
            V::text(row.state.code()),
            V::text(row.title.clone()),
            V::text(row.summary.clone()),
            V::text(row.body.clone()),
            V::text(row.subjects.clone()),
            V::text(row.recognition.clone()),
            V::opt_text(row.photo_sha256.clone()),
            V::text(row.photo_caption.clone()),
            V::text(row.search_key.clone()),
            V::text(row.review_comment.clone()),
            V::int(row.updated_at_ms),
            V::text(row.updated_by.clone()),
            V::opt_int(row.published_at_ms),
            V::opt_text(row.published_by.clone()),
        ];
        let id = if row.version == 0 {
            v.extend([V::int(row.unit_id), V::int(row.created_at_ms), V::text(row.created_by.clone())]);
            let r = q(
                "INSERT INTO articles (kind, state, title, summary, body, subjects, recognition, photo_sha256, photo_caption, \
                 search_key, review_comment, updated_at, updated_by, published_at, published_by, unit_id, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
                v,
            )
            .fetch_one(&mut **tx)
            .await
            .map_err(err)?;
            r.try_get::<i64, _>(0).map_err(err)?
        } else {
            v.extend([V::int(row.id), V::int(row.version)]);
            crate::db::update_versioned(
                &mut tx,
                "UPDATE articles SET kind = $1, state = $2, title = $3, summary = $4, body = $5, subjects = $6, recognition = $7, \
                 photo_sha256 = $8, photo_caption = $9, search_key = $10, review_comment = $11, updated_at = $12, updated_by = $13, \
                 published_at = $14, published_by = $15, version = version + 1 WHERE id = $16 AND version = $17",
                v,
            )
            .await?;
            row.id
        };
        draft.entity_id = id.to_string();
        tx.commit(draft).await?;
        Ok(id)
    }
    async fn resources(&self, f: &ResourceFilter, page: PageRequest) -> StoreResult<Page<ResourceRow>> {
        let where_ = conditions(
            f.scope.as_ref(),
            &[("topic", f.topic.as_deref()), ("level", f.level.as_deref()), ("state", f.state.map(|s| s.code()))],
            &f.words,
        );
        self.unit_page(crate::db::Table::LearningResources, RESOURCE, where_, "a.id DESC", page, resource).await
    }
    async fn resource(&self, id: i64) -> StoreResult<Option<ResourceRow>> {
        self.fetch_opt(&format!("SELECT {RESOURCE} FROM learning_resources a WHERE a.id = $1"), vec![V::int(id)])
            .await?
            .as_ref()
            .map(resource)
            .transpose()
    }
    async fn save_resource(&self, row: &ResourceRow, mut draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let id = if row.version == 0 {
            let r = q(
                "INSERT INTO learning_resources (unit_id, state, title, topic, level, description, url, file_sha256, file_name, \
                 file_type, file_size, search_key, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                vec![
                    V::int(row.unit_id),
                    V::text(row.state.code()),
                    V::text(row.title.clone()),
                    V::text(row.topic.clone()),
                    V::text(row.level.clone()),
                    V::text(row.description.clone()),
                    V::opt_text(row.url.clone()),
                    V::opt_text(row.file_sha256.clone()),
                    V::opt_text(row.file_name.clone()),
                    V::opt_text(row.file_type.clone()),
                    V::opt_int(row.file_size),
                    V::text(row.search_key.clone()),
                    V::int(row.created_at_ms),
                    V::text(row.created_by.clone()),
                ],
            )
            .fetch_one(&mut **tx)
            .await
            .map_err(err)?;
            r.try_get::<i64, _>(0).map_err(err)?
        } else {
            // Only the state changes after contribution (withdrawn, or published again).
            crate::db::update_versioned(
                &mut tx,
                "UPDATE learning_resources SET state = $1, withdrawn_at = $2, withdrawn_by = $3, version = version + 1 \
                 WHERE id = $4 AND version = $5",
                vec![
                    V::text(row.state.code()),
                    V::opt_int(row.withdrawn_at_ms),
                    V::opt_text(row.withdrawn_by.clone()),
                    V::int(row.id),
                    V::int(row.version),
                ],
            )
            .await?;
            row.id
        };
        draft.entity_id = id.to_string();
        tx.commit(draft).await?;
        Ok(id)
    }
}
