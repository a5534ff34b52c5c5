//! The audit log for auditors: filter, page, export.

use super::{AuditVm, page_no};
use crate::AppState;
use crate::error::WebError;
use crate::extract::Query;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_app::ports::{AuditFilter, PageRequest};

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    entity: String,
    page: Option<i64>,
}

impl AuditQuery {
    fn filter(&self) -> AuditFilter {
        AuditFilter {
            actor: Some(self.actor.trim().to_lowercase()).filter(|s| !s.is_empty()),
            entity: Some(self.entity.clone()).filter(|s| !s.is_empty()),
            ..Default::default()
        }
    }
    fn query(&self) -> String {
        serde_urlencoded::to_string([("actor", &self.actor), ("entity", &self.entity)]).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    actor: String,
    entity: String,
    entities: Vec<&'static str>,
    rows: Vec<AuditVm>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
    export_query: String,
}

pub async fn audit_get(State(state): State<AppState>, auth: Auth, Query(aq): Query<AuditQuery>) -> Result<Response, WebError> {
    let page = state.app.audit_page(&auth.actor, &aq.filter(), PageRequest::new(page_no(aq.page), 50)).await?;
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "audit.title"), "audit").await;
    Ok(view::render(&AuditPage {
        l,
        actor: aq.actor.clone(),
        entity: aq.entity.clone(),
        entities: vec!["unit", "household", "person", "clan", "user", "import"],
        rows: page.items.iter().map(AuditVm::new).collect(),
        total: page.total,
        pages: page.pages(),
        page_links: view::page_links(page.page, page.pages()),
        base_url: format!("/audit?{}&", aq.query()),
        export_query: aq.query(),
    }))
}

pub async fn audit_export_get(State(state): State<AppState>, auth: Auth, Query(aq): Query<AuditQuery>) -> Result<Response, WebError> {
    super::sheet_file(state.app.audit_export(&auth.actor, &aq.filter()).await?)
}
