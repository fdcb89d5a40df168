-- The CPaaS Numbers lists at scale (R11 over a million numbers): each level reads one index
-- range already in the list's default order (active first, then by number), and a trigram
-- index (FTS5) finds search terms anywhere in the number, friendly name or user/stream name.

-- The provider and reseller above the number's customer (copied from the customer's path,
-- which never changes), so provider and reseller lists are one index range each.
ALTER TABLE cpaas_numbers ADD COLUMN provider_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cpaas_numbers ADD COLUMN reseller_id INTEGER;
UPDATE cpaas_numbers SET
    provider_id = (SELECT p.id FROM organizations p
                   WHERE p.kind = 'system_provider' AND cpaas_numbers.scope_path LIKE p.path || '%'),
    reseller_id = (SELECT r.id FROM organizations r
                   WHERE r.kind = 'reseller' AND cpaas_numbers.scope_path LIKE r.path || '%');

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
    suffix TEXT NOT NULL,
    number_id INTEGER NOT NULL REFERENCES cpaas_numbers (id) ON DELETE CASCADE,
    PRIMARY KEY (suffix, number_id)
) WITHOUT ROWID;
CREATE TABLE cpaas_number_suffix_starts (start INTEGER PRIMARY KEY NOT NULL);
INSERT INTO cpaas_number_suffix_starts (start) VALUES (1), (2), (3), (4), (5), (6), (7), (8);
INSERT INTO cpaas_number_suffixes (suffix, number_id)
    SELECT substr(n.number, s.start), n.id FROM cpaas_numbers n, cpaas_number_suffix_starts s;
CREATE TRIGGER cpaas_number_suffixes_insert AFTER INSERT ON cpaas_numbers BEGIN
    INSERT INTO cpaas_number_suffixes (suffix, number_id)
    SELECT substr(new.number, start), new.id FROM cpaas_number_suffix_starts;
END;

-- Substring search on the names: trigrams (FTS5) of the friendly name, unless it is just the
-- number (the default: the digits are searched above), and of the user/stream name.
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
