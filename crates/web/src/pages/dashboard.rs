//! The dashboard of a scope: titles against targets (bars), their trend (lines), coverage of the
//! units below (stacked bars, drill-down), awards by level, dossiers by state, reports on time;
//! every chart with its data table, every table in one .xlsx.

use crate::AppState;
use crate::charts::{self, Bar};
use crate::error::WebError;
use crate::extract::Query;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use thidua_app::dashboard::Dashboard;

#[derive(Deserialize)]
pub struct DashQuery {
    #[serde(default)]
    unit: Option<i64>,
    #[serde(default)]
    year: Option<i64>,
}

fn pct(v: Option<f64>) -> String {
    thidua_domain::text::percent(v)
}

#[derive(Clone)]
struct TitleLine {
    code: &'static str,
    name: &'static str,
    eligible: u64,
    assessed: u64,
    recognised: u64,
    coverage: String,
    target: String,
    basis: String,
    area: String,
}

#[derive(Clone)]
struct ChildVm {
    id: i64,
    name: String,
    has_children: bool,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    l: Layout,
    d: std::sync::Arc<Dashboard>,
    titles: Vec<TitleLine>,
    children: Vec<ChildVm>,
    parent: Option<(i64, String)>,
    chart_titles: String,
    chart_trend: String,
    chart_children: String,
    chart_awards: String,
    trend_rows: Vec<(&'static str, Vec<u64>)>,
    dossiers: Vec<(&'static str, u64)>,
    rate: String,
}

/// What the page draws from a dashboard alone (not from who looks at it), drawn once per
/// dashboard and kept with it.
struct Drawn {
    titles: Vec<TitleLine>,
    children: Vec<ChildVm>,
    chart_titles: String,
    chart_trend: String,
    chart_children: String,
    chart_awards: String,
    dossiers: Vec<(&'static str, u64)>,
    rate: String,
}

fn draw(d: &Dashboard) -> Drawn {
    let year = d.year;
    let titles: Vec<TitleLine> = d
        .titles
        .iter()
        .map(|t| TitleLine {
            code: t.code,
            name: t.name,
            eligible: t.cell.eligible,
            assessed: t.cell.assessed,
            recognised: t.cell.recognised,
            coverage: pct(t.cell.coverage()),
            target: t.target.as_ref().map(|x| format!("{}% ({})", x.share, x.year)).unwrap_or_else(|| "—".into()),
            basis: t.target.as_ref().map(|x| x.basis.clone()).unwrap_or_default(),
            area: t.area.clone().unwrap_or_default(),
        })
        .collect();
    let chart_titles = charts::bars(
        "chart-titles",
        &format!("Tỷ lệ được công nhận danh hiệu học tập năm {year} — {}", d.unit.name),
        "Mỗi thanh là tỷ lệ đối tượng thuộc diện được công nhận; vạch đứt đỏ là chỉ tiêu quốc gia. Số liệu ở bảng bên dưới.",
        &d.titles
            .iter()
            .map(|t| Bar {
                label: t.name.into(),
                value: t.cell.coverage().unwrap_or(0.0),
                shown: pct(t.cell.coverage()),
                target: t.target.as_ref().map(|x| x.share),
            })
            .collect::<Vec<_>>(),
        100.0,
    );
    let chart_trend = charts::lines(
        "chart-trend",
        &format!("Số được công nhận theo năm — {}", d.unit.name),
        "Mỗi đường là một danh hiệu; số liệu ở bảng bên dưới.",
        &d.trend_years.iter().map(|y| y.to_string()).collect::<Vec<_>>(),
        &d.trend.iter().map(|(n, v)| (n.to_string(), v.iter().map(|x| *x as f64).collect())).collect::<Vec<_>>(),
    );
    let first = d.titles.first();
    let chart_children = charts::stacked(
        "chart-children",
        &format!("{} theo đơn vị trực thuộc năm {year}", first.map_or("Danh hiệu", |t| t.name)),
        "Mỗi thanh là một đơn vị: được công nhận, đã đánh giá chưa công nhận, chưa đánh giá. Số liệu ở bảng bên dưới.",
        &["Được công nhận", "Đã đánh giá, chưa công nhận", "Chưa đánh giá"],
        &d.children
            .iter()
            .take(40)
            .map(|c| {
                let cell = c.cells.first().copied().unwrap_or_default();
                let rec = cell.recognised as f64;
                let assessed_only = cell.assessed.saturating_sub(cell.recognised) as f64;
                let rest = cell.eligible.saturating_sub(cell.assessed.max(cell.recognised)) as f64;
                (c.unit.name.clone(), vec![rec, assessed_only, rest])
            })
            .collect::<Vec<_>>(),
    );
    let max_award = d.awards.iter().map(|a| a.awarded).max().unwrap_or(1) as f64;
    let chart_awards = charts::bars(
        "chart-awards",
        &format!("Khen thưởng theo hình thức năm {year}"),
        "Số tập thể, cá nhân, hộ gia đình được khen thưởng theo quyết định ký trong năm.",
        &d.awards
            .iter()
            .map(|a| Bar { label: a.name.clone(), value: a.awarded as f64, shown: a.awarded.to_string(), target: None })
            .collect::<Vec<_>>(),
        max_award,
    );
    let children = d
        .children
        .iter()
        .map(|c| ChildVm {
            id: c.unit.id,
            name: c.unit.name.clone(),
            has_children: c.has_children,
            cells: c.cells.iter().map(|x| format!("{} / {} ({})", x.recognised, x.eligible, pct(x.coverage()))).collect(),
        })
        .collect();
    let dossiers = d.dossiers.iter().map(|(s, n)| (s.label_vi(), *n)).collect();
    Drawn { titles, children, chart_titles, chart_trend, chart_children, chart_awards, dossiers, rate: pct(d.reports.on_time_rate()) }
}

pub async fn dashboard_get(State(state): State<AppState>, auth: Auth, Query(q): Query<DashQuery>) -> Result<Response, WebError> {
    let year = q.year.unwrap_or_else(|| state.app.working_year());
    let d = state.app.dashboard(&auth.actor, q.unit, year).await?;
    let snap = state.app.snapshot().await?;
    let parent = d
        .unit
        .parent_id
        .filter(|p| state.app.shows(&auth.actor, &snap, thidua_domain::access::Action::ReadRegistry, *p))
        .and_then(|p| snap.units.get(&p))
        .map(|u| (u.id, u.name.clone()));
    let drawn = d.drawn.get_or_init(|| std::sync::Arc::new(draw(&d))).clone();
    let v = drawn.downcast::<Drawn>().map_err(|_| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "dashboard drawn twice".to_string()))?;
    let l = Layout::new(&state, &auth, format!("Bảng điều khiển — {}", d.unit.name), "dashboard").await.vietnamese_only();
    Ok(view::render(&DashboardPage {
        l,
        titles: v.titles.clone(),
        children: v.children.clone(),
        parent,
        chart_titles: v.chart_titles.clone(),
        chart_trend: v.chart_trend.clone(),
        chart_children: v.chart_children.clone(),
        chart_awards: v.chart_awards.clone(),
        trend_rows: d.trend.clone(),
        dossiers: v.dossiers.clone(),
        rate: v.rate.clone(),
        d,
    }))
}

/// Every table of the dashboard in one workbook.
pub async fn dashboard_xlsx_get(State(state): State<AppState>, auth: Auth, Query(q): Query<DashQuery>) -> Result<Response, WebError> {
    let year = q.year.unwrap_or_else(|| state.app.working_year());
    let d = state.app.dashboard(&auth.actor, q.unit, year).await?;
    use thidua_documents::Sheet;
    let titles = Sheet {
        title: "Danh hiệu".into(),
        headers: [
            "Danh hiệu",
            "Thuộc diện",
            "Đã đánh giá",
            "Được công nhận",
            "Tỷ lệ (%)",
            "Chỉ tiêu (%)",
            "Mốc chỉ tiêu",
            "Căn cứ",
            "Lĩnh vực UNESCO",
        ]
        .map(String::from)
        .to_vec(),
        rows: d
            .titles
            .iter()
            .map(|t| {
                vec![
                    t.name.to_string(),
                    t.cell.eligible.to_string(),
                    t.cell.assessed.to_string(),
                    t.cell.recognised.to_string(),
                    t.cell.coverage().map(|c| c.to_string()).unwrap_or_default(),
                    t.target.as_ref().map(|x| x.share.to_string()).unwrap_or_default(),
                    t.target.as_ref().map(|x| x.year.to_string()).unwrap_or_default(),
                    t.target.as_ref().map(|x| x.basis.clone()).unwrap_or_default(),
                    t.area.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let mut trend_headers = vec!["Danh hiệu".to_string()];
    trend_headers.extend(d.trend_years.iter().map(|y| y.to_string()));
    let trend = Sheet {
        title: "Xu hướng".into(),
        headers: trend_headers,
        rows: d.trend.iter().map(|(n, v)| std::iter::once(n.to_string()).chain(v.iter().map(|x| x.to_string())).collect()).collect(),
    };
    let mut child_headers = vec!["Mã".to_string(), "Đơn vị".to_string()];
    for t in &d.titles {
        child_headers.push(format!("{} — được công nhận", t.name));
        child_headers.push(format!("{} — thuộc diện", t.name));
    }
    let children = Sheet {
        title: "Đơn vị trực thuộc".into(),
        headers: child_headers,
        rows: d
            .children
            .iter()
            .map(|c| {
                let mut r = vec![c.unit.code.clone(), c.unit.name.clone()];
                for x in &c.cells {
                    r.push(x.recognised.to_string());
                    r.push(x.eligible.to_string());
                }
                r
            })
            .collect(),
    };
    let awards = Sheet {
        title: "Khen thưởng".into(),
        headers: vec!["Hình thức".into(), "Số được khen thưởng".into()],
        rows: d
            .awards
            .iter()
            .map(|a| vec![a.name.clone(), a.awarded.to_string()])
            .chain(std::iter::once(vec!["Sáng kiến".into(), d.initiatives.to_string()]))
            .collect(),
    };
    let dossiers = Sheet {
        title: "Hồ sơ đề nghị".into(),
        headers: vec!["Tình trạng".into(), "Số hồ sơ".into()],
        rows: d.dossiers.iter().map(|(s, n)| vec![s.label_vi().to_string(), n.to_string()]).collect(),
    };
    let holders = Sheet {
        title: "Thời gian xử lý".into(),
        headers: ["Cấp", "Hồ sơ đã qua", "Trung bình (ngày)", "Đang giữ", "Đã chờ trung bình (ngày)"].map(String::from).to_vec(),
        rows: d
            .holders
            .iter()
            .map(|h| {
                vec![
                    h.holder.label_vi().to_string(),
                    h.passed.to_string(),
                    h.average_days.to_string(),
                    h.waiting.to_string(),
                    h.waiting_days.to_string(),
                ]
            })
            .collect(),
    };
    let p = d.reports;
    let reports = Sheet {
        title: "Báo cáo năm".into(),
        headers: ["Thuộc diện", "Đúng hạn", "Muộn", "Chưa gửi", "Tỷ lệ đúng hạn (%)"].map(String::from).to_vec(),
        rows: vec![vec![
            p.expected.to_string(),
            p.on_time.to_string(),
            p.late.to_string(),
            p.missing.to_string(),
            p.on_time_rate().map(|r| r.to_string()).unwrap_or_default(),
        ]],
    };
    let bytes = thidua_documents::write_xlsx(&[titles, trend, children, awards, dossiers, holders, reports])
        .map_err(|e| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(super::xlsx_response(&format!("bang-dieu-khien-{}-{year}.xlsx", d.unit.code.to_lowercase()), bytes))
}
