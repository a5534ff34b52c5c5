//! The authorization matrix: every route that touches a record × every role × a target inside
//! and outside the user's scope × a grant held over a ward or over the whole city, held or
//! delegated. The expected answer is computed from the role table in the domain
//! (`Role::allows`), so the matrix and the rules cannot drift apart.
//!
//! The records are made on 1 May 2030, before the final review's deadline, so that every kind of
//! record exists on both sides: households assessed and recognised, a draft dossier with a
//! nominee and its files, and a dossier taken through DOET, DOHA and the council to the
//! Chairman's decision.

use crate::support::{Client, Engine, unit_id};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use thidua_app::ports::{PageRequest, PersonSort};
use thidua_domain::access::{Action, Role};

/// The record a route acts on, which says whose it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Target {
    Unit,
    Household,
    Person,
    Clan,
    User,
    /// A draft commendation dossier proposed by the village's ward, with one nominee.
    Batch,
    /// The village's ward (a reporting body, a proposer).
    Ward,
    /// An article the ward wrote (a draft).
    Article,
    /// A learning resource the ward shared.
    Resource,
    /// A household assessment of the village, recognised by the ward's decision.
    Assessment,
    /// The ward's recognition decision.
    TitleDecision,
    /// A file of the draft dossier.
    Document,
    /// The ward's dossier the Chairman decided on.
    DecidedBatch,
    /// The awarded nominee of that dossier (its certificate).
    Awarded,
    /// Records every officer reads, whatever the scope of the grant: the campaigns and the
    /// Chairman's decisions (public acts), and the role-wide pages (audit, import, users). An
    /// upload whose rows name the units (imports) is also here: the route needs the action
    /// somewhere, each row is scoped (the import cases below and `titles::a_ward_cannot…`).
    Anywhere,
    /// A deletion request about the village's citizen, registered at the ward.
    SubjectRequest,
    /// Records of the city as a whole (DOET's consolidated submissions, campaign settings, the
    /// Chairman's decisions' scans, criteria, the calendar, the city report): a grant over a
    /// ward never reaches them.
    City,
}

/// How far a grant reaches a target: inside the scope only, wherever the role holds, or only
/// from the city.
fn reaches(target: Target, city_grant: bool, inside: bool) -> bool {
    match target {
        Target::Anywhere => true,
        Target::City => city_grant,
        _ => city_grant || inside,
    }
}

pub(crate) use crate::matrix_cases::ROUTES;

/// A small, valid PDF: the file every upload of the matrix carries.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// The records of one side (inside or outside the matrix users' ward).
struct Ids {
    unit: i64,
    household: i64,
    person: i64,
    clan: i64,
    user: i64,
    batch: i64,
    nominee: i64,
    ward: i64,
    article: i64,
    resource: i64,
    assessment: i64,
    title_decision: i64,
    document: i64,
    decided_batch: i64,
    awarded: i64,
    consolidation: i64,
    award_decision: i64,
    own_decision: i64,
    subject_request: i64,
    campaign: i64,
    set: i64,
    unit_code: String,
    ward_code: String,
}

impl Ids {
    /// The id a route's `{id}` stands for (0 for targets named by other placeholders).
    fn of(&self, t: Target) -> i64 {
        match t {
            Target::Unit => self.unit,
            Target::Household => self.household,
            Target::Person => self.person,
            Target::Clan => self.clan,
            Target::User => self.user,
            Target::Batch => self.batch,
            Target::Ward => self.ward,
            Target::Article => self.article,
            Target::Resource => self.resource,
            Target::Assessment => self.assessment,
            Target::TitleDecision => self.title_decision,
            Target::Document => self.document,
            Target::DecidedBatch => self.decided_batch,
            Target::Awarded => self.awarded,
            Target::SubjectRequest => self.subject_request,
            Target::Anywhere | Target::City => 0,
        }
    }

