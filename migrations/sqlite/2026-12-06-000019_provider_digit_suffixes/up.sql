-- The digit suffixes carry their number's provider, so a search reads (and counts) only the
-- provider it was asked about: another tenant's numbers are never a match, nor decide whether
-- a term is too common for the index.
DROP TRIGGER cpaas_number_suffixes_insert;
DROP TABLE cpaas_number_suffixes;
CREATE TABLE cpaas_number_suffixes (
    provider_id INTEGER NOT NULL,
    suffix TEXT NOT NULL,
    number_id INTEGER NOT NULL REFERENCES cpaas_numbers (id) ON DELETE CASCADE,
    PRIMARY KEY (provider_id, suffix, number_id)
) WITHOUT ROWID;
INSERT INTO cpaas_number_suffixes (provider_id, suffix, number_id)
    SELECT n.provider_id, substr(n.number, s.start), n.id
    FROM cpaas_numbers n, cpaas_number_suffix_starts s;
CREATE TRIGGER cpaas_number_suffixes_insert AFTER INSERT ON cpaas_numbers BEGIN
    INSERT INTO cpaas_number_suffixes (provider_id, suffix, number_id)
    SELECT new.provider_id, substr(new.number, start), new.id FROM cpaas_number_suffix_starts;
END;
