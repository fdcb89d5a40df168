-- Children first: parent_id restricts deleting a parent, and SQLite empties a table before
-- dropping it.
DELETE FROM organizations WHERE kind = 'customer';
DELETE FROM organizations WHERE kind = 'reseller';
DROP TABLE organizations;
