//! The page frame shared by every page (navigation, language, user) and the render helper.

use crate::AppState;
use crate::i18n::{self, Lang};
use crate::session::Auth;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use thidua_domain::access::Action;

/// A whole number a template shows through [`Layout::num`] (askama passes fields by value or
/// by reference).
pub trait Count {
    fn count(&self) -> i128;
}

macro_rules! counts {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(&self) -> i128 {
                i128::from(*self)
            }
        }
    )*};
}
counts!(i64, u64, i32, u32);

impl Count for usize {
    fn count(&self) -> i128 {
        i128::try_from(*self).unwrap_or(i128::MAX)
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> i128 {
        (**self).count()
    }
}

/// What the frame of every page needs.
pub struct Layout {
    pub lang: Lang,
    pub user: Option<String>,
    pub csrf: String,
    pub title: String,
    pub nav: &'static str,
    pub can_audit: bool,
    pub can_import: bool,
    pub can_admin: bool,
    /// Acts on dossiers somewhere on the commendation route (DOET, DOHA, council, Chairman):
    /// the queue is in the menu.
    pub can_queue: bool,
    pub flash: Option<String>,
    /// The page has no English text: no language switch is offered on it (an English reader
    /// is told the page is Vietnamese only).
    pub vi_only: bool,
}

impl Layout {
    /// The frame for a signed-in user.
    pub async fn new(state: &AppState, auth: &Auth, title: impl Into<String>, nav: &'static str) -> Layout {
        let menu = [
            Action::ReadAudit,
            Action::ImportRegistry,
            Action::ManageUsers,
            Action::AppraiseDoet,
            Action::AppraiseDoha,
            Action::CouncilReview,
            Action::Decide,
        ];
        let allowed = state.app.allowed_somewhere(&auth.actor, &menu).await.unwrap_or_default();
        let at = |i: usize| allowed.get(i).copied().unwrap_or(false);
        let (can_audit, can_import, can_admin) = (at(0), at(1), at(2));
        let can_queue = (3..7).any(at);
        Layout {
            lang: auth.lang,
            user: Some(auth.actor.full_name.clone()),
            csrf: auth.csrf.clone(),
            title: title.into(),
            nav,
            can_audit,
            can_import,
            can_admin,
            can_queue,
            flash: auth.flash.map(str::to_string),
            vi_only: false,
        }
    }

    /// The frame for pages without a user (login, errors).
    pub fn anonymous(lang: Lang, title: impl Into<String>) -> Layout {
        Layout {
            lang,
            user: None,
            csrf: String::new(),
            title: title.into(),
            nav: "",
            can_audit: false,
            can_import: false,
            can_admin: false,
            can_queue: false,
            flash: None,
            vi_only: false,
        }
    }

    /// A count as Vietnamese write it (`1.234.567`), for every number a page shows.
    pub fn num(&self, n: impl Count) -> String {
        thidua_domain::text::number(n.count())
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Layout {
        if flash.is_some() {
            self.flash = flash;
        }
        self
    }

    /// A UI text in the page's language.
    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    pub fn html_lang(&self) -> &'static str {
        self.lang.code()
    }

    /// Marks a page written in Vietnamese only (public pages, official documents, reports).
    pub fn vietnamese_only(mut self) -> Layout {
        self.vi_only = true;
        self
    }

    pub fn english_asked(&self) -> bool {
        self.lang == Lang::En
    }

    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Vi => "en",
            Lang::En => "vi",
        }
    }
}

/// Renders a template; a template failure is logged and shown as a generic error.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            let id = crate::error::operation_id();
            tracing::error!(operation_id = %id, error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("Lỗi hiển thị trang (mã tra cứu {id})")).into_response()
        }
    }
}

/// Renders a page that shows a form again after a refusal: 422 then, 200 otherwise, so that
/// browsers and scripts can tell a kept form from a fresh one.
pub fn render_form<T: Template>(t: &T, refused: bool) -> Response {
    let mut r = render(t);
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    l: Layout,
    status: u16,
    message: &'a str,
    back: Option<&'a str>,
}

/// The HTML error page, in the frame given (anonymous, or the user's with the menu).
pub fn error_page(l: Layout, shown: &crate::error::ErrorShown) -> Response {
    let mut r = render(&ErrorPage { l, status: shown.status.as_u16(), message: &shown.message, back: shown.back.as_deref() });
    *r.status_mut() = shown.status;
    r
}

/// Formats Unix milliseconds as dd/mm/yyyy hh:mm in Hanoi time (UTC+7).
pub fn datetime_ms(ms: i64) -> String {
    thidua_domain::dates::moment_in_hanoi(ms).unwrap_or_default()
}

/// Formats an optional date as dd/mm/yyyy, or empty.
pub fn date_opt(d: Option<time::Date>) -> String {
    d.map(thidua_domain::dates::format_dmy).unwrap_or_default()
}

