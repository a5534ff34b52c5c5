//! Identity: password hashing (Argon2id), login with throttling per account and per address,
//! sessions, API tokens, password change and time-boxed delegation. Sessions and throttling
//! state live in the database so that several server processes behave as one.

use crate::error::{AppError, AppResult};
use crate::ports::{ApiTokenRecord, AuditDraft, GrantRecord};
use crate::second_factor::{Origin, SignIn};
use crate::{Actor, App, Authorized};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use rand::RngCore;
use sha2::{Digest, Sha256};
use thidua_domain::access::{Grant, Role};
use time::{Duration, OffsetDateTime};

/// Hashes a password as an Argon2id PHC string.
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Invalid(format!("không băm được mật khẩu: {e}")))
}

/// Verifies a password against a stored PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Words a Hanoi officer is tempted to build a password from, which the common-password lists
/// (English) do not hold: «mật khẩu» itself, the city, the country, offices, greetings. Ours,
/// written for thidua; checked beside the user's own names.
const LOCAL_WORDS: &[&str] = &[
    "matkhau",
    "hanoi",
    "vietnam",
    "thudo",
    "ubnd",
    "ubndtp",
    "sogd",
    "sogddt",
    "giaoduc",
    "khuyenhoc",
    "hoctap",
    "xahoi",
    "quantri",
    "admin",
    "canbo",
    "phuong",
    "xa",
    "thon",
    "congdan",
    "anhyeuem",
    "emyeuanh",
    "yeuem",
    "chaoban",
    "xinchao",
    "saigon",
    "hochiminh",
    "dulich",
    "bongda",
];

/// The password policy: at least 10 characters, not all of one kind, and not easy to guess — a
/// common password, a keyboard run, a date, the user's own name or a word from [`LOCAL_WORDS`]
/// with a few digits (zxcvbn, Dropbox's estimator: fewer than 10⁸ guesses is refused).
pub fn check_password_policy(password: &str, names: &[&str]) -> AppResult<()> {
    if password.chars().count() < 10 {
        return Err(AppError::Invalid("mật khẩu phải có ít nhất 10 ký tự".into()));
    }
    // The estimator's work grows with the length: a longer password is refused before it.
    if password.chars().count() > 128 {
        return Err(AppError::Invalid("mật khẩu dài quá 128 ký tự".into()));
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_numeric()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 2 {
        return Err(AppError::Invalid("mật khẩu phải gồm ít nhất hai loại ký tự (chữ thường, chữ hoa, số, ký hiệu)".into()));
    }
    let folded: Vec<String> = names
        .iter()
        .flat_map(|n| n.split_whitespace().map(str::to_string).chain([n.replace(' ', "")]))
        .map(|w| thidua_domain::text::fold(&w).replace(' ', ""))
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let mut inputs: Vec<&str> = LOCAL_WORDS.to_vec();
    inputs.extend(folded.iter().map(String::as_str));
    // A password with diacritics is read without them (and in lower case), as a guesser types it.
    let plain = if password.is_ascii() { password.to_string() } else { thidua_domain::text::fold(password) };
    let estimate = zxcvbn::zxcvbn(&plain, &inputs);
    if (estimate.score() as u8) < 3 {
        return Err(AppError::Invalid(
            "mật khẩu quá dễ đoán (giống mật khẩu phổ biến, tên người dùng, ngày tháng hoặc dãy phím liền nhau): \
             hãy dùng một cụm từ dài hơn, ví dụ «Sân-trường-mùa-thu-2026»"
                .into(),
        ));
    }
    Ok(())
}

/// A random token, hex-encoded (256 bits).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// How tokens are stored: only their SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new session's secrets, to be set as cookie and form token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub expires_at: OffsetDateTime,
}

// A fixed Argon2 hash to verify against when the account does not exist, so that response time
// does not reveal which usernames exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5tAgzV3VJbF8cDrFXzfv3Mfy0Qd0qTj+Yk2zX0yGJ5o";

impl App {
    /// The audit entry of a write no grant decides (sign-in, the user's own account, the mail
    /// sender).
    pub(crate) fn audit_system(
        &self,
        actor: &str,
        action: &str,
        entity: &str,
        id: impl ToString,
        new: Option<serde_json::Value>,
    ) -> AuditDraft {
        self.audit_as(actor, &crate::Authorized::system("system"), action, entity, id, new)
    }

