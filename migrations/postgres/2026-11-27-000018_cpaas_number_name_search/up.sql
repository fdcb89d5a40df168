-- Name search at scale (R11 over a million numbers). The trigram indexes of 000016 had to read
-- long posting lists and recheck thousands of rows before a common name was known to be common.
--
-- Instead, each provider's distinct lowercased names are stored with the field carrying them
-- (`consumer_name`: the user's or media stream's name; `friendly_name`, unless it is just the
-- number) and each of their suffixes of three characters or more. The names holding a term are
-- then one exact range scan (term <= suffix < term || U+10FFFF) within the provider. Each such
-- name's numbers are read in the list's order from the indexes below, and the ranges are
-- merged. Names are only ever added: a name no longer in use costs one empty index lookup.
DROP INDEX cpaas_numbers_consumer_name_trgm;
DROP INDEX cpaas_numbers_friendly_name_trgm;

CREATE TABLE cpaas_number_name_suffixes (
    provider_id BIGINT NOT NULL,
    suffix TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('consumer_name', 'friendly_name')),
    PRIMARY KEY (provider_id, suffix, name, field)
);
CREATE FUNCTION cpaas_number_name_add(p BIGINT, n TEXT, f TEXT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF n IS NULL OR length(n) < 3 OR EXISTS (
        SELECT 1 FROM cpaas_number_name_suffixes
        WHERE provider_id = p AND suffix = n AND name = n AND field = f
    ) THEN
        RETURN;
    END IF;
    INSERT INTO cpaas_number_name_suffixes (provider_id, suffix, name, field)
    SELECT p, substr(n, s), n, f FROM generate_series(1, length(n) - 2) s
    ON CONFLICT DO NOTHING;
END
$$;
CREATE FUNCTION cpaas_number_names_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cpaas_number_name_add(NEW.provider_id, lower(NEW.consumer_name), 'consumer_name');
    PERFORM cpaas_number_name_add(
        NEW.provider_id, lower(NULLIF(NEW.friendly_name, NEW.number)), 'friendly_name');
    RETURN NULL;
END
$$;
CREATE TRIGGER cpaas_number_names_insert AFTER INSERT ON cpaas_numbers
    FOR EACH ROW EXECUTE FUNCTION cpaas_number_names_add();
CREATE TRIGGER cpaas_number_names_update
    AFTER UPDATE OF number, friendly_name, consumer_name ON cpaas_numbers
    FOR EACH ROW EXECUTE FUNCTION cpaas_number_names_add();
DO $$ BEGIN
    PERFORM cpaas_number_name_add(provider_id, name, field) FROM (
        SELECT DISTINCT provider_id, lower(consumer_name) AS name, 'consumer_name' AS field
        FROM cpaas_numbers
        UNION SELECT DISTINCT provider_id, lower(NULLIF(friendly_name, number)), 'friendly_name'
        FROM cpaas_numbers
    ) AS names;
END $$;

-- One field's name's numbers at a provider, a reseller and a customer, in the list's default
-- order (active first, by number). The name leads, so a list without a search keeps to the
-- level's listing index (000016).
CREATE INDEX cpaas_numbers_consumer_name_listing
    ON cpaas_numbers (lower(consumer_name), provider_id, (end_date IS NOT NULL), number, id DESC);
CREATE INDEX cpaas_numbers_friendly_name_listing
    ON cpaas_numbers (lower(friendly_name), provider_id, (end_date IS NOT NULL), number, id DESC)
    WHERE friendly_name <> number;
CREATE INDEX cpaas_numbers_reseller_consumer_name_listing
    ON cpaas_numbers (lower(consumer_name), reseller_id, (end_date IS NOT NULL), number, id DESC);
CREATE INDEX cpaas_numbers_reseller_friendly_name_listing
    ON cpaas_numbers (lower(friendly_name), reseller_id, (end_date IS NOT NULL), number, id DESC)
    WHERE friendly_name <> number;
CREATE INDEX cpaas_numbers_customer_consumer_name_listing
    ON cpaas_numbers (lower(consumer_name), customer_id, (end_date IS NOT NULL), number, id DESC);
CREATE INDEX cpaas_numbers_customer_friendly_name_listing
    ON cpaas_numbers (lower(friendly_name), customer_id, (end_date IS NOT NULL), number, id DESC)
    WHERE friendly_name <> number;
