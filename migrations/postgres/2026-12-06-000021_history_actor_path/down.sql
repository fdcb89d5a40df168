ALTER TABLE history DROP COLUMN actor_path;
