-- Issue 19: search by name over millions of households and citizens. A trigram index of the
-- folded names (substring matches, as `LIKE '%…%'` answers them), its content read from the
-- tables themselves and kept by triggers on every write, bulk imports included.
CREATE VIRTUAL TABLE people_search USING fts5(name_folded, content='people', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE households_search USING fts5(head_folded, content='households', content_rowid='id', tokenize='trigram');
INSERT INTO people_search (people_search) VALUES ('rebuild');
INSERT INTO households_search (households_search) VALUES ('rebuild');

CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_search (rowid, name_folded) VALUES (new.id, new.name_folded);
END;
CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_search (people_search, rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
END;
CREATE TRIGGER people_search_update AFTER UPDATE OF name_folded ON people BEGIN
    INSERT INTO people_search (people_search, rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
    INSERT INTO people_search (rowid, name_folded) VALUES (new.id, new.name_folded);
END;

CREATE TRIGGER households_search_insert AFTER INSERT ON households BEGIN
    INSERT INTO households_search (rowid, head_folded) VALUES (new.id, new.head_folded);
END;
CREATE TRIGGER households_search_delete AFTER DELETE ON households BEGIN
    INSERT INTO households_search (households_search, rowid, head_folded) VALUES ('delete', old.id, old.head_folded);
END;
CREATE TRIGGER households_search_update AFTER UPDATE OF head_folded ON households BEGIN
    INSERT INTO households_search (households_search, rowid, head_folded) VALUES ('delete', old.id, old.head_folded);
    INSERT INTO households_search (rowid, head_folded) VALUES (new.id, new.head_folded);
END;
