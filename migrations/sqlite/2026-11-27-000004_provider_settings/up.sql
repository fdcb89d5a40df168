-- R20 settings of an organization (all levels may carry them; the API shows them on providers).
ALTER TABLE organizations ADD COLUMN timezone TEXT;
ALTER TABLE organizations ADD COLUMN language TEXT;
ALTER TABLE organizations ADD COLUMN accounts_reference TEXT;
ALTER TABLE organizations ADD COLUMN trial_duration_days INTEGER NOT NULL DEFAULT 0 CHECK (trial_duration_days >= 0);
ALTER TABLE organizations ADD COLUMN use_trial_licenses_until_expiration BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN snapshot_report_frequency TEXT NOT NULL DEFAULT 'none'
    CHECK (snapshot_report_frequency IN ('none', 'daily', 'weekly', 'monthly'));
