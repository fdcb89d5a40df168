-- Fencing: each claim writes a fresh lease token, and renewing, completing or retrying a job
-- requires it, so a worker whose lease lapsed (and whose job another worker took) changes
-- nothing. A job claimed more often than its attempts allow without ever finishing (its worker
-- died each time) is dead: kept for the record, never claimed again, and no longer holding up
-- the jobs behind it on the same subject.
ALTER TABLE jobs ADD COLUMN lease_token TEXT;
ALTER TABLE jobs ADD COLUMN dead_at TIMESTAMP;
