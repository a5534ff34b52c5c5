//! Detection and conversion of Vietnamese text typed in the legacy 8-bit encodings that
//! Hanoi's offices used before Unicode: TCVN3 (ABC, fonts ".VnTime") and VNI (fonts
//! "VNI-Times"). Such text reaches us through old Excel sheets and CSV files as Latin-1
//! characters, e.g. TCVN3 "Hµ Néi" or VNI "Haø Noäi" for "Hà Nội".
//!
//! Decisions are taken per file (a column of a sheet is written in one encoding), because a
//! single short word can be valid in two encodings at once. A cell that looks like legacy text
//! but converts to no valid Vietnamese is rejected: mojibake is never stored.

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// The encoding a body of text was found to be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    Unicode,
    Tcvn3,
    Vni,
}

impl Encoding {
    /// Vietnamese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Unicode => "Unicode",
            Encoding::Tcvn3 => "TCVN3 (ABC)",
            Encoding::Vni => "VNI",
        }
    }
}

/// TCVN3 (VN3, the ABC fonts) byte → Unicode letter. The 8-bit byte appears in our input as
/// the Latin-1 character with the same code point.
const TCVN3: &[(u8, char)] = &[
    (0xB5, 'à'),
    (0xB8, 'á'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB9, 'ạ'),
    (0xA8, 'ă'),
    (0xBB, 'ằ'),
    (0xBE, 'ắ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xC6, 'ặ'),
    (0xA9, 'â'),
    (0xC7, 'ầ'),
    (0xCA, 'ấ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCB, 'ậ'),
    (0xAE, 'đ'),
    (0xCC, 'è'),
    (0xD0, 'é'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD1, 'ẹ'),
    (0xAA, 'ê'),
    (0xD2, 'ề'),
    (0xD5, 'ế'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xDD, 'í'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE3, 'ó'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE4, 'ọ'),
    (0xAB, 'ô'),
    (0xE5, 'ồ'),
    (0xE8, 'ố'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE9, 'ộ'),
    (0xAC, 'ơ'),
    (0xEA, 'ờ'),
    (0xED, 'ớ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF3, 'ú'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF4, 'ụ'),
    (0xAD, 'ư'),
    (0xF5, 'ừ'),
    (0xF8, 'ứ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFD, 'ý'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFE, 'ỵ'),
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
];

/// VNI-Windows: a base letter followed by a mark byte (lower case; upper case uses the upper
/// case Latin-1 letter of the same byte minus 0x20).
const VNI_MARKS: &[(u8, &str)] = &[
    (0xF9, "\u{0301}"),         // ù: sắc
    (0xF8, "\u{0300}"),         // ø: huyền
    (0xFB, "\u{0309}"),         // û: hỏi
    (0xF5, "\u{0303}"),         // õ: ngã
    (0xEF, "\u{0323}"),         // ï: nặng
    (0xE2, "\u{0302}"),         // â: circumflex
    (0xE1, "\u{0302}\u{0301}"), // á: circumflex + sắc
    (0xE0, "\u{0302}\u{0300}"), // à: circumflex + huyền
    (0xE5, "\u{0302}\u{0309}"), // å: circumflex + hỏi
    (0xE3, "\u{0302}\u{0303}"), // ã: circumflex + ngã
    (0xE4, "\u{0302}\u{0323}"), // ä: circumflex + nặng
    (0xEA, "\u{0306}"),         // ê: breve
    (0xE9, "\u{0306}\u{0301}"), // é: breve + sắc
    (0xE8, "\u{0306}\u{0300}"), // è: breve + huyền
    (0xFA, "\u{0306}\u{0309}"), // ú: breve + hỏi
    (0xFC, "\u{0306}\u{0303}"), // ü: breve + ngã
    (0xEB, "\u{0306}\u{0323}"), // ë: breve + nặng
];

/// VNI single-byte letters.
const VNI_LETTERS: &[(u8, char)] = &[
    (0xF4, 'ơ'),
    (0xD4, 'Ơ'),
    (0xF6, 'ư'),
    (0xD6, 'Ư'),
    (0xF1, 'đ'),
    (0xD1, 'Đ'),
    (0xED, 'í'),
    (0xCD, 'Í'),
    (0xEC, 'ì'),
    (0xCC, 'Ì'),
    (0xE6, 'ỉ'),
    (0xC6, 'Ỉ'),
    (0xF3, 'ĩ'),
    (0xD3, 'Ĩ'),
    (0xF2, 'ị'),
    (0xD2, 'Ị'),
    (0xEE, 'ỵ'),
    (0xCE, 'Ỵ'),
];

fn tcvn3_map() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| TCVN3.iter().map(|&(b, c)| (char::from(b), c)).collect())
}

/// Converts TCVN3 text to Unicode NFC. Characters outside the table pass through unchanged.
pub fn from_tcvn3(input: &str) -> String {
    let map = tcvn3_map();
    input.chars().map(|c| *map.get(&c).unwrap_or(&c)).collect::<String>().nfc().collect()
}

fn vni_mark(c: char) -> Option<&'static str> {
    let lower = if ('\u{C0}'..='\u{DE}').contains(&c) && c != '\u{D7}' { char::from_u32(c as u32 + 0x20)? } else { c };
    VNI_MARKS.iter().find(|(b, _)| char::from(*b) == lower).map(|(_, m)| *m)
}

/// Converts VNI text to Unicode NFC. A mark byte only combines with the vowel before it.
pub fn from_vni(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut prev_vowel = false;
    for c in input.chars() {
        if prev_vowel && let Some(mark) = vni_mark(c) {
            out.push_str(mark);
            // VNI writes a vowel mark and a tone as one byte ("oá" is ố), so no second
            // mark byte follows.
            prev_vowel = false;
            continue;
        }
        if let Some((_, l)) = VNI_LETTERS.iter().find(|(b, _)| char::from(*b) == c) {
            out.push(*l);
            // ơ and ư take a tone byte after them.
            prev_vowel = matches!(l, 'ơ' | 'Ơ' | 'ư' | 'Ư');
            continue;
        }
        out.push(c);
        prev_vowel = "aeiouyAEIOUY".contains(c);
    }
    out.nfc().collect()
}

fn is_tone(c: char) -> bool {
    matches!(c, '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}')
}

/// Whether a character is a letter of written Vietnamese (with or without marks).
fn is_vietnamese_letter(c: char) -> bool {
    if c.is_ascii_alphabetic() {
        return true;
    }
    let decomposed: Vec<char> = c.to_lowercase().flat_map(|l| l.nfd().collect::<Vec<_>>()).collect();
    let Some((&base, marks)) = decomposed.split_first() else { return false };
    if base == 'đ' {
        return marks.is_empty();
    }
    if !"aeiouy".contains(base) {
        return false;
    }
    let mut vowel_marks = 0;
    let mut tones = 0;
    for &m in marks {
        match m {
            '\u{0302}' if "aeo".contains(base) => vowel_marks += 1,
            '\u{0306}' if base == 'a' => vowel_marks += 1,
            '\u{031B}' if "ou".contains(base) => vowel_marks += 1,
            m if is_tone(m) => tones += 1,
            _ => return false,
        }
    }
    vowel_marks <= 1 && tones <= 1
}

const INITIALS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s",
    "t", "v", "x", "",
];
const NUCLEI: &[&str] = &[
    "uyê", "uya", "uyu", "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "ai", "ao", "au", "ay", "âu", "ây", "eo",
    "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "ưa", "ưi", "ươ", "ưu", "uy",
    "yê", "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
];
const FINALS: &[&str] = &["ng", "nh", "ch", "c", "m", "n", "p", "t", ""];

