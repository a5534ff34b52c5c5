//! How long each kind of text may be, and which characters never enter the system.
//!
//! Every text field that a person types has a limit that fits its meaning (a name, a code, an
//! address, a document number, free text), checked here, in one place, before anything is
//! written: a 100,000-character name would otherwise break every export and page that shows it.
//! NUL and the bidirectional controls (which can make «Nguyễn Văn A» display as someone else's
//! name) are removed from all text; other control characters are removed from one-line text.

/// The kinds of text, each with its limit in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A person's or household head's full name.
    PersonName,
    /// The name of a unit, clan, campaign, article; a sign-in name's display name.
    Name,
    /// A sign-in name.
    Username,
    /// An e-mail address (RFC 5321's limit).
    Email,
    /// A postal address.
    Address,
    /// A document's number and symbol («12/TTr-UBND»), a signer's title, a position.
    Short,
    /// A paragraph: an achievement, a summary, a reason, a note.
    FreeText,
}

impl Field {
    /// The most characters the field holds.
    pub const fn max_chars(self) -> usize {
        match self {
            Field::PersonName => 120,
            Field::Name => 300,
            Field::Username => 64,
            Field::Email => 254,
            Field::Address => 300,
            Field::Short => 200,
            Field::FreeText => 20_000,
        }
    }

    fn multiline(self) -> bool {
        matches!(self, Field::FreeText)
    }
}

/// Text refused for its length.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{label}» dài {chars} ký tự, quá giới hạn {max} ký tự")]
pub struct TooLong {
    pub label: String,
    pub chars: usize,
    pub max: usize,
}

/// Characters removed from every text: NUL and the bidirectional embedding, override and
/// isolate controls.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The text of a field as it is stored: forbidden characters removed (and, on one-line fields,
/// every control character), NFC, whitespace tidied; or why it is refused. `label` names the
/// field in the message («Họ và tên»).
pub fn checked(field: Field, label: &str, input: &str) -> Result<String, TooLong> {
    // Refuse absurd input before doing any work on it (4 bytes is the widest UTF-8 character).
    let max = field.max_chars();
    if input.len() > max * 4 + 1024 {
        return Err(TooLong { label: label.to_string(), chars: input.chars().count(), max });
    }
    let kept: String = input.chars().filter(|&c| !is_forbidden(c) && (field.multiline() || !c.is_control() || c == '\t')).collect();
    let clean = if field.multiline() { crate::text::clean_multiline(&kept) } else { crate::text::clean(&kept) };
    let chars = clean.chars().count();
    if chars > max {
        return Err(TooLong { label: label.to_string(), chars, max });
    }
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hundred_thousand_character_name_is_refused_naming_the_field_and_the_limit() {
        let e = checked(Field::PersonName, "Họ và tên", &"a".repeat(100_000)).err();
        assert_eq!(e.map(|e| e.to_string()), Some("«Họ và tên» dài 100000 ký tự, quá giới hạn 120 ký tự".to_string()));
    }

    #[test]
    fn nul_and_bidirectional_overrides_never_enter() {
        assert_eq!(checked(Field::Name, "Tên", "Ba\u{0} Đình\u{202E}"), Ok("Ba Đình".into()));
        assert_eq!(checked(Field::FreeText, "Ghi chú", "dòng 1\n\u{2066}dòng 2"), Ok("dòng 1\ndòng 2".into()));
        assert_eq!(checked(Field::Short, "Số", "12/TTr\u{7}"), Ok("12/TTr".into()));
    }

    #[test]
    fn text_at_the_limit_is_kept_whole() {
        let name = "Ạ".repeat(120);
        assert_eq!(checked(Field::PersonName, "Họ và tên", &name), Ok(name));
        assert!(checked(Field::PersonName, "Họ và tên", &"Ạ".repeat(121)).is_err());
    }

    #[test]
    fn every_limit_fits_an_excel_cell() {
        for f in [Field::PersonName, Field::Name, Field::Username, Field::Email, Field::Address, Field::Short, Field::FreeText] {
            assert!(f.max_chars() <= 32_767, "{f:?}");
        }
    }
}
