-- Contact-center queues of a customer, and their media streams (R10: the entry points into a
-- queue, one per media type; the SMS configuration block arrives with CPaaS numbers).
CREATE TABLE queues (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX queues_customer_id ON queues (customer_id);

CREATE TABLE media_streams (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    language TEXT,
    media_type TEXT NOT NULL CHECK (media_type IN ('sms', 'web_chat', 'email')),
    conversation_can_be_transferred BOOLEAN NOT NULL DEFAULT 1,
    conversation_can_be_escalated BOOLEAN NOT NULL DEFAULT 0,
    timezone TEXT,
    in_office_profile TEXT NOT NULL DEFAULT 'Always online',
    use_last_agent_if_available BOOLEAN NOT NULL DEFAULT 0,
    reopen_conversation_on_reply BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX media_streams_queue_id ON media_streams (queue_id);
