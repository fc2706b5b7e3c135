package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.QueueLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the queue limits are checked against: undelivered messages per device queue (a
 * recipient's device), per (device queue, sender), and the characters (envelope and content,
 * a {@code send_multi} body once) each sender has waiting over all device queues. Kept in memory by the database writer, the only thread that changes
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

    /**
     * The condition of an undelivered copy: it has its own envelope or a {@code send_multi}
     * body (V6). Written exactly so, so that SQLite uses the {@code messages_pending} index.
     */
    static final String PENDING = "(envelope IS NOT NULL OR body_id IS NOT NULL)";

    private static final String LOAD = "SELECT recipient, recipient_device, sender, COUNT(*), SUM(stored_chars) FROM messages "
            + "WHERE " + PENDING + " GROUP BY recipient, recipient_device, sender";
    private static final String LOAD_BODIES = "SELECT sender, SUM(stored_chars) FROM message_bodies GROUP BY sender";

    /** One device's queue. */
    private record QueueKey(String recipient, int device) {
    }

    /** Undelivered messages of one device queue, in total and per sender. */
    private static final class Queue {
        int total;
        final Map<String, Integer> bySender = new HashMap<>();
    }

    private final Map<QueueKey, Queue> queues = new HashMap<>();
    private final Map<String, Long> charsBySender = new HashMap<>();
    /** The writer's statements for the bodies released by {@link #deleteCounted} (this class is the writer's alone). */
    private final WriterStatements statements = new WriterStatements();
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
                add(row.getString(1), row.getInt(2), row.getString(3), row.getInt(4), row.getLong(5));
            }
        }
        try (PreparedStatement select = connection.prepareStatement(LOAD_BODIES); ResultSet row = select.executeQuery()) {
            while (row.next()) {
                bodyQueued(row.getString(1), row.getLong(2));
            }
        }
        stale = false;
    }

    /**
     * The refusal due if a copy of {@code chars} from {@code sender} were queued for
     * {@code recipient}'s {@code device}, or null; {@code alsoQueuing} counts the characters of
     * the same send's other copies checked before this one (they are queued together or not at all).
     */
    AppendResult refusal(String recipient, int device, String sender, int chars, long alsoQueuing, QueueLimits limits) {
        Queue queue = queues.get(new QueueKey(recipient, device));
        if (queue != null && queue.total >= limits.queueCap()) {
            return new AppendResult.QueueFull();
        }
        if (queue != null && queue.bySender.getOrDefault(sender, 0) >= limits.senderShare()) {
            return new AppendResult.QueueShareFull();
        }
        if (charsBySender.getOrDefault(sender, 0L) + alsoQueuing + chars > limits.senderBytes()) {
            return new AppendResult.QuotaExceeded();
        }
        return null;
    }

    /**
     * The refusal due (the quota) if {@code sender} queued {@code chars} more, or null. Checked
     * once per {@code send_multi}, over its body and all its new copies together.
     */
    AppendResult quotaRefusal(String sender, long chars, QueueLimits limits) {
        return charsBySender.getOrDefault(sender, 0L) + chars > limits.senderBytes() ? new AppendResult.QuotaExceeded() : null;
    }

    /**
     * Runs a {@code DELETE FROM messages ...} (bound by {@code binder}), takes the undelivered
     * messages among the deleted rows off the counts, and deletes the {@code send_multi}
     * bodies no pending copy refers to any more; returns how many rows were deleted. Every
     * deletion of queued copies (expiry, unlink, identity reset) goes through here.
     */
    int deleteCounted(Connection connection, String delete, Jdbc.Binder binder) throws SQLException {
        int deleted = 0;
        Set<Long> bodies = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                delete + " RETURNING recipient, recipient_device, sender, stored_chars, " + PENDING + ", body_id")) {
            binder.bind(statement);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    deleted++;
                    if (row.getBoolean(5)) {
                        removed(row.getString(1), row.getInt(2), row.getString(3), row.getInt(4));
                    }
                    long body = row.getLong(6);
                    if (!row.wasNull()) {
                        bodies.add(body);
                    }
                }
            }
        }
        for (long body : bodies) {
            MessageBodies.releaseIfUnreferenced(statements, connection, this, body);
        }
        return deleted;
    }

    /** A {@code send_multi} body of {@code chars} was stored: the sender's quota counts it once. */
    void bodyQueued(String sender, long chars) {
        charsBySender.merge(sender, chars, Long::sum);
    }

    /** A body was deleted with its last pending copy. */
    void bodyRemoved(String sender, long chars) {
        if (charsBySender.merge(sender, -chars, Long::sum) <= 0) {
            charsBySender.remove(sender);
        }
    }

    /** A copy was queued. */
    void queued(String recipient, int device, String sender, int chars) {
        add(recipient, device, sender, 1, chars);
    }

    /** A queued copy was erased (acknowledged) or deleted (expired, its device unlinked, its recipient reset). */
    void removed(String recipient, int device, String sender, int chars) {
        add(recipient, device, sender, -1, -chars);
    }

    private void add(String recipient, int device, String sender, int messages, long chars) {
        var key = new QueueKey(recipient, device);
        Queue queue = queues.computeIfAbsent(key, r -> new Queue());
        queue.total += messages;
        if (queue.bySender.merge(sender, messages, Integer::sum) <= 0) {
            queue.bySender.remove(sender);
        }
        if (queue.total <= 0) {
            queues.remove(key);
        }
        if (charsBySender.merge(sender, chars, Long::sum) <= 0) {
            charsBySender.remove(sender);
        }
    }
}
