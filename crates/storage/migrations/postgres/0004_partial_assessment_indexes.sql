-- Undecided assessments (most of them, until the decisions of the year) have neither a decision
-- nor a certificate: the two indexes keep only the decided rows. A full index on decision_id
-- also misled the planner into reading every undecided assessment of the city for
-- "decision_id IS NULL" instead of the unit's own rows through assessments_unit.
DROP INDEX assessments_decision;
CREATE INDEX assessments_decision ON assessments (decision_id) WHERE decision_id IS NOT NULL;
DROP INDEX assessments_certificate;
CREATE UNIQUE INDEX assessments_certificate ON assessments (certificate) WHERE certificate IS NOT NULL;
