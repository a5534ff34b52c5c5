//! What an uploaded file is, judged by its bytes rather than its name.

/// The file types a dossier accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Docx,
    Xlsx,
    Jpeg,
    Png,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Docx => "docx",
            FileType::Xlsx => "xlsx",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The type of `bytes`, or `None` for anything else (including a renamed executable or a
/// legacy .doc/.xls).
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Some(FileType::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    // Office Open XML files are ZIP archives; the part names are stored uncompressed.
    if bytes.starts_with(b"PK\x03\x04") {
        if contains(bytes, b"word/document.xml") {
            return Some(FileType::Docx);
        }
        if contains(bytes, b"xl/workbook.xml") {
            return Some(FileType::Xlsx);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Some(FileType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(sniff(b"PK\x03\x04....word/document.xml...."), Some(FileType::Docx));
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml...."), Some(FileType::Xlsx));
    }

    #[test]
    fn a_renamed_or_foreign_file_is_not_accepted() {
        assert_eq!(sniff(b"MZ\x90\x00 this is an exe"), None);
        assert_eq!(sniff(b"PK\x03\x04 a plain zip"), None);
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0]), None, "legacy .doc");
        assert_eq!(sniff(b""), None);
    }
}
