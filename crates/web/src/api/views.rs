//! What the API answers, field by field. The storage ports' rows are not serialised as they
//! are: a column added to a table (a personal field, an internal marker) reaches the public JSON
//! only when it is written here, and the OpenAPI document describes these shapes.

use serde::Serialize;
use thidua_app::ports::{
    AssessmentInput, AssessmentItem, AssessmentRecord, At, AuditRecord, ClanRecord, HouseholdRecord, Page, PersonRecord, UnitRecord,
};
use thidua_domain::registry::{Gender, NodeKind};
use time::Date;

/// One page of a list.
#[derive(Serialize)]
pub(crate) struct PageView<T> {
    items: Vec<T>,
    total: i64,
    page: i64,
    per_page: i64,
    /// `total` is a lower bound (a search counted up to its cap).
    total_at_least: bool,
    /// Keyset positions of the next and previous pages (`after`, `before`).
    next: Option<String>,
    prev: Option<String>,
}

impl<T> PageView<T> {
    pub(crate) fn of<R>(p: Page<R>) -> PageView<T>
    where
        T: From<R>,
    {
        let key = |at: Option<At>| match at {
            Some(At::After(k) | At::Before(k)) => Some(k),
            Some(At::Last) | None => None,
        };
        PageView {
            total: p.total,
            page: p.page,
            per_page: p.per_page,
            total_at_least: p.at_least,
            next: key(p.next),
            prev: key(p.prev),
            items: p.items.into_iter().map(T::from).collect(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct UnitView {
    id: i64,
    code: String,
    name: String,
    kind: NodeKind,
    parent_id: Option<i64>,
    location_id: Option<i64>,
    valid_from: Option<Date>,
    valid_to: Option<Date>,
    successors: Vec<thidua_domain::tree::Succession>,
    earlier_parents: Vec<thidua_domain::tree::EarlierParent>,
    active: bool,
    version: i64,
}

impl From<UnitRecord> for UnitView {
    fn from(u: UnitRecord) -> Self {
        // Every field named: a column added to the row is a compile error here until it is decided.
        let UnitRecord { id, code, name, kind, parent_id, location_id, valid_from, valid_to, successors, earlier_parents, active, version } =
            u;
        UnitView { id, code, name, kind, parent_id, location_id, valid_from, valid_to, successors, earlier_parents, active, version }
    }
}

#[derive(Serialize)]
pub(crate) struct HouseholdView {
    id: i64,
    code: String,
    unit_id: i64,
    head_name: String,
    head_birth_year: Option<i64>,
    head_gender: Option<Gender>,
    address: Option<String>,
    member_count: Option<i64>,
    active: bool,
    version: i64,
}

impl From<HouseholdRecord> for HouseholdView {
    fn from(h: HouseholdRecord) -> Self {
        // Every field named: a column added to the row is a compile error here until it is decided.
        let HouseholdRecord { id, code, unit_id, head_name, head_birth_year, head_gender, address, member_count, active, version } = h;
        HouseholdView { id, code, unit_id, head_name, head_birth_year, head_gender, address, member_count, active, version }
    }
}

#[derive(Serialize)]
pub(crate) struct PersonView {
    id: i64,
    code: String,
    full_name: String,
    birth_year: Option<i64>,
    gender: Option<Gender>,
    unit_id: i64,
    household_id: Option<i64>,
    position: Option<String>,
    active: bool,
    version: i64,
}

impl From<PersonRecord> for PersonView {
    fn from(p: PersonRecord) -> Self {
        // Every field named: a column added to the row is a compile error here until it is decided.
        let PersonRecord { id, code, full_name, birth_year, gender, unit_id, household_id, position, active, version } = p;
        PersonView { id, code, full_name, birth_year, gender, unit_id, household_id, position, active, version }
    }
}

#[derive(Serialize)]
pub(crate) struct ClanView {
    id: i64,
    code: String,
    name: String,
    unit_id: i64,
    representative_name: Option<String>,
    villages: Vec<i64>,
    active: bool,
    version: i64,
}

impl From<ClanRecord> for ClanView {
    fn from(c: ClanRecord) -> Self {
        // Every field named: a column added to the row is a compile error here until it is decided.
        let ClanRecord { id, code, name, unit_id, representative_name, villages, active, version } = c;
        ClanView { id, code, name, unit_id, representative_name, villages, active, version }
    }
}

#[derive(Serialize)]
pub(crate) struct AuditView {
    seq: i64,
    at_ms: i64,
    actor: String,
    on_behalf_of: Option<String>,
    action: String,
    entity: String,
    entity_id: String,
    unit_id: Option<i64>,
    old: Option<String>,
    new: Option<String>,
    prev_hash: String,
    hash: String,
    /// 1: the hash covers `old` and `new` themselves; 2: it covers `old_digest` and `new_digest`.
    sealing: i64,
    old_digest: Option<String>,
    new_digest: Option<String>,
    erased_by: Option<i64>,
}

impl From<AuditRecord> for AuditView {
    fn from(a: AuditRecord) -> Self {
        // Every field named: a column added to the row is a compile error here until it is decided.
        let AuditRecord {
            seq,
            at_ms,
            actor,
            on_behalf_of,
            action,
            entity,
            entity_id,
            unit_id,
            old,
            new,
            prev_hash,
            hash,
            sealing,
            old_digest,
            new_digest,
            erased_by,
        } = a;
        let sealing = sealing as i64;
        AuditView {
            seq,
            at_ms,
            actor,
            on_behalf_of,
            action,
            entity,
            entity_id,
            unit_id,
            old,
            new,
            prev_hash,
            hash,
            sealing,
            old_digest,
            new_digest,
            erased_by,
        }
    }
}

/// An assessment in a list, with its subject.
#[derive(Serialize)]
pub(crate) struct AssessmentItemView {
    record: AssessmentView,
    subject_code: String,
    subject_name: String,
    unit_name: String,
}

#[derive(Serialize)]
pub(crate) struct AssessmentView {
    id: i64,
    input: AssessmentInputView,
    decision_id: Option<i64>,
    certificate: Option<String>,
    version: i64,
    updated_at_ms: i64,
}

#[derive(Serialize)]
pub(crate) struct AssessmentInputView {
    title: String,
    subject_id: i64,
    year: i64,
    stage: String,
    unit_id: i64,
    level: i64,
    criteria_set: i64,
    answers: String,
    points: i64,
    passed: bool,
    note: Option<String>,
    assessor: String,
}

impl From<AssessmentItem> for AssessmentItemView {
    fn from(a: AssessmentItem) -> Self {
        let AssessmentRecord { id, input, decision_id, certificate, version, updated_at_ms } = a.record;
        let AssessmentInput { title, subject_id, year, stage, unit_id, level, criteria_set, answers, points, passed, note, assessor } =
            input;
        AssessmentItemView {
            record: AssessmentView {
                id,
                input: AssessmentInputView {
                    title,
                    subject_id,
                    year,
                    stage,
                    unit_id,
                    level,
                    criteria_set,
                    answers,
                    points,
                    passed,
                    note,
                    assessor,
                },
                decision_id,
                certificate,
                version,
                updated_at_ms,
            },
            subject_code: a.subject_code,
            subject_name: a.subject_name,
            unit_name: a.unit_name,
        }
    }
}
