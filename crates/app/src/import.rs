//! The import pipeline every bulk import uses: validate every row (domain rules, then scope and
//! duplicates against the database), report every error at once, and write all rows in one
//! transaction or nothing.
//!
//! Households and people are streamed in batches, so a file of millions of rows never sits in
//! memory: each batch is validated and, while the file has shown no error, handed to a writer
//! task that inserts it into the import's one transaction. The transaction is committed only
//! when every row of the file has been validated without error; otherwise it is dropped (rolled
//! back) and the report lists every bad row. Files are assumed Unicode while the encoding is
//! detected on the same pass; a legacy file is detected by the end of it, dropped, and read
//! again decoded.

use crate::error::{AppError, AppResult};
use crate::ports::{ImportTx, RowSource};
use crate::{Actor, App};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use thidua_domain::access::{self, Action, Role};
use thidua_domain::import::{Checker, HouseholdRow, ImportKind, KnownUnits, PersonRow, RowError, Table, TypedRow, UnitRow};
use thidua_domain::legacy::{Detector, Encoding};
use thidua_domain::tree::Tree;

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

/// Rows validated, checked against the database and written per batch.
pub(crate) const BATCH: usize = 5_000;
/// At most this many errors are listed; the count of the rest is reported.
const MAX_ERRORS: usize = 5000;

/// Collects row errors up to [`MAX_ERRORS`].
#[derive(Default)]
pub(crate) struct Errors {
    list: Vec<RowError>,
    dropped: usize,
}

impl Errors {
    pub(crate) fn push(&mut self, e: RowError) {
        if self.list.len() < MAX_ERRORS { self.list.push(e) } else { self.dropped += 1 }
    }
    pub(crate) fn extend(&mut self, es: impl IntoIterator<Item = RowError>) {
        for e in es {
            self.push(e);
        }
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub(crate) fn into_error(mut self) -> AppError {
        self.list.sort_by_key(|e| e.row);
        if self.dropped > 0 {
            self.list.push(RowError {
                row: 0, column: String::new(), reason: format!("… và còn {} lỗi khác không liệt kê", self.dropped)
            });
        }
        AppError::Rows(self.list)
    }
}

fn outside(row: usize, column: &str, code: &str) -> RowError {
    RowError { row, column: column.into(), reason: format!("đơn vị «{code}» nằm ngoài phạm vi quản lý của bạn") }
}

/// Everything the passes over one source share.
struct Run<'a> {
    actor: &'a Actor,
    kind: ImportKind,
    source: &'a dyn RowSource,
    known: KnownUnits,
    tree: &'a Tree,
    now: time::OffsetDateTime,
    encoding: Encoding,
    headers: Vec<String>,
    /// Access decisions per unit: a file of a million rows names only a few thousand units.
    decided: std::sync::Mutex<HashMap<i64, bool>>,
    /// Watches every cell during the first validation pass (see `import_source`).
    detector: Option<std::sync::Mutex<Detector>>,
}

