-- Search results in list order without sorting them (see src/rank.rs).

-- The subject's place in the alphabetical list as a sparse label; the rowid of its search row.
-- NULL only inside a transaction that writes many subjects and numbers them at its end.
ALTER TABLE subject ADD COLUMN rank INTEGER;
CREATE UNIQUE INDEX subject_rank ON subject(rank);

-- The registry's filters by consent state look for withdrawn consents and for consents in force;
-- these partial indexes hold only those, by subject.
CREATE INDEX consent_withdrawn ON consent(subject_id, purpose_id) WHERE withdrawn_at IS NOT NULL;
CREATE INDEX consent_in_force ON consent(subject_id, purpose_id, valid_until) WHERE withdrawn_at IS NULL;

-- "Has an open request": requests that are not finished, by subject.
CREATE INDEX request_open_subject ON request(subject_id) WHERE status IN ('new', 'in_progress');

-- Most subjects are active: the status filter needs an index only for the others, and imports
-- (active subjects) then do not write to it.
DROP INDEX subject_status;
CREATE INDEX subject_not_active ON subject(status, sort_key, id) WHERE status <> 'active';
