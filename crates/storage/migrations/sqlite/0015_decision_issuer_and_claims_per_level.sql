-- Issue 13 §1: a Giấy khen is decided by the proposing body's own head (seed III.3.2.c), so a
-- commendation decision names the body whose head signed it (the city for the Chairman's
-- decisions and for the central results the city records), and its number is unique within that
-- body's decisions, not across every ward's.
-- Issue 13 §8: the plan forbids no subject being proposed for two award levels in one campaign
-- (a state award and a City Bằng khen): a claim holds a subject per campaign and level.
--
-- SQLite changes a table constraint by rebuilding the table. Other tables refer to
-- award_decisions, so the check of those references is deferred to the commit, when the
-- rebuilt table holds every id again.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE award_decisions_old AS SELECT * FROM award_decisions;
DROP TABLE award_decisions;

CREATE TABLE award_decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id    BIGINT NOT NULL REFERENCES campaigns(id),
    issuer_unit_id BIGINT NOT NULL REFERENCES units(id),
    level          TEXT NOT NULL,
    number         TEXT NOT NULL,
    signed_on      TEXT NOT NULL,
    signer         TEXT NOT NULL,
    signer_title   TEXT NOT NULL,
    central        BIGINT NOT NULL,
    scan_sha256    TEXT,
    awarded        BIGINT NOT NULL,
    reward_vnd     BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    created_by     TEXT NOT NULL,
    CONSTRAINT award_decisions_number_key UNIQUE (issuer_unit_id, level, number, signed_on)
);

INSERT INTO award_decisions (id, campaign_id, issuer_unit_id, level, number, signed_on, signer, signer_title, central,
                             scan_sha256, awarded, reward_vnd, created_at, created_by)
SELECT id, campaign_id, (SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1), level, number, signed_on, signer,
       signer_title, central, scan_sha256, awarded, reward_vnd, created_at, created_by
FROM award_decisions_old;
DROP TABLE award_decisions_old;

CREATE TABLE nomination_claims_next (
    campaign_id  BIGINT NOT NULL,
    level        TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   BIGINT NOT NULL,
    nominee_id   BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, level, subject_type, subject_id)
);
INSERT INTO nomination_claims_next (campaign_id, level, subject_type, subject_id, nominee_id)
SELECT c.campaign_id, b.level, c.subject_type, c.subject_id, c.nominee_id
FROM nomination_claims c JOIN nominees n ON n.id = c.nominee_id JOIN nomination_batches b ON b.id = n.batch_id;
DROP TABLE nomination_claims;
ALTER TABLE nomination_claims_next RENAME TO nomination_claims;
