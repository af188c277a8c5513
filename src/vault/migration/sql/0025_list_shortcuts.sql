-- Issue 20: a page of the registry list far down (offset 50 000 of 100 000) took 2.7–3.2 ms,
-- almost all of it SQLite stepping over the 50 000 index entries before the page — as long in
-- plain SQLite. The list is in rank order (src/registry/rank.rs: ranks increase in the list's
-- order and every living subject has one), so the subjects counted per block of ranks
-- (rank >> 24: about a thousand people each at the ranks' even spacing of 2^14) let a page
-- start at its block and step over at most one block's entries.
--
-- Kept by triggers, so that no writer of a rank can forget it; the list checks that the blocks
-- add up to the number of living subjects before it relies on them.
CREATE TABLE rank_block (block INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT;
INSERT INTO rank_block (block, n)
    SELECT rank >> 24, count(*) FROM subject WHERE rank IS NOT NULL GROUP BY rank >> 24;

CREATE TRIGGER subject_rank_insert AFTER INSERT ON subject WHEN NEW.rank IS NOT NULL
BEGIN
    INSERT INTO rank_block (block, n) VALUES (NEW.rank >> 24, 1)
        ON CONFLICT (block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER subject_rank_update AFTER UPDATE OF rank ON subject
    WHEN OLD.rank IS NOT NEW.rank
BEGIN
    UPDATE rank_block SET n = n - 1 WHERE OLD.rank IS NOT NULL AND block = OLD.rank >> 24;
    DELETE FROM rank_block WHERE OLD.rank IS NOT NULL AND block = OLD.rank >> 24 AND n = 0;
    INSERT INTO rank_block (block, n) SELECT NEW.rank >> 24, 1 WHERE NEW.rank IS NOT NULL
        ON CONFLICT (block) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER subject_rank_delete AFTER DELETE ON subject WHEN OLD.rank IS NOT NULL
BEGIN
    UPDATE rank_block SET n = n - 1 WHERE block = OLD.rank >> 24;
    DELETE FROM rank_block WHERE block = OLD.rank >> 24 AND n = 0;
END;

-- Issue 20: the withdrawn-consent filter took 7.7 ms (19 ms before migration 23), SQLite probing
-- every one of 100 000 subjects for a withdrawn consent to count them. Each subject now says
-- whether it has one, kept by triggers on consent, and the people who have are indexed in list
-- order: the count and the first page read only them (about 11 000 of 100 000 in the benchmark).
ALTER TABLE subject ADD COLUMN has_withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (has_withdrawn IN (0, 1));
UPDATE subject SET has_withdrawn = 1
    WHERE id IN (SELECT subject_id FROM consent WHERE withdrawn_at IS NOT NULL);
CREATE INDEX subject_withdrawn ON subject(sort_key, id)
    WHERE has_withdrawn = 1 AND status IN ('active', 'blocked');

CREATE TRIGGER consent_withdrawn_insert AFTER INSERT ON consent
    WHEN NEW.withdrawn_at IS NOT NULL
BEGIN
    UPDATE subject SET has_withdrawn = 1 WHERE id = NEW.subject_id AND has_withdrawn = 0;
END;

CREATE TRIGGER consent_withdrawn_update AFTER UPDATE OF subject_id, withdrawn_at ON consent
    WHEN OLD.subject_id IS NOT NEW.subject_id
      OR (OLD.withdrawn_at IS NULL) IS NOT (NEW.withdrawn_at IS NULL)
BEGIN
    UPDATE subject SET has_withdrawn = EXISTS (
        SELECT 1 FROM consent c WHERE c.subject_id = subject.id AND c.withdrawn_at IS NOT NULL)
    WHERE id IN (OLD.subject_id, NEW.subject_id);
END;

CREATE TRIGGER consent_withdrawn_delete AFTER DELETE ON consent
    WHEN OLD.withdrawn_at IS NOT NULL
BEGIN
    UPDATE subject SET has_withdrawn = EXISTS (
        SELECT 1 FROM consent c WHERE c.subject_id = OLD.subject_id AND c.withdrawn_at IS NOT NULL)
    WHERE id = OLD.subject_id;
END;
