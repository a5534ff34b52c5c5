-- Issue 19: the registry's long lists are paged by key and their totals are kept.
--
-- Every household and citizen attached to a unit, active or not: the total of a list without a
-- search is summed from here over the units it shows, instead of counting millions of rows per
-- request. Refreshed with the active counts (storage/src/assessments.rs, refresh_counts).
ALTER TABLE unit_counts ADD COLUMN households_all BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_counts ADD COLUMN people_all BIGINT NOT NULL DEFAULT 0;
UPDATE unit_counts SET
    households_all = (SELECT COUNT(*) FROM households h WHERE h.unit_id = unit_counts.unit_id),
    people_all = (SELECT COUNT(*) FROM people p WHERE p.unit_id = unit_counts.unit_id);

-- The citizens' list in name order, ending with the row's id so that a page starts exactly after
-- the last row of the one before. (Households list by code, which has its unique index; sorted by
-- their head's name they are sorted whole, in a scope small enough: an index costs an import of
-- 1 M households 3 s, a third of it.)
CREATE INDEX people_sort ON people (sort_key, id);
