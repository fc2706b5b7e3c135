package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.QueueLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the queue limits are checked against: undelivered messages per recipient, per
 * (recipient, sender), and the envelope characters each sender has waiting over all
 * recipients. Kept in memory by the database writer, the only thread that changes
 * {@code messages} on SQLite, and changed by each write right after its statement, so that a
 * check sees the batch's earlier writes too. A check costs two map look-ups instead of a
 * statement, and a message no counting statement: counted in tables (kept by triggers), the
 * three counts cost about a sixth of the server's CPU per relayed message
 * (docs/BENCHMARKS.md, "Hardening").
 *
 * <p>Invariant: once {@link #ensureLoaded} has run in the current transaction, the counts equal
 * what {@code messages} holds in that transaction. Any rollback breaks it, so the writer calls
 * {@link #invalidate} whenever it rolls anything back, and the next use reloads the counts from
 * the table inside its own transaction. Rollbacks only follow failures, so reloads are rare.
 */
public final class QueueCounts {

    private static final String LOAD = "SELECT recipient, sender, COUNT(*), SUM(envelope_chars) FROM messages "
            + "WHERE envelope IS NOT NULL GROUP BY recipient, sender";

    /** Undelivered messages of one recipient, in total and per sender. */
    private static final class Queue {
        int total;
        final Map<String, Integer> bySender = new HashMap<>();
    }

    private final Map<String, Queue> queues = new HashMap<>();
    private final Map<String, Long> charsBySender = new HashMap<>();
    private volatile boolean stale = true;

    /** Something the writer did was rolled back: reload before the next use. Any thread. */
    public void invalidate() {
        stale = true;
    }

    /** Loads the counts from {@code messages} if they may be wrong; in the writer's transaction. */
    void ensureLoaded(Connection connection) throws SQLException {
        if (!stale) {
            return;
        }
        queues.clear();
        charsBySender.clear();
        try (PreparedStatement select = connection.prepareStatement(LOAD); ResultSet row = select.executeQuery()) {
            while (row.next()) {
                add(row.getString(1), row.getString(2), row.getInt(3), row.getLong(4));
            }
        }
        stale = false;
    }

    /** The refusal due if a message of {@code chars} from {@code sender} were queued for {@code recipient}, or null. */
    AppendResult refusal(String recipient, String sender, int chars, QueueLimits limits) {
        Queue queue = queues.get(recipient);
        if (queue != null && queue.total >= limits.queueCap()) {
            return new AppendResult.QueueFull();
        }
        if (queue != null && queue.bySender.getOrDefault(sender, 0) >= limits.senderShare()) {
            return new AppendResult.QueueShareFull();
        }
        if (charsBySender.getOrDefault(sender, 0L) + chars > limits.senderBytes()) {
            return new AppendResult.QuotaExceeded();
        }
        return null;
    }

    /**
     * Runs a {@code DELETE FROM messages ...} (bound by {@code binder}) and takes the undelivered
     * messages among the deleted rows off the counts; returns how many rows were deleted.
     */
    int deleteCounted(Connection connection, String delete, Jdbc.Binder binder) throws SQLException {
        int deleted = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                delete + " RETURNING recipient, sender, envelope_chars, envelope IS NOT NULL")) {
            binder.bind(statement);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    deleted++;
                    if (row.getBoolean(4)) {
                        removed(row.getString(1), row.getString(2), row.getInt(3));
                    }
                }
            }
        }
        return deleted;
    }

    /** A message was queued. */
    void queued(String recipient, String sender, int chars) {
        add(recipient, sender, 1, chars);
    }

    /** A queued message was erased (acknowledged) or deleted (expired, or its recipient reset). */
    void removed(String recipient, String sender, int chars) {
        add(recipient, sender, -1, -chars);
    }

    private void add(String recipient, String sender, int messages, long chars) {
        Queue queue = queues.computeIfAbsent(recipient, r -> new Queue());
        queue.total += messages;
        if (queue.bySender.merge(sender, messages, Integer::sum) <= 0) {
            queue.bySender.remove(sender);
        }
        if (queue.total <= 0) {
            queues.remove(recipient);
        }
        if (charsBySender.merge(sender, chars, Long::sum) <= 0) {
            charsBySender.remove(sender);
        }
    }
}
