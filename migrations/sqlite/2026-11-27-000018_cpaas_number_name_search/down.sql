DROP INDEX cpaas_numbers_customer_friendly_name_listing;
DROP INDEX cpaas_numbers_customer_consumer_name_listing;
DROP INDEX cpaas_numbers_reseller_friendly_name_listing;
DROP INDEX cpaas_numbers_reseller_consumer_name_listing;
DROP INDEX cpaas_numbers_friendly_name_listing;
DROP INDEX cpaas_numbers_consumer_name_listing;
DROP TRIGGER cpaas_number_names_update;
DROP TRIGGER cpaas_number_names_insert;
DROP TABLE cpaas_number_name_starts;
DROP TABLE cpaas_number_name_suffixes;
CREATE VIEW cpaas_numbers_search_source AS
    SELECT id,
           CASE WHEN friendly_name = number THEN '' ELSE friendly_name END AS friendly_name,
           consumer_name
    FROM cpaas_numbers;
CREATE VIRTUAL TABLE cpaas_numbers_search USING fts5(
    friendly_name, consumer_name,
    content = 'cpaas_numbers_search_source', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO cpaas_numbers_search (cpaas_numbers_search) VALUES ('rebuild');
CREATE TRIGGER cpaas_numbers_search_insert AFTER INSERT ON cpaas_numbers BEGIN
    INSERT INTO cpaas_numbers_search (rowid, friendly_name, consumer_name)
    VALUES (new.id, CASE WHEN new.friendly_name = new.number THEN '' ELSE new.friendly_name END,
            new.consumer_name);
END;
CREATE TRIGGER cpaas_numbers_search_delete AFTER DELETE ON cpaas_numbers BEGIN
    INSERT INTO cpaas_numbers_search (cpaas_numbers_search, rowid, friendly_name, consumer_name)
    VALUES ('delete', old.id,
            CASE WHEN old.friendly_name = old.number THEN '' ELSE old.friendly_name END,
            old.consumer_name);
END;
CREATE TRIGGER cpaas_numbers_search_update
AFTER UPDATE OF number, friendly_name, consumer_name ON cpaas_numbers BEGIN
    INSERT INTO cpaas_numbers_search (cpaas_numbers_search, rowid, friendly_name, consumer_name)
    VALUES ('delete', old.id,
            CASE WHEN old.friendly_name = old.number THEN '' ELSE old.friendly_name END,
            old.consumer_name);
    INSERT INTO cpaas_numbers_search (rowid, friendly_name, consumer_name)
    VALUES (new.id, CASE WHEN new.friendly_name = new.number THEN '' ELSE new.friendly_name END,
            new.consumer_name);
END;
