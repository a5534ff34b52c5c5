-- Issue 13 §1: a Giấy khen is decided by the proposing body's own head (seed III.3.2.c), so a
-- commendation decision names the body whose head signed it (the city for the Chairman's
-- decisions and for the central results the city records), and its number is unique within that
-- body's decisions, not across every ward's.
-- Issue 13 §8: the plan forbids no subject being proposed for two award levels in one campaign
-- (a state award and a City Bằng khen): a claim holds a subject per campaign and level.
ALTER TABLE award_decisions ADD COLUMN issuer_unit_id BIGINT REFERENCES units(id);
UPDATE award_decisions SET issuer_unit_id = (SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1);
ALTER TABLE award_decisions ALTER COLUMN issuer_unit_id SET NOT NULL;
ALTER TABLE award_decisions DROP CONSTRAINT award_decisions_number_key;
ALTER TABLE award_decisions ADD CONSTRAINT award_decisions_number_key UNIQUE (issuer_unit_id, level, number, signed_on);

ALTER TABLE nomination_claims ADD COLUMN level TEXT;
UPDATE nomination_claims c SET level = b.level
FROM nominees n JOIN nomination_batches b ON b.id = n.batch_id
WHERE n.id = c.nominee_id;
ALTER TABLE nomination_claims ALTER COLUMN level SET NOT NULL;
ALTER TABLE nomination_claims DROP CONSTRAINT nomination_claims_pkey;
ALTER TABLE nomination_claims ADD PRIMARY KEY (campaign_id, level, subject_type, subject_id);
