ALTER TABLE end_users DROP COLUMN locked_until;
ALTER TABLE end_users DROP COLUMN failed_logins;
