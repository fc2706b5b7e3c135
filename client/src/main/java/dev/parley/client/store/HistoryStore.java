package dev.parley.client.store;

import dev.parley.client.IncomingMessage;
import dev.parley.client.MessageStatus;
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
        store.update("INSERT OR IGNORE INTO messages(peer, id, outgoing, text, sent_at, server_time, status) VALUES (?,?,0,?,?,?,'UNREAD')",
                message.from(), message.id(), message.text(), message.sentAt(), message.serverTime());
    }

    /** Received text messages not yet marked read, in the order they arrived. */
    public List<IncomingMessage> unread() {
        return store.query("SELECT peer, id, text, sent_at, server_time FROM messages WHERE outgoing = 0 AND status = 'UNREAD' ORDER BY rowid",
                List.of(), rs -> new IncomingMessage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
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
