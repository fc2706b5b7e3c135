package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.BatchListener;
import dev.parley.server.storage.Engine;
import dev.parley.server.storage.LockKeys;
import dev.parley.server.storage.QueueLimits;
import dev.parley.server.storage.StoredMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
 * <p>Invariant (SQLite): once {@link #ensureLoaded} has run in the current transaction, the counts equal
 * what {@code messages} holds in that transaction. Any rollback breaks it, so the writer says
 * whenever it rolls anything back ({@link #rolledBack}), and the next use reloads the counts from
 * the table inside its own transaction. Rollbacks only follow failures, so reloads are rare.
 *
 * <p>On PostgreSQL other nodes change {@code messages} too, so nothing is kept from one batch to
 * the next. A write that checks limits first reads the counts it needs ({@link #ensureLoaded(Connection,
 * String, String)}: the recipient's device queues, the sender's characters) from the tables, in
 * the batch's transaction, after the batch took its advisory locks (those of all the batch's sends
 * at once, in one statement: {@link #beforeWrites}); they are kept, and changed by
 * the batch's own writes, until the batch ends. While the batch holds the locks of the recipient
 * and the sender, no other transaction can add to those counts (others may only lower them), so
 * the limits are exact cluster-wide. Counts of accounts not read in this batch are not kept.
 *
 * <p>{@code send_multi} bodies are released through {@link #releaseBody}: on SQLite at once; on
 * PostgreSQL at the end of the batch ({@link #beforeCommit}), all the batch's candidates locked
 * in ascending id order in one statement first. A body's last copies may belong to accounts
 * whose acks commit on different nodes at once; under the body's row lock the second one to
 * check sees the first one's release, so the body is deleted, and ordered locking cannot
 * deadlock.
 */
public final class QueueCounts implements BatchListener {

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
        /**
         * PostgreSQL: the highest {@code seq} among the queue's undelivered copies as read in this
         * batch, raised by the batch's inserts and never lowered by its removals, so never below
         * the true highest ({@link #queued}).
         */
        long lastSeq;
    }

    private final Map<QueueKey, Queue> queues = new HashMap<>();
    private final Map<String, Long> charsBySender = new HashMap<>();
    /** The writer's statements for the bodies released by {@link #deleteCounted} (this class is the writer's alone). */
    private final WriterStatements statements = new WriterStatements();
    /** PostgreSQL: counts are read per batch, for the accounts a batch checks. */
    private final boolean perBatch;
    /** PostgreSQL: recipients whose device queues were read in this batch. */
    private final Set<String> loadedRecipients = new HashSet<>();
    /** PostgreSQL: senders whose characters were read in this batch. */
    private final Set<String> loadedSenders = new HashSet<>();
    /** PostgreSQL: bodies that may have lost their last pending copy in this batch. */
    private final Set<Long> bodiesToRelease = new HashSet<>();
    /** PostgreSQL: the device lists of the recipients read in this batch. */
    private final BatchDeviceLists lists = new BatchDeviceLists();
    private volatile boolean stale = true;

    public QueueCounts(Engine engine) {
        this.perBatch = engine.shared();
    }

    /** Something the writer did was rolled back: reload before the next use. */
    @Override
    public void rolledBack() {
        stale = true;
        if (perBatch) {
            forget();
        }
    }

    /**
     * PostgreSQL: reads the counts of every account the batch's sends check, in one statement,
     * after the batch took its locks and before its first write; the writes then keep them in
     * step. {@link #ensureLoaded(Connection, String, String)} reads what is still missing (an
     * account a write checks without having declared it, and all of them after a rollback).
     */
    @Override
    public void beforeWrites(Connection connection, LockKeys.Counted counted) throws SQLException {
        if (perBatch) {
            load(connection, counted.recipients(), counted.senders());
        }
    }

    /**
     * Reads, in the writer's transaction, the device queues of those of {@code recipients} and
     * the characters of those of {@code senders} not read in this batch yet (PostgreSQL).
     */
    private void load(Connection connection, Collection<String> recipients, Collection<String> senders) throws SQLException {
        List<String> newRecipients = recipients.stream().filter(name -> !loadedRecipients.contains(name)).toList();
        List<String> newSenders = senders.stream().filter(name -> !loadedSenders.contains(name)).toList();
        if (newRecipients.isEmpty() && newSenders.isEmpty()) {
            return;
        }
        PreparedStatement select = statements.prepare(connection, BatchCountStatements.LOAD_BATCH);
        select.setArray(1, connection.createArrayOf("text", newRecipients.toArray()));
        select.setArray(2, connection.createArrayOf("text", newSenders.toArray()));
        select.setArray(3, connection.createArrayOf("text", newRecipients.toArray()));
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                long count = row.getLong(5);
                int kind = row.getInt(1);
                if (kind == 0) {
                    Queue queue = addToQueue(row.getString(2), row.getInt(3), row.getString(4), (int) count);
                    queue.lastSeq = Math.max(queue.lastSeq, row.getLong(6));
                } else if (kind == 2) {
                    int device = row.getInt(3);
                    lists.listed(row.getString(2), row.wasNull() ? null : device);
                } else if (count > 0) {
                    charsBySender.merge(row.getString(2), count, Long::sum);
                }
            }
        }
        lists.read(newRecipients);
        loadedRecipients.addAll(newRecipients);
        loadedSenders.addAll(newSenders);
    }

    /** PostgreSQL: releases the bodies that may have lost their last copy in this batch, in ascending id order. */
    @Override
    public void beforeCommit(Connection connection) throws SQLException {
        if (bodiesToRelease.isEmpty()) {
            return;
        }
        Long[] ids = bodiesToRelease.stream().sorted().toArray(Long[]::new);
        bodiesToRelease.clear();
        PreparedStatement lock = statements.prepare(connection, BatchCountStatements.LOCK_BODIES);
        lock.setArray(1, connection.createArrayOf("bigint", ids));
        lock.executeQuery().close();
        for (long body : ids) {
            MessageBodies.releaseIfUnreferenced(statements, connection, this, body);
        }
    }

    @Override
    public void ended() {
        if (perBatch) {
            forget();
        }
    }

    private void forget() {
        queues.clear();
        charsBySender.clear();
        loadedRecipients.clear();
        loadedSenders.clear();
        bodiesToRelease.clear();
        lists.clear();
    }

    /** The device lists read with this batch's counts (PostgreSQL; always empty on SQLite). */
    BatchDeviceLists lists() {
        return lists;
    }

    /**
     * Deletes a {@code send_multi} body if no copy refers to it any more (see the class comment
     * for when); the caller has just erased or deleted a copy of it. Writer thread only.
     */
    void releaseBody(Connection connection, long body) throws SQLException {
        if (perBatch) {
            bodiesToRelease.add(body);
        } else {
            MessageBodies.releaseIfUnreferenced(statements, connection, this, body);
        }
    }

    /**
     * Makes the counts a check of a copy from {@code sender} to {@code recipient} needs true in
     * the writer's transaction: on SQLite all of them ({@link #ensureLoaded(Connection)}), on
     * PostgreSQL the recipient's device queues and the sender's characters, each read once per batch.
     */
    void ensureLoaded(Connection connection, String recipient, String sender) throws SQLException {
        if (!perBatch) {
            ensureLoaded(connection);
            return;
        }
        load(connection, List.of(recipient), List.of(sender));
    }

    /** Like {@link #ensureLoaded(Connection, String, String)}, for the sender's characters alone (its quota). */
    void ensureSenderLoaded(Connection connection, String sender) throws SQLException {
        if (!perBatch) {
            ensureLoaded(connection);
            return;
        }
        load(connection, List.of(), List.of(sender));
    }

    /**
     * SQLite: loads the counts from {@code messages} if they may be wrong; in the writer's
     * transaction. PostgreSQL: nothing (counts are read per account when a check needs them,
     * and changes to counts not read are not kept).
     */
    void ensureLoaded(Connection connection) throws SQLException {
        if (perBatch || !stale) {
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
        requireLoaded(recipient, sender);
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
        requireLoaded(null, sender);
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
            releaseBody(connection, body);
        }
        return deleted;
    }

    /** PostgreSQL: a check must only ever see counts read in this batch. */
    private void requireLoaded(String recipient, String sender) {
        if (perBatch && (recipient != null && !loadedRecipients.contains(recipient) || !loadedSenders.contains(sender))) {
            throw new IllegalStateException("queue counts checked before they were read in this batch");
        }
    }

    /** Whether this sender's characters are counted here (always on SQLite; once read in this batch on PostgreSQL). */
    private boolean counted(String sender) {
        return !perBatch || loadedSenders.contains(sender);
    }

    /** A {@code send_multi} body of {@code chars} was stored: the sender's quota counts it once. */
    void bodyQueued(String sender, long chars) {
        if (counted(sender)) {
            charsBySender.merge(sender, chars, Long::sum);
        }
    }

    /** A body was deleted with its last pending copy. */
    void bodyRemoved(String sender, long chars) {
        if (counted(sender) && charsBySender.merge(sender, -chars, Long::sum) <= 0) {
            charsBySender.remove(sender);
        }
    }

    /**
     * The copy {@code seq} for {@code recipient}'s {@code device} was queued: counts it and returns
     * its {@link StoredMessage#previousPending}. On PostgreSQL, once the recipient's queues were read
     * in this batch, that is the highest {@code seq} of the device's undelivered copies before this
     * one, or 0 if it had none: the batch holds the recipient's lock from that read to its commit,
     * so no other node adds a copy meanwhile, and the value is never below the truth (a removal
     * does not lower it; a queue emptied by removals has no undelivered copy left). On SQLite, and
     * for a recipient not read, {@link StoredMessage#PREVIOUS_UNKNOWN}.
     */
    long queued(String recipient, int device, String sender, int chars, long seq) {
        Queue queue = add(recipient, device, sender, 1, chars);
        if (!perBatch || queue == null) {
            return StoredMessage.PREVIOUS_UNKNOWN;
        }
        long previous = queue.lastSeq;
        queue.lastSeq = Math.max(previous, seq);
        return previous;
    }

    /** A queued copy was erased (acknowledged) or deleted (expired, its device unlinked, its recipient reset). */
    void removed(String recipient, int device, String sender, int chars) {
        add(recipient, device, sender, -1, -chars);
    }

    /** Changes the counts; returns the device queue's entry, or null when its recipient's are not counted here. */
    private Queue add(String recipient, int device, String sender, int messages, long chars) {
        Queue queue = null;
        if (!perBatch || loadedRecipients.contains(recipient)) {
            queue = addToQueue(recipient, device, sender, messages);
        }
        if (counted(sender) && charsBySender.merge(sender, chars, Long::sum) <= 0) {
            charsBySender.remove(sender);
        }
        return queue;
    }

    /** Adds {@code messages} to one device queue's counts and returns its entry (no longer kept once empty). */
    private Queue addToQueue(String recipient, int device, String sender, int messages) {
        var key = new QueueKey(recipient, device);
        Queue queue = queues.computeIfAbsent(key, r -> new Queue());
        queue.total += messages;
        if (queue.bySender.merge(sender, messages, Integer::sum) <= 0) {
            queue.bySender.remove(sender);
        }
        if (queue.total <= 0) {
            queues.remove(key);
        }
        return queue;
    }
}
