//! Who may do what, where. Every access decision of thidua is taken here, by pure functions;
//! the web layer asks [`decide`] before any read or write of one record, and storage applies
//! [`list_scope`] to every list query. Nothing else decides access.

use crate::tree::{NodeId, Tree};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The roles of the movement (issue 2 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SystemAdmin,
    DoetOfficer,
    DohaOfficer,
    CouncilMember,
    ChairmanOffice,
    UnitOfficer,
    AssociationAssessor,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::SystemAdmin,
        Role::DoetOfficer,
        Role::DohaOfficer,
        Role::CouncilMember,
        Role::ChairmanOffice,
        Role::UnitOfficer,
        Role::AssociationAssessor,
        Role::Auditor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::DoetOfficer => "doet_officer",
            Role::DohaOfficer => "doha_officer",
            Role::CouncilMember => "council_member",
            Role::ChairmanOffice => "chairman_office",
            Role::UnitOfficer => "unit_officer",
            Role::AssociationAssessor => "association_assessor",
            Role::Auditor => "auditor",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::SystemAdmin => "Quản trị hệ thống",
            Role::DoetOfficer => "Cán bộ Sở Giáo dục và Đào tạo",
            Role::DohaOfficer => "Cán bộ Ban Thi đua - Khen thưởng (Sở Nội vụ)",
            Role::CouncilMember => "Thành viên Hội đồng Thi đua - Khen thưởng",
            Role::ChairmanOffice => "Văn phòng Chủ tịch UBND Thành phố",
            Role::UnitOfficer => "Cán bộ đơn vị",
            Role::AssociationAssessor => "Cán bộ Hội Khuyến học (đánh giá)",
            Role::Auditor => "Kiểm tra, giám sát (chỉ xem)",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::SystemAdmin => "System administrator",
            Role::DoetOfficer => "DOET officer",
            Role::DohaOfficer => "DOHA (Emulation & Commendation Board) officer",
            Role::CouncilMember => "Council member",
            Role::ChairmanOffice => "Chairman's office",
            Role::UnitOfficer => "Unit officer",
            Role::AssociationAssessor => "Learning Promotion Association assessor",
            Role::Auditor => "Read-only auditor",
        }
    }

    /// What the role may do inside its scope. Kept as one table so that the matrix test and
    /// the documentation read it from the same place.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::SystemAdmin => true,
            // DOET issues the learning-title criteria with the Learning Promotion Association.
            // It also appraises and consolidates the commendation dossiers (seed III.5.1) and runs
            // the campaigns with DOHA. It does not propose: the appraiser of every proposer's
            // dossier never submits or withdraws one (a DOET officer proposing for the Sở itself
            // does so with a unit officer's grant on the Sở's own unit).
            Role::DoetOfficer => matches!(
                action,
                ReadRegistry
                    | WriteRegistry
                    | ImportRegistry
                    | ManageCriteria
                    | Assess
                    | Recognise
                    | ManageCampaigns
                    | AppraiseDoet
                    | Report
                    | ReviewReports
                    | CommentReports
                    | ProtectData
            ),
            // A ward's (or agency's) officers assess, issue the decisions their chairman grants and
            // propose their nominees.
            // They also record the decisions their own head takes within his or her authority (the
            // Giấy khen of a ward's Chairman, seed III.3.2.c).
            Role::UnitOfficer => {
                matches!(action, ReadRegistry | WriteRegistry | ImportRegistry | Assess | Recognise | Nominate | AwardOwn | Report)
            }
            Role::AssociationAssessor => matches!(action, ReadRegistry | WriteRegistry | Assess),
            // The yearly report goes to DOET and to DOHA (seed VII): DOHA reads and comments on it.
            // DOHA also records the decree in force when one replaces another (issue 13 §18).
            Role::DohaOfficer => matches!(action, ReadRegistry | ManageCampaigns | AppraiseDoha | CommentReports | ManageLegalBases),
            Role::CouncilMember => matches!(action, ReadRegistry | CouncilReview),
            Role::ChairmanOffice => matches!(action, ReadRegistry | Decide),
            Role::Auditor => matches!(action, ReadRegistry | ReadAudit),
        }
    }
}

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See units, organisations, households, clans, people and their history.
    ReadRegistry,
    /// Create, edit or deactivate registry records one by one.
    WriteRegistry,
    /// Bulk import of registry records.
    ImportRegistry,
    /// Read and export the audit log.
    ReadAudit,
    /// Create users, grant roles, reset passwords.
    ManageUsers,
    /// Add new versions of the learning-title criteria sets.
    ManageCriteria,
    /// Enter learning-title assessments, one by one or in bulk.
    Assess,
    /// Issue recognition decisions for learning titles.
    Recognise,
    /// Edit the per-year table of the working-day calendar.
    ManageCalendar,
    /// Open commendation campaigns, set their quotas and deadlines, grant extensions.
    ManageCampaigns,
    /// Build and submit a batch of nominees (tờ trình) for the unit.
    Nominate,
    /// DOET: appraise the batches of its scope, return, drop, consolidate and forward to DOHA.
    AppraiseDoet,
    /// DOHA's Emulation & Commendation Board: appraise, return or accept.
    AppraiseDoha,
    /// The emulation and commendation council: record its recommendation.
    CouncilReview,
    /// The Chairman's office: record the decision or the proposal to the central level.
    Decide,
    /// A proposing body: record the decision its own head takes within his or her authority
    /// (Giấy khen «theo thẩm quyền», seed III.3.2.c, III.3.3.c; Law 2022 Art. 80).
    AwardOwn,
    /// Write and submit the unit's yearly implementation report.
    Report,
    /// DOET: return, approve and reopen yearly reports, lock a reporting year, consolidate.
    ReviewReports,
    /// DOET and DOHA, to whom the yearly report is sent (seed VII): comment on a submitted report
    /// without changing its state.
    CommentReports,
    /// DOHA: record the decree detailing the Law on Emulation and Commendation in force from a
    /// date (Decree 152/2025's successor), cited by every generated decision from that date.
    ManageLegalBases,
    /// Keep the register of personal-data breaches and send their notifications (Law 91/2025
    /// Art. 23): the system's administrators and DOET, the movement's standing body.
    ProtectData,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::ReadRegistry,
        Action::WriteRegistry,
        Action::ImportRegistry,
        Action::ReadAudit,
        Action::ManageUsers,
        Action::ManageCriteria,
        Action::Assess,
        Action::Recognise,
        Action::ManageCalendar,
        Action::ManageCampaigns,
        Action::Nominate,
        Action::AppraiseDoet,
        Action::AppraiseDoha,
        Action::CouncilReview,
        Action::Decide,
        Action::AwardOwn,
        Action::Report,
        Action::ReviewReports,
        Action::CommentReports,
        Action::ManageLegalBases,
        Action::ProtectData,
    ];
}

