//! Vietnamese text handling: NFC normalisation of every input, diacritic-insensitive folding for
//! search, and the Vietnamese collation used to sort person names (given name, then middle
//! names, then family name).

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Whether whitespace is already single spaces with nothing at either end.
fn tidy_spaces(s: &str) -> bool {
    !s.starts_with(' ') && !s.ends_with(' ') && !s.contains("  ") && !s.chars().any(|c| c.is_whitespace() && c != ' ')
}

/// Normalises to Unicode NFC, trims, and collapses runs of whitespace into one space.
/// Every piece of text that enters the system passes through here.
pub fn clean(input: &str) -> String {
    // Nearly all input is already clean NFC: check cheaply before rebuilding it.
    if is_nfc_quick(input.chars()) == IsNormalized::Yes && tidy_spaces(input) {
        return input.to_string();
    }
    let nfc: String = input.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// NFC for multi-line text (files, notes): line breaks are kept, trailing spaces removed.
pub fn clean_multiline(input: &str) -> String {
    let nfc: String = input.nfc().collect();
    nfc.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

/// [`clean`] for an owned string: no copy when it is already clean.
pub fn clean_owned(input: String) -> String {
    if input.is_ascii() && tidy_spaces(&input) {
        return input;
    }
    if is_nfc_quick(input.chars()) == IsNormalized::Yes && tidy_spaces(&input) {
        return input;
    }
    clean(&input)
}

/// What search folding and name collation need to know of one precomposed letter.
#[derive(Clone, Copy)]
struct Letter {
    /// Lower case, without tone or vowel marks (`đ` → `d`).
    folded: char,
    /// Primary collation weight: the letter's place in the Vietnamese alphabet.
    rank: u32,
    /// Tone rank: ngang 0, huyền 1, sắc 2, hỏi 3, ngã 4, nặng 5.
    tone: u8,
}

/// Every letter of the Vietnamese alphabet with every tone, both cases, built once.
fn letters() -> &'static HashMap<char, Letter> {
    static TABLE: OnceLock<HashMap<char, Letter>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let tones = ["", "\u{0300}", "\u{0301}", "\u{0309}", "\u{0303}", "\u{0323}"];
        let mut map = HashMap::new();
        for base in ALPHABET {
            let folded = match base {
                'ă' | 'â' => 'a',
                'đ' => 'd',
                'ê' => 'e',
                'ô' | 'ơ' => 'o',
                'ư' => 'u',
                c => c,
            };
            for (tone, mark) in tones.iter().enumerate() {
                let composed: String = format!("{base}{mark}").nfc().collect();
                let mut chars = composed.chars();
                let (Some(c), None) = (chars.next(), chars.next()) else { continue };
                let info = Letter { folded, rank: primary_weight(base), tone: tone as u8 };
                map.insert(c, info);
                for u in c.to_uppercase() {
                    map.insert(u, info);
                }
            }
        }
        map
    })
}

