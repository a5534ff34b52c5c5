//! Learning titles: assessments (one by one or in bulk), recognition decisions, certificates,
//! the title registry and coverage rolled up through the unit tree.

use crate::error::{AppError, AppResult};
use crate::ports::*;
use crate::registry::TreeSnapshot;
use crate::{Actor, App};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use thidua_domain::access::{self, Action};
use thidua_domain::assessment::{decode_answers, encode_answers, parse_cell};
use thidua_domain::criteria::{Answer, CriteriaSet, Evaluation, evaluate};
use thidua_domain::registry::NodeKind;
use thidua_domain::text;
use thidua_domain::titles::{self, Stage, Subject, TITLES, Title};
use time::Date;

pub mod coverage;
mod derived;
pub use coverage::{Cell, CoverageCache, CoverageRow, CoverageTable, YearCoverage};

/// A stored criteria-set version, parsed.
#[derive(Debug, Clone)]
pub struct LoadedSet {
    pub record: CriteriaSetRecord,
    pub set: CriteriaSet,
    pub title: &'static Title,
}

impl LoadedSet {
    pub fn subject(&self) -> Subject {
        self.title.subject
    }
    pub fn level(&self) -> i64 {
        self.set.level.map(i64::from).unwrap_or(0)
    }
}

/// What an assessor submits in the form: the raw text of each indicator's answer.
#[derive(Debug, Clone, Default)]
pub struct AssessmentForm {
    pub criteria_set: i64,
    pub subject_id: i64,
    pub year: i64,
    pub stage: Option<Stage>,
    /// indicator code → cell text (as in the bulk sheet: «Đ», «8», «54/60», with «KMC» for no
    /// evidence).
    pub cells: BTreeMap<String, String>,
    pub note: Option<String>,
    /// The version of the stored assessment being changed, if any.
    pub expected_version: Option<i64>,
}

/// An assessment with everything a page shows about it.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub record: AssessmentRecord,
    pub subject: SubjectRef,
    pub answers: BTreeMap<String, Answer>,
    pub evaluation: Evaluation,
    /// Derived shares: indicator code → (numerator, denominator) from the registry.
    pub derived: BTreeMap<String, (u64, u64)>,
    /// The classes the subject was judged as (its recorded type, a difficult area).
    pub classes: thidua_domain::institutions::Classes,
}

/// What a recognition decision needs from the issuer.
#[derive(Debug, Clone)]
pub struct DecisionForm {
    pub criteria_set: i64,
    pub year: i64,
    pub issuing_unit: i64,
    pub number: String,
    pub signed_on: Date,
    pub signer: String,
    pub signer_title: String,
    /// Only these assessments (all qualifying ones in the issuing unit's area when `None`).
    pub only: Option<Vec<i64>>,
}

/// A decision with its list, for pages and documents.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub decision: DecisionRecord,
    pub unit: UnitRecord,
    /// The unit above the issuing unit (the superior body line of the document header).
    pub superior: Option<UnitRecord>,
    pub title_label: String,
    pub items: Vec<AssessmentItem>,
}

/// The public face of a certificate: title, year and decision, nothing about the holder.
#[derive(Debug, Clone, Serialize)]
pub struct PublicCertificate {
    pub code: String,
    pub title_label: String,
    pub level: i64,
    pub year: i64,
    pub decision_number: String,
    pub signed_on: Date,
    pub issuing_body: String,
    pub valid_until_year: Option<i64>,
}

/// Titles held by one subject, by year.
#[derive(Debug, Clone, Serialize)]
pub struct TitleHistory {
    pub title: &'static Title,
    pub recognised_years: Vec<i64>,
    pub streak: u32,
    pub longest: u32,
    pub assessments: Vec<AssessmentRecord>,
}

/// What a filled sheet assesses: the criteria-set version, the data year and the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetTarget {
    pub criteria_set: i64,
    pub year: i64,
    pub stage: Stage,
}

/// What a bulk assessment import did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AssessmentImportReport {
    pub rows: usize,
    pub passed: usize,
    pub written: usize,
    pub dry_run: bool,
}

fn node_kinds_for_level(level: &str) -> &'static [NodeKind] {
    match level {
        "commune" => &[NodeKind::Ward, NodeKind::Commune, NodeKind::Township],
        "district" => &[NodeKind::District],
        "province" => &[NodeKind::City],
        _ => &[],
    }
}

