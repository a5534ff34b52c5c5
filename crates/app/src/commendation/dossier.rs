//! A proposer's dossier: opening it, its nominees with their eligibility facts, documents,
//! deadline and quota, and the page that shows it all.

use super::*;
use thidua_domain::commendation::procedure::Due;

impl App {
    /// A proposer opens a dossier for a campaign and award level.
    pub async fn create_batch(&self, actor: &Actor, input: NewBatch) -> AppResult<i64> {
        let via = self.authorize(actor, Action::Nominate, input.proposer_unit).await?;
        let snap = self.snapshot().await?;
        let unit = snap.units.get(&input.proposer_unit).ok_or(AppError::NotFound)?;
        if ProposerKind::of_node(unit.kind).is_none() {
            return Err(AppError::Invalid(format!(
                "«{}» không phải cơ quan, tổ chức hay xã, phường: hồ sơ do đơn vị quản lý đề nghị (Luật Thi đua, khen thưởng 2022, Điều 83).",
                unit.name
            )));
        }
        let view = self.campaign(actor, input.campaign_id).await?;
        if view.row.status != "open" {
            return Err(AppError::Invalid("Đợt khen thưởng đã đóng.".into()));
        }
        if !view.campaign.levels.contains(&input.level) {
            return Err(AppError::Invalid("Đợt này không có hình thức khen thưởng đã chọn.".into()));
        }
        // The city's and the state's awards come to DOET from the bodies the plan names.
        if route_of(&input.level, &view.campaign)? != Route::OwnHead {
            city_proposer(&snap, unit, self.today())?;
        }
        let (number, summary) = (
            crate::error::field(thidua_domain::limits::Field::Short, "Số tờ trình", &input.number)?,
            crate::error::field(thidua_domain::limits::Field::FreeText, "Trích yếu", &input.summary)?,
        );
        if number.is_empty() {
            return Err(AppError::Invalid("Hãy ghi số tờ trình (ví dụ 45/TTr-UBND).".into()));
        }
        let level_name = awards()?.get(&input.level).map(|a| a.name.clone()).unwrap_or_default();
        let summary = if summary.is_empty() { format!("Đề nghị tặng {level_name} — {}", view.campaign.name) } else { summary };
        let now = self.now_ms();
        let row = BatchRow {
            id: 0,
            campaign_id: input.campaign_id,
            level: input.level.clone(),
            proposer_unit_id: input.proposer_unit,
            number,
            summary,
            state: State::Draft,
            consolidation_id: None,
            decision_id: None,
            submitted_at_ms: None,
            state_since_ms: now,
            version: 1,
            created_at_ms: now,
            created_by: actor.username.clone(),
        };
        let draft = self.audit_new(
            actor,
            &via,
            "batch.create",
            "nomination_batch",
            0,
            input.proposer_unit,
            json!({"campaign": view.row.code, "level": input.level, "number": row.number}),
        );
        Ok(self.store.create_batch(&row, draft).await?)
    }

    /// The dossier, for anyone who may read its proposer's records.
    pub(super) async fn readable_batch(&self, actor: &Actor, id: i64) -> AppResult<BatchRow> {
        let b = self.store.batch(id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::ReadRegistry, b.proposer_unit_id).await?;
        Ok(b)
    }

