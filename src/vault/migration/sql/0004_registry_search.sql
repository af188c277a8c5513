-- Search, sorting and refusals of marketing mail.

-- The folded "surname given-name patronymic" (see src/fold.rs): the alphabetical order of the list.
ALTER TABLE subject ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX subject_sort ON subject(sort_key, id);
CREATE INDEX subject_status ON subject(status, sort_key);

-- Search terms of each subject, folded (ё→е, Kazakh letters → the Russian ones typed on a Russian
-- keyboard), written by the registry code on every change. Contentless: the index holds no copy of
-- the row, and `contentless_delete` lets a destroyed subject's terms be removed.
CREATE VIRTUAL TABLE subject_fts USING fts5(
    terms,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3'
);

-- Refusals of marketing mail (policy 6.2), apart from consents: a refusal needs no consent record.
CREATE TABLE marketing_refusal (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES subject(id) ON DELETE CASCADE,
    refused_at  TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'paper', 'in_person', 'egov', 'phone', 'other')),
    request_id  INTEGER REFERENCES request(id) ON DELETE SET NULL,
    revoked_at  TEXT               -- the subject later agreed to marketing again
) STRICT;
CREATE INDEX marketing_refusal_subject ON marketing_refusal(subject_id);
CREATE INDEX consent_purpose ON consent(purpose_id, subject_id);
CREATE INDEX holding_purpose ON holding(purpose_id, subject_id);
