-- Issue 13 §18: the decree detailing the Law on Emulation and Commendation that DOHA records when
-- one replaces another (Decree 152/2025 lapses on 01/3/2027): merged with the shipped
-- commendation/bases.toml, an entry with a shipped decree's number replacing it. Dates ISO.
CREATE TABLE legal_bases (
    number     TEXT PRIMARY KEY,
    cite       TEXT NOT NULL,
    from_date  TEXT NOT NULL,
    until_date TEXT,
    basis      TEXT NOT NULL,
    verified   BIGINT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at BIGINT NOT NULL
);
