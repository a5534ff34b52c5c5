//! What the movement publishes (seed III.6.4 and IV.4: «tuyên truyền, nhân rộng các mô hình, điển
//! hình tiên tiến»; III.2.1.e and IV.6: sharing learning resources): articles on exemplary models,
//! good practices and recognised initiatives, written by a unit's officer and reviewed by DOET
//! before they go public; and the catalogue of open learning resources contributed by schools and
//! centres.

use crate::text::{clean, clean_multiline};
use serde::{Deserialize, Serialize};

/// What an article presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArticleKind {
    /// Mô hình, điển hình tiên tiến (an exemplary model: a family, a clan, a village, a unit).
    Model,
    /// Cách làm hay, hiệu quả (a good practice).
    Practice,
    /// Sáng kiến được công nhận (an initiative recognised by a decision).
    Initiative,
}

impl ArticleKind {
    pub const ALL: [ArticleKind; 3] = [ArticleKind::Model, ArticleKind::Practice, ArticleKind::Initiative];

    pub fn code(self) -> &'static str {
        match self {
            ArticleKind::Model => "mo-hinh",
            ArticleKind::Practice => "cach-lam-hay",
            ArticleKind::Initiative => "sang-kien",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleKind> {
        ArticleKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ArticleKind::Model => "Gương điển hình, mô hình tiêu biểu",
            ArticleKind::Practice => "Cách làm hay, hiệu quả",
            ArticleKind::Initiative => "Sáng kiến được công nhận",
        }
    }
}

/// Whether a shared learning resource is in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ResourceState {
    #[default]
    Published,
    /// Taken out of the catalogue by its unit; kept, with who and when.
    Withdrawn,
}

impl ResourceState {
    pub fn code(self) -> &'static str {
        match self {
            ResourceState::Published => "published",
            ResourceState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ResourceState> {
        [ResourceState::Published, ResourceState::Withdrawn].into_iter().find(|x| x.code() == s)
    }
}

/// Where an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ArticleState {
    #[default]
    Draft,
    /// Sent to DOET for review.
    Submitted,
    /// Returned by DOET with a reason; the author corrects it.
    Returned,
    Published,
    /// Taken down by DOET after publication; the author may correct and send it again.
    Withdrawn,
}

impl ArticleState {
    pub const ALL: [ArticleState; 5] =
        [ArticleState::Draft, ArticleState::Submitted, ArticleState::Returned, ArticleState::Published, ArticleState::Withdrawn];

    pub fn code(self) -> &'static str {
        match self {
            ArticleState::Draft => "draft",
            ArticleState::Submitted => "submitted",
            ArticleState::Returned => "returned",
            ArticleState::Published => "published",
            ArticleState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleState> {
        ArticleState::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ArticleState::Draft => "Đang soạn",
            ArticleState::Submitted => "Chờ Sở GD&ĐT duyệt",
            ArticleState::Returned => "Bị trả lại để sửa",
            ArticleState::Published => "Đã đăng công khai",
            ArticleState::Withdrawn => "Đã gỡ xuống",
        }
    }

    /// Whether the author may change the text and the photo.
    pub fn editable(self) -> bool {
        matches!(self, ArticleState::Draft | ArticleState::Returned | ArticleState::Withdrawn)
    }
}

/// A step of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArticleStep {
    /// The author sends it for review.
    Submit,
    /// DOET returns it with a reason.
    Return,
    /// DOET publishes it.
    Publish,
    /// DOET takes a published article down, with a reason.
    Withdraw,
}

impl ArticleStep {
    pub const ALL: [ArticleStep; 4] = [ArticleStep::Submit, ArticleStep::Return, ArticleStep::Publish, ArticleStep::Withdraw];

    pub fn code(self) -> &'static str {
        match self {
            ArticleStep::Submit => "submit",
            ArticleStep::Return => "return",
            ArticleStep::Publish => "publish",
            ArticleStep::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleStep> {
        ArticleStep::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ArticleStep::Submit => "Gửi Sở GD&ĐT duyệt",
            ArticleStep::Return => "Trả lại để sửa",
            ArticleStep::Publish => "Duyệt và đăng công khai",
            ArticleStep::Withdraw => "Gỡ xuống",
        }
    }

