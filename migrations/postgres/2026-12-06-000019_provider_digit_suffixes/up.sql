-- The digit suffixes carry their number's provider, so a search reads (and counts) only the
-- provider it was asked about: another tenant's numbers are never a match, nor decide whether
-- a term is too common for the index.
DROP TRIGGER cpaas_number_suffixes_insert ON cpaas_numbers;
DROP TABLE cpaas_number_suffixes;
CREATE TABLE cpaas_number_suffixes (
    provider_id BIGINT NOT NULL,
    suffix TEXT COLLATE "C" NOT NULL,
    number_id BIGINT NOT NULL REFERENCES cpaas_numbers (id) ON DELETE CASCADE,
    PRIMARY KEY (provider_id, suffix, number_id)
);
INSERT INTO cpaas_number_suffixes (provider_id, suffix, number_id)
    SELECT n.provider_id, substr(n.number, s), n.id FROM cpaas_numbers n, generate_series(1, 8) s;
CREATE OR REPLACE FUNCTION cpaas_number_suffixes_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cpaas_number_suffixes (provider_id, suffix, number_id)
    SELECT NEW.provider_id, substr(NEW.number, s), NEW.id FROM generate_series(1, 8) s;
    RETURN NULL;
END
$$;
CREATE TRIGGER cpaas_number_suffixes_insert AFTER INSERT ON cpaas_numbers
    FOR EACH ROW EXECUTE FUNCTION cpaas_number_suffixes_insert();
