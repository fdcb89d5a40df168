-- Portal accounts (R21): sign-in to the portal, scoped to one organization and everything below.
CREATE TABLE portal_accounts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    send_technical_emails BOOLEAN NOT NULL DEFAULT FALSE,
    send_alerts BOOLEAN NOT NULL DEFAULT FALSE,
    send_invoices_and_receipts BOOLEAN NOT NULL DEFAULT FALSE,
    send_license_expiry_alerts BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX portal_accounts_organization_id ON portal_accounts (organization_id);
