package dev.parley.client.store;

/**
 * Schema version 6, groups (docs/CLIENT-MODEL.md, "Groups"): the state each group was last
 * applied to here, the changes held for a gap, the snapshot parts being collected, this
 * device's sending chain per group with the devices it was distributed to, the receiving
 * chains per (group, sender, device), the group history with per-member receipts of one's own
 * messages, and the group outbox: entries sent with {@code send_multi}, sealed once (the shared
 * content and a pairwise envelope per device), each recipient account until the server stored
 * its copies.
 */
final class GroupTables {

    static final String[] STATEMENTS = {
        // status: ACTIVE, REMOVED (this account was removed), LEFT (this account left)
        "CREATE TABLE groups (id TEXT PRIMARY KEY, state BLOB NOT NULL, hash BLOB NOT NULL, version INTEGER NOT NULL,"
                + " status TEXT NOT NULL, created_at INTEGER NOT NULL)",
        "CREATE TABLE group_held_changes (group_id TEXT NOT NULL, version INTEGER NOT NULL, change BLOB NOT NULL,"
                + " hash BLOB NOT NULL, held_at INTEGER NOT NULL, PRIMARY KEY (group_id, hash))",
        "CREATE TABLE group_snapshot_parts (group_id TEXT NOT NULL, sender TEXT NOT NULL, version INTEGER NOT NULL,"
                + " hash BLOB NOT NULL, idx INTEGER NOT NULL, total INTEGER NOT NULL, part BLOB NOT NULL,"
                + " received_at INTEGER NOT NULL, PRIMARY KEY (group_id, sender, hash, idx))",
        "CREATE TABLE group_sender_chains (group_id TEXT PRIMARY KEY, chain BLOB NOT NULL)",
        "CREATE TABLE group_distributed (group_id TEXT NOT NULL, username TEXT NOT NULL, device INTEGER NOT NULL,"
                + " PRIMARY KEY (group_id, username, device))",
        "CREATE TABLE group_receivers (group_id TEXT NOT NULL, username TEXT NOT NULL, device INTEGER NOT NULL,"
                + " receiver BLOB NOT NULL, PRIMARY KEY (group_id, username, device))",
        // kind: TEXT, SYSTEM, WARNING. status of outgoing texts: MessageStatus; of incoming: UNREAD, READ.
        // device: the sending device (outgoing: NULL when this one). seen = 0: not yet shown (incoming unread,
        // or an outgoing text another device of this account sent).
        "CREATE TABLE group_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, group_id TEXT NOT NULL, id TEXT NOT NULL,"
                + " sender TEXT NOT NULL, device INTEGER, outgoing INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,"
                + " sent_at INTEGER NOT NULL, server_time INTEGER, status TEXT NOT NULL, seen INTEGER NOT NULL,"
                + " UNIQUE (group_id, sender, id))",
        "CREATE TABLE group_receipts (group_id TEXT NOT NULL, id TEXT NOT NULL, member TEXT NOT NULL, read INTEGER NOT NULL,"
                + " PRIMARY KEY (group_id, id, member))",
        // kind: MESSAGE (content = GroupMessage, envelopes = sender key distributions) or UPDATE (a change or snapshot
        // part as a whole pairwise message per device: content NULL, envelopes = the update in each device's session).
        // payload: the encoded payload until sealed; pairwise: the encoded payload a device that joins a recipient's list
        // gets in its envelope (a message: the sender key distribution its content needs; an update: the update).
        "CREATE TABLE group_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, group_id TEXT NOT NULL,"
                + " kind TEXT NOT NULL, payload BLOB, content TEXT, pairwise BLOB, created_at INTEGER NOT NULL)",
        // recipient accounts of an entry (in sending order: added members first), until the server stored their copies
        "CREATE TABLE group_outbox_recipients (id TEXT NOT NULL, username TEXT NOT NULL, position INTEGER NOT NULL,"
                + " PRIMARY KEY (id, username), FOREIGN KEY (id) REFERENCES group_outbox(id) ON DELETE CASCADE)",
        "CREATE TABLE group_outbox_envelopes (id TEXT NOT NULL, username TEXT NOT NULL, device INTEGER NOT NULL,"
                + " envelope TEXT, PRIMARY KEY (id, username, device),"
                + " FOREIGN KEY (id) REFERENCES group_outbox(id) ON DELETE CASCADE)"
    };

    private GroupTables() {
    }
}