    /// The route's path or body with this side's records in place of the placeholders.
    fn fill(&self, template: &str, target: Target) -> String {
        let pairs: [(&str, String); 14] = [
            ("{id}", self.of(target).to_string()),
            ("{kind}", "households".to_string()),
            ("{unit}", self.unit.to_string()),
            ("{ward}", self.ward.to_string()),
            ("{ward_code}", self.ward_code.clone()),
            ("{unit_code}", self.unit_code.clone()),
            ("{set}", self.set.to_string()),
            ("{batch}", self.batch.to_string()),
            ("{nominee}", self.nominee.to_string()),
            ("{campaign}", self.campaign.to_string()),
            ("{consolidation}", self.consolidation.to_string()),
            ("{award_decision}", self.award_decision.to_string()),
            ("{own_decision}", self.own_decision.to_string()),
            ("{decided_batch}", self.decided_batch.to_string()),
        ];
        pairs.iter().fold(template.to_string(), |s, (k, v)| s.replace(k, v))
    }
}

/// 1 May 2030, 09:00 in Hanoi.
const MAY_2030: time::OffsetDateTime = time::macros::datetime!(2030-05-01 02:00 UTC);

async fn ids(app: &thidua_app::App, village: &str) -> Ids {
    use thidua_app::commendation::{DecisionInput, ForwardInput, NewBatch, NewNominee, StepInput};
    use thidua_app::titles::{DecisionForm, SheetTarget};
    use thidua_domain::commendation::eligibility::DocKind;
    use thidua_domain::commendation::workflow::Step;
    let admin = crate::support::actor(app, "admin").await;
    let unit = unit_id(app, village).await;
    let household = app.households(&admin, Some(unit), None, PageRequest::new(1, 1)).await.expect("q").items[0].id;
    let person = app.people(&admin, Some(unit), None, None, PersonSort::Name, PageRequest::new(1, 1)).await.expect("q").items[0].id;
    let form = thidua_app::subject_requests::RequestForm {
        person_id: person,
        kind: "deletion".into(),
        channel: "desk".into(),
        received_on: "28/04/2030".into(),
        detail: String::new(),
    };
    let subject_request = app.register_subject_request(&admin, form).await.expect("request");
    // A clan whose home is this village, so that its scope is the village's.
    let clan = app
        .create_clan(
            &admin,
            thidua_app::ports::ClanInput {
                code: format!("DH-{village}"),
                name: format!("Dòng họ thử {village}"),
                unit_id: unit,
                representative_name: None,
                villages: vec![unit],
            },
        )
        .await
        .expect("clan");
    let user = app
        .create_user(None, &format!("nguoi.{}", village.to_lowercase()), "Người dùng thử", crate::support::PASSWORD, unit)
        .await
        .expect("user");
    let snap = app.snapshot().await.expect("tree");
    let ward = snap.units[&unit].parent_id.expect("the village's ward");
    let (unit_code, ward_code) = (snap.units[&unit].code.clone(), snap.units[&ward].code.clone());
    // The village's households assessed for 2029 and recognised by the ward.
    let set = crate::titles::household_set(app).await;
    let table = crate::titles::sheet(app, set, unit, 0).await;
    let target = SheetTarget { criteria_set: set, year: 2029, stage: thidua_domain::titles::Stage::Verified };
    app.import_assessments(&admin, target, &table, &crate::titles::file(), false).await.expect("assessments");
    let form = DecisionForm {
        criteria_set: set,
        year: 2029,
        issuing_unit: ward,
        number: format!("3/QĐ-{ward_code}"),
        signed_on: time::macros::date!(2030 - 01 - 15),
        signer: "Vũ Văn Hùng".into(),
        signer_title: "Chủ tịch".into(),
        only: None,
    };
    let title_decision = app.issue_decision(&admin, form).await.expect("decision");
    let assessment = app.decision(&admin, title_decision).await.expect("decision").items[0].record.id;
    let campaign =
        app.campaigns(&admin).await.expect("campaigns").into_iter().find(|c| c.row.code == "tong-ket-2030").expect("2030").row.id;
    let version = |id: i64| async move { app.store().batch(id).await.expect("q").expect("batch").version };
    // A dossier of the ward for the final review, with its files and one recognised household.
    let dossier_at = |level: &'static str, number: String, code: String| {
        let admin = admin.clone();
        async move {
            let input = NewBatch { campaign_id: campaign, level: level.into(), proposer_unit: ward, number, summary: String::new() };
            let batch = app.create_batch(&admin, input).await.expect("batch");
            let mut document = 0;
            for kind in [DocKind::ToTrinh, DocKind::BienBan] {
                document = app.upload_document(&admin, batch, version(batch).await, None, kind, "to-trinh.pdf", PDF).await.expect("upload");
            }
            let nominee = NewNominee {
                subject_type: "household".into(),
                code,
                position: String::new(),
                achievement: "Gia đình nhiều năm liền học tập tốt.".into(),
                cites_initiative: false,
                external: None,
            };
            let nominee = app.add_nominee(&admin, batch, version(batch).await, nominee).await.expect("nominee");
            let kind = DocKind::BaoCaoThanhTich;
            app.upload_document(&admin, batch, version(batch).await, Some(nominee), kind, "bao-cao.pdf", PDF).await.expect("report");
            (batch, nominee, document)
        }
    };
    let dossier = |number: String, code: String| dossier_at("bang_khen_ubnd_tp", number, code);
    let (batch, nominee, document) = dossier(format!("1/TTr-{ward_code}"), table.rows[0][1].clone()).await;
    // A second one taken to the Chairman's decision.
    let (decided_batch, awarded, _) = dossier(format!("2/TTr-{ward_code}"), table.rows[1][1].clone()).await;
    // A Giấy khen the ward's own Chairman decided.
    let (own_batch, _, _) = dossier_at("giay_khen", format!("3/TTr-{ward_code}"), table.rows[2][1].clone()).await;
    let own = thidua_app::commendation::OwnDecisionInput {
        batch_id: own_batch,
        version: version(own_batch).await,
        number: format!("5/QĐ-{ward_code}"),
        signed_on: time::macros::date!(2030 - 04 - 28),
        signer: "Vũ Văn Hùng".into(),
        signer_title: "Chủ tịch UBND phường".into(),
        refused: vec![],
    };
    let own_decision = app.decide_own(&admin, own).await.expect("the ward's own decision");
    let step = |s: Step, comment: &str| {
        let (admin, comment) = (admin.clone(), comment.to_string());
        async move {
            let input = StepInput { comment, ..StepInput::default() };
            app.take_step(&admin, decided_batch, version(decided_batch).await, s, input).await.expect("step");
        }
    };
    step(Step::Submit, "").await;
    step(Step::DoetAccept, "").await;
    let forward = ForwardInput {
        campaign_id: campaign,
        level: "bang_khen_ubnd_tp".into(),
        batches: vec![(decided_batch, version(decided_batch).await)],
        number: format!("9/TTr-SGDĐT-{ward_code}"),
        signed_on: time::macros::date!(2030 - 04 - 20),
    };
    let consolidation = app.forward(&admin, forward).await.expect("forward");
    step(Step::DohaAccept, "").await;
    let decision = DecisionInput {
        campaign_id: campaign,
        level: "bang_khen_ubnd_tp".into(),
        batches: vec![(decided_batch, version(decided_batch).await)],
        number: format!("44/QĐ-UBND-{ward_code}"),
        signed_on: time::macros::date!(2030 - 04 - 28),
        signer: "Trần Sỹ Thanh".into(),
        signer_title: "Chủ tịch".into(),
        refused: vec![],
    };
    let award_decision = app.record_decision(&admin, decision).await.expect("decided").expect("a decision");
    app.upload_decision_scan(&admin, award_decision, PDF).await.expect("scan");
    use thidua_domain::publications::{ArticleKind, ArticleText, ResourceText};
    let text = ArticleText {
        title: format!("Mô hình thử {village}"),
        body: "Nội dung bài viết thử về mô hình học tập của tổ dân phố, đủ dài để được nhận: một trăm ký tự trở lên là điều kiện.".into(),
        ..ArticleText::default()
    };
    let input = thidua_app::publications::ArticleInput { unit: ward, kind: ArticleKind::Model, text };
    let article = app.save_article(&admin, 0, 0, &input, Some(&crate::support::png(8, 8))).await.expect("article");
    let link = ResourceText {
        title: format!("Học liệu thử {village}"),
        topic: "ky-nang-song".into(),
        level: "moi-lua-tuoi".into(),
        url: "https://hanoi.edu.vn/hoc-lieu".into(),
        ..ResourceText::default()
    };
    let resource = app.add_resource(&admin, ward, &link, None).await.expect("resource");
    Ids {
        unit,
        household,
        person,
        clan,
        user,
        batch,
        nominee,
        ward,
        article,
        resource,
        assessment,
        title_decision,
        document,
        decided_batch,
        awarded,
        consolidation,
        award_decision,
        own_decision,
        subject_request,
        campaign,
        set,
        unit_code,
        ward_code,
    }
}

