-- How many undelivered messages each recipient has, kept in step with `messages` by the
-- message store in the same transactions. The queue cap is checked against this count:
-- counting the queue itself cost a scan of up to --queue-cap index entries per message sent
-- to an offline recipient (docs/BENCHMARKS.md, "Drain").
CREATE TABLE queue_lengths (
    recipient TEXT    PRIMARY KEY,
    pending   INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO queue_lengths (recipient, pending)
SELECT recipient, COUNT(*) FROM messages WHERE envelope IS NOT NULL GROUP BY recipient;
