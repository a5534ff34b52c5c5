//! Campaigns: the plan's ones stored at start-up, officers' own, their conference date,
//! status, deadline extensions and reward cost.

use super::*;

impl App {
    /// Stores the plan's campaigns that are not stored yet (the reviews and every yearly round),
    /// and brings a stored one up to the shipped data when that changed (the deadlines per award
    /// level, for instance), keeping the conference date officers entered; each change audited.
    pub async fn sync_shipped_campaigns(&self) -> AppResult<usize> {
        let shipped = Campaigns::shipped().map_err(AppError::Invalid)?;
        let stored = self.store.campaign_rows().await?;
        let mut added = 0;
        for mut c in shipped.all() {
            if let Some(row) = stored.iter().find(|r| r.code == c.code) {
                if row.origin != "shipped" {
                    continue;
                }
                // What officers set is kept: the conference date and DOET's allocations.
                if let Ok(old) = Campaign::from_toml(&row.body) {
                    c.conference = old.conference;
                    c.quotas.extend(old.allocations().cloned());
                }
                let body = c.to_toml();
                if body != row.body {
                    let draft = self.audit_system("thidua", "campaign.sync", "campaign", row.id, Some(json!({"code": c.code})));
                    match self.store.update_campaign(row.id, row.version, &body, &row.status, draft).await {
                        // Another server starting at the same time brought it up first.
                        Ok(()) | Err(StorageError::Stale) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                continue;
            }
            let row = CampaignRow {
                id: 0,
                code: c.code.clone(),
                year: i64::from(c.year),
                body: c.to_toml(),
                status: "open".into(),
                origin: "shipped".into(),
                version: 1,
                created_at_ms: self.now_ms(),
                created_by: "thidua".into(),
            };
            match self.store.insert_campaign(&row, None).await {
                Ok(_) => added += 1,
                Err(StorageError::Unique(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(added)
    }

    pub(crate) fn campaign_view(row: CampaignRow) -> AppResult<CampaignView> {
        let campaign = Campaign::from_toml(&row.body).map_err(|e| AppError::Invalid(format!("đợt {}: {e}", row.code)))?;
        Ok(CampaignView { row, campaign })
    }

    pub async fn campaigns(&self, actor: &Actor) -> AppResult<Vec<CampaignView>> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        self.store.campaign_rows().await?.into_iter().map(App::campaign_view).collect()
    }

    pub async fn campaign(&self, actor: &Actor, id: i64) -> AppResult<CampaignView> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        let row = self.store.campaign_rows().await?.into_iter().find(|c| c.id == id).ok_or(AppError::NotFound)?;
        App::campaign_view(row)
    }

    /// An officer's campaign (a review conference, or a round the plan does not list).
    pub async fn create_campaign(&self, actor: &Actor, mut c: Campaign) -> AppResult<i64> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCampaigns, root).await?;
        c.name = crate::error::field(thidua_domain::limits::Field::Name, "Tên đợt", &c.name)?;
        c.basis = crate::error::field(thidua_domain::limits::Field::FreeText, "Căn cứ", &c.basis)?;
        c.code = thidua_domain::text::fold(&clean(&c.code)).replace(' ', "-");
        if c.code.is_empty() || c.name.is_empty() || c.basis.is_empty() {
            return Err(AppError::Invalid("Hãy ghi mã, tên và căn cứ (văn bản phát động) của đợt.".into()));
        }
        if c.levels.is_empty() || c.levels.iter().any(|l| awards().ok().and_then(|a| a.get(l)).is_none()) {
            return Err(AppError::Invalid("Hãy chọn ít nhất một hình thức khen thưởng có trong danh mục.".into()));
        }
        if c.doet_due_before < c.unit_due_before {
            return Err(AppError::Invalid("Hạn Sở GD&ĐT gửi Sở Nội vụ phải sau hạn các đơn vị gửi Sở GD&ĐT.".into()));
        }
        // The stored form must read back as it was written.
        let body = c.to_toml();
        Campaign::from_toml(&body).map_err(AppError::Invalid)?;
        let row = CampaignRow {
            id: 0,
            code: c.code.clone(),
            year: i64::from(c.year),
            body,
            status: "open".into(),
            origin: "officer".into(),
            version: 1,
            created_at_ms: self.now_ms(),
            created_by: actor.username.clone(),
        };
        let draft =
            self.audit_new(actor, &via, "campaign.create", "campaign", 0, root, json!({"code": c.code, "name": c.name, "year": c.year}));
        Ok(self.store.insert_campaign(&row, Some(draft)).await?)
    }

    /// Opens or closes a campaign to new dossiers.
    pub async fn set_campaign_status(&self, actor: &Actor, id: i64, expected_version: i64, open: bool) -> AppResult<()> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCampaigns, root).await?;
        let view = self.campaign(actor, id).await?;
        let status = if open { "open" } else { "closed" };
        let draft = self.audit_new(actor, &via, "campaign.status", "campaign", id, root, json!({"status": status}));
        Ok(self.store.update_campaign(id, expected_version, &view.row.body, status, draft).await?)
    }

