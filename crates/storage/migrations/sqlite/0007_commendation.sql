-- Commendation: campaigns, proposers' dossiers (tờ trình) with their nominees and documents,
-- quotas held at submission, DOET's consolidated submissions, the flow's history and the
-- Chairman's decisions.

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    year        BIGINT NOT NULL,
    body        TEXT NOT NULL,          -- TOML of domain::commendation::campaign::Campaign
    status      TEXT NOT NULL,          -- open | closed
    origin      TEXT NOT NULL,          -- shipped | officer
    version     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL
);

-- A unit's extension of a campaign's deadline, granted by DOET.
CREATE TABLE campaign_extensions (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    due_before  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    granted_at  BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);

-- DOET's consolidated submission to DOHA.
CREATE TABLE consolidations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    level       TEXT NOT NULL,
    number      TEXT NOT NULL,
    signed_on   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL
);

-- The Chairman's decision (or the central level's, for state-level awards).
CREATE TABLE award_decisions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    level        TEXT NOT NULL,
    number       TEXT NOT NULL,
    signed_on    TEXT NOT NULL,
    signer       TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    central      BIGINT NOT NULL,
    scan_sha256  TEXT,
    awarded      BIGINT NOT NULL,
    reward_vnd   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    CONSTRAINT award_decisions_number_key UNIQUE (level, number, signed_on)
);

CREATE TABLE nomination_batches (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id      BIGINT NOT NULL REFERENCES campaigns(id),
    level            TEXT NOT NULL,
    proposer_unit_id BIGINT NOT NULL REFERENCES units(id),
    number           TEXT NOT NULL,
    summary          TEXT NOT NULL,
    state            TEXT NOT NULL,
    consolidation_id BIGINT REFERENCES consolidations(id),
    decision_id      BIGINT REFERENCES award_decisions(id),
    submitted_at     BIGINT,
    state_since      BIGINT NOT NULL,
    version          BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    created_by       TEXT NOT NULL
);
CREATE INDEX nomination_batches_campaign ON nomination_batches (campaign_id, state);
CREATE INDEX nomination_batches_unit ON nomination_batches (proposer_unit_id);

CREATE TABLE nominees (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id         BIGINT NOT NULL REFERENCES nomination_batches(id),
    campaign_id      BIGINT NOT NULL REFERENCES campaigns(id),
    kind             TEXT NOT NULL,      -- domain::commendation::NomineeKind
    class            TEXT NOT NULL,      -- collective | individual | household
    subject_type     TEXT NOT NULL,      -- unit | household | person | clan
    subject_id       BIGINT NOT NULL,
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    name             TEXT NOT NULL,
    name_folded      TEXT NOT NULL,
    birth_year       BIGINT,
    position         TEXT NOT NULL,
    achievement      TEXT NOT NULL,
    cites_initiative BIGINT NOT NULL,
    outcome          TEXT NOT NULL,      -- proposed | dropped | awarded | refused
    outcome_reason   TEXT,
    decision_id      BIGINT REFERENCES award_decisions(id),
    reward_vnd       BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX nominees_batch ON nominees (batch_id);
CREATE INDEX nominees_subject ON nominees (subject_type, subject_id);
CREATE INDEX nominees_campaign_name ON nominees (campaign_id, name_folded);

-- One live nomination per subject and campaign, taken at submission: the hard guard against a
-- person or household proposed by two proposers.
CREATE TABLE nomination_claims (
    campaign_id  BIGINT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   BIGINT NOT NULL,
    nominee_id   BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, subject_type, subject_id)
);

-- Nominees held against a campaign's quota by each proposer; the conditional UPDATE that adds
-- to it is the hard block under concurrency.
CREATE TABLE quota_usage (
    campaign_id      BIGINT NOT NULL,
    level            TEXT NOT NULL,
    proposer_unit_id BIGINT NOT NULL,
    collectives      BIGINT NOT NULL,
    individuals      BIGINT NOT NULL,
    households       BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, level, proposer_unit_id)
);

-- Files, content-addressed: the bytes live in the blob store under their SHA-256.
CREATE TABLE dossier_documents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id      BIGINT NOT NULL REFERENCES nomination_batches(id),
    nominee_id    BIGINT REFERENCES nominees(id),
    kind          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    replaces_id   BIGINT REFERENCES dossier_documents(id),
    current       BIGINT NOT NULL,
    uploaded_at   BIGINT NOT NULL,
    uploaded_by   TEXT NOT NULL
);
CREATE INDEX dossier_documents_batch ON dossier_documents (batch_id, current);

-- Every step of the flow, with who, when, why, and the dossier as it stood.
CREATE TABLE batch_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id    BIGINT NOT NULL REFERENCES nomination_batches(id),
    step        TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          BIGINT NOT NULL,
    comment     TEXT NOT NULL,
    snapshot    TEXT NOT NULL
);
CREATE INDEX batch_events_batch ON batch_events (batch_id, id);

-- What an appraiser asks to fix, per nominee or document, when returning a dossier.
CREATE TABLE batch_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id    BIGINT NOT NULL REFERENCES nomination_batches(id),
    event_id    BIGINT NOT NULL REFERENCES batch_events(id),
    nominee_id  BIGINT REFERENCES nominees(id),
    document_id BIGINT REFERENCES dossier_documents(id),
    comment     TEXT NOT NULL
);
CREATE INDEX batch_comments_batch ON batch_comments (batch_id);
