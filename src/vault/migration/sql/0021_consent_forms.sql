-- Issue 19: paper consent forms. A form is printed for one purpose, blank or for a named person,
-- with every element Art. 8 para 4 requires (docs/domain.md §6) fixed when it is printed; its
-- number (digits and a hyphen only, so that a USB scanner types it the same under a Russian or
-- Kazakh keyboard layout) is in a QR code on it. The signed form is recorded by that number: the
-- consent is written with exactly the printed terms, and the form points to it. The PDF is kept,
-- to print the same form again.
CREATE TABLE consent_form (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    year              INTEGER NOT NULL,
    seq               INTEGER NOT NULL CHECK (seq > 0),
    purpose_id        INTEGER NOT NULL REFERENCES purpose(id),
    -- A named form; NULL: blank, the person is chosen when it is recorded.
    subject_id        INTEGER REFERENCES subject(id) ON DELETE SET NULL,
    lang              TEXT NOT NULL CHECK (lang IN ('ru', 'kk', 'en')),
    valid_until       TEXT,
    data_list         TEXT NOT NULL DEFAULT '',
    third_parties     INTEGER NOT NULL DEFAULT 0 CHECK (third_parties IN (0, 1)),
    cross_border      INTEGER NOT NULL DEFAULT 0 CHECK (cross_border IN (0, 1)),
    countries         TEXT NOT NULL DEFAULT '',
    published         INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    policy_version_id INTEGER REFERENCES policy_version(id),
    issued_on         TEXT NOT NULL,
    pdf               BLOB NOT NULL,
    consent_id        INTEGER REFERENCES consent(id) ON DELETE SET NULL,
    recorded_on       TEXT,
    created_at        TEXT NOT NULL,
    UNIQUE (year, seq)
) STRICT;
CREATE INDEX consent_form_subject ON consent_form(subject_id) WHERE subject_id IS NOT NULL;
