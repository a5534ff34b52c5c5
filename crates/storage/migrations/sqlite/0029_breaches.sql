-- Issue 18 §5: the register of personal-data breaches (Law 91/2025/QH15 Art. 23). Each breach: when
-- it was discovered and the last moment its notification may go (discovery + 72 hours,
-- privacy/breaches.toml), what happened, the categories of data touched, how many subjects may be
-- affected — counted from the read log over a suspect account and a time window where the breach
-- went through an account — the consequences and measures, and when the notification was sent.
CREATE TABLE breaches (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id            BIGINT NOT NULL REFERENCES units(id),
    discovered_at_ms   BIGINT NOT NULL,
    notify_by_ms       BIGINT NOT NULL,
    description        TEXT NOT NULL,
    categories         TEXT NOT NULL,
    suspect_user       TEXT,
    window_from_ms     BIGINT,
    window_to_ms       BIGINT,
    affected_people    BIGINT,
    affected_households BIGINT,
    affected_list_rows BIGINT,
    affected_note      TEXT NOT NULL,
    consequences       TEXT NOT NULL,
    measures           TEXT NOT NULL,
    contact            TEXT NOT NULL,
    notified_at_ms     BIGINT,
    notified_by        TEXT,
    recorded_by        TEXT NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         BIGINT NOT NULL
);
CREATE INDEX breaches_open ON breaches (notified_at_ms, notify_by_ms);
