//! The demo data set: the city, a dozen agencies, current wards and communes with their
//! villages, one district abolished on 30/06/2025 with its former wards and their successor,
//! schools, enterprises, a few hundred households and people with realistic Vietnamese names,
//! and one user per role. Everything goes through the same import pipeline as real files.

use thidua_app::import::FileInfo;
use thidua_app::{Actor, App, AppError};
use thidua_domain::access::Role;
use thidua_domain::import::{ImportKind, Table};

/// The password of every demo account (printed by `serve --demo`).
pub const DEMO_PASSWORD: &str = "Thidua@2026";

/// (username, full name, role, scope unit code)
pub const DEMO_USERS: &[(&str, &str, Role, &str)] = &[
    ("admin", "Quản trị hệ thống", Role::SystemAdmin, "HN"),
    ("sogd", "Nguyễn Thị Minh Hằng (Sở GD&ĐT)", Role::DoetOfficer, "HN"),
    ("btdkt", "Trần Quốc Khánh (Ban TĐKT, Sở Nội vụ)", Role::DohaOfficer, "HN"),
    ("hoidong", "Lê Văn Thịnh (Hội đồng TĐKT)", Role::CouncilMember, "HN"),
    ("vpubnd", "Phạm Thu Trang (Văn phòng UBND TP)", Role::ChairmanOffice, "HN"),
    ("phuonghoankiem", "Đỗ Thị Lan (UBND phường Hoàn Kiếm)", Role::UnitOfficer, "P-HOANKIEM"),
    ("phuongbadinh", "Vũ Đức Thắng (UBND phường Ba Đình)", Role::UnitOfficer, "P-BADINH"),
    ("khuyenhoc", "Bùi Thị Ngọc (Hội Khuyến học phường Cầu Giấy)", Role::AssociationAssessor, "P-CAUGIAY"),
    ("kiemtra", "Hoàng Văn Sơn (Thanh tra, giám sát)", Role::Auditor, "HN"),
];