    /// The facts of each live nominee, for the eligibility rules.
    pub(super) async fn facts(
        &self,
        batch: &BatchRow,
        nominees: &[NomineeRow],
        docs: &[DocumentRow],
        reference: Date,
    ) -> AppResult<Vec<Facts>> {
        let rules = rules()?;
        let subjects: Vec<(String, i64)> = nominees.iter().map(|n| (n.subject_type.clone(), n.subject_id)).collect();
        let names: Vec<String> = nominees.iter().map(|n| thidua_domain::text::fold(&n.name)).collect();
        let mut others: Vec<NomineeRow> = self
            .store
            .campaign_nominees(batch.campaign_id, &subjects, &names)
            .await?
            .into_iter()
            .filter(|o| o.batch_id != batch.id)
            .collect();
        // (proposer name, whether that dossier has been submitted) of each other dossier of the
        // same award level: a subject proposed for another level of the campaign is no duplicate
        // (issue 13 §8: the plan forbids none).
        let mut proposer_of: HashMap<i64, (String, bool)> = HashMap::new();
        let mut other_level: std::collections::HashSet<i64> = std::collections::HashSet::new();
        let snap = self.snapshot().await?;
        for o in &others {
            if proposer_of.contains_key(&o.batch_id) || other_level.contains(&o.batch_id) {
                continue;
            }
            if let Some(b) = self.store.batch(o.batch_id).await? {
                if b.level != batch.level {
                    other_level.insert(o.batch_id);
                    continue;
                }
                let submitted = b.state.holds_quota();
                proposer_of
                    .insert(o.batch_id, (snap.units.get(&b.proposer_unit_id).map(|u| u.name.clone()).unwrap_or_default(), submitted));
            }
        }
        others.retain(|o| !other_level.contains(&o.batch_id));
        let who = |batch: i64| proposer_of.get(&batch).cloned().unwrap_or_default();
        let mut out = Vec::new();
        // Each recognition decision and criteria set read once: (number, date), validity years.
        let mut decisions: HashMap<i64, (String, Date)> = HashMap::new();
        let mut validity: HashMap<i64, u8> = HashMap::new();
        for n in nominees {
            let kind = NomineeKind::parse(&n.kind);
            let mut titles = Vec::new();
            if let Some(rule) = kind.and_then(|k| rules.rule(k)).filter(|_| n.origin.is_none()) {
                // A unit's own titles, and its predecessors' where the rule counts them.
                let mut subjects: Vec<(i64, Option<String>)> = vec![(n.subject_id, None)];
                if n.subject_type == "unit" {
                    let counted = snap.tree.absorbed(n.subject_id).into_iter().filter(|a| rules.predecessors.counts(a.whole));
                    subjects.extend(counted.map(|a| (a.unit, snap.units.get(&a.unit).map(|u| u.name.clone()))));
                }
                let pairs: Vec<(String, i64, Option<String>)> =
                    rule.titles.iter().flat_map(|t| subjects.iter().map(|(s, p)| (t.clone(), *s, p.clone()))).collect();
                for (t, subject, predecessor) in pairs {
                    let t = &t;
                    for a in self.store.subject_assessments(t, subject).await? {
                        let Some(decision_id) = a.decision_id.filter(|_| a.input.passed && a.input.stage == "verified") else { continue };
                        if let std::collections::hash_map::Entry::Vacant(e) = decisions.entry(decision_id) {
                            let d = self.store.decision(decision_id).await?.ok_or_else(|| {
                                AppError::Storage(StorageError::Corrupt(format!(
                                    "recognition decision {decision_id} of assessment {}",
                                    a.id
                                )))
                            })?;
                            e.insert((d.number, d.signed_on));
                        }
                        if let std::collections::hash_map::Entry::Vacant(e) = validity.entry(a.input.criteria_set) {
                            e.insert(self.load_set(a.input.criteria_set).await?.set.validity_years);
                        }
                        let ((number, signed_on), years) = (&decisions[&decision_id], validity[&a.input.criteria_set]);
                        titles.push(eligibility::HeldTitle {
                            title: t.clone(),
                            year: i32::try_from(a.input.year).unwrap_or(0),
                            decision: number.clone(),
                            signed_on: *signed_on,
                            valid_until: eligibility::valid_until(*signed_on, years),
                            predecessor: predecessor.clone(),
                        });
                    }
                }
            }
            // A nominee from outside the registry has no identity to match: only its name warns.
            let same = |o: &&NomineeRow| n.origin.is_none() && o.subject_type == n.subject_type && o.subject_id == n.subject_id;
            // Submitted elsewhere blocks; still in another draft only warns (first to submit wins).
            let nominated_elsewhere = others.iter().filter(same).filter(|o| who(o.batch_id).1).map(|o| who(o.batch_id).0).collect();
            let folded = thidua_domain::text::fold(&n.name);
            let mut look_alikes: Vec<String> = others
                .iter()
                .filter(|o| !same(o) && o.subject_type == n.subject_type && thidua_domain::text::fold(&o.name) == folded)
                .filter(|o| o.birth_year.is_none() || n.birth_year.is_none() || o.birth_year == n.birth_year)
                .map(|o| {
                    let year = o.birth_year.map(|y| format!(" ({y})")).unwrap_or_default();
                    format!("{}{year}, {}", o.name, who(o.batch_id).0)
                })
                .collect();
            look_alikes.extend(
                others
                    .iter()
                    .filter(same)
                    .filter(|o| !who(o.batch_id).1)
                    .map(|o| format!("{} — đang có trong hồ sơ chưa gửi của {}", o.name, who(o.batch_id).0)),
            );
            let documents =
                docs.iter().filter(|d| d.current && d.nominee_id == Some(n.id)).filter_map(|d| DocKind::parse(&d.kind)).collect();
            let history = if n.origin.is_some() { Vec::new() } else { self.store.award_history(&n.subject_type, n.subject_id).await? };
            let same_award_before = history
                .into_iter()
                .filter(|h| h.decision.level == batch.level)
                .map(|h| (h.decision.signed_on.year(), h.decision.number))
                .collect();
            let enterprise = kind == Some(NomineeKind::Unit)
                && n.origin.is_none()
                && snap.units.get(&n.subject_id).is_some_and(|u| u.kind == thidua_domain::registry::NodeKind::Enterprise);
            let workers = if enterprise { self.workers_share(n.subject_id, reference).await? } else { None };
            out.push(Facts {
                kind,
                titles,
                nominated_elsewhere,
                look_alikes,
                documents,
                cites_initiative: n.cites_initiative,
                same_award_before,
                external: n.origin,
                workers,
            });
        }
        Ok(out)
    }

