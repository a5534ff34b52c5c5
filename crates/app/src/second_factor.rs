//! Two-step sign-in (issue 18 §6): a code from an authenticator app (TOTP, RFC 6238: HMAC-SHA1,
//! six digits, 30-second steps, one step of clock drift either way), required for administrators
//! and the city-wide roles (`domain::access::second_factor_required`) and open to everyone else,
//! with ten one-time recovery codes for a lost phone.
//!
//! A correct password opens only a *waiting* session (`SessionStage::Code`, or `Enrol` for an
//! account that must set up its authenticator first): it opens no page and no API, lives ten
//! minutes, and is replaced by a full session under a new token once the second step is passed.
//! A code is accepted once: the step it belongs to must be later than every step accepted
//! before (RFC 6238 §5.2), decided by one conditional UPDATE, so two requests with the same code
//! at the same moment cannot both pass.

use crate::auth::{NewSession, random_token, token_hash};
use crate::error::{AppError, AppResult};
use crate::ports::{AuditDraft, SessionDraft, SessionInfo, SessionStage, UserRecord};
use crate::{Actor, App, Authorized};
use rand::RngCore;
use thidua_domain::access::{Action, SecondFactorReason};
use time::{Duration, OffsetDateTime};

/// The name authenticator apps show beside the account (no `:`, as the key URI format asks).
pub const ISSUER: &str = "thidua Hà Nội";
/// How long a session waits for its second step.
pub const WAITING_SECS: i64 = 600;
/// Recovery codes given at set-up, each usable once.
pub const RECOVERY_CODES: usize = 10;
/// The alphabet of recovery codes: no 0/O, 1/I/L, so that a code copied by hand is read back.
const RECOVERY_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Where a sign-in came from: shown to the user in their list of sessions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin<'a> {
    pub address: &'a str,
    pub user_agent: &'a str,
    /// The browser's own id (a long-lived cookie); empty where there is none (the command line).
    pub device: &'a str,
}

/// The outcome of a correct password.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in.
    Done(Box<Actor>, NewSession),
    /// The second step is next: a waiting session, which opens nothing yet.
    Waiting(NewSession, SessionStage),
}

impl SignIn {
    /// The full session, for callers that sign in an account without a second factor (the
    /// command line's benchmarks, tests); a waiting session is refused as not signed in.
    pub fn signed_in(self) -> AppResult<(Actor, NewSession)> {
        match self {
            SignIn::Done(actor, session) => Ok((*actor, session)),
            SignIn::Waiting(..) => Err(AppError::Unauthenticated),
        }
    }
}

/// An authenticator to set up: the secret (Base32, for typing by hand) and the `otpauth://`
/// URI the QR code carries.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
}

/// Whom a waiting session belongs to, and what it waits for.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub username: String,
    pub full_name: String,
    pub stage: SessionStage,
    pub csrf: String,
    pub reason: Option<SecondFactorReason>,
}

/// The account page's view of two-step sign-in.
#[derive(Debug, Clone)]
pub struct SecondFactorStatus {
    pub since: Option<OffsetDateTime>,
    pub required: Option<SecondFactorReason>,
    pub recovery_left: i64,
}

fn totp(secret: &str, account: &str) -> AppResult<totp_rs::Totp> {
    let bytes = totp_rs::Secret::try_from_base32(secret.trim().to_ascii_uppercase())
        .map_err(|_| AppError::Invalid("khóa bí mật không hợp lệ: hãy tải lại trang để nhận khóa mới".into()))?;
    totp_rs::Builder::new()
        .with_secret(bytes.as_bytes().to_vec())
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|_| AppError::Invalid("khóa bí mật không hợp lệ: hãy tải lại trang để nhận khóa mới".into()))
}

/// A code as typed: six digits (spaces ignored) from the app, or a recovery code.
enum Typed {
    Totp(String),
    Recovery(String),
    Neither,
}

fn typed(code: &str) -> Typed {
    let compact: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        Typed::Totp(compact)
    } else if compact.chars().count() == 10 && compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        Typed::Recovery(compact.to_ascii_uppercase())
    } else {
        Typed::Neither
    }
}

