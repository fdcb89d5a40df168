DROP INDEX jobs_subject;
ALTER TABLE jobs DROP COLUMN subject;
ALTER TABLE number_imports ADD COLUMN results TEXT NOT NULL DEFAULT '[]';
DROP TABLE number_import_rows;
