package dev.parley.client.store;

import dev.parley.client.IncomingMessage;
import dev.parley.client.MessageStatus;
import dev.parley.client.SentElsewhere;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The message history (texts both ways with the state of outgoing ones) and the ids of
 * received messages that deduplicate replays (PROTOCOL.md §6). Part of {@link ClientStore}.
 */
public final class HistoryStore {

    private final ClientStore store;

    HistoryStore(ClientStore store) {
        this.store = store;
    }

    public void saveOutgoing(String peer, String id, String text, long sentAt) {
        store.update("INSERT OR IGNORE INTO messages(peer, id, outgoing, text, sent_at, status) VALUES (?,?,1,?,?,?)",
                peer, id, text, sentAt, MessageStatus.SENDING.name());
    }

    /** The stored status's rank, in SQL: {@link MessageStatus#rank()} of each state. */
    private static final String RANK = Arrays.stream(MessageStatus.values())
            .map(s -> "WHEN '" + s.name() + "' THEN " + s.rank()).collect(Collectors.joining(" ", "(CASE status ", " END)"));

    /**
     * Raises an outgoing message's status by {@link MessageStatus#rank()} (SENDING < STORED =
     * UNDELIVERED = FAILED < DELIVERED < READ); never lowers it, and none of the equal ranks
     * replaces another.
     */
    public void raiseStatus(String peer, String id, MessageStatus status) {
        store.update("UPDATE messages SET status = ? WHERE peer = ? AND id = ? AND outgoing = 1 AND " + RANK + " < ?",
                status.name(), peer, id, status.rank());
    }

    public Optional<MessageStatus> outgoingStatus(String peer, String id) {
        return store.query("SELECT status FROM messages WHERE peer = ? AND id = ? AND outgoing = 1", List.of(peer, id),
                rs -> MessageStatus.valueOf(rs.getString(1))).stream().findFirst();
    }

    public void saveIncoming(IncomingMessage message) {
        store.update("INSERT OR IGNORE INTO messages(peer, id, outgoing, text, sent_at, server_time, status, device)"
                + " VALUES (?,?,0,?,?,?,'UNREAD',?)", message.from(), message.id(), message.text(), message.sentAt(),
                message.serverTime(), message.device());
    }

    /** Received text messages not yet marked read, in the order they arrived. */
    public List<IncomingMessage> unread() {
        return store.query("SELECT peer, id, text, sent_at, server_time, coalesce(device, 0) FROM messages"
                + " WHERE outgoing = 0 AND status = 'UNREAD' ORDER BY rowid", List.of(), rs -> new IncomingMessage(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getInt(6)));
    }

    /**
     * A text another device of this account sent (its sent transcript): an outgoing message,
     * {@code STORED} (the server stored it for that device), not shown yet. A transcript repeated
     * changes nothing.
     */
    public void saveTranscript(SentElsewhere sent) {
        store.update("INSERT OR IGNORE INTO messages(peer, id, outgoing, text, sent_at, status, device, shown)"
                + " VALUES (?,?,1,?,?,?,?,0)", sent.to(), sent.id(), sent.text(), sent.sentAt(), MessageStatus.STORED.name(),
                sent.device());
    }

    /** Texts other devices of this account sent that were not shown here yet, in the order they arrived. */
    public List<SentElsewhere> unshownTranscripts() {
        return store.query("SELECT peer, id, text, sent_at, device FROM messages WHERE outgoing = 1 AND shown = 0 ORDER BY rowid",
                List.of(), rs -> new SentElsewhere(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5)));
    }

    public void markShown(String peer, String id) {
        store.update("UPDATE messages SET shown = 1 WHERE peer = ? AND id = ? AND outgoing = 1", peer, id);
    }

    /**
     * Another device of this account read {@code peer}'s messages up to {@code serverTime}
     * (sync payload 0x07): they are read here too, without a read receipt (that device sent it).
     */
    public int markReadUpTo(String peer, long serverTime) {
        return store.update("UPDATE messages SET status = 'READ' WHERE peer = ? AND outgoing = 0 AND status = 'UNREAD'"
                + " AND server_time <= ?", peer, serverTime);
    }

    /** The latest server time among {@code ids} received from {@code peer} (for the read-up-to sync). */
    public Optional<Long> latestServerTime(String peer, List<String> ids) {
        return ids.stream().flatMap(id -> store.query("SELECT server_time FROM messages WHERE peer = ? AND id = ? AND outgoing = 0"
                + " AND server_time IS NOT NULL", List.of(peer, id), rs -> rs.getLong(1)).stream()).max(Long::compare);
    }

    /** One text of the history as a new device receives it at linking (sync payload 0x0A). */
    public record Entry(boolean outgoing, String peer, String id, long sentAt, String text) {
        @Override
        public String toString() {
            return "Entry[" + (outgoing ? "to " : "from ") + peer + ", id=" + id + ", sentAt=" + sentAt + "]";
        }
    }

    /** The texts sent or received at or after {@code since}, at most {@code limit}, the newest ones, oldest first. */
    public List<Entry> since(long since, int limit) {
        List<Entry> newestFirst = store.query("SELECT outgoing, peer, id, sent_at, text FROM messages WHERE sent_at >= ?"
                + " ORDER BY sent_at DESC, rowid DESC LIMIT ?", List.of(since, limit),
                rs -> new Entry(rs.getInt(1) == 1, rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
        return newestFirst.reversed();
    }

    /** The texts exchanged with {@code peer}, oldest first. */
    public List<Entry> conversation(String peer) {
        return store.query("SELECT outgoing, peer, id, sent_at, text FROM messages WHERE peer = ? ORDER BY sent_at, rowid",
                List.of(peer), rs -> new Entry(rs.getInt(1) == 1, rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5)));
    }

    /**
     * Stores texts brought from another device of this account at linking: received ones as read,
     * sent ones as {@code STORED}; one already here is left as it is.
     */
    public void importEntry(Entry entry) {
        if (entry.outgoing()) {
            store.update("INSERT OR IGNORE INTO messages(peer, id, outgoing, text, sent_at, status) VALUES (?,?,1,?,?,?)",
                    entry.peer(), entry.id(), entry.text(), entry.sentAt(), MessageStatus.STORED.name());
        } else {
            store.update("INSERT OR IGNORE INTO messages(peer, id, outgoing, text, sent_at, status) VALUES (?,?,0,?,?,'READ')",
                    entry.peer(), entry.id(), entry.text(), entry.sentAt());
        }
    }

    /** Marks received messages read; returns true if this one was unread. */
    public boolean markRead(String peer, String id) {
        return store.update("UPDATE messages SET status = 'READ' WHERE peer = ? AND id = ? AND outgoing = 0 AND status = 'UNREAD'", peer, id) > 0;
    }

    public boolean received(String sender, String id) {
        return !store.query("SELECT 1 FROM received WHERE sender = ? AND id = ?", List.of(sender, id), rs -> 1).isEmpty();
    }

    public void markReceived(String sender, String id, long now) {
        store.update("INSERT OR IGNORE INTO received(sender, id, received_at) VALUES (?,?,?)", sender, id, now);
    }

    /** Forgets received ids older than {@code cutoff}: the server forgets them too after its queue TTL. */
    public void pruneReceived(long cutoff) {
        store.update("DELETE FROM received WHERE received_at < ?", cutoff);
    }
}
