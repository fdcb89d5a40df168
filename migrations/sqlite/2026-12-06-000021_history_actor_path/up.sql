-- Whose reach a change was made from: the acting portal account's organization path, or '/'
-- for an operator; null for the command line and end users. A reader below that level sees
-- the change as made by "an administrator of <organization>", not by the upstream email.
ALTER TABLE history ADD COLUMN actor_path TEXT;
UPDATE history SET actor_path = (
    SELECT CASE WHEN a.operator THEN '/' ELSE o.path END
    FROM portal_accounts a JOIN organizations o ON o.id = a.organization_id
    WHERE a.id = history.account_id
) WHERE account_id IS NOT NULL;