impl Run<'_> {
    fn in_scope(&self, unit_id: i64) -> bool {
        if let Some(d) = self.decided.lock().ok().and_then(|m| m.get(&unit_id).copied()) {
            return d;
        }
        let d = access::decide(&self.actor.grants, Action::ImportRegistry, unit_id, self.tree, self.now).is_allowed();
        if let Ok(mut m) = self.decided.lock() {
            m.insert(unit_id, d);
        }
        d
    }

    /// A fresh checker (duplicate tracking starts over on every pass).
    fn checker(&self) -> Result<Checker<'_>, AppError> {
        Checker::new(self.kind, &self.headers, self.encoding, &self.known).map_err(AppError::Rows)
    }

    /// Rows of the source with their spreadsheet row numbers (the header is row 1).
    fn rows(&self) -> AppResult<impl Iterator<Item = AppResult<(usize, Vec<String>)>> + '_> {
        let it = self.source.rows().map_err(AppError::Invalid)?;
        Ok(it.enumerate().map(|(i, r)| r.map(|cells| (i + 2, cells)).map_err(AppError::Invalid)))
    }

    /// A legacy encoding found by the detector while validating as Unicode. When it is `Some`,
    /// the validation pass must not go on to write: the rows are validated again, decoded.
    fn legacy_detected(&self) -> Option<Encoding> {
        let found = self.detector.as_ref()?.lock().ok()?.result();
        (found != self.encoding).then_some(found)
    }

    /// The validation pass's rows: also shown to the encoding detector, if one is watching.
    fn rows_observed(&self) -> AppResult<impl Iterator<Item = AppResult<(usize, Vec<String>)>> + '_> {
        let mut detector = self.detector.as_ref().and_then(|m| m.lock().ok());
        if let Some(d) = detector.as_mut() {
            self.headers.iter().for_each(|h| d.observe(h));
        }
        drop(detector);
        Ok(self.rows()?.inspect(move |r| {
            if let (Ok((_, cells)), Some(m)) = (r, self.detector.as_ref())
                && let Ok(mut d) = m.lock()
            {
                cells.iter().for_each(|c| d.observe(c));
            }
        }))
    }
}

