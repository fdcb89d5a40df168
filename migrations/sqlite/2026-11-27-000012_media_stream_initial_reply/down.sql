ALTER TABLE cpaas_numbers DROP COLUMN initial_reply;