    /// The audit entry of an account write by `actor` (a user, or "cli" for the operator), with
    /// the proof that decided it.
    pub(crate) fn audit_as(
        &self,
        actor: &str,
        proof: &crate::Authorized,
        action: &str,
        entity: &str,
        id: impl ToString,
        new: Option<serde_json::Value>,
    ) -> AuditDraft {
        AuditDraft {
            actor: actor.into(),
            on_behalf_of: proof.via().map(str::to_string),
            proof: proof.clone(),
            action: action.into(),
            entity: entity.into(),
            entity_id: id.to_string(),
            unit_id: None,
            old: None,
            new,
            at_ms: (self.clock.now().unix_timestamp_nanos() / 1_000_000) as i64,
        }
    }

    /// Loads the actor behind a user id (active users only).
    pub async fn actor(&self, user_id: i64) -> AppResult<Actor> {
        let user = self.store.user(user_id).await?.filter(|u| u.active).ok_or(AppError::Unauthenticated)?;
        let grants = self.store.grants(user_id).await?.into_iter().map(|g| g.grant).collect();
        Ok(Actor { user_id, username: user.username, full_name: user.full_name, home_unit: user.home_unit, grants })
    }

    /// Logs in with throttling per account and per client address (see [`App::sign_in`]).
    pub async fn login(&self, username: &str, password: &str, address: &str) -> AppResult<SignIn> {
        self.sign_in(username, password, Origin { address, ..Origin::default() }).await
    }

    /// Checks a password with throttling per account and per client address; a correct one
    /// opens a full session, or a waiting one when a second step follows
    /// (`crate::second_factor`).
    pub async fn sign_in(&self, username: &str, password: &str, origin: Origin<'_>) -> AppResult<SignIn> {
        let address = origin.address;
        let now = self.clock.now();
        let since = now - Duration::seconds(self.config.throttle_window_secs);
        // No account has a longer name: a longer one is kept cut (with a mark) in the failure's
        // key and audit entry, never whole (a 40,000-character name once broke the audit export).
        let max = thidua_domain::limits::Field::Username.max_chars();
        let mut username: String = username.trim().chars().filter(|c| !c.is_control()).take(max + 1).collect::<String>().to_lowercase();
        if username.chars().count() > max {
            username = username.chars().take(max).chain(['…']).collect();
        }
        let account_key = format!("user:{username}");
        let address_key = format!("addr:{address}");
        // A growing delay after failures, per account and per address (never a lock).
        let mut wait = Duration::ZERO;
        let mut account_failures = 0;
        for (key, free, cap) in [
            (&account_key, self.config.max_failures_per_account, Duration::seconds(self.config.account_delay_cap_secs)),
            (&address_key, self.config.max_failures_per_address, Duration::seconds(self.config.address_delay_cap_secs)),
        ] {
            let (n, last) = self.store.login_failures_since(key, since).await?;
            if key == &account_key {
                account_failures = n;
            }
            if let Some(last) = last {
                wait = wait.max(last + thidua_domain::access::sign_in_delay(n, free, cap) - now);
            }
        }
        if wait > Duration::ZERO {
            return Err(AppError::Throttled(wait.whole_seconds().max(1)));
        }
        let user = self.store.user_by_username(&username).await?;
        let ok = match &user {
            Some(u) if u.active => verify_password(password, &u.password_hash),
            _ => {
                verify_password(password, DUMMY_HASH);
                false
            }
        };
        let (user, attempted) = if ok { (user, None) } else { (None, user) };
        let Some(user) = user else {
            self.store.record_login_failure(&account_key, now).await?;
            self.store.record_login_failure(&address_key, now).await?;
            self.store
                .append_audit(self.audit_system(
                    &username,
                    "auth.login_failed",
                    "user",
                    &username,
                    Some(serde_json::json!({"address": address})),
                ))
                .await?;
            if account_failures + 1 == self.config.max_failures_per_account
                && let Some(owner) = &attempted
            {
                self.tell_owner_of_failures(owner, address, account_failures + 1).await?;
            }
            return Err(AppError::Unauthenticated);
        };
        self.store.clear_login_failures(&account_key).await?;
        self.open_session(&user, origin).await
    }

