//! A proposer's dossier page: nominees with their findings and the titles they rest on,
//! documents, the flow's steps and history, and the forms that change it (nominees, files, a step,
//! a body's own Giấy khen decision, DOET's extension).

use super::awards::{NominateQuery, state_label};
use super::form::{Typed, date_field, field, num, pairs, urlencode};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Path, Query};
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use thidua_app::AppError;
use thidua_app::commendation::{self as c, BatchView, NewNominee, OwnDecisionInput, Resolved, StepInput};
use thidua_app::ports::NomineeEdit;
use thidua_domain::access::Action;
use thidua_domain::commendation::awards::format_vnd;
use thidua_domain::commendation::eligibility::{DocKind, Severity};
use thidua_domain::commendation::workflow::{Outcome, Step};
use thidua_domain::dates;

// ---------------------------------------------------------------- a dossier

pub(super) struct DocLine {
    id: i64,
    kind: &'static str,
    file: String,
    size_kb: i64,
    uploaded: String,
    /// What the appraiser asked to fix in this document (latest return).
    comments: Vec<String>,
}

pub(super) struct FindingLine {
    block: bool,
    message: String,
}

pub(super) struct NomineeLine {
    pub(super) id: i64,
    pub(super) certificate: bool,
    pub(super) name: String,
    pub(super) kind: &'static str,
    /// Where a nominee from outside the registry comes from; empty for one of the registry.
    pub(super) origin: &'static str,
    pub(super) position: String,
    pub(super) achievement: String,
    pub(super) cites_initiative: bool,
    pub(super) findings: Vec<FindingLine>,
    /// The titles in force on the campaign's reference day, with their decisions.
    pub(super) rests_on: Vec<String>,
    pub(super) documents: Vec<DocLine>,
    pub(super) comments: Vec<String>,
    pub(super) reward: String,
    pub(super) outcome: &'static str,
    pub(super) outcome_reason: String,
}

struct EventLine {
    at: String,
    actor: String,
    step: &'static str,
    to: &'static str,
    comment: String,
}

#[derive(Template)]
#[template(path = "batch.html")]
struct BatchPage {
    l: Layout,
    v: BatchView,
    state_label: &'static str,
    campaign_name: String,
    nominees: Vec<NomineeLine>,
    dropped: Vec<NomineeLine>,
    batch_docs: Vec<DocLine>,
    batch_findings: Vec<String>,
    earlier: Vec<DocLine>,
    events: Vec<EventLine>,
    general_comments: Vec<String>,
    due: String,
    /// The day the level's decision is due before (the body's own review of a Giấy khen).
    decided_before: String,
    extension: String,
    quota: String,
    quota_basis: String,
    reward_total: String,
    reward_rule: String,
    steps: Vec<(&'static str, &'static str, bool)>,
    /// Where a nominee from outside the registry may come from: (code, label).
    origins: Vec<(&'static str, &'static str)>,
    /// The proposer's officer may record its own head's decision (Giấy khen).
    own_decision: bool,
    /// The dossier's award is its proposer's own head's to decide: no city deadline or quota.
    own_route: bool,
    /// «Chủ tịch Ủy ban nhân dân Phường Hoàn Kiếm»: who decides a Giấy khen of this proposer.
    head: String,
    /// Who decides, in words, with the plan's basis.
    decider: &'static str,
    /// The day the nominees' titles are judged on, dd/mm/yyyy.
    reference_day: String,
    today: String,
    can_drop: bool,
    can_read_city: bool,
    can_extend: bool,
    error: Option<String>,
    typed: Typed,
}

fn doc_line(d: &thidua_app::ports::DocumentRow, comments: &[thidua_app::ports::CommentRow]) -> DocLine {
    DocLine {
        comments: comments.iter().filter(|c| c.document_id == Some(d.id)).map(|c| c.comment.clone()).collect(),
        id: d.id,
        kind: DocKind::parse(&d.kind).map(|k| k.label_vi()).unwrap_or(""),
        file: d.file_name.clone(),
        size_kb: (d.size + 1023) / 1024,
        uploaded: format!("{} · {}", view::datetime_ms(d.uploaded_at_ms), d.uploaded_by),
    }
}

