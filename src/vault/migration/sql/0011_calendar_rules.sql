-- Issue 15: holidays are rules with a validity period. Each kept day now says whether it came from
-- the built-in tables (and may be corrected by a later build) or from the user (never touched).
ALTER TABLE calendar_day ADD COLUMN origin TEXT NOT NULL DEFAULT 'user'
    CHECK (origin IN ('builtin', 'user'));
UPDATE calendar_day SET origin = 'builtin' WHERE note IN ('built-in', 'derived');

-- A correction of the built-in tables applied to this vault: what it changed, what it left because
-- the user had edited the day, and how many open due dates moved (the dashboard says so).
CREATE TABLE calendar_revision (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    applied_at   TEXT NOT NULL,
    days_changed INTEGER NOT NULL,
    days_kept    INTEGER NOT NULL,
    due_moved    INTEGER NOT NULL
) STRICT;
