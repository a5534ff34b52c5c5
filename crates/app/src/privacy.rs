//! The record of processing and the impact-assessment dossier (issue 18 §1, Law 91/2025/QH15
//! Art. 21): shown to the city's administrators, downloaded as the dossier the controller files,
//! with the day it is due.

use crate::error::{AppError, AppResult};
use crate::{Actor, App, Named};
use thidua_documents::OfficialDoc;
use thidua_domain::access::Action;
use thidua_domain::dates;
use thidua_domain::processing::{self, Ground, Record};
use time::Date;

/// The number of the Law whose Art. 21 sets the dossier's time (`privacy/laws.toml`).
const LAW: &str = "91/2025/QH15";

/// The record with the dates that make its dossier due.
#[derive(Debug, Clone)]
pub struct ProcessingView {
    pub record: Record,
    /// The day thidua began to process personal data here: its first recorded write.
    pub started: Date,
    /// The day the Law came into force.
    pub law_from: Date,
    pub due: Date,
}

/// What thidua itself does to protect the data, for the dossier: each is a part of this code
/// base, with the test that holds it in place.
const MEASURES: &[&str] = &[
    "Phân quyền theo đơn vị: mỗi cán bộ chỉ xem, sửa dữ liệu của đơn vị mình và các đơn vị trực thuộc; quyết định ở một chỗ, kiểm thử trên mọi đường dẫn với mọi vai trò.",
    "Đăng nhập hai bước (mã TOTP) bắt buộc với quản trị viên và các tài khoản phạm vi toàn Thành phố; mật khẩu phổ biến bị từ chối; phiên và mã truy cập API có hạn, thu hồi được.",
    "Nhật ký thao tác: mọi thay đổi dữ liệu được ghi vào nhật ký nối chuỗi băm, không sửa, không xóa được; lệnh «thidua audit verify» kiểm tra toàn bộ chuỗi.",
    "Nhật ký truy cập: mỗi lần xem hồ sơ công dân, hộ gia đình, danh sách hoặc xuất tệp có dữ liệu cá nhân được ghi trước khi dữ liệu hiện ra; thanh tra tra cứu được.",
    "Công khai tên trên Bảng vàng chỉ khi có sự đồng ý đã ghi nhận; dữ liệu mở chỉ có số liệu tổng hợp, ô nhỏ bị ẩn.",
    "Mã hồ sơ không được là số định danh cá nhân (12 hoặc 9 chữ số bị từ chối khi nhập).",
    "Sao lưu gồm cả cơ sở dữ liệu và tệp lưu trữ, khôi phục được và được kiểm tra.",
];

/// What the operator must still do outside thidua (the README lists the same).
const OPERATOR_DUTIES: &[&str] = &[
    "Cử bộ phận, nhân sự phụ trách bảo vệ dữ liệu cá nhân và ghi tên vào hồ sơ này.",
    "Xác nhận các mục ghi «tạm định» (bên kiểm soát, thời hạn lưu trữ) với cơ quan mình.",
    "Ký, đóng dấu và gửi hồ sơ đến cơ quan chuyên trách trước ngày đến hạn; cập nhật khi mục đích xử lý thay đổi.",
    "Vận hành máy chủ qua HTTPS, giới hạn truy cập máy chủ và bản sao lưu.",
];

impl App {
    /// The record of processing with its dossier's dates, for an administrator of the city.
    pub async fn processing_record(&self, actor: &Actor) -> AppResult<ProcessingView> {
        self.authorize_city(actor, Action::ManageUsers).await?;
        let record = processing::shipped().map_err(AppError::Invalid)?;
        let laws = thidua_domain::privacy::shipped().map_err(AppError::Invalid)?;
        let law_from = laws.iter().find(|l| l.text.number == LAW).map(|l| l.text.from).ok_or_else(|| {
            AppError::Invalid(format!("privacy/laws.toml không có Luật {LAW}: không tính được hạn nộp hồ sơ đánh giá tác động"))
        })?;
        let first = self.store.audit_after(0, 1).await?;
        let started = match first.first() {
            Some(entry) => dates::date_in_hanoi(entry.at_ms).unwrap_or_else(|| self.today()),
            None => self.today(),
        };
        let due = processing::dossier_due(&record, started, law_from);
        Ok(ProcessingView { record, started, law_from, due })
    }

