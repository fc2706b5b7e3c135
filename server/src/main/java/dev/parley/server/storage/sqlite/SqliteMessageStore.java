package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.LockKeys;
import dev.parley.server.storage.MessageStore;
import dev.parley.server.storage.MultiAppendResult;
import dev.parley.server.storage.OutgoingMessage;
import dev.parley.server.storage.OutgoingMulti;
import dev.parley.server.storage.QueueLimits;
import dev.parley.server.storage.StoredMessage;
import dev.parley.server.storage.WriteQueue;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * {@link MessageStore} on SQLite; every write goes through the group-committing {@link WriteQueue}.
 * The device check reads the recipient's list in the same transaction that stores the copies,
 * so a send can never be stored for a list that an unlink or a link has just replaced. The
 * queue limits are checked against {@link QueueCounts}, which every write here keeps in step
 * with {@code messages}. Every write declares the accounts whose rows it changes ({@link LockKeys}):
 * a send its recipient and its sender (the sender's quota), an ack its recipient.
 */
public final class SqliteMessageStore extends SqliteStore implements MessageStore {

    private final WriterStatements statements = new WriterStatements();
    private final QueueCounts counts;
    private final MultiAppend multi;

    public SqliteMessageStore(DataSource dataSource, WriteQueue writes, QueueCounts counts) {
        super(dataSource, writes);
        this.counts = counts;
        this.multi = new MultiAppend(statements, counts);
    }

    /** {@link QueueCounts#PENDING} for the table aliased {@code alias}. */
    private static String pendingIn(String alias) {
        return "(" + alias + ".envelope IS NOT NULL OR " + alias + ".body_id IS NOT NULL)";
    }

    @Override
    public CompletableFuture<AppendResult> append(OutgoingMessage message, QueueLimits limits) {
        return writes.submit(LockKeys.send(message.sender(), List.of(message.recipient())), connection -> {
            counts.ensureLoaded(connection, message.recipient(), message.sender()); // on PostgreSQL with the device list
            AppendResult mismatch = checkDevices(connection, message);
            if (mismatch != null) {
                return mismatch;
            }
            // Most sends are new: check the limits as if every copy were, and insert ignoring the
            // copies stored before. Only a send that meets a limit looks for earlier copies
            // first, so that a resend of a stored message is a duplicate, not a refusal.
            List<DeviceEnvelope> fresh = message.copies();
            if (refusal(message, fresh, limits) != null) {
                fresh = notStoredBefore(connection, message);
                AppendResult refused = refusal(message, fresh, limits);
                if (refused != null) {
                    return refused;
                }
            }
            List<StoredMessage> stored = new ArrayList<>(fresh.size());
            for (DeviceEnvelope copy : fresh) {
                StoredMessage inserted = insert(connection, message, copy);
                if (inserted != null) {
                    stored.add(inserted);
                }
            }
            if (stored.isEmpty()) {
                return new AppendResult.Duplicate();
            }
            return new AppendResult.Stored(stored);
        });
    }

    /** The first limit that queuing all of {@code copies} would pass, or null. */
    private AppendResult refusal(OutgoingMessage message, List<DeviceEnvelope> copies, QueueLimits limits) {
        long alsoQueuing = 0;
        for (DeviceEnvelope copy : copies) {
            int chars = message.storedChars(copy);
            AppendResult refused = counts.refusal(message.recipient(), copy.device(), message.sender(), chars, alsoQueuing, limits);
            if (refused != null) {
                return refused;
            }
            alsoQueuing += chars;
        }
        return null;
    }

    private List<DeviceEnvelope> notStoredBefore(Connection connection, OutgoingMessage message) throws SQLException {
        List<DeviceEnvelope> fresh = new ArrayList<>();
        for (DeviceEnvelope copy : message.copies()) {
            if (!isStored(connection, message, copy.device())) {
                fresh.add(copy);
            }
        }
        return fresh;
    }

    /** The refusal when the copies are not for exactly the recipient's listed devices, else null. */
    private AppendResult checkDevices(Connection connection, OutgoingMessage message) throws SQLException {
        Set<Integer> named = new TreeSet<>();
        message.copies().forEach(copy -> named.add(copy.device()));
        return checkDevices(statements, connection, counts.lists(), message.recipient(), message.sender(), message.senderDevice(),
                named);
    }

    /**
     * The refusal when {@code named} is not exactly {@code recipient}'s listed devices (minus the
     * sending device when the recipient is the sender's own account), else null: the one device
     * check of both sends, read in the writer's transaction.
     */
    static AppendResult checkDevices(WriterStatements statements, Connection connection, BatchDeviceLists lists, String recipient,
                                     String sender, int senderDevice, Set<Integer> named) throws SQLException {
        Set<Integer> expected = DeviceListTable.deviceIds(statements, connection, lists, recipient);
        if (expected == null) {
            return new AppendResult.NoDeviceList();
        }
        if (recipient.equals(sender)) {
            expected.remove(senderDevice);
        }
        if (named.equals(expected)) {
            return null;
        }
        List<Integer> missing = expected.stream().filter(id -> !named.contains(id)).toList();
        List<Integer> extra = named.stream().filter(id -> !expected.contains(id)).toList();
        return new AppendResult.MismatchedDevices(missing, extra);
    }

    /** Inserts one copy; null when this device's copy was stored before. */
    private StoredMessage insert(Connection connection, OutgoingMessage message, DeviceEnvelope copy) throws SQLException {
        PreparedStatement insert = statements.prepare(connection,
                "INSERT INTO messages (recipient, recipient_device, sender, sender_device, message_id, envelope, content, "
                        + "stored_chars, server_time, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (recipient, recipient_device, sender, message_id) DO NOTHING RETURNING seq");
        insert.setString(1, message.recipient());
        insert.setInt(2, copy.device());
        insert.setString(3, message.sender());
        insert.setInt(4, message.senderDevice());
        insert.setString(5, message.messageId());
        insert.setString(6, copy.envelope());
        insert.setString(7, message.content());
        insert.setInt(8, message.storedChars(copy));
        insert.setLong(9, message.serverTime());
        insert.setLong(10, message.expiresAt());
        long seq;
        try (ResultSet row = insert.executeQuery()) {
            if (!row.next()) {
                return null; // stored before
            }
            seq = row.getLong(1);
        }
        long previous = counts.queued(message.recipient(), copy.device(), message.sender(), message.storedChars(copy), seq);
        return new StoredMessage(seq, message.recipient(), copy.device(), message.sender(), message.senderDevice(),
                message.messageId(), copy.envelope(), message.content(), message.serverTime(), false, previous);
    }

    /** Whether this device's copy was stored before (pending, or acknowledged and kept as a tombstone). */
    private boolean isStored(Connection connection, OutgoingMessage message, int device) throws SQLException {
        return isStored(statements, connection, message.recipient(), device, message.sender(), message.messageId());
    }

    /** Whether {@code recipient}'s {@code device} holds (or held: a tombstone) {@code sender}'s message {@code messageId}. */
    static boolean isStored(WriterStatements statements, Connection connection, String recipient, int device, String sender,
                            String messageId) throws SQLException {
        PreparedStatement select = statements.prepare(connection,
                "SELECT 1 FROM messages WHERE recipient = ? AND recipient_device = ? AND sender = ? AND message_id = ?");
        bindCopyKey(select, recipient, device, sender, messageId);
        try (ResultSet row = select.executeQuery()) {
            return row.next();
        }
    }

    /** Binds a copy's key, {@code (recipient, recipient_device, sender, message_id)}, to the first four parameters. */
    private static void bindCopyKey(PreparedStatement statement, String recipient, int device, String sender, String messageId)
            throws SQLException {
        statement.setString(1, recipient);
        statement.setInt(2, device);
        statement.setString(3, sender);
        statement.setString(4, messageId);
    }

    @Override
    public CompletableFuture<MultiAppendResult> appendMulti(OutgoingMulti message, QueueLimits limits) {
        List<String> recipients = new ArrayList<>();
        message.recipients().forEach(recipient -> recipients.add(recipient.to()));
        return writes.submit(LockKeys.send(message.sender(), recipients), connection -> multi.append(connection, message, limits));
    }

    @Override
    public List<StoredMessage> pending(String recipient, int device, long afterSeq, int limit, long now) {
        // A copy's content is its own (a fan-out's) or its send_multi body's.
        return Jdbc.query(dataSource,
                "SELECT m.seq, m.sender, m.sender_device, m.message_id, m.envelope, COALESCE(m.content, b.content), m.server_time, "
                        + "m.multi "
                        + "FROM messages m LEFT JOIN message_bodies b ON b.id = m.body_id "
                        + "WHERE m.recipient = ? AND m.recipient_device = ? AND " + pendingIn("m") + " AND m.seq > ? "
                        + "AND m.expires_at > ? ORDER BY m.seq LIMIT ?",
                Jdbc.params(recipient, device, afterSeq, now, limit),
                row -> new StoredMessage(row.getLong(1), recipient, device, row.getString(2), row.getInt(3), row.getString(4),
                        row.getString(5), row.getString(6), row.getLong(7), row.getBoolean(8), StoredMessage.PREVIOUS_UNKNOWN));
    }

    @Override
    public CompletableFuture<Boolean> acknowledge(String recipient, int device, String sender, String messageId) {
        // Deferred: it rides along with the next commit (see WriteQueue#submitDeferred).
        return writes.submitDeferred(LockKeys.account(recipient), connection -> {
            counts.ensureLoaded(connection);
            PreparedStatement erase = statements.prepare(connection,
                    "UPDATE messages SET envelope = NULL, content = NULL WHERE recipient = ? AND recipient_device = ? "
                            + "AND sender = ? AND message_id = ? AND " + QueueCounts.PENDING + " RETURNING stored_chars, body_id, seq");
            bindCopyKey(erase, recipient, device, sender, messageId);
            long body;
            long seq;
            try (ResultSet row = erase.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                counts.removed(recipient, device, sender, row.getInt(1));
                body = row.getLong(2);
                if (row.wasNull()) {
                    return true;
                }
                seq = row.getLong(3);
            }
            // A send_multi copy: it lets go of its body, which goes with its last copy.
            PreparedStatement release = statements.prepare(connection, "UPDATE messages SET body_id = NULL WHERE seq = ?");
            release.setLong(1, seq);
            release.executeUpdate();
            counts.releaseBody(connection, body);
            return true;
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        return writes.flush();
    }

    @Override
    public CompletableFuture<Integer> purgeExpired(long now) {
        if (writes.engine().shared()) {
            return purgeByRecipients(now);
        }
        return writes.submit(connection -> {
            counts.ensureLoaded(connection);
            return counts.deleteCounted(connection, "DELETE FROM messages WHERE expires_at <= ?", s -> s.setLong(1, now));
        });
    }

    /** Recipients whose expired rows one write of {@link #purgeByRecipients} deletes. */
    private static final int PURGE_RECIPIENTS = 256;

    /**
     * The purge on a shared database: a row may only be changed under its recipient's lock, so
     * the recipients with expired rows are read first, and each write deletes the expired rows
     * of the recipients it locked. Blocks the calling thread (the expiry sweep's) until done.
     */
    private CompletableFuture<Integer> purgeByRecipients(long now) {
        try {
            int deleted = 0;
            while (true) {
                List<String> recipients = Jdbc.query(dataSource,
                        "SELECT DISTINCT recipient FROM messages WHERE expires_at <= ? LIMIT ?",
                        Jdbc.params(now, PURGE_RECIPIENTS), row -> row.getString(1));
                if (recipients.isEmpty()) {
                    return CompletableFuture.completedFuture(deleted);
                }
                deleted += writes.submit(LockKeys.accounts(recipients), connection -> counts.deleteCounted(connection,
                        "DELETE FROM messages WHERE expires_at <= ? AND recipient = ANY (?)", s -> {
                            s.setLong(1, now);
                            s.setArray(2, s.getConnection().createArrayOf("text", recipients.toArray()));
                        })).join();
                if (recipients.size() < PURGE_RECIPIENTS) {
                    return CompletableFuture.completedFuture(deleted);
                }
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e);
        }
    }

    @Override
    public java.util.OptionalLong earliestExpiry() {
        // MIN over the messages_expiry index: one look-up.
        return Jdbc.queryOne(dataSource, "SELECT MIN(expires_at) FROM messages", Jdbc.params(), row -> {
            long earliest = row.getLong(1);
            return row.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(earliest);
        }).orElse(java.util.OptionalLong.empty());
    }
}
