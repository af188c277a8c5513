-- Issue 18: who a person is to the operator — a patient, a customer, an employee, a student, a
-- visitor — as an editable catalogue; used in the registry's filters, in exports, and in retention:
-- a period per purpose *and* category (a medical record and a marketing e-mail of the same person
-- are kept for different times), falling back to the purpose's own period.
CREATE TABLE subject_category (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    name_ru  TEXT NOT NULL,
    name_kk  TEXT NOT NULL,
    name_en  TEXT NOT NULL
) STRICT;
INSERT INTO subject_category (code, name_ru, name_kk, name_en) VALUES
    ('customer', 'Клиент', 'Клиент', 'Customer'),
    ('patient', 'Пациент', 'Пациент', 'Patient'),
    ('employee', 'Работник', 'Қызметкер', 'Employee'),
    ('student', 'Обучающийся', 'Білім алушы', 'Student'),
    ('visitor', 'Посетитель', 'Келуші', 'Visitor');

ALTER TABLE subject ADD COLUMN category_id INTEGER REFERENCES subject_category(id);
CREATE INDEX subject_by_category ON subject(category_id) WHERE category_id IS NOT NULL;

-- A retention period for a purpose and a category of people, with where it comes from.
CREATE TABLE purpose_retention (
    purpose_id           INTEGER NOT NULL REFERENCES purpose(id),
    subject_category_id  INTEGER NOT NULL REFERENCES subject_category(id),
    days                 INTEGER NOT NULL CHECK (days BETWEEN 1 AND 36500),
    source               TEXT CHECK (source IN ('law', 'contract', 'policy')),
    note                 TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (purpose_id, subject_category_id)
) STRICT;

-- An entry from a starter kit (clinic, school, shop) carries what to check before relying on it:
-- its period's legal source as Derbes could name it, not confirmed; cleared when the user saves the
-- entry (issue 18). NULL: confirmed, or typed by the user.
ALTER TABLE purpose ADD COLUMN check_note TEXT;
ALTER TABLE purpose_retention ADD COLUMN check_note TEXT;