    /// The account's owner learns that sign-ins are being slowed down: an audit entry always,
    /// and an e-mail where they have an address.
    async fn tell_owner_of_failures(&self, owner: &crate::ports::UserRecord, address: &str, failures: i64) -> AppResult<()> {
        let now = self.clock.now();
        let at = thidua_domain::dates::format_dmy(now.to_offset(time::macros::offset!(+7)).date());
        let notice = Notice {
            action: "auth.throttled",
            payload: serde_json::json!({"address": address, "failures": failures}),
            subject: "thidua: tài khoản của bạn bị đăng nhập sai nhiều lần",
            body: format!(
                "Kính gửi {},\n\nNgày {at}, tài khoản «{}» bị đăng nhập sai {failures} lần liên tiếp từ địa chỉ {address}. \
                 Các lần thử tiếp theo phải chờ lâu dần. Nếu không phải bạn, hãy đổi mật khẩu và báo quản trị viên.\n",
                owner.full_name, owner.username
            ),
            dedupe: format!("auth.throttled:{}:{}", owner.id, now.unix_timestamp() / 3600),
        };
        self.tell_owner(owner, &owner.username, notice).await
    }

    /// Tells the owner of an account something about it: an audit entry on the account always
    /// (the account page lists them), with an e-mail where the owner has an address.
    pub(crate) async fn tell_owner(&self, owner: &crate::ports::UserRecord, by: &str, notice: Notice<'_>) -> AppResult<()> {
        let audit =
            AuditDraft { unit_id: Some(owner.home_unit), ..self.audit_system(by, notice.action, "user", owner.id, Some(notice.payload)) };
        match owner.email.as_deref().filter(|e| !e.is_empty()) {
            None => {
                self.store.append_audit(audit).await?;
            }
            Some(to) => {
                let mail = crate::ports::MailDraft {
                    dedupe_key: notice.dedupe,
                    kind: "security".into(),
                    user_id: Some(owner.id),
                    to: to.to_string(),
                    subject: notice.subject.into(),
                    body: notice.body,
                };
                self.store.enqueue_mail(&[mail], audit).await?;
            }
        }
        Ok(())
    }

    /// The last entries of the actor's own account (sign-ins, new browsers, changes to how it
    /// signs in, tokens), newest first: what the account page shows its owner.
    pub async fn account_activity(&self, actor: &Actor) -> AppResult<Vec<crate::ports::AuditRecord>> {
        let filter =
            crate::ports::AuditFilter { entity: Some("user".into()), entity_id: Some(actor.user_id.to_string()), ..Default::default() };
        let page = self.store.audit_page(&crate::ports::Scope::All, &filter, crate::ports::PageRequest::new(1, 10)).await?;
        Ok(page.items)
    }

    /// The actor and CSRF token of a live session.
    pub async fn session_actor(&self, token: &str) -> AppResult<(Actor, String)> {
        let s = self.store.session(&token_hash(token)).await?.ok_or(AppError::Unauthenticated)?;
        // A session waiting for its second step opens nothing.
        if s.stage != crate::ports::SessionStage::Full {
            return Err(AppError::Unauthenticated);
        }
        if s.expires_at <= self.clock.now() {
            self.store.delete_session(&token_hash(token)).await?;
            return Err(AppError::Unauthenticated);
        }
        Ok((self.actor(s.user_id).await?, s.csrf_token))
    }

    pub async fn logout(&self, token: &str) -> AppResult<()> {
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// The actor behind an API bearer token that has not ended, its grants limited to the
    /// token's area, and whether the token may write.
    pub async fn token_actor(&self, token: &str) -> AppResult<(Actor, bool)> {
        let grant = self.store.api_token_user(&token_hash(token)).await?.ok_or(AppError::Unauthenticated)?;
        if grant.expires_at.is_some_and(|end| end <= self.clock.now()) {
            return Err(AppError::Unauthenticated);
        }
        let mut actor = self.actor(grant.user_id).await?;
        if let Some(area) = grant.area {
            let snap = self.snapshot().await?;
            actor.grants = thidua_domain::access::narrow_to_area(&actor.grants, area, &snap.tree);
        }
        Ok((actor, grant.can_write))
    }

    /// Changes the actor's own password; every session of the user ends.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str) -> AppResult<()> {
        let user = self.store.user(actor.user_id).await?.ok_or(AppError::Unauthenticated)?;
        if !verify_password(current, &user.password_hash) {
            return Err(AppError::Invalid("mật khẩu hiện tại không đúng".into()));
        }
        check_password_policy(new, &[&user.username, &user.full_name])?;
        let audit = self.audit_system(&actor.username, "user.password_change", "user", actor.user_id, None);
        self.store.set_password(actor.user_id, &hash_password(new)?, audit).await?;
        self.store.delete_user_sessions(actor.user_id).await?;
        self.tell_of_change(&user, &actor.username, "đổi mật khẩu").await
    }

