DROP INDEX cpaas_numbers_customer_friendly_name_listing;
DROP INDEX cpaas_numbers_customer_consumer_name_listing;
DROP INDEX cpaas_numbers_reseller_friendly_name_listing;
DROP INDEX cpaas_numbers_reseller_consumer_name_listing;
DROP INDEX cpaas_numbers_friendly_name_listing;
DROP INDEX cpaas_numbers_consumer_name_listing;
DROP TRIGGER cpaas_number_names_update ON cpaas_numbers;
DROP TRIGGER cpaas_number_names_insert ON cpaas_numbers;
DROP FUNCTION cpaas_number_names_add();
DROP FUNCTION cpaas_number_name_add(BIGINT, TEXT, TEXT);
DROP TABLE cpaas_number_name_suffixes;
CREATE INDEX cpaas_numbers_friendly_name_trgm
    ON cpaas_numbers USING gin (lower(NULLIF(friendly_name, number)) gin_trgm_ops);
CREATE INDEX cpaas_numbers_consumer_name_trgm
    ON cpaas_numbers USING gin (lower(consumer_name) gin_trgm_ops);