/// A role held over a part of the tree, possibly for a limited time (a delegation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: NodeId,
    pub include_descendants: bool,
    pub valid_from: Option<OffsetDateTime>,
    pub valid_until: Option<OffsetDateTime>,
    /// The user who delegated this grant, if it is a delegation.
    pub delegated_by: Option<i64>,
}

impl Grant {
    /// A permanent grant.
    pub fn new(role: Role, scope: NodeId, include_descendants: bool) -> Self {
        Grant { role, scope, include_descendants, valid_from: None, valid_until: None, delegated_by: None }
    }

    /// Whether the grant is in force at `now`.
    pub fn active_at(&self, now: OffsetDateTime) -> bool {
        self.valid_from.is_none_or(|f| f <= now) && self.valid_until.is_none_or(|u| now < u)
    }

    fn reaches(&self, tree: &Tree, target: NodeId) -> bool {
        if self.include_descendants { tree.covers(self.scope, target) } else { self.scope == target }
    }
}

/// The outcome of an access decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Allowed; `on_behalf_of` names the delegating user when the deciding grant is a delegation.
    Allow {
        role: Role,
        on_behalf_of: Option<i64>,
    },
    Deny,
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow { .. })
    }
}

/// Decides whether the holder of `grants` may perform `action` on a record attached to `target`
/// at `now`. Own (non-delegated) grants are preferred so that the audit names a deputy only
/// when the deputy acts through the delegation.
pub fn decide(grants: &[Grant], action: Action, target: NodeId, tree: &Tree, now: OffsetDateTime) -> Decision {
    let mut usable: Vec<&Grant> = grants.iter().filter(|g| g.active_at(now) && g.role.allows(action) && g.reaches(tree, target)).collect();
    usable.sort_by_key(|g| g.delegated_by.is_some());
    match usable.first() {
        Some(g) => Decision::Allow { role: g.role, on_behalf_of: g.delegated_by },
        None => Decision::Deny,
    }
}