    /// Creates an API token that reads (or reads and writes) within the actor's scope or a part
    /// of it, and ends after `scope.days`; the plain token is returned once and stored only as a
    /// hash.
    pub async fn create_api_token(&self, actor: &Actor, name: &str, scope: &TokenScope) -> AppResult<String> {
        let name = crate::error::field(thidua_domain::limits::Field::Name, "Tên gợi nhớ", name)?;
        if name.is_empty() {
            return Err(AppError::Invalid("hãy đặt tên cho mã truy cập".into()));
        }
        if !(1..=TokenScope::MAX_DAYS).contains(&scope.days) {
            return Err(AppError::Invalid(format!("thời hạn của mã truy cập từ 1 đến {} ngày", TokenScope::MAX_DAYS)));
        }
        if let Some(area) = scope.area {
            let snap = self.snapshot().await?;
            if thidua_domain::access::narrow_to_area(&actor.grants, area, &snap.tree).is_empty() {
                return Err(AppError::Invalid("đơn vị giới hạn của mã truy cập nằm ngoài phạm vi của bạn".into()));
            }
        }
        let token = format!("thd_{}", random_token());
        let expires_at = self.clock.now() + Duration::days(scope.days);
        let grant =
            crate::ports::TokenGrant { user_id: actor.user_id, can_write: scope.can_write, area: scope.area, expires_at: Some(expires_at) };
        let payload = serde_json::json!({
            "name": name,
            "can_write": scope.can_write,
            "area": scope.area,
            "expires_at_ms": (expires_at.unix_timestamp_nanos() / 1_000_000) as i64,
        });
        let audit = self.audit_system(&actor.username, "api_token.create", "user", actor.user_id, Some(payload));
        self.store.create_api_token(actor.user_id, &name, &token_hash(&token), &grant, audit).await?;
        Ok(token)
    }

    /// How the people behind usernames are shown in history tables: «Full Name (Unit)»; a
    /// username that is no account (the system, a removed one) is shown as it was recorded.
    pub async fn display_names(&self, usernames: Vec<String>) -> AppResult<std::collections::HashMap<String, String>> {
        let snap = self.snapshot().await?;
        let mut out = std::collections::HashMap::new();
        for name in usernames {
            let name = name.as_str();
            if out.contains_key(name) {
                continue;
            }
            let shown = match self.store.user_by_username(name).await? {
                // A name recorded with its office («… (UBND phường Ba Đình)») is shown as it is.
                Some(u) => match snap.units.get(&u.home_unit) {
                    Some(unit) if !u.full_name.contains('(') => format!("{} ({})", u.full_name, unit.name),
                    _ => u.full_name,
                },
                None if name == "system" || name.is_empty() => "Hệ thống".to_string(),
                None => name.to_string(),
            };
            out.insert(name.to_string(), shown);
        }
        Ok(out)
    }

    /// The signed-in user's own e-mail address (empty when none is recorded).
    pub async fn own_email(&self, actor: &Actor) -> AppResult<String> {
        Ok(self.store.user(actor.user_id).await?.and_then(|u| u.email).unwrap_or_default())
    }

