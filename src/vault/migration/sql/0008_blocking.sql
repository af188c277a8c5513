-- Blocking (issue 8): each suspension of a subject's processing with its basis, and its lifting.
-- Law 94-V Art. 1: blocking is the temporary suspension of collection, accumulation, change,
-- supplementation and use of personal data; Art. 25 para 2: on the subject's information of a
-- breach of the conditions of processing, lifted when the breach is not confirmed.
CREATE TABLE subject_block (
    id                  INTEGER PRIMARY KEY,
    subject_id          INTEGER NOT NULL REFERENCES subject(id),
    blocked_at          TEXT NOT NULL,
    basis               TEXT NOT NULL,
    request_id          INTEGER REFERENCES request(id),
    unblocked_at        TEXT,
    unblock_reason      TEXT,
    unblock_request_id  INTEGER REFERENCES request(id)
) STRICT;
CREATE INDEX subject_block_subject ON subject_block(subject_id);
