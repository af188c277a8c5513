-- Issue 15: the stop-list outlives the subject (policy 6.2). An address that refused marketing
-- mail is kept as an entry of its own, not only through the subject's contacts, so destroying the
-- person does not put her back on the mailing lists. The address itself is not kept: an entry holds
-- HMAC-SHA256 of the normalised address under a random key of this vault, which matches an address
-- when a mailing list is cleaned but cannot be read back (and, unlike a plain hash, cannot be looked
-- up in a table of hashed addresses made without this vault's key).
CREATE TABLE stop_key (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    key  BLOB NOT NULL CHECK (length(key) = 32)
) STRICT;

CREATE TABLE stop_entry (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    digest      BLOB NOT NULL CHECK (length(digest) = 32),
    reason      TEXT NOT NULL CHECK (reason IN ('refused', 'withdrawn')),
    refused_on  TEXT NOT NULL,
    -- The request it came with; an unregistered sender's refusal has only this.
    request_id  INTEGER REFERENCES request(id) ON DELETE SET NULL,
    -- The registry record it came from (a tombstone once the person is destroyed).
    subject_id  INTEGER REFERENCES subject(id) ON DELETE SET NULL,
    added_at    TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;
CREATE INDEX stop_entry_digest ON stop_entry(digest);
CREATE INDEX stop_entry_request ON stop_entry(request_id);
CREATE INDEX stop_entry_subject ON stop_entry(subject_id);