    pub async fn api_tokens(&self, actor: &Actor) -> AppResult<Vec<ApiTokenRecord>> {
        Ok(self.store.api_tokens(actor.user_id).await?)
    }

    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let audit =
            self.audit_system(&actor.username, "api_token.revoke", "user", actor.user_id, Some(serde_json::json!({"token_id": id})));
        if self.store.revoke_api_token(actor.user_id, id, audit).await? { Ok(()) } else { Err(AppError::NotFound) }
    }

    /// Delegates one of the actor's own grants to a deputy of the same office for a period
    /// (`domain::access::delegate` says what may be delegated). The deputy's actions through it
    /// are audited with both names; either of them, or an administrator, can end it.
    pub async fn delegate(
        &self,
        actor: &Actor,
        deputy_username: &str,
        grant_index: usize,
        from: OffsetDateTime,
        until: OffsetDateTime,
    ) -> AppResult<()> {
        let own: Vec<&Grant> = actor.grants.iter().filter(|g| g.delegated_by.is_none()).collect();
        let base = own.get(grant_index).ok_or_else(|| AppError::Invalid("không có quyền này để ủy quyền".into()))?;
        let deputy = self.store.user_by_username(&deputy_username.trim().to_lowercase()).await?.ok_or(AppError::NotFound)?;
        if !deputy.active {
            return Err(AppError::Invalid("tài khoản người nhận ủy quyền đang bị khóa".into()));
        }
        let snap = self.snapshot().await?;
        let grant = thidua_domain::access::delegate(
            base,
            (actor.user_id, actor.home_unit),
            (deputy.id, deputy.home_unit),
            (from, until),
            &snap.tree,
        )
        .map_err(|e| AppError::Invalid(e.to_string()))?;
        let audit = AuditDraft {
            unit_id: Some(grant.scope),
            ..self.audit_system(&actor.username, "grant.delegate", "user", deputy.id, crate::error::payload(&grant)?)
        };
        self.store.add_grant(deputy.id, &grant, audit).await?;
        Ok(())
    }

    /// The delegations the actor gave and received, newest first, with the other person.
    pub async fn delegations(&self, actor: &Actor) -> AppResult<Delegations> {
        let mut given = Vec::new();
        for g in self.store.delegations_by(actor.user_id).await? {
            let other = self.store.user(g.user_id).await?;
            given.push(self.delegation_view(g, other));
        }
        let mut received = Vec::new();
        for g in self.store.grants(actor.user_id).await?.into_iter().filter(|g| g.grant.delegated_by.is_some()) {
            let other = match g.grant.delegated_by {
                Some(by) => self.store.user(by).await?,
                None => None,
            };
            received.push(self.delegation_view(g, other));
        }
        given.reverse();
        received.reverse();
        Ok(Delegations { given, received })
    }

    fn delegation_view(&self, g: GrantRecord, other: Option<crate::ports::UserRecord>) -> DelegationView {
        let now = self.clock.now();
        DelegationView {
            id: g.id,
            other: other.map(|u| format!("{} ({})", u.full_name, u.username)).unwrap_or_default(),
            in_force: g.grant.active_at(now),
            ended: g.grant.valid_until.is_some_and(|u| u <= now),
            grant: g.grant,
        }
    }

    /// Ends a delegation now: by the delegator, by the deputy (declining it), by an
    /// administrator of the deputy's unit, or at the command line (`actor = None`).
    pub async fn end_delegation(&self, actor: Option<&Actor>, grant_id: i64) -> AppResult<()> {
        let g = self.store.grant(grant_id).await?.ok_or(AppError::NotFound)?;
        let Some(delegator) = g.grant.delegated_by else { return Err(AppError::NotFound) };
        let (by, proof) = match actor {
            None => ("cli".to_string(), Authorized::system("cli")),
            Some(a) if a.user_id == delegator || a.user_id == g.user_id => (a.username.clone(), Authorized::system("own delegation")),
            Some(a) => {
                let deputy = self.store.user(g.user_id).await?.ok_or(AppError::NotFound)?;
                (a.username.clone(), self.authorize(a, thidua_domain::access::Action::ManageUsers, deputy.home_unit).await?)
            }
        };
        let audit = AuditDraft {
            unit_id: Some(g.grant.scope),
            ..self.audit_as(
                &by,
                &proof,
                "grant.delegation_end",
                "user",
                g.user_id,
                Some(serde_json::json!({"grant": grant_id, "delegated_by": delegator})),
            )
        };
        if self.store.end_delegation(grant_id, audit).await? {
            Ok(())
        } else {
            Err(AppError::Invalid("ủy quyền này đã hết hiệu lực".into()))
        }
    }

    /// Creates a user (administrators, or the `thidua user add` command with `actor = None`).
    pub async fn create_user(
        &self,
        actor: Option<&Actor>,
        username: &str,
        full_name: &str,
        password: &str,
        home_unit: i64,
    ) -> AppResult<i64> {
        let proof = match actor {
            Some(a) => self.authorize(a, thidua_domain::access::Action::ManageUsers, home_unit).await?,
            None => Authorized::system("cli"),
        };
        let username = username.trim().to_lowercase();
        if username.is_empty() || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            return Err(AppError::Invalid("tên đăng nhập chỉ gồm chữ không dấu, số và . _ -".into()));
        }
        crate::error::field(thidua_domain::limits::Field::Username, "Tên đăng nhập", &username)?;
        check_password_policy(password, &[&username, full_name])?;
        let by = actor.map(|a| a.username.clone()).unwrap_or_else(|| "cli".into());
        let audit = AuditDraft {
            unit_id: Some(home_unit),
            ..self.audit_as(
                &by,
                &proof,
                "user.create",
                "user",
                &username,
                Some(serde_json::json!({"username": username, "full_name": full_name, "home_unit": home_unit})),
            )
        };
        Ok(self
            .store
            .create_user(
                &username,
                &crate::error::field(thidua_domain::limits::Field::Name, "Họ và tên", full_name)?,
                &hash_password(password)?,
                home_unit,
                audit,
            )
            .await?)
    }

    /// Grants a role (administrators, or the CLI with `actor = None`).
    pub async fn grant(&self, actor: Option<&Actor>, user_id: i64, role: Role, scope: i64, include_descendants: bool) -> AppResult<i64> {
        let proof = match actor {
            Some(a) => {
                // Both the user and the unit the role is over must be the administrator's.
                self.managed_user(a, user_id).await?;
                self.authorize(a, thidua_domain::access::Action::ManageUsers, scope).await?
            }
            None => Authorized::system("cli"),
        };
        let grant = Grant::new(role, scope, include_descendants);
        let by = actor.map(|a| a.username.clone()).unwrap_or_else(|| "cli".into());
        let audit =
            AuditDraft { unit_id: Some(scope), ..self.audit_as(&by, &proof, "grant.add", "user", user_id, crate::error::payload(&grant)?) };
        Ok(self.store.add_grant(user_id, &grant, audit).await?)
    }

    /// Users whose home unit lies in the actor's user-management scope, sorted by username.
    pub async fn users_in_scope(&self, actor: &Actor) -> AppResult<Vec<crate::ports::UserRecord>> {
        let snap = self.snapshot().await?;
        let now = self.clock.now();
        let users = self.store.users().await?;
        Ok(users
            .into_iter()
            .filter(|u| {
                thidua_domain::access::decide(&actor.grants, thidua_domain::access::Action::ManageUsers, u.home_unit, &snap.tree, now)
                    .is_allowed()
            })
            .collect())
    }

    /// A user and their grants, if the actor manages the user's unit.
    pub async fn managed_user(&self, actor: &Actor, user_id: i64) -> AppResult<(crate::ports::UserRecord, Vec<crate::ports::GrantRecord>)> {
        let user = self.store.user(user_id).await?.ok_or(AppError::NotFound)?;
        self.authorize(actor, thidua_domain::access::Action::ManageUsers, user.home_unit).await?;
        let grants = self.store.grants(user_id).await?;
        Ok((user, grants))
    }

    /// Deactivates (or reactivates) an account managed by the actor; never the actor's own.
    pub async fn set_user_active(&self, actor: &Actor, user_id: i64, active: bool) -> AppResult<()> {
        let user = self.store.user(user_id).await?.ok_or(AppError::NotFound)?;
        let proof = self.authorize(actor, thidua_domain::access::Action::ManageUsers, user.home_unit).await?;
        if user.id == actor.user_id {
            return Err(AppError::Invalid("không thể tự khóa tài khoản của mình".into()));
        }
        let action = if active { "user.reactivate" } else { "user.deactivate" };
        let audit = AuditDraft {
            unit_id: Some(user.home_unit),
            ..self.audit_as(&actor.username, &proof, action, "user", user_id, Some(serde_json::json!({"active": active})))
        };
        Ok(self.store.set_user_active(user_id, active, audit).await?)
    }

    /// Resets a user's password (administrators, or the CLI).
    pub async fn reset_password(&self, actor: Option<&Actor>, user_id: i64, password: &str) -> AppResult<()> {
        let user = self.store.user(user_id).await?.ok_or(AppError::NotFound)?;
        let proof = match actor {
            Some(a) => self.authorize(a, thidua_domain::access::Action::ManageUsers, user.home_unit).await?,
            None => Authorized::system("cli"),
        };
        check_password_policy(password, &[&user.username, &user.full_name])?;
        let by = actor.map(|a| a.username.clone()).unwrap_or_else(|| "cli".into());
        self.store
            .set_password(user_id, &hash_password(password)?, self.audit_as(&by, &proof, "user.password_reset", "user", user_id, None))
            .await?;
        self.store.delete_user_sessions(user_id).await?;
        self.tell_of_change(&user, &by, "quản trị viên đặt lại mật khẩu").await
    }
}

