//! The flow of a proposer's dossier, by the [`Route`] of its award level. A Giấy khen is decided
//! by the proposing body's own head (seed III.3.2.c, III.3.3.c). The City Chairman's Bằng khen
//! goes proposer → DOET appraises and consolidates → DOHA's Emulation & Commendation Board
//! appraises → the Chairman decides (III.5.1, III.5.3.b). A state-level award goes the same way
//! through the emulation and commendation council (III.5.3.a) to the Chairman, who proposes it
//! to the central level. Each step belongs to one action of [`crate::access`], so only the roles
//! that own a step can take it.

use crate::access::{Action, Role};
use serde::{Deserialize, Serialize};

/// Where a dossier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The proposer builds it.
    Draft,
    /// Submitted to DOET.
    AtDoet,
    /// DOET returned it for correction, with comments.
    ReturnedByDoet,
    /// DOET accepted it; waiting for DOET's consolidated submission.
    AcceptedByDoet,
    /// In DOET's consolidated submission to DOHA.
    AtDoha,
    /// DOHA returned it to DOET.
    ReturnedByDoha,
    /// DOHA accepted it; before the emulation and commendation council.
    AtCouncil,
    /// The council recommended it; before the Chairman.
    AtChairman,
    /// The Chairman's decision is recorded.
    Decided,
    /// The Chairman proposed it to the central level (state-level awards).
    ProposedUpward,
    /// The central level's result is recorded.
    CentralDecided,
}

impl State {
    pub const ALL: [State; 11] = [
        State::Draft,
        State::AtDoet,
        State::ReturnedByDoet,
        State::AcceptedByDoet,
        State::AtDoha,
        State::ReturnedByDoha,
        State::AtCouncil,
        State::AtChairman,
        State::Decided,
        State::ProposedUpward,
        State::CentralDecided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::AtDoet => "at_doet",
            State::ReturnedByDoet => "returned_by_doet",
            State::AcceptedByDoet => "accepted_by_doet",
            State::AtDoha => "at_doha",
            State::ReturnedByDoha => "returned_by_doha",
            State::AtCouncil => "at_council",
            State::AtChairman => "at_chairman",
            State::Decided => "decided",
            State::ProposedUpward => "proposed_upward",
            State::CentralDecided => "central_decided",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            State::Draft => "Đang lập",
            State::AtDoet => "Chờ Sở GD&ĐT thẩm định",
            State::ReturnedByDoet => "Sở GD&ĐT trả lại để hoàn thiện",
            State::AcceptedByDoet => "Sở GD&ĐT đã thẩm định, chờ tổng hợp",
            State::AtDoha => "Chờ Ban Thi đua – Khen thưởng thẩm định",
            State::ReturnedByDoha => "Ban TĐKT trả lại Sở GD&ĐT",
            State::AtCouncil => "Chờ Hội đồng TĐKT xét",
            State::AtChairman => "Chờ Chủ tịch UBND Thành phố quyết định",
            State::Decided => "Đã có quyết định khen thưởng",
            State::ProposedUpward => "Đã đề nghị cấp trên khen thưởng",
            State::CentralDecided => "Đã có kết quả của cấp trên",
        }
    }

    /// Whether the proposer may still change the nominees and documents.
    pub fn editable_by_proposer(self) -> bool {
        matches!(self, State::Draft | State::ReturnedByDoet)
    }

    /// Whether the nominees count against the campaign's quota and claim their subject: from
    /// submission on, except while the proposer corrects a returned dossier.
    pub fn holds_quota(self) -> bool {
        !matches!(self, State::Draft | State::ReturnedByDoet)
    }
}

/// The way the dossiers of one award level travel, from who issues the award and the campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// The proposing body's own head decides, under its own criteria and numbers («theo thẩm
    /// quyền», seed III.3.2.c, III.3.3.c; Law 2022 Art. 80): its officer records the decision on
    /// the dossier; nothing goes to DOET or the city.
    OwnHead,
    /// The City Chairman decides after DOET's and DOHA's appraisal (III.5.1, III.5.3.b); through
    /// the council only where the campaign's data puts it (`council` = true).
    City { council: bool },
    /// A state-level award: DOET, DOHA, the council (III.5.3.a «đề nghị Hội đồng Thi đua - Khen
    /// thưởng Thành phố xem xét»), then the Chairman proposes it to the central level.
    State,
}