impl App {
    /// A stored criteria-set version, parsed, with its title.
    pub async fn load_set(&self, id: i64) -> AppResult<LoadedSet> {
        let record = self.store.criteria_set(id).await?.ok_or(AppError::NotFound)?;
        let set = CriteriaSet::from_toml(&record.source_toml).map_err(|e| AppError::Invalid(e.to_string()))?;
        let title =
            titles::title(&set.title).ok_or_else(|| AppError::Invalid(format!("danh hiệu «{}» không có trong danh mục", set.title)))?;
        Ok(LoadedSet { record, set, title })
    }

    /// The newest version of each set that covers `year`, for choosing in forms.
    pub async fn sets_for_year(&self, year: i64) -> AppResult<Vec<CriteriaSetRecord>> {
        let mut newest: BTreeMap<String, CriteriaSetRecord> = BTreeMap::new();
        for r in self.store.criteria_sets().await? {
            if year < r.from_year || r.to_year.is_some_and(|t| year > t) {
                continue;
            }
            match newest.get(&r.set_id) {
                Some(n) if n.version >= r.version => {}
                _ => {
                    newest.insert(r.set_id.clone(), r);
                }
            }
        }
        let mut out: Vec<CriteriaSetRecord> = newest.into_values().collect();
        out.sort_by_key(|r| (TITLES.iter().position(|t| t.code == r.title).unwrap_or(99), r.level, r.set_id.clone()));
        Ok(out)
    }

    /// The subject of a title by id, from the registry or the tree, with the unit it belongs to.
    async fn resolve_subject(&self, snap: &TreeSnapshot, subject: Subject, id: i64) -> AppResult<SubjectRef> {
        match subject.node_kinds() {
            None => self.store.subject_by_id(subject, id).await?.ok_or(AppError::NotFound),
            Some(_) => {
                let u = snap.units.get(&id).ok_or(AppError::NotFound)?;
                if !subject.accepts_node(u.kind) {
                    return Err(AppError::Invalid(format!("{} ({}) không thuộc đối tượng của danh hiệu này", u.name, u.kind.label_vi())));
                }
                Ok(SubjectRef { id: u.id, code: u.code.clone(), name: u.name.clone(), unit_id: u.id })
            }
        }
    }

    /// Refuses a unit subject that did not exist at the end of the data year (the day its
    /// coverage is counted): a ward divided on 30/06/2025 is assessed up to 2024, the wards formed
    /// on 01/07/2025 from 2025.
    fn exists_for_year(u: &UnitRecord, year: i64) -> Result<(), String> {
        let end = crate::titles::coverage::year_end(year);
        match (u.valid_from, u.valid_to) {
            (Some(from), _) if from > end => {
                Err(format!("{} hiệu lực từ ngày {}: không đánh giá cho năm {year}", u.name, thidua_domain::dates::format_dmy(from)))
            }
            (_, Some(to)) if to < end => {
                Err(format!("{} đã kết thúc ngày {}: không đánh giá cho năm {year}", u.name, thidua_domain::dates::format_dmy(to)))
            }
            _ => Ok(()),
        }
    }

