-- Issue 16: the journal's head is kept outside the vault after every write (its "anchor"), in
-- this user's configuration folder and in every backup's manifest, so that a journal shortened or
-- rewritten by someone holding the passphrase shows. The anchor is filed under this identifier of
-- the vault: random, made once, and carried by its backups (a restored vault is the same vault).
INSERT OR IGNORE INTO setting (key, value) VALUES ('vault_id', lower(hex(randomblob(16))));

-- The dashboard reads the newest entry of a few actions (a divergence found, the last check) on
-- every visit: by index, not by a scan of the whole journal.
CREATE INDEX journal_by_action ON journal (action, seq);
