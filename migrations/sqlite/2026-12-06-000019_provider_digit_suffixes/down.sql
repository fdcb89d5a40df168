DROP TRIGGER cpaas_number_suffixes_insert;
DROP TABLE cpaas_number_suffixes;
CREATE TABLE cpaas_number_suffixes (
    suffix TEXT NOT NULL,
    number_id INTEGER NOT NULL REFERENCES cpaas_numbers (id) ON DELETE CASCADE,
    PRIMARY KEY (suffix, number_id)
) WITHOUT ROWID;
INSERT INTO cpaas_number_suffixes (suffix, number_id)
    SELECT substr(n.number, s.start), n.id FROM cpaas_numbers n, cpaas_number_suffix_starts s;
CREATE TRIGGER cpaas_number_suffixes_insert AFTER INSERT ON cpaas_numbers BEGIN
    INSERT INTO cpaas_number_suffixes (suffix, number_id)
    SELECT substr(new.number, start), new.id FROM cpaas_number_suffix_starts;
END;
