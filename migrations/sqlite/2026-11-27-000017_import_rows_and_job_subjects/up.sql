-- A bulk import's results, one row per CSV line, written in the same transaction as the
-- line's assignment (a restarted import neither loses nor repeats a line). Replaces the JSON
-- array rewritten after every line.
CREATE TABLE number_import_rows (
    import_id INTEGER NOT NULL REFERENCES number_imports (id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    number TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('assigned', 'failed')),
    detail TEXT,
    number_id INTEGER,
    PRIMARY KEY (import_id, line)
);
INSERT INTO number_import_rows (import_id, line, number, outcome, detail, number_id)
SELECT i.id, json_extract(r.value, '$.line'), json_extract(r.value, '$.number'),
       json_extract(r.value, '$.outcome'), json_extract(r.value, '$.detail'),
       json_extract(r.value, '$.number_id')
FROM number_imports i, json_each(i.results) r;
ALTER TABLE number_imports DROP COLUMN results;

-- Jobs about the same thing (say, one number's provisioning and removal) run one at a time,
-- oldest first, even with several workers.
ALTER TABLE jobs ADD COLUMN subject TEXT;
CREATE INDEX jobs_subject ON jobs (subject, id);
