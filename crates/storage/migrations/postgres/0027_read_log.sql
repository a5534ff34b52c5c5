-- Issue 18 §4: who looked at whom. Every read of a citizen's or a household's record, and every
-- list or export of them, by a page, the API or the command line: who, when, through what, which
-- record or which list (its filter), and how many rows it showed. Written before the data is
-- shown (app/src/read_log.rs), never edited; the inspector reads it within the units of their
-- scope, and a citizen's access request lists the reads of their own records.
-- user_id 0 is the operator at the command line (no users row); the username is kept beside it.
CREATE TABLE read_log (
    id         BIGSERIAL PRIMARY KEY,
    at_ms      BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    username   TEXT NOT NULL,
    channel    TEXT NOT NULL,
    what       TEXT NOT NULL,
    subject_id BIGINT,
    unit_id    BIGINT REFERENCES units(id),
    row_count  BIGINT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX read_log_subject ON read_log (what, subject_id, id);
CREATE INDEX read_log_user ON read_log (user_id, id);
CREATE INDEX read_log_unit ON read_log (unit_id, id);
CREATE FUNCTION read_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'read_log is append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER read_log_no_update BEFORE UPDATE ON read_log
    FOR EACH ROW EXECUTE FUNCTION read_log_append_only();
