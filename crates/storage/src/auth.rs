//! Users, grants, sessions, API tokens. Sessions and login failures are rows, not process
//! memory, so any number of server processes share them.

use crate::db::{SqlStore, V, err, from_ms, get_i64, get_opt_i64, get_str, ms, q};
use sqlx::Row;
use sqlx::any::AnyRow;
use thidua_app::error::StorageError;
use thidua_app::ports::*;
use thidua_domain::access::{Grant, Role};
use time::OffsetDateTime;

pub(crate) enum Key {
    Int(i64),
    Text(String),
}

fn user(r: &AnyRow) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        id: get_i64(r, "id")?,
        username: get_str(r, "username")?,
        full_name: get_str(r, "full_name")?,
        password_hash: get_str(r, "password_hash")?,
        home_unit: get_i64(r, "home_unit")?,
        active: get_i64(r, "active")? != 0,
        email: crate::db::get_opt_str(r, "email")?,
        unit_head: get_i64(r, "unit_head")? != 0,
    })
}

const USER_COLUMNS: &str = "id, username, full_name, password_hash, home_unit, active, email, unit_head";

impl SqlStore {
    pub(crate) async fn user_by_db(&self, column: &str, key: Key) -> StoreResult<Option<UserRecord>> {
        let (col, v) = match (column, key) {
            ("id", Key::Int(i)) => ("id", V::int(i)),
            (_, Key::Text(t)) => ("username", V::text(t)),
            (_, Key::Int(i)) => ("id", V::int(i)),
        };
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {col} = $1");
        self.fetch_opt(&sql, vec![v]).await?.as_ref().map(user).transpose()
    }

    /// Runs a conditional UPDATE (or DELETE) and, when it changed a row, its audit entry, in one
    /// transaction; false (nothing written) when no row matched.
    async fn audited_update_if(&self, sql: &str, values: Vec<V>, audit_draft: AuditDraft) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let n = q(sql, values).execute(&mut **tx).await.map_err(err)?.rows_affected();
        if n == 0 {
            return Ok(false);
        }
        tx.commit(audit_draft).await?;
        Ok(true)
    }

    async fn grants_where(&self, condition: &str, value: i64) -> StoreResult<Vec<GrantRecord>> {
        let rows = self
            .fetch(
                &format!(
                    "SELECT id, user_id, role, scope_unit_id, include_descendants, valid_from, valid_until, delegated_by \
                     FROM grants WHERE {condition} ORDER BY id"
                ),
                vec![V::int(value)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let role = get_str(r, "role")?;
                Ok(GrantRecord {
                    id: get_i64(r, "id")?,
                    user_id: get_i64(r, "user_id")?,
                    grant: Grant {
                        role: Role::from_code(&role).ok_or_else(|| StorageError::Corrupt(format!("unknown role {role}")))?,
                        scope: get_i64(r, "scope_unit_id")?,
                        include_descendants: get_i64(r, "include_descendants")? != 0,
                        valid_from: get_opt_i64(r, "valid_from")?.map(from_ms),
                        valid_until: get_opt_i64(r, "valid_until")?.map(from_ms),
                        delegated_by: get_opt_i64(r, "delegated_by")?,
                    },
                })
            })
            .collect()
    }
}

/// Ends a user's sessions and revokes their API tokens, inside the caller's transaction.
async fn end_access(tx: &mut sqlx::Transaction<'static, sqlx::Any>, user_id: i64, now_ms: i64) -> StoreResult<()> {
    q("DELETE FROM sessions WHERE user_id = $1", vec![V::int(user_id)]).execute(&mut **tx).await.map_err(err)?;
    q("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", vec![V::int(now_ms), V::int(user_id)])
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    Ok(())
}

fn insert_session(d: &SessionDraft) -> (&'static str, Vec<V>) {
    (
        "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, created_at, stage, address, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            V::text(&d.token_hash),
            V::int(d.user_id),
            V::text(&d.csrf),
            V::int(ms(d.expires_at)),
            V::int(ms(d.created_at)),
            V::text(d.stage.code()),
            V::text(&d.address),
            V::text(&d.user_agent),
        ],
    )
}

fn stage(r: &AnyRow) -> StoreResult<SessionStage> {
    let code = get_str(r, "stage")?;
    SessionStage::from_code(&code).ok_or_else(|| StorageError::Corrupt(format!("unknown session stage {code}")))
}

