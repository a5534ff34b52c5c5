-- PostgreSQL checks a foreign key with one query per inserted row (a trigger through SPI): on a
-- bulk assessment import that was a third of the time (BENCHMARKS.md). The two keys it checked
-- point at rows that are never deleted: units are deactivated, never removed, and criteria-set
-- versions are immutable. Deleting either is now refused outright, so the keys can go from
-- assessments without losing what they guaranteed. (SQLite checks keys in-line, cheaply; its
-- schema keeps them.)
ALTER TABLE assessments DROP CONSTRAINT assessments_unit_id_fkey;
ALTER TABLE assessments DROP CONSTRAINT assessments_criteria_set_fkey;

CREATE FUNCTION refuse_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted (deactivate a unit; add a new criteria-set version)', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER units_no_delete BEFORE DELETE ON units FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER criteria_sets_no_delete BEFORE DELETE ON criteria_sets FOR EACH ROW EXECUTE FUNCTION refuse_delete();
