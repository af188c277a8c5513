-- Letters and acts (issue 6): the register of issued documents. Each is numbered from a yearly
-- sequence and kept exactly as issued (its PDF bytes); a correction is a new document naming the one
-- it corrects, never an edit.
CREATE TABLE letter (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,        -- the outgoing number, e.g. 'ИСХ-2026/007'
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('access-extract', 'confirm-update', 'confirm-block',
                    'confirm-unblock', 'confirm-withdrawal', 'confirm-marketing', 'act-destruction',
                    'act-anonymization', 'refusal', 'authority-answer', 'period-report')),
    lang        TEXT NOT NULL CHECK (lang IN ('ru', 'kk', 'en')),
    issued_on   TEXT NOT NULL,
    addressee   TEXT NOT NULL DEFAULT '',    -- first line of the addressee block
    request_id  INTEGER REFERENCES request(id),
    -- No foreign key: an act of destruction outlives the subject's data and names the record by id.
    subject_id  INTEGER,
    corrects    INTEGER REFERENCES letter(id),
    pages       INTEGER NOT NULL,
    pdf         BLOB NOT NULL,
    sha256      TEXT NOT NULL,               -- of pdf, shown in the register
    created_at  TEXT NOT NULL,
    UNIQUE (year, seq)
) STRICT;
CREATE INDEX letter_request ON letter(request_id);
CREATE INDEX letter_subject ON letter(subject_id);
CREATE INDEX letter_issued ON letter(issued_on, id);

CREATE TRIGGER letter_immutable BEFORE UPDATE ON letter
BEGIN SELECT RAISE(ABORT, 'an issued document is immutable'); END;
CREATE TRIGGER letter_kept BEFORE DELETE ON letter
BEGIN SELECT RAISE(ABORT, 'an issued document is kept'); END;

-- The letterhead's logo (PNG or JPEG); the letterhead's text fields are settings ('letterhead.*').
CREATE TABLE letterhead_logo (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    mime    TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg')),
    bytes   BLOB NOT NULL
) STRICT;
