-- Name search at scale (R11 over a million numbers), as on PostgreSQL; this replaces the FTS5
-- trigram index of 000016.
--
-- Each provider's distinct lowercased names are stored with the field carrying them
-- (`consumer_name`: the user's or media stream's name; `friendly_name`, unless it is just the
-- number) and each of their suffixes of three characters or more. The names holding a term are
-- then one exact range scan within the provider. Each such name's numbers are read in the
-- list's order from the indexes below, and the ranges are merged. Names are only ever added: a
-- name no longer in use costs one empty index lookup.
DROP TRIGGER cpaas_numbers_search_update;
DROP TRIGGER cpaas_numbers_search_delete;
DROP TRIGGER cpaas_numbers_search_insert;
DROP TABLE cpaas_numbers_search;
DROP VIEW cpaas_numbers_search_source;

CREATE TABLE cpaas_number_name_suffixes (
    provider_id INTEGER NOT NULL,
    suffix TEXT NOT NULL,
    name TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('consumer_name', 'friendly_name')),
    PRIMARY KEY (provider_id, suffix, name, field)
) WITHOUT ROWID;
-- Where suffixes start: 1 to 1000 (names are at most 200 characters).
CREATE TABLE cpaas_number_name_starts (start INTEGER PRIMARY KEY NOT NULL);
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000)
INSERT INTO cpaas_number_name_starts (start) SELECT n FROM s;

CREATE TRIGGER cpaas_number_names_insert AFTER INSERT ON cpaas_numbers BEGIN
    INSERT OR IGNORE INTO cpaas_number_name_suffixes (provider_id, suffix, name, field)
    SELECT new.provider_id, substr(v.name, s.start), v.name, v.field
    FROM (SELECT lower(new.consumer_name) AS name, 'consumer_name' AS field
          UNION SELECT lower(NULLIF(new.friendly_name, new.number)), 'friendly_name') AS v
    JOIN cpaas_number_name_starts AS s ON s.start <= length(v.name) - 2
    WHERE NOT EXISTS (SELECT 1 FROM cpaas_number_name_suffixes AS x
                      WHERE x.provider_id = new.provider_id AND x.suffix = v.name
                        AND x.name = v.name AND x.field = v.field);
END;
CREATE TRIGGER cpaas_number_names_update
AFTER UPDATE OF number, friendly_name, consumer_name ON cpaas_numbers BEGIN
    INSERT OR IGNORE INTO cpaas_number_name_suffixes (provider_id, suffix, name, field)
    SELECT new.provider_id, substr(v.name, s.start), v.name, v.field
    FROM (SELECT lower(new.consumer_name) AS name, 'consumer_name' AS field
          UNION SELECT lower(NULLIF(new.friendly_name, new.number)), 'friendly_name') AS v
    JOIN cpaas_number_name_starts AS s ON s.start <= length(v.name) - 2
    WHERE NOT EXISTS (SELECT 1 FROM cpaas_number_name_suffixes AS x
                      WHERE x.provider_id = new.provider_id AND x.suffix = v.name
                        AND x.name = v.name AND x.field = v.field);
END;
INSERT OR IGNORE INTO cpaas_number_name_suffixes (provider_id, suffix, name, field)
SELECT v.provider_id, substr(v.name, s.start), v.name, v.field
FROM (SELECT provider_id, lower(consumer_name) AS name, 'consumer_name' AS field
      FROM cpaas_numbers
      UNION SELECT provider_id, lower(NULLIF(friendly_name, number)), 'friendly_name'
      FROM cpaas_numbers) AS v
JOIN cpaas_number_name_starts AS s ON s.start <= length(v.name) - 2;

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
