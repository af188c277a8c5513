-- Settings of the operator and the vault (no personal data of subjects).
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The journal: append-only and hash-chained (Order 179/НҚ expects a register of database events and
-- user actions). It names records by id and never holds personal data values, so destroying a subject
-- leaves no copy of their data here.
CREATE TABLE journal (
    seq          INTEGER PRIMARY KEY,      -- 1, 2, 3, … without gaps
    at           TEXT NOT NULL,            -- UTC, RFC 3339
    os_user      TEXT NOT NULL,
    responsible  TEXT NOT NULL DEFAULT '', -- the operator's person in charge of personal data
    action       TEXT NOT NULL,            -- e.g. 'vault.created', 'subject.viewed'
    record_kind  TEXT,
    record_id    INTEGER,
    request_id   INTEGER,
    detail       TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
) STRICT;

CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
