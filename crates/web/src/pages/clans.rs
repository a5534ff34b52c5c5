//! Clans (dòng họ): list, detail with history, create, edit, deactivate, export.

use super::units::ActiveForm;
use super::{AuditVm, page_no, unit_name};
use crate::AppState;
use crate::error::WebError;
use crate::extract::Form;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::ports::{ClanInput, ClanRecord, PageRequest};
use thidua_app::registry::TreeSnapshot;
use thidua_domain::access::Action;

/// A clan as a page shows it.
pub(crate) struct ClanVm {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub representative: String,
    pub home_id: i64,
    pub home: String,
    pub villages: String,
    pub active: bool,
    pub version: i64,
}

impl ClanVm {
    fn new(snap: &TreeSnapshot, c: &ClanRecord) -> Self {
        ClanVm {
            id: c.id,
            code: c.code.clone(),
            name: c.name.clone(),
            representative: c.representative_name.clone().unwrap_or_default(),
            home_id: c.unit_id,
            home: unit_name(snap, c.unit_id),
            villages: c.villages.iter().map(|v| unit_name(snap, *v)).collect::<Vec<_>>().join(", "),
            active: c.active,
            version: c.version,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<i64>,
    #[serde(default)]
    q: String,
    page: Option<i64>,
}

impl ListQuery {
    fn filter_query(&self) -> String {
        super::filter_query(self.unit, &[("q", &self.q)])
    }
}

#[derive(Template)]
#[template(path = "clans.html")]
struct ListPage {
    l: Layout,
    unit_id: Option<i64>,
    q: String,
    rows: Vec<ClanVm>,
    total: i64,
    pages: i64,
    page_links: Vec<(i64, bool)>,
    base_url: String,
    export_query: String,
    can_create: bool,
}

/// Units the actor may write to, of the kinds a clan may belong to.
fn homes(state: &AppState, auth: &Auth, snap: &TreeSnapshot) -> Vec<(i64, String)> {
    use thidua_domain::registry::NodeKind::*;
    let mut out: Vec<(i64, String)> = snap
        .units
        .values()
        .filter(|u| u.active && matches!(u.kind, Ward | Commune | Township | Village | ResidentialGroup))
        .filter(|u| state.app.shows(&auth.actor, snap, Action::WriteRegistry, u.id))
        .map(|u| (u.id, u.name.clone()))
        .collect();
    out.sort_by_key(|(_, n)| thidua_domain::text::fold(n));
    out
}

pub async fn clans_get(State(state): State<AppState>, auth: Auth, Query(lq): Query<ListQuery>) -> Result<Response, WebError> {
    let page = state.app.clans(&auth.actor, lq.unit, Some(&lq.q), PageRequest::new(page_no(lq.page), 50)).await?;
    let snap = state.app.snapshot().await?;
    let fq = lq.filter_query();
    let can_create = !homes(&state, &auth, &snap).is_empty();
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "nav.clans"), "clans").await;
    Ok(view::render(&ListPage {
        l,
        unit_id: lq.unit,
        q: lq.q.clone(),
        rows: page.items.iter().map(|c| ClanVm::new(&snap, c)).collect(),
        total: page.total,
        pages: page.pages(),
        page_links: view::page_links(page.page, page.pages()),
        base_url: format!("/clans?{fq}{}", if fq.is_empty() { "" } else { "&" }),
        export_query: fq,
        can_create,
    }))
}

pub async fn clans_export_get(State(state): State<AppState>, auth: Auth, Query(lq): Query<ListQuery>) -> Result<Response, WebError> {
    let f = thidua_app::exports::ExportFilter { unit: lq.unit, query: Some(lq.q.clone()) };
    super::sheet_file(state.app.clans_export(&auth.actor, &f).await?)
}

#[derive(Template)]
#[template(path = "clan.html")]
struct DetailPage {
    l: Layout,
    c: ClanVm,
    history: Vec<AuditVm>,
    can_write: bool,
    assess: Option<(String, String)>,
    nominate: Option<String>,
}

pub async fn clan_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let c = state.app.clan(&auth.actor, id).await.map_err(|e| WebError::from(e).lang(auth.lang))?;
    let snap = state.app.snapshot().await?;
    let history = AuditVm::list(&state, &state.app.clan_history(&auth.actor, id).await?).await?;
    let can_write = state.app.can(&auth.actor, Action::WriteRegistry, c.unit_id).await;
    let l = Layout::new(&state, &auth, c.name.clone(), "clans").await;
    let assess = super::assess_action(&state, &auth, thidua_domain::titles::Subject::Clan, id, c.unit_id).await;
    let nominate = super::nominate_action(&state, &auth, "clan", &c.code, c.unit_id).await;
    Ok(view::render(&DetailPage { l, c: ClanVm::new(&snap, &c), history, can_write, assess, nominate }))
}

