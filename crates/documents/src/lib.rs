//! thidua documents: spreadsheet files in and out. Bytes become a [`Table`] of text cells for
//! the domain's import validation; lists become `.xlsx` files with Vietnamese headers. No
//! database, no HTTP.

mod docx;
mod read;
mod write;
pub mod xlsx;
mod xlsx_stream;

pub use docx::{OfficialDoc, docx_text, official_docx};
pub use read::{CsvFile, FileKind, ReadError, Upload, open_xlsx, read_pairs, read_table, sniff, template_target};
pub use thidua_domain::import::Table;
pub use write::{
    Allowed, CELL_CHARS, CUT_MARK, ColumnRule, INFO_SET, INFO_SHEET, INFO_YEAR, Sheet, assessment_template, csv_chunk, neutralise_csv_cell,
    template, write_csv, write_xlsx,
};
pub use xlsx_stream::{StreamError, XlsxStream};
