//! The storage ports of auth, each implemented directly by `thidua_storage::SqlStore` (no
//! forwarding layer); `Store` in the parent module is all of them together.

use super::*;

/// Users, grants, sessions, sign-in failures and API tokens.
#[async_trait]
pub trait AuthStore: Send + Sync {
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>>;
    async fn user(&self, id: i64) -> StoreResult<Option<UserRecord>>;
    async fn users(&self) -> StoreResult<Vec<UserRecord>>;
    async fn create_user(
        &self,
        username: &str,
        full_name: &str,
        password_hash: &str,
        home_unit: i64,
        audit: AuditDraft,
    ) -> StoreResult<i64>;
    async fn set_password(&self, user_id: i64, password_hash: &str, audit: AuditDraft) -> StoreResult<()>;
    /// Activates or deactivates an account; deactivation also ends its sessions.
    async fn set_user_active(&self, user_id: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;
    async fn grants(&self, user_id: i64) -> StoreResult<Vec<GrantRecord>>;
    async fn add_grant(&self, user_id: i64, grant: &thidua_domain::access::Grant, audit: AuditDraft) -> StoreResult<i64>;
    /// The grants `delegator` has delegated (current and ended).
    async fn delegations_by(&self, delegator: i64) -> StoreResult<Vec<GrantRecord>>;
    async fn grant(&self, id: i64) -> StoreResult<Option<GrantRecord>>;
    /// Ends a delegated grant now; false if it is not a delegation or has ended already.
    async fn end_delegation(&self, id: i64, audit: AuditDraft) -> StoreResult<bool>;
    async fn create_session(&self, session: &SessionDraft) -> StoreResult<()>;
    /// Replaces a session waiting for its second step by a full one under a new token, with the
    /// sign-in's audit entry; false (nothing written) when the waiting session is gone.
    async fn promote_session(&self, waiting_hash: &str, full: &SessionDraft, audit: AuditDraft) -> StoreResult<bool>;
    /// The user's sessions that have not expired, newest first.
    async fn sessions_of(&self, user_id: i64, now: OffsetDateTime) -> StoreResult<Vec<SessionInfo>>;
    /// Ends one of the user's sessions (audited); false when it is not theirs or is gone.
    async fn end_session(&self, user_id: i64, token_hash: &str, audit: AuditDraft) -> StoreResult<bool>;
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn delete_user_sessions(&self, user_id: i64) -> StoreResult<()>;
    async fn purge_expired(&self, now: OffsetDateTime) -> StoreResult<u64>;
    async fn record_login_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()>;
    /// Failed sign-ins under `key` since `since`: how many, and when the last one was.
    async fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<(i64, Option<OffsetDateTime>)>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    async fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str, grant: &TokenGrant, audit: AuditDraft)
    -> StoreResult<i64>;
    /// The user behind a token not revoked, and what it may do (its end is checked by the caller).
    async fn api_token_user(&self, token_hash: &str) -> StoreResult<Option<TokenGrant>>;
    async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>>;
    async fn revoke_api_token(&self, user_id: i64, token_id: i64, audit: AuditDraft) -> StoreResult<bool>;
    /// Notes that the account signed in from a browser: whether it is new to the account, and
    /// whether the account had any before (its very first is nobody's news).
    async fn note_device(&self, user_id: i64, device_hash: &str, at: OffsetDateTime) -> StoreResult<DeviceSeen>;
    /// The account's authenticator, once set up.
    async fn second_factor(&self, user_id: i64) -> StoreResult<Option<SecondFactorRecord>>;
    /// Sets up the account's authenticator with its first accepted step and new recovery codes
    /// (their hashes); false (nothing written) when one is set up already.
    async fn add_second_factor(
        &self,
        user_id: i64,
        secret: &str,
        step: i64,
        recovery_hashes: &[String],
        audit: AuditDraft,
    ) -> StoreResult<bool>;
    /// Takes a time step as used: true only when it is later than every step accepted before
    /// (so a code is accepted once, even by two requests at the same moment).
    async fn accept_step(&self, user_id: i64, step: i64) -> StoreResult<bool>;
    /// Uses a recovery code: true only the first time.
    async fn use_recovery_code(&self, user_id: i64, code_hash: &str, at: OffsetDateTime) -> StoreResult<bool>;
    /// How many recovery codes are left unused.
    async fn recovery_codes_left(&self, user_id: i64) -> StoreResult<i64>;
    /// Replaces every recovery code of the account by new ones (audited).
    async fn replace_recovery_codes(&self, user_id: i64, recovery_hashes: &[String], audit: AuditDraft) -> StoreResult<()>;
    /// Removes the account's authenticator and recovery codes (audited); with `end_access`, its
    /// sessions end and its API tokens are revoked too (a reset after a lost phone).
    async fn remove_second_factor(&self, user_id: i64, end_access: bool, audit: AuditDraft) -> StoreResult<bool>;
}

/// What a sign-in's browser is to its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceSeen {
    pub new: bool,
    pub had_others: bool,
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// Signed in: the session opens what the account's grants allow.
    Full,
    /// The password was right; a code from the authenticator (or a recovery code) is next.
    Code,
    /// The password was right; the account must set up an authenticator before anything else.
    Enrol,
}

impl SessionStage {
    pub fn code(self) -> &'static str {
        match self {
            SessionStage::Full => "full",
            SessionStage::Code => "code",
            SessionStage::Enrol => "enrol",
        }
    }
    pub fn from_code(code: &str) -> Option<SessionStage> {
        [SessionStage::Full, SessionStage::Code, SessionStage::Enrol].into_iter().find(|s| s.code() == code)
    }
}

/// A session to store.
#[derive(Debug, Clone)]
pub struct SessionDraft {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf: String,
    pub expires_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub stage: SessionStage,
    /// The client's address and browser, as the user will see them in their list of sessions.
    pub address: String,
    pub user_agent: String,
}

/// A session as its user sees it (the token's hash identifies it; the token is never stored).
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub token_hash: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub stage: SessionStage,
    pub address: String,
    pub user_agent: String,
}

/// An account's authenticator.
#[derive(Debug, Clone)]
pub struct SecondFactorRecord {
    /// Base32 (RFC 4648, no padding), as authenticator apps take it.
    pub secret: String,
    pub last_step: i64,
    pub confirmed_at: OffsetDateTime,
}