    /// An enterprise's workers holding «Công dân học tập» in the last data year before the
    /// campaign's reference day, against the QĐ 1268 milestone due by that day's year (the 2030
    /// review asks for the 2030 target; a yearly campaign of 2027 for the 2025 one; seed III.2.1.g).
    async fn workers_share(&self, enterprise: i64, reference: Date) -> AppResult<Option<eligibility::WorkersShare>> {
        let data_year = i64::from(reference.year()) - 1;
        let targets = thidua_domain::targets::Targets::shipped().map_err(AppError::Invalid)?;
        let Some(target) = targets.reached_by("cong_dan_hoc_tap", i64::from(reference.year()), "enterprise") else { return Ok(None) };
        let valid = self.validity_years("cong_dan_hoc_tap", data_year).await?;
        let whom =
            crate::ports::PeopleWhom::Members { unit_id: enterprise, relation: thidua_domain::institutions::Relation::Member.code() };
        let (holding, workers) = self.store.people_title_share("cong_dan_hoc_tap", data_year - valid, data_year, &whom).await?;
        Ok(Some(eligibility::WorkersShare {
            holding,
            workers,
            data_year,
            target: target.share,
            target_year: target.year,
            basis: target.basis.clone(),
            training: targets
                .worker_training_by(i64::from(reference.year()))
                .into_iter()
                .map(|t| (t.indicator.clone(), t.share, t.year))
                .collect(),
        }))
    }

    pub(super) async fn deadline(&self, batch: &BatchRow, campaign: &Campaign) -> AppResult<DeadlineView> {
        self.deadline_of(batch.campaign_id, batch.proposer_unit_id, &batch.level, campaign).await
    }

    /// A campaign's deadlines for each body the actor proposes for and each award level with a
    /// day for the proposers, before any dossier is built: the campaign page says which are late
    /// (and that DOET can extend).
    pub async fn campaign_deadlines(&self, actor: &Actor, campaign_id: i64) -> AppResult<Vec<(UnitRecord, String, DeadlineView)>> {
        let campaign = self.campaign(actor, campaign_id).await?;
        let levels = deadline_lines(&campaign.campaign, &self.calendar().await?)?;
        let mut out = Vec::new();
        for u in self.proposing_units(actor).await? {
            for l in levels.iter().filter(|l| l.due.unit_before.is_some()) {
                let d = self.deadline_of(campaign_id, u.id, &l.level, &campaign.campaign).await?;
                out.push((u.clone(), l.level_name.clone(), d));
            }
        }
        Ok(out)
    }

    pub(super) async fn deadline_of(&self, campaign_id: i64, proposer: i64, level: &str, campaign: &Campaign) -> AppResult<DeadlineView> {
        let extension = self.store.extension(campaign_id, proposer).await?.and_then(|s| dates::parse_dmy(&s).ok());
        let today = self.today();
        let calendar = self.calendar().await?;
        let due = campaign.due(level, route_of(level, campaign)?, &calendar);
        let (late, left) = match due.unit_before {
            Some(before) => {
                let late = !Campaign::on_time(today, before, extension);
                let last_day = extension.map_or(before, |e| e.max(before));
                let last_day = last_day.previous_day().unwrap_or(last_day);
                (late, if late { 0 } else { calendar.working_days_between(today, last_day) })
            }
            None => (false, 0),
        };
        Ok(DeadlineView {
            due_before: due.unit_before,
            extension,
            working_days_left: left,
            late,
            decided_before: due.decided_before,
            basis: due.basis,
            pending: due.pending,
        })
    }

