-- send_multi (docs/PROTOCOL.md §6a): one message to many accounts whose shared ciphertext is
-- stored once. The body holds that content; each recipient device's copy is a row of
-- `messages` referencing it (body_id), with its own envelope or none. A body is deleted in the
-- same transaction as its last pending copy is erased (ack) or deleted (expiry, unlink,
-- identity reset); secure_delete overwrites it.
--
-- stored_chars of a body is its content's length: the sender's byte quota counts it once,
-- while each copy counts only its own envelope.
CREATE TABLE message_bodies (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    sender       TEXT    NOT NULL,
    content      TEXT    NOT NULL,
    stored_chars INTEGER NOT NULL
);

ALTER TABLE messages ADD COLUMN body_id INTEGER REFERENCES message_bodies (id);

-- A copy is pending while it has an envelope or a body; an acknowledged copy keeps neither (a
-- tombstone for deduplication until its expiry). The pending index follows that definition.
DROP INDEX messages_pending;
CREATE INDEX messages_pending ON messages (recipient, recipient_device, seq)
    WHERE (envelope IS NOT NULL OR body_id IS NOT NULL);
CREATE INDEX messages_body ON messages (body_id) WHERE body_id IS NOT NULL;