/// Whether one lower-case word without tone marks is a Vietnamese syllable:
/// initial consonant, vowel nucleus, final consonant.
fn is_syllable(word: &str) -> bool {
    INITIALS
        .iter()
        .filter_map(|i| word.strip_prefix(i))
        .any(|rest| FINALS.iter().filter_map(|f| rest.strip_suffix(f)).any(|nucleus| NUCLEI.contains(&nucleus)))
}

/// Removes tone marks (keeping vowel marks) and lower-cases a word; returns it with its
/// number of tone marks.
fn strip_tones(word: &str) -> (String, usize) {
    let mut tones = 0;
    let base: String = word
        .chars()
        .flat_map(|c| c.to_lowercase())
        .flat_map(|c| c.nfd().collect::<Vec<_>>())
        .filter(|&m| {
            let t = is_tone(m);
            tones += usize::from(t);
            !t
        })
        .collect();
    (base.nfc().collect(), tones)
}

/// Symbols of the Latin-1 range that legacy encodings produce and no Vietnamese text uses.
fn is_legacy_symbol(c: char) -> bool {
    ('\u{A1}'..='\u{BF}').contains(&c) || matches!(c, '\u{D7}' | '\u{F7}')
}

/// Whether text reads as well-formed Unicode Vietnamese: no legacy symbols, and every word that
/// carries a non-ASCII letter is a Vietnamese syllable with at most one tone mark. Words in plain
/// ASCII (numbers, codes, foreign words) are not judged.
pub fn is_valid_vietnamese(text: &str) -> bool {
    if text.chars().any(is_legacy_symbol) {
        return false;
    }
    text.split(|c: char| !c.is_alphanumeric()).all(|word| {
        if word.is_ascii() {
            return true;
        }
        if !word.chars().all(|c| c.is_ascii_alphabetic() || is_vietnamese_letter(c)) {
            return false;
        }
        let (base, tones) = strip_tones(word);
        tones <= 1 && is_syllable(&base)
    })
}

