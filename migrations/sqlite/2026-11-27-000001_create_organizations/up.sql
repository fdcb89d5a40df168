-- The reseller hierarchy (system provider > reseller > customer) with a materialized path.
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('system_provider', 'reseller', 'customer')),
    parent_id INTEGER REFERENCES organizations (id) ON DELETE RESTRICT,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'system_provider') = (parent_id IS NULL))
);
CREATE INDEX organizations_path ON organizations (path);
CREATE INDEX organizations_parent_id ON organizations (parent_id);
