//! The commendation's generated documents, laid out as Vietnamese administrative documents: the
//! proposer's submission (tờ trình) with its annexed list, a pre-filled achievement report per
//! nominee, DOET's consolidated submission to DOHA, the draft decision and the decision itself;
//! each list also as a sheet. Composed here once, for the pages, the API and the command line;
//! web only turns them into `.docx` / `.xlsx` bytes.

use super::{BatchView, ConsolidationView};
use crate::actor::Actor;
use crate::error::AppResult;
use crate::ports::{NomineeRow, UnitRecord};
use crate::{App, AppError, Named};
use thidua_documents::{OfficialDoc, Sheet};
use thidua_domain::commendation::awards::format_vnd;
use thidua_domain::commendation::transition::ProcedureNote;
use thidua_domain::commendation::workflow::Outcome;
use thidua_domain::commendation::{NomineeKind, bases};
use thidua_domain::dates;
use thidua_domain::registry::NodeKind;

fn named<T>(file_name: String, value: T) -> Named<T> {
    Named { file_name, value }
}

const PLAN: &str = "Căn cứ Kế hoạch của Ủy ban nhân dân Thành phố Hà Nội về Phong trào thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời giai đoạn 2023 – 2030;";

/// The body that signs for a unit: a ward's People's Committee, or the unit itself.
fn issuer_of(u: &UnitRecord) -> String {
    match u.kind {
        NodeKind::Ward | NodeKind::Commune | NodeKind::Township | NodeKind::District => format!("Ủy ban nhân dân {}", u.name),
        _ => u.name.clone(),
    }
}

/// The title of a body's head, who decides its Giấy khen (Law 2022 Art. 80; after 01/7/2025 a
/// commune's is its Chairman's, legal.md §11.1): «Chủ tịch» of a People's Committee, a school's
/// «Hiệu trưởng», an enterprise's «Giám đốc», otherwise «Thủ trưởng».
pub fn head_title(u: &UnitRecord) -> &'static str {
    match u.kind {
        _ if is_people_committee(u) => "Chủ tịch",
        NodeKind::School => "Hiệu trưởng",
        NodeKind::Enterprise | NodeKind::VocationalCentre | NodeKind::ContinuingEducation => "Giám đốc",
        _ => "Thủ trưởng",
    }
}

/// «Chủ tịch Ủy ban nhân dân Phường Hoàn Kiếm»: who a body's own decision is issued by.
pub fn head_of(u: &UnitRecord) -> String {
    format!("{} {}", head_title(u), issuer_of(u))
}

/// Who issues a commendation decision: the body, its place, its head's authority line.
struct Issuing {
    body: String,
    place: String,
    authority: String,
    signer_title: String,
    proposal: String,
    responsible: String,
    filed: String,
}

impl Issuing {
    /// The City Chairman's decisions (and the drafts DOHA prepares for them).
    fn city() -> Issuing {
        Issuing {
            body: "Ủy ban nhân dân Thành phố Hà Nội".into(),
            place: "Hà Nội".into(),
            authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI".into(),
            signer_title: "CHỦ TỊCH".into(),
            proposal: "Xét đề nghị của Giám đốc Sở Nội vụ.".into(),
            responsible: "Chánh Văn phòng Ủy ban nhân dân Thành phố, Giám đốc Sở Nội vụ, Giám đốc Sở Giáo dục và Đào tạo, Thủ trưởng các cơ quan, đơn vị".into(),
            filed: "Lưu: VT, SNV".into(),
        }
    }

    /// A body's own head's decision (Giấy khen «theo thẩm quyền», seed III.3.2.c).
    fn own(u: &UnitRecord) -> Issuing {
        Issuing {
            body: issuer_of(u),
            place: place_of(u),
            authority: head_of(u).to_uppercase(),
            signer_title: head_title(u).to_uppercase(),
            proposal: "Xét đề nghị của bộ phận phụ trách công tác thi đua, khen thưởng.".into(),
            responsible: "Bộ phận phụ trách công tác thi đua, khen thưởng, các bộ phận có liên quan".into(),
            filed: "Lưu: VT".into(),
        }
    }
}

