-- The CPaaS Numbers lists at scale (R11 over a million numbers): each level reads one index
-- range already in the list's default order (active first, then by number); the digits'
-- suffixes and trigram GIN indexes (pg_trgm, a trusted extension since PostgreSQL 13) find
-- search terms anywhere in the number, friendly name or user/stream name.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The provider and reseller above the number's customer (copied from the customer's path,
-- which never changes), so provider and reseller lists are one index range each.
ALTER TABLE cpaas_numbers ADD COLUMN provider_id BIGINT, ADD COLUMN reseller_id BIGINT;
UPDATE cpaas_numbers SET
    provider_id = (SELECT p.id FROM organizations p
                   WHERE p.kind = 'system_provider' AND cpaas_numbers.scope_path LIKE p.path || '%'),
    reseller_id = (SELECT r.id FROM organizations r
                   WHERE r.kind = 'reseller' AND cpaas_numbers.scope_path LIKE r.path || '%');
ALTER TABLE cpaas_numbers ALTER COLUMN provider_id SET NOT NULL;

DROP INDEX cpaas_numbers_scope;
CREATE INDEX cpaas_numbers_provider_listing
    ON cpaas_numbers (provider_id, (end_date IS NOT NULL), number, id DESC);
CREATE INDEX cpaas_numbers_reseller_listing
    ON cpaas_numbers (reseller_id, (end_date IS NOT NULL), number, id DESC);
CREATE INDEX cpaas_numbers_customer_listing
    ON cpaas_numbers (customer_id, (end_date IS NOT NULL), number, id DESC);

-- Substring search on the digits: every suffix of three digits or more, so "…2004…" is one
-- range scan ('2004' <= suffix < '2004:'). Numbers never change once assigned.
CREATE TABLE cpaas_number_suffixes (
    suffix TEXT COLLATE "C" NOT NULL,
    number_id BIGINT NOT NULL REFERENCES cpaas_numbers (id) ON DELETE CASCADE,
    PRIMARY KEY (suffix, number_id)
);
INSERT INTO cpaas_number_suffixes (suffix, number_id)
    SELECT substr(n.number, s), n.id FROM cpaas_numbers n, generate_series(1, 8) s;
CREATE FUNCTION cpaas_number_suffixes_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cpaas_number_suffixes (suffix, number_id)
    SELECT substr(NEW.number, s), NEW.id FROM generate_series(1, 8) s;
    RETURN NULL;
END
$$;
CREATE TRIGGER cpaas_number_suffixes_insert AFTER INSERT ON cpaas_numbers
    FOR EACH ROW EXECUTE FUNCTION cpaas_number_suffixes_insert();

-- Substring search on the names: trigram GIN indexes, of the friendly name only where it is
-- not just the number (the default: the digits are searched above).
CREATE INDEX cpaas_numbers_friendly_name_trgm
    ON cpaas_numbers USING gin (lower(NULLIF(friendly_name, number)) gin_trgm_ops);
CREATE INDEX cpaas_numbers_consumer_name_trgm
    ON cpaas_numbers USING gin (lower(consumer_name) gin_trgm_ops);
