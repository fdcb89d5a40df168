-- Client sign-in throttling, as for portal accounts: consecutive failures and the time
-- before which sign-in is refused.
ALTER TABLE end_users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE end_users ADD COLUMN locked_until TIMESTAMP;
