-- Issue 20: what the dashboard's retention figure and the registry's "without a basis" filter
-- need, kept up to date by the vault itself instead of recomputed over every holding on each visit.
--
-- holding.due_from: the first day the holding is past its time (erasure::retention's rules: the day
-- after its own end date, after its purpose's retention period counted from `since` (a period
-- set for the person's category first), or, resting on consent, after the last consent for that
-- purpose not withdrawn ended; '0000-01-01' when every such consent was withdrawn; NULL never).
-- It does not depend on today: the holding is due on D exactly when due_from <= D.
-- subject.due_first / due_last: the least and the greatest due_from of the person's holdings
-- ('9999-12-31' for one never due): some data is due on D when due_first <= D, all of it when
-- due_last <= D.
-- subject.basis_until: the last day any holding or consent in force gives a basis (policy 5.7;
-- '9999-12-31' open-ended; NULL none): the person is held on no basis on D when it is < D or NULL.
--
-- Triggers keep the three up to date on every write, whichever code makes it; the retention
-- module's sweep still decides each holding, only for the people these columns point at, and a
-- test compares it with the sweep of everyone on random data.
ALTER TABLE holding ADD COLUMN due_from TEXT;
ALTER TABLE subject ADD COLUMN due_first TEXT;
ALTER TABLE subject ADD COLUMN due_last TEXT;
ALTER TABLE subject ADD COLUMN basis_until TEXT;

UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE 1;

UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = subject.id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = subject.id AND c.withdrawn_at IS NULL), '')), '')
    WHERE 1;

CREATE INDEX holding_due ON holding(due_from) WHERE due_from IS NOT NULL;
CREATE INDEX subject_due ON subject(status, due_first, due_last) WHERE due_first IS NOT NULL;
CREATE INDEX subject_due_whole ON subject(status, due_last) WHERE due_first IS NOT NULL;
-- basis_until first and partial: an index led by status would be taken to drive every join on
-- the subject's status (no statistics are kept), reading all people.
CREATE INDEX subject_basis_until ON subject(basis_until, status) WHERE status IN ('active', 'blocked');
-- The reminders' consents that end within N days.
CREATE INDEX consent_ends ON consent(valid_until) WHERE withdrawn_at IS NULL AND valid_until IS NOT NULL;

CREATE TRIGGER holding_due_insert AFTER INSERT ON holding
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE id = NEW.id;
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = NEW.subject_id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.subject_id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.subject_id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = NEW.subject_id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = NEW.subject_id;
END;

CREATE TRIGGER holding_due_update AFTER UPDATE OF subject_id, purpose_id, basis, since, until ON holding
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE id = NEW.id;
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = NEW.subject_id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.subject_id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.subject_id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = NEW.subject_id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = NEW.subject_id;
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = OLD.subject_id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = OLD.subject_id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = OLD.subject_id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = OLD.subject_id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = OLD.subject_id;
END;

CREATE TRIGGER holding_due_delete AFTER DELETE ON holding
BEGIN
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = OLD.subject_id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = OLD.subject_id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = OLD.subject_id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = OLD.subject_id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = OLD.subject_id;
END;

CREATE TRIGGER consent_due_insert AFTER INSERT ON consent
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE subject_id = NEW.subject_id AND purpose_id = NEW.purpose_id AND basis = 'consent';
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = NEW.subject_id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.subject_id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.subject_id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = NEW.subject_id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = NEW.subject_id;
END;

CREATE TRIGGER consent_due_update AFTER UPDATE OF subject_id, purpose_id, valid_until, withdrawn_at ON consent
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE subject_id = OLD.subject_id AND purpose_id = OLD.purpose_id AND basis = 'consent';
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = OLD.subject_id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = OLD.subject_id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = OLD.subject_id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = OLD.subject_id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = OLD.subject_id;
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE subject_id = NEW.subject_id AND purpose_id = NEW.purpose_id AND basis = 'consent';
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = NEW.subject_id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.subject_id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.subject_id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = NEW.subject_id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = NEW.subject_id;
END;

CREATE TRIGGER consent_due_delete AFTER DELETE ON consent
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE subject_id = OLD.subject_id AND purpose_id = OLD.purpose_id AND basis = 'consent';
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = OLD.subject_id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = OLD.subject_id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = OLD.subject_id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = OLD.subject_id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = OLD.subject_id;
END;

