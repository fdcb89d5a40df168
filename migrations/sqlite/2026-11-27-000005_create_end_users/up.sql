-- End users (R22) of a customer. `user_id` must match the BroadWorks user id and is unique
-- within the system provider (kept in `provider_id` for that constraint).
CREATE TABLE end_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    provider_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    timezone TEXT,
    language TEXT,
    external_reference TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (provider_id, user_id)
);
CREATE INDEX end_users_customer_id ON end_users (customer_id);