/// Sends one route. `body_fails` sends an upload whose body breaks after its first bytes: a
/// route that reads the file before deciding permission answers that error, not 403.
async fn request(c: &mut Client, method: &str, path: &str, body: &str, body_fails: bool) -> StatusCode {
    let mut b = Request::builder().method(method).uri(path);
    let bytes: Vec<u8> = if method == "GET" {
        Vec::new()
    } else if let Some(fields) = body.strip_prefix('@') {
        let boundary = "matrixBOUNDARY7MA4YWxk";
        b = b.header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
        let mut out = Vec::new();
        let csrf = format!("_csrf={}", c.csrf);
        for pair in fields.split('&').filter(|p| !p.is_empty()).chain([csrf.as_str()]) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={v}")).expect("field")[0].1.clone();
            out.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
        }
        out.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tep.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        out.extend(PDF);
        out.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        out
    } else if body.starts_with('!') {
        b = b.header(header::CONTENT_TYPE, "application/octet-stream").header("x-csrf-token", c.csrf.clone());
        PDF.to_vec()
    } else if path.starts_with("/api/") {
        b = b.header(header::CONTENT_TYPE, "application/json").header("x-csrf-token", c.csrf.clone());
        body.as_bytes().to_vec()
    } else {
        b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        format!("{body}&_csrf={}", c.csrf).into_bytes()
    };
    let body = if body_fails && !bytes.is_empty() {
        let head = axum::body::Bytes::copy_from_slice(&bytes[..bytes.len().min(16)]);
        let broken = std::io::Error::other("the matrix breaks this body: it must not be read before permission is decided");
        Body::from_stream(futures_util::stream::iter([Ok(head), Err(broken)]))
    } else {
        Body::from(bytes)
    };
    c.send(b.body(body).expect("request")).await.status
}

