-- Transfers to third parties and abroad (Law 94-V Art. 16; policy 8.2, 10), personal-data breaches
-- (Law 44-VIII of 11.12.2023: notice to the authorized body), and the breach notice among the
-- documents.

-- States the authorized body lists as protecting personal data (Art. 16 para 2): editable, empty by
-- default (docs/domain.md §7). A transfer to any other state needs written consent or a contract.
CREATE TABLE adequate_country (
    code  TEXT PRIMARY KEY CHECK (length(code) = 2 AND code = upper(code)),  -- ISO 3166-1 alpha-2
    name  TEXT NOT NULL DEFAULT '',
    note  TEXT NOT NULL DEFAULT ''        -- the act that lists it
) STRICT;

-- One person's data passed to a recipient. `override` holds the written justification when it was
-- recorded although no matching consent, contract or law was found.
CREATE TABLE transfer (
    id              INTEGER PRIMARY KEY,
    subject_id      INTEGER NOT NULL REFERENCES subject(id),
    recipient       TEXT NOT NULL,
    country         TEXT NOT NULL CHECK (length(country) = 2 AND country = upper(country)),
    categories      TEXT NOT NULL,        -- category codes, comma-separated
    purpose_id      INTEGER NOT NULL REFERENCES purpose(id),
    basis           TEXT NOT NULL CHECK (basis IN ('consent', 'contract', 'law')),
    consent_id      INTEGER REFERENCES consent(id) ON DELETE SET NULL,
    basis_ref       TEXT NOT NULL DEFAULT '',   -- the contract's number, the law's article
    transferred_on  TEXT NOT NULL,
    override        TEXT,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX transfer_subject ON transfer(subject_id);
CREATE INDEX transfer_on ON transfer(transferred_on, id);

-- The letter table again, without a fixed list of kinds (the core checks them), so that a new kind
-- of document needs no rebuild; the breach notice is the first. Rebuilt the documented way (with
-- foreign keys off, checked before commit: `Migration::rebuilds`).
DROP TRIGGER letter_immutable;
DROP TRIGGER letter_kept;
CREATE TABLE letter_new (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq > 0),
    kind        TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('ru', 'kk', 'en')),
    issued_on   TEXT NOT NULL,
    addressee   TEXT NOT NULL DEFAULT '',
    request_id  INTEGER REFERENCES request(id),
    subject_id  INTEGER,
    corrects    INTEGER REFERENCES letter(id),
    pages       INTEGER NOT NULL,
    pdf         BLOB NOT NULL,
    sha256      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    redacted_on TEXT,
    UNIQUE (year, seq)
) STRICT;
INSERT INTO letter_new (id, number, year, seq, kind, lang, issued_on, addressee, request_id,
                        subject_id, corrects, pages, pdf, sha256, created_at, redacted_on)
    SELECT id, number, year, seq, kind, lang, issued_on, addressee, request_id, subject_id, corrects,
           pages, pdf, sha256, created_at, redacted_on FROM letter;
DROP TABLE letter;
ALTER TABLE letter_new RENAME TO letter;
CREATE INDEX letter_request ON letter(request_id);
CREATE INDEX letter_subject ON letter(subject_id);
CREATE INDEX letter_issued ON letter(issued_on, id);
CREATE TRIGGER letter_immutable BEFORE UPDATE ON letter
WHEN NOT (OLD.redacted_on IS NULL AND NEW.redacted_on IS NOT NULL
          AND NEW.addressee = '' AND length(NEW.pdf) = 0
          AND NEW.id = OLD.id AND NEW.number = OLD.number AND NEW.year = OLD.year AND NEW.seq = OLD.seq
          AND NEW.kind = OLD.kind AND NEW.lang = OLD.lang AND NEW.issued_on = OLD.issued_on
          AND NEW.request_id IS OLD.request_id AND NEW.subject_id IS OLD.subject_id
          AND NEW.corrects IS OLD.corrects AND NEW.pages = OLD.pages AND NEW.sha256 = OLD.sha256
          AND NEW.created_at = OLD.created_at)
BEGIN SELECT RAISE(ABORT, 'an issued document is immutable'); END;
CREATE TRIGGER letter_kept BEFORE DELETE ON letter
BEGIN SELECT RAISE(ABORT, 'an issued document is kept'); END;

-- A security incident with personal data. Its notice to the authorized body is due by `due_on`
-- (the vault's rule for `breach`, counted by its calendar from `found_on`).
CREATE TABLE breach (
    id                 INTEGER PRIMARY KEY,
    found_on           TEXT NOT NULL,
    found_at           TEXT NOT NULL DEFAULT '',   -- the time of day, as told
    description        TEXT NOT NULL,
    categories         TEXT NOT NULL DEFAULT '',   -- category codes, comma-separated
    subjects_affected  INTEGER NOT NULL CHECK (subjects_affected >= 0),
    measures           TEXT NOT NULL DEFAULT '',
    due_on             TEXT NOT NULL,
    notified_on        TEXT,
    notice_ref         TEXT NOT NULL DEFAULT '',   -- the authority's registration of the notice
    letter_id          INTEGER REFERENCES letter(id),
    closed_on          TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX breach_open ON breach(due_on) WHERE notified_on IS NULL;

-- The list of living subjects (tombstones of destroyed and anonymized ones stay out) in
-- alphabetical order, read from the index alone: paging and counting stay as fast as before
-- tombstones existed. Queries name exactly `status IN ('active', 'blocked')` to use it.
CREATE INDEX subject_listed ON subject(sort_key, id) WHERE status IN ('active', 'blocked');