/// The city's agencies, the Fatherland Front, socio-political organisations and associations:
/// (code, name, kind), all directly under the city.
pub const AGENCIES: [(&str, &str, &str); 15] = [
    ("VP-UBND", "Văn phòng UBND Thành phố", "Sở, ban, ngành"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở, ban, ngành"),
    ("SNV", "Sở Nội vụ", "Sở, ban, ngành"),
    ("SVHTT", "Sở Văn hóa và Thể thao", "Sở, ban, ngành"),
    ("SYT", "Sở Y tế", "Sở, ban, ngành"),
    ("STC", "Sở Tài chính", "Sở, ban, ngành"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở, ban, ngành"),
    ("SXD", "Sở Xây dựng", "Sở, ban, ngành"),
    ("SCT", "Sở Công Thương", "Sở, ban, ngành"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở, ban, ngành"),
    ("MTTQ-HN", "Ủy ban MTTQ Việt Nam thành phố Hà Nội", "Ủy ban MTTQ"),
    ("TD-HN", "Thành đoàn Hà Nội", "Tổ chức chính trị - xã hội"),
    ("HLHPN-HN", "Hội Liên hiệp Phụ nữ thành phố Hà Nội", "Tổ chức chính trị - xã hội"),
    ("LDLD-HN", "Liên đoàn Lao động thành phố Hà Nội", "Tổ chức chính trị - xã hội"),
    ("HKH-HN", "Hội Khuyến học thành phố Hà Nội", "Hội Khuyến học"),
];

fn table(headers: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows }
}

/// One row of the units template: code, name, kind, parent, valid from, valid to, successor,
/// location.
fn unit(cells: [&str; 8]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

fn units() -> Vec<Vec<String>> {
    let mut u = vec![unit(["HN", "Thành phố Hà Nội", "Thành phố", "", "", "", "", ""])];
    // City agencies, Fatherland Front, socio-political organisations, associations.
    for (code, name, kind) in AGENCIES {
        u.push(unit([code, name, kind, "HN", "", "", "", ""]));
    }
    u.push(unit(["SNV-BTDKT", "Ban Thi đua - Khen thưởng (Sở Nội vụ)", "Sở, ban, ngành", "SNV", "", "", "", ""]));
    // The district level, abolished on 30/06/2025, and its former wards merged into one.
    u.push(unit(["Q-HOANKIEM", "Quận Hoàn Kiếm", "Quận/Huyện/Thị xã", "HN", "", "30/06/2025", "", ""]));
    for (code, name) in [("P-HANGTRONG", "Phường Hàng Trống"), ("P-TRANGTIEN", "Phường Tràng Tiền"), ("P-HANGBAC", "Phường Hàng Bạc")]
    {
        u.push(unit([code, name, "Phường", "Q-HOANKIEM", "", "30/06/2025", "P-HOANKIEM", ""]));
    }
    for (ward, prefix) in [("P-HANGTRONG", "HT"), ("P-TRANGTIEN", "TT"), ("P-HANGBAC", "HB")] {
        for i in 1..=3 {
            u.push(unit([&format!("{prefix}-TDP{i:02}"), &format!("Tổ dân phố số {i}"), "Tổ dân phố", ward, "", "", "", ""]));
        }
    }
    // The former Ba Đình district's Kim Mã ward, divided on 01/07/2025 among the new Ba Đình,
    // Giảng Võ and Ngọc Hà wards (Nghị quyết 1656/NQ-UBTVQH15, Điều 1); its residential groups
    // are sample data, moved to their new wards by `divide_kim_ma` after the import.
    u.push(unit(["Q-BADINH", "Quận Ba Đình", "Quận/Huyện/Thị xã", "HN", "", "30/06/2025", "", ""]));
    u.push(unit(["P-KIMMA", "Phường Kim Mã", "Phường", "Q-BADINH", "", "30/06/2025", "P-BADINH; P-GIANGVO; P-NGOCHA", ""]));
    for i in 1..=3 {
        u.push(unit([
            &format!("KM-TDP{i:02}"),
            &format!("Tổ dân phố số {i} (Kim Mã, dữ liệu mẫu)"),
            "Tổ dân phố",
            "P-KIMMA",
            "",
            "",
            "",
            "",
        ]));
    }
    // Current wards and communes (from 01/07/2025) with their villages / residential groups.
    let current: [(&str, &str, &str, &str, &[&str]); 7] = [
        ("P-HOANKIEM", "Phường Hoàn Kiếm", "Phường", "HK", &["Tổ dân phố số 10", "Tổ dân phố số 11"]),
        ("P-BADINH", "Phường Ba Đình", "Phường", "BD", &["Tổ dân phố số 1", "Tổ dân phố số 2", "Tổ dân phố số 3", "Tổ dân phố số 4"]),
        ("P-CAUGIAY", "Phường Cầu Giấy", "Phường", "CG", &["Tổ dân phố Dịch Vọng 1", "Tổ dân phố Dịch Vọng 2", "Tổ dân phố Quan Hoa 5"]),
        ("X-SOCSON", "Xã Sóc Sơn", "Xã", "SS", &["Thôn Đông Xuân", "Thôn Tiên Dược", "Thôn Xuân Dục"]),
        ("X-BATTRANG", "Xã Bát Tràng", "Xã", "BT", &["Thôn Giang Cao", "Thôn Bát Tràng", "Thôn Kim Lan"]),
        ("P-GIANGVO", "Phường Giảng Võ", "Phường", "GV", &[]),
        ("P-NGOCHA", "Phường Ngọc Hà", "Phường", "NH", &[]),
    ];
    for (code, name, kind, prefix, villages) in current {
        u.push(unit([code, name, kind, "HN", "01/07/2025", "", "", ""]));
        for (i, v) in villages.iter().enumerate() {
            let vkind = if v.starts_with("Thôn") { "Thôn" } else { "Tổ dân phố" };
            u.push(unit([
                &format!("{prefix}-{}{:02}", if vkind == "Thôn" { "THON" } else { "TDP" }, i + 1),
                v,
                vkind,
                code,
                "",
                "",
                "",
                "",
            ]));
        }
    }
    // Learning Promotion Association branches, schools, centres, enterprises.
    u.push(unit(["HKH-P-BADINH", "Hội Khuyến học phường Ba Đình", "Hội Khuyến học", "P-BADINH", "", "", "", "P-BADINH"]));
    u.push(unit(["HKH-X-BATTRANG", "Hội Khuyến học xã Bát Tràng", "Hội Khuyến học", "X-BATTRANG", "", "", "", "X-BATTRANG"]));
    u.push(unit(["THPT-PHANDINHPHUNG", "Trường THPT Phan Đình Phùng", "Cơ sở giáo dục", "SGDDT", "", "", "", "P-BADINH"]));
    u.push(unit(["THPT-SOCSON", "Trường THPT Sóc Sơn", "Cơ sở giáo dục", "SGDDT", "", "", "", "X-SOCSON"]));
    u.push(unit(["TH-BADINH", "Trường Tiểu học Ba Đình", "Cơ sở giáo dục", "P-BADINH", "", "", "", "P-BADINH"]));
    u.push(unit(["THCS-TRUNGVUONG", "Trường THCS Trưng Vương", "Cơ sở giáo dục", "P-HOANKIEM", "", "", "", "P-HOANKIEM"]));
    u.push(unit(["MN-HOAHONG", "Trường Mầm non Hoa Hồng", "Cơ sở giáo dục", "P-CAUGIAY", "", "", "", "P-CAUGIAY"]));
    u.push(unit(["GDNN-SOCSON", "Trung tâm GDNN-GDTX Sóc Sơn", "Trung tâm GDNN-GDTX", "SGDDT", "", "", "", "X-SOCSON"]));
    u.push(unit([
        "TTHTCD-BATTRANG",
        "Trung tâm học tập cộng đồng xã Bát Tràng",
        "Trung tâm học tập cộng đồng",
        "X-BATTRANG",
        "",
        "",
        "",
        "X-BATTRANG",
    ]));
    u.push(unit(["DN-GOMBATTRANG", "Công ty TNHH Gốm sứ Bát Tràng", "Doanh nghiệp", "X-BATTRANG", "", "", "", "X-BATTRANG"]));
    u.push(unit(["DN-HABECO", "Tổng Công ty CP Bia - Rượu - Nước giải khát Hà Nội", "Doanh nghiệp", "SCT", "", "", "", "P-BADINH"]));
    u
}

pub(crate) const FAMILY: [&str; 20] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh",
    "Lương", "Trịnh",
];
pub(crate) const MIDDLE_M: [&str; 8] = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Mạnh"];
pub(crate) const MIDDLE_F: [&str; 7] = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương"];
pub(crate) const GIVEN_M: [&str; 17] =
    ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt"];
pub(crate) const GIVEN_F: [&str; 18] = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Uyên",
    "Yến",
];
const STREETS: [&str; 8] =
    ["phố Hàng Bông", "phố Đội Cấn", "phố Kim Mã", "đường Cầu Giấy", "phố Trần Duy Hưng", "ngõ 68", "đường Bát Tràng", "đường Núi Đôi"];

/// A small deterministic generator, so that the demo is the same on every machine.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Households and people for every village.
fn households_and_people(village_codes: &[String]) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let mut rng = Lcg(2026);
    let mut households = Vec::new();
    let mut people = Vec::new();
    for (vi, village) in village_codes.iter().enumerate() {
        for h in 1..=14 {
            let family = FAMILY[rng.next(FAMILY.len())];
            let code = format!("HGD-{village}-{h:03}");
            // The first household of the first Ba Đình group is the one the guide's search finds.
            let head = if village == "BD-TDP01" && h == 1 {
                "Nguyễn Văn An".to_string()
            } else {
                format!("{family} {} {}", MIDDLE_M[rng.next(MIDDLE_M.len())], GIVEN_M[rng.next(GIVEN_M.len())])
            };
            let head_year = 1950 + rng.next(45);
            let members = 2 + rng.next(4);
            households.push(vec![
                code.clone(),
                village.clone(),
                head.clone(),
                head_year.to_string(),
                "Nam".into(),
                format!("Số {} {}", 1 + rng.next(200), STREETS[(vi + h) % STREETS.len()]),
                members.to_string(),
            ]);
            people.push(vec![
                format!("CD-{village}-{h:03}-1"),
                head,
                head_year.to_string(),
                "Nam".into(),
                village.clone(),
                code.clone(),
                "Chủ hộ".into(),
            ]);
            for m in 2..=members {
                let female = m == 2 || rng.next(2) == 0;
                let (middle, given) = if female {
                    (MIDDLE_F[rng.next(MIDDLE_F.len())], GIVEN_F[rng.next(GIVEN_F.len())])
                } else {
                    (MIDDLE_M[rng.next(MIDDLE_M.len())], GIVEN_M[rng.next(GIVEN_M.len())])
                };
                let surname = if m == 2 { FAMILY[rng.next(FAMILY.len())] } else { family };
                let year = if m == 2 { head_year + rng.next(6) } else { head_year + 22 + rng.next(15) };
                people.push(vec![
                    format!("CD-{village}-{h:03}-{m}"),
                    format!("{surname} {middle} {given}"),
                    year.min(2020).to_string(),
                    if female { "Nữ".into() } else { "Nam".into() },
                    village.clone(),
                    code.clone(),
                    ["Giáo viên", "Công nhân", "Nông dân", "Học sinh", "Kỹ sư", "Buôn bán", "Hưu trí", "Bác sĩ"][rng.next(8)].into(),
                ]);
            }
        }
    }
    (households, people)
}

