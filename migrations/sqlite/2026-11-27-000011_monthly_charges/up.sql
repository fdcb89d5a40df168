-- R18: the monthly charge per number, set on the platform (in cents) and kept with each
-- assignment as it was when the number was assigned.
ALTER TABLE cpaas_platforms ADD COLUMN monthly_charge_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cpaas_numbers ADD COLUMN monthly_charge_cents INTEGER NOT NULL DEFAULT 0;
