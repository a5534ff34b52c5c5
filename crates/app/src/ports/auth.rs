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
    async fn create_session(&self, token_hash: &str, user_id: i64, csrf: &str, expires_at: OffsetDateTime) -> StoreResult<()>;
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn delete_user_sessions(&self, user_id: i64) -> StoreResult<()>;
    async fn purge_expired(&self, now: OffsetDateTime) -> StoreResult<u64>;
    async fn record_login_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()>;
    /// Failed sign-ins under `key` since `since`: how many, and when the last one was.
    async fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<(i64, Option<OffsetDateTime>)>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    async fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str, audit: AuditDraft) -> StoreResult<i64>;
    async fn api_token_user(&self, token_hash: &str) -> StoreResult<Option<i64>>;
    async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>>;
    async fn revoke_api_token(&self, user_id: i64, token_id: i64, audit: AuditDraft) -> StoreResult<bool>;
}
