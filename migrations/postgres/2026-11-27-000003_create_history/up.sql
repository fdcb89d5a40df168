-- The history log (R23): every change and sign-in, written in the same transaction as the
-- change. `scope_path` is the materialized path of the organization the object belongs to, so
-- "this level and below" is one range scan. `actor` keeps the email after the account is gone.
CREATE TABLE history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    account_id BIGINT REFERENCES portal_accounts (id) ON DELETE SET NULL,
    actor TEXT NOT NULL,
    scope_path TEXT COLLATE "C" NOT NULL,
    object_kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'sign_in')),
    summary TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX history_scope_path ON history (scope_path, id);