/// An e-mail address as typed, cleaned (NFC, trimmed, the domain in lower case), or why it is
/// not one. Deliberately plain: one `@`, a local part, a dotted domain, no spaces, ≤ 254 bytes.
pub fn email(input: &str) -> Result<String, &'static str> {
    let s = clean(input);
    if s.len() > 254 {
        return Err("địa chỉ thư điện tử dài quá 254 ký tự");
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err("địa chỉ thư điện tử thiếu dấu @");
    };
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"' | '(' | ')' | '[' | ']' | '\\');
    if local.is_empty() || local.len() > 64 || local.chars().any(bad_char) || domain.contains('@') {
        return Err("phần trước dấu @ của địa chỉ thư điện tử không hợp lệ");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok =
        |l: &&str| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-');
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err("tên miền của địa chỉ thư điện tử không hợp lệ (ví dụ: hanoi.gov.vn)");
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// Folds text for diacritic-insensitive search: lower case, no tone or vowel marks, `đ` → `d`.
/// "Nguyễn Văn An" and "nguyen van an" fold to the same string.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let table = letters();
    let mut space = true; // collapses whitespace and trims the start
    for c in input.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(l) = table.get(&c) {
            out.push(l.folded);
        } else if is_combining_mark(c) {
            // Decomposed input: the base letter was kept, its marks are dropped.
        } else {
            for d in c.to_lowercase().flat_map(|l| l.nfd().collect::<Vec<_>>()) {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The letters of the Vietnamese alphabet in dictionary order. Letters outside it (f, j, w, z,
/// digits) sort by their code point after the alphabet.
const ALPHABET: [char; 29] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v',
    'x', 'y',
];

/// Tone marks in dictionary order: ngang, huyền, sắc, hỏi, ngã, nặng.
fn tone_rank(mark: char) -> Option<u8> {
    match mark {
        '\u{0300}' => Some(1), // huyền
        '\u{0301}' => Some(2), // sắc
        '\u{0309}' => Some(3), // hỏi
        '\u{0303}' => Some(4), // ngã
        '\u{0323}' => Some(5), // nặng
        _ => None,
    }
}

/// Splits a letter into (base letter with its vowel mark, tone rank).
fn letter_and_tone(c: char) -> (char, u8) {
    let mut base = String::new();
    let mut tone = 0;
    for d in c.to_lowercase().flat_map(|l| l.nfd().collect::<Vec<_>>()) {
        match tone_rank(d) {
            Some(t) => tone = t,
            None => base.push(d),
        }
    }
    let base: String = base.nfc().collect();
    (base.chars().next().unwrap_or(c), tone)
}

fn primary_weight(base: char) -> u32 {
    match ALPHABET.iter().position(|&a| a == base) {
        Some(i) => 10 + i as u32,
        None => 100 + base as u32,
    }
}

/// The collation key of a full Vietnamese name, as an ASCII string that sorts bytewise (so a
/// database column holding it sorts correctly under any collation). Order: given name (the
/// last word), then the middle names in order, then the family name (the first word).
pub fn name_sort_key(full_name: &str) -> String {
    let cleaned = clean(full_name);
    let words: Vec<&str> = cleaned.split(' ').filter(|w| !w.is_empty()).collect();
    let mut ordered: Vec<&str> = Vec::with_capacity(words.len());
    if let Some((given, rest)) = words.split_last() {
        ordered.push(given);
        ordered.extend(rest.iter().skip(1));
        if let Some(family) = rest.first() {
            ordered.push(family);
        }
    }
    collation_key(&ordered, cleaned.len())
}

/// The collation key of a text in reading order (unit names, titles): the same alphabet and
/// tones as [`name_sort_key`], words not reordered.
pub fn text_sort_key(text: &str) -> String {
    let cleaned = clean(text);
    let words: Vec<&str> = cleaned.split(' ').filter(|w| !w.is_empty()).collect();
    collation_key(&words, cleaned.len())
}

/// Compares two texts (not persons' names) the Vietnamese way: «Phường Ba Đình» before
/// «Phường Bạch Mai» before «Phường Cầu Giấy».
pub fn compare_text(a: &str, b: &str) -> std::cmp::Ordering {
    text_sort_key(a).cmp(&text_sort_key(b))
}

fn collation_key(ordered: &[&str], len: usize) -> String {
    let table = letters();
    let weigh = |c: char| match table.get(&c) {
        Some(l) => (l.rank, l.tone),
        None => {
            let (base, tone) = letter_and_tone(c);
            (primary_weight(base), tone)
        }
    };
    let mut out = String::with_capacity(len * 2 + 8);
    // Primary level: every word's letters, one character per letter of the alphabet; words
    // end with a character below any letter, the level with one below that.
    for w in ordered {
        for c in w.chars() {
            push_weight(&mut out, weigh(c).0);
        }
        out.push('!');
    }
    out.push(' ');
    // Secondary level: tones, word by word.
    for w in ordered {
        for c in w.chars() {
            out.push(char::from(b'0' + weigh(c).1));
        }
        out.push('!');
    }
    out
}

/// One collation weight as bytewise-sortable ASCII: weights below 90 are one character from
/// `#` upwards; larger ones (letters outside the Vietnamese alphabet) are `~` and six hex digits,
/// which sort after every one-character weight.
fn push_weight(out: &mut String, w: u32) {
    match u8::try_from(w).ok().filter(|w| *w < 90) {
        Some(w) => out.push(char::from(b'#' + w)),
        None => {
            use std::fmt::Write;
            let _ = write!(out, "~{w:06x}");
        }
    }
}

/// Compares two full names the Vietnamese way.
pub fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    name_sort_key(a).cmp(&name_sort_key(b))
}

/// A whole number as Vietnamese write it: dots between thousands (`1.234.567`).
pub fn number(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A percentage as Vietnamese write it: one decimal after a comma, a no-break space before the
/// sign (`12,5 %`); no value is a dash.
/// A threshold or rate below a thousand with the decimal comma and no trailing zeros: «60»,
/// «62,5».
pub fn decimal(x: f64) -> String {
    format!("{x}").replace('.', ",")
}

pub fn percent(p: Option<f64>) -> String {
    match p.filter(|p| p.is_finite()) {
        Some(p) => {
            let whole = format!("{:.1}", p.abs());
            let (int, dec) = whole.split_once('.').unwrap_or((&whole, "0"));
            let sign = if p < 0.0 && whole != "0.0" { "-" } else { "" };
            format!("{sign}{},{dec}\u{a0}%", number(int.parse::<i128>().unwrap_or(0)))
        }
        None => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_dots_between_thousands() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1_234_567), "1.234.567");
        assert_eq!(number(-8_600_000), "-8.600.000");
    }

    #[test]
    fn percentages_have_a_decimal_comma_and_a_space_before_the_sign() {
        assert_eq!(percent(Some(12.5)), "12,5\u{a0}%");
        assert_eq!(percent(Some(0.0)), "0,0\u{a0}%");
        assert_eq!(percent(Some(1234.56)), "1.234,6\u{a0}%");
        assert_eq!(percent(None), "—");
        assert_eq!(percent(Some(f64::NAN)), "—");
    }

    #[test]
    fn clean_composes_decomposed_input_to_nfc() {
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(clean(decomposed), "Nguyễn");
        assert_eq!(clean("  Hà   Nội "), "Hà Nội");
    }

    #[test]
    fn fold_removes_tones_and_folds_d_with_stroke() {
        assert_eq!(fold("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(fold("ĐỖ Đức Đạt"), "do duc dat");
        assert_eq!(fold("Ủy ban nhân dân thành phố Hà Nội"), "uy ban nhan dan thanh pho ha noi");
    }

    #[test]
    fn names_sort_by_given_name_first() {
        let mut names = vec!["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Phạm Anh"];
        names.sort_by(|a, b| compare_names(a, b));
        // Same given name: the middle name decides (Thị before Văn), not the family name.
        assert_eq!(names, vec!["Nguyễn Thị An", "Lê Văn An", "Phạm Anh", "Trần Văn Bình"]);
    }

    #[test]
    fn vowel_marks_are_letters_of_their_own_in_the_alphabet() {
        // a < ă < â, d < đ, o < ô < ơ, u < ư: "Đạt" sorts after "Dũng".
        let mut names = vec!["Lê Đạt", "Lê Dũng", "Lê Ân", "Lê Ăn", "Lê An"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, vec!["Lê An", "Lê Ăn", "Lê Ân", "Lê Dũng", "Lê Đạt"]);
    }

    #[test]
    fn tones_only_break_ties_between_same_letters() {
        let mut names = vec!["Lê Bạ", "Lê Bá", "Lê Ba", "Lê Bà", "Lê Bai"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, vec!["Lê Ba", "Lê Bà", "Lê Bá", "Lê Bạ", "Lê Bai"]);
    }

    #[test]
    fn shorter_given_name_sorts_before_its_extension() {
        assert!(compare_names("Vũ An", "Vũ Anh").is_lt());
        assert!(compare_names("Vũ Anh", "Lê An").is_gt());
    }

    #[test]
    fn the_letter_table_agrees_with_full_unicode_decomposition() {
        // Every precomposed Vietnamese letter, upper and lower case, folds as NFD would fold it.
        for (c, _) in letters().iter() {
            let slow: String = c
                .to_lowercase()
                .flat_map(|l| l.nfd().collect::<Vec<_>>())
                .filter(|d| !is_combining_mark(*d))
                .map(|d| if d == 'đ' { 'd' } else { d })
                .collect();
            assert_eq!(fold(&c.to_string()), slow, "{c}");
        }
        for c in ['ự', 'Ự', 'ỹ', 'Ỹ', 'đ', 'Đ', 'ằ', 'Ẫ', 'ơ', 'ộ'] {
            assert!(letters().contains_key(&c), "{c} missing");
        }
    }

    #[test]
    fn decomposed_and_spaced_input_folds_like_clean_input() {
        assert_eq!(fold("  Nguye\u{0302}\u{0303}n \t Văn  "), "nguyen van");
        assert_eq!(clean(" Lê\u{00A0} Văn\tAn "), "Lê Văn An");
    }

    #[test]
    fn sort_key_is_ascii() {
        assert!(name_sort_key("Nguyễn Thị Ánh Tuyết").is_ascii());
    }

    #[test]
    fn an_email_address_is_cleaned_and_its_domain_lower_cased() {
        assert_eq!(email("  Nguyen.An@HaNoi.Gov.VN ").as_deref(), Ok("Nguyen.An@hanoi.gov.vn"));
        assert_eq!(email("van-thu@sogd.hanoi.edu.vn").as_deref(), Ok("van-thu@sogd.hanoi.edu.vn"));
    }

    #[test]
    fn what_is_not_an_email_address_is_refused_with_the_reason() {
        assert_eq!(email("an.hanoi.gov.vn"), Err("địa chỉ thư điện tử thiếu dấu @"));
        assert!(email("an @hanoi.gov.vn").is_err());
        assert!(email("an@localhost").is_err(), "a domain needs a dot");
        assert!(email("an@-hanoi.vn").is_err());
        assert!(email("a@b@hanoi.vn").is_err());
        assert!(email("<an@hanoi.vn>").is_err());
        assert!(email(&format!("{}@hanoi.vn", "a".repeat(65))).is_err());
    }

    #[test]
    fn unit_names_sort_in_reading_order_with_the_vietnamese_alphabet() {
        let mut names = vec!["Sở Xây dựng", "Phường Cầu Giấy", "Phường Bạch Mai", "Sở Tài chính", "Phường Ba Đình", "Xã Đông Anh"];
        names.sort_by(|a, b| compare_text(a, b));
        assert_eq!(names, ["Phường Ba Đình", "Phường Bạch Mai", "Phường Cầu Giấy", "Sở Tài chính", "Sở Xây dựng", "Xã Đông Anh"]);
    }
}
