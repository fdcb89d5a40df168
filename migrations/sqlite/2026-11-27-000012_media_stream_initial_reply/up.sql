-- R10: a media stream's SMS configuration lives on its number assignment; this is its
-- initial reply within business hours.
ALTER TABLE cpaas_numbers ADD COLUMN initial_reply TEXT;
