//! Requests from data subjects (Law 91/2025, Decree 356/2025; issue 18 §2): registered at the
//! person's ward with the legal time limits of `privacy/requests.toml` on the working-day
//! calendar, acknowledged, and closed with their outcome; an access request answered with
//! everything thidua holds on the person and every read of it; a deletion request carried out by
//! anonymising the person and blanking the personal values of the audit log, keeping what the
//! law keeps and saying why.

use crate::actor::Actor;
use crate::error::{AppError, AppResult};
use crate::ports::{
    AuditFilter, Erasure, PageRequest, PersonInput, PersonRecord, ReadChannel, ReadFilter, ReadWhat, RequestChannel, RequestState, Scope,
    SubjectRequestDraft, SubjectRequestFilter, SubjectRequestRecord,
};
use crate::{App, Named};
use thidua_documents::Sheet;
use thidua_domain::access::Action;
use thidua_domain::audit::{ERASE_ACTION, Sealing, redact};
use thidua_domain::dates;
use thidua_domain::limits::Field;
use thidua_domain::subject_requests::{Rules, shipped};

/// What an officer types to register a request.
#[derive(Debug, Clone, Default)]
pub struct RequestForm {
    pub person_id: i64,
    pub kind: String,
    pub channel: String,
    /// dd/mm/yyyy
    pub received_on: String,
    pub detail: String,
}

/// A request with the person it concerns and its kind's name, as the register shows it.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub record: SubjectRequestRecord,
    pub kind_name: String,
    pub person_name: String,
}

/// What an erasure did and what it kept, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureReport {
    pub erased_entries: usize,
    pub outcome: String,
}

/// The law's time limits, read once.
fn rules() -> AppResult<Rules> {
    shipped().map_err(|e| AppError::Storage(crate::error::StorageError::Corrupt(e)))
}

