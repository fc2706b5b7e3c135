-- Each sender's share of each recipient's queue (undelivered messages), and each sender's
-- queued envelope bytes over all recipients (docs/SECURITY.md, "Storage and delivery"). The
-- message store checks them with the queue length in one statement, in the writer's
-- transaction, before it queues a message.
--
-- From this version on all three counts, queue_lengths included, are kept by triggers on
-- messages: every way a pending envelope enters or leaves the queue (send, ack, expiry,
-- identity reset) counts it, inside the statement that changes the row, without a statement
-- of its own from the store for each count.
CREATE TABLE queue_shares (
    recipient TEXT    NOT NULL,
    sender    TEXT    NOT NULL,
    pending   INTEGER NOT NULL,
    PRIMARY KEY (recipient, sender)
) WITHOUT ROWID;

CREATE TABLE queued_bytes (
    sender TEXT    PRIMARY KEY,
    bytes  INTEGER NOT NULL  -- sum of length(envelope) of the sender's undelivered messages
) WITHOUT ROWID;

INSERT INTO queue_shares (recipient, sender, pending)
SELECT recipient, sender, COUNT(*) FROM messages WHERE envelope IS NOT NULL GROUP BY recipient, sender;

INSERT INTO queued_bytes (sender, bytes)
SELECT sender, SUM(length(envelope)) FROM messages WHERE envelope IS NOT NULL GROUP BY sender;

CREATE TRIGGER messages_queued AFTER INSERT ON messages WHEN new.envelope IS NOT NULL
BEGIN
    INSERT INTO queue_lengths (recipient, pending) VALUES (new.recipient, 1)
        ON CONFLICT (recipient) DO UPDATE SET pending = pending + 1;
    INSERT INTO queue_shares (recipient, sender, pending) VALUES (new.recipient, new.sender, 1)
        ON CONFLICT (recipient, sender) DO UPDATE SET pending = pending + 1;
    INSERT INTO queued_bytes (sender, bytes) VALUES (new.sender, length(new.envelope))
        ON CONFLICT (sender) DO UPDATE SET bytes = bytes + excluded.bytes;
END;

CREATE TRIGGER messages_erased AFTER UPDATE OF envelope ON messages
    WHEN old.envelope IS NOT NULL AND new.envelope IS NULL
BEGIN
    UPDATE queue_lengths SET pending = pending - 1 WHERE recipient = old.recipient;
    UPDATE queue_shares SET pending = pending - 1 WHERE recipient = old.recipient AND sender = old.sender;
    UPDATE queued_bytes SET bytes = bytes - length(old.envelope) WHERE sender = old.sender;
END;

CREATE TRIGGER messages_deleted AFTER DELETE ON messages WHEN old.envelope IS NOT NULL
BEGIN
    UPDATE queue_lengths SET pending = pending - 1 WHERE recipient = old.recipient;
    UPDATE queue_shares SET pending = pending - 1 WHERE recipient = old.recipient AND sender = old.sender;
    UPDATE queued_bytes SET bytes = bytes - length(old.envelope) WHERE sender = old.sender;
END;