/// Whether the database already holds data (demo loads only into an empty one).
pub async fn is_empty(app: &App) -> Result<bool, AppError> {
    Ok(app.snapshot().await?.units.is_empty())
}

/// Loads the demo data. Returns (units, households, people, users) created.
pub async fn load(app: &App) -> Result<(usize, usize, usize, usize), AppError> {
    let actor = app.operator().await?;
    let file = |name: &str| FileInfo { name: name.into(), sha256: "demo".into() };
    let unit_headers: Vec<&str> = ImportKind::Units.columns().iter().map(|c| c.header).collect();
    let u = app.import(&actor, ImportKind::Units, &table(&unit_headers, units()), &file("demo-units"), false, &|_| {}).await?;
    let actor = app.operator().await?;
    let snap = app.snapshot().await?;
    let mut villages: Vec<String> = snap.units.values().filter(|u| u.kind.holds_households()).map(|u| u.code.clone()).collect();
    // Kim Mã's groups came with the 2025 reform: they come last, so that the households drawn
    // for the earlier villages stay the same.
    villages.sort_by_key(|c| (c.starts_with("KM-"), c.clone()));
    let (hh_rows, people_rows) = households_and_people(&villages);
    let hh_headers: Vec<&str> = ImportKind::Households.columns().iter().map(|c| c.header).collect();
    let h = app.import(&actor, ImportKind::Households, &table(&hh_headers, hh_rows), &file("demo-households"), false, &|_| {}).await?;
    let p_headers: Vec<&str> = ImportKind::People.columns().iter().map(|c| c.header).collect();
    let p = app.import(&actor, ImportKind::People, &table(&p_headers, people_rows), &file("demo-people"), false, &|_| {}).await?;
    // Clans of the craft village and of Sóc Sơn, spanning several villages.
    for (code, name, rep, home, villages) in [
        ("DH-BT-LE", "Dòng họ Lê (Bát Tràng)", "Lê Văn Khải", "X-BATTRANG", &["BT-THON01", "BT-THON02", "BT-THON03"][..]),
        ("DH-BT-VU", "Dòng họ Vũ (Bát Tràng)", "Vũ Thị Thu", "X-BATTRANG", &["BT-THON02"][..]),
        ("DH-SS-NGUYEN", "Dòng họ Nguyễn Đình (Sóc Sơn)", "Nguyễn Đình Tuấn", "X-SOCSON", &["SS-THON01", "SS-THON03"][..]),
    ] {
        let unit = |c: &str| snap.by_code.get(c).copied().ok_or(AppError::NotFound);
        let input = thidua_app::ports::ClanInput {
            code: code.into(),
            name: name.into(),
            unit_id: unit(home)?,
            representative_name: Some(rep.into()),
            villages: villages.iter().map(|v| unit(v)).collect::<Result<_, _>>()?,
        };
        app.create_clan(&actor, input).await?;
    }
    recognise_households(app, &actor).await?;
    divide_kim_ma(app, &actor).await?;
    publications(app, &actor).await?;
    allocate_reviews(app, &actor).await?;
    for (username, name, role, scope) in DEMO_USERS {
        let scope_id = *snap.by_code.get(*scope).ok_or(AppError::NotFound)?;
        let home = if *role == Role::UnitOfficer || *role == Role::AssociationAssessor {
            scope_id
        } else {
            *snap.by_code.get("HN").ok_or(AppError::NotFound)?
        };
        let id = app.create_user(None, username, name, DEMO_PASSWORD, home).await?;
        app.grant(None, id, *role, scope_id, true).await?;
    }
    Ok((u.created, h.created, p.created, DEMO_USERS.len()))
}

