-- Name search at scale (R11 over a million numbers). The trigram indexes of 000016 had to read
-- long posting lists and recheck thousands of rows before a common name was known to be common.
-- Instead: every distinct lowercased name an assignment carries, with the field that carries it
-- (`consumer_name`: its user's or media stream's name; `friendly_name`, unless that is just the
-- number), is stored with each of its suffixes of three characters or more, so the names holding a term are one exact range scan
-- (term <= suffix < term || U+10FFFF); each such name's numbers are then read in the list's
-- order from the index of its field (below), and the ranges are merged. Names are only ever added: a name no longer in
-- use costs one empty index lookup.
DROP INDEX cpaas_numbers_consumer_name_trgm;
DROP INDEX cpaas_numbers_friendly_name_trgm;

CREATE TABLE cpaas_number_name_suffixes (
    suffix TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('consumer_name', 'friendly_name')),
    PRIMARY KEY (suffix, name, field)
);
CREATE FUNCTION cpaas_number_name_add(n TEXT, f TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF n IS NULL OR length(n) < 3 OR EXISTS (
        SELECT 1 FROM cpaas_number_name_suffixes WHERE suffix = n AND name = n AND field = f
    ) THEN
        RETURN;
    END IF;
    INSERT INTO cpaas_number_name_suffixes (suffix, name, field)
    SELECT substr(n, s), n, f FROM generate_series(1, length(n) - 2) s
    ON CONFLICT DO NOTHING;
END
$$;
CREATE FUNCTION cpaas_number_names_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cpaas_number_name_add(lower(NEW.consumer_name), 'consumer_name');
    PERFORM cpaas_number_name_add(lower(NULLIF(NEW.friendly_name, NEW.number)), 'friendly_name');
    RETURN NULL;
END
$$;
CREATE TRIGGER cpaas_number_names_insert AFTER INSERT ON cpaas_numbers
    FOR EACH ROW EXECUTE FUNCTION cpaas_number_names_add();
CREATE TRIGGER cpaas_number_names_update
    AFTER UPDATE OF number, friendly_name, consumer_name ON cpaas_numbers
    FOR EACH ROW EXECUTE FUNCTION cpaas_number_names_add();
DO $$ BEGIN
    PERFORM cpaas_number_name_add(name, field) FROM (
        SELECT DISTINCT lower(consumer_name) AS name, 'consumer_name' AS field FROM cpaas_numbers
        UNION SELECT DISTINCT lower(NULLIF(friendly_name, number)), 'friendly_name' FROM cpaas_numbers
    ) AS names;
END $$;

-- One field's name's numbers at a provider, in the list's default order (active first, by number).
-- The name leads, so a list without a search keeps to the provider's listing index (000016).
CREATE INDEX cpaas_numbers_consumer_name_listing
    ON cpaas_numbers (lower(consumer_name), provider_id, (end_date IS NOT NULL), number, id DESC);
CREATE INDEX cpaas_numbers_friendly_name_listing
    ON cpaas_numbers (lower(friendly_name), provider_id, (end_date IS NOT NULL), number, id DESC)
    WHERE friendly_name <> number;
