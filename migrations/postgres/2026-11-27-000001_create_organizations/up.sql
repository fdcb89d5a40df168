-- The reseller hierarchy (system provider > reseller > customer) with a materialized path.
-- `path` uses the C collation so that its byte order (and prefix range scans) match SQLite's.
CREATE TABLE organizations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('system_provider', 'reseller', 'customer')),
    parent_id BIGINT REFERENCES organizations (id) ON DELETE RESTRICT,
    path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'system_provider') = (parent_id IS NULL))
);
CREATE INDEX organizations_path ON organizations (path);
CREATE INDEX organizations_parent_id ON organizations (parent_id);