/// Two articles DOET published (a model family, a ward's practice), one waiting for review, and
/// two open learning resources, so that the public pages and the review queue are not empty.
async fn publications(app: &App, actor: &Actor) -> Result<(), AppError> {
    use thidua_app::publications::ArticleInput;
    use thidua_domain::publications::{ArticleKind, ArticleStep, ArticleText, ResourceText};
    let snap = app.snapshot().await?;
    let unit = |c: &str| snap.by_code.get(c).copied().ok_or(AppError::NotFound);
    let articles = [
        (
            "P-HOANKIEM",
            ArticleKind::Model,
            "Tủ sách ba thế hệ của một gia đình ở tổ dân phố số 1",
            "Hơn hai mươi năm, tủ sách của gia đình mở cửa cho cả tổ dân phố mượn đọc.",
            "Gia đình có ba thế hệ cùng sống, mỗi tối dành một giờ đọc sách, cuối tuần ông bà kể chuyện lịch sử Thăng Long – Hà Nội cho các cháu.\n\nTủ sách hơn 1.200 đầu sách được mở cho các cháu trong tổ đến đọc và mượn; các con tham gia lớp tin học cho người cao tuổi tại trung tâm học tập cộng đồng của phường.",
            true,
        ),
        (
            "X-BATTRANG",
            ArticleKind::Practice,
            "Lớp học nghề gốm miễn phí cho thanh niên Bát Tràng",
            "Nghệ nhân truyền nghề tại nhà văn hóa thôn mỗi tối thứ Bảy.",
            "Hội Khuyến học xã phối hợp với các nghệ nhân mở lớp học nghề gốm cho thanh niên và lao động nông thôn, học vào tối thứ Bảy tại nhà văn hóa thôn.\n\nSau một năm, 46 học viên đã có việc làm tại các xưởng gốm của làng, nhiều em tiếp tục học thiết kế sản phẩm và bán hàng trực tuyến.",
            true,
        ),
        (
            "P-BADINH",
            ArticleKind::Practice,
            "Ngày hội đọc sách của các tổ dân phố phường Ba Đình",
            "",
            "Mỗi quý, các tổ dân phố luân phiên tổ chức ngày hội đọc sách, trao đổi sách cũ và giới thiệu sách mới cho thiếu nhi và người cao tuổi trên địa bàn phường.",
            false,
        ),
    ];
    for (code, kind, title, summary, body, publish) in articles {
        let text = ArticleText { title: title.into(), summary: summary.into(), body: body.into(), ..ArticleText::default() };
        let id = app.save_article(actor, 0, 0, &ArticleInput { unit: unit(code)?, kind, text }, None).await?;
        let steps: &[ArticleStep] = if publish { &[ArticleStep::Submit, ArticleStep::Publish] } else { &[ArticleStep::Submit] };
        for step in steps {
            let v = app.article(actor, id).await?.version;
            app.article_step(actor, id, v, *step, "").await?;
        }
    }
    for (code, title, topic, level, url) in [
        (
            "P-HOANKIEM",
            "Kỹ năng số cho người cao tuổi: dùng dịch vụ công trực tuyến",
            "chuyen-doi-so",
            "nguoi-lon",
            "https://dichvucong.gov.vn",
        ),
        ("X-BATTRANG", "Học liệu giáo dục phổ thông của Bộ Giáo dục và Đào tạo", "khac", "moi-lua-tuoi", "https://moet.gov.vn"),
    ] {
        let text =
            ResourceText { title: title.into(), topic: topic.into(), level: level.into(), url: url.into(), ..ResourceText::default() };
        app.add_resource(actor, unit(code)?, &text, None).await?;
    }
    Ok(())
}

