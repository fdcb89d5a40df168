ALTER TABLE organizations DROP COLUMN snapshot_report_frequency;
ALTER TABLE organizations DROP COLUMN use_trial_licenses_until_expiration;
ALTER TABLE organizations DROP COLUMN trial_duration_days;
ALTER TABLE organizations DROP COLUMN accounts_reference;
ALTER TABLE organizations DROP COLUMN language;
ALTER TABLE organizations DROP COLUMN timezone;
