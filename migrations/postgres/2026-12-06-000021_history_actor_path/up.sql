-- Whose reach a change was made from: the acting portal account's organization path, or '/'
-- for an operator; null for the command line and end users; '' for an account deleted before
-- reaches were recorded (its reach is unknown). A reader below that level sees the change as
-- made by "an administrator of <organization>" (or "an administrator"), not by the email.
ALTER TABLE history ADD COLUMN actor_path TEXT;
UPDATE history SET actor_path = (
    SELECT CASE WHEN a.operator THEN '/' ELSE o.path END
    FROM portal_accounts a JOIN organizations o ON o.id = a.organization_id
    WHERE a.id = history.account_id
) WHERE account_id IS NOT NULL;
UPDATE history SET actor_path = ''
WHERE account_id IS NULL
  AND actor <> 'cpaas create-admin'
  AND NOT (changes LIKE '%"opt_in_state"%'
           AND (summary LIKE '% accepted SMS on %' OR summary LIKE '% declined SMS on %'));