fn is_people_committee(u: &UnitRecord) -> bool {
    matches!(u.kind, NodeKind::Ward | NodeKind::Commune | NodeKind::Township | NodeKind::District)
}

/// «Hoàn Kiếm» for «Phường Hoàn Kiếm»; Hà Nội for a city body.
fn place_of(u: &UnitRecord) -> String {
    if is_people_committee(u) { u.name.split_whitespace().skip(1).collect::<Vec<_>>().join(" ") } else { "Hà Nội".into() }
}

fn kind_label(n: &NomineeRow) -> &'static str {
    NomineeKind::parse(&n.kind).map(|k| k.class().label_vi()).unwrap_or("")
}

/// «02 tập thể, 01 cá nhân, 01 hộ gia đình»
fn tally(nominees: &[&NomineeRow]) -> String {
    let count = |c: &str| nominees.iter().filter(|n| n.class == c).count();
    let parts: Vec<String> = [("collective", "tập thể"), ("individual", "cá nhân"), ("household", "hộ gia đình")]
        .iter()
        .filter(|(c, _)| count(c) > 0)
        .map(|(c, w)| format!("{:02} {w}", count(c)))
        .collect();
    if parts.is_empty() { "00 đối tượng".into() } else { parts.join(", ") }
}

const LIST_HEADERS: [&str; 5] = ["STT", "Tên tập thể, họ và tên cá nhân, chủ hộ", "Loại", "Chức vụ, đơn vị, địa chỉ", "Tóm tắt thành tích"];

fn list_row(i: usize, n: &NomineeRow) -> Vec<String> {
    vec![(i + 1).to_string(), n.name.clone(), kind_label(n).into(), n.position.clone(), n.achievement.clone()]
}

/// The proposer's submission to DOET with the list of nominees.
fn batch_submission(v: &BatchView, on: time::Date) -> OfficialDoc {
    let live: Vec<&NomineeRow> = v.nominees.iter().map(|n| &n.row).collect();
    let issuer = issuer_of(&v.proposer);
    OfficialDoc {
        issuer: issuer.clone(),
        number: v.batch.number.clone(),
        place_date: format!("{}, {}", place_of(&v.proposer), dates::date_words(on)),
        kind: "TỜ TRÌNH".into(),
        subject: format!("Về việc đề nghị tặng {} — {}", v.level_name, v.campaign.campaign.name),
        addressee: "Kính gửi: Sở Giáo dục và Đào tạo thành phố Hà Nội".into(),
        body: vec![
            PLAN.into(),
            format!("Căn cứ {};", v.campaign.campaign.basis),
            "Căn cứ kết quả họp xét của Hội đồng Thi đua – Khen thưởng đơn vị,".into(),
            format!(
                "{issuer} kính đề nghị Sở Giáo dục và Đào tạo thẩm định, tổng hợp, trình tặng {} cho {} có thành tích xuất sắc, tiêu biểu trong Phong trào thi đua (có danh sách và báo cáo thành tích kèm theo).",
                v.level_name,
                tally(&live)
            ),
            format!("{issuer} kính trình Sở Giáo dục và Đào tạo xem xét./."),
        ],
        signer_title: if is_people_committee(&v.proposer) {
            "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH".into()
        } else {
            "THỦ TRƯỞNG ĐƠN VỊ".into()
        },
        signer: String::new(),
        recipients: vec!["Như trên".into(), "Lưu: VT".into()],
        annex_title: format!("DANH SÁCH ĐỀ NGHỊ TẶNG {}", v.level_name.to_uppercase()),
        annex_subtitle: format!("(Kèm theo Tờ trình số {} của {})", v.batch.number, issuer),
        annex_headers: LIST_HEADERS.iter().map(|s| s.to_string()).collect(),
        annex_rows: live.iter().enumerate().map(|(i, n)| list_row(i, n)).collect(),
        ..Default::default()
    }
}

