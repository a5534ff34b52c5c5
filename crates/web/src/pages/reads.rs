//! Who looked at whom (issue 18 §4): the read log of citizens' and households' data, for the
//! inspector (the audit role) within the units of their scope, newest first.

use crate::AppState;
use crate::error::WebError;
use crate::extract::Query;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_app::ports::{ReadFilter, ReadWhat};

#[derive(Deserialize, Default)]
pub struct ReadsQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    what: String,
    subject: Option<i64>,
    unit: Option<i64>,
    page: Option<i64>,
    after: Option<String>,
    before: Option<String>,
    last: Option<String>,
}

impl ReadsQuery {
    fn filter(&self) -> ReadFilter {
        ReadFilter {
            username: Some(self.user.trim().to_lowercase()).filter(|s| !s.is_empty()),
            what: ReadWhat::parse(&self.what),
            subject_id: self.subject,
            unit: self.unit,
        }
    }

    fn filter_query(&self) -> String {
        let subject = self.subject.map(|s| s.to_string()).unwrap_or_default();
        super::filter_query(self.unit, &[("user", self.user.trim()), ("what", &self.what), ("subject", &subject)])
    }
}

/// One read as listed.
struct ReadVm {
    time: String,
    user: String,
    channel: &'static str,
    what: &'static str,
    /// The record's page, for a read of one record.
    link: Option<String>,
    unit: String,
    rows: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "reads.html")]
struct ReadsPage {
    l: Layout,
    user: String,
    what: String,
    subject: String,
    unit_id: Option<i64>,
    kinds: Vec<(&'static str, &'static str)>,
    rows: Vec<ReadVm>,
    total: String,
    pager: view::KeysetPager,
}

pub async fn reads_get(State(state): State<AppState>, auth: Auth, Query(rq): Query<ReadsQuery>) -> Result<Response, WebError> {
    let request = super::list_page(rq.page, rq.after.clone(), rq.before.clone(), rq.last.is_some(), 50);
    let page = state.app.reads(&auth.actor, &rq.filter(), request).await?;
    let snap = state.app.snapshot().await?;
    let whole = crate::i18n::t(auth.lang, "reads.whole_scope");
    let rows = page
        .items
        .iter()
        .map(|r| {
            let d = &r.read;
            let link = d.subject_id.and_then(|id| match d.what {
                ReadWhat::Person => Some(format!("/people/{id}")),
                ReadWhat::Household => Some(format!("/households/{id}")),
                ReadWhat::People | ReadWhat::Households => None,
            });
            ReadVm {
                time: view::datetime_ms(d.at_ms),
                user: d.username.clone(),
                channel: d.channel.label(),
                what: d.what.label(),
                link,
                unit: d.unit_id.and_then(|u| snap.units.get(&u)).map(|u| u.name.clone()).unwrap_or_else(|| whole.to_string()),
                rows: thidua_domain::text::number(i128::from(d.rows)),
                detail: d.detail.clone(),
            }
        })
        .collect();
    let fq = rq.filter_query();
    let l = Layout::new(&state, &auth, crate::i18n::t(auth.lang, "reads.title"), "audit").await;
    Ok(view::render(&ReadsPage {
        l,
        user: rq.user.clone(),
        what: rq.what.clone(),
        subject: rq.subject.map(|s| s.to_string()).unwrap_or_default(),
        unit_id: rq.unit,
        kinds: ReadWhat::ALL.iter().map(|w| (w.code(), w.label())).collect(),
        rows,
        total: view::total_text(auth.lang, &page),
        pager: view::KeysetPager::new(&format!("/audit/reads?{fq}{}", if fq.is_empty() { "" } else { "&" }), &page),
    }))
}
