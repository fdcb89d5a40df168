DROP TABLE jobs;
DROP TABLE cpaas_numbers;
ALTER TABLE cpaas_platforms DROP COLUMN webhook_token;