/// The pre-filled achievement report of one nominee: the structure of the campaign report form
/// (Decree 98/2023, Form 08), with what the registry knows filled in.
fn achievement_report(v: &BatchView, n: &NomineeRow, titles: &[String], awards: &[String]) -> OfficialDoc {
    let who = match NomineeKind::parse(&n.kind) {
        Some(NomineeKind::Individual) => format!("Họ và tên: {}", n.name),
        Some(NomineeKind::Household) => format!("Hộ gia đình ông (bà): {}", n.name),
        _ => format!("Tên tập thể: {}", n.name),
    };
    let mut body = vec![who, "I. SƠ LƯỢC LÝ LỊCH, THÔNG TIN CHUNG".into()];
    if let Some(y) = n.birth_year {
        body.push(format!("Năm sinh: {y}."));
    }
    if !n.position.is_empty() {
        body.push(format!("Chức vụ, đơn vị công tác, địa chỉ: {}.", n.position));
    }
    body.push(format!("Đơn vị đề nghị: {}.", v.proposer.name));
    body.push("II. THÀNH TÍCH ĐẠT ĐƯỢC".into());
    body.push(if n.achievement.is_empty() {
        "(Nêu kết quả đạt được so với mục tiêu của Phong trào, giải pháp, sáng kiến và hiệu quả.)".into()
    } else {
        n.achievement.clone()
    });
    if titles.is_empty() {
        body.push("Danh hiệu học tập được công nhận: chưa có trong sổ danh hiệu.".into());
    } else {
        body.push(format!("Danh hiệu học tập được công nhận: {}.", titles.join("; ")));
    }
    body.push("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN".into());
    body.push(if awards.is_empty() { "Chưa có khen thưởng nào trong hệ thống.".into() } else { awards.join("; ") });
    OfficialDoc {
        issuer: issuer_of(&v.proposer),
        place_date: format!("{}, ngày     tháng     năm {}", place_of(&v.proposer), v.campaign.campaign.year),
        kind: "BÁO CÁO THÀNH TÍCH".into(),
        subject: format!("Đề nghị tặng {} — {}", v.level_name, v.campaign.campaign.name),
        body,
        certifier: format!("XÁC NHẬN CỦA {}", issuer_of(&v.proposer)),
        signer_title: if n.class == "collective" { "THỦ TRƯỞNG ĐƠN VỊ".into() } else { "NGƯỜI BÁO CÁO".into() },
        signer: if n.class == "collective" { String::new() } else { n.name.clone() },
        ..Default::default()
    }
}

fn consolidated_rows(c: &ConsolidationView) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (_, unit, nominees) in &c.groups {
        for n in nominees {
            let i = rows.len();
            let mut r = list_row(i, n);
            r.insert(4, unit.name.clone());
            rows.push(r);
        }
    }
    rows
}

fn consolidated_headers() -> Vec<String> {
    let mut h: Vec<String> = LIST_HEADERS.iter().map(|s| s.to_string()).collect();
    h.insert(4, "Đơn vị đề nghị".into());
    h
}

