-- Requests of subjects and of the authorized body, and the data their deadlines are counted from.

CREATE TABLE request (
    id              INTEGER PRIMARY KEY,
    subject_id      INTEGER REFERENCES subject(id) ON DELETE SET NULL,
    requester       TEXT NOT NULL DEFAULT '',   -- who wrote, when not (yet) a registered subject
    kind            TEXT NOT NULL CHECK (kind IN ('access', 'update', 'block', 'unblock', 'destroy',
                        'withdraw-consent', 'refuse-marketing', 'stop-processing', 'authority',
                        'breach', 'other')),
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'paper', 'in_person', 'egov', 'authority')),
    received_on     TEXT NOT NULL,
    incoming_ref    TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'in_progress', 'answered', 'refused', 'closed')),
    due_on          TEXT NOT NULL,              -- the legal due date
    extended_to     TEXT,                       -- a recorded extension, shown beside due_on
    answered_on     TEXT,
    refusal_reason  TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX request_subject ON request(subject_id);
CREATE INDEX request_open_due ON request(status, due_on);

-- Deadline terms per request kind (docs/domain.md §2), editable, each with its source.
CREATE TABLE deadline_rule (
    kind        TEXT PRIMARY KEY,
    count       INTEGER NOT NULL CHECK (count >= 0),
    unit        TEXT NOT NULL CHECK (unit IN ('working', 'calendar')),
    source      TEXT NOT NULL,
    confidence  TEXT NOT NULL
) STRICT;

-- Deviations from the Monday–Friday week: holidays on weekdays ('off') and working weekend days by
-- decree ('working'). Seeded with the built-in calendar; editable.
CREATE TABLE calendar_day (
    day   TEXT PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('off', 'working')),
    note  TEXT NOT NULL DEFAULT ''
) STRICT;