/// Why a delegation is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DelegationError {
    #[error("chỉ ủy quyền được quyền của chính mình, không ủy quyền lại quyền được ủy quyền")]
    NotOwn,
    #[error("chỉ ủy quyền cho người cùng cơ quan, đơn vị với mình")]
    OutsideOwnUnit,
    #[error("người nhận ủy quyền phải công tác trong phạm vi của quyền được ủy quyền")]
    OutsideScope,
    #[error("không thể ủy quyền cho chính mình")]
    ToSelf,
    #[error("thời hạn ủy quyền phải kết thúc sau khi bắt đầu, và không quá 1 năm")]
    Period,
    #[error("quyền quản trị hệ thống không được ủy quyền")]
    Administration,
}

/// The delegated copy of `base`, one of the delegator's own grants, for a deputy, or why it may
/// not be made. Delegation (ủy quyền) hands a deputy of the same office what the delegator may
/// do, for a period: never more than that grant (same role, same scope), never a delegation
/// again, never to someone of another office (an inspector's city-wide grant must not become a
/// ward officer's), never the administration of accounts and grants.
pub fn delegate(
    base: &Grant,
    delegator: (i64, NodeId),
    deputy: (i64, NodeId),
    period: (OffsetDateTime, OffsetDateTime),
    tree: &Tree,
) -> Result<Grant, DelegationError> {
    let ((delegator_id, delegator_home), (deputy_id, deputy_home)) = (delegator, deputy);
    let (from, until) = period;
    if base.delegated_by.is_some() {
        return Err(DelegationError::NotOwn);
    }
    if base.role == Role::SystemAdmin {
        return Err(DelegationError::Administration);
    }
    if deputy_id == delegator_id {
        return Err(DelegationError::ToSelf);
    }
    if until <= from || until - from > time::Duration::days(366) {
        return Err(DelegationError::Period);
    }
    if deputy_home != delegator_home {
        return Err(DelegationError::OutsideOwnUnit);
    }
    if !base.reaches(tree, deputy_home) {
        return Err(DelegationError::OutsideScope);
    }
    Ok(Grant { valid_from: Some(from), valid_until: Some(until), delegated_by: Some(delegator_id), ..base.clone() })
}

/// How long after the last failed sign-in the next attempt must wait, given `failures` in the
/// window: none for the first `free` ones, then 2 s, doubling with each failure, at most `cap`.
/// A growing delay, not a lock: whoever keeps guessing slows down, while the owner of an account
/// somebody else is guessing at waits seconds, never a quarter of an hour.
pub fn sign_in_delay(failures: i64, free: i64, cap: time::Duration) -> time::Duration {
    if failures < free {
        return time::Duration::ZERO;
    }
    let doublings = u32::try_from(failures - free + 1).unwrap_or(u32::MAX).min(30);
    time::Duration::seconds(1i64 << doublings).min(cap)
}

/// One part of the tree a list query may return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeRoot {
    pub node: NodeId,
    /// Whether the node's whole subtree is included, or the node alone.
    pub subtree: bool,
}

