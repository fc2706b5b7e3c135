package dev.parley.client.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Message content and controls (schema 8, {@link ContentTables}): what a 0x0F message adds to a
 * text, edits, deletes, reactions, waiting controls, conversation timers, 1:1 system lines,
 * expiry and search. A conversation is a key, {@code u:<username>} or {@code g:<group id>}
 * ({@link #user}, {@link #group}); a message in it is {@code (author, id)}. In a 1:1
 * conversation the author is the peer or this account ({@code self}), which is the
 * {@code messages} row's {@code outgoing}. Part of {@link ClientStore}.
 */
public final class ContentStore {

    /** What a message has beyond its text. {@code attachment}: the encoded pointer-carrying payload, or null. Prints nothing of it. */
    public record Extras(String quoteAuthor, String quoteId, byte[] attachment, int expireSeconds, long expiresAt,
            long serverTime, boolean edited, boolean deleted) {
        @Override
        public String toString() {
            return "Extras[expireSeconds=" + expireSeconds + ", edited=" + edited + ", deleted=" + deleted + "]";
        }
    }

    /** A message of a conversation: its author, whether this account wrote it, its text's row data. Prints no text. */
    public record Row(String author, boolean outgoing, int device, String text, long sentAt, long serverTime) {
        @Override
        public String toString() {
            return "Row[author=" + author + ", outgoing=" + outgoing + ", sentAt=" + sentAt + "]";
        }
    }

    /** A control waiting for its target. */
    public record Waiting(long seq, String sender, int device, byte[] payload, long serverTime) {
    }

    /** A message whose time is up. */
    public record Due(String conv, String author, String id) {
    }

    /** A search result: the conversation key, the author (null for 1:1 rows this account wrote), id, sentAt, snippet. */
    public record Hit(String conv, String author, String id, long sentAt, String snippet) {
        @Override
        public String toString() {
            return "Hit[" + conv + ", " + author + ", " + id + "]";
        }
    }

    private final ClientStore store;

    ContentStore(ClientStore store) {
        this.store = store;
    }

    public static String user(String username) {
        return "u:" + username;
    }

    public static String group(String groupId) {
        return "g:" + groupId;
    }

    private static boolean isGroup(String conv) {
        return conv.startsWith("g:");
    }

    private static String name(String conv) {
        return conv.substring(2);
    }

    // ---- rows -----------------------------------------------------------------------------------

    /** The message {@code (author, id)} of {@code conv}, if held here. */
    public Optional<Row> row(String conv, String self, String author, String id) {
        return rows(conv, self, id).stream().filter(r -> r.author().equals(author)).findFirst();
    }

    /** Every text or message of {@code conv} with this id (ids are the senders' choice: more than one author may use one). */
    public List<Row> rows(String conv, String self, String id) {
        if (isGroup(conv)) {
            return store.query("SELECT g.sender, g.outgoing, coalesce(g.device, 0), g.text, g.sent_at,"
                    + " coalesce(c.server_time, g.server_time, g.sent_at) FROM group_messages g LEFT JOIN message_content c"
                    + " ON c.conv = ? AND c.author = g.sender AND c.id = g.id WHERE g.group_id = ? AND g.id = ? AND g.kind = 'TEXT'",
                    List.of(conv, name(conv), id), rs -> new Row(rs.getString(1), rs.getInt(2) == 1, rs.getInt(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6)));
        }
        String peer = name(conv);
        return store.query("SELECT m.outgoing, coalesce(m.device, 0), m.text, m.sent_at,"
                + " coalesce(c.server_time, m.server_time, m.sent_at) FROM messages m LEFT JOIN message_content c"
                + " ON c.conv = ? AND c.author = (CASE m.outgoing WHEN 1 THEN ? ELSE m.peer END) AND c.id = m.id"
                + " WHERE m.peer = ? AND m.id = ?", List.of(conv, self, peer, id),
                rs -> new Row(rs.getInt(1) == 1 ? self : peer, rs.getInt(1) == 1, rs.getInt(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5)));
    }

    /** Where a message's text is: the table and the condition naming its row. */
    private Object[] where(String conv, String self, String author) {
        return isGroup(conv) ? new Object[] {"group_messages", "group_id = ? AND sender = ? AND id = ?", name(conv), author}
                : new Object[] {"messages", "peer = ? AND outgoing = ? AND id = ?", name(conv), author.equals(self) ? 1 : 0};
    }

    private int updateText(String conv, String self, String author, String id, String text) {
        Object[] w = where(conv, self, author);
        return store.update("UPDATE " + w[0] + " SET text = ? WHERE " + w[1], text, w[2], w[3], id);
    }

    // ---- content --------------------------------------------------------------------------------

    /**
     * Records what a message adds to its text (a repeat changes nothing). {@code serverTime}: when
     * the server stored it (for one of ours not yet stored: when it was queued); it expires
     * {@code expireSeconds} after that.
     */
    public void saveExtras(String conv, String author, String id, String quoteAuthor, String quoteId, byte[] attachment,
            int expireSeconds, long serverTime) {
        store.update("INSERT OR IGNORE INTO message_content(conv, author, id, quote_author, quote_id, attachment,"
                + " expire_seconds, expires_at, server_time) VALUES (?,?,?,?,?,?,?,?,?)", conv, author, id, quoteAuthor, quoteId,
                attachment, expireSeconds, expireSeconds > 0 ? serverTime + expireSeconds * 1000L : null, serverTime);
    }

    public Optional<Extras> extras(String conv, String author, String id) {
        return store.query("SELECT quote_author, quote_id, attachment, expire_seconds, coalesce(expires_at, 0),"
                + " coalesce(server_time, 0), edited, deleted FROM message_content WHERE conv = ? AND author = ? AND id = ?",
                List.of(conv, author, id), rs -> new Extras(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getInt(4),
                        rs.getLong(5), rs.getLong(6), rs.getInt(7) == 1, rs.getInt(8) == 1)).stream().findFirst();
    }

    /** The server stored one of ours at {@code serverTime}: its time, and its expiry, count from then. */
    public void stored(String conv, String author, String id, long serverTime) {
        store.update("UPDATE message_content SET server_time = ?, expires_at = CASE WHEN expire_seconds > 0"
                + " THEN ? + expire_seconds * 1000 END WHERE conv = ? AND author = ? AND id = ?", serverTime, serverTime, conv,
                author, id);
    }

    private void ensureExtras(String conv, String author, String id) {
        store.update("INSERT OR IGNORE INTO message_content(conv, author, id) VALUES (?,?,?)", conv, author, id);
    }

    /** Replaces a message's text (no history kept) and marks it edited; returns whether the message is here. */
    public boolean edit(String conv, String self, String author, String id, String text) {
        synchronized (store) {
            boolean[] done = {false};
            store.transaction(() -> {
                if (updateText(conv, self, author, id, text) > 0) {
                    ensureExtras(conv, author, id);
                    store.update("UPDATE message_content SET edited = 1 WHERE conv = ? AND author = ? AND id = ?", conv, author, id);
                    done[0] = true;
                }
            });
            return done[0];
        }
    }

    /** A delete: text, quote and attachment (its key with it) are erased, reactions too; the message stays as "deleted". */
    public boolean delete(String conv, String self, String author, String id) {
        synchronized (store) {
            boolean[] done = {false};
            store.transaction(() -> {
                if (updateText(conv, self, author, id, "") > 0) {
                    ensureExtras(conv, author, id);
                    store.update("UPDATE message_content SET deleted = 1, quote_author = NULL, quote_id = NULL, attachment = NULL"
                            + " WHERE conv = ? AND author = ? AND id = ?", conv, author, id);
                    store.update("DELETE FROM message_reactions WHERE conv = ? AND author = ? AND id = ?", conv, author, id);
                    done[0] = true;
                }
            });
            return done[0];
        }
    }

    /** {@code reactor}'s reaction to a message: replaced, or removed with an empty emoji. */
    public void react(String conv, String author, String id, String reactor, String emoji) {
        if (emoji.isEmpty()) {
            store.update("DELETE FROM message_reactions WHERE conv = ? AND author = ? AND id = ? AND reactor = ?", conv, author, id,
                    reactor);
        } else {
            store.update("INSERT OR REPLACE INTO message_reactions(conv, author, id, reactor, emoji) VALUES (?,?,?,?,?)", conv,
                    author, id, reactor, emoji);
        }
    }

    public Map<String, String> reactions(String conv, String author, String id) {
        Map<String, String> reactions = new TreeMap<>();
        store.query("SELECT reactor, emoji FROM message_reactions WHERE conv = ? AND author = ? AND id = ?",
                List.of(conv, author, id), rs -> reactions.put(rs.getString(1), rs.getString(2)));
        return reactions;
    }

    // ---- timers and system lines ----------------------------------------------------------------------

    /** The conversation's timer in seconds (0: off). */
    public int timer(String conv) {
        return store.query("SELECT seconds FROM conversation_timers WHERE conv = ?", List.of(conv), rs -> rs.getInt(1)).stream()
                .findFirst().orElse(0);
    }

    public void setTimer(String conv, int seconds) {
        store.update("INSERT OR REPLACE INTO conversation_timers(conv, seconds) VALUES (?,?)", conv, seconds);
    }

    /** A system line of a 1:1 conversation ("bob set disappearing messages to 5 minutes"). */
    public void addLine(String conv, String text, long at) {
        store.update("INSERT INTO conversation_lines(conv, text, at) VALUES (?,?,?)", conv, text, at);
    }

    public List<String> lines(String conv) {
        return store.query("SELECT text FROM conversation_lines WHERE conv = ? ORDER BY seq", List.of(conv), rs -> rs.getString(1));
    }

    // ---- waiting controls ----------------------------------------------------------------------------

    public void await(String conv, String targetId, String sender, int device, byte[] payload, long serverTime, long now) {
        store.update("INSERT INTO waiting_controls(conv, target_id, sender, device, payload, server_time, received_at)"
                + " VALUES (?,?,?,?,?,?,?)", conv, targetId, sender, device, payload, serverTime, now);
    }

    public int waitingCount(String conv) {
        return store.query("SELECT count(*) FROM waiting_controls WHERE conv = ?", List.of(conv), rs -> rs.getInt(1)).getFirst();
    }

    /** The controls waiting for a message with this id, in the order they came. */
    public List<Waiting> waiting(String conv, String targetId) {
        return store.query("SELECT seq, sender, device, payload, server_time FROM waiting_controls WHERE conv = ?"
                + " AND target_id = ? ORDER BY seq", List.of(conv, targetId), rs -> new Waiting(rs.getLong(1), rs.getString(2),
                        rs.getInt(3), rs.getBytes(4), rs.getLong(5)));
    }

    public void removeWaiting(long seq) {
        store.update("DELETE FROM waiting_controls WHERE seq = ?", seq);
    }

    /** Drops controls that waited since before {@code cutoff}; returns how many. */
    public int dropWaitingBefore(long cutoff) {
        return store.update("DELETE FROM waiting_controls WHERE received_at < ?", cutoff);
    }

    // ---- expiry -------------------------------------------------------------------------------------------

    /** Messages whose time is up at {@code now}. */
    public List<Due> due(long now) {
        return store.query("SELECT conv, author, id FROM message_content WHERE expires_at IS NOT NULL AND expires_at <= ?",
                List.of(now), rs -> new Due(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /** The earliest expiry held, if any. */
    public Optional<Long> nextExpiry() {
        return store.query("SELECT min(expires_at) FROM message_content WHERE expires_at IS NOT NULL", List.of(),
                rs -> rs.getObject(1) == null ? null : rs.getLong(1)).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /**
     * Erases a message: its text row (and so its search entry), what it added, its reactions and
     * the controls waiting for it. With {@code secure_delete} on, SQLite overwrites the freed
     * content instead of only unlinking it.
     */
    public void erase(String conv, String self, String author, String id) {
        synchronized (store) {
            store.transaction(() -> {
                Object[] w = where(conv, self, author);
                store.update("DELETE FROM " + w[0] + " WHERE " + w[1], w[2], w[3], id);
                store.update("DELETE FROM message_content WHERE conv = ? AND author = ? AND id = ?", conv, author, id);
                store.update("DELETE FROM message_reactions WHERE conv = ? AND author = ? AND id = ?", conv, author, id);
                store.update("DELETE FROM waiting_controls WHERE conv = ? AND target_id = ?", conv, id);
                if (isGroup(conv)) {
                    store.update("DELETE FROM group_receipts WHERE group_id = ? AND id = ?", name(conv), id);
                }
            });
        }
    }

    // ---- search ----------------------------------------------------------------------------------------------

    /** Full-text search ({@code match}: an FTS5 query) over every text held, best first, at most {@code limit}. */
    public List<Hit> search(String match, int limit) {
        return store.query("SELECT conv, author, outgoing, id, sent_at, snippet(message_search, 0, '[', ']', '…', 12)"
                + " FROM message_search WHERE message_search MATCH ? ORDER BY rank LIMIT ?", List.of(match, limit),
                rs -> new Hit(rs.getString(1), !isGroup(rs.getString(1)) && rs.getInt(3) == 1 ? null : rs.getString(2),
                        rs.getString(4), rs.getLong(5), rs.getString(6)));
    }
}
