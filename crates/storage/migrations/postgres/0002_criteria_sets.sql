-- Criteria sets of the learning titles: each version is a row that is never updated; a change
-- is a new version. The TOML source is kept as uploaded, with its SHA-256.
CREATE TABLE criteria_sets (
    id          BIGSERIAL PRIMARY KEY,
    set_id      TEXT NOT NULL,
    version     BIGINT NOT NULL,
    title       TEXT NOT NULL,
    title_vi    TEXT NOT NULL,
    level       BIGINT,
    subject     TEXT NOT NULL,
    from_year   BIGINT NOT NULL,
    to_year     BIGINT,
    provisional BIGINT NOT NULL,
    source_toml TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    origin      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    CONSTRAINT criteria_sets_version_key UNIQUE (set_id, version)
);
CREATE INDEX criteria_sets_title ON criteria_sets (title, level);
CREATE FUNCTION criteria_sets_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'criteria_sets rows are never edited: add a new version';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER criteria_sets_no_update BEFORE UPDATE ON criteria_sets
    FOR EACH ROW EXECUTE FUNCTION criteria_sets_immutable();
