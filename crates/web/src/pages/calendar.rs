//! The working-day calendar: a year's public holidays and days in lieu, the days swapped by the
//! year's notice, and, for an administrator, the form that edits the year's table.

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Form, Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_domain::access::Action;
use thidua_domain::calendar::{self, DayKind, YearTable};
use time::{Date, Weekday};

struct DayRow {
    date: String,
    weekday: &'static str,
    name: String,
    provisional: bool,
    in_lieu: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    l: Layout,
    year: i32,
    prev: i32,
    next: i32,
    holidays: Vec<DayRow>,
    swaps: Vec<DayRow>,
    has_table: bool,
    verified: bool,
    basis: String,
    source: String,
    can_edit: bool,
    form_basis: String,
    form_verified: bool,
    version: String,
    tet: String,
    national: String,
    extra: String,
    days_off: String,
    working: String,
    error: Option<String>,
}

fn weekday_vi(d: Date) -> &'static str {
    match d.weekday() {
        Weekday::Monday => "Thứ Hai",
        Weekday::Tuesday => "Thứ Ba",
        Weekday::Wednesday => "Thứ Tư",
        Weekday::Thursday => "Thứ Năm",
        Weekday::Friday => "Thứ Sáu",
        Weekday::Saturday => "Thứ Bảy",
        Weekday::Sunday => "Chủ nhật",
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

/// The form as submitted, shown back when it is refused.
#[derive(Deserialize, Default, Clone)]
pub struct TableForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    verified: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    tet: String,
    #[serde(default)]
    national: String,
    #[serde(default)]
    extra: String,
    #[serde(default)]
    days_off: String,
    #[serde(default)]
    working: String,
}

async fn page(state: &AppState, auth: &Auth, year: i32, submitted: Option<(TableForm, String)>) -> Result<Response, WebError> {
    if !calendar::YEARS.contains(&year) {
        return Err(WebError::bad_request("Lịch chỉ tính cho các năm 2000–2060."));
    }
    let tables = state.app.calendar_tables().await?;
    let cal = state.app.calendar().await?;
    let dmy = thidua_domain::dates::format_dmy;
    let holidays = cal
        .holidays(year)
        .into_iter()
        .map(|h| DayRow {
            date: dmy(h.date),
            weekday: weekday_vi(h.date),
            name: h.name.clone(),
            provisional: h.provisional,
            in_lieu: h.in_lieu,
        })
        .collect();
    let swaps = cal
        .swaps(year)
        .into_iter()
        .map(|(d, k)| DayRow {
            date: dmy(d),
            weekday: weekday_vi(d),
            name: match k {
                DayKind::DayOff(n) => n,
                DayKind::SwappedWorking(n) => format!("Làm việc: {n}"),
                DayKind::Working | DayKind::WeeklyRest => String::new(),
            },
            provisional: false,
            in_lieu: false,
        })
        .collect();
    let view = tables.get(&year);
    let table = view.map(|v| v.table.clone()).unwrap_or_else(|| YearTable::empty(year));
    let source = match view {
        Some(v) => match &v.stored {
            Some(s) => format!("Quản trị viên {} sửa lúc {}", s.updated_by, view::datetime_ms(s.updated_at_ms)),
            None => format!("Bảng năm {year} có sẵn trong phần mềm; căn cứ: {}", v.table.basis),
        },
        None => String::new(),
    };
    let snap = state.app.snapshot().await?;
    let can_edit = match snap.roots().first() {
        Some(root) => state.app.can(&auth.actor, Action::ManageCalendar, *root).await,
        None => false,
    };
    let (form, error) = match submitted {
        Some((f, e)) => (f, Some(e)),
        None => (
            TableForm {
                csrf: String::new(),
                version: view.and_then(|v| v.stored.as_ref()).map(|s| s.version.to_string()).unwrap_or_default(),
                verified: if table.verified { "on".into() } else { String::new() },
                basis: table.basis.clone(),
                tet: table.tet.join("\n"),
                national: table.national_day_adjacent.clone().unwrap_or_default(),
                extra: calendar::named_lines(&table.holidays),
                days_off: calendar::range_lines(&table.days_off),
                working: calendar::named_lines(&table.working_days),
            },
            None,
        ),
    };
    let l = Layout::new(state, auth, format!("{} {year}", crate::i18n::t(auth.lang, "calendar.title")), "calendar").await;
    let refused = error.is_some();
    let p = CalendarPage {
        l,
        year,
        prev: year - 1,
        next: year + 1,
        holidays,
        swaps,
        has_table: view.is_some(),
        verified: table.verified,
        basis: table.basis,
        source,
        can_edit,
        form_basis: form.basis,
        form_verified: !form.verified.is_empty(),
        version: form.version,
        tet: form.tet,
        national: form.national,
        extra: form.extra,
        days_off: form.days_off,
        working: form.working,
        error,
    };
    Ok(view::render_form(&p, refused))
}

pub async fn calendar_get(State(state): State<AppState>, auth: Auth, Query(q): Query<YearQuery>) -> Result<Response, WebError> {
    let year = q.year.unwrap_or_else(|| state.app.now().to_offset(time::macros::offset!(+7)).year());
    page(&state, &auth, year, None).await
}

fn table_of(year: i32, f: &TableForm) -> Result<YearTable, String> {
    let clean = |s: &str| thidua_domain::text::clean_multiline(s);
    let tet: Vec<String> = clean(&f.tet).split(['\n', ',', ';']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    for d in &tet {
        thidua_domain::dates::parse_dmy(d).map_err(|e| format!("Ngày Tết «{d}»: {e}"))?;
    }
    let national = clean(&f.national).trim().to_string();
    Ok(YearTable {
        year,
        verified: !f.verified.is_empty(),
        basis: thidua_domain::text::clean(&f.basis),
        tet,
        national_day_adjacent: (!national.is_empty()).then_some(national),
        holidays: calendar::parse_named_lines(&clean(&f.extra)).map_err(|e| format!("Ngày lễ bổ sung, {e}"))?,
        days_off: calendar::parse_range_lines(&clean(&f.days_off)).map_err(|e| format!("Ngày nghỉ hoán đổi, {e}"))?,
        working_days: calendar::parse_named_lines(&clean(&f.working)).map_err(|e| format!("Ngày làm bù, {e}"))?,
    })
}

pub async fn calendar_post(
    State(state): State<AppState>,
    auth: Auth,
    Path(year): Path<i32>,
    Form(f): Form<TableForm>,
) -> Result<Response, WebError> {
    auth.verify_csrf(&f.csrf)?;
    let table = match table_of(year, &f) {
        Ok(t) => t,
        Err(e) => return page(&state, &auth, year, Some((f, e))).await,
    };
    if table.basis.is_empty() {
        return page(&state, &auth, year, Some((f, "Hãy ghi căn cứ (số, ngày thông báo hoặc nguồn).".into()))).await;
    }
    let expected = f.version.trim().parse::<i64>().ok();
    match state.app.save_calendar_table(&auth.actor, table, expected).await {
        Ok(_) => Ok(Redirect::to(&format!("/calendar?year={year}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => page(&state, &auth, year, Some((f, m))).await,
        Err(e) => Err(e.into()),
    }
}
