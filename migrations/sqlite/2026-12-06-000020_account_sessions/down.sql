DROP TABLE portal_sessions;
ALTER TABLE end_users DROP COLUMN token_version;
ALTER TABLE portal_accounts DROP COLUMN token_version;
