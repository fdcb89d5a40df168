-- CPaaS platforms (R1): a provider's carrier account. The three secrets are sealed with
-- CPAAS_SECRET_KEY (XChaCha20-Poly1305, `v1:` + base64) and unreadable without it.
CREATE TABLE cpaas_platforms (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    kind TEXT NOT NULL CHECK (kind IN ('inteliquent')),
    name TEXT NOT NULL,
    account_key TEXT NOT NULL,
    token_secret TEXT NOT NULL,
    outbound_api_key TEXT NOT NULL,
    user_confirmation_required BOOLEAN NOT NULL,
    user_can_block_numbers BOOLEAN NOT NULL,
    mms_available BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, name)
);
