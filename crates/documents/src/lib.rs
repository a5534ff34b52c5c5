//! thidua documents: spreadsheet files in and out. Bytes become a [`Table`] of text cells for
//! the domain's import validation; lists become `.xlsx` files with Vietnamese headers. No
//! database, no HTTP.

mod read;
mod write;

pub use read::{CsvFile, FileKind, ReadError, read_table, sniff};
pub use thidua_domain::import::Table;
pub use write::{Sheet, template, write_xlsx};
