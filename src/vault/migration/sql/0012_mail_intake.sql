-- Issue 15: e-mail intake never loses a request and never registers one twice.
-- The `From:` header as it came when no address could be read from it (personal data: cleared
-- with the rest of the request's text when the person is destroyed).
ALTER TABLE request ADD COLUMN sender_raw TEXT NOT NULL DEFAULT '';
-- SHA-256 of the message's identity (its Message-ID, else sender, date and subject).
ALTER TABLE request ADD COLUMN message_key TEXT;
-- Why the received date is what it is when it is not the message's own (an implausible Date:).
ALTER TABLE request ADD COLUMN intake_note TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX request_message_key ON request(message_key) WHERE message_key IS NOT NULL;
