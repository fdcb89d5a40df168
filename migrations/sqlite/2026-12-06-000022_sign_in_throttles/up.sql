-- Sign-in throttling per (account or user id, client address), not per account: a stranger's
-- wrong guesses lock only the stranger's address out, and an email that names no account is
-- throttled exactly like one that does. `key` is a hash of what is throttled; rows of quiet
-- keys are forgotten.
CREATE TABLE sign_in_throttles (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_throttles_updated ON sign_in_throttles (updated_at);
ALTER TABLE portal_accounts DROP COLUMN locked_until;
ALTER TABLE portal_accounts DROP COLUMN failed_logins;
ALTER TABLE end_users DROP COLUMN locked_until;
ALTER TABLE end_users DROP COLUMN failed_logins;
