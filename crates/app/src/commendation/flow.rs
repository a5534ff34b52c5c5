//! The appraisal flow: one step on a dossier, DOET's consolidation, the Chairman's decision,
//! the queue of what waits for whom.

use super::*;

/// The outcome of each still-proposed nominee under a decision: refused with its reason, or
/// awarded with the reward of the decision's date — its coefficient that of `rules_on` (Decree
/// 152/2025 Art. 60(3): the day before the new decree for a dossier sent upward before it).
/// Returns (awarded, total reward).
fn decide_nominees(
    t: &mut Transition,
    nominees: &[NomineeRow],
    refused: &[(i64, String)],
    level: &str,
    (on, rules_on): (Date, Date),
) -> AppResult<(i64, i64)> {
    let (mut awarded, mut total) = (0i64, 0i64);
    for n in nominees.iter().filter(|n| n.outcome == Outcome::Proposed) {
        match refused.iter().find(|r| r.0 == n.id) {
            Some((_, reason)) => t.outcomes.push((n.id, Outcome::Refused.code().into(), Some(clean(reason)), None)),
            None => {
                let reward = awards()?.reward_under(level, class_of(n), on, rules_on).map(|a| a.vnd);
                awarded += 1;
                total += reward.unwrap_or(0);
                t.outcomes.push((n.id, Outcome::Awarded.code().into(), None, reward));
            }
        }
    }
    Ok((awarded, total))
}

/// A dossier's move by a decision (or the proposal upward), noted with the decision's number.
fn decision_move(
    (batch_id, expected_version): (i64, i64),
    step: Step,
    (from, to): (State, State),
    (number, on): (&str, Date),
    (nominees, docs): (&[NomineeRow], &[DocumentRow]),
) -> BatchMove {
    BatchMove {
        batch_id,
        expected_version,
        step: step.code().into(),
        from_state: from.code().into(),
        to_state: to.code().into(),
        comment: format!("Quyết định số {} ngày {}", clean(number), dates::format_dmy(on)),
        snapshot: App::snapshot_json(nominees, docs),
        comments: vec![],
        join_consolidation: false,
        join_decision: step != Step::ProposeUpward,
        submitted: false,
    }
}

/// The decision to record: (campaign, level, issuing body), (number, date, signer, title).
fn decision_row(
    actor: &Actor,
    (campaign_id, level, issuer_unit_id): (i64, &str, i64),
    (number, signed_on, signer, signer_title): (&str, Date, &str, &str),
    central: bool,
    (awarded, reward_vnd): (i64, i64),
    at_ms: i64,
) -> AppResult<AwardDecisionRow> {
    let (number, signer, signer_title) = (
        crate::error::field(thidua_domain::limits::Field::Short, "Số quyết định", number)?,
        crate::error::field(thidua_domain::limits::Field::PersonName, "Người ký", signer)?,
        crate::error::field(thidua_domain::limits::Field::Short, "Chức vụ người ký", signer_title)?,
    );
    if number.is_empty() || signer.is_empty() || signer_title.is_empty() {
        return Err(AppError::Invalid("Hãy ghi số quyết định, người ký và chức vụ.".into()));
    }
    Ok(AwardDecisionRow {
        id: 0,
        campaign_id,
        issuer_unit_id,
        level: level.into(),
        number,
        signed_on,
        signer,
        signer_title,
        central,
        scan_sha256: None,
        awarded,
        reward_vnd,
        created_at_ms: at_ms,
        created_by: actor.username.clone(),
    })
}

impl App {
    pub(super) fn snapshot_json(nominees: &[NomineeRow], docs: &[DocumentRow]) -> String {
        json!({
            "nominees": nominees.iter().map(|n| json!({"id": n.id, "name": n.name, "kind": n.kind, "outcome": n.outcome, "achievement": n.achievement, "position": n.position})).collect::<Vec<_>>(),
            "documents": docs.iter().filter(|d| d.current).map(|d| json!({"id": d.id, "nominee": d.nominee_id, "kind": d.kind, "file": d.file_name, "sha256": d.sha256})).collect::<Vec<_>>(),
        })
        .to_string()
    }