/// DOET's allocation of the City Bằng khen to the wards and communes at the two reviews (issue
/// 13 §3): the plan gives «không quá 04» to each former quận, huyện; the demo's DOET gives each
/// ward and commune 04 too, as an illustration — a real DOET sets its own on the campaign page.
async fn allocate_reviews(app: &App, actor: &Actor) -> Result<(), AppError> {
    app.sync_shipped_campaigns().await?;
    for code in ["so-ket-2025", "tong-ket-2030"] {
        let Some(c) = app.campaigns(actor).await?.into_iter().find(|c| c.row.code == code) else { continue };
        let input = thidua_app::commendation::AllocationInput {
            level: "bang_khen_ubnd_tp".into(),
            unit: thidua_domain::commendation::campaign::EVERY.into(),
            total: "4".into(),
            basis: "Dữ liệu mẫu: Sở GD&ĐT phân bổ mỗi xã, phường không quá 04 (minh họa, không phải văn bản thật)".into(),
            ..Default::default()
        };
        app.set_allocation(actor, c.row.id, c.row.version, &input).await?;
    }
    Ok(())
}

/// Hoàn Kiếm's «Tổ dân phố số 10» assessed its households for 2026 and the ward recognised the
/// ones that passed (all but the first two) as «Gia đình học tập»: the titles a commendation
/// dossier of the demo starts from.
/// Kim Mã's 2024 recognitions, then its division: groups 1 and 2 move to Ba Đình and Giảng Võ
/// from 01/07/2025; group 3 is left for an officer to place (the unit page's form, and
/// `thidua units unassigned`, show it).
async fn divide_kim_ma(app: &App, actor: &Actor) -> Result<(), AppError> {
    let snap = app.snapshot().await?;
    let unit = |c: &str| snap.by_code.get(c).copied().ok_or(AppError::NotFound);
    let decision = ("KM-TDP01", "P-KIMMA", 2024, "25/QĐ-UBND", time::macros::date!(2024 - 11 - 25), "Trần Minh Đức");
    recognise_group(app, actor, "gia_dinh_hoc_tap", decision, &["KM-TDP02", "KM-TDP03"]).await?;
    // The former ward's own «Cộng đồng học tập cấp xã» of 2024, recognised by the former district:
    // the new wards show it as a predecessor's title.
    let decision = ("Q-BADINH", "Q-BADINH", 2024, "112/QĐ-UBND", time::macros::date!(2024 - 12 - 16), "Nguyễn Quang Hiếu");
    recognise_group(app, actor, "cong_dong_hoc_tap_xa", decision, &[]).await?;
    let version = |c: &str| snap.by_code.get(c).and_then(|id| snap.units.get(id)).map(|u| u.version).ok_or(AppError::NotFound);
    let moves =
        [(unit("KM-TDP01")?, version("KM-TDP01")?, unit("P-BADINH")?), (unit("KM-TDP02")?, version("KM-TDP02")?, unit("P-GIANGVO")?)];
    app.divide_unit(actor, unit("P-KIMMA")?, &moves).await?;
    Ok(())
}

