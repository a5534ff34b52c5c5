//! Tasks with a deadline for each user, with the working days left.

use super::*;

impl App {
    /// What the actor must do for open campaigns, most urgent first: the proposer's dossier to
    /// submit (or a returned one to fix) before the units' deadline; DOET's consolidation before
    /// its deadline; the Chairman's decision before the conference. Campaigns whose deadline is
    /// more than 60 working days away, or passed more than 20 working days ago, are left out.
    pub async fn due_items(&self, actor: &Actor) -> AppResult<Vec<DueItem>> {
        use thidua_domain::commendation::reminders::urgency;
        let today = self.today();
        let calendar = self.calendar().await?;
        let snap = self.snapshot().await?;
        let thresholds = self.config.reminder_working_days.clone();
        let left = |due_before: Date| -> i64 {
            let last = due_before.previous_day().unwrap_or(due_before);
            if last >= today {
                calendar.working_days_between(today, last) as i64
            } else {
                -(calendar.working_days_between(last, today) as i64)
            }
        };
        let in_window = |days: i64| (-20..=60).contains(&days);
        let mut out = Vec::new();
        let campaigns: Vec<CampaignView> = self.campaigns(actor).await?.into_iter().filter(|c| c.row.status == "open").collect();
        let nominate = match self.scope(actor, Action::Nominate).await? {
            Scope::All => vec![],
            Scope::Roots(r) => r.into_iter().map(|r| r.node).collect::<Vec<_>>(),
        };
        let proposers: Vec<&UnitRecord> =
            nominate.iter().filter_map(|id| snap.units.get(id)).filter(|u| ProposerKind::of_node(u.kind).is_some() && u.active).collect();
        for c in &campaigns {
            for u in &proposers {
                let ext = self.store.extension(c.row.id, u.id).await?.and_then(|s| dates::parse_dmy(&s).ok());
                let due = ext.map_or(c.campaign.unit_due_before, |e| e.max(c.campaign.unit_due_before));
                let days = left(due);
                if !in_window(days) {
                    continue;
                }
                let scope = Scope::Roots(vec![thidua_domain::access::ScopeRoot { node: u.id, subtree: false }]);
                let mine = self.store.batches(&scope, Some(c.row.id), &[]).await?;
                let submitted = mine.iter().any(|b| {
                    State::parse(&b.state).is_some_and(|s| s.holds_quota() || matches!(s, State::Decided | State::CentralDecided))
                });
                let returned: Vec<&BatchRow> = mine.iter().filter(|b| b.state == State::ReturnedByDoet.code()).collect();
                for b in &returned {
                    out.push(DueItem {
                        what: format!("Hoàn thiện, gửi lại hồ sơ {} bị Sở GD&ĐT trả lại", b.number),
                        campaign: c.campaign.name.clone(),
                        unit: u.name.clone(),
                        unit_id: u.id,
                        due_before: due,
                        working_days_left: days,
                        urgency: urgency(days, &thresholds),
                        link: format!("/awards/batches/{}", b.id),
                    });
                }
                if !submitted && returned.is_empty() {
                    let link = mine
                        .first()
                        .map(|b| format!("/awards/batches/{}", b.id))
                        .unwrap_or_else(|| format!("/awards/campaigns/{}", c.row.id));
                    out.push(DueItem {
                        what: "Gửi hồ sơ đề nghị khen thưởng đến Sở GD&ĐT".into(),
                        campaign: c.campaign.name.clone(),
                        unit: u.name.clone(),
                        unit_id: u.id,
                        due_before: due,
                        working_days_left: days,
                        urgency: urgency(days, &thresholds),
                        link,
                    });
                }
            }
        }
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        if self.can(actor, Action::AppraiseDoet, root).await {
            let waiting = [State::AtDoet, State::AcceptedByDoet, State::ReturnedByDoha].map(|s| s.code().to_string());
            for c in &campaigns {
                let days = left(c.campaign.doet_due_before);
                if !in_window(days) || self.store.batches(&Scope::All, Some(c.row.id), &waiting).await?.is_empty() {
                    continue;
                }
                out.push(DueItem {
                    what: "Thẩm định, tổng hợp hồ sơ gửi Sở Nội vụ (Ban TĐKT)".into(),
                    campaign: c.campaign.name.clone(),
                    unit: "Sở Giáo dục và Đào tạo".into(),
                    unit_id: actor.home_unit,
                    due_before: c.campaign.doet_due_before,
                    working_days_left: days,
                    urgency: urgency(days, &thresholds),
                    link: "/awards/queue".into(),
                });
            }
        }
        if self.can(actor, Action::Decide, root).await {
            for c in &campaigns {
                let Some(due) = c.campaign.decision_due(&calendar) else { continue };
                // «trước ngày hội nghị 30 ngày làm việc»: the decision day itself is allowed.
                let due_before = due.next_day().unwrap_or(due);
                let days = left(due_before);
                if in_window(days) {
                    out.push(DueItem {
                        what: format!(
                            "Quyết định khen thưởng (hội nghị ngày {})",
                            c.campaign.conference.map(dates::format_dmy).unwrap_or_default()
                        ),
                        campaign: c.campaign.name.clone(),
                        unit: "Văn phòng UBND Thành phố".into(),
                        unit_id: actor.home_unit,
                        due_before,
                        working_days_left: days,
                        urgency: urgency(days, &thresholds),
                        link: "/awards/queue".into(),
                    });
                }
            }
        }
        out.sort_by_key(|d| (d.working_days_left, d.due_before));
        Ok(out)
    }
}
