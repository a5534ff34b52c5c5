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

    /// Runs a conditional UPDATE and, when it changed a row, its audit entry, in one
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
    async fn create_session(&self, token_hash: &str, user_id: i64, csrf: &str, expires_at: OffsetDateTime) -> StoreResult<()> {
        self.exec(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
            vec![V::text(token_hash), V::int(user_id), V::text(csrf), V::int(ms(expires_at)), V::int(ms(OffsetDateTime::now_utc()))],
        )
        .await
        .map(|_| ())
    }
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        let row =
            self.fetch_opt("SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1", vec![V::text(token_hash)]).await?;
        row.map(|r| {
            Ok(SessionRecord {
                user_id: get_i64(&r, "user_id")?,
                csrf_token: get_str(&r, "csrf_token")?,
                expires_at: from_ms(get_i64(&r, "expires_at")?),
            })
        })
        .transpose()
    }
    /// Removes expired sessions and login failures older than a day.
    async fn purge_expired(&self, now: OffsetDateTime) -> StoreResult<u64> {
        let a = self.exec("DELETE FROM sessions WHERE expires_at <= $1", vec![V::int(ms(now))]).await?;
        let b = self.exec("DELETE FROM login_failures WHERE at < $1", vec![V::int(ms(now) - 86_400_000)]).await?;
        Ok(a + b)
    }
    async fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str, audit_draft: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let row = q(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            vec![V::int(user_id), V::text(name), V::text(token_hash), V::int(audit_draft.at_ms)],
        )
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
        let id = row.try_get::<i64, _>(0).map_err(err)?;
        tx.commit(audit_draft).await?;
        Ok(id)
    }
    async fn api_token_user(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        let row = self
            .fetch_opt("SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL", vec![V::text(token_hash)])
            .await?;
        row.map(|r| get_i64(&r, "user_id")).transpose()
    }
    async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>> {
        let rows = self
            .fetch("SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id", vec![V::int(user_id)])
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiTokenRecord {
                    id: get_i64(r, "id")?,
                    name: get_str(r, "name")?,
                    created_at_ms: get_i64(r, "created_at")?,
                    revoked: get_opt_i64(r, "revoked_at")?.is_some(),
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
}
