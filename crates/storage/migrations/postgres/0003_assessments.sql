-- Learning-title assessments, recognition decisions and the tallies the coverage pages read.

CREATE TABLE recognition_decisions (
    id            BIGSERIAL PRIMARY KEY,
    number        TEXT NOT NULL,
    signed_on     TEXT NOT NULL,
    signer        TEXT NOT NULL,
    signer_title  TEXT NOT NULL,
    issuing_unit  BIGINT NOT NULL REFERENCES units(id),
    issuing_body  TEXT NOT NULL,
    title         TEXT NOT NULL,
    level         BIGINT NOT NULL,
    year          BIGINT NOT NULL,
    criteria_set  BIGINT NOT NULL REFERENCES criteria_sets(id),
    subjects      BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    CONSTRAINT recognition_decisions_number_key UNIQUE (issuing_unit, number)
);
CREATE INDEX recognition_decisions_unit ON recognition_decisions (issuing_unit, year);

-- One row per subject, title, year and stage. `subject_id` is the household, person, clan or
-- unit id, by the title's subject; `unit_id` is where the subject belongs (the scope filter).
-- `answers` is the compact text of domain::assessment; `passed` is computed by the rule.
CREATE TABLE assessments (
    id           BIGSERIAL PRIMARY KEY,
    title        TEXT NOT NULL,
    subject_id   BIGINT NOT NULL,
    year         BIGINT NOT NULL,
    stage        TEXT NOT NULL,
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    level        BIGINT NOT NULL,
    criteria_set BIGINT NOT NULL REFERENCES criteria_sets(id),
    answers      TEXT NOT NULL,
    points       BIGINT NOT NULL,
    passed       BIGINT NOT NULL,
    note         TEXT,
    assessor     TEXT NOT NULL,
    decision_id  BIGINT REFERENCES recognition_decisions(id),
    certificate  TEXT,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT assessments_subject_key UNIQUE (title, subject_id, year, stage)
);
CREATE INDEX assessments_unit ON assessments (unit_id, year, title);
CREATE INDEX assessments_decision ON assessments (decision_id);
CREATE UNIQUE INDEX assessments_certificate ON assessments (certificate);

-- A recognised assessment is a record of a decision: its answers and outcome never change.
CREATE FUNCTION assessments_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a recognised assessment is never edited';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER assessments_decided_frozen BEFORE UPDATE OF answers, points, passed, criteria_set, subject_id, title, year ON assessments
    FOR EACH ROW WHEN (OLD.decision_id IS NOT NULL) EXECUTE FUNCTION assessments_frozen();

-- Counts per unit and data year, refreshed in the transaction that changes assessments.
CREATE TABLE title_tallies (
    unit_id    BIGINT NOT NULL,
    year       BIGINT NOT NULL,
    title      TEXT NOT NULL,
    level      BIGINT NOT NULL,
    assessed   BIGINT NOT NULL,
    passed     BIGINT NOT NULL,
    recognised BIGINT NOT NULL,
    PRIMARY KEY (year, unit_id, title, level)
);

-- Active households, people and clans attached to each unit (denominators of coverage),
-- refreshed in the transaction that changes them.
CREATE TABLE unit_counts (
    unit_id    BIGINT PRIMARY KEY,
    households BIGINT NOT NULL,
    people     BIGINT NOT NULL,
    clans      BIGINT NOT NULL
);
INSERT INTO unit_counts (unit_id, households, people, clans)
SELECT u.id,
       (SELECT COUNT(*) FROM households h WHERE h.unit_id = u.id AND h.active = 1),
       (SELECT COUNT(*) FROM people p WHERE p.unit_id = u.id AND p.active = 1),
       (SELECT COUNT(*) FROM clans c WHERE c.unit_id = u.id AND c.active = 1)
FROM units u;

INSERT INTO meta (key, value) VALUES ('tally_version', 0);