/// Whether a string contains characters from the Latin-1 range that legacy encodings use.
fn has_latin1_high(text: &str) -> bool {
    text.chars().any(|c| ('\u{A0}'..='\u{FF}').contains(&c))
}

/// Legacy 8-bit text only ever holds characters up to U+00FF; a cell with any character above
/// that (ộ, ư, đ …) is Unicode already, even inside a file written in a legacy encoding.
fn could_be_legacy(text: &str) -> bool {
    text.chars().all(|c| (c as u32) <= 0xFF)
}

/// Decides the encoding of a body of cells (usually every cell of one file), one cell at a
/// time: legacy when cells are not valid Unicode Vietnamese and that encoding turns more of them
/// into valid Vietnamese than the other.
#[derive(Debug, Clone, Default)]
pub struct Detector {
    tcvn: usize,
    vni: usize,
}

impl Detector {
    pub fn observe(&mut self, cell: &str) {
        // The cheap test first: almost every cell of a Unicode file is skipped here.
        if !has_latin1_high(cell) || !could_be_legacy(cell) || is_valid_vietnamese(cell) {
            return;
        }
        self.tcvn += usize::from(is_valid_vietnamese(&from_tcvn3(cell)));
        self.vni += usize::from(is_valid_vietnamese(&from_vni(cell)));
    }

    pub fn result(&self) -> Encoding {
        if self.tcvn >= self.vni && self.tcvn > 0 {
            Encoding::Tcvn3
        } else if self.vni > 0 {
            Encoding::Vni
        } else {
            Encoding::Unicode
        }
    }
}

/// The encoding of a set of cells (see [`Detector`]).
pub fn detect<'a>(cells: impl IntoIterator<Item = &'a str>) -> Encoding {
    let mut d = Detector::default();
    for c in cells {
        d.observe(c);
    }
    d.result()
}

/// Why a cell's text cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("văn bản có ký tự lạ, có thể gõ bằng bảng mã cũ (TCVN3/VNI) không chuyển được sang Unicode: «{0}»")]
    Mojibake(String),
}