    /// Sets the date of the review conference (the Chairman decides 30 working days before it).
    pub async fn set_conference(&self, actor: &Actor, id: i64, expected_version: i64, conference: Option<Date>) -> AppResult<()> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCampaigns, root).await?;
        let mut view = self.campaign(actor, id).await?;
        view.campaign.conference = conference;
        let draft = self.audit_new(
            actor,
            &via,
            "campaign.conference",
            "campaign",
            id,
            root,
            json!({"conference": conference.map(dates::format_dmy)}),
        );
        Ok(self.store.update_campaign(id, expected_version, &view.campaign.to_toml(), &view.row.status, draft).await?)
    }

    /// DOET allocates to a ward or commune after the reform (`unit` its code, or `*` for each one
    /// without its own) how many it may propose for `level` in the campaign, with the document
    /// that says so; no numbers removes the allocation (issue 13 §3: the plan's «không quá 04» is
    /// per quận, huyện, thị xã).
    pub async fn set_allocation(&self, actor: &Actor, id: i64, expected_version: i64, a: &AllocationInput) -> AppResult<()> {
        let snap = self.snapshot().await?;
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let via = self.authorize(actor, Action::ManageCampaigns, root).await?;
        let mut view = self.campaign(actor, id).await?;
        if !view.campaign.levels.contains(&a.level) || view.campaign.quota(&a.level, ProposerKind::Locality).is_none() {
            return Err(AppError::Invalid("Chỉ phân bổ cho hình thức mà Kế hoạch giới hạn số lượng của địa phương trong đợt này.".into()));
        }
        let unit = clean(&a.unit).to_uppercase();
        if unit != thidua_domain::commendation::campaign::EVERY {
            let u = snap
                .by_code
                .get(&unit)
                .and_then(|id| snap.units.get(id))
                .ok_or_else(|| AppError::Invalid(format!("Không có đơn vị mã «{unit}».")))?;
            let on = view.campaign.conference.unwrap_or_else(|| self.today());
            if !city_proposer(&snap, u, on).is_ok_and(|r| r.allocated) {
                return Err(AppError::Invalid(format!(
                    "«{}» không đề nghị theo phân bổ của Sở GD&ĐT (chỉ các xã, phường từ 01/7/2025).",
                    u.name
                )));
            }
        }
        let number = |label: &str, s: &str| -> AppResult<Option<u32>> {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<u32>().map(Some).map_err(|_| AppError::Invalid(format!("«{label}»: «{t}» không phải số nguyên không âm.")))
        };
        let shape = match (number("Tổng số", &a.total)?, number("Tập thể", &a.collectives)?, number("Cá nhân", &a.individuals)?) {
            (None, None, None) => None,
            (Some(total), None, None) => Some(Shape::Total { total }),
            (None, Some(collectives), Some(individuals)) => Some(Shape::Separate { collectives, individuals }),
            _ => return Err(AppError::Invalid("Ghi tổng số, hoặc số tập thể và số cá nhân (không ghi cả hai cách).".into())),
        };
        let basis = crate::error::field(thidua_domain::limits::Field::Name, "Căn cứ", &a.basis)?;
        if shape.is_some() && basis.is_empty() {
            return Err(AppError::Invalid("Ghi văn bản phân bổ (số, ngày) làm căn cứ.".into()));
        }
        view.campaign.allocate(&a.level, &unit, shape, &basis);
        let draft = self.audit_new(
            actor,
            &via,
            "campaign.allocation",
            "campaign",
            id,
            root,
            json!({"level": a.level, "unit": unit, "total": a.total, "collectives": a.collectives, "individuals": a.individuals, "basis": basis}),
        );
        Ok(self.store.update_campaign(id, expected_version, &view.campaign.to_toml(), &view.row.status, draft).await?)
    }

    /// DOET extends a unit's deadline for a campaign.
    /// Extends the deadline of the unit whose dossier `batch_id` is, for its campaign. The
    /// batch is read only to find its unit and campaign; the right to extend is decided on them.
    pub async fn grant_batch_extension(&self, actor: &Actor, batch_id: i64, due_before: Date, reason: &str) -> AppResult<()> {
        let batch = self.store.batch(batch_id).await?.ok_or(AppError::NotFound)?;
        self.grant_extension(actor, batch.campaign_id, batch.proposer_unit_id, due_before, reason).await
    }

    pub async fn grant_extension(&self, actor: &Actor, campaign_id: i64, unit: i64, due_before: Date, reason: &str) -> AppResult<()> {
        let via = self.authorize(actor, Action::AppraiseDoet, unit).await?;
        let reason = clean(reason);
        if reason.is_empty() {
            return Err(AppError::Invalid("Hãy ghi lý do gia hạn.".into()));
        }
        let view = self.campaign(actor, campaign_id).await?;
        // The earliest day proposers' dossiers are due in the campaign, over its award levels.
        let earliest = deadline_lines(&view.campaign, &self.calendar().await?)?.into_iter().filter_map(|l| l.due.unit_before).min();
        let Some(earliest) = earliest else {
            return Err(AppError::Invalid("Đợt này chưa có hạn gửi hồ sơ để gia hạn.".into()));
        };
        if due_before <= earliest {
            return Err(AppError::Invalid(format!("Hạn mới phải sau hạn của đợt ({}).", dates::format_dmy(earliest))));
        }
        let draft = self.audit_new(
            actor,
            &via,
            "campaign.extension",
            "campaign",
            campaign_id,
            unit,
            json!({"unit": unit, "due_before": dates::format_dmy(due_before), "reason": reason}),
        );
        Ok(self.store.grant_extension(campaign_id, unit, &dates::format_dmy(due_before), &reason, draft).await?)
    }

    /// A proposer whose deadline for a campaign has passed asks DOET to extend it, with a reason
    /// (a new request replaces the unit's earlier one). Only while the campaign is open and the
    /// deadline has in fact passed.
    pub async fn request_extension(&self, actor: &Actor, campaign_id: i64, unit: i64, reason: &str) -> AppResult<()> {
        let via = self.authorize(actor, Action::Nominate, unit).await?;
        let reason = crate::error::field(thidua_domain::limits::Field::FreeText, "Lý do đề nghị gia hạn", reason)?;
        if reason.is_empty() {
            return Err(AppError::Invalid("Hãy ghi lý do đề nghị gia hạn.".into()));
        }
        let view = self.campaign(actor, campaign_id).await?;
        if view.row.status != "open" {
            return Err(AppError::Invalid("Đợt khen thưởng đã đóng.".into()));
        }
        // Late for at least one award level whose dossiers have a day.
        let mut late = false;
        for l in deadline_lines(&view.campaign, &self.calendar().await?)?.iter().filter(|l| l.due.unit_before.is_some()) {
            late |= self.deadline_of(campaign_id, unit, &l.level, &view.campaign).await?.late;
        }
        if !late {
            return Err(AppError::Invalid("Chưa quá hạn: hồ sơ vẫn gửi được, không cần gia hạn.".into()));
        }
        let draft = self.audit_new(
            actor,
            &via,
            "campaign.extension_request",
            "campaign",
            campaign_id,
            unit,
            json!({"unit": unit, "reason": reason}),
        );
        let row = ExtensionRequestRow {
            campaign_id,
            unit_id: unit,
            reason,
            requested_by: actor.username.clone(),
            requested_at_ms: self.now_ms(),
        };
        Ok(self.store.request_extension(&row, draft).await?)
    }

    /// The actor's own bodies' open requests for a campaign (to show that one was sent).
    pub async fn my_extension_requests(&self, actor: &Actor, campaign_id: i64) -> AppResult<Vec<ExtensionRequestRow>> {
        let mut out = self.requests_where(actor, Action::Nominate).await?;
        out.retain(|r| r.campaign_id == campaign_id);
        Ok(out)
    }

    /// The open requests for an extension, for DOET (those of units the actor appraises).
    pub async fn extension_requests(&self, actor: &Actor) -> AppResult<Vec<ExtensionRequestRow>> {
        self.require_somewhere(actor, Action::AppraiseDoet).await?;
        self.requests_where(actor, Action::AppraiseDoet).await
    }

    /// The open requests of the units where the actor may do `action`.
    async fn requests_where(&self, actor: &Actor, action: Action) -> AppResult<Vec<ExtensionRequestRow>> {
        let snap = self.snapshot().await?;
        let mut out = self.store.extension_requests().await?;
        out.retain(|r| self.shows(actor, &snap, action, r.unit_id));
        Ok(out)
    }

    /// DOET declines a request for an extension, with its reason (recorded in the audit log).
    pub async fn decline_extension(&self, actor: &Actor, campaign_id: i64, unit: i64, reason: &str) -> AppResult<()> {
        let via = self.authorize(actor, Action::AppraiseDoet, unit).await?;
        let reason = crate::error::field(thidua_domain::limits::Field::FreeText, "Lý do", reason)?;
        if reason.is_empty() {
            return Err(AppError::Invalid("Hãy ghi lý do không gia hạn.".into()));
        }
        let draft = self.audit_new(
            actor,
            &via,
            "campaign.extension_declined",
            "campaign",
            campaign_id,
            unit,
            json!({"unit": unit, "reason": reason}),
        );
        if self.store.decline_extension(campaign_id, unit, draft).await? { Ok(()) } else { Err(AppError::NotFound) }
    }

    /// A campaign's reward cost: (decided, still proposed) in đồng. Decided is the sum of its
    /// decisions; proposed prices every live nominee of a submitted dossier at today's rules.
    pub async fn campaign_cost(&self, actor: &Actor, id: i64) -> AppResult<(i64, i64)> {
        let view = self.campaign(actor, id).await?;
        let decided = self.store.award_decisions().await?.iter().filter(|d| d.campaign_id == id).map(|d| d.reward_vnd).sum();
        let waiting: Vec<String> = State::ALL.into_iter().filter(|s| s.holds_quota()).map(|s| s.code().to_string()).collect();
        let batches = self.store.batches(&Scope::All, Some(view.row.id), &waiting).await?;
        let level: HashMap<i64, String> = batches.iter().map(|b| (b.id, b.level.clone())).collect();
        let ids: Vec<i64> = batches.iter().map(|b| b.id).collect();
        let today = self.today();
        let mut proposed = 0;
        for n in self.store.nominees_of_batches(&ids).await? {
            if n.outcome == Outcome::Proposed
                && let Some(l) = level.get(&n.batch_id)
            {
                proposed += awards()?.reward(l, class_of(&n), today).map(|a| a.vnd).unwrap_or(0);
            }
        }
        Ok((decided, proposed))
    }
}