/// The form's fields; `village` repeats, so the body is read as pairs.
#[derive(Default)]
struct ClanForm {
    csrf: String,
    version: i64,
    code: String,
    name: String,
    representative: String,
    unit: i64,
    villages: Vec<i64>,
}

impl ClanForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> ClanForm {
        let mut f = ClanForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "_csrf" => f.csrf = v,
                "version" => f.version = v.parse().unwrap_or_default(),
                "code" => f.code = v,
                "name" => f.name = v,
                "representative" => f.representative = v,
                "unit" => f.unit = v.parse().unwrap_or_default(),
                "village" => f.villages.extend(v.parse::<i64>().ok()),
                _ => {}
            }
        }
        f
    }

    fn input(&self) -> ClanInput {
        ClanInput {
            code: self.code.clone(),
            name: self.name.clone(),
            unit_id: self.unit,
            representative_name: Some(self.representative.clone()),
            villages: self.villages.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "clan_form.html")]
struct FormPage {
    l: Layout,
    f: ClanForm,
    version: i64,
    homes: Vec<(i64, String)>,
    villages: Vec<(i64, String, bool)>,
    error: Option<super::form::Refusal>,
}

async fn form_page(state: &AppState, auth: &Auth, title: String, f: ClanForm, error: Option<String>) -> Result<Response, WebError> {
    let snap = state.app.snapshot().await?;
    let homes = homes(state, auth, &snap);
    let mut villages: Vec<(i64, String, bool)> = snap
        .units
        .values()
        .filter(|u| u.active && u.kind.holds_households())
        .filter(|u| state.app.shows(&auth.actor, &snap, Action::ReadRegistry, u.id))
        .map(|u| {
            let parent = u.parent_id.map(|p| unit_name(&snap, p)).unwrap_or_default();
            (u.id, format!("{} — {parent}", u.name), f.villages.contains(&u.id))
        })
        .collect();
    // Every village the user may read is offered: a cut list would silently drop, on saving, a
    // clan's villages that fell beyond it (unticked means removed).
    villages.sort_by_key(|(_, n, _)| thidua_domain::text::fold(n));
    let l = Layout::new(state, auth, title, "clans").await;
    let version = f.version;
    let refused = error.is_some();
    let fields = [("representative", "đại diện"), ("unit", "đơn vị"), ("name", "tên"), ("code", "mã")];
    let error = error.map(|m| super::form::Refusal::of(m, &fields));
    Ok(view::render_form(&FormPage { l, f, version, homes, villages, error }, refused))
}

pub async fn clan_new_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    // The form is for those who may write the registry somewhere; the unit is decided on sending.
    state.app.require_somewhere(&auth.actor, thidua_domain::access::Action::WriteRegistry).await?;
    form_page(&state, &auth, crate::i18n::t(auth.lang, "clan.new").into(), ClanForm::default(), None).await
}

pub async fn clan_new_post(
    State(state): State<AppState>,
    auth: Auth,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = ClanForm::from_pairs(pairs);
    auth.verify_csrf(&f.csrf)?;
    match state.app.create_clan(&auth.actor, f.input()).await {
        Ok(id) => Ok(Redirect::to(&format!("/clans/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            form_page(&state, &auth, crate::i18n::t(auth.lang, "clan.new").into(), f, Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn clan_edit_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let c = state.app.clan(&auth.actor, id).await?;
    state.app.authorize(&auth.actor, Action::WriteRegistry, c.unit_id).await?;
    let f = ClanForm {
        csrf: String::new(),
        version: c.version,
        code: c.code.clone(),
        name: c.name.clone(),
        representative: c.representative_name.clone().unwrap_or_default(),
        unit: c.unit_id,
        villages: c.villages.clone(),
    };
    form_page(&state, &auth, format!("{}: {}", crate::i18n::t(auth.lang, "action.edit"), c.name), f, None).await
}

pub async fn clan_edit_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = ClanForm::from_pairs(pairs);
    auth.verify_csrf(&f.csrf)?;
    match state.app.update_clan(&auth.actor, id, f.version, f.input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/clans/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            form_page(&state, &auth, crate::i18n::t(auth.lang, "action.edit").into(), f, Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn clan_active_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    state.app.set_clan_active(&auth.actor, id, f.version, f.active == "true").await?;
    Ok(Redirect::to(&format!("/clans/{id}")).into_response())
}
