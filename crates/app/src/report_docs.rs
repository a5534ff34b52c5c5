//! The reports thidua writes from the yearly reports and the reviews: DOET's consolidated city
//! report and its annex workbook, one unit's annex, and the mid-term or final review as an
//! official report. Composed here once, for the pages, the API and the command line; web only
//! turns them into `.docx` / `.xlsx` bytes.

use crate::Named;
use crate::actor::Actor;
use crate::error::AppResult;
use crate::reports::Activities;
use crate::{App, AppError};
use thidua_documents::{OfficialDoc, Sheet};
use thidua_domain::access::Action;
use thidua_domain::dates;
use thidua_domain::reports::ReportState;
use thidua_domain::text::percent;

/// The review a year closes: the mid-term one in 2025, the final one in 2030.
pub fn review_kind(year: i64) -> &'static str {
    if year == 2025 { "Sơ kết giai đoạn 1 (2023 – 2025)" } else { "Tổng kết giai đoạn 2023 – 2030" }
}

pub fn met_label(m: Option<bool>) -> &'static str {
    match m {
        Some(true) => "Đạt",
        Some(false) => "Chưa đạt",
        None => "—",
    }
}

/// One title's line of a review: per phase (label, recognitions, coverage at the end, target, met).
pub struct ReviewLine {
    pub name: &'static str,
    pub phases: Vec<(String, u64, String, String, &'static str)>,
}

/// The lines of a review, one per title.
pub fn review_lines(r: &crate::review::PhaseReview) -> Vec<ReviewLine> {
    r.titles
        .iter()
        .map(|t| ReviewLine {
            name: t.name,
            phases: t
                .phases
                .iter()
                .map(|p| {
                    (
                        format!(
                            "{} – {}{}",
                            p.from,
                            p.to,
                            if p.end_year < p.to { format!(" (đến {})", p.end_year) } else { String::new() }
                        ),
                        p.recognitions,
                        percent(p.shown()),
                        p.target
                            .as_ref()
                            .map(|x| format!("{}\u{a0}%", thidua_domain::text::decimal(x.share)))
                            .unwrap_or_else(|| "—".into()),
                        met_label(p.met()),
                    )
                })
                .collect(),
        })
        .collect()
}

/// A unit's report status as the annexes write it: state, first sent, on time.
fn status_cells(r: &crate::reports::ReportStatus) -> [String; 3] {
    let on_time = match r.on_time {
        Some(true) => "Có",
        Some(false) => "Muộn",
        None => "",
    };
    [
        r.state.map_or("Chưa lập báo cáo", |s| s.label_vi()).to_string(),
        r.first_submitted.map(dates::format_dmy).unwrap_or_default(),
        on_time.to_string(),
    ]
}

impl App {
    /// DOET's consolidated report to the City People's Committee: the year's figures for the
    /// whole city from the registry, who reported and when, and each unit's own account annexed.
    pub async fn city_report_doc(&self, actor: &Actor, year: i64) -> AppResult<Named<OfficialDoc>> {
        let root = self.city_root().await?;
        self.authorize(actor, Action::ReviewReports, root).await?;
        let o = self.report_overview(actor, year).await?;
        let city = self.report_figures(root, year).await?;
        let p = o.punctuality;
        let mut body = vec![
            "Căn cứ Kế hoạch của Ủy ban nhân dân Thành phố Hà Nội về Phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» giai đoạn 2023 – 2030 (mục VII: các sở, ngành, đơn vị, Ủy ban nhân dân cấp xã báo cáo trước ngày 15 tháng 12 hằng năm);".to_string(),
            format!("Sở Giáo dục và Đào tạo tổng hợp kết quả thực hiện Phong trào năm {year} như sau:"),
            "I. TÌNH HÌNH BÁO CÁO".into(),
            format!(
                "{} đơn vị thuộc diện báo cáo; {} đơn vị gửi đúng hạn (trước ngày {}), {} đơn vị gửi muộn, {} đơn vị chưa gửi; tỷ lệ báo cáo đúng hạn {}.",
                p.expected,
                p.on_time,
                dates::format_dmy(o.due_before),
                p.late,
                p.missing,
                percent(p.on_time_rate())
            ),
            "II. KẾT QUẢ THỰC HIỆN".into(),
            "1. Danh hiệu học tập được công nhận trên địa bàn Thành phố:".into(),
        ];
        for t in &city.titles {
            body.push(format!(
                "- {}: {} được công nhận / {} thuộc diện đánh giá ({}).",
                t.name,
                t.recognised,
                t.eligible,
                percent(t.coverage)
            ));
        }
        body.push("2. Khen thưởng trong Phong trào:".into());
        if city.awards.is_empty() {
            body.push("- Chưa có quyết định khen thưởng trong năm.".into());
        }
        for a in &city.awards {
            body.push(format!("- {}: {} tập thể, cá nhân, hộ gia đình.", a.name, a.awarded));
        }
        body.push(format!("3. Sáng kiến được công nhận gắn với thành tích được khen thưởng: {}.", city.initiatives));
        let mut sum = Activities::default();
        for r in o.rows.iter().filter_map(|r| r.row.as_ref()).filter(|r| r.state == ReportState::Approved) {
            let a: Activities = crate::reports::stored(&r.activities, "report activities")?;
            sum.events += a.events;
            sum.week_events += a.week_events;
            sum.participants += a.participants;
            sum.models += a.models;
        }
        body.push(format!(
            "4. Hoạt động do các đơn vị tổ chức (theo báo cáo đã duyệt): {} hoạt động, sự kiện, trong đó {} hoạt động hưởng ứng Tuần lễ hưởng ứng học tập suốt đời; {} lượt người tham gia; {} mô hình điển hình.",
            sum.events, sum.week_events, sum.participants, sum.models
        ));
        body.push("III. TỒN TẠI, HẠN CHẾ VÀ ĐỀ XUẤT CỦA CÁC ĐƠN VỊ".into());
        let approved: Vec<_> = o.rows.iter().filter(|r| r.row.as_ref().is_some_and(|x| x.state == ReportState::Approved)).collect();
        if approved.is_empty() {
            body.push("Chưa có báo cáo nào được duyệt.".into());
        }
        for r in approved {
            let Some(row) = &r.row else { continue };
            if !row.limits.is_empty() {
                body.push(format!("- {}: {}", r.unit.name, row.limits.replace('\n', " ")));
            }
            if !row.proposals.is_empty() {
                body.push(format!("  Đề xuất: {}", row.proposals.replace('\n', " ")));
            }
        }
        body.push("Sở Giáo dục và Đào tạo kính báo cáo Ủy ban nhân dân Thành phố./.".into());
        let doc = OfficialDoc {
            superior: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI".into(),
            issuer: "Sở Giáo dục và Đào tạo".into(),
            number: String::new(),
            place_date: format!("Hà Nội, {}", dates::date_words(self.today())),
            kind: "BÁO CÁO".into(),
            subject: format!("Kết quả thực hiện Phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» năm {year}"),
            addressee: "Kính gửi: Ủy ban nhân dân Thành phố Hà Nội".into(),
            body,
            signer_title: "GIÁM ĐỐC".into(),
            recipients: vec!["Như trên".into(), "Sở Nội vụ (Ban Thi đua - Khen thưởng)".into(), "Lưu: VT".into()],
            annex_title: format!("TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM {year}"),
            annex_subtitle: "(Kèm theo Báo cáo của Sở Giáo dục và Đào tạo; số liệu từng đơn vị ở tệp Excel kèm theo)".into(),
            annex_headers: vec!["STT".into(), "Đơn vị".into(), "Tình trạng".into(), "Ngày gửi".into(), "Đúng hạn".into()],
            annex_rows: o
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut line = vec![(i + 1).to_string(), r.unit.name.clone()];
                    line.extend(status_cells(r));
                    line
                })
                .collect(),
            ..OfficialDoc::default()
        };
        Ok(Named { file_name: format!("bao-cao-phong-trao-{year}.docx"), value: doc })
    }

    /// The city report's annex: one row per reporting unit with its figures as submitted, and
    /// their narratives, one sheet each.
    pub async fn city_report_sheets(&self, actor: &Actor, year: i64) -> AppResult<Named<Vec<Sheet>>> {
        let root = self.city_root().await?;
        self.authorize(actor, Action::ReviewReports, root).await?;
        let o = self.report_overview(actor, year).await?;
        let title_codes: Vec<&'static thidua_domain::titles::Title> = thidua_domain::titles::titles_in_year(year).collect();
        let mut headers: Vec<String> = vec!["Mã đơn vị".into(), "Đơn vị".into(), "Tình trạng".into(), "Ngày gửi".into(), "Đúng hạn".into()];
        for t in &title_codes {
            headers.push(format!("{} — được công nhận", t.label_vi));
            headers.push(format!("{} — thuộc diện", t.label_vi));
        }
        headers.extend([
            "Khen thưởng (tổng)".into(),
            "Sáng kiến".into(),
            "Hoạt động".into(),
            "Tuần lễ HTSĐ".into(),
            "Lượt tham gia".into(),
            "Mô hình".into(),
        ]);
        let mut rows = Vec::new();
        let mut narrative = Vec::new();
        for r in &o.rows {
            let (figures, a): (crate::reports::ReportFigures, Activities) = match r.row.as_ref() {
                Some(x) => {
                    (crate::reports::stored(&x.figures, "report figures")?, crate::reports::stored(&x.activities, "report activities")?)
                }
                None => Default::default(),
            };
            let mut line = vec![r.unit.code.clone(), r.unit.name.clone()];
            line.extend(status_cells(r));
            for t in &title_codes {
                let f = figures.titles.iter().find(|x| x.code == t.code);
                line.push(f.map(|f| f.recognised.to_string()).unwrap_or_default());
                line.push(f.map(|f| f.eligible.to_string()).unwrap_or_default());
            }
            line.push(figures.awards.iter().map(|a| a.awarded).sum::<i64>().to_string());
            line.push(figures.initiatives.to_string());
            line.extend([a.events, a.week_events, a.participants, a.models].map(|n| n.to_string()));
            rows.push(line);
            if let Some(x) = &r.row {
                narrative.push(vec![
                    r.unit.code.clone(),
                    r.unit.name.clone(),
                    x.results.clone(),
                    x.limits.clone(),
                    x.lessons.clone(),
                    x.proposals.clone(),
                ]);
            }
        }
        let sheets = [
            Sheet { title: format!("Số liệu {year}"), headers, rows },
            Sheet {
                title: "Nội dung báo cáo".into(),
                headers: vec![
                    "Mã đơn vị".into(),
                    "Đơn vị".into(),
                    "Kết quả đạt được".into(),
                    "Tồn tại, hạn chế, nguyên nhân".into(),
                    "Bài học kinh nghiệm".into(),
                    "Đề xuất, kiến nghị".into(),
                ],
                rows: narrative,
            },
        ];
        Ok(Named { file_name: format!("bao-cao-cac-don-vi-{year}.xlsx"), value: sheets.to_vec() })
    }

    /// One unit's report as an annex workbook: its figures (titles, awards, initiatives,
    /// activities) and its four narrative parts, as submitted (as they stand while a draft).
    pub async fn unit_report_sheets(&self, actor: &Actor, unit: i64, year: i64) -> AppResult<Named<Vec<Sheet>>> {
        let v = self.report_view(actor, unit, year).await?;
        let titles = v
            .figures
            .titles
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    t.eligible.to_string(),
                    t.assessed.to_string(),
                    t.recognised.to_string(),
                    t.coverage.map(|c| format!("{c:.1}").replace('.', ",")).unwrap_or_default(),
                ]
            })
            .collect();
        let mut other: Vec<Vec<String>> = v.figures.awards.iter().map(|a| vec![a.name.clone(), a.awarded.to_string()]).collect();
        let a = v.activities;
        other.extend([
            vec!["Sáng kiến được công nhận (gắn với thành tích được khen)".into(), v.figures.initiatives.to_string()],
            vec!["Hoạt động, sự kiện đã tổ chức".into(), a.events.to_string()],
            vec!["Trong đó hưởng ứng Tuần lễ học tập suốt đời".into(), a.week_events.to_string()],
            vec!["Lượt người tham gia".into(), a.participants.to_string()],
            vec!["Mô hình điển hình xây dựng, nhân rộng".into(), a.models.to_string()],
        ]);
        let text = |h: &str, t: &str| vec![h.to_string(), t.to_string()];
        let sheets = [
            Sheet {
                title: "Danh hiệu".into(),
                headers: ["Danh hiệu", "Thuộc diện", "Đã đánh giá", "Được công nhận", "Tỷ lệ (%)"].map(String::from).to_vec(),
                rows: titles,
            },
            Sheet { title: "Khen thưởng, hoạt động".into(), headers: vec!["Nội dung".into(), "Số".into()], rows: other },
            Sheet {
                title: "Nội dung báo cáo".into(),
                headers: vec!["Phần".into(), "Nội dung".into()],
                rows: vec![
                    text("Đơn vị", &v.unit.name),
                    text("Tình trạng", v.state.label_vi()),
                    text("1. Kết quả đạt được", &v.row.results),
                    text("2. Tồn tại, hạn chế và nguyên nhân", &v.row.limits),
                    text("3. Bài học kinh nghiệm", &v.row.lessons),
                    text("4. Đề xuất, kiến nghị", &v.row.proposals),
                ],
            },
        ];
        Ok(Named { file_name: format!("bao-cao-{}-{year}.xlsx", v.unit.code.to_lowercase()), value: sheets.to_vec() })
    }

    /// The mid-term (2025) or final (2030) review of a scope as an official report, with the
    /// units' table annexed.
    pub async fn review_doc(&self, actor: &Actor, unit: Option<i64>, year: i64) -> AppResult<Named<OfficialDoc>> {
        let r = self.phase_review(actor, unit, year).await?;
        let mut body = vec![
            "Căn cứ Kế hoạch của Ủy ban nhân dân Thành phố Hà Nội về Phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» giai đoạn 2023 – 2030 (mục V: sơ kết năm 2025, tổng kết năm 2030);".to_string(),
            "Căn cứ Quyết định số 387/QĐ-TTg ngày 25/3/2022 và Quyết định số 677/QĐ-TTg ngày 03/6/2022 của Thủ tướng Chính phủ;".into(),
            format!("{} báo cáo {} như sau:", r.unit.name, review_kind(year).to_lowercase()),
            "I. KẾT QUẢ THEO DANH HIỆU HỌC TẬP".into(),
        ];
        for line in review_lines(&r) {
            for (phase, rec, cov, target, met) in &line.phases {
                body.push(format!(
                    "- {} (giai đoạn {phase}): {rec} lượt công nhận; tỷ lệ cuối giai đoạn {cov}; chỉ tiêu {target}: {met}.",
                    line.name
                ));
            }
        }
        body.push("II. CÁC ĐƠN VỊ SO VỚI CHỈ TIÊU".into());
        body.push(format!("Tỷ lệ công nhận của từng đơn vị so với chỉ tiêu năm {year} ở phụ lục kèm theo."));
        if let Some(o) = &r.own {
            // Seed III.3.2.c, III.3.3.c: each body reviews and rewards its own before 30/7.
            body.push("III. SƠ KẾT, TỔNG KẾT VÀ KHEN THƯỞNG THEO THẨM QUYỀN CỦA CÁC ĐƠN VỊ".into());
            body.push(format!(
                "{}/{} đơn vị đã có quyết định tặng Giấy khen theo thẩm quyền (hạn trước ngày {}){}; {} tập thể, cá nhân được khen thưởng.",
                o.decided(),
                o.bodies.len(),
                dates::format_dmy(o.decided_before),
                if o.late() > 0 { format!(", trong đó {} đơn vị quyết định sau hạn", o.late()) } else { String::new() },
                thidua_domain::text::number(i128::from(o.awarded()))
            ));
            let missing: Vec<&str> = o.bodies.iter().filter(|(_, d)| d.is_empty()).map(|(u, _)| u.name.as_str()).collect();
            if !missing.is_empty() {
                body.push(format!("Chưa ghi nhận quyết định: {}.", missing.join(", ")));
            }
        }
        let mut headers = vec!["STT".to_string(), "Đơn vị".to_string()];
        headers.extend(r.titles.iter().map(|t| t.name.to_string()));
        let rows = r
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let mut row = vec![(i + 1).to_string(), u.unit.name.clone()];
                row.extend(u.titles.iter().map(|(_, c, m)| format!("{} ({})", percent(*c), met_label(*m))));
                row
            })
            .collect();
        let doc = OfficialDoc {
            superior: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI".into(),
            issuer: "Sở Giáo dục và Đào tạo".into(),
            place_date: format!("Hà Nội, {}", dates::date_words(self.today())),
            kind: "BÁO CÁO".into(),
            subject: format!(
                "{} Phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» — {}",
                review_kind(year),
                r.unit.name
            ),
            addressee: "Kính gửi: Ủy ban nhân dân Thành phố Hà Nội".into(),
            body,
            signer_title: "GIÁM ĐỐC".into(),
            recipients: vec!["Như trên".into(), "Lưu: VT".into()],
            annex_title: format!("TỶ LỆ CÔNG NHẬN DANH HIỆU HỌC TẬP CỦA CÁC ĐƠN VỊ SO VỚI CHỈ TIÊU NĂM {year}"),
            annex_headers: headers,
            annex_rows: rows,
            ..OfficialDoc::default()
        };
        let name = if year == 2025 { "so-ket" } else { "tong-ket" };
        Ok(Named { file_name: format!("{name}-{year}.docx"), value: doc })
    }

    /// The city: the root of the unit tree.
    async fn city_root(&self) -> AppResult<i64> {
        self.snapshot().await?.roots().first().copied().ok_or(AppError::NotFound)
    }
}
