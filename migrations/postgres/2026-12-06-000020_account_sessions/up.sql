-- Sessions that can be ended: every bearer token carries its account's token version, and a
-- token of an older version is refused. Changing a password or signing out raises it.
ALTER TABLE portal_accounts ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE end_users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
-- The web app's sign-in across reloads: one row per refresh cookie (only its BLAKE2 hash is
-- stored), replaced on every use, good only while its account's token version is the one it
-- was started at.
CREATE TABLE portal_sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES portal_accounts (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    token_version INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX portal_sessions_account ON portal_sessions (account_id);