/// DOET's consolidated submission to DOHA with the list of every proposer's nominees.
fn doet_submission(c: &ConsolidationView) -> OfficialDoc {
    let all: Vec<&NomineeRow> = c.groups.iter().flat_map(|g| g.2.iter()).collect();
    let signed = dates::date_words(c.row.signed_on);
    OfficialDoc {
        superior: "Ủy ban nhân dân Thành phố Hà Nội".into(),
        issuer: "Sở Giáo dục và Đào tạo".into(),
        number: c.row.number.clone(),
        place_date: format!("Hà Nội, {signed}"),
        kind: "TỜ TRÌNH".into(),
        subject: format!("Về việc đề nghị tặng {} — {}", c.level_name, c.campaign.campaign.name),
        addressee: "Kính gửi: Sở Nội vụ thành phố Hà Nội (Ban Thi đua – Khen thưởng)".into(),
        body: vec![
            PLAN.into(),
            format!("Căn cứ hồ sơ đề nghị của {} cơ quan, đơn vị, địa phương;", c.groups.len()),
            format!(
                "Sau khi thẩm định, Sở Giáo dục và Đào tạo đề nghị Sở Nội vụ thẩm định, trình Chủ tịch Ủy ban nhân dân Thành phố tặng {} cho {} có thành tích xuất sắc, tiêu biểu trong Phong trào thi đua (có danh sách kèm theo).",
                c.level_name,
                tally(&all)
            ),
            "Sở Giáo dục và Đào tạo kính trình Sở Nội vụ xem xét./.".into(),
        ],
        signer_title: "GIÁM ĐỐC".into(),
        signer: String::new(),
        recipients: vec!["Như trên".into(), "Lưu: VT, Phòng GDTX".into()],
        annex_title: format!("DANH SÁCH ĐỀ NGHỊ TẶNG {}", c.level_name.to_uppercase()),
        annex_subtitle: format!(
            "(Kèm theo Tờ trình số {} ngày {} của Sở Giáo dục và Đào tạo)",
            c.row.number,
            thidua_domain::dates::format_dmy(c.row.signed_on)
        ),
        annex_headers: consolidated_headers(),
        annex_rows: consolidated_rows(c),
        ..Default::default()
    }
}

/// The Chairman's decision: a draft (no number or date yet) or the recorded one.
/// What heads the Chairman's decision: the award, the campaign, its number and date once
/// recorded, and who signed it.
struct DecisionHead<'a> {
    issuing: Issuing,
    level_name: &'a str,
    campaign: &'a str,
    number: &'a str,
    on: Option<time::Date>,
    signer: &'a str,
}

/// The Chairman's decision; `basis_date` chooses the decree cited (its date, or today's for a
/// draft).
fn decision_doc(
    head: DecisionHead<'_>,
    rows: Vec<Vec<String>>,
    reward: i64,
    basis_date: time::Date,
    decrees: &[bases::Decree],
) -> OfficialDoc {
    let DecisionHead { issuing, level_name, campaign, number, on, signer } = head;
    let people_committee = issuing.body.starts_with("Ủy ban nhân dân");
    let n = rows.len();
    let date = on.map(dates::date_words).unwrap_or_else(|| "ngày     tháng     năm     ".into());
    // The decree in force on the decision's date (the day it is drafted, for a draft); when none
    // is recorded for that date the document says so, to be completed before it is issued.
    let (decree_line, decree_short) = match bases::in_force(decrees, basis_date) {
        Some(d) => (format!("Căn cứ {};", d.cite), format!("Nghị định số {}", d.number)),
        None => {
            let missing = format!(
                "[chưa ghi nhận nghị định quy định chi tiết Luật Thi đua, khen thưởng có hiệu lực ngày {} — cần bổ sung căn cứ trước khi ban hành]",
                dates::format_dmy(basis_date)
            );
            (format!("Căn cứ {missing};"), missing)
        }
    };
    let symbol = if people_committee { "      /QĐ-UBND" } else { "      /QĐ" };
    let mut bases = Vec::new();
    if people_committee {
        bases.push("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;".to_string());
    }
    bases.extend(["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;".to_string(), decree_line]);
    // Decree 152/2025 Art. 60(2): the former decree may still govern the procedure of the
    // province's own awards until 31/12/2025 (data says whether, or asks).
    if let Some(note) = super::transitions().ok().and_then(|t| t.procedure_note(basis_date)) {
        bases.push(match note {
            ProcedureNote::Cite(line) | ProcedureNote::Settle(line) => line,
        });
    }
    bases.extend([PLAN.into(), issuing.proposal]);
    OfficialDoc {
        issuer: issuing.body,
        number: if number.is_empty() { symbol.into() } else { number.into() },
        place_date: format!("{}, {date}", issuing.place),
        kind: "QUYẾT ĐỊNH".into(),
        subject: format!("Về việc tặng {level_name} — {campaign}"),
        authority: issuing.authority,
        bases,
        articles: vec![
            format!(
                "Điều 1. Tặng {level_name} cho {n} tập thể, cá nhân, hộ gia đình (có danh sách kèm theo) đã có thành tích xuất sắc, tiêu biểu trong Phong trào thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời."
            ),
            format!("Điều 2. Tiền thưởng theo quy định của Luật Thi đua, khen thưởng và {decree_short}; tổng cộng {}.", format_vnd(reward)),
            format!(
                "Điều 3. Quyết định có hiệu lực kể từ ngày ký. {} và các tập thể, cá nhân, hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
                issuing.responsible
            ),
        ],
        signer_title: issuing.signer_title,
        signer: signer.into(),
        recipients: vec!["Như Điều 3".into(), issuing.filed],
        annex_title: format!("DANH SÁCH ĐƯỢC TẶNG {}", level_name.to_uppercase()),
        annex_subtitle: format!("(Kèm theo Quyết định số {} {})", if number.is_empty() { symbol } else { number }, date),
        annex_headers: consolidated_headers(),
        annex_rows: rows,
        ..Default::default()
    }
}

