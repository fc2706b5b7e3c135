-- Each queued envelope's size in characters (base64url, so also its bytes), kept with the row:
-- the per-sender quota of queued bytes (--queued-mib-per-account) is counted from it, and an
-- erasure or deletion returns it (RETURNING) without reading the envelope.
--
-- The queue counts themselves (per recipient, per recipient and sender, bytes per sender) are
-- kept in memory by the database writer and loaded from this table at start
-- (storage/sqlite/QueueCounts.java); the table of V2 that counted per recipient goes.
ALTER TABLE messages ADD COLUMN envelope_chars INTEGER NOT NULL DEFAULT 0;

UPDATE messages SET envelope_chars = length(envelope) WHERE envelope IS NOT NULL;

DROP TABLE queue_lengths;
