-- Issue 19: the wards whose possible duplicates (name_twins) an import has yet to regroup. An
-- import marks its wards in its own transaction and regroups them after it commits, each ward in
-- a transaction of its own under that ward's lock, instead of holding the audit head — and with
-- it every other writer of the city — while a ward of a million rows is grouped. The periodic
-- housekeeping regroups what an interrupted import left.
CREATE TABLE twins_pending (
    ward_id  BIGINT PRIMARY KEY REFERENCES units(id),
    since_ms BIGINT NOT NULL
);
