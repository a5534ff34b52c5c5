-- Issue 18 §3: the retention job. A scan lists, per purpose of the record of processing that has a
-- sweep (privacy/processing.toml), how many records are due on the day (the cutoff it computed);
-- an administrator confirms one, and the job removes exactly what the cutoff selects, audited.
CREATE TABLE retention_sweeps (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose       TEXT NOT NULL,
    what          TEXT NOT NULL,
    cutoff        TEXT NOT NULL,
    due           BIGINT NOT NULL,
    scanned_at_ms BIGINT NOT NULL,
    state         TEXT NOT NULL,
    applied_by    TEXT,
    applied_at_ms BIGINT,
    removed       BIGINT,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX retention_sweeps_state ON retention_sweeps (state, id);