/// The code an authenticator app shows for `secret` at `at`, and the time step it belongs to:
/// what the user's phone computes (for the command line's benchmarks and the tests, which act as
/// the user's phone).
pub fn authenticator_code(secret: &str, at: OffsetDateTime) -> AppResult<(String, u64)> {
    let t = totp(secret, "")?;
    Ok((t.generate(unix(at)).to_string(), unix(at) / 30))
}

fn unix(t: OffsetDateTime) -> u64 {
    u64::try_from(t.unix_timestamp()).unwrap_or(0)
}

fn wrong_code() -> AppError {
    AppError::Invalid("mã xác thực không đúng hoặc đã được dùng: hãy nhập mã đang hiện trong ứng dụng".into())
}

/// New recovery codes: the plain codes (shown once) and their hashes (stored).
fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let mut rng = rand::rng();
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let chars: String = (0..10).map(|_| RECOVERY_ALPHABET[(rng.next_u32() as usize) % RECOVERY_ALPHABET.len()] as char).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect();
    let hashes = codes.iter().map(|c| token_hash(&c.replace('-', ""))).collect();
    (codes, hashes)
}

impl App {
    /// Why the account must use a second factor, if it must (the operator can lift the rule for
    /// a whole installation with `THIDUA_REQUIRE_2FA=0`; an account that has set one up is
    /// asked for it whatever the rule).
    pub(crate) async fn second_factor_rule(&self, user_id: i64) -> AppResult<Option<SecondFactorReason>> {
        if !self.config.require_second_factor {
            return Ok(None);
        }
        let grants: Vec<_> = self.store.grants(user_id).await?.into_iter().map(|g| g.grant).collect();
        let snap = self.snapshot().await?;
        Ok(thidua_domain::access::second_factor_required(&grants, &snap.tree, self.clock.now()))
    }

    /// After a correct password: a full session, or a waiting one when the account has an
    /// authenticator or must set one up.
    pub(crate) async fn open_session(&self, user: &UserRecord, origin: Origin<'_>) -> AppResult<SignIn> {
        let now = self.clock.now();
        let stage = if self.store.second_factor(user.id).await?.is_some() {
            SessionStage::Code
        } else if self.second_factor_rule(user.id).await?.is_some() {
            SessionStage::Enrol
        } else {
            SessionStage::Full
        };
        let ttl = if stage == SessionStage::Full { self.config.session_ttl_secs } else { WAITING_SECS };
        let session = NewSession { token: random_token(), csrf: random_token(), expires_at: now + Duration::seconds(ttl) };
        self.store.create_session(&self.session_draft(&session, user.id, stage, origin)).await?;
        let action = if stage == SessionStage::Full { "auth.login" } else { "auth.password_accepted" };
        let mut payload = serde_json::json!({"address": origin.address});
        if stage != SessionStage::Full {
            payload["waiting_for"] = stage.code().into();
        }
        self.store.append_audit(self.audit_system(&user.username, action, "user", user.id, Some(payload))).await?;
        if stage == SessionStage::Full {
            self.note_device(user, origin).await?;
        }
        Ok(match stage {
            SessionStage::Full => SignIn::Done(Box::new(self.actor(user.id).await?), session),
            waiting => SignIn::Waiting(session, waiting),
        })
    }

    fn session_draft(&self, s: &NewSession, user_id: i64, stage: SessionStage, origin: Origin<'_>) -> SessionDraft {
        SessionDraft {
            token_hash: token_hash(&s.token),
            user_id,
            csrf: s.csrf.clone(),
            expires_at: s.expires_at,
            created_at: self.clock.now(),
            stage,
            address: origin.address.chars().take(64).collect(),
            user_agent: origin.user_agent.chars().filter(|c| !c.is_control()).take(256).collect(),
        }
    }