#[tokio::test]
async fn every_route_answers_every_role_inside_and_outside_its_scope() {
    for engine in crate::support::engines() {
        every_route_on(engine).await;
    }
}

/// A user the matrix signs in as: the role, held over the ward or the city, directly or by
/// delegation.
struct Subject {
    role: Role,
    username: String,
    city: bool,
}

/// The users the matrix signs in as, for a role held over `unit`: one holding it, and one to
/// whom a colleague of the same office delegated it (a delegated grant must open exactly what the
/// grant opens). Administration is never delegated.
async fn holders_of(app: &thidua_app::App, role: Role, unit: i64, city: bool) -> Vec<Subject> {
    let at = if city { "tp" } else { "phuong" };
    let username = format!("matrix_{at}_{}", role.code());
    let id = app.create_user(None, &username, "Người kiểm thử", crate::support::PASSWORD, unit).await.expect("user");
    app.grant(None, id, role, unit, true).await.expect("grant");
    let mut out = vec![Subject { role, username, city }];
    if role == Role::SystemAdmin {
        return out;
    }
    let deputy = format!("matrix_{at}_{}_pho", role.code());
    app.create_user(None, &deputy, "Cấp phó kiểm thử", crate::support::PASSWORD, unit).await.expect("deputy");
    let holder = app.actor(id).await.expect("actor");
    app.delegate(&holder, &deputy, 0, MAY_2030 - time::Duration::minutes(1), MAY_2030 + time::Duration::days(30)).await.expect("delegated");
    out.push(Subject { role, username: deputy, city });
    out
}