    /// The roles the actor holds over `unit`: each grant judged alone by the one access rule
    /// (scope, validity, delegation), with an action every role has.
    pub(crate) fn roles_for(&self, actor: &Actor, unit: i64, snap: &crate::registry::TreeSnapshot) -> Vec<Role> {
        let now = self.clock.now();
        actor
            .grants
            .iter()
            .filter(|g| thidua_domain::access::decide(std::slice::from_ref(g), Action::ReadRegistry, unit, &snap.tree, now).is_allowed())
            .map(|g| g.role)
            .collect()
    }

    /// The dossier page: nominees with their findings, documents, history, quota and deadline.
    pub async fn batch_view(&self, actor: &Actor, id: i64) -> AppResult<BatchView> {
        let batch = self.readable_batch(actor, id).await?;
        let state = batch.state;
        let campaign = self.campaign(actor, batch.campaign_id).await?;
        let snap = self.snapshot().await?;
        let proposer = snap.units.get(&batch.proposer_unit_id).cloned().ok_or(AppError::NotFound)?;
        let award = awards()?.get(&batch.level).cloned();
        let all = self.store.nominees(id).await?;
        let (live, dropped): (Vec<NomineeRow>, Vec<NomineeRow>) = all.into_iter().partition(|n| n.outcome != Outcome::Dropped);
        let docs = self.store.documents(id).await?;
        // What to fix: the comments of the latest return while the dossier is returned; earlier
        // ones stay in the history (each event keeps its comment and its snapshot).
        let comments: Vec<CommentRow> = if matches!(state, State::ReturnedByDoet | State::ReturnedByDoha) {
            let all = self.store.batch_comments(id).await?;
            let latest = all.iter().map(|c| c.event_id).max();
            all.into_iter().filter(|c| Some(c.event_id) == latest).collect()
        } else {
            Vec::new()
        };
        let rules = rules()?;
        let on = self.today();
        let events = self.store.batch_events(id).await?;
        let sent = sent_upward_on(&events);
        let (rules_on, transition) = transitions()?.rules_day(sent, on);
        let reward_rule = transition.zip(sent).map(|(t, sent)| {
            format!(
                "Hồ sơ được Thành phố trình cấp trên ngày {}, trước {}: tiền thưởng theo hệ số của Nghị định số {} ({}); tạm tính theo ngày Thành phố trình vì thidua không ghi ngày Bộ Nội vụ nhận hồ sơ.",
                dates::format_dmy(sent),
                dates::format_dmy(t.sent_before),
                t.decree,
                t.basis
            )
        });
        let route = route_of(&batch.level, &campaign.campaign)?;
        let reference = campaign.campaign.reference_day(&batch.level, route, &self.calendar().await?);
        let facts = self.facts(&batch, &live, &docs, reference).await?;
        let findings_of = |f: &Facts| {
            let found = rules.check(reference, f);
            if route == Route::OwnHead { eligibility::for_own_head(found) } else { found }
        };
        let mut nominees = Vec::new();
        for (row, f) in live.into_iter().zip(facts) {
            let reward_vnd = awards()?.reward_under(&batch.level, class_of(&row), on, rules_on).map(|a| a.vnd);
            nominees.push(NomineeView {
                findings: findings_of(&f),
                rests_on: rules.rests_on(reference, &f),
                documents: docs.iter().filter(|d| d.current && d.nominee_id == Some(row.id)).cloned().collect(),
                comments: comments.iter().filter(|c| c.nominee_id == Some(row.id) && c.document_id.is_none()).cloned().collect(),
                reward_vnd,
                row,
            });
        }
        let batch_documents: Vec<DocumentRow> = docs.iter().filter(|d| d.current && d.nominee_id.is_none()).cloned().collect();
        let present: Vec<DocKind> = batch_documents.iter().filter_map(|d| DocKind::parse(&d.kind)).collect();
        let batch_findings = if route == Route::OwnHead { Vec::new() } else { rules.batch_findings(&present, reference) };
        let rule = city_proposer(&snap, &proposer, on).ok().filter(|_| route != Route::OwnHead);
        let mut batch_findings = batch_findings;
        let quota = match rule.map(|r| campaign.campaign.quota_for(&batch.level, r.quota, &proposer.code, r.allocated)) {
            Some(QuotaFor::NotAllocated) => {
                batch_findings.insert(
                    0,
                    eligibility::Finding {
                        severity: eligibility::Severity::Block,
                        code: "allocation",
                        message: not_allocated(&proposer.name, &campaign),
                    },
                );
                None
            }
            Some(QuotaFor::Cap(q)) => {
                let used = to_counts(self.store.quota_used(batch.campaign_id, &batch.level, batch.proposer_unit_id).await?);
                Some(QuotaView { shape: q.shape, used, remaining: q.shape.remaining(used).describe(), basis: q.basis.clone() })
            }
            Some(QuotaFor::NoCap) | None => None,
        };
        let deadline = self.deadline(&batch, &campaign.campaign).await?;
        let roles = self.roles_for(actor, batch.proposer_unit_id, &snap);
        let steps = workflow::available(state, route, &roles);
        let can_edit = state.editable_by_proposer() && self.can(actor, Action::Nominate, batch.proposer_unit_id).await;
        let reward_total_vnd = nominees.iter().filter_map(|n| n.reward_vnd).sum();
        let (mut city_due, mut publication) = (None, None);
        if route == Route::State {
            let duties = procedure()?;
            let limit = duties.time_limits.iter().find(|t| t.levels.contains(&batch.level));
            if let Some((started, done)) = limit.and_then(|t| city_clock(&events, &t.after, &t.by)) {
                city_due = duties.due(&batch.level, started, on, &self.calendar().await?).map(|(_, d)| Due { late: d.late && !done, ..d });
            }
            publication = duties.publication(&batch.level, on);
        }
        Ok(BatchView {
            events,
            earlier_documents: docs.iter().filter(|d| !d.current).cloned().collect(),
            level_name: award.map(|a| a.name).unwrap_or_else(|| batch.level.clone()),
            batch,
            state,
            campaign,
            proposer,
            route,
            reference_day: reference,
            nominees,
            dropped,
            batch_documents,
            batch_findings,
            comments,
            quota,
            deadline,
            steps,
            can_edit,
            reward_total_vnd,
            reward_rule,
            city_due,
            publication,
        })
    }

