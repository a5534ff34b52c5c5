//! Rows of the articles (exemplary models, good practices, initiatives) and of the learning
//! resources catalogue.

use super::*;

/// An article as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleRow {
    pub id: i64,
    pub unit_id: i64,
    /// `domain::publications::ArticleKind::code`.
    pub kind: String,
    pub state: thidua_domain::publications::ArticleState,
    /// 0 for a new article.
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub subjects: String,
    pub recognition: String,
    pub photo_sha256: Option<String>,
    pub photo_caption: String,
    /// The folded text, for diacritic-insensitive search.
    pub search_key: String,
    pub review_comment: String,
    pub created_at_ms: i64,
    pub created_by: String,
    pub updated_at_ms: i64,
    pub updated_by: String,
    pub published_at_ms: Option<i64>,
    pub published_by: Option<String>,
}

/// Which articles to list.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// The units whose articles to list; `None` for every unit (the public pages).
    pub scope: Option<Scope>,
    pub kind: Option<String>,
    pub state: Option<thidua_domain::publications::ArticleState>,
    /// Folded words that must all occur in the search key.
    pub words: Vec<String>,
}

/// A learning resource as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceRow {
    pub id: i64,
    pub unit_id: i64,
    pub state: thidua_domain::publications::ResourceState,
    pub version: i64,
    pub title: String,
    pub topic: String,
    pub level: String,
    pub description: String,
    pub url: Option<String>,
    pub file_sha256: Option<String>,
    pub file_name: Option<String>,
    pub file_type: Option<String>,
    pub file_size: Option<i64>,
    pub search_key: String,
    pub created_at_ms: i64,
    pub created_by: String,
    pub withdrawn_at_ms: Option<i64>,
    pub withdrawn_by: Option<String>,
}

/// Which resources to list.
#[derive(Debug, Clone, Default)]
pub struct ResourceFilter {
    pub scope: Option<Scope>,
    pub topic: Option<String>,
    pub level: Option<String>,
    pub state: Option<thidua_domain::publications::ResourceState>,
    pub words: Vec<String>,
}

/// Articles and learning resources.
#[async_trait]
pub trait PublicationStore: Send + Sync {
    async fn articles(&self, filter: &ArticleFilter, page: PageRequest) -> StoreResult<Page<ArticleRow>>;
    async fn article(&self, id: i64) -> StoreResult<Option<ArticleRow>>;
    /// Inserts (`version` 0) or updates at `version`; returns the id.
    async fn save_article(&self, row: &ArticleRow, audit: AuditDraft) -> StoreResult<i64>;
    async fn resources(&self, filter: &ResourceFilter, page: PageRequest) -> StoreResult<Page<ResourceRow>>;
    async fn resource(&self, id: i64) -> StoreResult<Option<ResourceRow>>;
    /// Inserts (`version` 0) or updates at `version`; returns the id.
    async fn save_resource(&self, row: &ResourceRow, audit: AuditDraft) -> StoreResult<i64>;
}
