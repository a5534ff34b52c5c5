-- Issue 18 §6: two-step sign-in (TOTP, RFC 6238) and the sessions a user can see and end.
-- An account's authenticator secret, stored once the user has proved it with a code; the last
-- time step accepted, so that a code is never accepted twice (RFC 6238 §5.2).
CREATE TABLE second_factors (
    user_id      BIGINT PRIMARY KEY REFERENCES users(id),
    secret       TEXT NOT NULL,
    last_step    BIGINT NOT NULL,
    confirmed_at BIGINT NOT NULL
);

-- One-time recovery codes, stored as their SHA-256 (each is 50 random bits).
CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id   BIGINT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at   BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A session is 'full', or waits for its second step ('code': enter a code; 'enrol': set up an
-- authenticator first). Only a full session opens anything; where and with what it began is
-- shown to its user, who can end it.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

-- API tokens say what they may do and where, and end (issue 18 §6). A token made before this
-- migration keeps what it had (read and write, the whole of its user's scope, no end): the
-- account page says so, and new tokens always end.
ALTER TABLE api_tokens ADD COLUMN can_write BIGINT NOT NULL DEFAULT 1;
ALTER TABLE api_tokens ADD COLUMN area_unit_id BIGINT REFERENCES units(id);
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;

-- The browsers an account has signed in from (a random id kept in a long-lived cookie, stored
-- hashed): a sign-in from one not seen before is told to the account's owner.
CREATE TABLE known_devices (
    user_id     BIGINT NOT NULL REFERENCES users(id),
    device_hash TEXT NOT NULL,
    first_seen  BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);