impl Route {
    /// Whether the dossier goes before the council.
    pub fn council(self) -> bool {
        matches!(self, Route::State | Route::City { council: true })
    }

    /// Who decides, in words.
    pub fn decider_vi(self) -> &'static str {
        match self {
            Route::OwnHead => "Thủ trưởng cơ quan, đơn vị đề nghị (Chủ tịch UBND xã, phường) quyết định theo thẩm quyền",
            Route::City { .. } => "Chủ tịch UBND Thành phố quyết định",
            Route::State => "Chủ tịch UBND Thành phố đề nghị cấp trên khen thưởng",
        }
    }
}

/// A step of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The proposer submits (or resubmits) to DOET.
    Submit,
    /// The proposer takes back a dossier DOET has not acted on.
    Withdraw,
    /// DOET returns the dossier to the proposer with comments per nominee and document.
    DoetReturn,
    /// DOET accepts the dossier (some nominees may be dropped with a reason).
    DoetAccept,
    /// DOET sends its consolidated submission to DOHA.
    Forward,
    /// DOHA returns it to DOET.
    DohaReturn,
    /// DOHA accepts it for the council.
    DohaAccept,
    /// The council records its recommendation.
    CouncilRecommend,
    /// The Chairman's decision: number, date, signer, the awarded list.
    Decide,
    /// The Chairman proposes a state-level award to the central level.
    ProposeUpward,
    /// The central level's result, recorded later.
    RecordCentral,
    /// The proposing body records its own head's decision (Giấy khen).
    DecideOwn,
}

impl Step {
    pub const ALL: [Step; 12] = [
        Step::Submit,
        Step::Withdraw,
        Step::DoetReturn,
        Step::DoetAccept,
        Step::Forward,
        Step::DohaReturn,
        Step::DohaAccept,
        Step::CouncilRecommend,
        Step::Decide,
        Step::ProposeUpward,
        Step::RecordCentral,
        Step::DecideOwn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Withdraw => "withdraw",
            Step::DoetReturn => "doet_return",
            Step::DoetAccept => "doet_accept",
            Step::Forward => "forward",
            Step::DohaReturn => "doha_return",
            Step::DohaAccept => "doha_accept",
            Step::CouncilRecommend => "council_recommend",
            Step::Decide => "decide",
            Step::ProposeUpward => "propose_upward",
            Step::RecordCentral => "record_central",
            Step::DecideOwn => "decide_own",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Step::Submit => "Gửi Sở GD&ĐT",
            Step::Withdraw => "Rút lại để sửa",
            Step::DoetReturn => "Trả lại đơn vị để hoàn thiện",
            Step::DoetAccept => "Thẩm định đạt",
            Step::Forward => "Tổng hợp, gửi Sở Nội vụ (Ban TĐKT)",
            Step::DohaReturn => "Trả lại Sở GD&ĐT",
            Step::DohaAccept => "Thẩm định đạt, trình Hội đồng",
            Step::CouncilRecommend => "Ghi ý kiến Hội đồng, trình Chủ tịch",
            Step::Decide => "Ghi quyết định khen thưởng",
            Step::ProposeUpward => "Đề nghị cấp trên khen thưởng",
            Step::RecordCentral => "Ghi kết quả của cấp trên",
            Step::DecideOwn => "Ghi quyết định của thủ trưởng đơn vị",
        }
    }

    /// The action a role needs to take this step.
    pub fn action(self) -> Action {
        match self {
            Step::Submit | Step::Withdraw => Action::Nominate,
            Step::DoetReturn | Step::DoetAccept | Step::Forward => Action::AppraiseDoet,
            Step::DohaReturn | Step::DohaAccept => Action::AppraiseDoha,
            Step::CouncilRecommend => Action::CouncilReview,
            Step::Decide | Step::ProposeUpward | Step::RecordCentral => Action::Decide,
            Step::DecideOwn => Action::AwardOwn,
        }
    }

    /// Whether the step needs a reason or comment in words.
    pub fn needs_comment(self) -> bool {
        matches!(self, Step::DoetReturn | Step::DohaReturn | Step::CouncilRecommend)
    }
}

