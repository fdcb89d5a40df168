ALTER TABLE portal_accounts DROP COLUMN operator;
