-- Issue 18 §2: personal data in the audit log can be erased on a data subject's request without
-- breaking the chain. From here on an entry's hash covers the SHA-256 digests of its payloads
-- (sealing 2, digests kept in old_digest/new_digest) instead of their text (sealing 1, every entry
-- before this migration). An erasure replaces the payload text of a sealing-2 entry with its
-- redaction and names the request (erased_by); every other change stays refused, and the verifier
-- checks each payload still present against its digest and each erasure against the erase entry
-- that ordered it (domain::audit::Erasures).
ALTER TABLE audit_log ADD COLUMN sealing BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN old_digest TEXT;
ALTER TABLE audit_log ADD COLUMN new_digest TEXT;
ALTER TABLE audit_log ADD COLUMN erased_by BIGINT;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.sealing = 2 AND OLD.erased_by IS NULL AND NEW.erased_by IS NOT NULL
    AND NEW.seq = OLD.seq AND NEW.at_ms = OLD.at_ms AND NEW.actor = OLD.actor AND NEW.on_behalf_of IS OLD.on_behalf_of
    AND NEW.action = OLD.action AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id AND NEW.unit_id IS OLD.unit_id
    AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash AND NEW.sealing = OLD.sealing
    AND NEW.old_digest IS OLD.old_digest AND NEW.new_digest IS OLD.new_digest)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The register of requests from data subjects (Law 91/2025, Decree 356/2025; issue 18 §2): what
-- the person asked, when the ward received it, the two legal time limits computed on the
-- working-day calendar when it was registered (privacy/requests.toml), and its outcome.
CREATE TABLE subject_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id       BIGINT NOT NULL REFERENCES people(id),
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    received_on     TEXT NOT NULL,
    detail          TEXT NOT NULL,
    acknowledge_by  TEXT NOT NULL,
    done_by         TEXT NOT NULL,
    acknowledged_on TEXT,
    state           TEXT NOT NULL,
    outcome         TEXT,
    closed_on       TEXT,
    registered_by   TEXT NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL
);
CREATE INDEX subject_requests_due ON subject_requests (state, done_by);
CREATE INDEX subject_requests_unit ON subject_requests (unit_id, id);
CREATE INDEX subject_requests_person ON subject_requests (person_id, id);
