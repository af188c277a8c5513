-- Issue 18: subjects and their legal representatives (Law 94-V Art. 8 para 1: "the subject or
-- his legal representative gives (withdraws) consent"; the policy, 3.2: requests of subjects and
-- their legal representatives). A consent or a request names who acted for the person: a parent,
-- a guardian, or an attorney with the power of attorney's number and date.
ALTER TABLE consent ADD COLUMN rep_name TEXT NOT NULL DEFAULT '';
ALTER TABLE consent ADD COLUMN rep_relation TEXT CHECK (rep_relation IN ('parent', 'guardian', 'attorney'));
ALTER TABLE consent ADD COLUMN rep_document TEXT NOT NULL DEFAULT '';
ALTER TABLE consent ADD COLUMN rep_document_date TEXT;
ALTER TABLE request ADD COLUMN rep_name TEXT NOT NULL DEFAULT '';
ALTER TABLE request ADD COLUMN rep_relation TEXT CHECK (rep_relation IN ('parent', 'guardian', 'attorney'));
ALTER TABLE request ADD COLUMN rep_document TEXT NOT NULL DEFAULT '';
ALTER TABLE request ADD COLUMN rep_document_date TEXT;

-- The age from which a person gives consent alone: editable data with its source (docs/domain.md).
INSERT OR IGNORE INTO setting (key, value) VALUES ('majority.age', '18');
INSERT OR IGNORE INTO setting (key, value)
    VALUES ('majority.source', 'Civil Code of the Republic of Kazakhstan (General Part), Art. 17 para 1: full legal capacity from the age of eighteen');