/// The state a step leads to from `from` on `route`, or why it cannot be taken.
pub fn next(from: State, step: Step, route: Route) -> Result<State, String> {
    use State as S;
    use Step as T;
    if route == Route::OwnHead {
        return match (from, step) {
            (S::Draft, T::DecideOwn) => Ok(S::Decided),
            (_, T::Submit) => Err(format!(
                "Không thể «{}»: Giấy khen do thủ trưởng cơ quan, đơn vị đề nghị quyết định theo thẩm quyền (Kế hoạch, mục III.3.2.c, III.3.3.c), không gửi Sở GD&ĐT",
                step.label_vi()
            )),
            _ => Err(format!("Không thể «{}» khi hồ sơ đang ở trạng thái «{}»", step.label_vi(), from.label_vi())),
        };
    }
    let to = match (from, step) {
        (S::Draft | S::ReturnedByDoet, T::Submit) => S::AtDoet,
        (S::AtDoet, T::Withdraw) => S::Draft,
        (S::AtDoet | S::ReturnedByDoha, T::DoetReturn) => S::ReturnedByDoet,
        (S::AtDoet, T::DoetAccept) => S::AcceptedByDoet,
        (S::AcceptedByDoet | S::ReturnedByDoha, T::Forward) => S::AtDoha,
        (S::AtDoha, T::DohaReturn) => S::ReturnedByDoha,
        (S::AtDoha, T::DohaAccept) if route.council() => S::AtCouncil,
        (S::AtDoha, T::DohaAccept) => S::AtChairman,
        (S::AtCouncil, T::CouncilRecommend) if route.council() => S::AtChairman,
        (S::AtChairman, T::Decide) if route != Route::State => S::Decided,
        (S::AtChairman, T::ProposeUpward) if route == Route::State => S::ProposedUpward,
        (S::AtChairman, T::Decide | T::ProposeUpward) => {
            return Err(if route == Route::State {
                "Hình thức khen thưởng cấp Nhà nước: Chủ tịch UBND Thành phố đề nghị cấp trên, không tự quyết định".into()
            } else {
                "Hình thức khen thưởng này thuộc thẩm quyền Chủ tịch UBND Thành phố: ghi quyết định, không đề nghị cấp trên".into()
            });
        }
        (_, T::DecideOwn) => {
            return Err(format!(
                "Không thể «{}»: hình thức khen thưởng này không thuộc thẩm quyền của thủ trưởng đơn vị đề nghị",
                step.label_vi()
            ));
        }
        (S::ProposedUpward, T::RecordCentral) => S::CentralDecided,
        _ => return Err(format!("Không thể «{}» khi hồ sơ đang ở trạng thái «{}»", step.label_vi(), from.label_vi())),
    };
    Ok(to)
}

/// Whether `role` may take `step` (scope is checked apart, by [`crate::access::decide`]).
pub fn role_may(role: Role, step: Step) -> bool {
    role.allows(step.action())
}

/// The steps a holder of `roles` can take from `from` on `route`.
pub fn available(from: State, route: Route, roles: &[Role]) -> Vec<Step> {
    Step::ALL.into_iter().filter(|s| next(from, *s, route).is_ok() && roles.iter().any(|r| role_may(*r, *s))).collect()
}

