//! Personal-data breaches (issue 18 §5, Law 91/2025/QH15 Art. 23): the notification's time limit
//! counted in hours from discovery, the categories of data a breach may touch and the text of the
//! notification — as data (`privacy/breaches.toml`), with what is verified and what is provisional.

use serde::Deserialize;
use time::{Duration, OffsetDateTime};

const BREACHES_TOML: &str = include_str!("../../../privacy/breaches.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub version: u32,
    pub notify_hours: u32,
    pub basis: String,
    pub verified: bool,
    pub addressee: String,
    pub content_verified: bool,
    pub content: Vec<String>,
    #[serde(rename = "category")]
    pub categories: Vec<Category>,
}

/// What the notification says of one breach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts<'a> {
    pub controller: &'a str,
    pub description: &'a str,
    /// «14:30 ngày 10/12/2026» in Hanoi time.
    pub discovered: &'a str,
    pub categories: Vec<&'a str>,
    /// «1.234 công dân, 56 hộ gia đình» or the officer's own estimate.
    pub affected: &'a str,
    pub consequences: &'a str,
    pub measures: &'a str,
    pub contact: &'a str,
}

pub fn parse(text: &str) -> Result<Rules, String> {
    let r: Rules = toml::from_str(text).map_err(|e| format!("privacy/breaches.toml: {e}"))?;
    if r.version != 1 || r.notify_hours == 0 || r.content.len() != 5 {
        return Err("privacy/breaches.toml: version 1, notify_hours > 0 and the five parts of the notification".into());
    }
    Ok(r)
}

pub fn shipped() -> Result<Rules, String> {
    parse(BREACHES_TOML)
}

impl Rules {
    /// The last moment the notification may be sent.
    pub fn notify_by(&self, discovered: OffsetDateTime) -> OffsetDateTime {
        discovered + Duration::hours(i64::from(self.notify_hours))
    }

    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The notification's body, part by part in the order of `content`.
    pub fn notification(&self, f: &Facts<'_>) -> String {
        let parts = [
            format!("{} Phát hiện lúc {}.", f.description.trim(), f.discovered),
            format!("{}. Số chủ thể có thể bị ảnh hưởng: {}.", f.categories.join("; "), f.affected),
            f.consequences.trim().to_string(),
            f.measures.trim().to_string(),
            f.contact.trim().to_string(),
        ];
        let mut out = format!(
            "Kính gửi: {}.\n\n{} thông báo vi phạm quy định bảo vệ dữ liệu cá nhân ({}):\n",
            self.addressee, f.controller, self.basis
        );
        for (i, (head, body)) in self.content.iter().zip(parts).enumerate() {
            out.push_str(&format!("\n{}. {head}: {body}", i + 1));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_breach_found_on_friday_afternoon_is_notified_by_monday_afternoon_whatever_the_weekend() {
        let rules = shipped().expect("reads");
        assert_eq!(rules.notify_by(datetime!(2026-12-11 15:00 +7)), datetime!(2026-12-14 15:00 +7));
    }

    #[test]
    fn the_notification_names_the_addressee_and_each_part_in_order() {
        let rules = shipped().expect("reads");
        let text = rules.notification(&Facts {
            controller: "Sở Giáo dục và Đào tạo thành phố Hà Nội",
            description: "Tài khoản của một cán bộ phường bị đăng nhập trái phép.",
            discovered: "09:00 ngày 08/12/2026",
            categories: vec!["Họ tên, năm sinh, giới tính của công dân"],
            affected: "120 công dân",
            consequences: "Danh sách có thể bị dùng để lừa đảo.",
            measures: "Đã khóa tài khoản, đổi mật khẩu.",
            contact: "Nguyễn Văn A, 024 0000 0000",
        });
        assert!(text.starts_with("Kính gửi: Cơ quan chuyên trách bảo vệ dữ liệu cá nhân"));
        let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in {text}"));
        assert!(at("1. Mô tả vi phạm") < at("2. Loại dữ liệu") && at("2. Loại dữ liệu") < at("5. Người liên hệ"));
        assert!(text.contains("120 công dân") && text.contains("72 giờ"));
    }

    #[test]
    fn a_file_without_the_five_parts_is_refused() {
        let text = BREACHES_TOML.replace("\"Người liên hệ\"]", "]").replace(", ]", "]");
        assert!(parse(&text).is_err());
    }
}