/// The filter a list query must apply for `action`. An empty list means nothing is visible.
pub fn list_scope(grants: &[Grant], action: Action, tree: &Tree, now: OffsetDateTime) -> Vec<ScopeRoot> {
    let mut out: Vec<ScopeRoot> = Vec::new();
    for g in grants.iter().filter(|g| g.active_at(now) && g.role.allows(action)) {
        let roots = if g.include_descendants { tree.scope_roots(g.scope) } else { vec![g.scope] };
        for node in roots {
            let root = ScopeRoot { node, subtree: g.include_descendants };
            if !out.contains(&root) {
                out.push(root);
            }
        }
    }
    out
}

/// The grants of an API token limited to an area (issue 18 §6): a grant that reaches the area
/// with what is below it is narrowed to the area, a grant on the area itself or inside it is
/// kept, any other is dropped. A token never reaches more than its user.
pub fn narrow_to_area(grants: &[Grant], area: NodeId, tree: &Tree) -> Vec<Grant> {
    grants
        .iter()
        .filter_map(|g| {
            if g.scope == area || tree.covers(area, g.scope) {
                Some(g.clone())
            } else if g.include_descendants && tree.covers(g.scope, area) {
                Some(Grant { scope: area, ..g.clone() })
            } else {
                None
            }
        })
        .collect()
}

/// Why an account must pass a second step at sign-in (issue 18 §6: two-step sign-in is required
/// «for the city-wide roles and administrators», optional for everyone else).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorReason {
    /// The account manages accounts and grants.
    Administrator,
    /// The account holds a role over the whole city (a unit with no unit above it, with all
    /// below): what it can read or change is the city's.
    CityWide,
}

