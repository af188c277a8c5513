-- Issue 19: the wording of each document kind per language, edited by the user. Every save is a
-- new version; a version with no texts (NULL title) is a reset to the built-in wording. A letter
-- records the version it was drafted from (NULL: the built-in wording).
CREATE TABLE letter_template (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('ru', 'kk', 'en')),
    version     INTEGER NOT NULL CHECK (version > 0),
    title       TEXT,
    intro       TEXT,
    outro       TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, lang, version)
) STRICT;
ALTER TABLE letter ADD COLUMN template_version INTEGER;
