-- Issue 13 §5: the plan rewards collectives and individuals «trong và ngoài Thành phố», Vietnamese
-- abroad and foreigners (seed III.1, III.2.3.b). A nominee not in the registry has subject_type
-- 'external', subject_id 0, its proposer's unit, and where it comes from (domain Origin code);
-- NULL for a nominee of the registry.
ALTER TABLE nominees ADD COLUMN origin TEXT;
