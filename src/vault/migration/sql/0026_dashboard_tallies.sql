-- Issue 20: the dashboard's request figures (overdue, due today, due within a week, new, open,
-- open by kind) counted 20 000 open requests' index entries on every visit (6–11 ms), and the
-- reminders' "due on the next working day" read the whole request table (6–10 ms): no index
-- holds the due date in force, `coalesce(extended_to, due_on)`, first.
--
-- The open requests counted per due date in force, kind and status, kept by triggers on every
-- write whichever code makes it (a table rebuilt by a later migration must create them again):
-- the figures are sums over a few rows per day. tests/request_tally.rs compares it with a recount
-- after random writes.
CREATE TABLE request_open_tally (
    due    TEXT NOT NULL,
    kind   TEXT NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (due, kind, status)
) STRICT, WITHOUT ROWID;
INSERT INTO request_open_tally (due, kind, status, n)
    SELECT coalesce(extended_to, due_on), kind, status, count(*) FROM request
    WHERE status IN ('new', 'in_progress')
    GROUP BY coalesce(extended_to, due_on), kind, status;

-- The open requests by due date in force, with their kind: the ones due on one day without
-- reading the table.
CREATE INDEX request_open_due ON request(coalesce(extended_to, due_on), kind)
    WHERE status IN ('new', 'in_progress');

CREATE TRIGGER request_tally_insert AFTER INSERT ON request
    WHEN NEW.status IN ('new', 'in_progress')
BEGIN
    INSERT INTO request_open_tally (due, kind, status, n)
        VALUES (coalesce(NEW.extended_to, NEW.due_on), NEW.kind, NEW.status, 1)
        ON CONFLICT (due, kind, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER request_tally_update AFTER UPDATE OF status, kind, due_on, extended_to ON request
    WHEN (OLD.status IN ('new', 'in_progress') OR NEW.status IN ('new', 'in_progress'))
     AND (OLD.status IS NOT NEW.status OR OLD.kind IS NOT NEW.kind
          OR coalesce(OLD.extended_to, OLD.due_on) IS NOT coalesce(NEW.extended_to, NEW.due_on))
BEGIN
    UPDATE request_open_tally SET n = n - 1
        WHERE OLD.status IN ('new', 'in_progress') AND due = coalesce(OLD.extended_to, OLD.due_on)
          AND kind = OLD.kind AND status = OLD.status;
    DELETE FROM request_open_tally
        WHERE OLD.status IN ('new', 'in_progress') AND due = coalesce(OLD.extended_to, OLD.due_on)
          AND kind = OLD.kind AND status = OLD.status AND n <= 0;
    INSERT INTO request_open_tally (due, kind, status, n)
        SELECT coalesce(NEW.extended_to, NEW.due_on), NEW.kind, NEW.status, 1
        WHERE NEW.status IN ('new', 'in_progress')
        ON CONFLICT (due, kind, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER request_tally_delete AFTER DELETE ON request
    WHEN OLD.status IN ('new', 'in_progress')
BEGIN
    UPDATE request_open_tally SET n = n - 1
        WHERE due = coalesce(OLD.extended_to, OLD.due_on) AND kind = OLD.kind
          AND status = OLD.status;
    DELETE FROM request_open_tally
        WHERE due = coalesce(OLD.extended_to, OLD.due_on) AND kind = OLD.kind
          AND status = OLD.status AND n <= 0;
END;

-- The retention figure's counts (erasure::retention::page) kept the same way: people by the day
-- their first holding falls due (`subject.due_first`, migration 23), holdings by the day they
-- fall due (`holding.due_from`), whatever the person's status: the few people not active are
-- subtracted by index when counting, so that a change of status writes nothing here. Before, the
-- counts stepped over 25 000 people's and 56 000 holdings' index entries (2–3 ms each).
-- Decrements are upserts too, so that a count may pass below zero for a moment whatever order
-- the triggers of one write fire in; rows counting nothing are removed.
CREATE TABLE due_tally (
    day      TEXT PRIMARY KEY,
    first    INTEGER NOT NULL DEFAULT 0,
    holdings INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
INSERT INTO due_tally (day, first)
    SELECT due_first, count(*) FROM subject WHERE due_first IS NOT NULL GROUP BY due_first;
INSERT INTO due_tally (day, holdings)
    SELECT due_from, count(*) FROM holding WHERE due_from IS NOT NULL GROUP BY due_from
    ON CONFLICT (day) DO UPDATE SET holdings = excluded.holdings;

CREATE TRIGGER subject_tally_insert AFTER INSERT ON subject WHEN NEW.due_first IS NOT NULL
BEGIN
    INSERT INTO due_tally (day, first) VALUES (NEW.due_first, 1)
        ON CONFLICT (day) DO UPDATE SET first = first + 1;
END;

CREATE TRIGGER subject_tally_update AFTER UPDATE OF due_first ON subject
    WHEN OLD.due_first IS NOT NEW.due_first
BEGIN
    INSERT INTO due_tally (day, first) SELECT OLD.due_first, -1 WHERE OLD.due_first IS NOT NULL
        ON CONFLICT (day) DO UPDATE SET first = first - 1;
    INSERT INTO due_tally (day, first) SELECT NEW.due_first, 1 WHERE NEW.due_first IS NOT NULL
        ON CONFLICT (day) DO UPDATE SET first = first + 1;
    DELETE FROM due_tally WHERE day = OLD.due_first AND first = 0 AND holdings = 0;
END;

CREATE TRIGGER subject_tally_delete AFTER DELETE ON subject WHEN OLD.due_first IS NOT NULL
BEGIN
    INSERT INTO due_tally (day, first) VALUES (OLD.due_first, -1)
        ON CONFLICT (day) DO UPDATE SET first = first - 1;
    DELETE FROM due_tally WHERE day = OLD.due_first AND first = 0 AND holdings = 0;
END;

CREATE TRIGGER holding_tally_insert AFTER INSERT ON holding WHEN NEW.due_from IS NOT NULL
BEGIN
    INSERT INTO due_tally (day, holdings) VALUES (NEW.due_from, 1)
        ON CONFLICT (day) DO UPDATE SET holdings = holdings + 1;
END;

CREATE TRIGGER holding_tally_update AFTER UPDATE OF due_from ON holding
    WHEN OLD.due_from IS NOT NEW.due_from
BEGIN
    INSERT INTO due_tally (day, holdings) SELECT OLD.due_from, -1 WHERE OLD.due_from IS NOT NULL
        ON CONFLICT (day) DO UPDATE SET holdings = holdings - 1;
    INSERT INTO due_tally (day, holdings) SELECT NEW.due_from, 1 WHERE NEW.due_from IS NOT NULL
        ON CONFLICT (day) DO UPDATE SET holdings = holdings + 1;
    DELETE FROM due_tally WHERE day = OLD.due_from AND first = 0 AND holdings = 0;
END;

CREATE TRIGGER holding_tally_delete AFTER DELETE ON holding WHEN OLD.due_from IS NOT NULL
BEGIN
    INSERT INTO due_tally (day, holdings) VALUES (OLD.due_from, -1)
        ON CONFLICT (day) DO UPDATE SET holdings = holdings - 1;
    DELETE FROM due_tally WHERE day = OLD.due_from AND first = 0 AND holdings = 0;
END;
