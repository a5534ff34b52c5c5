//! Publishing: articles on exemplary models, good practices and recognised initiatives (a unit's
//! officer writes, DOET reviews, the public reads only what DOET published), and the catalogue of
//! open learning resources contributed by schools and centres.
//!
//! Who may do what: writing an article is part of a unit's reporting on the movement
//! (`Action::Report` on its unit); reviewing is DOET's (`Action::ReviewReports` over the article's
//! unit). A resource is contributed by an officer of the school or centre (`Action::Report`) and
//! withdrawn by its contributor's unit or by DOET.

use crate::error::{AppError, AppResult};
use crate::ports::{ArticleFilter, ArticleRow, Page, PageRequest, ResourceFilter, ResourceRow};
use crate::{Actor, App};
use serde_json::json;
use thidua_domain::access::Action;
use thidua_domain::files::{FileType, sniff};
use thidua_domain::publications::{
    self as rules, ArticleKind, ArticleState, ArticleStep, ArticleText, MAX_PHOTO_BYTES, MAX_RESOURCE_BYTES, ResourceState, ResourceText,
};
use thidua_domain::text::fold;

/// What the author writes: for which unit (ignored once the article exists), of which kind.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub unit: i64,
    pub kind: ArticleKind,
    pub text: ArticleText,
}

/// Largest page of a listing.
pub const MAX_PER_PAGE: i64 = 100;

/// The folded words of a search text.
pub fn search_words(query: &str) -> Vec<String> {
    fold(query).split_whitespace().take(8).map(str::to_string).collect()
}

fn search_key(parts: &[&str]) -> String {
    fold(&parts.join(" "))
}

/// A photo as uploaded: JPEG or PNG by content, at most 5 MB.
fn check_photo(bytes: &[u8]) -> AppResult<()> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(AppError::Invalid(format!("Ảnh lớn hơn {} MB.", MAX_PHOTO_BYTES / (1024 * 1024))));
    }
    if !matches!(sniff(bytes), Some(FileType::Jpeg | FileType::Png)) {
        return Err(AppError::Invalid("Ảnh phải là tệp JPEG hoặc PNG (kiểm tra theo nội dung tệp).".into()));
    }
    Ok(())
}

impl App {
    fn blob_store(&self) -> AppResult<&std::sync::Arc<dyn crate::ports::BlobStore>> {
        self.blobs.as_ref().ok_or_else(|| AppError::Invalid("Chưa cấu hình nơi lưu tệp.".into()))
    }

    /// Writes a new article (`id` 0) or changes one the author may still edit; a new photo
    /// replaces the old one. Returns the article's id.
    pub async fn save_article(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        input: &ArticleInput,
        photo: Option<&[u8]>,
    ) -> AppResult<i64> {
        let ArticleInput { unit, kind, text } = input;
        let (unit, kind) = (*unit, *kind);
        let old = if id == 0 { None } else { Some(self.store.article(id).await?.ok_or(AppError::NotFound)?) };
        let unit = old.as_ref().map_or(unit, |a| a.unit_id);
        let via = self.authorize(actor, Action::Report, unit).await?;
        if let Some(a) = &old {
            let state = a.state;
            if !state.editable() {
                return Err(AppError::Invalid(format!("Bài đang ở trạng thái «{}»: không sửa được.", state.label_vi())));
            }
            if a.version != expected_version {
                return Err(AppError::Conflict("Bài vừa được người khác sửa; hãy tải lại trang.".into()));
            }
        }
        let t = rules::check_article(kind, text).map_err(|e| AppError::Invalid(e.join(" ")))?;
        let photo_sha256 = match photo.filter(|p| !p.is_empty()) {
            Some(bytes) => {
                check_photo(bytes)?;
                Some(self.blob_store()?.put(bytes).await?)
            }
            None => old.as_ref().and_then(|a| a.photo_sha256.clone()),
        };
        let now = self.now_ms();
        let row = ArticleRow {
            id,
            unit_id: unit,
            kind: kind.code().into(),
            state: old.as_ref().map_or(ArticleState::Draft, |a| a.state),
            version: old.as_ref().map_or(0, |a| a.version),
            search_key: search_key(&[&t.title, &t.summary, &t.body, &t.subjects, &t.recognition]),
            title: t.title,
            summary: t.summary,
            body: t.body,
            subjects: t.subjects,
            recognition: t.recognition,
            photo_sha256,
            photo_caption: t.photo_caption,
            review_comment: old.as_ref().map(|a| a.review_comment.clone()).unwrap_or_default(),
            created_at_ms: old.as_ref().map_or(now, |a| a.created_at_ms),
            created_by: old.as_ref().map_or(actor.username.clone(), |a| a.created_by.clone()),
            updated_at_ms: now,
            updated_by: actor.username.clone(),
            published_at_ms: old.as_ref().and_then(|a| a.published_at_ms),
            published_by: old.as_ref().and_then(|a| a.published_by.clone()),
        };
        let audit = self.draft(
            actor,
            &via,
            if id == 0 { "article.create" } else { "article.update" },
            "article",
            id,
            Some(unit),
            old.as_ref().map(|a| json!({"title": a.title, "photo": a.photo_sha256})),
            Some(json!({"kind": row.kind, "title": row.title, "photo": row.photo_sha256})),
        );
        Ok(self.store.save_article(&row, audit).await?)
    }

