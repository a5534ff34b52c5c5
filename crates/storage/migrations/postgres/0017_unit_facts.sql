-- Issue 13 §13, §14: the facts Circulars 24 and 25/2023 scope their indicators by, each with
-- its basis. An education unit's type (domain Institution and Ownership codes) holds from a data
-- year until a later row replaces it; a commune is in a difficult area year by year.
CREATE TABLE institution_types (
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    from_year   BIGINT NOT NULL,
    institution TEXT NOT NULL,
    ownership   TEXT NOT NULL,
    basis       TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (unit_id, from_year)
);

CREATE TABLE difficult_areas (
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    year        BIGINT NOT NULL,
    basis       TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year)
);