    /// One step on one dossier: submit, withdraw, DOET's return or acceptance, DOHA's return or
    /// acceptance, the council's recommendation.
    pub async fn take_step(&self, actor: &Actor, batch_id: i64, expected_version: i64, step: Step, input: StepInput) -> AppResult<()> {
        if matches!(step, Step::Forward | Step::Decide | Step::ProposeUpward | Step::RecordCentral | Step::DecideOwn) {
            return Err(AppError::Invalid("Bước này ghi bằng văn bản của nó (tờ trình tổng hợp, quyết định), không ghi ở đây.".into()));
        }
        let batch = self.store.batch(batch_id).await?.ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, step.action(), batch.proposer_unit_id).await?;
        let from = batch.state;
        let campaign = self.campaign(actor, batch.campaign_id).await?;
        let to = workflow::next(from, step, route_of(&batch.level, &campaign.campaign)?).map_err(AppError::Invalid)?;
        let comment = crate::error::field(thidua_domain::limits::Field::FreeText, "Ý kiến", &input.comment)?;
        if step.needs_comment() && comment.is_empty() && input.comments.iter().all(|c| c.2.trim().is_empty()) {
            return Err(AppError::Invalid(format!("«{}» cần ghi lý do hoặc nội dung cần sửa.", step.label_vi())));
        }
        let nominees = self.store.nominees(batch_id).await?;
        let docs = self.store.documents(batch_id).await?;
        let live: Vec<&NomineeRow> = nominees.iter().filter(|n| n.outcome != Outcome::Dropped).collect();
        // A comment names a nominee of this dossier and, if any, one of its current documents
        // (the document's nominee is taken from the document itself).
        let mut comments = Vec::new();
        for (n, d, c) in input.comments.iter().filter(|c| !c.2.trim().is_empty()) {
            if n.is_some_and(|n| !live.iter().any(|x| x.id == n)) {
                return Err(AppError::NotFound);
            }
            let n = match d {
                Some(d) => docs.iter().find(|x| x.id == *d && x.current).ok_or(AppError::NotFound)?.nominee_id,
                None => *n,
            };
            comments.push((n, *d, clean(c)));
        }
        let mut t = Transition { actor: actor.username.clone(), at_ms: self.now_ms(), ..Transition::default() };
        let snap = self.snapshot().await?;
        let proposer = snap.units.get(&batch.proposer_unit_id).cloned().ok_or(AppError::NotFound)?;
        // Who proposes on the day of the step: a unit the plan does not name is refused at
        // submission (a ward before the reform, a school), with who proposes for it.
        let rule = match (step, city_proposer(&snap, &proposer, self.today())) {
            (Step::Submit, Err(e)) => return Err(e),
            (_, r) => r.ok(),
        };
        let quota = match rule.map(|r| campaign.campaign.quota_for(&batch.level, r.quota, &proposer.code, r.allocated)) {
            Some(QuotaFor::Cap(q)) => Some(q.shape),
            Some(QuotaFor::NotAllocated) if step == Step::Submit => {
                return Err(AppError::Invalid(not_allocated(&proposer.name, &campaign)));
            }
            _ => None,
        };
        let quota_change = |nominees: &[&NomineeRow], add: bool| QuotaChange {
            campaign_id: batch.campaign_id,
            level: batch.level.clone(),
            proposer_unit_id: batch.proposer_unit_id,
            counts: counts(nominees),
            cap: cap_of(quota),
            add,
        };
        match step {
            Step::Submit => {
                if live.is_empty() {
                    return Err(AppError::Invalid("Danh sách đề nghị chưa có ai.".into()));
                }
                let deadline = self.deadline(&batch, &campaign.campaign).await?;
                if let (true, Some(due_before)) = (deadline.late, deadline.due_before) {
                    return Err(AppError::Invalid(format!(
                        "Đã quá hạn gửi hồ sơ (trước ngày {}{}; {}). Sở GD&ĐT có thể gia hạn cho đơn vị.",
                        dates::format_dmy(due_before),
                        deadline.extension.map(|e| format!(", gia hạn đến trước ngày {}", dates::format_dmy(e))).unwrap_or_default(),
                        deadline.basis
                    )));
                }
                let live_rows: Vec<NomineeRow> = live.iter().map(|n| (*n).clone()).collect();
                let route = route_of(&batch.level, &campaign.campaign)?;
                let reference = campaign.campaign.reference_day(&batch.level, route, &self.calendar().await?);
                let facts = self.facts(&batch, &live_rows, &docs, reference).await?;
                let rules = rules()?;
                let mut problems = Vec::new();
                for (n, f) in live.iter().zip(facts) {
                    for finding in rules.check(reference, &f).into_iter().filter(|x| x.severity == eligibility::Severity::Block) {
                        problems.push(format!("{}: {}", n.name, finding.message));
                    }
                }
                let present: Vec<DocKind> =
                    docs.iter().filter(|d| d.current && d.nominee_id.is_none()).filter_map(|d| DocKind::parse(&d.kind)).collect();
                problems.extend(rules.batch_findings(&present, reference).into_iter().map(|f| format!("Hồ sơ: {}", f.message)));
                if !problems.is_empty() {
                    return Err(AppError::Invalid(format!("Chưa gửi được hồ sơ:\n{}", problems.join("\n"))));
                }
                t.quota.push(quota_change(&live, true));
                // A nominee from outside the registry has no subject to claim.
                t.claim = live.iter().filter(|n| n.origin.is_none()).map(|n| Claim::of(batch.campaign_id, &batch.level, n)).collect();
            }
            Step::Withdraw | Step::DoetReturn if from.holds_quota() => {
                t.quota.push(quota_change(&live, false));
                t.release = live.iter().map(|n| n.id).collect();
            }
            _ => {}
        }
        if !input.drops.is_empty() {
            if !matches!(step, Step::DoetAccept | Step::DohaAccept) {
                return Err(AppError::Invalid("Chỉ bỏ đối tượng khi thẩm định đạt hồ sơ.".into()));
            }
            let mut dropped = Vec::new();
            for (id, reason) in &input.drops {
                let n = live.iter().find(|n| n.id == *id).ok_or(AppError::NotFound)?;
                let reason = clean(reason);
                if reason.is_empty() {
                    return Err(AppError::Invalid(format!("Hãy ghi lý do không trình «{}».", n.name)));
                }
                t.outcomes.push((*id, Outcome::Dropped.code().into(), Some(reason), None));
                dropped.push(*n);
            }
            if dropped.len() == live.len() {
                return Err(AppError::Invalid("Không thể bỏ mọi đối tượng: hãy trả lại hồ sơ.".into()));
            }
            t.quota.push(quota_change(&dropped, false));
            t.release.extend(dropped.iter().map(|n| n.id));
        }
        t.moves.push(BatchMove {
            batch_id,
            expected_version,
            step: step.code().into(),
            from_state: from.code().into(),
            to_state: to.code().into(),
            comment: comment.clone(),
            snapshot: App::snapshot_json(&nominees, &docs),
            comments,
            join_consolidation: false,
            join_decision: false,
            submitted: step == Step::Submit,
        });
        let draft = self.audit_new(
            actor,
            &via,
            &format!("batch.{}", step.code()),
            "nomination_batch",
            batch_id,
            batch.proposer_unit_id,
            json!({"from": from.code(), "to": to.code(), "comment": comment, "drops": input.drops.len()}),
        );
        self.store.transition(&t, vec![draft]).await.map_err(|e| refusal(e, quota))?;
        Ok(())
    }

    /// DOET sends the accepted dossiers of a campaign and level to DOHA in one consolidated
    /// submission (tờ trình of DOET).
    pub async fn forward(&self, actor: &Actor, input: ForwardInput) -> AppResult<i64> {
        let number = crate::error::field(thidua_domain::limits::Field::Short, "Số văn bản", &input.number)?;
        if number.is_empty() || input.batches.is_empty() {
            return Err(AppError::Invalid("Hãy ghi số tờ trình của Sở GD&ĐT và chọn ít nhất một hồ sơ.".into()));
        }
        let mut t = Transition { actor: actor.username.clone(), at_ms: self.now_ms(), ..Transition::default() };
        let mut drafts = Vec::new();
        let mut route = None;
        for (id, version) in &input.batches {
            let b = self.store.batch(*id).await?.ok_or(AppError::NotFound)?;
            let via = self.authorize(actor, Action::AppraiseDoet, b.proposer_unit_id).await?;
            if b.campaign_id != input.campaign_id || b.level != input.level {
                return Err(AppError::Invalid(format!("Hồ sơ {} thuộc đợt hoặc hình thức khác.", b.number)));
            }
            let route = match route {
                Some(r) => r,
                None => *route.insert(route_of(&input.level, &self.campaign(actor, input.campaign_id).await?.campaign)?),
            };
            let from = b.state;
            let to = workflow::next(from, Step::Forward, route).map_err(|e| AppError::Invalid(format!("{}: {e}", b.number)))?;
            let nominees = self.store.nominees(*id).await?;
            let docs = self.store.documents(*id).await?;
            t.moves.push(BatchMove {
                batch_id: *id,
                expected_version: *version,
                step: Step::Forward.code().into(),
                from_state: from.code().into(),
                to_state: to.code().into(),
                comment: format!("Tờ trình số {number} ngày {}", dates::format_dmy(input.signed_on)),
                snapshot: App::snapshot_json(&nominees, &docs),
                comments: vec![],
                join_consolidation: true,
                join_decision: false,
                submitted: false,
            });
            drafts.push(self.audit_new(
                actor,
                &via,
                "batch.forward",
                "nomination_batch",
                id,
                b.proposer_unit_id,
                json!({"number": number}),
            ));
        }
        t.new_consolidation = Some(ConsolidationRow {
            id: 0,
            campaign_id: input.campaign_id,
            level: input.level.clone(),
            number,
            signed_on: input.signed_on,
            created_at_ms: t.at_ms,
            created_by: actor.username.clone(),
        });
        let (consolidation, _) = self.store.transition(&t, drafts).await?;
        consolidation.ok_or_else(|| AppError::Storage(StorageError::Corrupt("consolidation".into())))
    }

    /// The nominees still proposed in dossiers the actor may decide on, by dossier, so that the
    /// decision form can refuse some of them with a reason.
    pub async fn decision_candidates(&self, actor: &Actor, batches: &[i64]) -> AppResult<Vec<NomineeRow>> {
        let root = self.snapshot().await?.roots().first().copied().ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::Decide, root).await?;
        let mut rows: Vec<NomineeRow> =
            self.store.nominees_of_batches(batches).await?.into_iter().filter(|n| n.outcome == Outcome::Proposed).collect();
        rows.sort_by(|a, b| {
            (a.batch_id, thidua_domain::text::name_sort_key(&a.name)).cmp(&(b.batch_id, thidua_domain::text::name_sort_key(&b.name)))
        });
        Ok(rows)
    }

    /// The Chairman's office records the decision over dossiers before the Chairman: the awarded
    /// list is every live nominee except those refused. For a state-level award this records the
    /// proposal upward (no decision) or, once proposed, the central level's decision.
    pub async fn record_decision(&self, actor: &Actor, input: DecisionInput) -> AppResult<Option<i64>> {
        let mut t = Transition { actor: actor.username.clone(), at_ms: self.now_ms(), ..Transition::default() };
        let mut drafts = Vec::new();
        let (mut awarded, mut total) = (0i64, 0i64);
        let mut step_taken = None;
        let mut route = None;
        for (id, version) in &input.batches {
            let b = self.store.batch(*id).await?.ok_or(AppError::NotFound)?;
            // Who may, before anything about the dossier is said (each of the steps is the
            // Chairman's office's).
            let via = self.authorize(actor, Action::Decide, b.proposer_unit_id).await?;
            if b.campaign_id != input.campaign_id || b.level != input.level {
                return Err(AppError::Invalid(format!("Hồ sơ {} thuộc đợt hoặc hình thức khác.", b.number)));
            }
            let route = match route {
                Some(r) => r,
                None => *route.insert(route_of(&input.level, &self.campaign(actor, input.campaign_id).await?.campaign)?),
            };
            let from = b.state;
            let step = match (route, from) {
                (Route::State, State::AtChairman) => Step::ProposeUpward,
                (Route::State, _) => Step::RecordCentral,
                (Route::City { .. }, _) => Step::Decide,
                (Route::OwnHead, _) => {
                    return Err(AppError::Invalid(format!(
                        "{}: Giấy khen do thủ trưởng đơn vị đề nghị quyết định, ghi trên hồ sơ.",
                        b.number
                    )));
                }
            };
            if step_taken.is_some_and(|s| s != step) {
                return Err(AppError::Invalid("Các hồ sơ đang ở các bước khác nhau.".into()));
            }
            step_taken = Some(step);
            debug_assert_eq!(step.action(), Action::Decide);
            let to = workflow::next(from, step, route).map_err(|e| AppError::Invalid(format!("{}: {e}", b.number)))?;
            let nominees = self.store.nominees(*id).await?;
            let docs = self.store.documents(*id).await?;
            if step != Step::ProposeUpward {
                let sent = if step == Step::RecordCentral { sent_upward_on(&self.store.batch_events(*id).await?) } else { None };
                let (rules_on, _) = transitions()?.rules_day(sent, input.signed_on);
                let (a, r) = decide_nominees(&mut t, &nominees, &input.refused, &input.level, (input.signed_on, rules_on))?;
                awarded += a;
                total += r;
            }
            t.moves.push(decision_move((*id, *version), step, (from, to), (&input.number, input.signed_on), (&nominees, &docs)));
            drafts.push(self.audit_new(
                actor,
                &via,
                &format!("batch.{}", step.code()),
                "nomination_batch",
                id,
                b.proposer_unit_id,
                json!({"number": input.number, "refused": input.refused.len()}),
            ));
        }
        let step = step_taken.ok_or_else(|| AppError::Invalid("Hãy chọn ít nhất một hồ sơ.".into()))?;
        if step != Step::ProposeUpward {
            // The city's own decisions and the central results it records are in its register.
            let city = self.snapshot().await?.roots().first().copied().ok_or(AppError::NotFound)?;
            let signed = (input.number.as_str(), input.signed_on, input.signer.as_str(), input.signer_title.as_str());
            t.new_decision = Some(decision_row(
                actor,
                (input.campaign_id, &input.level, city),
                signed,
                step == Step::RecordCentral,
                (awarded, total),
                t.at_ms,
            )?);
        }
        let (_, decision) = self.store.transition(&t, drafts).await?;
        Ok(decision)
    }

    /// The proposing body records its own head's decision on its dossier (Giấy khen «theo thẩm
    /// quyền», seed III.3.2.c, III.3.3.c): under the body's own criteria and numbers, so no
    /// city quota, deadline or claim applies; the decision is in the body's own register.
    pub async fn decide_own(&self, actor: &Actor, input: OwnDecisionInput) -> AppResult<i64> {
        let b = self.store.batch(input.batch_id).await?.ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::AwardOwn, b.proposer_unit_id).await?;
        let campaign = self.campaign(actor, b.campaign_id).await?;
        let from = b.state;
        let to = workflow::next(from, Step::DecideOwn, route_of(&b.level, &campaign.campaign)?).map_err(AppError::Invalid)?;
        let nominees = self.store.nominees(b.id).await?;
        let docs = self.store.documents(b.id).await?;
        if !nominees.iter().any(|n| n.outcome == Outcome::Proposed) {
            return Err(AppError::Invalid("Danh sách đề nghị chưa có ai.".into()));
        }
        if let Some((id, _)) = input.refused.iter().find(|(id, _)| !nominees.iter().any(|n| n.id == *id && n.outcome == Outcome::Proposed))
        {
            return Err(AppError::Invalid(format!("Đối tượng {id} không có trong danh sách đề nghị của hồ sơ.")));
        }
        let mut t = Transition { actor: actor.username.clone(), at_ms: self.now_ms(), ..Transition::default() };
        let counts = decide_nominees(&mut t, &nominees, &input.refused, &b.level, (input.signed_on, input.signed_on))?;
        t.moves.push(decision_move(
            (b.id, input.version),
            Step::DecideOwn,
            (from, to),
            (&input.number, input.signed_on),
            (&nominees, &docs),
        ));
        let signed = (input.number.as_str(), input.signed_on, input.signer.as_str(), input.signer_title.as_str());
        t.new_decision = Some(decision_row(actor, (b.campaign_id, &b.level, b.proposer_unit_id), signed, false, counts, t.at_ms)?);
        let draft = self.audit_new(
            actor,
            &via,
            "batch.decide_own",
            "nomination_batch",
            b.id,
            b.proposer_unit_id,
            json!({"number": input.number, "signed_on": dates::format_dmy(input.signed_on), "refused": input.refused.len()}),
        );
        let (_, decision) = self.store.transition(&t, vec![draft]).await?;
        decision.ok_or_else(|| AppError::Storage(StorageError::Corrupt("award decision".into())))
    }

    /// Dossiers waiting for a step the actor can take, oldest first.
    pub async fn appraisal_queue(&self, actor: &Actor, campaign: Option<i64>, page: PageRequest) -> AppResult<Page<QueueItem>> {
        let snap = self.snapshot().await?;
        let scope = self.scope(actor, Action::ReadRegistry).await?;
        // Only the states in which one of the actor's roles has a step, so that a page is full.
        let now_t = self.clock.now();
        let roles: Vec<Role> = actor.grants.iter().filter(|g| g.active_at(now_t)).map(|g| g.role).collect();
        // The proposer's own steps (submit, withdraw, its head's decision) are not appraisal.
        let appraising = |st: &Step| !matches!(st, Step::Withdraw | Step::Submit | Step::DecideOwn);
        let routes = [Route::State, Route::City { council: false }, Route::City { council: true }];
        let waiting: Vec<String> = State::ALL
            .into_iter()
            .filter(|s| routes.iter().any(|r| workflow::available(*s, *r, &roles).iter().any(appraising)))
            .map(|s| s.code().to_string())
            .collect();
        if waiting.is_empty() {
            return Ok(Page::new(vec![], 0, &page));
        }
        let listed = self.store.batch_page(&scope, campaign, &waiting, page.clone()).await?;
        let total = listed.total;
        let batches = listed.items;
        let ids: Vec<i64> = batches.iter().map(|b| b.id).collect();
        let counts: HashMap<i64, usize> = self.store.nominee_counts(&ids).await?.into_iter().map(|(b, n)| (b, n as usize)).collect();
        let campaigns: HashMap<i64, Campaign> = self
            .store
            .campaign_rows()
            .await?
            .into_iter()
            .filter_map(|c| App::campaign_view(c).ok())
            .map(|v| (v.row.id, v.campaign))
            .collect();
        let now = self.now_ms();
        let mut out = Vec::new();
        for b in batches {
            let state = b.state;
            let award = awards()?.get(&b.level);
            let campaign = campaigns.get(&b.campaign_id);
            let (Some(a), Some(c)) = (award, campaign) else {
                return Err(AppError::Storage(StorageError::Corrupt(format!("dossier {}: campaign or award level «{}»", b.id, b.level))));
            };
            let roles = self.roles_for(actor, b.proposer_unit_id, &snap);
            let steps: Vec<Step> = workflow::available(state, c.route(a), &roles).into_iter().filter(appraising).collect();
            if steps.is_empty() {
                continue;
            }
            out.push(QueueItem {
                proposer: unit_name(&snap, b.proposer_unit_id),
                campaign: c.name.clone(),
                level_name: award.map(|a| a.name.clone()).unwrap_or_default(),
                nominees: counts.get(&b.id).copied().unwrap_or(0),
                waiting_days: (now - b.state_since_ms) / 86_400_000,
                steps,
                batch: b,
            });
        }
        Ok(Page::new(out, total, &page))
    }

    /// The dossiers of a campaign and level that DOET has accepted and not yet sent on (or that
    /// DOHA returned), with their versions: what «send all» forwards.
    pub async fn forwardable(&self, actor: &Actor, campaign: i64, level: &str) -> AppResult<Vec<(i64, i64)>> {
        let scope = self.scope(actor, Action::AppraiseDoet).await?;
        let states = [State::AcceptedByDoet, State::ReturnedByDoha].map(|s| s.code().to_string());
        Ok(self
            .store
            .batches(&scope, Some(campaign), &states)
            .await?
            .into_iter()
            .filter(|b| b.level == level)
            .map(|b| (b.id, b.version))
            .collect())
    }

    /// DOET's consolidated submission with every dossier in it, for the city-level readers
    /// (DOET, DOHA, the council, the Chairman's office).
    pub async fn consolidation_view(&self, actor: &Actor, id: i64) -> AppResult<ConsolidationView> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, root).await?;
        let row = self.store.consolidation(id).await?.ok_or(AppError::NotFound)?;
        let campaign = self.campaign(actor, row.campaign_id).await?;
        let batches: Vec<BatchRow> = self
            .store
            .batches(&Scope::All, Some(row.campaign_id), &[])
            .await?
            .into_iter()
            .filter(|b| b.consolidation_id == Some(id))
            .collect();
        let ids: Vec<i64> = batches.iter().map(|b| b.id).collect();
        let mut by_batch: HashMap<i64, Vec<NomineeRow>> = HashMap::new();
        for n in self.store.nominees_of_batches(&ids).await? {
            if n.outcome != Outcome::Dropped {
                by_batch.entry(n.batch_id).or_default().push(n);
            }
        }
        let mut groups = Vec::new();
        for b in batches {
            let unit = snap.units.get(&b.proposer_unit_id).cloned().ok_or(AppError::NotFound)?;
            let nominees = by_batch.remove(&b.id).unwrap_or_default();
            groups.push((b, unit, nominees));
        }
        groups.sort_by_cached_key(|g| thidua_domain::text::fold(&g.1.name));
        let level_name = awards()?.get(&row.level).map(|a| a.name.clone()).unwrap_or_default();
        Ok(ConsolidationView { row, campaign, level_name, groups })
    }

    /// The dossiers of the actor's own units.
    pub async fn my_batches(&self, actor: &Actor) -> AppResult<Vec<BatchRow>> {
        let scope = self.scope(actor, Action::Nominate).await?;
        Ok(self.store.batches(&scope, None, &[]).await?)
    }
}