    /// Records one assessment entered in the form. The outcome is computed by the set's rule;
    /// derived shares come from the registry, whatever was typed.
    pub async fn save_assessment(&self, actor: &Actor, form: AssessmentForm) -> AppResult<i64> {
        let loaded = self.load_set(form.criteria_set).await?;
        let year = i32::try_from(form.year).map_err(|_| AppError::Invalid("năm không hợp lệ".into()))?;
        if !loaded.set.covers_year(year) {
            return Err(AppError::Invalid(format!("bộ tiêu chí {} không áp dụng cho năm {year}", loaded.set.id)));
        }
        let snap = self.snapshot().await?;
        let subject = self.resolve_subject(&snap, loaded.subject(), form.subject_id).await?;
        let via = self.authorize(actor, Action::Assess, subject.unit_id).await?;
        if let (Some(_), Some(u)) = (loaded.subject().node_kinds(), snap.units.get(&subject.id)) {
            Self::exists_for_year(u, form.year).map_err(AppError::Invalid)?;
        }
        let derived = self.derived_shares(&loaded.set, subject.unit_id, form.year).await?;
        let mut answers = BTreeMap::new();
        let mut errors = Vec::new();
        for ind in loaded.set.indicators() {
            if let Some((n, d)) = derived.get(&ind.code) {
                answers.insert(ind.code.clone(), Answer::Share { numerator: *n, denominator: *d, evidence: true });
                continue;
            }
            match parse_cell(ind, form.cells.get(&ind.code).map(String::as_str).unwrap_or("")) {
                Ok(Some(a)) => {
                    answers.insert(ind.code.clone(), a);
                }
                Ok(None) => {}
                Err(e) => errors.push(format!("{}: {e}", ind.code)),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors.join("; ")));
        }
        let classes = self.unit_facts_all().await?.classes(&snap, loaded.subject(), subject.unit_id, year);
        let evaluation = evaluate(&loaded.set, year, &classes.classes, &answers);
        let input = AssessmentInput {
            title: loaded.set.title.clone(),
            subject_id: subject.id,
            year: form.year,
            stage: form.stage.unwrap_or(Stage::Verified).code().into(),
            unit_id: subject.unit_id,
            level: loaded.level(),
            criteria_set: loaded.record.id,
            answers: encode_answers(&loaded.set, &answers),
            points: i64::from(evaluation.points),
            passed: evaluation.recognised,
            note: crate::error::opt_field(thidua_domain::limits::Field::FreeText, "Ghi chú", form.note)?,
            assessor: actor.username.clone(),
        };
        let audit = self.draft(
            actor,
            &via,
            if form.expected_version.is_some() { "assessment.update" } else { "assessment.create" },
            "assessment",
            &subject.code,
            Some(subject.unit_id),
            None,
            crate::error::payload(&input)?,
        );
        self.store.save_assessment(&input, form.expected_version, audit).await.map_err(|e| match e {
            crate::error::StorageError::Unique(_) => AppError::Conflict(format!(
                "{} đã có phiếu {} năm {}: mở phiếu đó để sửa",
                subject.name,
                form.stage.unwrap_or(Stage::Verified).label_vi().to_lowercase(),
                form.year
            )),
            other => other.into(),
        })
    }

    /// One assessment with its subject, answers and verdicts.
    pub async fn assessment(&self, actor: &Actor, id: i64) -> AppResult<(AssessmentView, LoadedSet)> {
        let record = self.store.assessment(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, record.input.unit_id).await?;
        let loaded = self.load_set(record.input.criteria_set).await?;
        let snap = self.snapshot().await?;
        let subject = self.resolve_subject(&snap, loaded.subject(), record.input.subject_id).await?;
        let answers = decode_answers(&loaded.set, &record.input.answers).map_err(AppError::Invalid)?;
        let year = i32::try_from(record.input.year).map_err(|_| AppError::Invalid("năm không hợp lệ".into()))?;
        let classes = self.unit_facts_all().await?.classes(&snap, loaded.subject(), subject.unit_id, year);
        let evaluation = evaluate(&loaded.set, year, &classes.classes, &answers);
        let derived = self.derived_shares(&loaded.set, subject.unit_id, record.input.year).await?;
        Ok((AssessmentView { record, subject, answers, evaluation, derived, classes }, loaded))
    }

    /// The subject a new assessment would be about (for the form's heading), checked for scope.
    pub async fn assessment_subject(&self, actor: &Actor, criteria_set: i64, subject_id: i64) -> AppResult<(SubjectRef, LoadedSet)> {
        let loaded = self.load_set(criteria_set).await?;
        let snap = self.snapshot().await?;
        let subject = self.resolve_subject(&snap, loaded.subject(), subject_id).await?;
        self.authorize(actor, Action::ReadRegistry, subject.unit_id).await?;
        Ok((subject, loaded))
    }

    /// Assessments in the actor's scope.
    pub async fn assessments(&self, actor: &Actor, filter: &AssessmentFilter, page: PageRequest) -> AppResult<Page<AssessmentItem>> {
        if titles::title(&filter.title).is_none() {
            return Err(AppError::Invalid("chọn danh hiệu".into()));
        }
        if let Some(u) = filter.unit {
            self.authorize(actor, Action::ReadRegistry, u).await?;
        }
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        Ok(self.store.assessments(&scope, filter, page).await?)
    }

    /// The households, citizens or clans whose home is `unit`, for whoever reads its registry.
    pub async fn subjects_of_unit(&self, actor: &Actor, subject: Subject, unit: i64) -> AppResult<Vec<SubjectRef>> {
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        Ok(self.store.subjects_of_unit(subject, unit).await?)
    }

    /// The subjects listed in a village's assessment template for data year `year`: its
    /// households, citizens or clans; for titles of units, the units of that kind under `unit`
    /// that existed at the end of the year (a ward divided in 2025 is listed up to 2024, the
    /// wards formed on 01/07/2025 from 2025 — the sheet refuses the others).
    pub async fn template_subjects(
        &self,
        actor: &Actor,
        criteria_set: i64,
        unit: i64,
        year: i64,
    ) -> AppResult<(LoadedSet, UnitRecord, Vec<SubjectRef>)> {
        let loaded = self.load_set(criteria_set).await?;
        self.authorize(actor, Action::Assess, unit).await?;
        let snap = self.snapshot().await?;
        let u = snap.units.get(&unit).cloned().ok_or(AppError::NotFound)?;
        let subjects = match loaded.subject().node_kinds() {
            None => self.store.subjects_of_unit(loaded.subject(), unit).await?,
            Some(_) => {
                let mut list: Vec<SubjectRef> = snap
                    .units
                    .values()
                    .filter(|n| n.active && loaded.subject().accepts_node(n.kind) && snap.tree.covers(unit, n.id))
                    .filter(|n| Self::exists_for_year(n, year).is_ok())
                    .map(|n| SubjectRef { id: n.id, code: n.code.clone(), name: n.name.clone(), unit_id: n.id })
                    .collect();
                list.sort_by_key(|s| text::fold(&s.name));
                list
            }
        };
        Ok((loaded, u, subjects))
    }

    /// Validates and (unless `dry_run`) stores a filled assessment sheet: every row checked
    /// (codes, scope, answers, subjects already recognised), every error reported at once,
    /// all rows written in one transaction or none.
    pub async fn import_assessments(
        &self,
        actor: &Actor,
        target: SheetTarget,
        source: &dyn RowSource,
        file: &crate::import::FileInfo,
        dry_run: bool,
    ) -> AppResult<AssessmentImportReport> {
        let SheetTarget { criteria_set, year, stage } = target;
        let loaded = self.load_set(criteria_set).await?;
        let y = i32::try_from(year).map_err(|_| AppError::Invalid("năm không hợp lệ".into()))?;
        if !loaded.set.covers_year(y) {
            return Err(AppError::Invalid(format!("bộ tiêu chí {} không áp dụng cho năm {year}", loaded.set.id)));
        }
        let snap = self.snapshot().await?;
        let now = self.clock.now();
        if access::list_scope(&actor.grants, Action::Assess, &snap.tree, now).is_empty() {
            return Err(AppError::Forbidden);
        }
        let subject = loaded.subject();
        let headers = source.headers().map_err(AppError::Invalid)?;
        let mut reader = thidua_domain::assessment::SheetReader::new(&loaded.set, subject, &headers).map_err(AppError::Rows)?;
        let code_header = subject.code_header();
        let mut decided: HashMap<i64, bool> = HashMap::new();
        let mut in_scope = |unit: i64| {
            *decided.entry(unit).or_insert_with(|| access::decide(&actor.grants, Action::Assess, unit, &snap.tree, now).is_allowed())
        };
        // Batches are written by a writer task that owns the transaction, while this task reads,
        // looks up (on another connection) and scores the next batch.
        let facts = self.unit_facts_all().await?;
        let mut writer = if dry_run { None } else { Some(crate::import::Writer::spawn(self.store.begin_import().await?)) };
        let mut errors = crate::import::Errors::default();
        let (mut rows_read, mut passed) = (0usize, 0usize);
        let mut iter = source.rows().map_err(AppError::Invalid)?.enumerate();
        loop {
            let mut batch = Vec::with_capacity(crate::import::BATCH);
            let mut last = true;
            for (i, r) in iter.by_ref() {
                let cells = r.map_err(AppError::Invalid)?;
                match reader.row(i + 2, &cells) {
                    Some(Ok(row)) => batch.push(row),
                    Some(Err(e)) => errors.extend(e),
                    None => {}
                }
                rows_read += 1;
                if batch.len() == crate::import::BATCH {
                    last = false;
                    break;
                }
            }
            let codes: Vec<String> = batch.iter().map(|r| r.code.clone()).collect();
            let found: HashMap<String, SubjectRef> = match subject.node_kinds() {
                None => self.store.subjects_by_code(subject, &codes).await?.into_iter().map(|s| (s.code.clone(), s)).collect(),
                Some(_) => codes
                    .iter()
                    .filter_map(|c| snap.by_code.get(c).and_then(|id| snap.units.get(id)))
                    .filter(|u| subject.accepts_node(u.kind))
                    .map(|u| (u.code.clone(), SubjectRef { id: u.id, code: u.code.clone(), name: u.name.clone(), unit_id: u.id }))
                    .collect(),
            };
            let ids: Vec<i64> = found.values().map(|s| s.id).collect();
            let recognised: HashMap<i64, bool> =
                self.store.assessed_subjects(&loaded.set.title, year, stage.code(), &ids).await?.into_iter().collect();
            let mut inputs = Vec::with_capacity(batch.len());
            for row in batch {
                let ended = subject.node_kinds().and_then(|_| snap.by_code.get(&row.code)).and_then(|id| snap.units.get(id));
                if let Some(Err(reason)) = ended.map(|u| Self::exists_for_year(u, year)) {
                    errors.push(thidua_domain::import::RowError { row: row.row, column: code_header.into(), reason });
                    continue;
                }
                let Some(s) = found.get(&row.code) else {
                    errors.push(thidua_domain::import::RowError {
                        row: row.row,
                        column: code_header.into(),
                        reason: format!("không tìm thấy mã «{}» trong danh sách {}", row.code, subject_label(subject)),
                    });
                    continue;
                };
                if !in_scope(s.unit_id) {
                    errors.push(thidua_domain::import::RowError {
                        row: row.row,
                        column: code_header.into(),
                        reason: format!("«{}» nằm ngoài phạm vi đánh giá của bạn", row.code),
                    });
                    continue;
                }
                if recognised.get(&s.id) == Some(&true) {
                    errors.push(thidua_domain::import::RowError {
                        row: row.row,
                        column: code_header.into(),
                        reason: format!("«{}» đã được công nhận năm {year} theo quyết định; không thể đánh giá lại", row.code),
                    });
                    continue;
                }
                let ev = evaluate(&loaded.set, y, &facts.classes(&snap, subject, s.unit_id, y).classes, &row.answers);
                passed += usize::from(ev.recognised);
                inputs.push(AssessmentInput {
                    title: loaded.set.title.clone(),
                    subject_id: s.id,
                    year,
                    stage: stage.code().into(),
                    unit_id: s.unit_id,
                    level: loaded.level(),
                    criteria_set: loaded.record.id,
                    answers: encode_answers(&loaded.set, &row.answers),
                    points: i64::from(ev.points),
                    passed: ev.recognised,
                    note: row.note,
                    assessor: actor.username.clone(),
                });
            }
            if let Some(w) = writer.as_mut().filter(|_| errors.is_empty()) {
                let (existing, fresh): (Vec<_>, Vec<_>) = inputs.into_iter().partition(|a| recognised.contains_key(&a.subject_id));
                for (rows, is_fresh) in [(fresh, true), (existing, false)] {
                    if !rows.is_empty() {
                        w.send(crate::import::Rows::Assessments(rows, is_fresh)).await;
                    }
                }
            }
            if last {
                break;
            }
        }
        if rows_read == 0 && errors.is_empty() {
            errors.push(thidua_domain::import::RowError {
                row: 2, column: String::new(), reason: "tệp không có dòng dữ liệu nào".into()
            });
        }
        // The writer is drained before any answer, so that a failed import leaves nothing behind.
        let (tx, written) = match writer {
            Some(w) => {
                let (tx, n) = w.finish().await?;
                (Some(tx), n)
            }
            None => (None, 0),
        };
        if !errors.is_empty() {
            return Err(errors.into_error());
        }
        if let Some(t) = tx {
            let digest = serde_json::json!({"file": file.name, "sha256": file.sha256, "rows": written, "criteria_set": loaded.set.id,
                "version": loaded.set.version, "year": year, "stage": stage.code()});
            let proof = crate::Authorized::each_row(Action::Assess);
            let audit = self.draft(actor, &proof, "import.assessments", "import", &file.sha256, Some(actor.home_unit), None, Some(digest));
            t.commit(audit).await?;
        }
        Ok(AssessmentImportReport { rows: rows_read, passed, written, dry_run })
    }

    /// Issues a recognition decision for the verified, passed and not yet recognised
    /// assessments in the issuing unit's area. The issuing unit must be of the level the set
    /// names as recognising body for that year.
    pub async fn issue_decision(&self, actor: &Actor, form: DecisionForm) -> AppResult<i64> {
        let loaded = self.load_set(form.criteria_set).await?;
        let snap = self.snapshot().await?;
        let unit = snap.units.get(&form.issuing_unit).cloned().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::Recognise, unit.id).await?;
        let body = loaded.set.recognising_body(i32::try_from(form.year).unwrap_or(0));
        let kinds = node_kinds_for_level(&body.level);
        if body.level == "ministry" {
            return Err(AppError::Invalid(format!(
                "danh hiệu này do {} công nhận, không ban hành quyết định trên hệ thống của Thành phố",
                body.body
            )));
        }
        if !kinds.is_empty() && !kinds.contains(&unit.kind) {
            return Err(AppError::Invalid(format!(
                "năm {} danh hiệu {} do {} công nhận; {} không phải cơ quan cấp này",
                form.year, loaded.set.title_vi, body.body, unit.name
            )));
        }
        let number = crate::error::field(thidua_domain::limits::Field::Short, "Số quyết định", &form.number)?;
        let signer = crate::error::field(thidua_domain::limits::Field::PersonName, "Người ký", &form.signer)?;
        if number.is_empty() || signer.is_empty() {
            return Err(AppError::Invalid("nhập số quyết định và người ký".into()));
        }
        let filter = AssessmentFilter {
            title: loaded.set.title.clone(),
            year: Some(form.year),
            unit: Some(unit.id),
            stage: Some(Stage::Verified.code().into()),
            passed: Some(true),
            decided: Some(false),
            decision: None,
        };
        let scope = self.scope(actor, Action::Recognise).await?;
        let candidates = self.store.assessment_ids(&scope, &filter).await?;
        let mut ids: Vec<i64> = candidates.iter().filter(|(_, level)| *level == loaded.level()).map(|(id, _)| *id).collect();
        ids.sort_unstable();
        if let Some(only) = &form.only {
            ids.retain(|id| only.contains(id));
            if ids.len() != only.len() {
                return Err(AppError::Conflict(
                    "có hồ sơ trong danh sách không còn đủ điều kiện công nhận (chưa đạt, chưa thẩm định hoặc đã được công nhận)".into(),
                ));
            }
        }
        if ids.is_empty() {
            return Err(AppError::Invalid(format!(
                "không có hồ sơ nào đã thẩm định đạt {} năm {} chờ công nhận",
                loaded.set.title_vi, form.year
            )));
        }
        let issuing_body = if body.body.contains("Sở Giáo dục") {
            "Sở Giáo dục và Đào tạo".to_string()
        } else {
            format!("Ủy ban nhân dân {}", unit.name)
        };
        let input = DecisionInput {
            number: number.clone(),
            signed_on: form.signed_on,
            signer,
            signer_title: crate::error::field(thidua_domain::limits::Field::Short, "Chức vụ người ký", &form.signer_title)?,
            issuing_unit: unit.id,
            issuing_body,
            title: loaded.set.title.clone(),
            level: loaded.level(),
            year: form.year,
            criteria_set: loaded.record.id,
            assessments: ids,
        };
        // The audit entry names the list by its size and digest: the list itself is the
        // decision's assessments (a ward's citizens run to tens of thousands of ids).
        let detail = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            for id in &input.assessments {
                h.update(id.to_le_bytes());
            }
            let mut v = crate::error::payload(&DecisionInput { assessments: vec![], ..input.clone() })?.unwrap_or_default();
            v["assessments"] = serde_json::json!({"count": input.assessments.len(), "sha256_le_ids": hex::encode(h.finalize())});
            v
        };
        let audit = self.draft(actor, &via, "decision.issue", "decision", &number, Some(unit.id), None, Some(detail));
        self.store.issue_decision(&input, &actor.username, audit).await.map_err(|e| match e {
            crate::error::StorageError::Unique(_) => AppError::Conflict(format!("{} đã có quyết định số {number}", unit.name)),
            crate::error::StorageError::Stale => {
                AppError::Conflict("danh sách vừa thay đổi (có hồ sơ được sửa hoặc đã công nhận): tải lại và thử lại".into())
            }
            other => other.into(),
        })
    }

    /// A decision with its list.
    pub async fn decision(&self, actor: &Actor, id: i64) -> AppResult<DecisionView> {
        let decision = self.store.decision(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, decision.issuing_unit).await?;
        let snap = self.snapshot().await?;
        let unit = snap.units.get(&decision.issuing_unit).cloned().ok_or(AppError::NotFound)?;
        let superior = unit.parent_id.and_then(|p| snap.units.get(&p).cloned());
        let filter = AssessmentFilter { title: decision.title.clone(), decision: Some(id), ..Default::default() };
        let items = self.store.assessments(&Scope::All, &filter, PageRequest::all()).await?.items;
        let title_label = title_label(&decision.title, decision.level);
        Ok(DecisionView { decision, unit, superior, title_label, items })
    }

    /// Decisions issued by units the actor can read.
    pub async fn decisions(&self, actor: &Actor, page: PageRequest) -> AppResult<Page<DecisionRecord>> {
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        Ok(self.store.decisions(&scope, page).await?)
    }

    /// The public verification of a certificate code: no login, no personal data.
    pub async fn verify_certificate(&self, code: &str) -> AppResult<PublicCertificate> {
        let code = code.trim().to_ascii_lowercase();
        if code.len() != 16 || !code.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let (a, d) = self.store.certificate(&code).await?.ok_or(AppError::NotFound)?;
        let validity = match self.load_set(a.input.criteria_set).await {
            Ok(l) => Some(i64::from(l.set.validity_years)),
            Err(_) => None,
        };
        Ok(PublicCertificate {
            code,
            title_label: title_label(&a.input.title, a.input.level),
            level: a.input.level,
            year: a.input.year,
            decision_number: d.number,
            signed_on: d.signed_on,
            issuing_body: d.issuing_body,
            valid_until_year: validity.map(|v| a.input.year + v),
        })
    }

    /// Titles one subject holds, by year, with its streak up to `current_year`.
    pub async fn title_history(&self, actor: &Actor, subject: Subject, id: i64, current_year: i64) -> AppResult<Vec<TitleHistory>> {
        let snap = self.snapshot().await?;
        let s = self.resolve_subject(&snap, subject, id).await?;
        self.authorize(actor, Action::ReadRegistry, s.unit_id).await?;
        let mut out = Vec::new();
        for t in TITLES.iter().filter(|t| t.subject == subject) {
            let assessments = self.store.subject_assessments(t.code, id).await?;
            let mut years: Vec<i64> = assessments.iter().filter(|a| a.decision_id.is_some()).map(|a| a.input.year).collect();
            years.sort_unstable();
            years.dedup();
            let ys: Vec<i32> = years.iter().filter_map(|y| i32::try_from(*y).ok()).collect();
            let cy = i32::try_from(current_year).unwrap_or(0);
            // A streak still counts when this year's recognition is not decided yet.
            let streak = titles::streak_ending(&ys, cy).max(titles::streak_ending(&ys, cy - 1));
            out.push(TitleHistory { title: t, recognised_years: years, streak, longest: titles::longest_streak(&ys), assessments });
        }
        Ok(out)
    }

    /// Households or citizens of a ward sharing a name and a birth year (possibly one recorded
    /// twice), a page of them, each marked with whether it was assessed for `title` in `year`.
    pub async fn duplicate_subjects(&self, actor: &Actor, title: &str, year: i64, page: PageRequest) -> AppResult<Page<DuplicateGroup>> {
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        Ok(self.store.duplicate_subjects(&scope, title, year, page).await?)
    }
}

/// The Vietnamese name of a title and level, as decisions and certificates write it.
pub fn title_label(code: &str, level: i64) -> String {
    let name = titles::title(code).map(|t| t.label_vi).unwrap_or(code);
    if level > 0 { format!("{name} mức độ {level}") } else { name.to_string() }
}

fn subject_label(subject: Subject) -> &'static str {
    match subject {
        Subject::Household => "hộ gia đình",
        Subject::Citizen => "công dân",
        Subject::Clan => "dòng họ",
        _ => "đơn vị",
    }
}