CREATE TRIGGER purpose_due_update AFTER UPDATE OF retention_days ON purpose
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE purpose_id = NEW.id;
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = subject.id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = subject.id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id IN (SELECT h.subject_id FROM holding h WHERE h.purpose_id = NEW.id);
END;

CREATE TRIGGER purpose_retention_due_insert AFTER INSERT ON purpose_retention
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE purpose_id = NEW.purpose_id AND subject_id IN (SELECT s.id FROM subject s WHERE s.category_id = NEW.subject_category_id);
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = subject.id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = subject.id AND c.withdrawn_at IS NULL), '')), '')
    WHERE category_id = NEW.subject_category_id AND id IN (SELECT h.subject_id FROM holding h WHERE h.purpose_id = NEW.purpose_id);
END;

CREATE TRIGGER purpose_retention_due_update AFTER UPDATE ON purpose_retention
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE purpose_id = OLD.purpose_id AND subject_id IN (SELECT s.id FROM subject s WHERE s.category_id = OLD.subject_category_id);
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = subject.id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = subject.id AND c.withdrawn_at IS NULL), '')), '')
    WHERE category_id = OLD.subject_category_id AND id IN (SELECT h.subject_id FROM holding h WHERE h.purpose_id = OLD.purpose_id);
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE purpose_id = NEW.purpose_id AND subject_id IN (SELECT s.id FROM subject s WHERE s.category_id = NEW.subject_category_id);
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = subject.id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = subject.id AND c.withdrawn_at IS NULL), '')), '')
    WHERE category_id = NEW.subject_category_id AND id IN (SELECT h.subject_id FROM holding h WHERE h.purpose_id = NEW.purpose_id);
END;

CREATE TRIGGER purpose_retention_due_delete AFTER DELETE ON purpose_retention
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE purpose_id = OLD.purpose_id AND subject_id IN (SELECT s.id FROM subject s WHERE s.category_id = OLD.subject_category_id);
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = subject.id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = subject.id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = subject.id AND c.withdrawn_at IS NULL), '')), '')
    WHERE category_id = OLD.subject_category_id AND id IN (SELECT h.subject_id FROM holding h WHERE h.purpose_id = OLD.purpose_id);
END;

CREATE TRIGGER subject_due_category AFTER UPDATE OF category_id ON subject
BEGIN
    UPDATE holding SET due_from = nullif(min(
        coalesce(date(holding.until, '+1 day'), '9999-12-31'),
        coalesce(CASE WHEN coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) >= 0
                      THEN date(holding.since, '+' || coalesce((SELECT pr.days FROM purpose_retention pr JOIN subject s ON s.category_id = pr.subject_category_id WHERE s.id = holding.subject_id AND pr.purpose_id = holding.purpose_id), (SELECT p.retention_days FROM purpose p WHERE p.id = holding.purpose_id)) || ' days', '+1 day') END, '9999-12-31'),
        CASE WHEN holding.basis = 'consent' THEN coalesce(
            (SELECT CASE WHEN count(*) = 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL AND c.valid_until IS NULL) > 0 THEN NULL
                         WHEN sum(c.withdrawn_at IS NULL) = 0 THEN '0000-01-01'
                         ELSE date(max(CASE WHEN c.withdrawn_at IS NULL THEN c.valid_until END), '+1 day')
                    END
             FROM consent c WHERE c.subject_id = holding.subject_id AND c.purpose_id = holding.purpose_id),
            '9999-12-31') ELSE '9999-12-31' END
    ), '9999-12-31')
    WHERE subject_id = NEW.id;
    UPDATE subject SET
        due_first = (SELECT min(h.due_from) FROM holding h WHERE h.subject_id = NEW.id),
        due_last = (SELECT max(coalesce(h.due_from, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.id),
        basis_until = nullif(max(
            coalesce((SELECT max(coalesce(h.until, '9999-12-31')) FROM holding h WHERE h.subject_id = NEW.id), ''),
            coalesce((SELECT max(coalesce(c.valid_until, '9999-12-31')) FROM consent c
                      WHERE c.subject_id = NEW.id AND c.withdrawn_at IS NULL), '')), '')
    WHERE id = NEW.id;
END;