impl App {
    /// Validates and (unless `dry_run`) writes a table held in memory.
    pub async fn import(
        &self,
        actor: &Actor,
        kind: ImportKind,
        table: &Table,
        file: &FileInfo,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> AppResult<ImportReport> {
        self.import_source(actor, kind, table, file, dry_run, progress).await
    }

    /// Validates and (unless `dry_run`) writes a table read from `source`. Errors come back as
    /// [`AppError::Rows`], sorted by row.
    pub async fn import_source(
        &self,
        actor: &Actor,
        kind: ImportKind,
        source: &dyn RowSource,
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
        let headers = source.headers().map_err(AppError::Invalid)?;
        // Files are nearly always Unicode: validate on that assumption while detecting the
        // encoding in the same pass, and validate again only when the file turns out legacy.
        // Legacy headers are known before any row is read.
        let mut from_headers = Detector::default();
        headers.iter().for_each(|h| from_headers.observe(h));
        let encoding = from_headers.result();
        let mut run = Run {
            actor,
            kind,
            source,
            known: snap.known_units(),
            tree: &snap.tree,
            now,
            encoding,
            headers,
            decided: Default::default(),
            detector: Some(std::sync::Mutex::new(Detector::default())),
        };
        let first = self.validate_and_write(&run, file, dry_run, progress).await;
        let Some(detected) = run.legacy_detected() else { return first };
        // Nothing was written: the validation pass stops before writing when the file is legacy.
        run.detector = None;
        run.encoding = detected;
        self.validate_and_write(&run, file, dry_run, progress).await
    }

    async fn validate_and_write(
        &self,
        run: &Run<'_>,
        file: &FileInfo,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> AppResult<ImportReport> {
        match run.kind {
            ImportKind::Units => self.import_units(run, file, dry_run).await,
            ImportKind::Households => self.import_households(run, file, dry_run, progress).await,
            ImportKind::People => self.import_people(run, file, dry_run, progress).await,
        }
    }

    fn import_audit(&self, run: &Run<'_>, file: &FileInfo, rows: usize) -> crate::ports::AuditDraft {
        let digest = serde_json::json!({"file": file.name, "sha256": file.sha256, "rows": rows, "encoding": run.encoding});
        self.draft(
            run.actor,
            &crate::Authorized::each_row(thidua_domain::access::Action::ImportRegistry),
            &format!("import.{}", run.kind.code()),
            "import",
            &file.sha256,
            Some(run.actor.home_unit),
            None,
            Some(digest),
        )
    }

    fn report(run: &Run<'_>, rows: usize, created: usize, dry_run: bool) -> ImportReport {
        ImportReport { kind: run.kind, encoding: run.encoding, rows, created, dry_run }
    }

    /// Units are few (thousands): validated and written from memory, parents before children.
    async fn import_units(&self, run: &Run<'_>, file: &FileInfo, dry_run: bool) -> AppResult<ImportReport> {
        let mut checker = run.checker()?;
        let mut errors = Errors::default();
        let mut rows: Vec<UnitRow> = Vec::new();
        for r in run.rows_observed()? {
            let (n, cells) = r?;
            match checker.row(n, cells) {
                Some(Ok(TypedRow::Unit(u))) => rows.push(u),
                Some(Err(e)) => errors.extend(e),
                _ => {}
            }
        }
        errors.extend(checker.finish(&rows));
        let is_admin = run.actor.grants.iter().any(|g| g.role == Role::SystemAdmin && g.active_at(run.now));
        let mut new_codes: HashSet<&str> = HashSet::new();
        for r in &rows {
            // A new unit hangs under a unit in scope, or under one created above it.
            match r.parent.as_ref() {
                Some(p) if new_codes.contains(p.as_str()) => {}
                Some(p) => match run.known.get(p.as_str()) {
                    Some((id, _)) if run.in_scope(*id) => {}
                    _ => errors.push(outside(r.row, "Mã đơn vị cấp trên", p.as_str())),
                },
                None if !is_admin => errors.push(RowError {
                    row: r.row,
                    column: "Mã đơn vị cấp trên".into(),
                    reason: "chỉ quản trị hệ thống được tạo đơn vị cấp cao nhất".into(),
                }),
                None => {}
            }
            new_codes.insert(r.code.as_str());
        }
        if rows.is_empty() && errors.is_empty() {
            errors.push(RowError { row: 2, column: String::new(), reason: "tệp không có dòng dữ liệu nào".into() });
        }
        if run.legacy_detected().is_some() {
            return Err(AppError::Rows(vec![]));
        }
        if !errors.is_empty() {
            return Err(errors.into_error());
        }
        if dry_run {
            return Ok(Self::report(run, rows.len(), 0, true));
        }
        let counts = self.store.import_units(&rows, self.import_audit(run, file, rows.len())).await?;
        Ok(Self::report(run, rows.len(), counts.created, false))
    }

    /// Households, in one pass: every row is validated (domain rules, scope, codes already
    /// stored) and, as long as no error has been seen, handed to a writer task that inserts
    /// it inside one transaction while validation goes on. Any error, or a legacy encoding
    /// discovered on the way, drops the transaction unused: nothing is written, and every bad
    /// row of the file is still reported.
    async fn import_households(
        &self,
        run: &Run<'_>,
        file: &FileInfo,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> AppResult<ImportReport> {
        let mut checker = run.checker()?;
        let mut rows = run.rows_observed()?;
        let mut writer = if dry_run { None } else { Some(Writer::spawn(self.store.begin_import().await?)) };
        let mut errors = Errors::default();
        let mut count = 0;
        loop {
            let mut batch = Batch::read(&mut rows, &mut checker, |n, typed| match typed {
                TypedRow::Household(h) => match run.known.get(h.village.as_str()) {
                    Some((id, _)) if run.in_scope(*id) => Ok((h, *id)),
                    _ => Err(outside(n, "Mã thôn/tổ dân phố", h.village.as_str())),
                },
                _ => Err(changed_kind(n)),
            })?;
            count += batch.rows.len();
            errors.extend(std::mem::take(&mut batch.errors));
            let codes: Vec<String> = batch.rows.iter().map(|(h, _)| h.code.to_string()).collect();
            let stored: HashSet<String> = self.store.existing_household_codes(&codes).await?.into_iter().collect();
            for (h, _) in batch.rows.iter().filter(|(h, _)| stored.contains(h.code.as_str())) {
                errors.push(RowError {
                    row: h.row, column: "Mã hộ".into(), reason: format!("mã hộ «{}» đã có trong hệ thống", h.code)
                });
            }
            if let Some(w) = writer.as_mut().filter(|_| errors.is_empty()) {
                progress(batch.rows.len());
                w.send(Rows::Households(batch.rows)).await;
            }
            if batch.last {
                break;
            }
        }
        self.finish_import(run, file, writer, errors, count).await
    }

    /// People, in one pass like households; each person's household must exist and lie in
    /// scope.
    async fn import_people(
        &self,
        run: &Run<'_>,
        file: &FileInfo,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> AppResult<ImportReport> {
        let mut checker = run.checker()?;
        let mut rows = run.rows_observed()?;
        let mut writer = if dry_run { None } else { Some(Writer::spawn(self.store.begin_import().await?)) };
        let mut errors = Errors::default();
        let mut count = 0;
        loop {
            let mut batch = Batch::read(&mut rows, &mut checker, |n, typed| match typed {
                TypedRow::Person(p) => match run.known.get(p.unit.as_str()) {
                    Some((id, _)) if run.in_scope(*id) => Ok((p, *id)),
                    _ => Err(outside(n, "Mã đơn vị/thôn", p.unit.as_str())),
                },
                _ => Err(changed_kind(n)),
            })?;
            count += batch.rows.len();
            errors.extend(std::mem::take(&mut batch.errors));
            let codes: Vec<String> = batch.rows.iter().map(|(p, _)| p.code.to_string()).collect();
            let household_codes: Vec<String> = batch.rows.iter().filter_map(|(p, _)| p.household.as_ref().map(|h| h.to_string())).collect();
            let stored: HashSet<String> = self.store.existing_person_codes(&codes).await?.into_iter().collect();
            let households: HashMap<String, (i64, i64)> =
                self.store.household_ids(&household_codes).await?.into_iter().map(|(c, id, unit)| (c, (id, unit))).collect();
            let mut resolved = Vec::with_capacity(batch.rows.len());
            for (p, unit) in batch.rows {
                if stored.contains(p.code.as_str()) {
                    errors.push(RowError {
                        row: p.row,
                        column: "Mã công dân".into(),
                        reason: format!("mã «{}» đã có trong hệ thống", p.code),
                    });
                }
                let household = match &p.household {
                    None => None,
                    Some(h) => match households.get(h.as_str()) {
                        Some((id, hunit)) if run.in_scope(*hunit) => Some(*id),
                        Some(_) => {
                            errors.push(outside(p.row, "Mã hộ", h.as_str()));
                            None
                        }
                        None => {
                            errors.push(RowError {
                                row: p.row, column: "Mã hộ".into(), reason: format!("không tìm thấy hộ mã «{h}»")
                            });
                            None
                        }
                    },
                };
                resolved.push((p, unit, household));
            }
            if let Some(w) = writer.as_mut().filter(|_| errors.is_empty()) {
                progress(resolved.len());
                w.send(Rows::People(resolved)).await;
            }
            if batch.last {
                break;
            }
        }
        self.finish_import(run, file, writer, errors, count).await
    }

    /// Waits for the writer, then commits a clean import, or drops its transaction and reports.
    async fn finish_import(
        &self,
        run: &Run<'_>,
        file: &FileInfo,
        writer: Option<Writer>,
        mut errors: Errors,
        count: usize,
    ) -> AppResult<ImportReport> {
        let (tx, created) = match writer {
            Some(w) => {
                let (tx, created) = w.finish().await?;
                (Some(tx), created)
            }
            None => (None, 0),
        };
        if run.legacy_detected().is_some() {
            // Validated and written as Unicode by mistake: dropped, and done again decoded.
            return Err(AppError::Rows(vec![]));
        }
        if count == 0 && errors.is_empty() {
            errors.push(RowError { row: 2, column: String::new(), reason: "tệp không có dòng dữ liệu nào".into() });
        }
        if !errors.is_empty() {
            return Err(errors.into_error());
        }
        match tx {
            None => Ok(Self::report(run, count, 0, true)),
            Some(tx) => {
                tx.commit(self.import_audit(run, file, created)).await?;
                Ok(Self::report(run, count, created, false))
            }
        }
    }
}

/// Rows on their way to the database.
pub(crate) enum Rows {
    Households(Vec<(HouseholdRow, i64)>),
    People(Vec<(PersonRow, i64, Option<i64>)>),
    /// Assessments, and whether none of their subjects had one yet (a plain insert).
    Assessments(Vec<crate::ports::AssessmentInput>, bool),
}

/// The writer task of an import: it owns the transaction and inserts batches as they arrive,
/// so that the database works while the next batch is validated (on another core when the
/// runtime has one). It hands the transaction back at the end, to be committed or dropped.
pub(crate) struct Writer {
    sender: Option<tokio::sync::mpsc::Sender<Rows>>,
    handle: tokio::task::JoinHandle<(Box<dyn ImportTx>, crate::ports::StoreResult<usize>)>,
}

impl Writer {
    pub(crate) fn spawn(mut tx: Box<dyn ImportTx>) -> Writer {
        // Two batches in flight: enough to keep both sides busy, little memory.
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Rows>(2);
        let handle = tokio::spawn(async move {
            let mut written = 0;
            while let Some(rows) = receiver.recv().await {
                let result = match &rows {
                    Rows::Households(r) => tx.insert_households(r).await.map(|()| r.len()),
                    Rows::People(r) => tx.insert_people(r).await.map(|()| r.len()),
                    Rows::Assessments(r, fresh) => tx.upsert_assessments(r, *fresh).await.map(|()| r.len()),
                };
                match result {
                    Ok(n) => written += n,
                    Err(e) => return (tx, Err(e)),
                }
            }
            (tx, Ok(written))
        });
        Writer { sender: Some(sender), handle }
    }

    /// Queues a batch. If the writer stopped on a database error, the batch is dropped and
    /// the error comes out of [`Writer::finish`].
    pub(crate) async fn send(&mut self, rows: Rows) {
        if let Some(s) = &self.sender
            && s.send(rows).await.is_err()
        {
            self.sender = None;
        }
    }

    /// Waits for every queued batch; returns the transaction and the number of rows written.
    pub(crate) async fn finish(mut self) -> AppResult<(Box<dyn ImportTx>, usize)> {
        self.sender = None;
        let (tx, result) =
            self.handle.await.map_err(|e| AppError::Storage(crate::error::StorageError::Database(format!("import writer: {e}"))))?;
        Ok((tx, result?))
    }
}

/// One batch of validated rows: the rows that passed, the errors found, how many rows were
/// read, and whether the source ended.
struct Batch<T> {
    rows: Vec<T>,
    errors: Vec<RowError>,
    read: usize,
    last: bool,
}

impl<T> Batch<T> {
    /// Reads and validates up to [`BATCH`] rows; `accept` turns a valid row into what is
    /// written (or the error that keeps it out, such as a unit outside the user's scope).
    fn read(
        rows: &mut impl Iterator<Item = AppResult<(usize, Vec<String>)>>,
        checker: &mut Checker<'_>,
        mut accept: impl FnMut(usize, TypedRow) -> Result<T, RowError>,
    ) -> AppResult<Batch<T>> {
        let mut b = Batch { rows: Vec::new(), errors: Vec::new(), read: 0, last: false };
        while b.read < BATCH {
            let Some(r) = rows.next() else {
                b.last = true;
                break;
            };
            let (n, cells) = r?;
            b.read += 1;
            match checker.row(n, cells) {
                Some(Ok(typed)) => match accept(n, typed) {
                    Ok(t) => b.rows.push(t),
                    Err(e) => b.errors.push(e),
                },
                Some(Err(e)) => b.errors.extend(e),
                None => {}
            }
        }
        Ok(b)
    }
}

/// A checker of one kind produced a row of another: a bug, reported rather than panicking.
fn changed_kind(row: usize) -> RowError {
    RowError { row, column: String::new(), reason: "lỗi nội bộ: dòng không đúng loại dữ liệu".into() }
}