/// Converts one cell from the detected encoding and checks that the result is clean. Text that
/// is still not valid Vietnamese and carries the tell-tale Latin-1 symbols is refused.
pub fn decode_cell(cell: &str, encoding: Encoding) -> Result<String, TextError> {
    // Unicode cells are returned as they are: `text::clean` normalises them next.
    let converted = match encoding {
        _ if !could_be_legacy(cell) => return Ok(cell.to_string()),
        Encoding::Unicode if cell.is_ascii() => return Ok(cell.to_string()),
        Encoding::Unicode => cell.to_string(),
        Encoding::Tcvn3 => from_tcvn3(cell),
        Encoding::Vni => from_vni(cell),
    };
    if converted.chars().any(is_legacy_symbol) {
        return Err(TextError::Mojibake(cell.to_string()));
    }
    Ok(converted)
}

/// [`decode_cell`] for an owned cell: a Unicode cell is returned without a copy.
pub fn decode_owned(cell: String, encoding: Encoding) -> Result<String, TextError> {
    if !could_be_legacy(&cell) || (encoding == Encoding::Unicode && (cell.is_ascii() || !cell.chars().any(is_legacy_symbol))) {
        return Ok(cell);
    }
    decode_cell(&cell, encoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Hµ Néi", "Hà Nội")]
    #[case("B¶o Th¾ng", "Bảo Thắng")]
    #[case("Ph\u{AD}êng Hoµn KiÕm", "Phường Hoàn Kiếm")]
    #[case("NguyÔn V¨n §øc", "Nguyễn Văn Đức")]
    #[case("Gia ®×nh häc tËp", "Gia đình học tập")]
    fn tcvn3_text_converts_to_unicode(#[case] legacy: &str, #[case] unicode: &str) {
        assert_eq!(from_tcvn3(legacy), unicode);
        assert_eq!(detect([legacy]), Encoding::Tcvn3);
    }

    #[rstest]
    #[case("Haø Noäi", "Hà Nội")]
    #[case("Xin chaøo caùc baïn", "Xin chào các bạn")]
    #[case("Nguyeãn Vaên Ñöùc", "Nguyễn Văn Đức")]
    #[case("Phöôøng Hoaøn Kieám", "Phường Hoàn Kiếm")]
    #[case("Gia ñình hoïc taäp", "Gia đình học tập")]
    fn vni_text_converts_to_unicode(#[case] legacy: &str, #[case] unicode: &str) {
        assert_eq!(from_vni(legacy), unicode);
        assert_eq!(detect([legacy]), Encoding::Vni);
    }

    #[test]
    fn unicode_vietnamese_is_left_alone() {
        let cells = ["Nguyễn Thị Hà", "Phường Hoàn Kiếm", "Tú", "José Martí", "Quyết", "Giữa"];
        assert_eq!(detect(cells), Encoding::Unicode);
        for c in cells {
            assert_eq!(decode_cell(c, Encoding::Unicode).as_deref(), Ok(c));
        }
    }

    #[test]
    fn one_file_one_encoding_even_for_ambiguous_cells() {
        // "Tó" is valid Unicode but in a TCVN3 file it means "Tú".
        let cells = ["Lª V¨n Tó", "Tó"];
        let enc = detect(cells);
        assert_eq!(enc, Encoding::Tcvn3);
        assert_eq!(decode_cell("Tó", enc).as_deref(), Ok("Tú"));
    }

    #[test]
    fn unicode_cells_in_a_legacy_file_are_left_alone() {
        assert_eq!(decode_cell("Mã hộ", Encoding::Tcvn3).as_deref(), Ok("Mã hộ"));
        assert_eq!(decode_cell("Giới tính", Encoding::Vni).as_deref(), Ok("Giới tính"));
    }

    #[test]
    fn unconvertible_legacy_symbols_are_rejected() {
        assert!(decode_cell("abc ¸¸µµ ¶", Encoding::Unicode).is_err());
    }

    #[test]
    fn valid_vietnamese_requires_real_syllables() {
        assert!(is_valid_vietnamese("Nguyễn"));
        assert!(is_valid_vietnamese("Quyết Giữa Thượng Hoàn"));
        assert!(!is_valid_vietnamese("Haứ Noọi"));
    }
}
