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
        let left = |due_before: Date| working_days_left(&calendar, today, due_before);
        let mut out = Vec::new();
        let campaigns: Vec<CampaignView> = self.campaigns(actor).await?.into_iter().filter(|c| c.row.status == "open").collect();
        let nominate = match self.scope(actor, Action::Nominate).await? {
            Scope::All => vec![],
            Scope::Roots(r) => r.into_iter().map(|r| r.node).collect::<Vec<_>>(),
        };
        let proposers: Vec<&UnitRecord> =
            nominate.iter().filter_map(|id| snap.units.get(id)).filter(|u| ProposerKind::of_node(u.kind).is_some() && u.active).collect();
        let lines: Vec<Vec<LevelDeadlineLine>> =
            campaigns.iter().map(|c| deadline_lines(&c.campaign, &calendar)).collect::<AppResult<_>>()?;
        for (c, lines) in campaigns.iter().zip(&lines) {
            for u in &proposers {
                let ext = self.store.extension(c.row.id, u.id).await?.and_then(|s| dates::parse_dmy(&s).ok());
                let scope = Scope::Roots(vec![thidua_domain::access::ScopeRoot { node: u.id, subtree: false }]);
                let mine = self.store.batches(&scope, Some(c.row.id), &[]).await?;
                let item = |what: String, due_before: Date, link: String| {
                    let days = left(due_before);
                    DueItem {
                        what,
                        campaign: c.campaign.name.clone(),
                        unit: u.name.clone(),
                        unit_id: u.id,
                        due_before,
                        working_days_left: days,
                        urgency: urgency(days, &thresholds),
                        link,
                    }
                };
                let link_of = |levels: &[&str]| {
                    mine.iter()
                        .find(|b| levels.contains(&b.level.as_str()))
                        .map(|b| format!("/awards/batches/{}", b.id))
                        .unwrap_or_else(|| format!("/awards/campaigns/{}", c.row.id))
                };
                // A Giấy khen: the body reviews and rewards its own before the plan's day
                // (III.3.2.c, III.3.3.c), until its head's decision is recorded.
                for l in lines.iter().filter(|l| l.route == Route::OwnHead) {
                    let Some(before) = l.due.decided_before else { continue };
                    if !in_window(left(before)) || mine.iter().any(|b| b.level == l.level && b.state == State::Decided) {
                        continue;
                    }
                    let what = format!("Xét, quyết định tặng {} theo thẩm quyền của đơn vị", l.level_name);
                    out.push(item(what, before, link_of(&[l.level.as_str()])));
                }
                // The levels the city decides, grouped by the day their dossiers reach DOET.
                for (before, levels) in by_day(lines.iter().filter(|l| l.route != Route::OwnHead), |l| l.due.unit_before) {
                    let due = ext.map_or(before, |e| e.max(before));
                    if !in_window(left(due)) {
                        continue;
                    }
                    let codes: Vec<&str> = levels.iter().map(|l| l.level.as_str()).collect();
                    let of_levels: Vec<&BatchRow> = mine.iter().filter(|b| codes.contains(&b.level.as_str())).collect();
                    let returned: Vec<&&BatchRow> = of_levels.iter().filter(|b| b.state == State::ReturnedByDoet).collect();
                    for b in &returned {
                        out.push(item(
                            format!("Hoàn thiện, gửi lại hồ sơ {} bị Sở GD&ĐT trả lại", b.number),
                            due,
                            format!("/awards/batches/{}", b.id),
                        ));
                    }
                    let submitted =
                        of_levels.iter().any(|b| b.state.holds_quota() || matches!(b.state, State::Decided | State::CentralDecided));
                    if !submitted && returned.is_empty() {
                        let what = format!("Gửi hồ sơ đề nghị {} đến Sở GD&ĐT", levels_named(&levels));
                        out.push(item(what, due, link_of(&codes)));
                    }
                }
            }
        }
        let root = snap.roots().first().copied().ok_or(AppError::NotFound)?;
        let city_item = |c: &CampaignView, what: String, unit: &str, due_before: Date, link: &str| {
            let days = left(due_before);
            DueItem {
                what,
                campaign: c.campaign.name.clone(),
                unit: unit.into(),
                unit_id: actor.home_unit,
                due_before,
                working_days_left: days,
                urgency: urgency(days, &thresholds),
                link: link.into(),
            }
        };
        if self.can(actor, Action::AppraiseDoet, root).await {
            let waiting = [State::AtDoet, State::AcceptedByDoet, State::ReturnedByDoha].map(|s| s.code().to_string());
            for (c, lines) in campaigns.iter().zip(&lines) {
                let batches = self.store.batches(&Scope::All, Some(c.row.id), &waiting).await?;
                for (before, levels) in by_day(lines.iter().filter(|l| l.route != Route::OwnHead), |l| l.due.doet_before) {
                    if !in_window(left(before)) || !batches.iter().any(|b| levels.iter().any(|l| l.level == b.level)) {
                        continue;
                    }
                    let what = "Thẩm định, tổng hợp hồ sơ gửi Sở Nội vụ (Ban TĐKT)".to_string();
                    out.push(city_item(c, what, "Sở Giáo dục và Đào tạo", before, "/awards/queue"));
                }
            }
        }
        if self.can(actor, Action::Decide, root).await {
            for (c, lines) in campaigns.iter().zip(&lines) {
                for (before, levels) in by_day(lines.iter().filter(|l| l.route != Route::OwnHead), |l| l.due.decided_before) {
                    if !in_window(left(before)) {
                        continue;
                    }
                    let conference =
                        c.campaign.conference.map(|d| format!(" (hội nghị ngày {})", dates::format_dmy(d))).unwrap_or_default();
                    let what = format!("Quyết định {}{conference}", levels_named(&levels));
                    out.push(city_item(c, what, "Văn phòng UBND Thành phố", before, "/awards/queue"));
                }
            }
        }
        out.extend(self.report_due_items(actor, &snap, &calendar, &thresholds).await?);
        out.extend(self.request_due_items(actor, &calendar, &thresholds).await?);
        out.extend(self.breach_due_items(actor, &calendar, &thresholds).await?);
        out.sort_by_key(|d| (d.working_days_left, d.due_before));
        Ok(out)
    }

    /// The yearly report of each reporting body the actor writes for («trước ngày 15 tháng 12
    /// hằng năm»), while it is not yet with DOET: a draft or none to send, a returned or reopened
    /// one to send again. Only for users who report for particular units (not city-wide grants).
    async fn report_due_items(
        &self,
        actor: &Actor,
        snap: &crate::registry::TreeSnapshot,
        calendar: &thidua_domain::calendar::Calendar,
        thresholds: &[u32],
    ) -> AppResult<Vec<DueItem>> {
        use thidua_domain::commendation::reminders::urgency;
        use thidua_domain::reports::{self as rules, ReportState};
        let year = self.working_year();
        let (Ok(y), Scope::Roots(_)) = (i32::try_from(year), self.scope(actor, Action::Report).await?) else {
            return Ok(vec![]);
        };
        let Some(due) = rules::due_before(y) else { return Ok(vec![]) };
        let days = working_days_left(calendar, self.today(), due);
        if !in_window(days) {
            return Ok(vec![]);
        }
        let mut units: Vec<&UnitRecord> =
            snap.units.values().filter(|u| App::reports_for(snap, u, y) && self.shows(actor, snap, Action::Report, u.id)).collect();
        if units.is_empty() {
            return Ok(vec![]);
        }
        units.sort_by_cached_key(|u| thidua_domain::text::text_sort_key(&u.name));
        let states: std::collections::BTreeMap<i64, Option<ReportState>> =
            self.store.reports(year).await?.into_iter().map(|r| (r.unit_id, Some(r.state))).collect();
        let mut out = Vec::new();
        for u in units {
            let what = match states.get(&u.id).copied().flatten() {
                None | Some(ReportState::Draft) => format!("Gửi báo cáo năm {year} về Sở GD&ĐT"),
                Some(ReportState::Returned) => format!("Sửa và gửi lại báo cáo năm {year} (Sở GD&ĐT trả lại)"),
                Some(ReportState::Reopened) => format!("Cập nhật và gửi lại báo cáo năm {year} (Sở GD&ĐT mở lại)"),
                Some(ReportState::Submitted | ReportState::Approved) => continue,
            };
            out.push(DueItem {
                what,
                campaign: format!("Báo cáo kết quả thực hiện Kế hoạch năm {year}"),
                unit: u.name.clone(),
                unit_id: u.id,
                due_before: due,
                working_days_left: days,
                urgency: urgency(days, thresholds),
                link: format!("/reports/{year}/{}", u.id),
            });
        }
        Ok(out)
    }

    /// What is waiting for the actor's office, with how many: dossiers at each step of the
    /// commendation route the actor acts on, and yearly reports waiting for DOET's review. No
    /// deadline of its own (those are in [`App::due_items`]); each line links to where it is done.
    pub async fn waiting_items(&self, actor: &Actor) -> AppResult<Vec<Waiting>> {
        let snap = self.snapshot().await?;
        let Some(root) = snap.roots().first().copied() else { return Ok(vec![]) };
        let steps: [(Action, &[State], &str); 5] = [
            (Action::AppraiseDoet, &[State::AtDoet], "Hồ sơ đề nghị khen thưởng chờ Sở GD&ĐT thẩm định"),
            (
                Action::AppraiseDoet,
                &[State::AcceptedByDoet, State::ReturnedByDoha],
                "Hồ sơ đã thẩm định chờ tổng hợp gửi Sở Nội vụ (Ban Thi đua - Khen thưởng)",
            ),
            (Action::AppraiseDoha, &[State::AtDoha], "Hồ sơ chờ Ban Thi đua - Khen thưởng thẩm định"),
            (Action::CouncilReview, &[State::AtCouncil], "Hồ sơ chờ Hội đồng Thi đua - Khen thưởng Thành phố xét"),
            (Action::Decide, &[State::AtChairman], "Hồ sơ chờ Chủ tịch UBND Thành phố quyết định"),
        ];
        let mut out = Vec::new();
        for (action, states, what) in steps {
            if !self.shows(actor, &snap, action, root) {
                continue;
            }
            let codes: Vec<String> = states.iter().map(|s| s.code().to_string()).collect();
            let count = self.store.batches(&Scope::All, None, &codes).await?.len();
            if count > 0 {
                out.push(Waiting { what: what.into(), count, link: "/awards/queue".into() });
            }
        }
        // The subjects' own assessments waiting for the assessing body's verification, for those
        // who assess particular units (a ward, an association), per title.
        if let Scope::Roots(roots) = self.scope(actor, Action::Assess).await? {
            let year = self.working_year();
            let scope = Scope::Roots(roots);
            for (title, count) in self.store.unverified_counts(&scope, year).await? {
                let label = thidua_domain::titles::title(&title).map_or(title.clone(), |t| t.label_vi.to_string());
                out.push(Waiting {
                    what: format!("Phiếu tự đánh giá «{label}» năm {year} chờ thẩm định"),
                    count: usize::try_from(count).unwrap_or(0),
                    link: format!("/titles/list?title={title}&year={year}"),
                });
            }
        }
        if self.shows(actor, &snap, Action::AppraiseDoet, root) {
            let count = self.extension_requests(actor).await?.len();
            if count > 0 {
                out.push(Waiting {
                    what: "Đề nghị gia hạn gửi hồ sơ chờ Sở GD&ĐT trả lời".into(),
                    count,
                    link: "/awards/extensions".into(),
                });
            }
        }
        if self.shows(actor, &snap, Action::ReviewReports, root) {
            let year = self.working_year();
            let submitted = thidua_domain::reports::ReportState::Submitted;
            let count = self.store.reports(year).await?.iter().filter(|r| r.state == submitted).count();
            if count > 0 {
                out.push(Waiting {
                    what: format!("Báo cáo năm {year} chờ Sở GD&ĐT xem xét"),
                    count,
                    link: format!("/reports?year={year}"),
                });
            }
        }
        out.extend(self.retention_waiting(actor).await?);
        Ok(out)
    }
}

