-- Each copy says whether a send_multi stored it (docs/PROTOCOL.md §6, relay_message `multi`):
-- a client treats a relayed `content` as a group message only then, never by its first byte
-- (a fan-out's content is bare ciphertext and starts with any byte).
--
-- Copies stored before this migration: those with a body are send_multi copies. A send_multi
-- copy without a body (a group update: no content, its envelope a whole pairwise message) stays
-- 0; without content, `multi` changes nothing for the client.
ALTER TABLE messages ADD COLUMN multi INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET multi = 1 WHERE body_id IS NOT NULL;