    /// The impact-assessment dossier as a document in the administrative layout: the Law's
    /// content (controller, purposes, grounds, data, subjects, recipients, retention, measures),
    /// the purposes in an annex table; provisional entries say so.
    pub async fn impact_dossier(&self, actor: &Actor) -> AppResult<Named<OfficialDoc>> {
        let v = self.processing_record(actor).await?;
        let r = &v.record;
        let mark = |verified: bool| if verified { "" } else { " (tạm định)" };
        let mut body = vec![
            "I. BÊN KIỂM SOÁT DỮ LIỆU CÁ NHÂN".to_string(),
            format!("Tên cơ quan: {}{}.", r.controller, mark(r.controller_verified)),
            "Bộ phận, nhân sự phụ trách bảo vệ dữ liệu cá nhân: …………………………………… (cơ quan điền).".to_string(),
            "Hệ thống xử lý: thidua — phần mềm theo dõi phong trào thi đua «Xây dựng xã hội học tập, đẩy mạnh học tập suốt đời» giai đoạn 2023–2030.".to_string(),
            format!(
                "Ngày bắt đầu xử lý trên hệ thống này: {}; Luật {LAW} có hiệu lực từ {}; hạn gửi hồ sơ: {} ({}).",
                dates::format_dmy(v.started),
                dates::format_dmy(v.law_from),
                dates::format_dmy(v.due),
                r.dossier_basis
            ),
            "II. MỤC ĐÍCH, CĂN CỨ VÀ PHẠM VI XỬ LÝ".to_string(),
        ];
        for (i, p) in r.purposes.iter().enumerate() {
            body.push(format!("{}. {}{}.", i + 1, p.name, mark(p.verified)));
            body.push(format!("Căn cứ xử lý: {} — {}.", p.ground.label(), p.basis));
            body.push(format!("Loại dữ liệu: {}.", p.data.join("; ")));
            body.push(format!("Chủ thể dữ liệu: {}.", p.subjects.join("; ")));
            body.push(format!("Bên nhận: {}.", p.recipients.join("; ")));
            body.push(format!("Thời hạn lưu trữ: {}.", p.retention));
        }
        body.push("III. BIỆN PHÁP BẢO VỆ DỮ LIỆU CÁ NHÂN CỦA HỆ THỐNG".to_string());
        body.extend(MEASURES.iter().map(|m| format!("- {m}")));
        body.push("IV. VIỆC CƠ QUAN CÒN PHẢI LÀM NGOÀI HỆ THỐNG".to_string());
        body.extend(OPERATOR_DUTIES.iter().map(|m| format!("- {m}")));
        if r.provisional() {
            body.push("Các mục ghi «tạm định» chưa có văn bản quy định rõ; cơ quan xác nhận trước khi gửi hồ sơ.".to_string());
        }
        let rows = r
            .purposes
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    (i + 1).to_string(),
                    p.name.clone(),
                    match p.ground {
                        Ground::StateFunction => "Nhiệm vụ cơ quan nhà nước".into(),
                        Ground::Consent => "Sự đồng ý".into(),
                    },
                    p.data.join("; "),
                    p.recipients.join("; "),
                    format!("{}{}", p.retention, mark(p.verified)),
                ]
            })
            .collect();
        let doc = OfficialDoc {
            superior: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI".into(),
            issuer: r.controller.clone(),
            place_date: format!("Hà Nội, {}", dates::date_words(self.today())),
            kind: "HỒ SƠ".into(),
            subject: "Đánh giá tác động xử lý dữ liệu cá nhân của hệ thống thidua".into(),
            addressee: format!("Kính gửi: {}", r.addressee),
            body,
            signer_title: "GIÁM ĐỐC".into(),
            recipients: vec!["Như trên".into(), "Lưu: VT".into()],
            annex_title: "CÁC HOẠT ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN".into(),
            annex_subtitle: "(Kèm theo Hồ sơ đánh giá tác động xử lý dữ liệu cá nhân)".into(),
            annex_headers: ["STT", "Mục đích", "Căn cứ", "Loại dữ liệu", "Bên nhận", "Thời hạn lưu trữ"].map(String::from).to_vec(),
            annex_rows: rows,
            ..OfficialDoc::default()
        };
        Ok(Named { file_name: "ho-so-danh-gia-tac-dong-du-lieu-ca-nhan.docx".into(), value: doc })
    }
}

/// What the operator must do outside thidua, for the page.
pub fn operator_duties() -> &'static [&'static str] {
    OPERATOR_DUTIES
}
