//! The import pipeline every bulk import uses: validate every row (domain rules, then scope and
//! duplicates against the database), report every error at once, and write all rows in one
//! transaction or nothing.

use crate::error::{AppError, AppResult};
use crate::{Actor, App};
use serde::Serialize;
use std::collections::HashMap;
use thidua_domain::access::{self, Action};
use thidua_domain::import::{self, ImportKind, RowError, Table, ValidRows};
use thidua_domain::legacy::Encoding;

/// What an import did (or would do, for a dry run).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub encoding: Encoding,
    pub rows: usize,
    pub created: usize,
    pub dry_run: bool,
}

/// Describes the file for the audit entry.
#[derive(Debug, Clone, Default)]
pub struct FileInfo {
    pub name: String,
    pub sha256: String,
}

const CHUNK: usize = 500;

impl App {
    /// Validates and (unless `dry_run`) writes a table. Errors come back as
    /// [`AppError::Rows`], sorted by row.
    pub async fn import(
        &self,
        actor: &Actor,
        kind: ImportKind,
        table: &Table,
        file: &FileInfo,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> AppResult<ImportReport> {
        let snap = self.snapshot().await?;
        let now = self.clock.now();
        // Fail fast for users who can import nowhere.
        if access::list_scope(&actor.grants, Action::ImportRegistry, &snap.tree, now).is_empty() {
            return Err(AppError::Forbidden);
        }
        let known = snap.known_units();
        let checked = import::check(kind, table, &known);
        let rows = checked.rows;
        let in_scope = |unit_id: i64| access::decide(&actor.grants, Action::ImportRegistry, unit_id, &snap.tree, now).is_allowed();
        let outside = |row: usize, column: &str, code: &str| RowError {
            row,
            column: column.into(),
            reason: format!("đơn vị «{code}» nằm ngoài phạm vi quản lý của bạn"),
        };
        // Domain errors first; scope and database checks of the rows that passed add to them, so
        // that one upload reports every problem of the file.
        let mut errors = checked.errors;
        let count = rows.len();
        let report = |created| ImportReport { kind, encoding: checked.encoding, rows: count, created, dry_run };
        let digest = serde_json::json!({"file": file.name, "sha256": file.sha256, "rows": count, "encoding": checked.encoding});
        match rows {
            ValidRows::Units(rows) => {
                let mut new_codes: HashMap<&str, ()> = HashMap::new();
                for r in &rows {
                    // A new unit must hang under a unit in scope (or under one created above it).
                    match r.parent.as_ref() {
                        Some(p) if new_codes.contains_key(p.as_str()) => {}
                        Some(p) => match known.get(p.as_str()) {
                            Some((id, _)) if in_scope(*id) => {}
                            _ => errors.push(outside(r.row, "Mã đơn vị cấp trên", p.as_str())),
                        },
                        None => {
                            if !actor.grants.iter().any(|g| g.role == thidua_domain::access::Role::SystemAdmin && g.active_at(now)) {
                                errors.push(RowError { row: r.row, column: "Mã đơn vị cấp trên".into(), reason: "chỉ quản trị hệ thống được tạo đơn vị cấp cao nhất".into() });
                            }
                        }
                    }
                    new_codes.insert(r.code.as_str(), ());
                }
                if !errors.is_empty() {
                    errors.sort_by_key(|e| e.row);
                    return Err(AppError::Rows(errors));
                }
                if dry_run {
                    return Ok(report(0));
                }
                let audit = self.draft(actor, None, "import.units", "import", &file.sha256, Some(actor.home_unit), None, Some(digest));
                let counts = self.store.import_units(&rows, audit).await?;
                Ok(report(counts.created))
            }
            ValidRows::Households(rows) => {
                let mut resolved = Vec::with_capacity(rows.len());
                for r in &rows {
                    if let Some((id, _)) = known.get(r.village.as_str()) {
                        if in_scope(*id) {
                            resolved.push((r.clone(), *id));
                        } else {
                            errors.push(outside(r.row, "Mã thôn/tổ dân phố", r.village.as_str()));
                        }
                    }
                }
                let codes: Vec<String> = rows.iter().map(|r| r.code.to_string()).collect();
                let mut existing = Vec::new();
                for chunk in codes.chunks(CHUNK) {
                    existing.extend(self.store.existing_household_codes(chunk).await?);
                }
                let existing: std::collections::HashSet<String> = existing.into_iter().collect();
                for r in rows.iter().filter(|r| existing.contains(r.code.as_str())) {
                    errors.push(RowError { row: r.row, column: "Mã hộ".into(), reason: format!("mã hộ «{}» đã có trong hệ thống", r.code) });
                }
                if !errors.is_empty() {
                    errors.sort_by_key(|e| e.row);
                    return Err(AppError::Rows(errors));
                }
                if dry_run {
                    return Ok(report(0));
                }
                let audit = self.draft(actor, None, "import.households", "import", &file.sha256, Some(actor.home_unit), None, Some(digest));
                let counts = self.store.import_households(&resolved, audit, progress).await?;
                Ok(report(counts.created))
            }
            ValidRows::People(rows) => {
                let codes: Vec<String> = rows.iter().map(|r| r.code.to_string()).collect();
                let mut existing = Vec::new();
                for chunk in codes.chunks(CHUNK) {
                    existing.extend(self.store.existing_person_codes(chunk).await?);
                }
                let existing: std::collections::HashSet<String> = existing.into_iter().collect();
                let hh_codes: Vec<String> = rows.iter().filter_map(|r| r.household.as_ref().map(|h| h.to_string())).collect();
                let mut households: HashMap<String, (i64, i64)> = HashMap::new();
                for chunk in hh_codes.chunks(CHUNK) {
                    for (code, id, unit) in self.store.household_ids(chunk).await? {
                        households.insert(code, (id, unit));
                    }
                }
                let mut resolved = Vec::with_capacity(rows.len());
                for r in &rows {
                    if existing.contains(r.code.as_str()) {
                        errors.push(RowError { row: r.row, column: "Mã công dân".into(), reason: format!("mã «{}» đã có trong hệ thống", r.code) });
                    }
                    let Some((unit_id, _)) = known.get(r.unit.as_str()) else { continue };
                    if !in_scope(*unit_id) {
                        errors.push(outside(r.row, "Mã đơn vị/thôn", r.unit.as_str()));
                    }
                    let household = match &r.household {
                        None => None,
                        Some(h) => match households.get(h.as_str()) {
                            Some((id, hunit)) if in_scope(*hunit) => Some(*id),
                            Some(_) => {
                                errors.push(outside(r.row, "Mã hộ", h.as_str()));
                                None
                            }
                            None => {
                                errors.push(RowError { row: r.row, column: "Mã hộ".into(), reason: format!("không tìm thấy hộ mã «{h}»") });
                                None
                            }
                        },
                    };
                    resolved.push((r.clone(), *unit_id, household));
                }
                if !errors.is_empty() {
                    errors.sort_by_key(|e| e.row);
                    return Err(AppError::Rows(errors));
                }
                if dry_run {
                    return Ok(report(0));
                }
                let audit = self.draft(actor, None, "import.people", "import", &file.sha256, Some(actor.home_unit), None, Some(digest));
                let counts = self.store.import_people(&resolved, audit).await?;
                Ok(report(counts.created))
            }
        }
    }
}