    /// A full sign-in from a browser the account has not used before is told to its owner (an
    /// audit entry on the account, shown on its page, and an e-mail where it has an address);
    /// the account's very first browser is nobody's news.
    async fn note_device(&self, user: &UserRecord, origin: Origin<'_>) -> AppResult<()> {
        if origin.device.is_empty() {
            return Ok(());
        }
        let seen = self.store.note_device(user.id, &token_hash(origin.device), self.clock.now()).await?;
        if !(seen.new && seen.had_others) {
            return Ok(());
        }
        let at = crate::auth::hanoi_time(self.clock.now());
        let browser = if origin.user_agent.is_empty() { "không rõ" } else { origin.user_agent };
        let notice = crate::auth::Notice {
            action: "auth.new_device",
            payload: serde_json::json!({"address": origin.address, "user_agent": origin.user_agent}),
            subject: "thidua: tài khoản của bạn vừa đăng nhập từ một trình duyệt mới",
            body: format!(
                "Kính gửi {},\n\nLúc {at}, tài khoản «{}» đăng nhập từ một trình duyệt chưa dùng trước đây (địa chỉ {}, trình duyệt: {browser}). \
                 Nếu không phải bạn, hãy đổi mật khẩu, kết thúc phiên đó trên trang Tài khoản và báo quản trị viên.\n",
                user.full_name, user.username, origin.address
            ),
            dedupe: format!("auth.new_device:{}:{}", user.id, token_hash(origin.device)),
        };
        self.tell_owner(user, &user.username, notice).await
    }

    /// The owner of an account learns of a change to how it signs in (by mail where it has an
    /// address; the change itself is in the account's audit entries).
    pub(crate) async fn tell_of_change(&self, user: &UserRecord, by: &str, what: &str) -> AppResult<()> {
        let at = crate::auth::hanoi_time(self.clock.now());
        let notice = crate::auth::Notice {
            action: "user.notified",
            payload: serde_json::json!({"about": what}),
            subject: "thidua: cách đăng nhập tài khoản của bạn vừa thay đổi",
            body: format!(
                "Kính gửi {},\n\nLúc {at}, tài khoản «{}» vừa được thay đổi: {what}. \
                 Nếu không phải bạn hay quản trị viên của bạn làm việc này, hãy báo ngay quản trị viên.\n",
                user.full_name, user.username
            ),
            dedupe: format!("user.notified:{}:{}:{}", user.id, what, self.clock.now().unix_timestamp()),
        };
        if user.email.as_deref().is_none_or(str::is_empty) {
            // Without an address the change's own audit entry is the notice.
            return Ok(());
        }
        self.tell_owner(user, by, notice).await
    }

    /// The waiting session behind `token` and its user.
    async fn waiting_user(&self, token: &str) -> AppResult<(UserRecord, SessionStage, String)> {
        let s = self.store.session(&token_hash(token)).await?.ok_or(AppError::Unauthenticated)?;
        if s.stage == SessionStage::Full || s.expires_at <= self.clock.now() {
            return Err(AppError::Unauthenticated);
        }
        let user = self.store.user(s.user_id).await?.filter(|u| u.active).ok_or(AppError::Unauthenticated)?;
        Ok((user, s.stage, s.csrf_token))
    }

    /// What a waiting session waits for, for the second step's page.
    pub async fn waiting(&self, token: &str) -> AppResult<Waiting> {
        let (user, stage, csrf) = self.waiting_user(token).await?;
        let reason = self.second_factor_rule(user.id).await?;
        Ok(Waiting { username: user.username, full_name: user.full_name, stage, csrf, reason })
    }

    /// A new authenticator secret (160 random bits) for `username` to set up.
    pub fn new_enrolment(&self, username: &str) -> AppResult<Enrolment> {
        let mut bytes = [0u8; 20];
        rand::rng().fill_bytes(&mut bytes);
        self.enrolment_of(username, &totp_rs::Secret::from(bytes.to_vec()).to_base32())
    }

    /// The enrolment of a secret already shown (the form sends it back with the first code).
    pub fn enrolment_of(&self, username: &str, secret: &str) -> AppResult<Enrolment> {
        let t = totp(secret, username)?;
        let uri = t.to_url().map_err(|e| AppError::Invalid(e.to_string()))?;
        Ok(Enrolment { secret: t.secret().to_base32(), uri })
    }

