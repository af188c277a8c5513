-- Issue 18: a request answered before Derbes (imported from the operator's own journal) keeps the
-- number its answer went out under; Derbes' own answers are numbered in the letter register.
ALTER TABLE request ADD COLUMN outgoing_ref TEXT NOT NULL DEFAULT '';
