-- Issue 19: possible duplicates kept as records are written, not searched at request time. For
-- each ward or commune (the parent of the village or residential group a record lives in), the
-- folded names and birth years that two or more active household heads, or citizens, share
-- there. Recounted for the wards a write touches (storage/src/assessments.rs, refresh_counts).
-- birth 0: not recorded. ids: the records' ids, comma-separated, so a page reads them by key.
CREATE TABLE name_twins (
    subject TEXT NOT NULL,
    ward_id BIGINT NOT NULL REFERENCES units(id),
    folded  TEXT NOT NULL,
    birth   BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    ids     TEXT NOT NULL,
    PRIMARY KEY (subject, ward_id, folded, birth)
);
CREATE INDEX name_twins_subject ON name_twins (subject, folded, ward_id, birth);

INSERT INTO name_twins (subject, ward_id, folded, birth, n, ids)
SELECT 'household', u.parent_id, h.head_folded, COALESCE(h.head_birth_year, 0), COUNT(*), group_concat(h.id, ',')
FROM households h JOIN units u ON u.id = h.unit_id
WHERE h.active = 1 AND u.parent_id IS NOT NULL
GROUP BY u.parent_id, h.head_folded, COALESCE(h.head_birth_year, 0)
HAVING COUNT(*) > 1;

INSERT INTO name_twins (subject, ward_id, folded, birth, n, ids)
SELECT 'person', u.parent_id, p.name_folded, COALESCE(p.birth_year, 0), COUNT(*), group_concat(p.id, ',')
FROM people p JOIN units u ON u.id = p.unit_id
WHERE p.active = 1 AND u.parent_id IS NOT NULL
GROUP BY u.parent_id, p.name_folded, COALESCE(p.birth_year, 0)
HAVING COUNT(*) > 1;