pub(super) fn nominee_line(n: &thidua_app::ports::NomineeRow) -> NomineeLine {
    NomineeLine {
        id: n.id,
        certificate: n.certificate.is_some() && n.outcome == Outcome::Awarded,
        name: n.name.clone(),
        kind: thidua_domain::commendation::NomineeKind::parse(&n.kind).map(|k| k.label_vi()).unwrap_or(""),
        origin: n.origin.map(|o| o.label_vi()).unwrap_or(""),
        position: n.position.clone(),
        achievement: n.achievement.clone(),
        cites_initiative: n.cites_initiative,
        findings: vec![],
        rests_on: vec![],
        documents: vec![],
        comments: vec![],
        reward: n.reward_vnd.map(format_vnd).unwrap_or_default(),
        outcome: n.outcome.label_vi(),
        outcome_reason: n.outcome_reason.clone().unwrap_or_default(),
    }
}

async fn batch_page(state: &AppState, auth: &Auth, id: i64, error: Option<String>, typed: Typed) -> Result<Response, WebError> {
    let v = state.app.batch_view(&auth.actor, id).await?;
    let nominees = v
        .nominees
        .iter()
        .map(|n| NomineeLine {
            findings: n.findings.iter().map(|f| FindingLine { block: f.severity == Severity::Block, message: f.message.clone() }).collect(),
            rests_on: n.rests_on.clone(),
            documents: n.documents.iter().map(|d| doc_line(d, &v.comments)).collect(),
            comments: n.comments.iter().map(|c| c.comment.clone()).collect(),
            reward: match (&n.row.reward_vnd, n.reward_vnd) {
                (Some(r), _) => format_vnd(*r),
                (None, Some(r)) => format!("{} (dự kiến)", format_vnd(r)),
                (None, None) => String::new(),
            },
            ..nominee_line(&n.row)
        })
        .collect();
    let names = state.app.display_names(v.events.iter().map(|e| e.actor.clone()).collect()).await?;
    let events = v
        .events
        .iter()
        .map(|e| EventLine {
            at: view::datetime_ms(e.at_ms),
            actor: names.get(&e.actor).cloned().unwrap_or_else(|| e.actor.clone()),
            step: Step::parse(&e.step).map(|s| s.label_vi()).unwrap_or(""),
            to: state_label(&e.to_state),
            comment: e.comment.clone(),
        })
        .collect();
    let steps = v.steps.iter().filter(|s| **s != Step::DecideOwn).map(|s| (s.code(), s.label_vi(), s.needs_comment())).collect();
    let own_decision = v.steps.contains(&Step::DecideOwn);
    let can_drop = v.steps.iter().any(|s| matches!(s, Step::DoetAccept | Step::DohaAccept));
    let quota = v.quota.as_ref().map(|q| format!("{} ({})", q.shape.describe(), q.remaining)).unwrap_or_else(|| match v.route {
        thidua_domain::commendation::workflow::Route::OwnHead => {
            "Do đơn vị quy định theo thẩm quyền (Kế hoạch, mục III.3.2.c, III.3.3.c)".into()
        }
        _ => "Không giới hạn trong Kế hoạch".into(),
    });
    let snap = state.app.snapshot().await?;
    let can_read_city = match snap.roots().first() {
        Some(root) => state.app.can(&auth.actor, Action::ReadRegistry, *root).await,
        None => false,
    };
    let can_extend = v.state.editable_by_proposer() && state.app.can(&auth.actor, Action::AppraiseDoet, v.batch.proposer_unit_id).await;
    let l = Layout::new(state, auth, format!("Hồ sơ {}", v.batch.number), "awards").await.vietnamese_only();
    let refused = error.is_some();
    let page = BatchPage {
        l,
        state_label: v.state.label_vi(),
        campaign_name: v.campaign.campaign.name.clone(),
        dropped: v.dropped.iter().map(nominee_line).collect(),
        batch_docs: v.batch_documents.iter().map(|d| doc_line(d, &v.comments)).collect(),
        batch_findings: v.batch_findings.iter().map(|f| f.message.clone()).collect(),
        earlier: v.earlier_documents.iter().map(|d| doc_line(d, &[])).collect(),
        general_comments: v
            .comments
            .iter()
            .filter(|c| c.nominee_id.is_none() && c.document_id.is_none())
            .map(|c| c.comment.clone())
            .collect(),
        due: v.deadline.due_before.map(dates::format_dmy).unwrap_or_default(),
        decided_before: v.deadline.decided_before.map(dates::format_dmy).unwrap_or_default(),
        extension: v.deadline.extension.map(dates::format_dmy).unwrap_or_default(),
        quota_basis: v.quota.as_ref().map(|q| q.basis.clone()).unwrap_or_default(),
        reward_total: format_vnd(v.reward_total_vnd),
        reward_rule: v.reward_rule.clone().unwrap_or_default(),
        nominees,
        events,
        steps,
        origins: thidua_domain::commendation::Origin::ALL.into_iter().map(|o| (o.code(), o.label_vi())).collect(),
        own_decision,
        own_route: v.route == thidua_domain::commendation::workflow::Route::OwnHead,
        head: thidua_app::commendation::documents::head_of(&v.proposer),
        decider: v.route.decider_vi(),
        reference_day: dates::format_dmy(v.reference_day),
        today: dates::format_dmy(state.app.today()),
        can_drop,
        can_read_city,
        can_extend,
        quota,
        error,
        typed,
        v,
    };
    Ok(view::render_form(&page, refused))
}

