//! The registry's lists as sheets, one layout per kind, for the pages and the command line. Units,
//! households and citizens are written in their import template's columns, so that a list taken
//! out, corrected in a spreadsheet and brought back goes through the same checks as any import;
//! clans and the audit log in their own columns.

use crate::App;
use crate::Named;
use crate::actor::Actor;
use crate::error::AppResult;
use crate::ports::{At, AuditFilter, HouseholdRecord, HouseholdSort, PageRequest, PersonRecord, PersonSort, ReadChannel};
use std::collections::HashMap;
use thidua_documents::Sheet;
use thidua_domain::dates::format_dmy;
use thidua_domain::import::ImportKind;

/// Rows per page of a streamed export (CSV or `.xlsx`).
pub const EXPORT_PAGE: i64 = 5_000;

/// A household in the households template's columns.
fn household_row(snap: &crate::registry::TreeSnapshot, h: &HouseholdRecord) -> Vec<String> {
    vec![
        h.code.clone(),
        snap.units.get(&h.unit_id).map(|u| u.code.clone()).unwrap_or_default(),
        h.head_name.clone(),
        h.head_birth_year.map(|y| y.to_string()).unwrap_or_default(),
        h.head_gender.map(|g| g.label_vi().to_string()).unwrap_or_default(),
        h.address.clone().unwrap_or_default(),
        h.member_count.map(|m| m.to_string()).unwrap_or_default(),
    ]
}

/// A citizen in the citizens template's columns (`households`: id → code).
fn person_row(snap: &crate::registry::TreeSnapshot, households: &HashMap<i64, String>, p: &PersonRecord) -> Vec<String> {
    vec![
        p.code.clone(),
        p.full_name.clone(),
        p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        p.gender.map(|g| g.label_vi().to_string()).unwrap_or_default(),
        snap.units.get(&p.unit_id).map(|u| u.code.clone()).unwrap_or_default(),
        p.household_id.and_then(|h| households.get(&h).cloned()).unwrap_or_default(),
        p.position.clone().unwrap_or_default(),
    ]
}

/// What a list export covers: the unit under which (its subtree), the search words.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    pub unit: Option<i64>,
    pub query: Option<String>,
}

impl App {
    /// The units below `parent` (every unit the actor may read when `None`), in the units
    /// template's columns.
    pub async fn units_export(&self, actor: &Actor, parent: Option<i64>) -> AppResult<Named<Sheet>> {
        let snap = self.snapshot().await?;
        let code = |id: Option<i64>| id.and_then(|i| snap.units.get(&i)).map(|u| u.code.clone()).unwrap_or_default();
        let (title, file_name, units) = match parent {
            Some(id) => {
                let unit = self.unit(actor, id).await?;
                let children = self.children(actor, id).await?;
                (unit.name.clone(), format!("don-vi-{}.xlsx", unit.code.to_lowercase()), children)
            }
            None => {
                let read = thidua_domain::access::Action::ReadRegistry;
                let mut units: Vec<_> = snap.units.values().filter(|u| self.shows(actor, &snap, read, u.id)).cloned().collect();
                units.sort_by_key(|u| u.id);
                ("Đơn vị".to_string(), "don-vi.xlsx".to_string(), units)
            }
        };
        let rows = units
            .iter()
            .map(|u| {
                vec![
                    u.code.clone(),
                    u.name.clone(),
                    u.kind.label_vi().into(),
                    code(u.parent_id),
                    u.valid_from.map(format_dmy).unwrap_or_default(),
                    u.valid_to.map(format_dmy).unwrap_or_default(),
                    snap.successors_text(u),
                    code(u.location_id),
                ]
            })
            .collect();
        Ok(Named { file_name, value: Sheet { title, headers: ImportKind::Units.headers(), rows } })
    }

    /// One page of [`EXPORT_PAGE`] households of the export, from `at` (the start when `None`),
    /// in the template's columns, and where the next page starts: an export of millions of rows
    /// reads them page by page by key and never holds the list. Each page is logged as read
    /// through `channel` (the export of a page, or the command line's).
    pub async fn households_export_page(
        &self,
        actor: &Actor,
        (f, channel): (&ExportFilter, ReadChannel),
        sort: HouseholdSort,
        at: Option<At>,
    ) -> AppResult<(Vec<Vec<String>>, Option<At>)> {
        let page = self.read_households(actor, channel, f.unit, f.query.as_deref(), sort, PageRequest::at(at, EXPORT_PAGE)).await?;
        let snap = self.snapshot().await?;
        Ok((page.items.iter().map(|h| household_row(&snap, h)).collect(), page.next))
    }

    /// One page of [`EXPORT_PAGE`] citizens of the export, as for households.
    pub async fn people_export_page(
        &self,
        actor: &Actor,
        (f, channel): (&ExportFilter, ReadChannel),
        sort: PersonSort,
        at: Option<At>,
    ) -> AppResult<(Vec<Vec<String>>, Option<At>)> {
        let page = self.read_people(actor, channel, f.unit, None, f.query.as_deref(), sort, PageRequest::at(at, EXPORT_PAGE)).await?;
        let households = self.household_codes_of(&page.items).await?;
        let snap = self.snapshot().await?;
        Ok((page.items.iter().map(|p| person_row(&snap, &households, p)).collect(), page.next))
    }

    /// Every clan the filter selects in the actor's scope, with the villages it spans.
    pub async fn clans_export(&self, actor: &Actor, f: &ExportFilter) -> AppResult<Named<Sheet>> {
        let page = self.clans(actor, f.unit, f.query.as_deref(), PageRequest::all()).await?;
        let snap = self.snapshot().await?;
        let code = |id: i64| snap.units.get(&id).map(|u| u.code.clone()).unwrap_or_default();
        let headers =
            ["Mã dòng họ", "Tên dòng họ", "Người đại diện", "Mã đơn vị quản lý", "Các thôn, tổ dân phố"].map(String::from).to_vec();
        let rows = page
            .items
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    c.name.clone(),
                    c.representative_name.clone().unwrap_or_default(),
                    code(c.unit_id),
                    c.villages.iter().map(|v| code(*v)).collect::<Vec<_>>().join("; "),
                ]
            })
            .collect();
        Ok(Named { file_name: "dong-ho.xlsx".into(), value: Sheet { title: "Dòng họ".into(), headers, rows } })
    }

    /// Every audit entry the filter selects in the actor's scope, newest first, with the
    /// values before and after and each entry's hash (a reader can check the chain).
    pub async fn audit_export(&self, actor: &Actor, filter: &AuditFilter) -> AppResult<Named<Sheet>> {
        let page = self.audit_page(actor, filter, PageRequest::all()).await?;
        let headers = [
            "Số thứ tự",
            "Thời điểm",
            "Người thực hiện",
            "Thay mặt",
            "Thao tác",
            "Đối tượng",
            "Mã đối tượng",
            "Giá trị cũ",
            "Giá trị mới",
            "Mã băm",
        ]
        .map(String::from)
        .to_vec();
        let rows = page
            .items
            .into_iter()
            .map(|a| {
                vec![
                    a.seq.to_string(),
                    thidua_domain::dates::moment_in_hanoi(a.at_ms).unwrap_or_default(),
                    a.actor,
                    a.on_behalf_of.unwrap_or_default(),
                    a.action,
                    a.entity,
                    a.entity_id,
                    a.old.unwrap_or_default(),
                    a.new.unwrap_or_default(),
                    a.hash,
                ]
            })
            .collect();
        Ok(Named { file_name: "nhat-ky.xlsx".into(), value: Sheet { title: "Nhật ký".into(), headers, rows } })
    }
}