    /// The reviewer's steps (DOET) as opposed to the author's.
    pub fn by_reviewer(self) -> bool {
        !matches!(self, ArticleStep::Submit)
    }

    /// A return or a withdrawal says why.
    pub fn needs_reason(self) -> bool {
        matches!(self, ArticleStep::Return | ArticleStep::Withdraw)
    }
}

/// The state an article moves to, or why the step is not possible. Nobody publishes an article
/// that was not sent for review, and nobody reviews their own words twice: an edit after a return
/// goes through review again.
pub fn next(from: ArticleState, step: ArticleStep) -> Result<ArticleState, &'static str> {
    use ArticleState as S;
    use ArticleStep as T;
    match (from, step) {
        (S::Draft | S::Returned | S::Withdrawn, T::Submit) => Ok(S::Submitted),
        (S::Submitted, T::Return) => Ok(S::Returned),
        (S::Submitted, T::Publish) => Ok(S::Published),
        (S::Published, T::Withdraw) => Ok(S::Withdrawn),
        (S::Submitted, T::Submit) => Err("Bài đã gửi, đang chờ duyệt."),
        (S::Published, T::Submit | T::Publish) => Err("Bài đã được đăng."),
        (_, T::Publish | T::Return) => Err("Chỉ duyệt hoặc trả lại bài đang chờ duyệt."),
        (_, T::Withdraw) => Err("Chỉ gỡ xuống bài đang đăng."),
    }
}

/// The text of an article as its author typed it, checked and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleText {
    pub title: String,
    pub summary: String,
    pub body: String,
    /// For a model or an initiative: who (persons, family, collective) — names appear only as
    /// the author writes them, with their agreement.
    pub subjects: String,
    /// For an initiative: the recognising decision (number, date, issuing body).
    pub recognition: String,
    pub photo_caption: String,
}

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 600;
pub const MAX_BODY: usize = 20_000;
/// Largest photo of an article.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// Checks an article's text; every problem is reported, in Vietnamese.
pub fn check_article(kind: ArticleKind, raw: &ArticleText) -> Result<ArticleText, Vec<String>> {
    let t = ArticleText {
        title: clean(&raw.title),
        summary: clean_multiline(&raw.summary),
        body: clean_multiline(&raw.body),
        subjects: clean(&raw.subjects),
        recognition: clean(&raw.recognition),
        photo_caption: clean(&raw.photo_caption),
    };
    let mut errors = Vec::new();
    let chars = |s: &str| s.chars().count();
    if chars(&t.title) < 5 {
        errors.push("Tiêu đề cần ít nhất 5 ký tự.".to_string());
    }
    if chars(&t.title) > MAX_TITLE {
        errors.push(format!("Tiêu đề dài quá {MAX_TITLE} ký tự."));
    }
    if chars(&t.summary) > MAX_SUMMARY {
        errors.push(format!("Tóm tắt dài quá {MAX_SUMMARY} ký tự."));
    }
    if chars(&t.body) < 100 {
        errors.push("Nội dung bài cần ít nhất 100 ký tự.".to_string());
    }
    if chars(&t.body) > MAX_BODY {
        errors.push(format!("Nội dung bài dài quá {MAX_BODY} ký tự."));
    }
    if kind == ArticleKind::Initiative && t.recognition.is_empty() {
        errors.push("Sáng kiến phải ghi quyết định công nhận (số, ngày, cơ quan ban hành).".to_string());
    }
    if chars(&t.subjects) > 300 || chars(&t.recognition) > 300 || chars(&t.photo_caption) > 300 {
        errors.push("Tên người, tập thể, quyết định công nhận và chú thích ảnh mỗi phần không quá 300 ký tự.".to_string());
    }
    if errors.is_empty() { Ok(t) } else { Err(errors) }
}

