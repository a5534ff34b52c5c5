-- What the movement publishes (seed III.6.4, IV.4, IV.6). Articles: exemplary models, good
-- practices and recognised initiatives, written by a unit's officer and reviewed by DOET before
-- they go public; the photo is a content-addressed file (sha256). search_key: the folded text
-- (no diacritics, lower case) for diacritic-insensitive search.
CREATE TABLE articles (
    id              BIGSERIAL PRIMARY KEY,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    kind            TEXT NOT NULL,
    state           TEXT NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    subjects        TEXT NOT NULL DEFAULT '',
    recognition     TEXT NOT NULL DEFAULT '',
    photo_sha256    TEXT,
    photo_caption   TEXT NOT NULL DEFAULT '',
    search_key      TEXT NOT NULL DEFAULT '',
    review_comment  TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    updated_by      TEXT NOT NULL,
    published_at    BIGINT,
    published_by    TEXT
);
CREATE INDEX articles_public ON articles (kind, published_at) WHERE state = 'published';
CREATE INDEX articles_unit ON articles (unit_id, state);

-- The catalogue of open learning resources, contributed by schools and centres: a link or a file
-- (content-addressed). Public when contributed; the contributor or DOET withdraws one.
CREATE TABLE learning_resources (
    id            BIGSERIAL PRIMARY KEY,
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    state         TEXT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    title         TEXT NOT NULL,
    topic         TEXT NOT NULL,
    level         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    url           TEXT,
    file_sha256   TEXT,
    file_name     TEXT,
    file_type     TEXT,
    file_size     BIGINT,
    search_key    TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    withdrawn_at  BIGINT,
    withdrawn_by  TEXT
);
CREATE INDEX learning_resources_public ON learning_resources (topic, level, id) WHERE state = 'published';
CREATE INDEX learning_resources_unit ON learning_resources (unit_id, state);
