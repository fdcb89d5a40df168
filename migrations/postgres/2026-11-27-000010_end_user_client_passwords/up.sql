-- The password an admin sets for an end user's client sign-in (argon2; never returned).
ALTER TABLE end_users ADD COLUMN password_hash TEXT;
