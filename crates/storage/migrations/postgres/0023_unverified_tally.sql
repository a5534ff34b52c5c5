-- Issue 19: the self-assessments waiting for verification, kept with the other title tallies
-- (a ward officer's work list read them by scanning a year's assessments on every home page).
-- A self-assessment waits while its subject has no verified assessment of the same title and year.
ALTER TABLE title_tallies ADD COLUMN unverified BIGINT NOT NULL DEFAULT 0;
UPDATE title_tallies SET unverified = (
    SELECT COUNT(*) FROM assessments a
    WHERE a.unit_id = title_tallies.unit_id AND a.year = title_tallies.year AND a.title = title_tallies.title
      AND a.level = title_tallies.level AND a.stage = 'self'
      AND NOT EXISTS (SELECT 1 FROM assessments v WHERE v.title = a.title AND v.subject_id = a.subject_id
                      AND v.year = a.year AND v.stage = 'verified'));