pub async fn batch_get(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<NominateQuery>,
) -> Result<Response, WebError> {
    // From a subject's page: the add-nominee form comes filled with it.
    let typed = match q.subject() {
        Some((kind, code)) => Typed::from("add-nominee", &[("subject_type".to_string(), kind), ("code".to_string(), code)]),
        None => Typed::default(),
    };
    batch_page(&state, &auth, id, None, typed).await
}

/// Runs a dossier edit; a refusal shows the page again with its reason and what was typed.
async fn after(state: &AppState, auth: &Auth, id: i64, r: Result<(), AppError>, typed: Typed) -> Result<Response, WebError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/awards/batches/{id}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => batch_page(state, auth, id, Some(m), typed).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn nominee_add_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    // A name as well as a code: resolved inside the proposer's subtree, several offered to choose.
    let typed = Typed::from("add-nominee", &p);
    // One not in the registry: its facts come from the form.
    if field(&p, "subject_type") == "external" {
        let birth = field(&p, "ext_birth_year").trim();
        let external = match (thidua_domain::commendation::Origin::parse(field(&p, "ext_origin")), birth.parse::<i64>()) {
            (Some(origin), Ok(y)) => Ok((origin, Some(y))),
            (Some(origin), Err(_)) if birth.is_empty() => Ok((origin, None)),
            (None, _) => Err(AppError::Invalid("Hãy chọn đối tượng ở đâu (trong, ngoài Thành phố, ở nước ngoài).".into())),
            (Some(_), Err(_)) => Err(AppError::Invalid(format!("Năm sinh «{birth}» phải là số, ví dụ 1975."))),
        };
        let r = match external {
            Ok((origin, birth_year)) => {
                let input = NewNominee {
                    subject_type: "external".into(),
                    code: String::new(),
                    position: field(&p, "position").into(),
                    achievement: field(&p, "achievement").into(),
                    cites_initiative: !field(&p, "cites_initiative").is_empty(),
                    external: Some(c::ExternalNominee {
                        name: field(&p, "ext_name").into(),
                        collective: field(&p, "ext_collective") == "1",
                        birth_year,
                        origin,
                    }),
                };
                state.app.add_nominee(&auth.actor, id, num(&p, "version")?, input).await.map(|_| ())
            }
            Err(e) => Err(e),
        };
        return after(&state, &auth, id, r, typed).await;
    }
    let code = match state.app.resolve_nominee(&auth.actor, id, field(&p, "subject_type"), field(&p, "code")).await {
        Ok(Resolved::Code(code)) => code,
        Ok(Resolved::Choose { candidates, more }) => {
            let choices = candidates.into_iter().map(|c| (c.code, c.label)).collect();
            let why = format!("Có nhiều đối tượng khớp với «{}»: chọn đúng đối tượng rồi bấm «Thêm».", field(&p, "code").trim());
            return batch_page(&state, &auth, id, Some(why), typed.with_choices(choices, more)).await;
        }
        Ok(Resolved::NotFound) => {
            let why = format!("Không tìm thấy «{}» (theo tên hoặc mã) trong đơn vị đề nghị.", field(&p, "code").trim());
            return after(&state, &auth, id, Err(AppError::Invalid(why)), typed).await;
        }
        Err(e) => return after(&state, &auth, id, Err(e), typed).await,
    };
    let input = NewNominee {
        subject_type: field(&p, "subject_type").into(),
        code,
        position: field(&p, "position").into(),
        achievement: field(&p, "achievement").into(),
        cites_initiative: !field(&p, "cites_initiative").is_empty(),
        external: None,
    };
    let r = state.app.add_nominee(&auth.actor, id, num(&p, "version")?, input).await.map(|_| ());
    after(&state, &auth, id, r, Typed::from("add-nominee", &p)).await
}

