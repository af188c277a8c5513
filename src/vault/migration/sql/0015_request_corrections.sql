-- Issue 18: requests that can be corrected, cancelled, attached and found.

-- The request table again, its status allowing 'cancelled' (entered in error, withdrawn by the
-- requester): a cancelled request leaves the open lists and the on-time figures and stays in the
-- register. Rebuilt the documented way (foreign keys off, checked before commit:
-- `Migration::rebuilds`); every column and index as the earlier versions left them.
CREATE TABLE request_new (
    id              INTEGER PRIMARY KEY,
    subject_id      INTEGER REFERENCES subject(id) ON DELETE SET NULL,
    requester       TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL CHECK (kind IN ('access', 'update', 'block', 'unblock', 'destroy',
                        'withdraw-consent', 'refuse-marketing', 'stop-processing', 'authority',
                        'breach', 'other')),
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'paper', 'in_person', 'egov', 'authority')),
    received_on     TEXT NOT NULL,
    incoming_ref    TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'in_progress', 'answered', 'refused', 'closed', 'cancelled')),
    due_on          TEXT NOT NULL,
    extended_to     TEXT,
    answered_on     TEXT,
    refusal_reason  TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sender          TEXT NOT NULL DEFAULT '',
    linked_to       INTEGER REFERENCES request(id) ON DELETE SET NULL,
    extension_reason TEXT,
    identity_method TEXT
                    CHECK (identity_method IN ('in_person', 'signed_letter', 'digital_signature', 'egov')),
    identity_checked_on TEXT,
    closed_on       TEXT,
    sender_raw      TEXT NOT NULL DEFAULT '',
    message_key     TEXT,
    intake_note     TEXT NOT NULL DEFAULT '',
    -- Cancelled: when, why (a code: 'error', 'withdrawn'), and the user's words.
    cancelled_on    TEXT,
    cancel_reason   TEXT CHECK (cancel_reason IN ('error', 'withdrawn')),
    cancel_note     TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO request_new (id, subject_id, requester, kind, channel, received_on, incoming_ref, body,
                         status, due_on, extended_to, answered_on, refusal_reason, created_at,
                         updated_at, sender, linked_to, extension_reason, identity_method,
                         identity_checked_on, closed_on, sender_raw, message_key, intake_note)
    SELECT id, subject_id, requester, kind, channel, received_on, incoming_ref, body, status, due_on,
           extended_to, answered_on, refusal_reason, created_at, updated_at, sender, linked_to,
           extension_reason, identity_method, identity_checked_on, closed_on, sender_raw,
           message_key, intake_note
    FROM request;
DROP TABLE request;
ALTER TABLE request_new RENAME TO request;
CREATE INDEX request_subject ON request(subject_id);
CREATE INDEX request_open_subject ON request(subject_id) WHERE status IN ('new', 'in_progress');
CREATE INDEX request_received ON request(received_on);
CREATE INDEX request_subject_kind ON request(subject_id, kind);
CREATE INDEX request_open_kind ON request(kind, status, coalesce(extended_to, due_on))
    WHERE status IN ('new', 'in_progress');
CREATE UNIQUE INDEX request_message_key ON request(message_key) WHERE message_key IS NOT NULL;

-- What a corrected field was before: one row per field changed (personal data: the requester's
-- name and text are emptied with the rest when the person is destroyed).
CREATE TABLE request_revision (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES request(id) ON DELETE CASCADE,
    changed_at  TEXT NOT NULL,
    field       TEXT NOT NULL,
    before      TEXT NOT NULL,
    after       TEXT NOT NULL
) STRICT;
CREATE INDEX request_revision_request ON request_revision(request_id, id);

-- Search terms of each request's own texts (requester, sender, numbers in and out, the text),
-- folded like the registry's; the subject's name and IIN are found through `subject_fts`.
-- Contentless: no copy of the text; `contentless_delete` lets a destroyed person's terms go.
-- Derived data: written after the migration by the current build (`pending.request_search`).
CREATE VIRTUAL TABLE request_fts USING fts5(
    terms,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3'
);
INSERT INTO setting (key, value) VALUES ('pending.request_search', 'all');
