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

-- The open requests by due date in force: the ones due on one day without reading the table.
CREATE INDEX request_open_due ON request(coalesce(extended_to, due_on))
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