/// The education levels of the resources catalogue.
pub const RESOURCE_LEVELS: [(&str, &str); 7] = [
    ("mam-non", "Mầm non"),
    ("tieu-hoc", "Tiểu học"),
    ("thcs", "Trung học cơ sở"),
    ("thpt", "Trung học phổ thông"),
    ("nghe", "Giáo dục nghề nghiệp"),
    ("nguoi-lon", "Người lớn, học tập suốt đời"),
    ("moi-lua-tuoi", "Mọi lứa tuổi"),
];

/// The topics of the resources catalogue (the areas the plan names: skills, digital
/// transformation, languages, occupations, health, culture, law, science).
pub const RESOURCE_TOPICS: [(&str, &str); 9] = [
    ("ky-nang-song", "Kỹ năng sống"),
    ("chuyen-doi-so", "Chuyển đổi số, kỹ năng số"),
    ("ngoai-ngu", "Ngoại ngữ"),
    ("nghe-nghiep", "Nghề nghiệp, khởi nghiệp"),
    ("suc-khoe", "Sức khỏe, thể chất"),
    ("van-hoa", "Văn hóa, lịch sử, Người Hà Nội thanh lịch"),
    ("phap-luat", "Pháp luật"),
    ("khoa-hoc", "Khoa học, công nghệ, STEM"),
    ("khac", "Chủ đề khác"),
];

pub fn level_label(code: &str) -> Option<&'static str> {
    RESOURCE_LEVELS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

pub fn topic_label(code: &str) -> Option<&'static str> {
    RESOURCE_TOPICS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// A resource as its contributor typed it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceText {
    pub title: String,
    pub topic: String,
    pub level: String,
    pub description: String,
    /// A link to the resource; empty when a file is attached instead.
    pub url: String,
}

/// Largest file of a resource.
pub const MAX_RESOURCE_BYTES: usize = 20 * 1024 * 1024;

/// Checks a resource: a title, a known topic and level, and exactly one of a link (http or https)
/// and a file.
pub fn check_resource(raw: &ResourceText, has_file: bool) -> Result<ResourceText, Vec<String>> {
    let t = ResourceText {
        title: clean(&raw.title),
        topic: clean(&raw.topic),
        level: clean(&raw.level),
        description: clean_multiline(&raw.description),
        url: raw.url.trim().to_string(),
    };
    let mut errors = Vec::new();
    let len = t.title.chars().count();
    if !(3..=MAX_TITLE).contains(&len) {
        errors.push(format!("Tên học liệu cần từ 3 đến {MAX_TITLE} ký tự."));
    }
    if topic_label(&t.topic).is_none() {
        errors.push("Chưa chọn chủ đề.".to_string());
    }
    if level_label(&t.level).is_none() {
        errors.push("Chưa chọn cấp học, đối tượng.".to_string());
    }
    if t.description.chars().count() > 2_000 {
        errors.push("Mô tả dài quá 2.000 ký tự.".to_string());
    }
    match (t.url.is_empty(), has_file) {
        (true, false) => errors.push("Cần một đường dẫn hoặc một tệp học liệu.".to_string()),
        (false, true) => errors.push("Chỉ chọn một trong hai: đường dẫn hoặc tệp.".to_string()),
        (false, false) => {
            if let Err(m) = check_url(&t.url) {
                errors.push(m.to_string());
            }
        }
        (true, true) => {}
    }
    if errors.is_empty() { Ok(t) } else { Err(errors) }
}

