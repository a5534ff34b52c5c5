//! Word (.docx) documents in the layout of Vietnamese administrative documents (Decree
//! 30/2020/NĐ-CP, Appendix I): the issuing body and number on the left, the national motto and
//! the place and date on the right, the kind of document and its subject centred, the articles,
//! the signature block, the recipients, and an annexed list on a new page. Times New Roman
//! 14 pt for the text, 13 pt for tables; A4 with 20/15/30/20 mm margins.

use docx_rs::*;

/// An official document with an annexed list.
#[derive(Debug, Clone, Default)]
pub struct OfficialDoc {
    /// The superior body (first line of the header), e.g. «ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI»; may be empty.
    pub superior: String,
    /// The issuing body, e.g. «Ủy ban nhân dân Phường Ba Đình» (written in capitals).
    pub issuer: String,
    /// Number and symbol, e.g. «15/QĐ-UBND».
    pub number: String,
    /// «Hà Nội, ngày 20 tháng 01 năm 2026».
    pub place_date: String,
    /// «QUYẾT ĐỊNH».
    pub kind: String,
    /// «Về việc công nhận …».
    pub subject: String,
    /// The authority line above the legal bases, e.g. «CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH».
    pub authority: String,
    /// For a submission (tờ trình) or report: «Kính gửi: …» instead of an authority line.
    pub addressee: String,
    /// Plain paragraphs of a submission or report (a «Quyết định» uses `bases` and `articles`);
    /// a line starting with «I.», «II.», … is a heading.
    pub body: Vec<String>,
    /// «Căn cứ …;» lines.
    pub bases: Vec<String>,
    /// «Điều 1. …» paragraphs.
    pub articles: Vec<String>,
    /// «CHỦ TỊCH» or «KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH».
    pub signer_title: String,
    pub signer: String,
    pub recipients: Vec<String>,
    /// For a report: the certifying body's block on the left («XÁC NHẬN CỦA …») instead of the
    /// recipients.
    pub certifier: String,
    pub annex_title: String,
    pub annex_subtitle: String,
    pub annex_headers: Vec<String>,
    pub annex_rows: Vec<Vec<String>>,
}

const FONT: &str = "Times New Roman";
/// Half-points.
const TEXT: usize = 28;
const SMALL: usize = 26;

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
}

fn para(text: &str, align: AlignmentType, bold: bool, italic: bool, size: usize) -> Paragraph {
    let mut r = run(text, size);
    if bold {
        r = r.bold();
    }
    if italic {
        r = r.italic();
    }
    Paragraph::new().add_run(r).align(align)
}

fn cell(paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs.into_iter().fold(TableCell::new(), |c, p| c.add_paragraph(p))
}