impl App {
    /// Registers a request about a person of the registry, at the person's own unit.
    pub async fn register_subject_request(&self, actor: &Actor, form: RequestForm) -> AppResult<i64> {
        let person = self.store.person(form.person_id).await?.ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::WriteRegistry, person.unit_id).await?;
        let rules = rules()?;
        let kind = rules.kind(&form.kind).ok_or_else(|| AppError::Invalid("chọn loại yêu cầu".into()))?;
        let channel = RequestChannel::parse(&form.channel).ok_or_else(|| AppError::Invalid("chọn cách nhận yêu cầu".into()))?;
        let received = dates::parse_dmy(&form.received_on)
            .map_err(|_| AppError::Invalid("ngày nhận yêu cầu phải có dạng ngày/tháng/năm, ví dụ 05/03/2026".into()))?;
        if received > self.today() {
            return Err(AppError::Invalid(format!("ngày nhận yêu cầu {} chưa đến", dates::format_dmy(received))));
        }
        let detail = crate::error::field(Field::FreeText, "Nội dung yêu cầu", &form.detail)?;
        let clock = rules.clock(kind, received, &self.calendar().await?);
        let draft = SubjectRequestDraft {
            person_id: person.id,
            unit_id: person.unit_id,
            kind: kind.code.clone(),
            channel,
            received_on: received,
            detail,
            acknowledge_by: clock.acknowledge_by,
            done_by: clock.done_by,
            registered_by: actor.username.clone(),
        };
        let new = serde_json::json!({
            "person": person.id, "kind": draft.kind, "channel": channel.code(),
            "received_on": dates::to_iso(received), "acknowledge_by": dates::to_iso(clock.acknowledge_by),
            "done_by": dates::to_iso(clock.done_by),
        });
        let audit = self.draft(actor, &via, "subject_request.register", "subject_request", "", Some(person.unit_id), None, Some(new));
        Ok(self.store.register_request(&draft, audit).await?)
    }

    /// A request as its page shows it, for whoever may read its person's unit: the page names
    /// the person, so it is logged as a read of their record.
    pub async fn subject_request(&self, actor: &Actor, id: i64) -> AppResult<RequestView> {
        let record = self.store.subject_request(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, record.draft.unit_id).await?;
        let (person, unit) = (record.draft.person_id, record.draft.unit_id);
        self.log_read(actor, ReadChannel::Page, ReadWhat::Person, (Some(person), Some(unit)), 1, format!("yêu cầu số {id}")).await?;
        self.request_view(record).await
    }

    async fn request_view(&self, record: SubjectRequestRecord) -> AppResult<RequestView> {
        let rules = rules()?;
        let kind_name = rules.kind(&record.draft.kind).map_or_else(|| record.draft.kind.clone(), |k| k.name.clone());
        let person_name = self.store.person(record.draft.person_id).await?.map(|p| p.full_name).unwrap_or_default();
        Ok(RequestView { record, kind_name, person_name })
    }

    /// The register in the actor's scope as its page shows it: open requests by their time
    /// limit, then closed ones.
    pub async fn subject_requests(
        &self,
        actor: &Actor,
        filter: &SubjectRequestFilter,
        page: PageRequest,
    ) -> AppResult<crate::ports::Page<RequestView>> {
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        if matches!(&scope, Scope::Roots(r) if r.is_empty()) {
            return Err(AppError::Forbidden);
        }
        let page = self.store.subject_requests(&scope, filter, page).await?;
        if !page.items.is_empty() {
            // The register names the persons: a list read, logged as the lists of citizens are.
            let unit = match &scope {
                Scope::Roots(roots) if roots.len() == 1 => roots.first().map(|r| r.node),
                _ => None,
            };
            let detail = "sổ yêu cầu về dữ liệu cá nhân".to_string();
            self.log_read(actor, ReadChannel::Page, ReadWhat::People, (None, unit), page.items.len(), detail).await?;
        }
        let mut items = Vec::with_capacity(page.items.len());
        for r in &page.items {
            items.push(self.request_view(r.clone()).await?);
        }
        Ok(page.with_items(items))
    }

    /// An open request the actor may handle: checked against the request's stored unit.
    async fn open_request(&self, actor: &Actor, id: i64) -> AppResult<(SubjectRequestRecord, crate::Authorized)> {
        let record = self.store.subject_request(id).await?.ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::WriteRegistry, record.draft.unit_id).await?;
        if record.state != RequestState::Open {
            return Err(AppError::Conflict(format!("yêu cầu số {id} đã đóng ({})", record.state.label().to_lowercase())));
        }
        Ok((record, via))
    }

    /// Records that the receipt was confirmed to the person today.
    pub async fn acknowledge_subject_request(&self, actor: &Actor, id: i64, version: i64) -> AppResult<()> {
        let (record, via) = self.open_request(actor, id).await?;
        let today = self.today();
        let new = serde_json::json!({"acknowledged_on": dates::to_iso(today)});
        let audit =
            self.draft(actor, &via, "subject_request.acknowledge", "subject_request", id, Some(record.draft.unit_id), None, Some(new));
        self.store.acknowledge_request(id, version, today, audit).await.map_err(stale)
    }

    /// Closes a request as done or refused, with what was done or why not. A deletion is done
    /// only by [`App::erase_on_request`], which does it.
    pub async fn close_subject_request(&self, actor: &Actor, id: i64, version: i64, done: bool, outcome: &str) -> AppResult<()> {
        let (record, via) = self.open_request(actor, id).await?;
        if done && record.draft.kind == "deletion" {
            return Err(AppError::Invalid("yêu cầu xóa được giải quyết bằng nút «Xóa dữ liệu cá nhân»".into()));
        }
        let outcome = crate::error::field(Field::FreeText, "Kết quả giải quyết", outcome)?;
        if outcome.trim().is_empty() {
            return Err(AppError::Invalid("ghi kết quả giải quyết (hoặc lý do từ chối) trước khi đóng yêu cầu".into()));
        }
        let state = if done { RequestState::Done } else { RequestState::Refused };
        let new = serde_json::json!({"state": state.code()});
        let audit = self.draft(actor, &via, "subject_request.close", "subject_request", id, Some(record.draft.unit_id), None, Some(new));
        self.store.close_request(id, version, state, &outcome, self.today(), audit).await.map_err(stale)
    }

    /// Carries out a deletion request: the person's name, birth year, gender and position are
    /// replaced, the household they head loses its head's name too, consent to publication ends,
    /// and the personal values of every audit entry about the person are blanked (the chain
    /// stays verifiable). Assessments, recognitions and awards stay as administrative records, with
    /// the retention the record of processing gives for them; the outcome says so.
    pub async fn erase_on_request(&self, actor: &Actor, id: i64, version: i64) -> AppResult<ErasureReport> {
        let (record, via) = self.open_request(actor, id).await?;
        if record.draft.kind != "deletion" {
            return Err(AppError::Invalid("chỉ yêu cầu xóa dữ liệu cá nhân mới xóa được".into()));
        }
        let person = self.store.person(record.draft.person_id).await?.ok_or(AppError::NotFound)?;
        let (seen_up_to, _) = self.store.audit_head().await?;
        let entries = self.entries_about(&person).await?;
        let mut payloads = Vec::new();
        let mut sealed_inline = 0;
        for a in &entries {
            match (a.sealing, a.erased_by) {
                (_, Some(_)) => {}
                (Sealing::Inline, None) => sealed_inline += 1,
                (Sealing::Digest, None) => {
                    payloads.push((a.seq, a.old.as_deref().map(|t| redact(t, id)), a.new.as_deref().map(|t| redact(t, id))));
                }
            }
        }
        let headed_household = match person.household_id {
            Some(h) => self
                .store
                .household(h)
                .await?
                .filter(|hh| thidua_domain::text::fold(&hh.head_name) == thidua_domain::text::fold(&person.full_name))
                .map(|hh| hh.id),
            None => None,
        };
        let assessments = self.titles_of(&person).await?;
        let awards = self.store.award_history("person", person.id).await?.len();
        let outcome = self.erasure_outcome(payloads.len(), sealed_inline, assessments, awards, headed_household.is_some())?;
        let anonymous = PersonInput {
            code: format!("XOA-{id}"),
            full_name: format!("[Đã xóa dữ liệu cá nhân theo yêu cầu số {id}]"),
            birth_year: None,
            gender: None,
            unit_id: person.unit_id,
            household_id: person.household_id,
            position: None,
        };
        let erased: Vec<i64> = payloads.iter().map(|p| p.0).collect();
        let new = serde_json::json!({"request": id, "person": person.id, "erased": erased, "kept_sealed_inline": sealed_inline});
        let audit = self.draft(actor, &via, ERASE_ACTION, "subject_request", id, Some(person.unit_id), None, Some(new));
        let erasure = Erasure {
            request_id: id,
            request_version: version,
            person_id: person.id,
            person_version: person.version,
            anonymous,
            headed_household,
            payloads,
            seen_up_to,
            keys: about_keys(&person).into_iter().map(|(e, k)| (e.to_string(), k)).collect(),
            outcome: outcome.clone(),
            closed_on: self.today(),
        };
        self.store.erase_person(&erasure, audit).await.map_err(stale)?;
        Ok(ErasureReport { erased_entries: erased.len(), outcome })
    }

    /// Every audit entry about the person: their own record's (by id and by code) and their
    /// assessments'.
    async fn entries_about(&self, person: &PersonRecord) -> AppResult<Vec<crate::ports::AuditRecord>> {
        let mut out = Vec::new();
        for (entity, key) in about_keys(person) {
            let filter = AuditFilter { entity: Some(entity.into()), entity_id: Some(key), ..Default::default() };
            let page = self.store.audit_page(&Scope::All, &filter, PageRequest::all()).await?;
            out.extend(page.items.into_iter().filter(|a| entity != "assessment" || is_assessment_of(a, person.id)));
        }
        out.sort_by_key(|a| a.seq);
        out.dedup_by_key(|a| a.seq);
        Ok(out)
    }

    /// How many assessments of the person are stored (of any citizen title).
    async fn titles_of(&self, person: &PersonRecord) -> AppResult<usize> {
        let mut n = 0;
        for t in thidua_domain::titles::TITLES.iter().filter(|t| t.subject == thidua_domain::titles::Subject::Citizen) {
            n += self.store.subject_assessments(t.code, person.id).await?.len();
        }
        Ok(n)
    }

    fn erasure_outcome(&self, erased: usize, inline: usize, assessments: usize, awards: usize, household: bool) -> AppResult<String> {
        let record = thidua_domain::processing::shipped().map_err(|e| AppError::Storage(crate::error::StorageError::Corrupt(e)))?;
        let retention = |purpose: &str| record.purpose(purpose).map(|p| p.retention.clone()).unwrap_or_default();
        let mut done = vec!["họ tên, năm sinh, giới tính, chức danh và mã công dân đã được thay bằng dấu hiệu ẩn danh".to_string()];
        if household {
            done.push("tên, năm sinh, giới tính của chủ hộ trong hồ sơ hộ gia đình do công dân làm chủ hộ".into());
        }
        done.push(format!(
            "{} mục nhật ký thay đổi: các giá trị cá nhân đã xóa, chuỗi mã băm vẫn kiểm tra được",
            thidua_domain::text::number(erased as i128)
        ));
        done.push("sự đồng ý công bố trên bảng vàng chấm dứt".into());
        let mut kept = Vec::new();
        if assessments > 0 {
            kept.push(format!("{assessments} phiếu đánh giá danh hiệu (gắn với mã ẩn danh): {}", retention("titles")));
        }
        if awards > 0 {
            kept.push(format!("{awards} khen thưởng trong quyết định đã ban hành: {}", retention("commendation")));
        }
        if inline > 0 {
            kept.push(format!(
                "{inline} mục nhật ký ghi trước khi nhật ký niêm phong theo mã băm của nội dung (bản cập nhật 0028): xóa sẽ làm hỏng chuỗi kiểm tra của nhật ký"
            ));
        }
        kept.push("nhật ký truy cập (ai đã xem hồ sơ, khi nào): chỉ ghi số hiệu hồ sơ, là bằng chứng bảo vệ dữ liệu".into());
        Ok(format!("Đã xóa: {}. Giữ lại: {}.", done.join("; "), kept.join("; ")))
    }

    /// The open requests the actor handles (a unit's officers, not city-wide grants), each with
    /// its next time limit: the acknowledgement until it is given, then the answer. A late one
    /// stays in the list until it is closed; its unit's head hears of it (`plan_reminders`).
    pub(crate) async fn request_due_items(
        &self,
        actor: &Actor,
        calendar: &thidua_domain::calendar::Calendar,
        thresholds: &[u32],
    ) -> AppResult<Vec<crate::commendation::DueItem>> {
        use thidua_domain::commendation::reminders::urgency;
        let scope = self.scope(actor, Action::WriteRegistry).await?;
        if !matches!(&scope, Scope::Roots(r) if !r.is_empty()) {
            return Ok(vec![]);
        }
        let filter = SubjectRequestFilter { open_only: true, person_id: None };
        let open = self.store.subject_requests(&scope, &filter, PageRequest::all()).await?;
        let snap = self.snapshot().await?;
        let today = self.today();
        let mut out = Vec::new();
        for r in open.items {
            let view = self.request_view(r).await?;
            let d = &view.record.draft;
            let (what, last_day) = match view.record.acknowledged_on {
                None => (format!("Xác nhận đã nhận yêu cầu số {} ({})", view.record.id, view.kind_name.to_lowercase()), d.acknowledge_by),
                Some(_) => (format!("Giải quyết yêu cầu số {}: {}", view.record.id, view.kind_name.to_lowercase()), d.done_by),
            };
            let due_before = last_day.next_day().unwrap_or(last_day);
            let days = crate::commendation::working_days_left(calendar, today, due_before);
            out.push(crate::commendation::DueItem {
                what,
                campaign: "Yêu cầu của chủ thể dữ liệu cá nhân".into(),
                // The officer's own office handles it (the person's village has no head to hear of it).
                unit: snap.units.get(&actor.home_unit).map(|u| u.name.clone()).unwrap_or_default(),
                unit_id: actor.home_unit,
                due_before,
                working_days_left: days,
                urgency: urgency(days, thresholds),
                link: format!("/privacy/requests/{}", view.record.id),
            });
        }
        Ok(out)
    }

    /// Everything thidua holds on the person of an access request, and every read of their
    /// record and their household's, as a workbook; the export itself is logged as a read.
    pub async fn access_export(&self, actor: &Actor, id: i64) -> AppResult<Named<Vec<Sheet>>> {
        let record = self.store.subject_request(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::WriteRegistry, record.draft.unit_id).await?;
        if record.draft.kind != "access" {
            return Err(AppError::Invalid("chỉ yêu cầu cung cấp dữ liệu cá nhân mới xuất được bản dữ liệu".into()));
        }
        let person = self.store.person(record.draft.person_id).await?.ok_or(AppError::NotFound)?;
        self.log_read(actor, ReadChannel::Export, ReadWhat::Person, (Some(person.id), Some(person.unit_id)), 1, format!("yêu cầu số {id}"))
            .await?;
        let snap = self.snapshot().await?;
        let unit_name = |u: i64| snap.units.get(&u).map(|u| u.name.clone()).unwrap_or_else(|| format!("#{u}"));
        let household = match person.household_id {
            Some(h) => self.store.household(h).await?,
            None => None,
        };
        let mut info = vec![
            vec!["Mã công dân".into(), person.code.clone()],
            vec!["Họ và tên".into(), person.full_name.clone()],
            vec!["Năm sinh".into(), person.birth_year.map(|y| y.to_string()).unwrap_or_default()],
            vec!["Giới tính".into(), person.gender.map(|g| g.label_vi().to_string()).unwrap_or_default()],
            vec!["Chức danh".into(), person.position.clone().unwrap_or_default()],
            vec!["Đơn vị".into(), unit_name(person.unit_id)],
            vec!["Đang theo dõi".into(), if person.active { "Có" } else { "Không" }.into()],
            vec![
                "Đồng ý công bố trên bảng vàng".into(),
                if self.store.public_consent("person", person.id).await? { "Có" } else { "Không" }.into(),
            ],
        ];
        if let Some(h) = &household {
            info.push(vec!["Hộ gia đình".into(), format!("{} — chủ hộ {}", h.code, h.head_name)]);
            info.push(vec!["Địa chỉ".into(), h.address.clone().unwrap_or_default()]);
        }
        let mut sheets =
            vec![Sheet { title: "Thông tin cá nhân".into(), headers: vec!["Mục".into(), "Giá trị".into()], rows: info }];
        let mut titles = Vec::new();
        for t in thidua_domain::titles::TITLES.iter().filter(|t| t.subject == thidua_domain::titles::Subject::Citizen) {
            for a in self.store.subject_assessments(t.code, person.id).await? {
                titles.push(vec![
                    t.label_vi.to_string(),
                    a.input.year.to_string(),
                    thidua_domain::titles::Stage::parse(&a.input.stage).map(|s| s.label_vi().to_string()).unwrap_or(a.input.stage.clone()),
                    a.input.points.to_string(),
                    if a.input.passed { "Đạt" } else { "Chưa đạt" }.into(),
                    if a.decision_id.is_some() { "Đã công nhận" } else { "" }.into(),
                    a.input.note.clone().unwrap_or_default(),
                ]);
            }
        }
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        sheets.push(Sheet {
            title: "Đánh giá danh hiệu".into(),
            headers: h(&["Danh hiệu", "Năm", "Bước", "Điểm", "Kết quả", "Công nhận", "Ghi chú"]),
            rows: titles,
        });
        let awards = self.store.award_history("person", person.id).await?;
        let awards = awards
            .into_iter()
            .map(|a| {
                vec![
                    a.decision.level.clone(),
                    a.decision.number.clone(),
                    dates::format_dmy(a.decision.signed_on),
                    a.nominee.achievement.clone(),
                ]
            })
            .collect();
        sheets.push(Sheet {
            title: "Khen thưởng".into(),
            headers: h(&["Hình thức", "Số quyết định", "Ngày ký", "Thành tích"]),
            rows: awards,
        });
        let history = self.entries_about(&person).await?;
        let history = history
            .into_iter()
            .map(|a| {
                vec![
                    dates::moment_in_hanoi(a.at_ms).unwrap_or_default(),
                    a.actor.clone(),
                    thidua_domain::audit::action_label(&a.action),
                    a.old.clone().unwrap_or_default(),
                    a.new.clone().unwrap_or_default(),
                ]
            })
            .collect();
        sheets.push(Sheet {
            title: "Lịch sử thay đổi".into(),
            headers: h(&["Thời điểm", "Người thực hiện", "Thao tác", "Trước", "Sau"]),
            rows: history,
        });
        let mut reads = Vec::new();
        let mut subjects = vec![(ReadWhat::Person, person.id)];
        subjects.extend(household.as_ref().map(|h| (ReadWhat::Household, h.id)));
        for (what, subject) in subjects {
            let filter = ReadFilter { what: Some(what), subject_id: Some(subject), ..Default::default() };
            for r in self.store.reads_page(&Scope::All, &filter, PageRequest::all()).await?.items {
                reads.push(vec![
                    dates::moment_in_hanoi(r.read.at_ms).unwrap_or_default(),
                    r.read.username.clone(),
                    r.read.channel.label().into(),
                    r.read.what.label().into(),
                    r.read.detail.clone(),
                ]);
            }
        }
        sheets.push(Sheet {
            title: "Ai đã xem".into(), headers: h(&["Thời điểm", "Người xem", "Qua", "Hồ sơ", "Ghi chú"]), rows: reads
        });
        Ok(Named { file_name: format!("du-lieu-ca-nhan-yeu-cau-{id}.xlsx"), value: sheets })
    }
}

/// The (entity, entity_id) keys under which the audit log holds entries about a person: their
/// record, by id and by code, and their assessments, by code.
fn about_keys(person: &PersonRecord) -> [(&'static str, String); 3] {
    [("person", person.id.to_string()), ("person", person.code.clone()), ("assessment", person.code.clone())]
}

/// Whether an assessment entry is about this person: the title is a citizen's and the subject
/// is the person (a household of the same code is someone else).
fn is_assessment_of(a: &crate::ports::AuditRecord, person: i64) -> bool {
    let payload = a.new.as_deref().or(a.old.as_deref()).and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
    payload.is_some_and(|v| {
        v["subject_id"].as_i64() == Some(person)
            && v["title"]
                .as_str()
                .and_then(thidua_domain::titles::title)
                .is_some_and(|t| t.subject == thidua_domain::titles::Subject::Citizen)
    })
}

fn stale(e: crate::error::StorageError) -> AppError {
    match e {
        crate::error::StorageError::Stale => {
            AppError::Conflict("yêu cầu hoặc hồ sơ vừa được người khác cập nhật: tải lại trang rồi thử lại".into())
        }
        other => other.into(),
    }
}