async fn recognise_households(app: &App, actor: &Actor) -> Result<(), AppError> {
    let decision = ("HK-TDP01", "P-HOANKIEM", 2026, "18/QĐ-UBND", time::macros::date!(2026 - 11 - 20), "Đỗ Văn Minh");
    let subjects = recognise_group(app, actor, "gia_dinh_hoc_tap", decision, &[]).await?;
    // Two of the recognised households agreed to be named on the public honour roll.
    for s in subjects.iter().skip(2).take(2) {
        app.set_public_consent(actor, "household", s.id, true).await?;
    }
    Ok(())
}

/// The subjects of `title` in `group` (and in `more` groups) assessed in `year`, all but the
/// first two passing (all of them when there are fewer than three), and recognised by `ward`'s
/// decision. Returns `group`'s.
async fn recognise_group(
    app: &App,
    actor: &Actor,
    title: &str,
    (group, ward, year, number, signed_on, signer): (&str, &str, i64, &str, time::Date, &str),
    more: &[&str],
) -> Result<Vec<thidua_app::ports::SubjectRef>, AppError> {
    use thidua_app::titles::{DecisionForm, SheetTarget};
    let record =
        app.sets_for_year(year).await?.into_iter().filter(|r| r.title == title).max_by_key(|r| r.version).ok_or(AppError::NotFound)?;
    let snap = app.snapshot().await?;
    let unit = |c: &str| snap.by_code.get(c).copied().ok_or(AppError::NotFound);
    let subject = thidua_domain::titles::title(title).map(|t| t.subject).ok_or(AppError::NotFound)?;
    let mut first = Vec::new();
    for code in std::iter::once(group).chain(more.iter().copied()) {
        let (loaded, _, subjects) = app.template_subjects(actor, record.id, unit(code)?, year).await?;
        let headers = thidua_domain::assessment::sheet_headers(&loaded.set, subject);
        let few = subjects.len() < 3;
        let rows = subjects
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut r = vec![(i + 1).to_string(), s.code.clone(), s.name.clone(), String::new()];
                r.extend(loaded.set.indicators().map(|ind| crate::scale::cell(&ind.kind, few || i >= 2)));
                r.push(String::new());
                r
            })
            .collect();
        let target = SheetTarget { criteria_set: record.id, year, stage: thidua_domain::titles::Stage::Verified };
        let file = FileInfo { name: format!("demo-danh-gia-{}.xlsx", code.to_lowercase()), sha256: "demo".into() };
        app.import_assessments(actor, target, &Table { headers, rows }, &file, false).await?;
        if first.is_empty() {
            first = subjects;
        }
    }
    let form = DecisionForm {
        criteria_set: record.id,
        year,
        issuing_unit: unit(ward)?,
        number: number.into(),
        signed_on,
        signer: signer.into(),
        signer_title: "Chủ tịch".into(),
        only: None,
    };
    app.issue_decision(actor, form).await?;
    Ok(first)
}