/// The links under a list paged by key (issue 19): to its first page, the previous and next
/// pages by the key of the rows shown, and its last page. No page numbers: reaching page 5,000
/// of six million citizens is done by filtering, not by counting rows.
pub struct KeysetPager {
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
}

impl KeysetPager {
    /// `base` is the list's URL with its filters, ending with `?` or `&`.
    pub fn new<T>(base: &str, page: &thidua_app::ports::Page<T>) -> KeysetPager {
        use thidua_app::ports::At;
        let link = |at: &At| match at {
            At::After(k) => format!("{base}after={k}"),
            At::Before(k) => format!("{base}before={k}"),
            At::Last => format!("{base}last=1"),
        };
        let first = base.trim_end_matches(['?', '&']).to_string();
        KeysetPager {
            first: page.prev.as_ref().map(|_| first),
            prev: page.prev.as_ref().map(link),
            next: page.next.as_ref().map(link),
            last: page.next.as_ref().map(|_| link(&At::Last)),
        }
    }

    pub fn any(&self) -> bool {
        self.prev.is_some() || self.next.is_some()
    }
}

/// A list's total as shown: exact, or "more than" when the list was counted only up to a cap.
pub fn total_text<T>(lang: crate::i18n::Lang, page: &thidua_app::ports::Page<T>) -> String {
    let n = thidua_domain::text::number(i128::from(page.total));
    if page.at_least { format!("{} {n}", crate::i18n::t(lang, "list.more_than")) } else { n }
}

/// A page link list: (number, is_current).
pub fn page_links(page: i64, pages: i64) -> Vec<(i64, bool)> {
    let mut out: Vec<i64> = vec![1, pages, page - 2, page - 1, page, page + 1, page + 2];
    out.retain(|p| *p >= 1 && *p <= pages);
    out.sort_unstable();
    out.dedup();
    out.into_iter().map(|p| (p, p == page)).collect()
}

/// One title of a household's or citizen's history, for its page.
pub struct TitleVm {
    pub name: String,
    pub years: String,
    pub streak: u32,
    pub longest: u32,
}

impl TitleVm {
    /// Titles with at least one recognised year, newest history first.
    pub fn list(history: &[thidua_app::titles::TitleHistory]) -> Vec<TitleVm> {
        history
            .iter()
            .filter(|h| !h.recognised_years.is_empty())
            .map(|h| TitleVm {
                name: h.title.label_vi.to_string(),
                years: h.recognised_years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", "),
                streak: h.streak,
                longest: h.longest,
            })
            .collect()
    }
}

/// One award of a subject's history (household, citizen), for its page.
pub struct AwardVm {
    pub decision_id: i64,
    pub number: String,
    pub signed_on: String,
    pub level: String,
    pub campaign: String,
}

impl AwardVm {
    pub fn list(history: &[thidua_app::ports::AwardHistoryRow]) -> Vec<AwardVm> {
        let awards = thidua_app::commendation::awards().ok();
        history
            .iter()
            .map(|h| AwardVm {
                decision_id: h.decision.id,
                number: h.decision.number.clone(),
                signed_on: thidua_domain::dates::format_dmy(h.decision.signed_on),
                level: awards.and_then(|a| a.get(&h.decision.level)).map(|a| a.name.clone()).unwrap_or_else(|| h.decision.level.clone()),
                campaign: h.campaign_code.clone(),
            })
            .collect()
    }
}

/// A task with a deadline, for the home page.
pub struct DueVm {
    pub what: String,
    pub campaign: String,
    pub unit: String,
    pub due_before: String,
    pub left: String,
    /// ok | warn | late
    pub tone: &'static str,
    pub link: String,
}

impl DueVm {
    pub fn list(items: &[thidua_app::commendation::DueItem]) -> Vec<DueVm> {
        use thidua_domain::commendation::reminders::Urgency;
        items
            .iter()
            .map(|d| DueVm {
                what: d.what.clone(),
                campaign: d.campaign.clone(),
                unit: d.unit.clone(),
                due_before: thidua_domain::dates::format_dmy(d.due_before),
                left: if d.working_days_left > 0 {
                    format!("còn {} ngày làm việc", d.working_days_left)
                } else {
                    format!("quá hạn {} ngày làm việc", -d.working_days_left)
                },
                tone: match d.urgency {
                    Urgency::Later => "ok",
                    Urgency::Remind(_) => "warn",
                    Urgency::Overdue => "late",
                },
                link: d.link.clone(),
            })
            .collect()
    }
}

/// The QR code of a URL as an inline SVG.
pub fn qr_svg(url: &str) -> Result<String, crate::error::WebError> {
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| crate::error::WebError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).build())
}
