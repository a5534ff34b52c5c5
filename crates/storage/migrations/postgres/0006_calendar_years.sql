-- The per-year tables of the working-day calendar that an administrator edited
-- (domain::calendar::YearTable as TOML). A year stored here replaces the shipped file.
CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