    /// Refuses, before an upload is read, an actor who may not add to the dossier's files.
    pub async fn may_add_document(&self, actor: &Actor, batch_id: i64) -> AppResult<()> {
        let b = self.store.batch(batch_id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, Action::Nominate, b.proposer_unit_id).await.map(|_| ())
    }

    /// The dossier, if the actor may still change it as its proposer.
    pub(super) async fn editable_batch(&self, actor: &Actor, id: i64) -> AppResult<(BatchRow, crate::Authorized)> {
        let b = self.store.batch(id).await?.ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::Nominate, b.proposer_unit_id).await?;
        if !b.state.editable_by_proposer() {
            return Err(AppError::Invalid(format!("Hồ sơ đang ở bước «{}»: không sửa được.", b.state.label_vi())));
        }
        Ok((b, via))
    }

    /// The proposing bodies the actor may build a dossier for, by name (a ward officer: their
    /// ward; DOET's own officers: the Sở).
    pub async fn proposing_units(&self, actor: &Actor) -> AppResult<Vec<UnitRecord>> {
        let snap = self.snapshot().await?;
        let mut out: Vec<UnitRecord> = snap
            .units
            .values()
            .filter(|u| u.active && ProposerKind::of_node(u.kind).is_some() && self.shows(actor, &snap, Action::Nominate, u.id))
            .cloned()
            .collect();
        out.sort_by_cached_key(|u| thidua_domain::text::text_sort_key(&u.name));
        Ok(out)
    }

    /// What an officer typed into «Mã hoặc tên» of a new nominee, resolved inside the proposer's
    /// own subtree: an exact code, else the subjects whose name contains the words typed
    /// (without diacritics: «nguyen van an» finds «Nguyễn Văn An»). One match is taken, several
    /// are offered to choose from (at most 10, with `more` set when there are others).
    pub async fn resolve_nominee(&self, actor: &Actor, batch_id: i64, subject_type: &str, typed: &str) -> AppResult<Resolved> {
        let (batch, _) = self.editable_batch(actor, batch_id).await?;
        let typed = clean(typed);
        if typed.is_empty() {
            return Err(AppError::Invalid("Nhập mã hoặc tên của đối tượng được đề nghị.".into()));
        }
        let unit = batch.proposer_unit_id;
        let snap = self.snapshot().await?;
        let place = |id: i64| snap.units.get(&id).map(|u| u.name.clone()).unwrap_or_default();
        let page = PageRequest::new(1, 11);
        let found: Vec<Candidate> = match subject_type {
            "unit" => {
                if snap.by_code.contains_key(&typed) {
                    return Ok(Resolved::Code(typed));
                }
                let needle = thidua_domain::text::fold(&typed);
                let mut units: Vec<&UnitRecord> = snap
                    .units
                    .values()
                    .filter(|u| u.active && (u.id == unit || snap.tree.covers(unit, u.id)))
                    .filter(|u| NomineeKind::of_node(u.kind).is_some() && thidua_domain::text::fold(&u.name).contains(&needle))
                    .collect();
                units.sort_by_cached_key(|u| thidua_domain::text::text_sort_key(&u.name));
                units
                    .into_iter()
                    .take(11)
                    .map(|u| Candidate {
                        code: u.code.clone(),
                        label: format!("{} ({})", u.name, u.parent_id.map(place).unwrap_or_default()),
                    })
                    .collect()
            }
            "household" | "person" | "clan" => {
                let subject = match subject_type {
                    "person" => Subject::Citizen,
                    "household" => Subject::Household,
                    _ => Subject::Clan,
                };
                if !self.store.subjects_by_code(subject, std::slice::from_ref(&typed)).await?.is_empty() {
                    return Ok(Resolved::Code(typed));
                }
                match subject {
                    Subject::Household => self
                        .households(actor, Some(unit), Some(&typed), page)
                        .await?
                        .items
                        .into_iter()
                        .map(|h| Candidate {
                            label: format!("Hộ {} — {} ({})", h.head_name, h.address.clone().unwrap_or_default(), place(h.unit_id)),
                            code: h.code,
                        })
                        .collect(),
                    Subject::Citizen => self
                        .people(actor, Some(unit), None, Some(&typed), PersonSort::Name, page)
                        .await?
                        .items
                        .into_iter()
                        .map(|p| Candidate {
                            label: format!(
                                "{}{} ({})",
                                p.full_name,
                                p.birth_year.map(|y| format!(", sinh năm {y}")).unwrap_or_default(),
                                place(p.unit_id)
                            ),
                            code: p.code,
                        })
                        .collect(),
                    _ => self
                        .clans(actor, Some(unit), Some(&typed), page)
                        .await?
                        .items
                        .into_iter()
                        .map(|c| Candidate { label: format!("{} ({})", c.name, place(c.unit_id)), code: c.code })
                        .collect(),
                }
            }
            other => return Err(AppError::Invalid(format!("Loại đối tượng «{other}» không có (unit, household, person, clan)."))),
        };
        Ok(match found.len() {
            0 => Resolved::NotFound,
            1 => Resolved::Code(found.into_iter().next().map(|c| c.code).unwrap_or_default()),
            n => Resolved::Choose { more: n > 10, candidates: found.into_iter().take(10).collect() },
        })
    }

    /// Adds a nominee from the registry: a unit, household, citizen or clan of the proposer's
    /// own subtree.
    pub async fn add_nominee(&self, actor: &Actor, batch_id: i64, expected_version: i64, input: NewNominee) -> AppResult<i64> {
        let (batch, via) = self.editable_batch(actor, batch_id).await?;
        let snap = self.snapshot().await?;
        let code = clean(&input.code);
        let (kind, subject_id, unit_id, name, birth_year, default_position) = match input.subject_type.as_str() {
            "unit" => {
                let id = *snap.by_code.get(&code).ok_or_else(|| AppError::Invalid(format!("Không có đơn vị mã «{code}».")))?;
                let u = snap.units.get(&id).ok_or(AppError::NotFound)?;
                let kind =
                    NomineeKind::of_node(u.kind).ok_or_else(|| AppError::Invalid(format!("«{}» không thuộc diện khen thưởng.", u.name)))?;
                (kind, id, id, u.name.clone(), None, String::new())
            }
            "person" | "household" | "clan" => {
                let subject = match input.subject_type.as_str() {
                    "person" => Subject::Citizen,
                    "household" => Subject::Household,
                    _ => Subject::Clan,
                };
                let found = self.store.subjects_by_code(subject, std::slice::from_ref(&code)).await?;
                let s = found
                    .into_iter()
                    .next()
                    .ok_or_else(|| AppError::Invalid(format!("Không có {} mã «{code}».", subject_label(&input.subject_type))))?;
                let (kind, birth, position) = match subject {
                    Subject::Citizen => {
                        let p = self.store.person(s.id).await?.ok_or(AppError::NotFound)?;
                        (NomineeKind::Individual, p.birth_year, p.position.unwrap_or_default())
                    }
                    Subject::Household => (NomineeKind::Household, None, String::new()),
                    _ => (NomineeKind::Clan, None, String::new()),
                };
                (kind, s.id, s.unit_id, s.name, birth, position)
            }
            "external" => {
                let e = input.external.as_ref().ok_or_else(|| AppError::Invalid("Hãy ghi họ tên hoặc tên tập thể được đề nghị.".into()))?;
                let name = crate::error::field(thidua_domain::limits::Field::PersonName, "Họ tên, tên tập thể", &e.name)?;
                if name.is_empty() {
                    return Err(AppError::Invalid("Hãy ghi họ tên hoặc tên tập thể được đề nghị.".into()));
                }
                if let Some(y) = e.birth_year {
                    thidua_domain::registry::parse_birth_year(&y.to_string()).map_err(AppError::Invalid)?;
                }
                let kind = if e.collective { NomineeKind::Unit } else { NomineeKind::Individual };
                // Recorded under its proposer: the dossier is the proposer's.
                (kind, 0, batch.proposer_unit_id, name, e.birth_year.filter(|_| !e.collective), String::new())
            }
            other => {
                return Err(AppError::Invalid(format!("Loại đối tượng «{other}» không có (unit, household, person, clan, external).")));
            }
        };
        let external = input.external.as_ref().filter(|_| input.subject_type == "external").map(|e| e.origin);
        // Only the proposer's own subtree: the same scope rule as every record.
        if !(unit_id == batch.proposer_unit_id || snap.tree.covers(batch.proposer_unit_id, unit_id)) {
            return Err(AppError::Invalid(format!(
                "«{name}» không thuộc {}: mỗi đơn vị chỉ đề nghị đối tượng do mình quản lý.",
                unit_name(&snap, batch.proposer_unit_id)
            )));
        }
        if self.store.nominees(batch_id).await?.iter().any(|n| {
            n.outcome != Outcome::Dropped
                && n.subject_type == input.subject_type
                && if external.is_some() {
                    thidua_domain::text::fold(&n.name) == thidua_domain::text::fold(&name)
                } else {
                    n.subject_id == subject_id
                }
        }) {
            return Err(AppError::Invalid(format!("«{name}» đã có trong danh sách.")));
        }
        let position = if input.position.trim().is_empty() {
            default_position
        } else {
            crate::error::field(thidua_domain::limits::Field::Short, "Chức vụ", &input.position)?
        };
        let row = NomineeRow {
            id: 0,
            batch_id,
            campaign_id: batch.campaign_id,
            kind: kind.code().into(),
            class: kind.class().code().into(),
            subject_type: input.subject_type.clone(),
            subject_id,
            unit_id,
            name: name.clone(),
            birth_year,
            position,
            achievement: crate::error::field(thidua_domain::limits::Field::FreeText, "Thành tích", &input.achievement)?,
            cites_initiative: input.cites_initiative,
            outcome: Outcome::Proposed,
            outcome_reason: None,
            decision_id: None,
            reward_vnd: None,
            certificate: None,
            origin: external,
        };
        let draft = self.audit_new(
            actor,
            &via,
            "nominee.add",
            "nominee",
            0,
            batch.proposer_unit_id,
            json!({"batch": batch_id, "subject_type": input.subject_type, "code": code, "name": name}),
        );
        Ok(self.store.add_nominee(batch_id, expected_version, &row, draft).await?)
    }

    /// Changes what the proposer writes about a nominee.
    /// The nominee must belong to the batch the actor was authorised for (a nominee of another
    /// unit's batch reads as absent).
    async fn nominee_of(&self, batch_id: i64, nominee: i64) -> AppResult<()> {
        if self.store.nominees(batch_id).await?.iter().any(|x| x.id == nominee) { Ok(()) } else { Err(AppError::NotFound) }
    }

    pub async fn update_nominee(
        &self,
        actor: &Actor,
        batch_id: i64,
        expected_version: i64,
        nominee: i64,
        edit: NomineeEdit,
    ) -> AppResult<()> {
        let (batch, via) = self.editable_batch(actor, batch_id).await?;
        self.nominee_of(batch_id, nominee).await?;
        let edit = NomineeEdit {
            position: crate::error::field(thidua_domain::limits::Field::Short, "Chức vụ", &edit.position)?,
            achievement: crate::error::field(thidua_domain::limits::Field::FreeText, "Thành tích", &edit.achievement)?,
            ..edit
        };
        let draft = self.audit_new(
            actor,
            &via,
            "nominee.update",
            "nominee",
            nominee,
            batch.proposer_unit_id,
            json!({"batch": batch_id, "achievement_chars": edit.achievement.chars().count(), "cites_initiative": edit.cites_initiative}),
        );
        Ok(self.store.update_nominee(batch_id, expected_version, nominee, &edit, draft).await?)
    }

    pub async fn remove_nominee(&self, actor: &Actor, batch_id: i64, expected_version: i64, nominee: i64) -> AppResult<()> {
        let (batch, via) = self.editable_batch(actor, batch_id).await?;
        self.nominee_of(batch_id, nominee).await?;
        let draft = self.audit_new(actor, &via, "nominee.remove", "nominee", nominee, batch.proposer_unit_id, json!({"batch": batch_id}));
        Ok(self.store.remove_nominee(batch_id, expected_version, nominee, draft).await?)
    }

    /// Uploads a dossier file (PDF, DOCX, XLSX, JPEG, PNG, judged by content), stored under its
    /// SHA-256; the earlier version of the same document is kept.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_document(
        &self,
        actor: &Actor,
        batch_id: i64,
        expected_version: i64,
        nominee: Option<i64>,
        kind: DocKind,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<i64> {
        let (batch, via) = self.editable_batch(actor, batch_id).await?;
        if bytes.is_empty() {
            return Err(AppError::Invalid("Tệp rỗng.".into()));
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(AppError::Invalid(format!("Tệp lớn hơn {} MB.", MAX_DOCUMENT_BYTES / (1024 * 1024))));
        }
        let ty = thidua_domain::files::sniff(bytes).ok_or_else(|| {
            AppError::Invalid("Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG (kiểm tra theo nội dung tệp).".into())
        })?;
        if let Some(n) = nominee
            && !self.store.nominees(batch_id).await?.iter().any(|x| x.id == n && x.outcome != Outcome::Dropped)
        {
            return Err(AppError::NotFound);
        }
        let blobs = self.blobs.as_ref().ok_or_else(|| AppError::Invalid("Chưa cấu hình nơi lưu tệp hồ sơ.".into()))?;
        let sha = blobs.put(bytes).await?;
        let name = clean(file_name);
        let name = if name.is_empty() { format!("tai-lieu.{}", ty.extension()) } else { name };
        let row = DocumentRow {
            id: 0,
            batch_id,
            nominee_id: nominee,
            kind: kind.code().into(),
            file_name: name.clone(),
            content_type: ty.mime().into(),
            size: bytes.len() as i64,
            sha256: sha.clone(),
            replaces_id: None,
            current: true,
            uploaded_at_ms: self.now_ms(),
            uploaded_by: actor.username.clone(),
        };
        let draft = self.audit_new(
            actor,
            &via,
            "document.upload",
            "dossier_document",
            0,
            batch.proposer_unit_id,
            json!({"batch": batch_id, "nominee": nominee, "kind": kind.code(), "file": name, "sha256": sha}),
        );
        Ok(self.store.add_document(batch_id, expected_version, &row, draft).await?)
    }

    /// A stored file, for whoever may read its dossier.
    pub async fn document_bytes(&self, actor: &Actor, id: i64) -> AppResult<(DocumentRow, Vec<u8>)> {
        let doc = self.store.document(id).await?.ok_or(AppError::NotFound)?;
        self.readable_batch(actor, doc.batch_id).await?;
        let blobs = self.blobs.as_ref().ok_or(AppError::NotFound)?;
        let bytes = blobs.get(&doc.sha256).await?.ok_or(AppError::NotFound)?;
        Ok((doc, bytes))
    }
}
