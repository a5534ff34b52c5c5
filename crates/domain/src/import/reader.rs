//! Reading one row's cells by column key while collecting every error of the row.

use super::{ImportKind, RowError};
use crate::registry::{Code, Gender, parse_birth_year};
use std::collections::HashMap;
use time::Date;

/// Reads cells of one row by column key, collecting errors.
pub(super) struct RowReader<'a> {
    pub(super) kind: ImportKind,
    pub(super) row: usize,
    pub(super) cells: Vec<String>,
    pub(super) map: &'a HashMap<&'static str, usize>,
    pub(super) errors: &'a mut Vec<RowError>,
}

impl RowReader<'_> {
    fn header(&self, key: &str) -> String {
        self.kind.columns().iter().find(|c| c.key == key).map(|c| c.header).unwrap_or(key).to_string()
    }

    pub(super) fn fail(&mut self, key: &str, reason: impl Into<String>) {
        let column = self.header(key);
        self.errors.push(RowError { row: self.row, column, reason: reason.into() });
    }

    /// Takes the cell of `key` (each key is read once per row, so no copy is needed).
    pub(super) fn opt(&mut self, key: &str) -> Option<String> {
        let v = self.map.get(key).and_then(|&i| self.cells.get_mut(i)).map(std::mem::take).unwrap_or_default();
        if v.is_empty() { None } else { Some(v) }
    }

    pub(super) fn req(&mut self, key: &str) -> Option<String> {
        let v = self.opt(key);
        if v.is_none() {
            self.fail(key, "không được để trống");
        }
        v
    }

    pub(super) fn text(&mut self, key: &str, required: bool, max: usize) -> Option<String> {
        let v = if required { self.req(key) } else { self.opt(key) }?;
        if v.chars().count() > max {
            self.fail(key, format!("dài quá {max} ký tự"));
            return None;
        }
        Some(v)
    }

    pub(super) fn code(&mut self, key: &str, required: bool) -> Option<Code> {
        let v = if required { self.req(key) } else { self.opt(key) }?;
        match Code::parse(&v) {
            Ok(c) => Some(c),
            Err(e) => {
                self.fail(key, format!("mã «{v}» không hợp lệ: {e}"));
                None
            }
        }
    }

    pub(super) fn date(&mut self, key: &str) -> Option<Date> {
        let v = self.opt(key)?;
        match crate::dates::parse_dmy(&v) {
            Ok(d) => Some(d),
            Err(e) => {
                self.fail(key, e.to_string());
                None
            }
        }
    }

    pub(super) fn year(&mut self, key: &str) -> Option<i32> {
        let v = self.opt(key)?;
        match parse_birth_year(&v) {
            Ok(y) => Some(y),
            Err(e) => {
                self.fail(key, e);
                None
            }
        }
    }

    pub(super) fn gender(&mut self, key: &str) -> Option<Gender> {
        let v = self.opt(key)?;
        let g = Gender::parse(&v);
        if g.is_none() {
            self.fail(key, format!("«{v}» không phải Nam, Nữ hoặc Khác"));
        }
        g
    }
}