/// Writes the document; the bytes are a complete .docx file.
pub fn official_docx(d: &OfficialDoc) -> Result<Vec<u8>, String> {
    use AlignmentType::{Both, Center, Left};
    let mut left = Vec::new();
    if !d.superior.is_empty() {
        left.push(para(&d.superior.to_uppercase(), Center, false, false, SMALL));
    }
    left.push(para(&d.issuer.to_uppercase(), Center, true, false, SMALL));
    left.push(para("───────", Center, false, false, SMALL));
    if !d.number.is_empty() {
        left.push(para(&format!("Số: {}", d.number), Center, false, false, SMALL));
    }
    let right = vec![
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Center, true, false, SMALL),
        para("Độc lập - Tự do - Hạnh phúc", Center, true, false, TEXT),
        para("───────────────", Center, false, false, SMALL),
        para(&d.place_date, Center, false, true, TEXT),
    ];
    let header = Table::without_borders(vec![TableRow::new(vec![cell(left), cell(right)])]).set_grid(vec![3900, 5500]);
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(1134).bottom(1134).left(1701).right(850))
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(TEXT)
        .add_table(header)
        .add_paragraph(Paragraph::new())
        .add_paragraph(para(&d.kind, Center, true, false, TEXT))
        .add_paragraph(para(&d.subject, Center, true, false, TEXT))
        .add_paragraph(para("──────────", Center, false, false, TEXT));
    if !d.authority.is_empty() {
        doc = doc.add_paragraph(para(&d.authority, Center, true, false, TEXT));
    }
    if !d.addressee.is_empty() {
        doc = doc.add_paragraph(para(&d.addressee, Center, false, false, TEXT)).add_paragraph(Paragraph::new());
    }
    for b in &d.bases {
        doc = doc.add_paragraph(para(b, Both, false, true, TEXT));
    }
    for line in &d.body {
        let heading = line.split_once('.').is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| matches!(c, 'I' | 'V' | 'X')));
        let p = para(line, Both, heading, false, TEXT);
        doc = doc.add_paragraph(if heading { p } else { p.indent(None, Some(SpecialIndentType::FirstLine(567)), None, None) });
    }
    if !d.articles.is_empty() {
        doc = doc.add_paragraph(para(&format!("{}:", d.kind), Center, true, false, TEXT));
    }
    for a in &d.articles {
        // «Điều n.» in bold, the rest plain.
        let (head, rest) = match a.find('.') {
            Some(i) if a.starts_with("Điều") => a.split_at(i + 1),
            _ => ("", a.as_str()),
        };
        doc = doc.add_paragraph(Paragraph::new().add_run(run(head, TEXT).bold()).add_run(run(rest, TEXT)).align(Both));
    }
    let recipients: Vec<Paragraph> = if d.certifier.is_empty() {
        std::iter::once(para("Nơi nhận:", Left, true, true, 24))
            .chain(d.recipients.iter().map(|r| para(&format!("- {r};"), Left, false, false, 22)))
            .collect()
    } else {
        d.certifier.lines().map(|l| para(&l.to_uppercase(), Center, true, false, TEXT)).collect()
    };
    let mut signature: Vec<Paragraph> = d.signer_title.lines().map(|l| para(&l.to_uppercase(), Center, true, false, TEXT)).collect();
    signature.extend([para("", Center, false, false, TEXT), para("", Center, false, false, TEXT), para("", Center, false, false, TEXT)]);
    signature.push(para(&d.signer, Center, true, false, TEXT));
    doc = doc.add_table(Table::without_borders(vec![TableRow::new(vec![cell(recipients), cell(signature)])]).set_grid(vec![4700, 4700]));
    if !d.annex_headers.is_empty() {
        doc = doc
            .add_paragraph(para(&d.annex_title, Center, true, false, TEXT).page_break_before(true))
            .add_paragraph(para(&d.annex_subtitle, Center, false, true, SMALL))
            .add_paragraph(Paragraph::new());
        let mut rows = vec![TableRow::new(d.annex_headers.iter().map(|h| cell(vec![para(h, Center, true, false, SMALL)])).collect())];
        for r in &d.annex_rows {
            rows.push(TableRow::new(r.iter().map(|c| cell(vec![para(c, Left, false, false, SMALL)])).collect()));
        }
        doc = doc.add_table(Table::new(rows));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// The text of a .docx (paragraphs in order, cells included), for checks and search.
pub fn docx_text(bytes: &[u8]) -> Result<String, String> {
    let doc = read_docx(bytes).map_err(|e| e.to_string())?;
    let mut out = String::new();
    fn para_text(p: &Paragraph, out: &mut String) {
        for c in &p.children {
            if let ParagraphChild::Run(r) = c {
                for rc in &r.children {
                    if let RunChild::Text(t) = rc {
                        out.push_str(&t.text);
                    }
                }
            }
        }
        out.push('\n');
    }
    for child in &doc.document.children {
        match child {
            DocumentChild::Paragraph(p) => para_text(p, &mut out),
            DocumentChild::Table(t) => {
                for row in &t.rows {
                    let TableChild::TableRow(row) = row;
                    for c in &row.cells {
                        let TableRowChild::TableCell(c) = c;
                        for cc in &c.children {
                            if let TableCellContent::Paragraph(p) = cc {
                                para_text(p, &mut out);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_reads_back_with_its_header_articles_and_list() {
        let d = OfficialDoc {
            superior: String::new(),
            issuer: "Ủy ban nhân dân Phường Ba Đình".into(),
            number: "15/QĐ-UBND".into(),
            place_date: "Ba Đình, ngày 20 tháng 01 năm 2026".into(),
            kind: "QUYẾT ĐỊNH".into(),
            subject: "Về việc công nhận danh hiệu “Gia đình học tập” năm 2025".into(),
            authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH".into(),
            bases: vec!["Căn cứ Luật Tổ chức chính quyền địa phương;".into()],
            articles: vec!["Điều 1. Công nhận 2 hộ gia đình.".into()],
            signer_title: "Chủ tịch".into(),
            signer: "Vũ Văn Hùng".into(),
            recipients: vec!["Như Điều 3".into()],
            annex_title: "DANH SÁCH".into(),
            annex_subtitle: "(Kèm theo Quyết định số 15/QĐ-UBND)".into(),
            annex_headers: vec!["STT".into(), "Họ và tên chủ hộ".into()],
            annex_rows: vec![vec!["1".into(), "Nguyễn Văn An".into()]],
            ..Default::default()
        };
        let bytes = official_docx(&d).unwrap_or_default();
        assert!(bytes.starts_with(b"PK"));
        let text = docx_text(&bytes).unwrap_or_default();
        for needle in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 15/QĐ-UBND",
            "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH",
            "Điều 1.",
            "Nguyễn Văn An",
            "Vũ Văn Hùng",
        ] {
            assert!(text.contains(needle), "missing {needle} in {text}");
        }
    }
}