/// What the owner of an account is told, and how it is recorded.
pub(crate) struct Notice<'a> {
    pub action: &'a str,
    pub payload: serde_json::Value,
    pub subject: &'a str,
    pub body: String,
    pub dedupe: String,
}

/// A moment as Hanoi reads it: `dd/mm/yyyy hh:mm`.
pub(crate) fn hanoi_time(t: OffsetDateTime) -> String {
    let local = t.to_offset(time::macros::offset!(+7));
    format!("{} {:02}:{:02}", thidua_domain::dates::format_dmy(local.date()), local.hour(), local.minute())
}

/// What a new API token may do (issue 18 §6): read only unless it is asked to write, within the
/// area (a unit and what is below it) or the whole of its user's scope, for a number of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenScope {
    pub can_write: bool,
    pub area: Option<i64>,
    pub days: i64,
}

impl TokenScope {
    /// The longest a token lives: a year.
    pub const MAX_DAYS: i64 = 365;
}

impl Default for TokenScope {
    /// Read only, the whole scope, 90 days.
    fn default() -> Self {
        TokenScope { can_write: false, area: None, days: 90 }
    }
}

/// A delegation as its two users see it.
#[derive(Debug, Clone)]
pub struct DelegationView {
    pub id: i64,
    /// The other person: the deputy for a given delegation, the delegator for a received one.
    pub other: String,
    pub grant: Grant,
    pub in_force: bool,
    pub ended: bool,
}

