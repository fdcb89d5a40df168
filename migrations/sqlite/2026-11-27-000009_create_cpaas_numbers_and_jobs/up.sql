-- The token the carrier sends back in the per-number webhook's header (sealed, like the
-- other platform secrets); set when the platform is created or first provisions a number.
ALTER TABLE cpaas_platforms ADD COLUMN webhook_token TEXT;

-- CPaaS numbers (R6-R14): one row per assignment. An ended assignment (end_date set) stays as
-- history; only one active assignment per number in the whole system.
CREATE TABLE cpaas_numbers (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    number TEXT NOT NULL CHECK (length(number) = 10),
    friendly_name TEXT NOT NULL,
    -- Null once the platform was deleted (only ended assignments can outlive it).
    platform_id INTEGER REFERENCES cpaas_platforms (id) ON DELETE SET NULL,
    customer_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    -- The customer's materialized path: "this level and below" is one range scan.
    scope_path TEXT NOT NULL,
    consumer_kind TEXT NOT NULL CHECK (consumer_kind IN ('user', 'media_stream')),
    end_user_id INTEGER REFERENCES end_users (id) ON DELETE SET NULL,
    media_stream_id INTEGER REFERENCES media_streams (id) ON DELETE SET NULL,
    -- Kept with the row so ended assignments still name their user or stream.
    consumer_name TEXT NOT NULL,
    messaging_type TEXT NOT NULL CHECK (messaging_type IN ('sms', 'mms_sms')),
    user_can_block_numbers BOOLEAN NOT NULL,
    provisioning_state TEXT NOT NULL
        CHECK (provisioning_state IN ('pending', 'active', 'failed', 'removing', 'removed')),
    provisioning_detail TEXT,
    provisioning_attempts INTEGER NOT NULL DEFAULT 0,
    provisioning_updated_at TIMESTAMP NOT NULL,
    webhook_auth_id TEXT,
    opt_in_state TEXT NOT NULL
        CHECK (opt_in_state IN ('not_required', 'pending', 'opted_in', 'opted_out')),
    opt_in_at TIMESTAMP,
    start_date TIMESTAMP NOT NULL,
    end_date TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX cpaas_numbers_one_active ON cpaas_numbers (number) WHERE end_date IS NULL;
CREATE INDEX cpaas_numbers_scope ON cpaas_numbers (scope_path, number);
CREATE INDEX cpaas_numbers_end_user ON cpaas_numbers (end_user_id);
CREATE INDEX cpaas_numbers_media_stream ON cpaas_numbers (media_stream_id);
CREATE INDEX cpaas_numbers_platform ON cpaas_numbers (platform_id);

-- Durable work for the in-process worker: written in the same transaction as the change that
-- needs it; claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL); deleted when done.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    run_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at);