/// What happened to one nominee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still in the flow.
    Proposed,
    /// DOET or DOHA took the nominee out, with a reason.
    Dropped,
    /// Awarded by the decision (or the central level).
    Awarded,
    /// The decision left the nominee out.
    Refused,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Proposed => "proposed",
            Outcome::Dropped => "dropped",
            Outcome::Awarded => "awarded",
            Outcome::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Proposed, Outcome::Dropped, Outcome::Awarded, Outcome::Refused].into_iter().find(|x| x.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Outcome::Proposed => "Đang đề nghị",
            Outcome::Dropped => "Không trình tiếp",
            Outcome::Awarded => "Được khen thưởng",
            Outcome::Refused => "Không được khen thưởng",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flow of the plan, written out: (from, step, to, who). Every pair not listed is refused.
    const FLOW: &[(State, Step, State, Role)] = &[
        (State::Draft, Step::Submit, State::AtDoet, Role::UnitOfficer),
        (State::ReturnedByDoet, Step::Submit, State::AtDoet, Role::UnitOfficer),
        (State::AtDoet, Step::Withdraw, State::Draft, Role::UnitOfficer),
        (State::AtDoet, Step::DoetReturn, State::ReturnedByDoet, Role::DoetOfficer),
        (State::ReturnedByDoha, Step::DoetReturn, State::ReturnedByDoet, Role::DoetOfficer),
        (State::AtDoet, Step::DoetAccept, State::AcceptedByDoet, Role::DoetOfficer),
        (State::AcceptedByDoet, Step::Forward, State::AtDoha, Role::DoetOfficer),
        (State::ReturnedByDoha, Step::Forward, State::AtDoha, Role::DoetOfficer),
        (State::AtDoha, Step::DohaReturn, State::ReturnedByDoha, Role::DohaOfficer),
        (State::AtDoha, Step::DohaAccept, State::AtCouncil, Role::DohaOfficer),
        (State::AtCouncil, Step::CouncilRecommend, State::AtChairman, Role::CouncilMember),
        (State::AtChairman, Step::Decide, State::Decided, Role::ChairmanOffice),
    ];

    /// A City Bằng khen whose campaign puts the council in its way: the longest city route.
    const WITH_COUNCIL: Route = Route::City { council: true };

    #[test]
    fn every_step_of_the_plan_is_allowed_from_its_state_to_its_role() {
        for (from, step, to, role) in FLOW {
            assert_eq!(next(*from, *step, WITH_COUNCIL), Ok(*to), "{from:?} —{step:?}→");
            assert!(role_may(*role, *step), "{role:?} takes {step:?}");
        }
    }

    #[test]
    fn every_other_state_and_step_is_refused_with_a_reason() {
        for from in State::ALL {
            for step in Step::ALL {
                if [Step::ProposeUpward, Step::RecordCentral].contains(&step) {
                    continue;
                }
                let listed = FLOW.iter().any(|(f, s, _, _)| *f == from && *s == step);
                let r = next(from, step, WITH_COUNCIL);
                assert_eq!(r.is_ok(), listed, "{from:?} —{step:?}→ {r:?}");
                if let Err(why) = r {
                    assert!(why.contains(step.label_vi()) || why.contains("thẩm quyền"), "{why}");
                }
            }
        }
    }

    #[test]
    fn only_the_role_that_owns_a_step_can_take_it() {
        for step in Step::ALL {
            let owners: Vec<Role> = Role::ALL.into_iter().filter(|r| *r != Role::SystemAdmin && role_may(*r, step)).collect();
            let expected: &[Role] = match step {
                Step::Submit | Step::Withdraw => &[Role::UnitOfficer],
                Step::DoetReturn | Step::DoetAccept | Step::Forward => &[Role::DoetOfficer],
                Step::DohaReturn | Step::DohaAccept => &[Role::DohaOfficer],
                Step::CouncilRecommend => &[Role::CouncilMember],
                Step::Decide | Step::ProposeUpward | Step::RecordCentral => &[Role::ChairmanOffice],
                Step::DecideOwn => &[Role::UnitOfficer],
            };
            assert_eq!(owners, expected, "{step:?}");
        }
        assert!(!role_may(Role::Auditor, Step::Decide) && !role_may(Role::AssociationAssessor, Step::Submit));
    }

    #[test]
    fn a_state_level_award_is_proposed_upward_and_its_result_recorded_later() {
        assert_eq!(next(State::AtChairman, Step::ProposeUpward, Route::State), Ok(State::ProposedUpward));
        assert!(next(State::AtChairman, Step::Decide, Route::State).is_err_and(|e| e.contains("cấp trên")));
        assert!(next(State::AtChairman, Step::ProposeUpward, WITH_COUNCIL).is_err());
        assert_eq!(next(State::ProposedUpward, Step::RecordCentral, Route::State), Ok(State::CentralDecided));
    }

    #[test]
    fn a_state_level_award_goes_before_the_council() {
        // III.5.3.a: DOHA «thẩm định, tổng hợp đề nghị Hội đồng Thi đua-Khen thưởng Thành phố xem xét».
        assert_eq!(next(State::AtDoha, Step::DohaAccept, Route::State), Ok(State::AtCouncil));
        assert_eq!(next(State::AtCouncil, Step::CouncilRecommend, Route::State), Ok(State::AtChairman));
    }

    #[test]
    fn a_city_bang_khen_goes_from_doha_to_the_chairman_without_the_council() {
        // III.5.3.b: DOET «gửi về Sở Nội vụ … để thẩm định trình Chủ tịch Ủy ban nhân dân Thành
        // phố quyết định khen thưởng» — no council is named for the City Bằng khen.
        let city = Route::City { council: false };
        assert_eq!(next(State::AtDoha, Step::DohaAccept, city), Ok(State::AtChairman));
        assert!(next(State::AtCouncil, Step::CouncilRecommend, city).is_err());
        assert_eq!(next(State::AtChairman, Step::Decide, city), Ok(State::Decided));
        assert!(!city.council() && WITH_COUNCIL.council() && Route::State.council());
    }

    #[test]
    fn a_giay_khen_is_decided_by_the_proposers_own_head_and_never_goes_to_doet() {
        // III.3.2.c: «Các cơ quan, đơn vị, địa phương … quy định các tiêu chí, số lượng khen
        // thưởng … theo thẩm quyền».
        assert_eq!(next(State::Draft, Step::DecideOwn, Route::OwnHead), Ok(State::Decided));
        assert!(next(State::Draft, Step::Submit, Route::OwnHead).is_err_and(|e| e.contains("không gửi Sở GD&ĐT")));
        assert!(next(State::Decided, Step::DecideOwn, Route::OwnHead).is_err());
        for route in [Route::State, Route::City { council: false }, WITH_COUNCIL] {
            assert!(next(State::Draft, Step::DecideOwn, route).is_err_and(|e| e.contains("thẩm quyền")), "{route:?}");
        }
        assert_eq!(available(State::Draft, Route::OwnHead, &[Role::UnitOfficer]), [Step::DecideOwn]);
        assert!(available(State::Draft, Route::OwnHead, &[Role::ChairmanOffice, Role::DoetOfficer]).is_empty());
    }

    #[test]
    fn a_dossier_is_editable_only_while_drafted_or_returned() {
        let editable: Vec<State> = State::ALL.into_iter().filter(|s| s.editable_by_proposer()).collect();
        assert_eq!(editable, [State::Draft, State::ReturnedByDoet]);
    }

    #[test]
    fn each_role_sees_the_steps_it_can_take_now() {
        assert_eq!(
            available(State::AtDoet, Route::City { council: false }, &[Role::DoetOfficer]),
            [Step::DoetReturn, Step::DoetAccept],
            "DOET never withdraws a proposer's dossier"
        );
        assert_eq!(available(State::AtDoet, Route::City { council: false }, &[Role::UnitOfficer]), [Step::Withdraw]);
        assert!(available(State::AtDoet, Route::State, &[Role::DohaOfficer]).is_empty());
    }
}

