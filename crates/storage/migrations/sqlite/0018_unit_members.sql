-- Issue 13 §12, §7: Circular 24/2023 (Điều 2) counts a unit's «thành viên» (its staff and
-- workers) and an education institution's «người học» apart from the citizens who live in a
-- commune. A person lives in a village (people.unit_id) and may be a member of, or a learner at,
-- any number of organisations: relation is 'member' or 'learner'.
CREATE TABLE unit_members (
    unit_id   BIGINT NOT NULL REFERENCES units(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    relation  TEXT NOT NULL,
    added_by  TEXT NOT NULL,
    added_at  BIGINT NOT NULL,
    PRIMARY KEY (unit_id, person_id)
);
CREATE INDEX unit_members_person ON unit_members (person_id);
