-- The public honour roll names a household or a citizen only with their consent (recorded, with
-- its audit entry); collectives are named always. Partial indexes keep the public pages' queries
-- on the few consenting subjects and on recognised collectives.
ALTER TABLE households ADD COLUMN public_consent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN public_consent BIGINT NOT NULL DEFAULT 0;
CREATE INDEX households_consent ON households (id) WHERE public_consent <> 0;
CREATE INDEX people_consent ON people (id) WHERE public_consent <> 0;
CREATE INDEX assessments_recognised_title_year ON assessments (title, year) WHERE decision_id IS NOT NULL;
