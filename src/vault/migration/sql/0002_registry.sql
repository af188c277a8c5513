-- The registry of data subjects (Law 94-V Art. 1, 7) and what is held about them.

CREATE TABLE subject (
    id          INTEGER PRIMARY KEY,
    iin         TEXT UNIQUE,                -- NULL for foreigners without an IIN
    doc_number  TEXT,                       -- identity document number when there is no IIN
    surname     TEXT NOT NULL,
    given_name  TEXT NOT NULL,
    patronymic  TEXT NOT NULL DEFAULT '',
    birth_date  TEXT,
    address     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'blocked', 'anonymized', 'destroyed')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (iin IS NOT NULL OR doc_number IS NOT NULL)
) STRICT;

CREATE TABLE contact (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES subject(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    value       TEXT NOT NULL,              -- as typed
    normalized  TEXT NOT NULL               -- lower-cased e-mail, phone as +7XXXXXXXXXX
) STRICT;
CREATE INDEX contact_subject ON contact(subject_id);
CREATE INDEX contact_normalized ON contact(normalized);

-- The approved list of personal data the operator processes (перечень) and the purposes.
CREATE TABLE data_category (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    name_ru  TEXT NOT NULL,
    name_kk  TEXT NOT NULL,
    name_en  TEXT NOT NULL
) STRICT;

CREATE TABLE purpose (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_ru         TEXT NOT NULL,
    name_kk         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    is_marketing    INTEGER NOT NULL DEFAULT 0 CHECK (is_marketing IN (0, 1)),
    retention_days  INTEGER                -- NULL: until the purpose is achieved (Art. 12; policy 8.4)
) STRICT;

-- Versions of the operator's privacy policy (policy 12.2): a consent names the one agreed to.
CREATE TABLE policy_version (
    id              INTEGER PRIMARY KEY,
    version         TEXT NOT NULL UNIQUE,
    effective_from  TEXT NOT NULL,
    text            TEXT NOT NULL DEFAULT ''
) STRICT;

-- What is held about whom, for what, on which basis (Art. 7; policy 7).
CREATE TABLE holding (
    id           INTEGER PRIMARY KEY,
    subject_id   INTEGER NOT NULL REFERENCES subject(id) ON DELETE CASCADE,
    category_id  INTEGER NOT NULL REFERENCES data_category(id),
    purpose_id   INTEGER NOT NULL REFERENCES purpose(id),
    basis        TEXT NOT NULL CHECK (basis IN ('consent', 'contract', 'law', 'legitimate_interest', 'public')),
    source       TEXT NOT NULL DEFAULT '',
    since        TEXT NOT NULL,
    until        TEXT
) STRICT;
CREATE INDEX holding_subject ON holding(subject_id);

-- Consents (Art. 8 para 4). A row is never overwritten: a withdrawal fills the withdrawn_* columns,
-- a renewed consent is a new row.
CREATE TABLE consent (
    id                  INTEGER PRIMARY KEY,
    subject_id          INTEGER NOT NULL REFERENCES subject(id) ON DELETE CASCADE,
    purpose_id          INTEGER NOT NULL REFERENCES purpose(id),
    granted_at          TEXT NOT NULL,
    form                TEXT NOT NULL CHECK (form IN ('written', 'electronic', 'egov', 'other')),
    policy_version_id   INTEGER REFERENCES policy_version(id),
    valid_until         TEXT,               -- NULL: until the purpose is achieved
    third_parties       INTEGER NOT NULL DEFAULT 0 CHECK (third_parties IN (0, 1)),
    cross_border        INTEGER NOT NULL DEFAULT 0 CHECK (cross_border IN (0, 1)),
    countries           TEXT NOT NULL DEFAULT '',
    published           INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    data_list           TEXT NOT NULL DEFAULT '',
    document_ref        TEXT NOT NULL DEFAULT '',
    withdrawn_at        TEXT,
    withdrawal_channel  TEXT
) STRICT;
CREATE INDEX consent_subject ON consent(subject_id);
