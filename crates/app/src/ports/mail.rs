//! The storage ports of mail, each implemented directly by `thidua_storage::SqlStore` (no
//! forwarding layer); `Store` in the parent module is all of them together.

use super::*;

/// The mail outbox and the users' contact addresses.
#[async_trait]
pub trait MailStore: Send + Sync {
    /// Sets a user's e-mail address and whether they head their home unit.
    async fn set_user_contact(&self, user_id: i64, email: Option<&str>, unit_head: bool, audit: AuditDraft) -> StoreResult<()>;
    /// Queues the mails whose key is new (one transaction); returns how many were queued. The
    /// audit entry is written only when at least one was.
    async fn enqueue_mail(&self, mails: &[MailDraft], audit: AuditDraft) -> StoreResult<u64>;
    /// Claims up to `limit` mails due at `now_ms` for this process: each claimed mail's next
    /// attempt moves to `lease_until_ms` and its attempts count up, so no other process sends it
    /// meanwhile.
    async fn claim_mail(&self, now_ms: i64, lease_until_ms: i64, limit: i64) -> StoreResult<Vec<MailRecord>>;
    async fn finish_mail(&self, id: i64, at_ms: i64, outcome: &MailOutcome) -> StoreResult<()>;
    /// The outbox, newest first.
    async fn mail_outbox(&self, page: PageRequest) -> StoreResult<Page<MailRecord>>;
}