    /// Refuses an actor who may not write the article: an existing one (`id`) for its unit, a
    /// new one (`id` 0) for `unit`, or, before the form is read, for any unit.
    pub async fn may_edit_article(&self, actor: &Actor, id: i64, unit: Option<i64>) -> AppResult<()> {
        if id == 0 {
            return match unit {
                Some(unit) => self.authorize(actor, Action::Report, unit).await.map(|_| ()),
                None => self.require_somewhere(actor, Action::Report).await,
            };
        }
        let a = self.store.article(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::Report, a.unit_id).await.map(|_| ())
    }

    /// An article as its author's unit and DOET see it.
    pub async fn article(&self, actor: &Actor, id: i64) -> AppResult<ArticleRow> {
        let a = self.store.article(id).await?.ok_or(AppError::NotFound)?;
        if self.can(actor, Action::Report, a.unit_id).await || self.can(actor, Action::ReviewReports, a.unit_id).await {
            Ok(a)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Sends for review (the author), or returns, publishes, withdraws (DOET).
    pub async fn article_step(&self, actor: &Actor, id: i64, expected_version: i64, step: ArticleStep, reason: &str) -> AppResult<()> {
        let a = self.store.article(id).await?.ok_or(AppError::NotFound)?;
        let action = if step.by_reviewer() { Action::ReviewReports } else { Action::Report };
        let via = self.authorize(actor, action, a.unit_id).await?;
        if a.version != expected_version {
            return Err(AppError::Conflict("Bài vừa được người khác xử lý; hãy tải lại trang.".into()));
        }
        let reason = crate::error::field(thidua_domain::limits::Field::FreeText, "Lý do", reason)?;
        if step.needs_reason() && reason.is_empty() {
            return Err(AppError::Invalid(format!("«{}» cần ghi lý do.", step.label_vi())));
        }
        let from = a.state;
        let to = rules::next(from, step).map_err(|m| AppError::Invalid(m.into()))?;
        let now = self.now_ms();
        let (published_at_ms, published_by) = match step {
            ArticleStep::Publish => (Some(now), Some(actor.full_name.clone())),
            ArticleStep::Withdraw => (None, None),
            _ => (a.published_at_ms, a.published_by.clone()),
        };
        let row = ArticleRow {
            state: to,
            review_comment: if step.needs_reason() { reason.clone() } else { a.review_comment.clone() },
            updated_at_ms: now,
            updated_by: actor.username.clone(),
            published_at_ms,
            published_by,
            ..a.clone()
        };
        let audit = self.draft(
            actor,
            &via,
            &format!("article.{}", step.code()),
            "article",
            id,
            Some(a.unit_id),
            Some(json!({"state": a.state.code()})),
            Some(json!({"state": row.state, "reason": reason})),
        );
        self.store.save_article(&row, audit).await?;
        Ok(())
    }

    /// The units whose publications the actor lists: those DOET reviews, else those it writes for.
    async fn publishing_scope(&self, actor: &Actor) -> AppResult<crate::ports::Scope> {
        match self.scope(actor, Action::ReviewReports).await? {
            crate::ports::Scope::Roots(r) if r.is_empty() => self.scope(actor, Action::Report).await,
            s => Ok(s),
        }
    }

    /// The articles of the units the actor reports for or reviews, newest change first.
    pub async fn articles_in_scope(&self, actor: &Actor, state: Option<ArticleState>, page: PageRequest) -> AppResult<Page<ArticleRow>> {
        let scope = self.publishing_scope(actor).await?;
        let filter = ArticleFilter { scope: Some(scope), state, ..ArticleFilter::default() };
        Ok(self.store.articles(&filter, PageRequest::new(page.page, page.per_page.clamp(1, MAX_PER_PAGE))).await?)
    }

    /// Published articles, for the public: by kind, searched without diacritics.
    pub async fn public_articles(&self, kind: Option<ArticleKind>, query: &str, page: PageRequest) -> AppResult<Page<ArticleRow>> {
        let filter = ArticleFilter {
            scope: None,
            kind: kind.map(|k| k.code().to_string()),
            state: Some(ArticleState::Published),
            words: search_words(query),
        };
        Ok(self.store.articles(&filter, PageRequest::new(page.page, page.per_page.clamp(1, MAX_PER_PAGE))).await?)
    }

    /// One published article; anything else is not found for the public.
    pub async fn public_article(&self, id: i64) -> AppResult<ArticleRow> {
        let a = self.store.article(id).await?.ok_or(AppError::NotFound)?;
        if a.state != ArticleState::Published {
            return Err(AppError::NotFound);
        }
        Ok(a)
    }

    /// An article's photo: for the public once published, for its unit and DOET before.
    pub async fn article_photo(&self, actor: Option<&Actor>, id: i64) -> AppResult<(Vec<u8>, &'static str)> {
        let a = match actor {
            Some(actor) => self.article(actor, id).await?,
            None => self.public_article(id).await?,
        };
        let sha = a.photo_sha256.ok_or(AppError::NotFound)?;
        let bytes = self.blob_store()?.get(&sha).await?.ok_or(AppError::NotFound)?;
        let mime = sniff(&bytes).map_or("application/octet-stream", |t| t.mime());
        Ok((bytes, mime))
    }

    /// Adds a resource to the public catalogue for `unit`: a link, or a file (PDF, Word, Excel,
    /// JPEG or PNG by content, at most 20 MB).
    pub async fn add_resource(&self, actor: &Actor, unit: i64, text: &ResourceText, file: Option<(&str, &[u8])>) -> AppResult<i64> {
        let via = self.authorize(actor, Action::Report, unit).await?;
        let file = file.filter(|(_, b)| !b.is_empty());
        let t = rules::check_resource(text, file.is_some()).map_err(|e| AppError::Invalid(e.join(" ")))?;
        let (mut sha, mut name, mut kind, mut size) = (None, None, None, None);
        if let Some((file_name, bytes)) = file {
            if bytes.len() > MAX_RESOURCE_BYTES {
                return Err(AppError::Invalid(format!("Tệp lớn hơn {} MB.", MAX_RESOURCE_BYTES / (1024 * 1024))));
            }
            let t =
                sniff(bytes).ok_or_else(|| AppError::Invalid("Tệp phải là PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG.".into()))?;
            let clean_name: String =
                thidua_domain::text::clean(file_name).chars().filter(|c| !matches!(c, '/' | '\\' | '"' | '\r' | '\n')).take(150).collect();
            sha = Some(self.blob_store()?.put(bytes).await?);
            name = Some(if clean_name.is_empty() { format!("hoc-lieu.{}", t.extension()) } else { clean_name });
            kind = Some(t.mime().to_string());
            size = Some(i64::try_from(bytes.len()).unwrap_or(i64::MAX));
        }
        let row = ResourceRow {
            id: 0,
            unit_id: unit,
            state: ResourceState::Published,
            version: 0,
            search_key: search_key(&[&t.title, &t.description]),
            title: t.title,
            topic: t.topic,
            level: t.level,
            description: t.description,
            url: (!t.url.is_empty()).then_some(t.url),
            file_sha256: sha,
            file_name: name,
            file_type: kind,
            file_size: size,
            created_at_ms: self.now_ms(),
            created_by: actor.username.clone(),
            withdrawn_at_ms: None,
            withdrawn_by: None,
        };
        let audit = self.draft(
            actor,
            &via,
            "resource.create",
            "learning_resource",
            0,
            Some(unit),
            None,
            Some(json!({"title": row.title, "url": row.url, "file": row.file_sha256})),
        );
        Ok(self.store.save_resource(&row, audit).await?)
    }

    /// Takes a resource out of the public catalogue (its unit or DOET).
    pub async fn withdraw_resource(&self, actor: &Actor, id: i64, expected_version: i64) -> AppResult<()> {
        let r = self.store.resource(id).await?.ok_or(AppError::NotFound)?;
        let via = match self.authorize(actor, Action::Report, r.unit_id).await {
            Ok(via) => via,
            Err(_) => self.authorize(actor, Action::ReviewReports, r.unit_id).await?,
        };
        if r.version != expected_version {
            return Err(AppError::Conflict("Học liệu vừa được người khác xử lý; hãy tải lại trang.".into()));
        }
        if r.state != ResourceState::Published {
            return Err(AppError::Invalid("Học liệu đã được gỡ xuống.".into()));
        }
        let row = ResourceRow {
            state: ResourceState::Withdrawn,
            withdrawn_at_ms: Some(self.now_ms()),
            withdrawn_by: Some(actor.username.clone()),
            ..r.clone()
        };
        let audit = self.draft(
            actor,
            &via,
            "resource.withdraw",
            "learning_resource",
            id,
            Some(r.unit_id),
            Some(json!({"state": r.state.code()})),
            Some(json!({"state": "withdrawn"})),
        );
        self.store.save_resource(&row, audit).await?;
        Ok(())
    }

    /// The resources of the units the actor reports for (or reviews), with the withdrawn ones.
    pub async fn resources_in_scope(&self, actor: &Actor, page: PageRequest) -> AppResult<Page<ResourceRow>> {
        let scope = self.publishing_scope(actor).await?;
        let filter = ResourceFilter { scope: Some(scope), ..ResourceFilter::default() };
        Ok(self.store.resources(&filter, PageRequest::new(page.page, page.per_page.clamp(1, MAX_PER_PAGE))).await?)
    }

    /// The public catalogue: by topic and level, searched without diacritics.
    pub async fn public_resources(
        &self,
        topic: Option<&str>,
        level: Option<&str>,
        query: &str,
        page: PageRequest,
    ) -> AppResult<Page<ResourceRow>> {
        let filter = ResourceFilter {
            scope: None,
            topic: topic.filter(|t| rules::topic_label(t).is_some()).map(str::to_string),
            level: level.filter(|l| rules::level_label(l).is_some()).map(str::to_string),
            state: Some(ResourceState::Published),
            words: search_words(query),
        };
        Ok(self.store.resources(&filter, PageRequest::new(page.page, page.per_page.clamp(1, MAX_PER_PAGE))).await?)
    }

    /// A published resource's file, for the public: (bytes, content type, file name).
    pub async fn resource_file(&self, id: i64) -> AppResult<(Vec<u8>, String, String)> {
        let r = self.store.resource(id).await?.ok_or(AppError::NotFound)?;
        if r.state != ResourceState::Published {
            return Err(AppError::NotFound);
        }
        let sha = r.file_sha256.ok_or(AppError::NotFound)?;
        let bytes = self.blob_store()?.get(&sha).await?.ok_or(AppError::NotFound)?;
        Ok((bytes, r.file_type.unwrap_or_else(|| "application/octet-stream".into()), r.file_name.unwrap_or_else(|| "hoc-lieu".into())))
    }
}