/// DOHA's draft decision over a consolidated submission.
fn draft_decision(c: &ConsolidationView, on: time::Date, decrees: &[bases::Decree]) -> AppResult<OfficialDoc> {
    let awards = super::awards()?;
    let reward: i64 = c
        .groups
        .iter()
        .flat_map(|g| g.2.iter())
        .filter_map(|n| {
            let class = NomineeKind::parse(&n.kind)?.class();
            awards.reward(&c.row.level, class, on).map(|a| a.vnd)
        })
        .sum();
    let head = DecisionHead {
        issuing: Issuing::city(),
        level_name: &c.level_name,
        campaign: &c.campaign.campaign.name,
        number: "",
        on: None,
        signer: "",
    };
    Ok(decision_doc(head, consolidated_rows(c), reward, on, decrees))
}

impl App {
    /// The proposer's submission (tờ trình) of a dossier, dated the day it was submitted (today
    /// for a draft).
    pub async fn batch_submission_doc(&self, actor: &Actor, id: i64) -> AppResult<Named<OfficialDoc>> {
        let v = self.batch_view(actor, id).await?;
        let on = v.batch.submitted_at_ms.and_then(dates::date_in_hanoi).unwrap_or_else(|| self.today());
        Ok(named(format!("to-trinh-{id}.docx"), batch_submission(&v, on)))
    }

