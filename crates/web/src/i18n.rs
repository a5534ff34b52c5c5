//! UI texts: Vietnamese first, English second. One table; a test checks that every key used by
//! a template or handler exists, in both languages.

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn from_code(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") { Lang::En } else { Lang::Vi }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// (key, Vietnamese, English)
const TEXTS: &[(&str, &str, &str)] = &[
    ("a11y.skip", "Bỏ qua, đến nội dung chính", "Skip to main content"),
    ("app.name", "Thi đua Học tập Hà Nội", "Hanoi Learning Emulation"),
    (
        "app.tagline",
        "Phong trào xây dựng xã hội học tập, đẩy mạnh học tập suốt đời 2023–2030",
        "Learning-society emulation movement 2023–2030",
    ),
    (
        "app.footer",
        "Ủy ban nhân dân thành phố Hà Nội · Sở Giáo dục và Đào tạo · Hệ thống thidua",
        "Hanoi People's Committee · Department of Education and Training · thidua",
    ),
    ("lang.switch", "English", "Tiếng Việt"),
    ("nav.label", "Điều hướng chính", "Main navigation"),
    ("nav.home", "Trang chủ", "Home"),
    ("nav.households", "Hộ gia đình", "Households"),
    ("nav.people", "Công dân", "Citizens"),
    ("nav.import", "Nhập dữ liệu", "Import"),
    ("nav.audit", "Nhật ký", "Audit log"),
    ("nav.account", "Tài khoản", "Account"),
    ("nav.admin", "Người dùng", "Users"),
    ("users.title", "Quản lý người dùng", "User administration"),
    ("users.full_name", "Họ và tên", "Full name"),
    ("users.unit", "Đơn vị", "Unit"),
    ("users.unit_code", "Mã đơn vị", "Unit code"),
    ("users.password", "Mật khẩu (ít nhất 10 ký tự)", "Password (at least 10 characters)"),
    ("users.new", "Thêm người dùng", "Add a user"),
    ("users.create", "Tạo tài khoản", "Create account"),
    ("users.grant", "Cấp vai trò", "Grant a role"),
    ("users.only_this_unit", "Chỉ đơn vị này (không gồm cấp dưới)", "This unit only (not the units below)"),
    ("users.reset", "Đặt lại mật khẩu", "Reset password"),
    ("users.reset_done", "Đã đặt lại mật khẩu; các phiên đăng nhập cũ đã bị hủy.", "Password reset; old sessions ended."),
    ("users.deactivate", "Khóa tài khoản", "Deactivate account"),
    ("users.delegated", "ủy quyền", "delegated"),
    ("nav.criteria", "Bộ tiêu chí", "Criteria"),
    ("nav.titles", "Danh hiệu học tập", "Learning titles"),
    ("criteria.title", "Bộ tiêu chí danh hiệu học tập", "Learning-title criteria sets"),
    (
        "criteria.intro",
        "Mỗi bộ tiêu chí có phiên bản và căn cứ pháp lý; phiên bản đã lưu không bao giờ bị sửa, thay đổi tạo phiên bản mới.",
        "Each set is versioned and names its legal basis; a stored version never changes, a change is a new version.",
    ),
    ("criteria.set", "Bộ tiêu chí", "Set"),
    ("criteria.level", "Mức độ", "Level"),
    ("criteria.version", "Phiên bản", "Version"),
    ("criteria.years", "Năm áp dụng", "Years"),
    ("criteria.origin", "Nguồn", "Origin"),
    ("criteria.provisional", "Tạm thời", "Provisional"),
    (
        "criteria.provisional_warning",
        "Bộ tiêu chí tạm thời, chưa đối chiếu văn bản gốc:",
        "Provisional set, not checked against the official text:",
    ),
    ("criteria.upload", "Thêm phiên bản mới", "Add a new version"),
    (
        "criteria.upload_hint",
        "Tải lên tệp .toml theo mẫu trong thư mục criteria/ của hệ thống; phiên bản phải lớn hơn phiên bản đã có.",
        "Upload a .toml file in the format of the criteria/ folder; its version must be higher than the stored ones.",
    ),
    ("criteria.file", "Tệp bộ tiêu chí (.toml)", "Criteria file (.toml)"),
    ("criteria.basis", "Căn cứ pháp lý", "Legal basis"),
    ("criteria.issuer", "Cơ quan ban hành", "Issuer"),
    ("criteria.recognised_by", "Thẩm quyền công nhận", "Recognised by"),
    ("criteria.deadlines", "Thời hạn", "Deadlines"),
    ("criteria.validity", "Thời hạn bảo lưu (năm)", "Valid for (years)"),
    ("criteria.outcome", "Cách xét công nhận", "Outcome rule"),
    ("criteria.note", "Ghi chú", "Note"),
    ("criteria.code", "Mã", "Code"),
    ("criteria.indicator", "Chỉ tiêu", "Indicator"),
    ("criteria.rule", "Cách đánh giá", "How it is judged"),
    ("criteria.applies", "Áp dụng cho", "Applies to"),
    ("nav.logout", "Đăng xuất", "Sign out"),
    ("search.label", "Tìm kiếm (gõ có dấu hoặc không dấu)", "Search (with or without diacritics)"),
    ("search.placeholder", "Tên người, hộ, đơn vị…", "Person, household, unit…"),
    ("search.button", "Tìm", "Search"),
    ("search.title", "Kết quả tìm kiếm", "Search results"),
    (
        "search.hint",
        "Tìm kiếm không phân biệt dấu: «nguyen van an» tìm được «Nguyễn Văn An».",
        "Search ignores diacritics: “nguyen van an” finds “Nguyễn Văn An”.",
    ),
    ("search.units", "Đơn vị", "Units"),
    ("search.people", "Công dân", "Citizens"),
    ("search.households", "Hộ gia đình", "Households"),
    ("search.more", "Xem tất cả kết quả", "See all results"),
    ("error.title", "Không thực hiện được", "Something went wrong"),
    ("login.title", "Đăng nhập", "Sign in"),
    (
        "login.intro",
        "Dành cho cán bộ các sở, ngành, phường, xã, trường học và Hội Khuyến học.",
        "For officers of agencies, wards, communes, schools and the Learning Promotion Association.",
    ),
    ("login.username", "Tên đăng nhập", "Username"),
    ("login.password", "Mật khẩu", "Password"),
    ("login.submit", "Đăng nhập", "Sign in"),
    ("login.failed", "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."),
    ("home.welcome", "Xin chào", "Welcome"),
    (
        "home.intro",
        "Chọn đơn vị để xem danh sách thôn, tổ dân phố, hộ gia đình và công dân thuộc phạm vi của bạn.",
        "Choose a unit to browse its villages, households and citizens.",
    ),
    ("home.my_units", "Đơn vị của tôi", "My units"),
    ("home.households", "hộ", "households"),
    ("home.people", "công dân", "citizens"),
    ("home.tasks", "Công việc", "Tasks"),
    ("home.task_households", "Quản lý hộ gia đình", "Manage households"),
    ("home.task_people", "Tra cứu công dân", "Find citizens"),
    ("home.task_import", "Nhập danh sách từ Excel", "Import lists from Excel"),
    ("home.task_audit", "Xem nhật ký hệ thống", "Read the audit log"),
    ("home.task_account", "Đổi mật khẩu, mã truy cập, ủy quyền", "Password, API tokens, delegation"),
    ("unit.breadcrumb", "Vị trí trong cây đơn vị", "Position in the unit tree"),
    ("unit.details", "Thông tin đơn vị", "Unit details"),
    ("unit.code", "Mã", "Code"),
    ("unit.name", "Tên", "Name"),
    ("unit.kind", "Loại", "Kind"),
    ("unit.parent_code", "Mã đơn vị cấp trên", "Parent unit code"),
    ("unit.valid_from", "Hiệu lực từ ngày", "Valid from"),
    ("unit.valid_to", "Hiệu lực đến ngày", "Valid to"),
    ("unit.validity", "Thời gian hiệu lực", "Validity"),
    ("unit.since", "từ", "since"),
    ("unit.location", "Địa bàn", "Location"),
    ("unit.location_code", "Mã địa bàn (phường/xã nơi đặt trụ sở)", "Location code (ward/commune)"),
    ("unit.successor", "Đơn vị kế thừa", "Successor"),
    ("unit.successor_code", "Mã đơn vị kế thừa", "Successor code"),
    ("unit.predecessors", "Kế thừa từ", "Succeeds"),
    ("unit.households", "Hộ gia đình", "Households"),
    ("unit.people", "Công dân", "Citizens"),
    ("unit.children", "Đơn vị trực thuộc", "Units below"),
    ("unit.counts", "Số liệu", "Figures"),
    ("unit.add_child", "Thêm đơn vị trực thuộc", "Add a unit below"),
    ("state.inactive", "Ngừng hoạt động", "Inactive"),
    ("action.edit", "Sửa", "Edit"),
    ("action.save", "Lưu", "Save"),
    ("action.back", "Quay lại", "Back"),
    ("action.export", "Xuất Excel", "Export to Excel"),
    ("action.deactivate", "Ngừng hoạt động", "Deactivate"),
    ("action.reactivate", "Hoạt động trở lại", "Reactivate"),
    ("history.title", "Lịch sử thay đổi", "Change history"),
    ("list.total", "Tổng số", "Total"),
    ("list.empty", "Chưa có dữ liệu.", "Nothing here yet."),
    ("list.pages", "Trang", "Pages"),
    ("list.sort", "Sắp xếp theo", "Sort by"),
    ("household.title", "Hộ", "Household"),
    ("household.code", "Mã hộ", "Household code"),
    ("household.head", "Chủ hộ", "Head of household"),
    ("household.unit", "Thôn/tổ dân phố", "Village / residential group"),
    ("household.address", "Địa chỉ", "Address"),
    ("household.members", "Số nhân khẩu", "Members"),
    ("household.member_list", "Thành viên", "Members"),
    ("titles.held", "Danh hiệu học tập", "Learning titles"),
    ("titles.crumbs", "Đường dẫn", "Breadcrumb"),
    ("titles.year_word", "năm", "year"),
    ("titles.data_year", "Năm dữ liệu", "Data year"),
    ("titles.show", "Xem", "Show"),
    (
        "titles.cell_help",
        "Mỗi ô: số được công nhận / số thuộc diện (tỉ lệ) · số đạt khi thẩm định, số đã đánh giá. Số liệu cộng dồn theo cây đơn vị tại 31/12 của năm (đơn vị đã sáp nhập tính vào đơn vị kế thừa).",
        "Each cell: recognised / eligible (share) · passed when verified, assessed. Figures are rolled up through the unit tree as on 31/12 of the year (merged units count under their successor).",
    ),
    ("titles.coverage_caption", "Độ phủ danh hiệu học tập năm", "Learning-title coverage,"),
    ("titles.unit", "Đơn vị", "Unit"),
    ("titles.whole", "(toàn bộ)", "(all)"),
    ("titles.decisions", "Các quyết định công nhận", "Recognition decisions"),
    ("titles.duplicates", "Đối tượng có thể bị đánh giá trùng", "Possibly duplicated subjects"),
    ("titles.back_coverage", "Độ phủ danh hiệu", "Title coverage"),
    ("titles.file_has", "Tệp có", "The file has"),
    ("titles.errors_nothing", "lỗi; chưa ghi dòng nào. Sửa và tải lên lại.", "errors; nothing was written. Fix them and upload again."),
    ("titles.row", "Dòng", "Row"),
    ("titles.column", "Cột", "Column"),
    ("titles.error", "Lỗi", "Error"),
    ("titles.bulk", "Đánh giá theo danh sách (tệp Excel)", "Assess from a list (Excel file)"),
    (
        "titles.bulk_help",
        "Tải mẫu của thôn/tổ dân phố (đã có sẵn danh sách), điền mỗi chỉ tiêu một cột, rồi tải lên. Mọi dòng được kiểm tra trước; có lỗi thì không ghi dòng nào.",
        "Download the village's template (its list already filled in), fill one column per indicator, then upload it. Every row is checked first; if any is wrong, nothing is written.",
    ),
    ("titles.criteria_set", "Bộ tiêu chí", "Criteria set"),
    ("titles.download_template", "Tải mẫu .xlsx", "Download the .xlsx template"),
    ("titles.filled_file", "Tệp đã điền", "Filled file"),
    ("titles.upload", "Tải lên", "Upload"),
    ("titles.issue_heading", "Ra quyết định công nhận", "Issue a recognition decision"),
    (
        "titles.issue_help",
        "Quyết định gồm mọi hồ sơ đã thẩm định đạt, chưa được công nhận, trong",
        "The decision covers every verified, passed and not yet recognised assessment in",
    ),
    ("titles.number", "Số, ký hiệu", "Number and symbol"),
    ("titles.signed_on", "Ngày ký (dd/mm/yyyy)", "Date signed (dd/mm/yyyy)"),
    ("titles.signer_title", "Chức vụ người ký", "Signer's position"),
    ("titles.signer", "Người ký", "Signer"),
    ("titles.issue", "Ban hành quyết định", "Issue the decision"),
    ("titles.count", "Số phiếu:", "Assessments:"),
    ("titles.code", "Mã", "Code"),
    ("titles.name", "Tên", "Name"),
    ("titles.place", "Nơi", "Place"),
    ("titles.stage", "Loại phiếu", "Stage"),
    ("titles.points", "Điểm", "Points"),
    ("titles.outcome", "Kết quả", "Outcome"),
    ("titles.certificate", "Giấy công nhận", "Certificate"),
    ("titles.passed", "Đạt", "Passed"),
    ("titles.not_passed", "Chưa đạt", "Not passed"),
    ("titles.decisions_heading", "Quyết định công nhận danh hiệu học tập", "Learning-title recognition decisions"),
    ("titles.no_decisions", "Chưa có quyết định nào.", "No decision yet."),
    ("titles.number_short", "Số", "Number"),
    ("titles.signed", "Ngày ký", "Signed"),
    ("titles.body", "Cơ quan", "Issuing body"),
    ("titles.title", "Danh hiệu", "Title"),
    ("titles.subjects", "Số đối tượng", "Subjects"),
    (
        "titles.duplicates_help",
        "Cùng họ tên (không phân biệt dấu, hoa thường) và năm sinh, được đánh giá trong cùng năm ở những nơi khác nhau. Kiểm tra trước khi ra quyết định công nhận: có thể là hai người trùng tên, hoặc một người được kê khai hai lần.",
        "Same name (ignoring diacritics and case) and birth year, assessed in the same year in different places. Check before a recognition decision: two namesakes, or one person declared twice.",
    ),
    ("titles.no_duplicates", "Không thấy đối tượng nào bị đánh giá trùng.", "No subject appears assessed twice."),
    ("titles.groups_to_check", "nhóm cần kiểm tra", "groups to check"),
    ("titles.full_name", "Họ và tên", "Full name"),
    ("titles.birth_year", "Năm sinh", "Birth year"),
    ("titles.code_place", "Mã và nơi đánh giá", "Code and place assessed"),
    ("titles.assessment_of", "Phiếu đánh giá:", "Assessment:"),
    (
        "titles.form_help",
        "Kết quả do hệ thống tính theo bộ tiêu chí; các tỉ lệ có ghi «Hệ thống tính» lấy từ sổ danh hiệu, không nhập tay.",
        "The outcome is computed from the criteria set; shares marked «Hệ thống tính» come from the title registry and are not typed.",
    ),
    ("titles.stage_verified", "Đánh giá, thẩm định", "Verified assessment"),
    ("titles.stage_self", "Tự đánh giá", "Self-assessment"),
    ("titles.computed", "Hệ thống tính:", "Computed by the system:"),
    ("titles.kmc_hint", "thêm «KMC» nếu không có minh chứng", "add «KMC» when there is no evidence"),
    ("titles.note", "Ghi chú, minh chứng", "Notes, evidence"),
    ("titles.save", "Lưu phiếu", "Save"),
    ("titles.year", "Năm", "Year"),
    ("titles.assessor", "Người đánh giá", "Assessor"),
    ("titles.recognition", "Công nhận", "Recognition"),
    ("titles.decision", "Quyết định công nhận", "Recognition decision"),
    ("titles.verdicts", "Kết quả từng chỉ tiêu", "Verdict on each indicator"),
    ("titles.indicator", "Chỉ tiêu", "Indicator"),
    ("titles.text", "Nội dung", "Text"),
    ("titles.answer", "Trả lời", "Answer"),
    ("titles.computed_short", "hệ thống tính", "computed"),
    ("titles.recognised_years", "Năm được công nhận", "Years recognised"),
    ("titles.streak", "Liên tục đến nay", "Current streak"),
    ("titles.longest", "Dài nhất", "Longest streak"),
    ("titles.years_unit", "năm", "years"),
    ("titles.none", "Chưa được công nhận danh hiệu nào.", "No title recognised yet."),
    ("household.add_member", "Thêm thành viên", "Add a member"),
    ("household.new", "Thêm hộ gia đình", "Add a household"),
    ("household.sort_head", "Chủ hộ (thứ tự tiếng Việt)", "Head (Vietnamese order)"),
    ("household.search", "Tìm theo tên chủ hộ hoặc mã hộ", "Search by head's name or code"),
    ("nav.clans", "Dòng họ", "Clans"),
    ("nav.calendar", "Lịch làm việc", "Working calendar"),
    ("calendar.title", "Lịch làm việc năm", "Working calendar"),
    (
        "calendar.intro",
        "Ngày nghỉ lễ, tết theo Điều 112 Bộ luật Lao động 2019 và ngày nghỉ bù (khoản 3 Điều 111); ngày âm lịch được tính theo lịch Việt Nam (UTC+7). Mọi hạn tính bằng ngày làm việc dùng lịch này.",
        "Public holidays under Article 112 of the 2019 Labour Code and days in lieu (Article 111.3); lunar dates computed for Vietnam (UTC+7). Every deadline counted in working days uses this calendar.",
    ),
    ("calendar.verified", "Đã đối chiếu thông báo chính thức", "Checked against the official notice"),
    ("calendar.unverified", "Chưa đối chiếu thông báo chính thức", "Not yet checked against the official notice"),
    (
        "calendar.no_table",
        "Chưa có thông báo của năm: Tết tạm tính (ngày cuối năm âm lịch và bốn ngày đầu năm mới), chưa có ngày liền kề Quốc khánh",
        "No notice for this year yet: Tết is provisional (the last day of the lunar year and the first four of the new one), no day next to National Day yet",
    ),
    ("calendar.holidays", "Ngày lễ, tết và ngày nghỉ bù", "Public holidays and days in lieu"),
    ("calendar.swaps", "Ngày nghỉ hoán đổi và ngày làm bù", "Swapped days off and Saturdays worked"),
    ("calendar.date", "Ngày", "Date"),
    ("calendar.weekday", "Thứ", "Weekday"),
    ("calendar.name", "Tên", "Name"),
    ("calendar.in_lieu", "nghỉ bù", "in lieu"),
    ("calendar.provisional", "tạm tính", "provisional"),
    ("calendar.edit", "Cập nhật lịch nghỉ theo thông báo năm", "Update the notice of"),
    (
        "calendar.edit_hint",
        "Mỗi dòng một ngày dd/mm/yyyy rồi tên; khoảng ngày viết dd/mm/yyyy-dd/mm/yyyy. Ngày lễ cố định, Giỗ Tổ và nghỉ bù do hệ thống tự tính.",
        "One day per line, dd/mm/yyyy then its name; a range as dd/mm/yyyy-dd/mm/yyyy. Fixed holidays, Hùng Kings' day and days in lieu are computed.",
    ),
    ("calendar.basis", "Căn cứ (số, ngày thông báo)", "Basis (notice number and date)"),
    ("calendar.verified_box", "Đã đối chiếu với văn bản chính thức", "Checked against the official text"),
    ("calendar.tet", "5 ngày Tết Âm lịch (để trống: tạm tính)", "The 5 days of Tết (empty: provisional)"),
    ("calendar.national", "Ngày liền kề Quốc khánh (01/9 hoặc 03/9)", "Day joined to National Day (01/9 or 03/9)"),
    ("calendar.extra", "Ngày lễ bổ sung (được nghỉ bù)", "Added public holidays (with days in lieu)"),
    ("calendar.days_off", "Ngày nghỉ hoán đổi", "Swapped days off"),
    ("calendar.working", "Thứ Bảy, Chủ nhật làm bù", "Saturdays or Sundays worked"),
    ("calendar.save", "Lưu lịch năm", "Save the year"),
    ("clan.code", "Mã dòng họ", "Clan code"),
    ("clan.name", "Tên dòng họ", "Clan name"),
    ("clan.representative", "Người đại diện (trưởng họ)", "Representative"),
    ("clan.home", "Đơn vị quản lý", "Home unit"),
    ("clan.villages", "Các thôn, tổ dân phố có thành viên", "Villages it spans"),
    ("clan.new", "Thêm dòng họ", "Add a clan"),
    ("clan.search", "Tìm theo tên hoặc mã dòng họ", "Search by name or code"),
    ("person.code", "Mã công dân", "Citizen code"),
    ("person.full_name", "Họ và tên", "Full name"),
    ("person.birth_year", "Năm sinh", "Birth year"),
    ("person.gender", "Giới tính", "Gender"),
    ("person.unit", "Đơn vị/thôn", "Unit / village"),
    ("person.household", "Hộ gia đình", "Household"),
    ("person.position", "Chức vụ, nghề nghiệp", "Position"),
    ("person.new", "Thêm công dân", "Add a citizen"),
    ("person.search", "Tìm theo họ tên hoặc mã", "Search by name or code"),
    ("person.sort_name", "Tên (thứ tự tiếng Việt)", "Name (Vietnamese order)"),
    ("gender.male", "Nam", "Male"),
    ("gender.female", "Nữ", "Female"),
    ("gender.other", "Khác", "Other"),
    ("import.title", "Nhập dữ liệu từ tệp", "Import from a file"),
    (
        "import.intro",
        "Tải mẫu Excel, điền dữ liệu rồi tải lên. Hệ thống kiểm tra mọi dòng trước khi ghi: nếu có lỗi, không dòng nào được ghi. Tệp gõ bằng bảng mã TCVN3 (ABC) hoặc VNI được tự động chuyển sang Unicode.",
        "Download a template, fill it in and upload it. Every row is checked before anything is written: with any error, nothing is written. TCVN3 (ABC) and VNI text is converted to Unicode.",
    ),
    ("import.templates", "Mẫu nhập", "Templates"),
    ("import.kind", "Loại dữ liệu", "Kind of data"),
    ("import.file", "Tệp .xlsx hoặc .csv", "File (.xlsx or .csv)"),
    ("import.dry_run", "Chỉ kiểm tra, chưa ghi", "Check only, do not write"),
    ("import.submit", "Tải lên", "Upload"),
    ("import.done", "Đã nhập xong", "Import complete"),
    ("import.checked", "Kiểm tra xong, không có lỗi", "Checked, no errors"),
    ("import.rows", "Số dòng", "Rows"),
    ("import.created", "Số bản ghi đã tạo", "Records created"),
    ("import.encoding", "Bảng mã", "Encoding"),
    ("import.failed", "Tệp có lỗi", "The file has errors"),
    (
        "import.nothing_written",
        "Chưa ghi dòng nào. Hãy sửa các lỗi dưới đây rồi tải lên lại.",
        "Nothing was written. Fix the errors below and upload again.",
    ),
    ("import.row", "Dòng", "Row"),
    ("import.column", "Cột", "Column"),
    ("import.reason", "Lỗi", "Problem"),
    ("audit.title", "Nhật ký hệ thống", "Audit log"),
    ("audit.time", "Thời gian", "Time"),
    ("audit.actor", "Người thực hiện", "Actor"),
    ("audit.on_behalf_of", "Thay mặt", "On behalf of"),
    ("audit.action", "Thao tác", "Action"),
    ("audit.entity", "Đối tượng", "Record"),
    ("audit.old", "Giá trị cũ", "Old value"),
    ("audit.new", "Giá trị mới", "New value"),
    ("account.title", "Tài khoản của tôi", "My account"),
    ("account.roles", "Vai trò và phạm vi", "Roles and scope"),
    ("account.and_below", " và các đơn vị trực thuộc", " and the units below"),
    ("account.password", "Đổi mật khẩu", "Change password"),
    ("account.current", "Mật khẩu hiện tại", "Current password"),
    ("account.new", "Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)"),
    ("account.tokens", "Mã truy cập API", "API tokens"),
    ("account.token_name", "Tên gợi nhớ", "Name"),
    ("account.token_create", "Tạo mã truy cập", "Create token"),
    ("account.token_once", "Mã chỉ hiển thị một lần, hãy lưu lại:", "Shown only once, keep it safe:"),
    ("account.revoke", "Thu hồi", "Revoke"),
    ("account.revoked", "Đã thu hồi", "Revoked"),
    ("account.delegate", "Ủy quyền", "Delegate"),
    (
        "account.delegate_intro",
        "Giao vai trò của bạn cho cấp phó trong một thời hạn. Nhật ký ghi cả hai tên.",
        "Give one of your roles to a deputy for a period. The audit log shows both names.",
    ),
    ("account.deputy", "Tên đăng nhập của người được ủy quyền", "Deputy's username"),
    ("account.grant", "Vai trò", "Role"),
    ("account.from", "Từ ngày", "From"),
    ("account.until", "đến", "until"),
    ("account.delegate_submit", "Ủy quyền", "Delegate"),
    ("account.delegated", "Đã ủy quyền.", "Delegated."),
    ("account.no_deputy", "Không tìm thấy người dùng này.", "No such user."),
];

/// The text of `key` in `lang`; the key itself if it is missing (a test forbids that).
pub fn t(lang: Lang, key: &str) -> &'static str {
    match TEXTS.iter().find(|(k, _, _)| *k == key) {
        Some((_, vi, en)) => match lang {
            Lang::Vi => vi,
            Lang::En => en,
        },
        None => {
            tracing::warn!(key, "missing UI text");
            "…"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Keys used as `t("…")` / `t(lang, "…")` anywhere in the templates and sources.
    fn used_keys() -> HashSet<String> {
        let mut out = HashSet::new();
        let dirs = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/templates"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/pages"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/src"),
        ];
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            for e in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
                for (i, _) in text.match_indices("t(") {
                    let rest = &text[i + 2..];
                    let rest = rest.strip_prefix("auth.lang, ").or_else(|| rest.strip_prefix("lang, ")).unwrap_or(rest);
                    if let Some(r) = rest.strip_prefix('"')
                        && let Some(end) = r.find('"')
                    {
                        let key = &r[..end];
                        if key.contains('.') && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
                            out.insert(key.to_string());
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_key_used_has_both_languages() {
        let keys: HashSet<&str> = TEXTS.iter().map(|(k, _, _)| *k).collect();
        let used = used_keys();
        assert!(used.len() > 50, "the scan found too few keys: {}", used.len());
        let missing: Vec<_> = used.iter().filter(|k| !keys.contains(k.as_str())).collect();
        assert!(missing.is_empty(), "missing UI texts: {missing:?}");
        for (k, vi, en) in TEXTS {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut seen = HashSet::new();
        for (k, _, _) in TEXTS {
            assert!(seen.insert(k), "duplicate key {k}");
        }
    }
}
