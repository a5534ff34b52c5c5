-- E-mail: each user's address and whether they head their home unit (escalations go to them),
-- and the outbox. A reminder is queued once (dedupe_key) and sent by whichever process claims it
-- first (next_attempt_at moved forward as a lease); a failed send is retried with a growing delay
-- and given up after the last attempt, kept with its error.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN unit_head BIGINT NOT NULL DEFAULT 0;

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    user_id         BIGINT REFERENCES users(id),
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    gave_up_at      BIGINT,
    last_error      TEXT,
    CONSTRAINT mail_outbox_dedupe_key UNIQUE (dedupe_key)
);
CREATE INDEX mail_outbox_pending ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX mail_outbox_created ON mail_outbox (created_at);
