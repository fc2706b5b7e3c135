package dev.parley.client.store;

/**
 * Schema version 8, message content and controls (docs/CLIENT-MODEL.md, "Message content and
 * controls"). A conversation is keyed {@code u:<username>} (1:1) or {@code g:<group id>}; a
 * message in it by {@code (author, id)}, since ids are chosen by their senders. The texts stay
 * in {@code messages} and {@code group_messages}; what a 0x0F message adds, and what controls
 * did, is in {@code message_content}; reactions one per reacting account; controls that came
 * before their target wait; each conversation's timer; 1:1 system lines (a group's are in its
 * history). {@code message_search} (FTS5) holds every text, kept in step with the message
 * tables by triggers, so an edit, delete or expiry changes what search finds in the same
 * statement. Outbox entries carry the seconds after which the server drops a copy still queued.
 */
final class ContentTables {

    static final String[] STATEMENTS = {
        // attachment: an encoded 0x0F payload carrying only the pointer (its codec checks it on the way back).
        // server_time: when the server stored it (ours: when queued, until the server's answer); expires_at: ms or NULL.
        "CREATE TABLE message_content (conv TEXT NOT NULL, author TEXT NOT NULL, id TEXT NOT NULL, quote_author TEXT,"
                + " quote_id TEXT, attachment BLOB, expire_seconds INTEGER NOT NULL DEFAULT 0, expires_at INTEGER,"
                + " server_time INTEGER, edited INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,"
                + " PRIMARY KEY (conv, author, id))",
        "CREATE INDEX message_content_expiry ON message_content(expires_at) WHERE expires_at IS NOT NULL",
        "CREATE TABLE message_reactions (conv TEXT NOT NULL, author TEXT NOT NULL, id TEXT NOT NULL, reactor TEXT NOT NULL,"
                + " emoji TEXT NOT NULL, PRIMARY KEY (conv, author, id, reactor))",
        // a control (the encoded payload) whose target has not arrived: at most 100 per conversation, 24 hours
        "CREATE TABLE waiting_controls (seq INTEGER PRIMARY KEY AUTOINCREMENT, conv TEXT NOT NULL, target_id TEXT NOT NULL,"
                + " sender TEXT NOT NULL, device INTEGER NOT NULL, payload BLOB NOT NULL, server_time INTEGER NOT NULL,"
                + " received_at INTEGER NOT NULL)",
        "CREATE TABLE conversation_timers (conv TEXT PRIMARY KEY, seconds INTEGER NOT NULL)",
        "CREATE TABLE conversation_lines (seq INTEGER PRIMARY KEY AUTOINCREMENT, conv TEXT NOT NULL, text TEXT NOT NULL,"
                + " at INTEGER NOT NULL)",
        "ALTER TABLE outbox ADD COLUMN expires_in INTEGER",
        "ALTER TABLE group_outbox ADD COLUMN expires_in INTEGER",
        // author: the peer for 1:1 rows (outgoing = 1: this account wrote it), the sender for group rows
        "CREATE VIRTUAL TABLE message_search USING fts5(text, conv UNINDEXED, author UNINDEXED, outgoing UNINDEXED,"
                + " id UNINDEXED, sent_at UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
        // deleted rows are overwritten in the index too, not only unlinked
        "INSERT INTO message_search(message_search, rank) VALUES ('secure-delete', 1)",
        "INSERT INTO message_search(text, conv, author, outgoing, id, sent_at)"
                + " SELECT text, 'u:' || peer, peer, outgoing, id, sent_at FROM messages",
        "INSERT INTO message_search(text, conv, author, outgoing, id, sent_at)"
                + " SELECT text, 'g:' || group_id, sender, outgoing, id, sent_at FROM group_messages WHERE kind = 'TEXT'",
        "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN"
                + " INSERT INTO message_search(text, conv, author, outgoing, id, sent_at)"
                + " VALUES (new.text, 'u:' || new.peer, new.peer, new.outgoing, new.id, new.sent_at); END",
        "CREATE TRIGGER messages_search_update AFTER UPDATE OF text ON messages BEGIN"
                + " UPDATE message_search SET text = new.text WHERE conv = 'u:' || old.peer AND author = old.peer"
                + " AND outgoing = old.outgoing AND id = old.id; END",
        "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN"
                + " DELETE FROM message_search WHERE conv = 'u:' || old.peer AND author = old.peer"
                + " AND outgoing = old.outgoing AND id = old.id; END",
        "CREATE TRIGGER group_messages_search_insert AFTER INSERT ON group_messages WHEN new.kind = 'TEXT' BEGIN"
                + " INSERT INTO message_search(text, conv, author, outgoing, id, sent_at)"
                + " VALUES (new.text, 'g:' || new.group_id, new.sender, new.outgoing, new.id, new.sent_at); END",
        "CREATE TRIGGER group_messages_search_update AFTER UPDATE OF text ON group_messages WHEN new.kind = 'TEXT' BEGIN"
                + " UPDATE message_search SET text = new.text WHERE conv = 'g:' || old.group_id AND author = old.sender"
                + " AND id = old.id; END",
        "CREATE TRIGGER group_messages_search_delete AFTER DELETE ON group_messages WHEN old.kind = 'TEXT' BEGIN"
                + " DELETE FROM message_search WHERE conv = 'g:' || old.group_id AND author = old.sender AND id = old.id; END",
    };

    private ContentTables() {
    }
}