/// Inserts recovery codes' hashes inside the caller's transaction.
async fn insert_recovery_codes(tx: &mut sqlx::Transaction<'static, sqlx::Any>, user_id: i64, hashes: &[String]) -> StoreResult<()> {
    for h in hashes {
        q("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", vec![V::int(user_id), V::text(h)])
            .execute(&mut **tx)
            .await
            .map_err(err)?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl thidua_app::ports::AuthStore for SqlStore {
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        self.user_by_db("username", Key::Text(username.to_string())).await
    }
    async fn user(&self, id: i64) -> StoreResult<Option<UserRecord>> {
        self.user_by_db("id", Key::Int(id)).await
    }
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.exec("DELETE FROM sessions WHERE token_hash = $1", vec![crate::db::V::text(token_hash)]).await.map(|_| ())
    }
    async fn delete_user_sessions(&self, user_id: i64) -> StoreResult<()> {
        self.exec("DELETE FROM sessions WHERE user_id = $1", vec![crate::db::V::int(user_id)]).await.map(|_| ())
    }
    async fn record_login_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        self.exec(
            "INSERT INTO login_failures (key, at) VALUES ($1, $2)",
            vec![crate::db::V::text(key), crate::db::V::int(crate::db::ms(at))],
        )
        .await
        .map(|_| ())
    }
    async fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<(i64, Option<OffsetDateTime>)> {
        let values = vec![crate::db::V::text(key), crate::db::V::int(crate::db::ms(since))];
        let n = self.count("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2", values.clone()).await?;
        if n == 0 {
            return Ok((0, None));
        }
        let last = self.count("SELECT MAX(at) FROM login_failures WHERE key = $1 AND at >= $2", values).await?;
        Ok((n, Some(crate::db::from_ms(last))))
    }
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        self.exec("DELETE FROM login_failures WHERE key = $1", vec![crate::db::V::text(key)]).await.map(|_| ())
    }
    async fn users(&self) -> StoreResult<Vec<UserRecord>> {
        self.fetch(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"), vec![]).await?.iter().map(user).collect()
    }
    async fn create_user(&self, username: &str, full_name: &str, hash: &str, home_unit: i64, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let row = q(
            "INSERT INTO users (username, full_name, password_hash, home_unit, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            vec![V::text(username), V::text(full_name), V::text(hash), V::int(home_unit), V::int(audit_draft.at_ms)],
        )
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        tx.commit(audit_draft).await?;
        Ok(id)
    }
    async fn set_password(&self, user_id: i64, hash: &str, audit_draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let n = q("UPDATE users SET password_hash = $1 WHERE id = $2", vec![V::text(hash), V::int(user_id)])
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::Database("user not found".into()));
        }
        // A new password ends every way in that the old one opened: sessions and API tokens.
        end_access(&mut tx, user_id, audit_draft.at_ms).await?;
        tx.commit(audit_draft).await.map(|_| ())
    }
    async fn set_user_active(&self, user_id: i64, active: bool, audit_draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let n = q("UPDATE users SET active = $1 WHERE id = $2", vec![V::flag(active), V::int(user_id)])
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
        if n == 0 {
            return Err(StorageError::Database("user not found".into()));
        }
        if !active {
            end_access(&mut tx, user_id, audit_draft.at_ms).await?;
        }
        tx.commit(audit_draft).await.map(|_| ())
    }
    async fn grants(&self, user_id: i64) -> StoreResult<Vec<GrantRecord>> {
        self.grants_where("user_id = $1", user_id).await
    }
    async fn add_grant(&self, user_id: i64, g: &Grant, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let row = q(
            "INSERT INTO grants (user_id, role, scope_unit_id, include_descendants, valid_from, valid_until, delegated_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            vec![
                V::int(user_id),
                V::text(g.role.code()),
                V::int(g.scope),
                V::flag(g.include_descendants),
                V::opt_int(g.valid_from.map(ms)),
                V::opt_int(g.valid_until.map(ms)),
                V::opt_int(g.delegated_by),
                V::int(audit_draft.at_ms),
            ],
        )
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        tx.commit(audit_draft).await?;
        Ok(id)
    }
    async fn delegations_by(&self, delegator: i64) -> StoreResult<Vec<GrantRecord>> {
        self.grants_where("delegated_by = $1", delegator).await
    }
    async fn grant(&self, id: i64) -> StoreResult<Option<GrantRecord>> {
        Ok(self.grants_where("id = $1", id).await?.into_iter().next())
    }
    /// Ends a delegated grant now (kept, with its end, for the record). False when it is not a
    /// delegation or has already ended.
    async fn end_delegation(&self, id: i64, audit_draft: AuditDraft) -> StoreResult<bool> {
        let now = audit_draft.at_ms;
        self.audited_update_if(
            "UPDATE grants SET valid_until = $1 WHERE id = $2 AND delegated_by IS NOT NULL AND (valid_until IS NULL OR valid_until > $1)",
            vec![V::int(now), V::int(id)],
            audit_draft,
        )
        .await
    }
    async fn create_session(&self, d: &SessionDraft) -> StoreResult<()> {
        let (sql, values) = insert_session(d);
        self.exec(sql, values).await.map(|_| ())
    }
    async fn promote_session(&self, waiting_hash: &str, full: &SessionDraft, audit_draft: AuditDraft) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let n = q("DELETE FROM sessions WHERE token_hash = $1 AND stage <> 'full'", vec![V::text(waiting_hash)])
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        let (sql, values) = insert_session(full);
        q(sql, values).execute(&mut **tx).await.map_err(err)?;
        tx.commit(audit_draft).await?;
        Ok(true)
    }
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        let row = self
            .fetch_opt("SELECT user_id, csrf_token, expires_at, stage FROM sessions WHERE token_hash = $1", vec![V::text(token_hash)])
            .await?;
        row.map(|r| {
            Ok(SessionRecord {
                user_id: get_i64(&r, "user_id")?,
                csrf_token: get_str(&r, "csrf_token")?,
                expires_at: from_ms(get_i64(&r, "expires_at")?),
                stage: stage(&r)?,
            })
        })
        .transpose()
    }
    async fn sessions_of(&self, user_id: i64, now: OffsetDateTime) -> StoreResult<Vec<SessionInfo>> {
        let rows = self
            .fetch(
                "SELECT token_hash, created_at, expires_at, stage, address, user_agent FROM sessions \
                 WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash",
                vec![V::int(user_id), V::int(ms(now))],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SessionInfo {
                    token_hash: get_str(r, "token_hash")?,
                    created_at: from_ms(get_i64(r, "created_at")?),
                    expires_at: from_ms(get_i64(r, "expires_at")?),
                    stage: stage(r)?,
                    address: get_str(r, "address")?,
                    user_agent: get_str(r, "user_agent")?,
                })
            })
            .collect()
    }
    async fn end_session(&self, user_id: i64, token_hash: &str, audit_draft: AuditDraft) -> StoreResult<bool> {
        self.audited_update_if(
            "DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2",
            vec![V::text(token_hash), V::int(user_id)],
            audit_draft,
        )
        .await
    }
    /// Removes expired sessions and login failures older than a day.
    async fn purge_expired(&self, now: OffsetDateTime) -> StoreResult<u64> {
        let a = self.exec("DELETE FROM sessions WHERE expires_at <= $1", vec![V::int(ms(now))]).await?;
        let b = self.exec("DELETE FROM login_failures WHERE at < $1", vec![V::int(ms(now) - 86_400_000)]).await?;
        Ok(a + b)
    }
    async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        g: &TokenGrant,
        audit_draft: AuditDraft,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let row = q(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, can_write, area_unit_id, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            vec![
                V::int(user_id),
                V::text(name),
                V::text(token_hash),
                V::int(audit_draft.at_ms),
                V::flag(g.can_write),
                V::opt_int(g.area),
                V::opt_int(g.expires_at.map(ms)),
            ],
        )
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        tx.commit(audit_draft).await?;
        Ok(id)
    }
    async fn api_token_user(&self, token_hash: &str) -> StoreResult<Option<TokenGrant>> {
        let row = self
            .fetch_opt(
                "SELECT user_id, can_write, area_unit_id, expires_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
                vec![V::text(token_hash)],
            )
            .await?;
        row.map(|r| {
            Ok(TokenGrant {
                user_id: get_i64(&r, "user_id")?,
                can_write: get_i64(&r, "can_write")? != 0,
                area: get_opt_i64(&r, "area_unit_id")?,
                expires_at: get_opt_i64(&r, "expires_at")?.map(from_ms),
            })
        })
        .transpose()
    }
    async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>> {
        let rows = self
            .fetch(
                "SELECT id, name, created_at, revoked_at, can_write, area_unit_id, expires_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
                vec![V::int(user_id)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiTokenRecord {
                    id: get_i64(r, "id")?,
                    name: get_str(r, "name")?,
                    created_at_ms: get_i64(r, "created_at")?,
                    revoked: get_opt_i64(r, "revoked_at")?.is_some(),
                    can_write: get_i64(r, "can_write")? != 0,
                    area: get_opt_i64(r, "area_unit_id")?,
                    expires_at_ms: get_opt_i64(r, "expires_at")?,
                })
            })
            .collect()
    }
    async fn revoke_api_token(&self, user_id: i64, token_id: i64, audit_draft: AuditDraft) -> StoreResult<bool> {
        let now = audit_draft.at_ms;
        self.audited_update_if(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
            vec![V::int(now), V::int(token_id), V::int(user_id)],
            audit_draft,
        )
        .await
    }
    async fn second_factor(&self, user_id: i64) -> StoreResult<Option<SecondFactorRecord>> {
        let row =
            self.fetch_opt("SELECT secret, last_step, confirmed_at FROM second_factors WHERE user_id = $1", vec![V::int(user_id)]).await?;
        row.map(|r| {
            Ok(SecondFactorRecord {
                secret: get_str(&r, "secret")?,
                last_step: get_i64(&r, "last_step")?,
                confirmed_at: from_ms(get_i64(&r, "confirmed_at")?),
            })
        })
        .transpose()
    }
    async fn add_second_factor(
        &self,
        user_id: i64,
        secret: &str,
        step: i64,
        hashes: &[String],
        audit_draft: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let taken = q("SELECT 1 FROM second_factors WHERE user_id = $1", vec![V::int(user_id)])
            .fetch_optional(&mut **tx)
            .await
            .map_err(err)?
            .is_some();
        if taken {
            return Ok(false);
        }
        q(
            "INSERT INTO second_factors (user_id, secret, last_step, confirmed_at) VALUES ($1, $2, $3, $4)",
            vec![V::int(user_id), V::text(secret), V::int(step), V::int(audit_draft.at_ms)],
        )
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        q("DELETE FROM recovery_codes WHERE user_id = $1", vec![V::int(user_id)]).execute(&mut **tx).await.map_err(err)?;
        insert_recovery_codes(&mut tx, user_id, hashes).await?;
        tx.commit(audit_draft).await?;
        Ok(true)
    }
    async fn accept_step(&self, user_id: i64, step: i64) -> StoreResult<bool> {
        let n = self
            .exec("UPDATE second_factors SET last_step = $1 WHERE user_id = $2 AND last_step < $1", vec![V::int(step), V::int(user_id)])
            .await?;
        Ok(n == 1)
    }
    async fn use_recovery_code(&self, user_id: i64, code_hash: &str, at: OffsetDateTime) -> StoreResult<bool> {
        let n = self
            .exec(
                "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
                vec![V::int(ms(at)), V::int(user_id), V::text(code_hash)],
            )
            .await?;
        Ok(n >= 1)
    }
    async fn recovery_codes_left(&self, user_id: i64) -> StoreResult<i64> {
        self.count("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", vec![V::int(user_id)]).await
    }
    async fn replace_recovery_codes(&self, user_id: i64, hashes: &[String], audit_draft: AuditDraft) -> StoreResult<()> {
        let mut tx = self.write().await?;
        q("DELETE FROM recovery_codes WHERE user_id = $1", vec![V::int(user_id)]).execute(&mut **tx).await.map_err(err)?;
        insert_recovery_codes(&mut tx, user_id, hashes).await?;
        tx.commit(audit_draft).await.map(|_| ())
    }
    async fn remove_second_factor(&self, user_id: i64, end: bool, audit_draft: AuditDraft) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let n = q("DELETE FROM second_factors WHERE user_id = $1", vec![V::int(user_id)])
            .execute(&mut **tx)
            .await
            .map_err(err)?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        q("DELETE FROM recovery_codes WHERE user_id = $1", vec![V::int(user_id)]).execute(&mut **tx).await.map_err(err)?;
        if end {
            end_access(&mut tx, user_id, audit_draft.at_ms).await?;
        }
        tx.commit(audit_draft).await?;
        Ok(true)
    }
    async fn note_device(&self, user_id: i64, device_hash: &str, at: OffsetDateTime) -> StoreResult<DeviceSeen> {
        let known = self.count("SELECT COUNT(*) FROM known_devices WHERE user_id = $1", vec![V::int(user_id)]).await?;
        let n = self
            .exec(
                "INSERT INTO known_devices (user_id, device_hash, first_seen) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                vec![V::int(user_id), V::text(device_hash), V::int(ms(at))],
            )
            .await?;
        Ok(DeviceSeen { new: n == 1, had_others: known > 0 })
    }
}
