-- Units and criteria-set versions are never deleted (units are deactivated; versions are
-- immutable): refused outright, as on PostgreSQL, where this let the assessments table drop
-- its per-row foreign-key checks. SQLite keeps the keys (checked in-line, cheaply).
CREATE TRIGGER units_no_delete BEFORE DELETE ON units
BEGIN SELECT RAISE(ABORT, 'units rows are never deleted (deactivate the unit)'); END;
CREATE TRIGGER criteria_sets_no_delete BEFORE DELETE ON criteria_sets
BEGIN SELECT RAISE(ABORT, 'criteria_sets rows are never deleted (add a new version)'); END;
