-- Bulk imports of CPaaS numbers into a customer: the CSV, its progress and per-row results
-- (JSON). Run by a job; a restarted job continues after the rows already done.
CREATE TABLE number_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL,
    csv TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    total INTEGER NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0,
    results TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX number_imports_customer ON number_imports (customer_id);
