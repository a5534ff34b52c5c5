//! UI texts of personal-data protection (issue 18): the read log (the general table is in
//! `i18n`, which reads this one too).

/// (key, Vietnamese, English)
pub(crate) const TEXTS: &[(&str, &str, &str)] = &[
    ("reads.title", "Nhật ký truy cập dữ liệu cá nhân", "Personal data read log"),
    (
        "reads.intro",
        "Mỗi lần xem hồ sơ công dân, hộ gia đình, xem danh sách hoặc xuất tệp có dữ liệu cá nhân (trên trang, qua API hoặc dòng lệnh) đều được ghi lại trước khi dữ liệu hiện ra (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15). Danh sách mới nhất trước, trong phạm vi đơn vị của bạn.",
        "Every read of a citizen's or a household's record, list or export with personal data (page, API or command line) is logged before the data is shown (Law 91/2025/QH15). Newest first, within your units.",
    ),
    ("reads.user", "Tên đăng nhập", "Username"),
    ("reads.what", "Dữ liệu", "Data"),
    ("reads.channel", "Qua", "Through"),
    ("reads.record", "Hồ sơ", "Record"),
    ("reads.unit", "Đơn vị", "Unit"),
    ("reads.rows", "Số dòng", "Rows"),
    ("reads.detail", "Bộ lọc", "Filter"),
    ("reads.subject", "Mã số hồ sơ (id)", "Record id"),
    ("reads.whole_scope", "Toàn bộ phạm vi", "Whole scope"),
    ("reads.none", "Chưa có lượt xem nào khớp bộ lọc.", "No read matches the filter."),
    ("reads.who_read", "Ai đã xem hồ sơ này", "Who read this record"),
    ("reads.link", "Nhật ký truy cập dữ liệu cá nhân", "Personal data read log"),
];
