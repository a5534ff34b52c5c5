-- Issue 14 §2: the 2025 reform divided most former wards among several new ones (Nghị quyết
-- 1656/NQ-UBTVQH15). A unit's successors become a relation, each successor taking the whole
-- unit (then the only one) or a part of it; the single successor_id becomes a whole succession.
-- Villages and residential groups move between wards on a date: a unit's earlier parents are
-- kept, each up to and including its last day (the parent it has now stays units.parent_id).
CREATE TABLE unit_successions (
    predecessor_id BIGINT NOT NULL REFERENCES units(id),
    successor_id   BIGINT NOT NULL REFERENCES units(id),
    whole          BIGINT NOT NULL,
    PRIMARY KEY (predecessor_id, successor_id),
    CHECK (predecessor_id <> successor_id)
);
CREATE INDEX unit_successions_successor ON unit_successions (successor_id);
INSERT INTO unit_successions (predecessor_id, successor_id, whole)
    SELECT id, successor_id, 1 FROM units WHERE successor_id IS NOT NULL;
ALTER TABLE units DROP COLUMN successor_id;

CREATE TABLE unit_memberships (
    unit_id   BIGINT NOT NULL REFERENCES units(id),
    parent_id BIGINT NOT NULL REFERENCES units(id),
    valid_to  TEXT NOT NULL,
    PRIMARY KEY (unit_id, valid_to)
);
