-- Issue 19: the mail folders Derbes reads (a Maildir or an mbox the office's mail program keeps),
-- where each was read up to, and every message seen in them — registered as a request, waiting in
-- the list for the user ("take in" or "not a request"), dismissed, unreadable, or sent before the
-- folder's start date. A message is known by its key (the SHA-256 of its Message-ID, else of its
-- sender, date and subject: `files::eml::Message::key`) in whichever folder it was seen, so a copy
-- in a second folder, a compacted mbox read again, or an .eml imported by hand is never registered
-- twice (a copy seen in a second folder is recorded as 'copy'). Only a waiting message keeps its sender and subject line (to be listed); any other keeps
-- its key and place only.
CREATE TABLE mail_source (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL UNIQUE,
    format       TEXT NOT NULL CHECK (format IN ('maildir', 'mbox')),
    -- Messages sent before this day are recorded as seen and not offered (a years-old Inbox).
    since_on     TEXT,
    -- An mbox: the offset after the last message taken and the digest of the bytes before it.
    position     INTEGER NOT NULL DEFAULT 0,
    fingerprint  TEXT NOT NULL DEFAULT '',
    read_at      TEXT,
    added_at     TEXT NOT NULL
) STRICT;

CREATE TABLE mail_message (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES mail_source(id) ON DELETE CASCADE,
    message_key  TEXT NOT NULL,
    -- An mbox offset, or a Maildir unique name.
    location     TEXT NOT NULL,
    length       INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL
                 CHECK (state IN ('registered', 'pending', 'dismissed', 'unreadable', 'earlier', 'copy', 'erased')),
    request_id   INTEGER REFERENCES request(id) ON DELETE SET NULL,
    sender       TEXT,
    subject_line TEXT,
    sent_on      TEXT,
    error_code   TEXT,
    seen_at      TEXT NOT NULL,
    UNIQUE (source_id, message_key)
) STRICT;
CREATE INDEX mail_message_by_key ON mail_message(message_key);
CREATE INDEX mail_message_by_source ON mail_message(source_id, state);
CREATE INDEX mail_message_by_sender ON mail_message(sender) WHERE sender IS NOT NULL;

-- The Message-ID of the message a request came in (the key above is only its digest): an answer
-- sent back by e-mail names it in `In-Reply-To`, so that the requester's mail program threads it.
-- Erased with the person's other texts.
ALTER TABLE request ADD COLUMN message_id TEXT;
