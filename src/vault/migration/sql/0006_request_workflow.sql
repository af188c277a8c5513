-- The request workflow (issue 5): who wrote from which address, a linked duplicate, the identity
-- check, extensions with their reason, pauses while waiting for the requester.

ALTER TABLE request ADD COLUMN sender TEXT NOT NULL DEFAULT '';   -- the e-mail address it came from
ALTER TABLE request ADD COLUMN linked_to INTEGER REFERENCES request(id) ON DELETE SET NULL;
ALTER TABLE request ADD COLUMN extension_reason TEXT;
-- How the requester's identity was checked (no copy of an identity document is kept: Law 94-V as
-- amended in 2024 forbids collecting paper copies).
ALTER TABLE request ADD COLUMN identity_method TEXT
    CHECK (identity_method IN ('in_person', 'signed_letter', 'digital_signature', 'egov'));
ALTER TABLE request ADD COLUMN identity_checked_on TEXT;
ALTER TABLE request ADD COLUMN closed_on TEXT;

-- Waiting for the requester (identity, a clarification): recorded and shown; it does not move the
-- legal due date (docs/domain.md §2).
CREATE TABLE request_pause (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES request(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (reason IN ('identity', 'clarification')),
    from_on     TEXT NOT NULL,
    until_on    TEXT
) STRICT;
CREATE INDEX request_pause_request ON request_pause(request_id);

CREATE INDEX request_received ON request(received_on);
CREATE INDEX request_subject_kind ON request(subject_id, kind);
-- The dashboard counts open requests by kind and by their effective due date from this index
-- alone (only open requests are in it).
CREATE INDEX request_open_kind ON request(kind, status, coalesce(extended_to, due_on))
    WHERE status IN ('new', 'in_progress');
-- Superseded by the index above (it ignored extensions).
DROP INDEX request_open_due;

-- A request's history is read from the journal.
CREATE INDEX journal_request ON journal(request_id) WHERE request_id IS NOT NULL;
