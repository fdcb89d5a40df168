-- Operators (the hosting company's staff): see every provider, create and delete providers.
-- Only `cpaas create-admin --operator` sets it; the API never does.
ALTER TABLE portal_accounts ADD COLUMN operator BOOLEAN NOT NULL DEFAULT FALSE;