/// Working days from `today` to the last day before `due_before` (0 or less once late).
pub(crate) fn working_days_left(calendar: &thidua_domain::calendar::Calendar, today: Date, due_before: Date) -> i64 {
    let last = due_before.previous_day().unwrap_or(due_before);
    if last >= today { calendar.working_days_between(today, last) as i64 } else { -(calendar.working_days_between(last, today) as i64) }
}

/// «khen thưởng cấp Nhà nước» for state-level awards together, else the levels' names.
fn levels_named(levels: &[&LevelDeadlineLine]) -> String {
    if levels.iter().all(|l| l.route == Route::State) {
        "khen thưởng cấp Nhà nước".into()
    } else {
        levels.iter().map(|l| l.level_name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The levels grouped by one of their days (those without it left out), earliest first.
fn by_day<'a>(
    lines: impl Iterator<Item = &'a LevelDeadlineLine>,
    day: impl Fn(&LevelDeadlineLine) -> Option<Date>,
) -> Vec<(Date, Vec<&'a LevelDeadlineLine>)> {
    let mut out: std::collections::BTreeMap<Date, Vec<&'a LevelDeadlineLine>> = std::collections::BTreeMap::new();
    for l in lines {
        if let Some(d) = day(l) {
            out.entry(d).or_default().push(l);
        }
    }
    out.into_iter().collect()
}

/// Tasks due more than 60 working days ahead, or late by more than 20, are not listed.
fn in_window(days: i64) -> bool {
    (-20..=60).contains(&days)
}
