ALTER TABLE end_users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE end_users ADD COLUMN locked_until TIMESTAMP;
ALTER TABLE portal_accounts ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE portal_accounts ADD COLUMN locked_until TIMESTAMP;
DROP TABLE sign_in_throttles;