pub async fn nominee_edit_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, nominee)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let edit = NomineeEdit {
        position: field(&p, "position").into(),
        achievement: field(&p, "achievement").into(),
        cites_initiative: !field(&p, "cites_initiative").is_empty(),
    };
    let r = state.app.update_nominee(&auth.actor, id, num(&p, "version")?, nominee, edit).await;
    after(&state, &auth, id, r, Typed::from(format!("nominee-{nominee}"), &p)).await
}

pub async fn nominee_remove_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, nominee)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let r = state.app.remove_nominee(&auth.actor, id, num(&p, "version")?, nominee).await;
    after(&state, &auth, id, r, Typed::default()).await
}

pub async fn document_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, mp: Multipart) -> Result<Response, WebError> {
    // Permission is decided from the session before a byte of the file is read.
    state.app.may_add_document(&auth.actor, id).await?;
    let u = super::read_upload(mp).await?;
    auth.verify_csrf(u.field("_csrf"))?;
    let kind = DocKind::parse(u.field("kind")).ok_or_else(|| WebError::bad_request("Loại tài liệu không có."))?;
    let version: i64 = u.field("version").trim().parse().map_err(|_| WebError::bad_request("Thiếu phiên bản hồ sơ."))?;
    let nominee = u.field("nominee").trim().parse::<i64>().ok();
    let r = state.app.upload_document(&auth.actor, id, version, nominee, kind, &u.file_name, &u.bytes).await.map(|_| ());
    after(&state, &auth, id, r, Typed::default()).await
}

pub async fn document_get(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>) -> Result<Response, WebError> {
    let (doc, bytes) = state.app.document_bytes(&auth.actor, id).await?;
    let disposition = format!("attachment; filename*=UTF-8''{}", urlencode(&doc.file_name));
    Ok(([(header::CONTENT_TYPE, doc.content_type), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

pub async fn step_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let step = Step::parse(field(&p, "step")).ok_or_else(|| WebError::bad_request("Bước không có."))?;
    let mut input = StepInput { comment: field(&p, "comment").into(), ..StepInput::default() };
    for (k, v) in &p {
        if v.trim().is_empty() {
            continue;
        }
        if let Some(n) = k.strip_prefix("fix_").and_then(|n| n.parse::<i64>().ok()) {
            input.comments.push((Some(n), None, v.clone()));
        }
        if let Some(d) = k.strip_prefix("fixdoc_").and_then(|d| d.parse::<i64>().ok()) {
            input.comments.push((None, Some(d), v.clone()));
        }
        if let Some(n) = k.strip_prefix("drop_").and_then(|n| n.parse::<i64>().ok()) {
            input.drops.push((n, v.clone()));
        }
    }
    let r = state.app.take_step(&auth.actor, id, num(&p, "version")?, step, input).await;
    after(&state, &auth, id, r, Typed::from(format!("step-{}", step.code()), &p)).await
}

/// The proposing body records its own head's decision on its Giấy khen dossier.
pub async fn own_decision_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let typed = Typed::from("own-decision", &p);
    let refused: Vec<(i64, String)> = p
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("refuse_")?.parse::<i64>().ok()?, v.clone())))
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let input = match date_field(&p, "signed_on", "Ngày ký") {
        Ok(signed_on) => OwnDecisionInput {
            batch_id: id,
            version: num(&p, "version")?,
            number: field(&p, "number").into(),
            signed_on,
            signer: field(&p, "signer").into(),
            signer_title: field(&p, "signer_title").into(),
            refused,
        },
        Err(m) => return batch_page(&state, &auth, id, Some(m), typed).await,
    };
    match state.app.decide_own(&auth.actor, input).await {
        Ok(d) => Ok(Redirect::to(&format!("/awards/decisions/{d}")).into_response()),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => batch_page(&state, &auth, id, Some(m), typed).await,
        Err(e) => Err(e.into()),
    }
}

/// DOET extends the proposer's deadline for this campaign.
pub async fn extension_post(State(state): State<AppState>, auth: Auth, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = pairs(&body)?;
    auth.verify_csrf(field(&p, "_csrf"))?;
    let r = match date_field(&p, "due_before", "Hạn mới") {
        Ok(due) => state.app.grant_batch_extension(&auth.actor, id, due, field(&p, "reason")).await,
        Err(m) => Err(AppError::Invalid(m)),
    };
    after(&state, &auth, id, r, Typed::from("extension", &p)).await
}
