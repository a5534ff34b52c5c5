-- thidua foundation schema (SQLite). Migrations are immutable once merged: add a new file.
-- Integers are BIGINT-compatible, times are Unix milliseconds, dates ISO text (yyyy-mm-dd),
-- flags 0/1: the same statements run on PostgreSQL.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('tree_version', 0);

CREATE TABLE units (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    name_folded  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    parent_id    BIGINT REFERENCES units(id),
    location_id  BIGINT REFERENCES units(id),
    path         TEXT NOT NULL DEFAULT '',
    valid_from   TEXT,
    valid_to     TEXT,
    successor_id BIGINT REFERENCES units(id),
    active       BIGINT NOT NULL DEFAULT 1,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT units_code_key UNIQUE (code)
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_path ON units (path);

CREATE TABLE households (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    code            TEXT NOT NULL,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    head_name       TEXT NOT NULL,
    head_folded     TEXT NOT NULL,
    head_sort_key   TEXT NOT NULL DEFAULT '',
    head_birth_year BIGINT,
    head_gender     TEXT,
    address         TEXT,
    member_count    BIGINT,
    active          BIGINT NOT NULL DEFAULT 1,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT households_code_key UNIQUE (code)
);
CREATE INDEX households_unit ON households (unit_id);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         TEXT NOT NULL,
    full_name    TEXT NOT NULL,
    name_folded  TEXT NOT NULL,
    sort_key     TEXT NOT NULL,
    birth_year   BIGINT,
    gender       TEXT,
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    household_id BIGINT REFERENCES households(id),
    position     TEXT,
    active       BIGINT NOT NULL DEFAULT 1,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT people_code_key UNIQUE (code)
);
CREATE INDEX people_unit ON people (unit_id, sort_key);
CREATE INDEX people_household ON people (household_id);

CREATE TABLE clans (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT NOT NULL,
    name                TEXT NOT NULL,
    name_folded         TEXT NOT NULL,
    unit_id             BIGINT NOT NULL REFERENCES units(id),
    representative_name TEXT,
    active              BIGINT NOT NULL DEFAULT 1,
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    CONSTRAINT clans_code_key UNIQUE (code)
);
CREATE TABLE clan_units (
    clan_id BIGINT NOT NULL REFERENCES clans(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (clan_id, unit_id)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    home_unit     BIGINT NOT NULL REFERENCES units(id),
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE TABLE grants (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id             BIGINT NOT NULL REFERENCES users(id),
    role                TEXT NOT NULL,
    scope_unit_id       BIGINT NOT NULL REFERENCES units(id),
    include_descendants BIGINT NOT NULL,
    valid_from          BIGINT,
    valid_until         BIGINT,
    delegated_by        BIGINT REFERENCES users(id),
    created_at          BIGINT NOT NULL
);
CREATE INDEX grants_user ON grants (user_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    CONSTRAINT api_tokens_hash_key UNIQUE (token_hash)
);

CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    at_ms        BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    on_behalf_of TEXT,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    unit_id      BIGINT,
    old_json     TEXT,
    new_json     TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_actor ON audit_log (actor);
CREATE INDEX audit_unit ON audit_log (unit_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