/// Who holds a dossier in a state, for «time spent at each appraisal level».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Holder {
    /// The proposer (drafting, or fixing what was returned).
    Proposer,
    Doet,
    Doha,
    Council,
    Chairman,
    /// The central level (after the proposal upward).
    Central,
}

impl Holder {
    pub fn of(state: State) -> Option<Holder> {
        match state {
            State::Draft | State::ReturnedByDoet => Some(Holder::Proposer),
            State::AtDoet | State::AcceptedByDoet | State::ReturnedByDoha => Some(Holder::Doet),
            State::AtDoha => Some(Holder::Doha),
            State::AtCouncil => Some(Holder::Council),
            State::AtChairman => Some(Holder::Chairman),
            State::ProposedUpward => Some(Holder::Central),
            State::Decided | State::CentralDecided => None,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Holder::Proposer => "Đơn vị đề nghị (lập, sửa hồ sơ)",
            Holder::Doet => "Sở GD&ĐT thẩm định, tổng hợp",
            Holder::Doha => "Sở Nội vụ (Ban TĐKT) thẩm định",
            Holder::Council => "Hội đồng TĐKT xét",
            Holder::Chairman => "Chủ tịch UBND Thành phố quyết định",
            Holder::Central => "Trung ương xét",
        }
    }
}