/// The delegations a user gave and received.
#[derive(Debug, Clone, Default)]
pub struct Delegations {
    pub given: Vec<DelegationView>,
    pub received: Vec<DelegationView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash_password("Hanoi-2030!").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Hanoi-2030!", &h));
        assert!(!verify_password("hanoi-2030!", &h));
    }

    #[test]
    fn the_policy_refuses_short_or_uniform_passwords() {
        assert!(check_password_policy("ngan", &[]).is_err());
        assert!(check_password_policy("aaaaaaaaaaaa", &[]).is_err());
        assert!(check_password_policy("Thidua-2026", &[]).is_ok());
    }

    #[test]
    fn a_common_password_or_one_built_from_the_users_name_or_a_local_word_is_refused() {
        for weak in ["P@ssw0rd123", "Password@123", "Qwerty@1234", "1234567890a", "Matkhau@123", "MậtKhẩu@2026", "Hanoi@2025"] {
            assert!(check_password_policy(weak, &[]).is_err(), "{weak}");
        }
        assert!(check_password_policy("Nguyen@1990", &["nguyenvd", "Nguyễn Văn Dũng"]).is_err());
        assert!(check_password_policy(&"Aa1-".repeat(25_000), &[]).is_err(), "a 100,000-character password is refused at once");
        for strong in ["Sân-trường-mùa-thu-2026", "Mat-khau-moi-2026!", "ngo-dong-cay-bang-7"] {
            assert!(check_password_policy(strong, &["phuongbadinh", "Vũ Đức Thắng"]).is_ok(), "{strong}");
        }
    }

    #[test]
    fn tokens_are_stored_hashed() {
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(token_hash(&t), t);
        assert_eq!(token_hash(&t), token_hash(&t));
    }
}