async fn every_route_on(engine: Engine) {
    let (app, _db, _clock) = crate::support::demo_app_at(engine, MAY_2030).await;
    let ward = unit_id(&app, "P-BADINH").await;
    let city = app.snapshot().await.expect("tree").roots()[0];
    let inside = ids(&app, "BD-TDP01").await;
    let outside = ids(&app, "CG-TDP01").await;
    // The route table says who may call each route: it must agree with the cases below, and
    // every route that is not public must turn away a caller who is not signed in.
    let mut failures = crate::routes::table_and_matrix_agree();
    failures.extend(crate::routes::anonymous_callers_on(app.clone()).await);
    let mut checked = 0;
    let mut subjects = Vec::new();
    for role in Role::ALL {
        subjects.extend(holders_of(&app, role, ward, false).await);
        subjects.extend(holders_of(&app, role, city, true).await);
    }
    for Subject { role, username, city } in subjects {
        let mut c = Client::new(app.clone());
        c.login(&username).await;
        for (method, template, action, target, body) in ROUTES {
            for (scope, ids) in [("inside", &inside), ("outside", &outside)] {
                let path = ids.fill(template, *target);
                let allowed = role.allows(*action) && reaches(*target, city, scope == "inside");
                // Who may not upload must be refused before the file is read: the upload breaks
                // if read, except where the record is named in the form itself (it must be read
                // to know). A small form carries its CSRF token, so it is always read.
                let upload = body.starts_with(['@', '!']);
                let named_in_body = !template.contains("{id}") && !matches!(target, Target::City | Target::Anywhere);
                let body_fails = upload && !allowed && (!role.allows(*action) || !named_in_body);
                let status = request(&mut c, method, &path, &ids.fill(body, *target), body_fails).await;
                let ok =
                    if allowed { status != StatusCode::FORBIDDEN && !status.is_server_error() } else { status == StatusCode::FORBIDDEN };
                checked += 1;
                if !ok {
                    failures.push(format!(
                        "{engine:?} {username} ({role:?}) {method} {path} ({scope}): {status}, expected {}",
                        if allowed { "allowed" } else { "403" }
                    ));
                }
            }
        }
        if !city {
            // Lists without a unit filter never show what is outside the scope.
            let admin = crate::support::actor(&app, "admin").await;
            let other = app.household(&admin, outside.household).await.expect("h");
            let link = format!("/households/{}\"", other.id);
            for path in [
                "/households",
                "/people?q=a",
                &format!("/search?q={}", other.code),
                &format!("/search?q={}", serde_urlencoded::to_string([("", &other.head_name)]).unwrap_or_default().trim_start_matches('=')),
            ] {
                let r = c.get(path).await;
                checked += 1;
                if r.text().contains(&link) {
                    failures.push(format!("{role:?} GET {path} leaked household {}", other.code));
                }
            }
            for path in ["/api/v1/households?per_page=500", &format!("/api/v1/households?q={}", other.code)] {
                let r = c.get(path).await;
                checked += 1;
                if r.text().contains(&other.code) {
                    failures.push(format!("{role:?} GET {path} leaked {}", other.code));
                }
            }
        }
        let status = c.get("/calendar?year=2031").await.status;
        checked += 1;
        if status != StatusCode::OK {
            failures.push(format!("{role:?} GET /calendar: {status}"));
        }
        // Import into a village inside and outside the scope: the rows decide.
        for (scope, code) in [("inside", "BD-TDP01"), ("outside", "CG-TDP01")] {
            let csv = format!("Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ\nHGD-MTX-{},{code},Phan Văn Thử\n", role.code().to_uppercase());
            let req = Request::post("/api/v1/import/households?dry_run=true")
                .header("x-csrf-token", c.csrf.clone())
                .body(Body::from(csv))
                .expect("req");
            let status = c.send(req).await.status;
            checked += 1;
            let allowed = role.allows(Action::ImportRegistry) && (city || scope == "inside");
            let expected_denial =
                if role.allows(Action::ImportRegistry) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::FORBIDDEN };
            if (allowed && status != StatusCode::OK) || (!allowed && status != expected_denial) {
                failures.push(format!("{role:?} {username} import {scope}: {status}"));
            }
        }
    }
    assert!(checked > 2000, "only {checked} cases");
    assert!(failures.is_empty(), "{} of {checked} cases wrong:\n{}", failures.len(), failures.join("\n"));
}
