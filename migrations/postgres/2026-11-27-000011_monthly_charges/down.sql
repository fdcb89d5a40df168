ALTER TABLE cpaas_numbers DROP COLUMN monthly_charge_cents;
ALTER TABLE cpaas_platforms DROP COLUMN monthly_charge_cents;
