//! Property-based fuzzing of every reader an upload reaches: random bytes, random mutations of a
//! valid workbook (bytes changed anywhere, the file cut anywhere), and random text
//! through the TCVN3/VNI detector and decoders. The property is the same everywhere: an answer
//! (rows or a reason), never a panic. The case count is bounded so that CI stays fast; raise it
//! with `PROPTEST_CASES` for a longer run.

// Tests fail by panicking with a message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use proptest::prelude::*;
use thidua_documents::{Upload, read_pairs, read_table, template_target};
use thidua_domain::import::{ImportKind, RowSource};
use thidua_domain::legacy::{self, Detector, Encoding};

fn valid_workbook() -> Vec<u8> {
    let rows = vec![
        vec!["HGD-1".to_string(), "Nguyễn Văn An".to_string(), "Số 1 Hàng Bài".to_string()],
        vec!["HGD-2".to_string(), "Trần Thị Lan".to_string(), "=1+1".to_string()],
    ];
    thidua_documents::template(ImportKind::Households, &rows).expect("template")
}

fn every_reader(bytes: &[u8]) {
    let _ = read_table(bytes, 1_000);
    let _ = read_pairs(bytes, "Thông tin");
    let _ = template_target(bytes);
    if let Ok(u) = Upload::open(bytes.to_vec(), 1_000) {
        let _ = u.check();
        let _ = u.headers();
        if let Ok(rows) = u.rows() {
            rows.take(2_000).for_each(drop);
        }
    }
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200), ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes_never_panic_a_reader(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        every_reader(&bytes);
    }

    #[test]
    fn random_bytes_behind_a_zip_signature_never_panic_a_reader(tail in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(tail);
        every_reader(&bytes);
    }

    #[test]
    fn a_mutated_workbook_never_panics_a_reader(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        do_cut in any::<bool>(),
    ) {
        let mut bytes = valid_workbook();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if do_cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        every_reader(&bytes);
    }

    #[test]
    fn random_text_in_a_csv_never_panics_a_reader(text in ".{0,600}", sep in prop::sample::select(vec![',', ';', '\t', '"', '\n'])) {
        let csv = text.replace('x', &sep.to_string());
        every_reader(csv.as_bytes());
    }

    #[test]
    fn the_legacy_detector_and_decoders_never_panic(cells in proptest::collection::vec("\\PC{0,40}", 0..20), raw in proptest::collection::vec(any::<u8>(), 0..200)) {
        let latin1: String = raw.iter().map(|&b| char::from(b)).collect();
        let mut d = Detector::default();
        for c in cells.iter().map(String::as_str).chain([latin1.as_str()]) {
            d.observe(c);
            for enc in [Encoding::Unicode, Encoding::Tcvn3, Encoding::Vni] {
                let _ = legacy::decode_cell(c, enc);
            }
            let _ = legacy::from_tcvn3(c);
            let _ = legacy::from_vni(c);
        }
        let _ = d.result();
    }
}

#[test]
fn the_valid_workbook_the_mutations_start_from_reads() {
    let t = read_table(&valid_workbook(), 10).expect("reads");
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[1][1], "Trần Thị Lan");
}
