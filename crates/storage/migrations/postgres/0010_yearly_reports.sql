-- The yearly implementation report of each reporting body (seed VII: before 15/12 every year).
-- figures: the figures drawn from the registry, frozen (JSON) at each submission; activities:
-- the figures the unit types (events held, participants); the narrative in four parts.
CREATE TABLE yearly_reports (
    id                 BIGSERIAL PRIMARY KEY,
    unit_id            BIGINT NOT NULL REFERENCES units(id),
    year               BIGINT NOT NULL,
    state              TEXT NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1,
    figures            TEXT NOT NULL DEFAULT '',
    activities         TEXT NOT NULL DEFAULT '',
    results            TEXT NOT NULL DEFAULT '',
    limits             TEXT NOT NULL DEFAULT '',
    lessons            TEXT NOT NULL DEFAULT '',
    proposals          TEXT NOT NULL DEFAULT '',
    first_submitted_at BIGINT,
    submitted_at       BIGINT,
    approved_at        BIGINT,
    approved_by        TEXT,
    updated_at         BIGINT NOT NULL,
    updated_by         TEXT NOT NULL,
    CONSTRAINT yearly_reports_unit_year UNIQUE (unit_id, year)
);
CREATE INDEX yearly_reports_year ON yearly_reports (year, state);

-- Every step with who, when and why.
CREATE TABLE report_events (
    id          BIGSERIAL PRIMARY KEY,
    report_id   BIGINT NOT NULL REFERENCES yearly_reports(id),
    step        TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          BIGINT NOT NULL,
    comment     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_events_report ON report_events (report_id, id);

-- A reporting year DOET closed: drafts can no longer be submitted unless reopened one by one.
CREATE TABLE report_years (
    year        BIGINT PRIMARY KEY,
    locked      BIGINT NOT NULL DEFAULT 0,
    changed_at  BIGINT NOT NULL,
    changed_by  TEXT NOT NULL
);