/// Whether the holder of `grants` must sign in with a second factor, and why. Every grant the
/// account holds counts, in force or not yet (a delegation that starts tomorrow still needs the
/// account to be set up today); an ended one does not.
pub fn second_factor_required(grants: &[Grant], tree: &Tree, now: OffsetDateTime) -> Option<SecondFactorReason> {
    let held = grants.iter().filter(|g| g.valid_until.is_none_or(|u| now < u));
    let mut reason = None;
    for g in held {
        if g.role == Role::SystemAdmin {
            return Some(SecondFactorReason::Administrator);
        }
        if g.include_descendants && tree.get(g.scope).is_some_and(|n| n.parent.is_none()) {
            reason = Some(SecondFactorReason::CityWide);
        }
    }
    reason
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::TreeNode;
    use time::macros::datetime;

    fn tree() -> Tree {
        // 1 city ⊃ 2 ward A ⊃ 3 village; 1 ⊃ 4 ward B.
        let n = |id, parent| TreeNode { id, parent, valid_from: None, valid_to: None, ..Default::default() };
        Tree::new([n(1, None), n(2, Some(1)), n(3, Some(2)), n(4, Some(1))]).unwrap_or_default()
    }
    const NOW: OffsetDateTime = datetime!(2026-11-28 09:00 UTC);

    #[test]
    fn a_ward_officer_writes_inside_the_ward_and_not_next_door() {
        let g = [Grant::new(Role::UnitOfficer, 2, true)];
        assert!(decide(&g, Action::WriteRegistry, 3, &tree(), NOW).is_allowed());
        assert_eq!(decide(&g, Action::WriteRegistry, 4, &tree(), NOW), Decision::Deny);
        assert_eq!(decide(&g, Action::ReadRegistry, 1, &tree(), NOW), Decision::Deny);
    }

    #[test]
    fn a_delegation_goes_to_a_colleague_of_the_same_office_for_at_most_a_year() {
        let own = Grant::new(Role::UnitOfficer, 2, true);
        let period = (NOW, NOW + time::Duration::days(30));
        let d = delegate(&own, (10, 2), (11, 2), period, &tree());
        assert_eq!(d.as_ref().map(|g| (g.role, g.scope, g.delegated_by)), Ok((Role::UnitOfficer, 2, Some(10))));
        assert_eq!(delegate(&own, (10, 2), (11, 2), (NOW, NOW + time::Duration::days(400)), &tree()), Err(DelegationError::Period));
        assert_eq!(delegate(&own, (10, 2), (10, 2), period, &tree()), Err(DelegationError::ToSelf));
    }

    #[test]
    fn a_city_wide_grant_is_not_delegated_to_an_officer_of_another_office() {
        // The inspector of the city (home 1) and a ward officer (home 2, inside the city).
        let inspector = Grant::new(Role::Auditor, 1, true);
        let period = (NOW, NOW + time::Duration::days(30));
        assert_eq!(delegate(&inspector, (10, 1), (11, 2), period, &tree()), Err(DelegationError::OutsideOwnUnit));
    }

    #[test]
    fn a_delegated_grant_or_an_administrators_grant_is_never_delegated() {
        let period = (NOW, NOW + time::Duration::days(30));
        let received = Grant { delegated_by: Some(9), ..Grant::new(Role::UnitOfficer, 2, true) };
        assert_eq!(delegate(&received, (10, 2), (11, 2), period, &tree()), Err(DelegationError::NotOwn));
        let admin = Grant::new(Role::SystemAdmin, 1, true);
        assert_eq!(delegate(&admin, (10, 1), (11, 1), period, &tree()), Err(DelegationError::Administration));
        // A grant over one ward held by someone whose office is elsewhere cannot reach them.
        let narrow = Grant::new(Role::UnitOfficer, 4, true);
        assert_eq!(delegate(&narrow, (10, 2), (11, 2), period, &tree()), Err(DelegationError::OutsideScope));
    }

    #[test]
    fn failed_sign_ins_slow_the_next_attempt_down_without_locking_it() {
        let cap = time::Duration::seconds(60);
        assert_eq!(sign_in_delay(4, 5, cap), time::Duration::ZERO);
        assert_eq!(sign_in_delay(5, 5, cap), time::Duration::seconds(2));
        assert_eq!(sign_in_delay(6, 5, cap), time::Duration::seconds(4));
        assert_eq!(sign_in_delay(9, 5, cap), time::Duration::seconds(32));
        assert_eq!(sign_in_delay(10, 5, cap), cap);
        assert_eq!(sign_in_delay(i64::MAX, 5, cap), cap);
    }

    #[test]
    fn a_grant_without_descendants_covers_its_node_only() {
        let g = [Grant::new(Role::UnitOfficer, 2, false)];
        assert!(decide(&g, Action::ReadRegistry, 2, &tree(), NOW).is_allowed());
        assert_eq!(decide(&g, Action::ReadRegistry, 3, &tree(), NOW), Decision::Deny);
    }

    #[test]
    fn read_only_roles_cannot_write() {
        for role in [Role::Auditor, Role::DohaOfficer, Role::CouncilMember, Role::ChairmanOffice] {
            let g = [Grant::new(role, 1, true)];
            assert!(decide(&g, Action::ReadRegistry, 3, &tree(), NOW).is_allowed());
            assert_eq!(decide(&g, Action::WriteRegistry, 3, &tree(), NOW), Decision::Deny, "{role:?}");
        }
    }

    #[test]
    fn only_auditors_and_administrators_read_the_audit_log() {
        for role in Role::ALL {
            let g = [Grant::new(role, 1, true)];
            let allowed = decide(&g, Action::ReadAudit, 1, &tree(), NOW).is_allowed();
            assert_eq!(allowed, matches!(role, Role::Auditor | Role::SystemAdmin), "{role:?}");
        }
    }

    #[test]
    fn a_delegation_works_only_within_its_period_and_names_the_delegator() {
        let mut g = Grant::new(Role::UnitOfficer, 2, true);
        g.valid_from = Some(datetime!(2026-11-01 0:00 UTC));
        g.valid_until = Some(datetime!(2026-12-01 0:00 UTC));
        g.delegated_by = Some(42);
        let g = [g];
        assert_eq!(decide(&g, Action::WriteRegistry, 3, &tree(), NOW), Decision::Allow { role: Role::UnitOfficer, on_behalf_of: Some(42) });
        assert_eq!(decide(&g, Action::WriteRegistry, 3, &tree(), datetime!(2026-12-01 0:00 UTC)), Decision::Deny);
        assert_eq!(decide(&g, Action::WriteRegistry, 3, &tree(), datetime!(2026-10-31 23:59 UTC)), Decision::Deny);
    }

    #[test]
    fn own_grants_are_preferred_over_delegations() {
        let mut d = Grant::new(Role::UnitOfficer, 1, true);
        d.delegated_by = Some(7);
        let g = [d, Grant::new(Role::UnitOfficer, 2, true)];
        assert_eq!(decide(&g, Action::WriteRegistry, 3, &tree(), NOW), Decision::Allow { role: Role::UnitOfficer, on_behalf_of: None });
    }

    #[test]
    fn list_scope_lists_the_roots_of_every_usable_grant() {
        let g = [Grant::new(Role::UnitOfficer, 2, true), Grant::new(Role::Auditor, 4, false)];
        let s = list_scope(&g, Action::ReadRegistry, &tree(), NOW);
        assert_eq!(s, vec![ScopeRoot { node: 2, subtree: true }, ScopeRoot { node: 4, subtree: false }]);
        assert!(list_scope(&g, Action::ManageUsers, &tree(), NOW).is_empty());
    }

    #[test]
    fn administrators_and_city_wide_roles_must_use_a_second_factor() {
        let admin_of_a_ward = [Grant::new(Role::SystemAdmin, 2, true)];
        assert_eq!(second_factor_required(&admin_of_a_ward, &tree(), NOW), Some(SecondFactorReason::Administrator));
        let doet = [Grant::new(Role::DoetOfficer, 1, true)];
        assert_eq!(second_factor_required(&doet, &tree(), NOW), Some(SecondFactorReason::CityWide));
    }

    #[test]
    fn a_ward_officer_and_a_grant_on_the_city_unit_alone_may_choose() {
        assert_eq!(second_factor_required(&[Grant::new(Role::UnitOfficer, 2, true)], &tree(), NOW), None);
        assert_eq!(second_factor_required(&[Grant::new(Role::DoetOfficer, 1, false)], &tree(), NOW), None);
    }

    #[test]
    fn a_city_wide_delegation_counts_until_it_ends() {
        let mut g = Grant::new(Role::DoetOfficer, 1, true);
        g.valid_from = Some(NOW + time::Duration::days(1));
        g.valid_until = Some(NOW + time::Duration::days(8));
        assert_eq!(second_factor_required(std::slice::from_ref(&g), &tree(), NOW), Some(SecondFactorReason::CityWide));
        assert_eq!(second_factor_required(&[g], &tree(), NOW + time::Duration::days(9)), None);
    }

    #[test]
    fn a_token_limited_to_a_ward_reaches_the_ward_and_nothing_beside_it() {
        let city = [Grant::new(Role::DoetOfficer, 1, true)];
        let narrowed = narrow_to_area(&city, 2, &tree());
        assert!(decide(&narrowed, Action::ReadRegistry, 3, &tree(), NOW).is_allowed());
        assert_eq!(decide(&narrowed, Action::ReadRegistry, 4, &tree(), NOW), Decision::Deny);
        assert_eq!(decide(&narrowed, Action::ReadRegistry, 1, &tree(), NOW), Decision::Deny);
    }

    #[test]
    fn a_token_never_reaches_more_than_its_user() {
        let ward = [Grant::new(Role::UnitOfficer, 2, true)];
        // An area above the user's ward keeps the ward's grant as it is; one beside it keeps nothing.
        assert_eq!(narrow_to_area(&ward, 1, &tree()), ward.to_vec());
        assert!(narrow_to_area(&ward, 4, &tree()).is_empty());
        // A grant on one unit alone does not reach the units below it.
        assert!(narrow_to_area(&[Grant::new(Role::UnitOfficer, 2, false)], 3, &tree()).is_empty());
    }
}
