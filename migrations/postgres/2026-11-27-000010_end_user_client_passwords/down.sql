ALTER TABLE end_users DROP COLUMN password_hash;
