-- Destruction and anonymization (Law 94-V Art. 18, 25; policy 5.7, 8.8, 8.9).
-- A destroyed subject keeps its row as a tombstone without personal data (status 'destroyed', every
-- identifying column emptied, no search entry), so requests, letters and the journal still point to a
-- record that says when, why and by which act the data went. An anonymized one keeps, if chosen,
-- only the statistical fields below.

ALTER TABLE subject ADD COLUMN birth_year INTEGER;   -- kept on anonymization when chosen
ALTER TABLE subject ADD COLUMN sex TEXT CHECK (sex IN ('m', 'f'));

-- One destruction or anonymization: of one subject, or of many at once (a retention sweep).
CREATE TABLE erasure_batch (
    id          INTEGER PRIMARY KEY,
    action      TEXT NOT NULL CHECK (action IN ('destroy', 'anonymize')),
    done_on     TEXT NOT NULL,
    done_at     TEXT NOT NULL,
    basis       TEXT NOT NULL,
    request_id  INTEGER REFERENCES request(id),
    origin      TEXT NOT NULL CHECK (origin IN ('subject', 'request', 'retention')),
    subjects    INTEGER NOT NULL,
    holdings    INTEGER NOT NULL,           -- holdings ended (whole subjects' and single ones)
    kept        TEXT NOT NULL DEFAULT '',   -- anonymization: what was kept (birth_year, sex, holdings)
    act_id      INTEGER REFERENCES letter(id)
) STRICT;

-- The tombstone: which record, in which batch, which categories of data it had.
CREATE TABLE erasure (
    subject_id  INTEGER PRIMARY KEY REFERENCES subject(id),
    batch_id    INTEGER NOT NULL REFERENCES erasure_batch(id),
    categories  TEXT NOT NULL DEFAULT ''    -- category codes, comma-separated
) STRICT;
CREATE INDEX erasure_batch_idx ON erasure(batch_id);

-- Holdings ended by a retention sweep while the subject stays (other data is still lawfully held).
CREATE TABLE erasure_holding (
    id           INTEGER PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES erasure_batch(id),
    subject_id   INTEGER NOT NULL REFERENCES subject(id),
    category_id  INTEGER NOT NULL REFERENCES data_category(id),
    purpose_id   INTEGER NOT NULL REFERENCES purpose(id),
    reason       TEXT NOT NULL
) STRICT;
CREATE INDEX erasure_holding_batch ON erasure_holding(batch_id);

-- A document that carried a destroyed or anonymized person's data keeps its place in the register
-- (number, kind, date, checksum of what was sent) but loses its text and addressee.
ALTER TABLE letter ADD COLUMN redacted_on TEXT;
DROP TRIGGER letter_immutable;
CREATE TRIGGER letter_immutable BEFORE UPDATE ON letter
WHEN NOT (OLD.redacted_on IS NULL AND NEW.redacted_on IS NOT NULL
          AND NEW.addressee = '' AND length(NEW.pdf) = 0
          AND NEW.id = OLD.id AND NEW.number = OLD.number AND NEW.year = OLD.year AND NEW.seq = OLD.seq
          AND NEW.kind = OLD.kind AND NEW.lang = OLD.lang AND NEW.issued_on = OLD.issued_on
          AND NEW.request_id IS OLD.request_id AND NEW.subject_id IS OLD.subject_id
          AND NEW.corrects IS OLD.corrects AND NEW.pages = OLD.pages AND NEW.sha256 = OLD.sha256
          AND NEW.created_at = OLD.created_at)
BEGIN SELECT RAISE(ABORT, 'an issued document is immutable'); END;

-- Retention: where each purpose's period comes from (law, contract, policy) and a note (the clause).
ALTER TABLE purpose ADD COLUMN retention_source TEXT
    CHECK (retention_source IN ('law', 'contract', 'policy'));
ALTER TABLE purpose ADD COLUMN retention_note TEXT NOT NULL DEFAULT '';