/// How long one dossier stayed with one holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub holder: Holder,
    /// Stays that ended, and their total length.
    pub stays: u32,
    pub finished_ms: i64,
    /// The stay not ended yet, until now.
    pub ongoing_ms: Option<i64>,
}

/// Time a dossier spent with each holder, from its steps (`(to_state, at_ms)` in order) and the
/// time it was created: each stay lasts until the next step; the last, unfinished one until
/// `now_ms`. Ordered by holder.
pub fn time_held(created_ms: i64, steps: &[(State, i64)], now_ms: i64) -> Vec<Held> {
    let mut out: Vec<Held> = Vec::new();
    let mut add = |holder: Holder, ms: i64, ongoing: bool| {
        let ms = ms.max(0);
        let i = match out.iter().position(|h| h.holder == holder) {
            Some(i) => i,
            None => {
                out.push(Held { holder, stays: 0, finished_ms: 0, ongoing_ms: None });
                out.len() - 1
            }
        };
        if ongoing {
            out[i].ongoing_ms = Some(ms);
        } else {
            out[i].stays += 1;
            out[i].finished_ms += ms;
        }
    };
    let mut state = State::Draft;
    let mut since = created_ms;
    for (to, at) in steps {
        if let Some(h) = Holder::of(state) {
            add(h, at - since, false);
        }
        state = *to;
        since = *at;
    }
    if let Some(h) = Holder::of(state) {
        add(h, now_ms - since, true);
    }
    out.sort_by_key(|h| h.holder);
    out
}

#[cfg(test)]
mod time_held_tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn each_holder_is_charged_until_the_next_step_and_a_return_goes_back_to_the_proposer() {
        let steps = [
            (State::AtDoet, 3 * DAY),
            (State::ReturnedByDoet, 8 * DAY),
            (State::AtDoet, 10 * DAY),
            (State::AcceptedByDoet, 12 * DAY),
            (State::AtDoha, 15 * DAY),
            (State::AtCouncil, 25 * DAY),
        ];
        let t = time_held(0, &steps, 27 * DAY);
        let h = |holder, stays, finished_ms, ongoing_ms| Held { holder, stays, finished_ms, ongoing_ms };
        assert_eq!(
            t,
            vec![
                h(Holder::Proposer, 2, 3 * DAY + 2 * DAY, None),
                h(Holder::Doet, 3, 5 * DAY + 2 * DAY + 3 * DAY, None),
                h(Holder::Doha, 1, 10 * DAY, None),
                h(Holder::Council, 0, 0, Some(2 * DAY)),
            ]
        );
    }

    #[test]
    fn a_decided_dossier_has_nothing_ongoing() {
        let steps = [
            (State::AtDoet, DAY),
            (State::AtDoha, 2 * DAY),
            (State::AtCouncil, 3 * DAY),
            (State::AtChairman, 4 * DAY),
            (State::Decided, 6 * DAY),
        ];
        let t = time_held(0, &steps, 100 * DAY);
        assert!(t.iter().all(|x| x.ongoing_ms.is_none()), "{t:?}");
        assert_eq!(t.iter().find(|x| x.holder == Holder::Chairman).map(|x| (x.stays, x.finished_ms)), Some((1, 2 * DAY)));
    }
}
