-- Messages to and from CPaaS numbers. Inbound messages are stored before the carrier is
-- answered, and never dropped: one that reaches no active assignment waits in the unassigned
-- inbox (cpaas_number_id null). The carrier retries, so a (platform, direction, reference id,
-- our number) repeats at most once.
CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Null once the platform was deleted.
    platform_id BIGINT REFERENCES cpaas_platforms (id) ON DELETE SET NULL,
    -- The assignment the message belongs to; null in the unassigned inbox.
    cpaas_number_id BIGINT REFERENCES cpaas_numbers (id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- Ten digits.
    our_number TEXT NOT NULL,
    -- E.164 when it is a number, as received otherwise (short codes).
    remote_number TEXT NOT NULL,
    body TEXT NOT NULL,
    -- A JSON array of URLs.
    media_urls TEXT NOT NULL DEFAULT '[]',
    reference_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'queued', 'sent', 'delivered', 'failed')),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (platform_id, direction, reference_id, our_number)
);
CREATE INDEX messages_number ON messages (cpaas_number_id, id);
CREATE INDEX messages_unassigned ON messages (our_number, id) WHERE cpaas_number_id IS NULL;
