-- Issue 19: search by name over millions of households and citizens. `LIKE '%…%'` on the folded
-- names is answered from trigram indexes (pg_trgm, a trusted extension since PostgreSQL 13: the
-- database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX people_name_trgm ON people USING gin (name_folded gin_trgm_ops);
CREATE INDEX households_head_trgm ON households USING gin (head_folded gin_trgm_ops);

-- A code is found by its beginning, compared byte by byte (codes are ASCII): the database's own
-- collation may be linguistic, which orders `-` and `.` by other rules. SQLite compares bytes.
CREATE INDEX people_code_c ON people (code COLLATE "C");
CREATE INDEX households_code_c ON households (code COLLATE "C");