    /// Failed second steps of one account slow down like failed passwords (after five, each
    /// next attempt waits longer, at most a minute).
    async fn second_step_throttle(&self, user: &UserRecord) -> AppResult<String> {
        let now = self.clock.now();
        let key = format!("2fa:{}", user.id);
        let since = now - Duration::seconds(self.config.throttle_window_secs);
        let (n, last) = self.store.login_failures_since(&key, since).await?;
        if let Some(last) = last {
            let cap = Duration::seconds(self.config.account_delay_cap_secs);
            let wait = last + thidua_domain::access::sign_in_delay(n, self.config.max_failures_per_account, cap) - now;
            if wait > Duration::ZERO {
                return Err(AppError::Throttled(wait.whole_seconds().max(1)));
            }
        }
        Ok(key)
    }

    async fn second_step_failed(&self, user: &UserRecord, key: &str, origin: Origin<'_>) -> AppResult<AppError> {
        let now = self.clock.now();
        self.store.record_login_failure(key, now).await?;
        let audit = self.audit_system(
            &user.username,
            "auth.second_factor_failed",
            "user",
            user.id,
            Some(serde_json::json!({"address": origin.address})),
        );
        self.store.append_audit(audit).await?;
        Ok(wrong_code())
    }

    /// Checks a code typed by `user` against their authenticator (or their recovery codes):
    /// which kind passed, or none.
    async fn check_code(&self, user: &UserRecord, code: &str) -> AppResult<Option<&'static str>> {
        let Some(factor) = self.store.second_factor(user.id).await? else { return Ok(None) };
        match typed(code) {
            Typed::Totp(digits) => {
                let t = totp(&factor.secret, &user.username)?;
                match t.check(&digits, unix(self.clock.now())) {
                    Some(step) => Ok(self.store.accept_step(user.id, i64::try_from(step).unwrap_or(i64::MAX)).await?.then_some("totp")),
                    None => Ok(None),
                }
            }
            Typed::Recovery(c) => {
                Ok(self.store.use_recovery_code(user.id, &token_hash(&c), self.clock.now()).await?.then_some("recovery_code"))
            }
            Typed::Neither => Ok(None),
        }
    }

    /// The waiting session becomes a full one under a new token.
    async fn promote(&self, token: &str, user: &UserRecord, how: &str, origin: Origin<'_>) -> AppResult<NewSession> {
        let now = self.clock.now();
        let session =
            NewSession { token: random_token(), csrf: random_token(), expires_at: now + Duration::seconds(self.config.session_ttl_secs) };
        let audit = self.audit_system(
            &user.username,
            "auth.login",
            "user",
            user.id,
            Some(serde_json::json!({"address": origin.address, "second_factor": how})),
        );
        let draft = self.session_draft(&session, user.id, SessionStage::Full, origin);
        if !self.store.promote_session(&token_hash(token), &draft, audit).await? {
            return Err(AppError::Unauthenticated);
        }
        self.note_device(user, origin).await?;
        Ok(session)
    }

    /// The second step of a sign-in: a code from the authenticator, or a recovery code.
    pub async fn second_step(&self, token: &str, code: &str, origin: Origin<'_>) -> AppResult<(Actor, NewSession)> {
        let (user, stage, _) = self.waiting_user(token).await?;
        if stage != SessionStage::Code {
            return Err(AppError::Unauthenticated);
        }
        let key = self.second_step_throttle(&user).await?;
        let Some(how) = self.check_code(&user, code).await? else {
            return Err(self.second_step_failed(&user, &key, origin).await?);
        };
        self.store.clear_login_failures(&key).await?;
        let session = self.promote(token, &user, how, origin).await?;
        Ok((self.actor(user.id).await?, session))
    }

    /// Checks the first code of a new authenticator and stores it with new recovery codes.
    async fn add_authenticator(&self, user: &UserRecord, secret: &str, code: &str, by: &str) -> AppResult<Vec<String>> {
        let t = totp(secret, &user.username)?;
        let Typed::Totp(digits) = typed(code) else { return Err(wrong_code()) };
        let step = t.check(&digits, unix(self.clock.now())).ok_or_else(wrong_code)?;
        let (codes, hashes) = recovery_codes();
        let audit = AuditDraft { unit_id: Some(user.home_unit), ..self.audit_system(by, "user.second_factor_on", "user", user.id, None) };
        let stored = t.secret().to_base32();
        if !self.store.add_second_factor(user.id, &stored, i64::try_from(step).unwrap_or(i64::MAX), &hashes, audit).await? {
            return Err(AppError::Conflict("tài khoản đã có ứng dụng xác thực".into()));
        }
        self.tell_of_change(user, by, "bật đăng nhập hai bước (ứng dụng xác thực mới)").await?;
        Ok(codes)
    }

    /// Sets up the authenticator of an account that must have one before it signs in: the
    /// waiting session becomes a full one; the recovery codes are shown once.
    pub async fn enrol_waiting(&self, token: &str, secret: &str, code: &str, origin: Origin<'_>) -> AppResult<(NewSession, Vec<String>)> {
        let (user, stage, _) = self.waiting_user(token).await?;
        if stage != SessionStage::Enrol {
            return Err(AppError::Unauthenticated);
        }
        let key = self.second_step_throttle(&user).await?;
        let codes = match self.add_authenticator(&user, secret, code, &user.username).await {
            Ok(codes) => codes,
            Err(AppError::Invalid(m)) if m == wrong_code().to_string() => return Err(self.second_step_failed(&user, &key, origin).await?),
            Err(e) => return Err(e),
        };
        self.store.clear_login_failures(&key).await?;
        let session = self.promote(token, &user, "setup", origin).await?;
        Ok((session, codes))
    }

    /// Sets up an authenticator from the account page (optional for this account, or set up
    /// again after a reset).
    pub async fn enrol(&self, actor: &Actor, secret: &str, code: &str) -> AppResult<Vec<String>> {
        let user = self.store.user(actor.user_id).await?.ok_or(AppError::Unauthenticated)?;
        self.add_authenticator(&user, secret, code, &actor.username).await
    }

    /// Two-step sign-in as the account page shows it.
    pub async fn second_factor_status(&self, actor: &Actor) -> AppResult<SecondFactorStatus> {
        let factor = self.store.second_factor(actor.user_id).await?;
        Ok(SecondFactorStatus {
            since: factor.map(|f| f.confirmed_at),
            required: self.second_factor_rule(actor.user_id).await?,
            recovery_left: self.store.recovery_codes_left(actor.user_id).await?,
        })
    }

    /// The actor's own authenticator, proved by a current code before it is changed.
    async fn prove_own(&self, actor: &Actor, code: &str) -> AppResult<UserRecord> {
        let user = self.store.user(actor.user_id).await?.ok_or(AppError::Unauthenticated)?;
        let key = self.second_step_throttle(&user).await?;
        match self.check_code(&user, code).await? {
            Some(_) => Ok(user),
            None => Err(self.second_step_failed(&user, &key, Origin::default()).await?),
        }
    }

    /// New recovery codes in place of the old ones (all of them), after a current code.
    pub async fn new_recovery_codes(&self, actor: &Actor, code: &str) -> AppResult<Vec<String>> {
        let user = self.prove_own(actor, code).await?;
        let (codes, hashes) = recovery_codes();
        let audit = AuditDraft {
            unit_id: Some(user.home_unit),
            ..self.audit_system(&actor.username, "user.recovery_codes_renewed", "user", user.id, None)
        };
        self.store.replace_recovery_codes(user.id, &hashes, audit).await?;
        self.tell_of_change(&user, &actor.username, "tạo mã khôi phục mới").await?;
        Ok(codes)
    }

    /// Turns two-step sign-in off, after a current code — refused where the rule requires it.
    pub async fn turn_off_second_factor(&self, actor: &Actor, code: &str) -> AppResult<()> {
        if self.second_factor_rule(actor.user_id).await?.is_some() {
            return Err(AppError::Invalid("tài khoản này bắt buộc đăng nhập hai bước: không thể tắt".into()));
        }
        let user = self.prove_own(actor, code).await?;
        let audit = AuditDraft {
            unit_id: Some(user.home_unit),
            ..self.audit_system(&actor.username, "user.second_factor_off", "user", user.id, None)
        };
        self.store.remove_second_factor(user.id, false, audit).await?;
        self.tell_of_change(&user, &actor.username, "tắt đăng nhập hai bước").await?;
        Ok(())
    }

    /// Removes a user's authenticator (a lost phone and no recovery code left): by an
    /// administrator of the user's unit, or at the command line (`actor = None`). The user's
    /// sessions end and API tokens are revoked; a user the rule requires it of sets up a new
    /// authenticator at the next sign-in.
    pub async fn reset_second_factor(&self, actor: Option<&Actor>, user_id: i64) -> AppResult<()> {
        let user = self.store.user(user_id).await?.ok_or(AppError::NotFound)?;
        let proof = match actor {
            Some(a) => self.authorize(a, Action::ManageUsers, user.home_unit).await?,
            None => Authorized::system("cli"),
        };
        let by = actor.map(|a| a.username.clone()).unwrap_or_else(|| "cli".into());
        let audit =
            AuditDraft { unit_id: Some(user.home_unit), ..self.audit_as(&by, &proof, "user.second_factor_reset", "user", user_id, None) };
        if self.store.remove_second_factor(user_id, true, audit).await? {
            self.tell_of_change(&user, &by, "quản trị viên đặt lại đăng nhập hai bước").await
        } else {
            Err(AppError::Invalid("tài khoản này chưa bật đăng nhập hai bước".into()))
        }
    }

    /// Whether a user the actor manages has set up an authenticator.
    pub async fn user_has_second_factor(&self, actor: &Actor, user_id: i64) -> AppResult<bool> {
        self.managed_user(actor, user_id).await?;
        Ok(self.store.second_factor(user_id).await?.is_some())
    }

    /// The actor's sessions that have not expired, newest first; `current` marks the one in use.
    pub async fn sessions(&self, actor: &Actor) -> AppResult<Vec<SessionInfo>> {
        Ok(self.store.sessions_of(actor.user_id, self.clock.now()).await?)
    }

    /// Ends one of the actor's own sessions (another browser, a lost phone).
    pub async fn end_own_session(&self, actor: &Actor, session_hash: &str) -> AppResult<()> {
        let audit = self.audit_system(&actor.username, "auth.session_end", "user", actor.user_id, None);
        if self.store.end_session(actor.user_id, session_hash, audit).await? { Ok(()) } else { Err(AppError::NotFound) }
    }

    /// The SHA-256 a session token is kept as (how a session is named in the list).
    pub fn session_id(token: &str) -> String {
        token_hash(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6238_sha1_vectors_hold_in_six_digits() {
        // RFC 6238 Appendix B: the ASCII secret «12345678901234567890», SHA-1; the last six of
        // the eight digits given there.
        let secret = totp_rs::Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let t = totp(&secret, "sogd").unwrap_or_else(|e| panic!("{e}"));
        for (time, code) in [(59u64, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")] {
            assert_eq!(t.generate(time).to_string(), code, "T = {time}");
        }
    }

    #[test]
    fn a_code_is_read_with_spaces_and_a_recovery_code_with_or_without_its_dash() {
        assert!(matches!(typed(" 287 082 "), Typed::Totp(c) if c == "287082"));
        assert!(matches!(typed("abcde-fghjk"), Typed::Recovery(c) if c == "ABCDEFGHJK"));
        assert!(matches!(typed("12345"), Typed::Neither));
        assert!(matches!(typed("1234567"), Typed::Neither));
        assert!(matches!(typed("mã-của-tôi"), Typed::Neither));
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_stored_only_as_hashes() {
        let (codes, hashes) = recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes.iter().collect::<std::collections::HashSet<_>>().len(), RECOVERY_CODES);
        for (c, h) in codes.iter().zip(&hashes) {
            assert_eq!(c.len(), 11);
            assert_eq!(h, &token_hash(&c.replace('-', "")));
            assert!(c.chars().all(|ch| ch == '-' || RECOVERY_ALPHABET.contains(&(ch as u8))));
        }
    }

    #[test]
    fn the_key_uri_names_the_issuer_and_the_account() {
        let t = totp("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "sogd").unwrap_or_else(|e| panic!("{e}"));
        let uri = t.to_url().unwrap_or_default();
        assert!(uri.starts_with("otpauth://totp/thidua%20H%C3%A0%20N%E1%BB%99i:sogd?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), "{uri}");
    }
}