/// An address the public may follow: http or https, a host, no spaces or control characters.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    let rest =
        url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).ok_or("Đường dẫn phải bắt đầu bằng http:// hoặc https://.")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') && !host.starts_with("localhost") {
        return Err("Đường dẫn thiếu tên miền.");
    }
    if url.len() > 2_000 || url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>') {
        return Err("Đường dẫn có ký tự không hợp lệ hoặc quá dài.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> String {
        "Gia đình ông bà duy trì tủ sách gia đình hơn hai mươi năm, mỗi tối cả nhà dành một giờ đọc sách và chia sẻ với hàng xóm."
            .to_string()
    }

    #[test]
    fn an_article_goes_public_only_after_review() {
        let s = next(ArticleState::Draft, ArticleStep::Submit).unwrap();
        assert_eq!(s, ArticleState::Submitted);
        assert_eq!(next(s, ArticleStep::Publish), Ok(ArticleState::Published));
        assert!(next(ArticleState::Draft, ArticleStep::Publish).is_err());
        assert!(next(ArticleState::Returned, ArticleStep::Publish).is_err());
    }

    #[test]
    fn a_returned_article_is_corrected_and_sent_again() {
        let s = next(ArticleState::Submitted, ArticleStep::Return).unwrap();
        assert!(s.editable());
        assert_eq!(next(s, ArticleStep::Submit), Ok(ArticleState::Submitted));
        assert!(!ArticleState::Submitted.editable());
    }

    #[test]
    fn a_published_article_is_not_edited_in_place_but_withdrawn_first() {
        assert!(!ArticleState::Published.editable());
        let w = next(ArticleState::Published, ArticleStep::Withdraw).unwrap();
        assert!(w.editable());
        assert!(next(ArticleState::Submitted, ArticleStep::Withdraw).is_err());
    }

    #[test]
    fn only_return_and_withdraw_need_a_reason_and_only_submit_is_the_authors() {
        assert!(ArticleStep::Return.needs_reason() && ArticleStep::Withdraw.needs_reason());
        assert!(!ArticleStep::Publish.needs_reason() && !ArticleStep::Submit.needs_reason());
        assert!(!ArticleStep::Submit.by_reviewer() && ArticleStep::Publish.by_reviewer());
    }

    #[test]
    fn an_initiative_names_its_recognising_decision() {
        let t = ArticleText { title: "Sổ tay học tập điện tử".into(), body: body(), ..ArticleText::default() };
        let errors = check_article(ArticleKind::Initiative, &t).unwrap_err();
        assert!(errors.iter().any(|e| e.contains("quyết định công nhận")), "{errors:?}");
        assert!(check_article(ArticleKind::Practice, &t).is_ok());
        let t = ArticleText { recognition: "Quyết định số 12/QĐ-UBND ngày 03/11/2026 của UBND phường".into(), ..t };
        assert!(check_article(ArticleKind::Initiative, &t).is_ok());
    }

    #[test]
    fn an_article_reports_every_problem_and_normalises_its_text() {
        let errors = check_article(ArticleKind::Model, &ArticleText { title: "Ab".into(), ..ArticleText::default() }).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        // Decomposed Vietnamese (as some Mac keyboards send it) is stored composed (NFC).
        let t =
            ArticleText { title: "Gia \u{0111}i\u{0300}nh ho\u{0323}c t\u{00e2}\u{0323}p".into(), body: body(), ..ArticleText::default() };
        assert_eq!(check_article(ArticleKind::Model, &t).unwrap().title, "Gia đình học tập");
    }

    #[test]
    fn a_resource_is_a_link_or_a_file_never_both_nor_neither() {
        let base = ResourceText {
            title: "Kỹ năng số cho người cao tuổi".into(),
            topic: "chuyen-doi-so".into(),
            level: "nguoi-lon".into(),
            ..ResourceText::default()
        };
        assert!(check_resource(&base, true).is_ok());
        assert!(check_resource(&base, false).unwrap_err()[0].contains("đường dẫn hoặc một tệp"));
        let link = ResourceText { url: "https://hoc.hanoi.edu.vn/ky-nang-so".into(), ..base.clone() };
        assert!(check_resource(&link, false).is_ok());
        assert!(check_resource(&link, true).is_err());
    }

    #[test]
    fn a_resource_link_must_be_http_or_https_with_a_host() {
        assert!(check_url("https://vi.wikipedia.org/wiki/H%E1%BB%8Dc_t%E1%BA%ADp_su%E1%BB%91t_%C4%91%E1%BB%9Di").is_ok());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("ftp://example.org/x").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://example.org/a b").is_err());
        assert!(check_url("https://example.org/\"><script>").is_err());
    }

    #[test]
    fn a_resource_has_a_known_topic_and_level() {
        let t = ResourceText {
            title: "Toán vui".into(),
            topic: "bong-da".into(),
            level: "dai-hoc".into(),
            url: "https://a.vn".into(),
            ..ResourceText::default()
        };
        assert_eq!(check_resource(&t, false).unwrap_err().len(), 2);
    }
}