    /// The draft of a body's own decision on its Giấy khen dossier, without number or date: the
    /// officer prints it for the head to sign, then records the signed decision on the dossier.
    pub async fn own_draft_decision_doc(&self, actor: &Actor, id: i64) -> AppResult<Named<OfficialDoc>> {
        let v = self.batch_view(actor, id).await?;
        if v.route != thidua_domain::commendation::workflow::Route::OwnHead {
            return Err(AppError::Invalid("Chỉ Giấy khen do thủ trưởng đơn vị quyết định mới có dự thảo quyết định ở đây.".into()));
        }
        let rows: Vec<Vec<String>> = v
            .nominees
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut r = list_row(i, &n.row);
                r.insert(4, v.proposer.name.clone());
                r
            })
            .collect();
        let reward = v.nominees.iter().filter_map(|n| n.reward_vnd).sum();
        let head = DecisionHead {
            issuing: Issuing::own(&v.proposer),
            level_name: &v.level_name,
            campaign: &v.campaign.campaign.name,
            number: "",
            on: None,
            signer: "",
        };
        Ok(named(format!("du-thao-quyet-dinh-giay-khen-{id}.docx"), decision_doc(head, rows, reward, self.today(), &self.decrees().await?)))
    }

    /// The dossier's list of nominees.
    pub async fn batch_list_sheet(&self, actor: &Actor, id: i64) -> AppResult<Named<Sheet>> {
        let v = self.batch_view(actor, id).await?;
        let rows = v.nominees.iter().enumerate().map(|(i, n)| list_row(i, &n.row)).collect();
        let sheet = Sheet { title: "Danh sách đề nghị".into(), headers: LIST_HEADERS.iter().map(|s| s.to_string()).collect(), rows };
        Ok(named(format!("danh-sach-de-nghi-{id}.xlsx"), sheet))
    }

    /// A nominee's achievement report, pre-filled with its titles and earlier awards.
    pub async fn achievement_report_doc(&self, actor: &Actor, id: i64, nominee: i64) -> AppResult<Named<OfficialDoc>> {
        let v = self.batch_view(actor, id).await?;
        let n = v.nominees.iter().find(|n| n.row.id == nominee).map(|n| n.row.clone()).ok_or(AppError::NotFound)?;
        let (titles, awards) = self.nominee_record(actor, &n).await?;
        Ok(named(format!("bao-cao-thanh-tich-{nominee}.docx"), achievement_report(&v, &n, &titles, &awards)))
    }

    /// DOET's consolidated submission to DOHA.
    pub async fn consolidation_doc(&self, actor: &Actor, id: i64) -> AppResult<Named<OfficialDoc>> {
        let c = self.consolidation_view(actor, id).await?;
        Ok(named(format!("to-trinh-so-gddt-{id}.docx"), doet_submission(&c)))
    }

    /// The consolidated list of every proposer's nominees.
    pub async fn consolidation_sheet(&self, actor: &Actor, id: i64) -> AppResult<Named<Sheet>> {
        let c = self.consolidation_view(actor, id).await?;
        let sheet = Sheet { title: "Danh sách tổng hợp".into(), headers: consolidated_headers(), rows: consolidated_rows(&c) };
        Ok(named(format!("danh-sach-tong-hop-{id}.xlsx"), sheet))
    }

    /// DOHA's draft of the Chairman's decision over a consolidated submission.
    pub async fn draft_decision_doc(&self, actor: &Actor, id: i64) -> AppResult<Named<OfficialDoc>> {
        let c = self.consolidation_view(actor, id).await?;
        Ok(named(format!("du-thao-quyet-dinh-{id}.docx"), draft_decision(&c, self.today(), &self.decrees().await?)?))
    }

    /// The Chairman's recorded decision with its list.
    pub async fn award_decision_doc(&self, actor: &Actor, id: i64) -> AppResult<Named<OfficialDoc>> {
        let (d, level, campaign, rows) = self.decided(actor, id).await?;
        let issuing = match self.own_issuer(&d).await? {
            Some(u) => Issuing::own(&u),
            None => Issuing::city(),
        };
        let head =
            DecisionHead { issuing, level_name: &level, campaign: &campaign, number: &d.number, on: Some(d.signed_on), signer: &d.signer };
        let doc = decision_doc(head, rows, d.reward_vnd, d.signed_on, &self.decrees().await?);
        Ok(named(format!("quyet-dinh-khen-thuong-{id}.docx"), doc))
    }

    /// The list annexed to the Chairman's decision.
    pub async fn award_decision_sheet(&self, actor: &Actor, id: i64) -> AppResult<Named<Sheet>> {
        let (_, _, _, rows) = self.decided(actor, id).await?;
        let sheet = Sheet { title: "Danh sách khen thưởng".into(), headers: consolidated_headers(), rows };
        Ok(named(format!("danh-sach-khen-thuong-{id}.xlsx"), sheet))
    }

    /// The body whose own head issued a decision (a Giấy khen), or `None` for the City
    /// Chairman's decisions and the central results the city records.
    pub(super) async fn own_issuer(&self, d: &crate::ports::AwardDecisionRow) -> AppResult<Option<UnitRecord>> {
        let award = super::awards()?.get(&d.level);
        if award.is_none_or(|a| a.issuer != thidua_domain::commendation::awards::Issuer::ProposerHead) {
            return Ok(None);
        }
        let snap = self.snapshot().await?;
        let unit = snap.units.get(&d.issuer_unit_id).cloned();
        unit.map(Some).ok_or_else(|| AppError::Storage(crate::error::StorageError::Corrupt(format!("issuer of award decision {}", d.id))))
    }

    /// A recorded decision, its award's and campaign's names and the rows of its awarded nominees
    /// with their proposers.
    async fn decided(&self, actor: &Actor, id: i64) -> AppResult<(crate::ports::AwardDecisionRow, String, String, Vec<Vec<String>>)> {
        let d = self.award_decision(actor, id).await?;
        let campaign = self.campaign(actor, d.campaign_id).await?.campaign.name;
        let level = super::awards()?
            .get(&d.level)
            .map(|a| a.name.clone())
            .ok_or_else(|| AppError::Storage(crate::error::StorageError::Corrupt(format!("award level «{}» of decision {id}", d.level))))?;
        let nominees = self.decision_nominees(actor, id).await?;
        let snap = self.snapshot().await?;
        let proposers = self.decision_proposers(actor, id).await?;
        let mut rows = Vec::new();
        for n in nominees.iter().filter(|n| n.outcome == Outcome::Awarded) {
            let proposer = proposers.get(&n.batch_id).and_then(|u| snap.units.get(u)).map(|u| u.name.clone()).unwrap_or_default();
            let mut r = list_row(rows.len(), n);
            r.insert(4, proposer);
            rows.push(r);
        }
        Ok((d, level, campaign, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn decision_on(on: time::Date) -> String {
        let decrees = thidua_domain::commendation::bases::decrees().unwrap_or_default();
        let head = DecisionHead {
            issuing: Issuing::city(),
            level_name: "Bằng khen",
            campaign: "Tổng kết",
            number: "1/QĐ-UBND",
            on: Some(on),
            signer: "X",
        };
        let doc = decision_doc(head, vec![], 0, on, &decrees);
        [doc.bases.join("\n"), doc.articles.join("\n")].join("\n")
    }

    #[test]
    fn a_decision_signed_before_july_2025_cites_decree_98_2023() {
        let text = decision_on(date!(2025 - 06 - 30));
        assert!(text.contains("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023"), "{text}");
        assert!(text.contains("Luật Thi đua, khen thưởng và Nghị định số 98/2023/NĐ-CP"), "{text}");
    }

    #[test]
    fn a_decision_signed_from_july_2025_cites_decree_152_2025_never_98_2023() {
        // Decree 152/2025/NĐ-CP Art. 59: in force from 01/7/2025, Decree 98/2023 ceases.
        let text = decision_on(date!(2026 - 12 - 06));
        assert!(text.contains("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025"), "{text}");
        assert!(text.contains("và Nghị định số 152/2025/NĐ-CP"), "{text}");
        assert!(!text.contains("98/2023"), "{text}");
    }

    #[test]
    fn a_decision_dated_after_decree_152_lapses_says_its_basis_is_missing_instead_of_guessing() {
        // Art. 60(1): Decree 152/2025 ceases on 01/3/2027; no successor is recorded.
        let text = decision_on(date!(2030 - 07 - 20));
        assert!(text.contains("chưa ghi nhận nghị định quy định chi tiết Luật Thi đua, khen thưởng có hiệu lực ngày 20/07/2030"), "{text}");
        assert!(!text.contains("98/2023") && !text.contains("152/2025"), "{text}");
    }
}
