package dev.parley.server.storage.sqlite;

import dev.parley.server.storage.AppendResult;
import dev.parley.server.storage.MessageStore;
import dev.parley.server.storage.QueueLimits;
import dev.parley.server.storage.StoredMessage;
import dev.parley.server.storage.WriteQueue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * {@link MessageStore} on SQLite; every write goes through the group-committing {@link WriteQueue}.
 * The per-recipient, per-(recipient, sender) and per-sender counts the limits are checked
 * against are kept by triggers on {@code messages} (V3__queue_shares_and_queued_bytes.sql).
 */
public final class SqliteMessageStore implements MessageStore {

    private final DataSource dataSource;
    private final WriteQueue writes;
    private final WriterStatements statements = new WriterStatements();

    public SqliteMessageStore(DataSource dataSource, WriteQueue writes) {
        this.dataSource = dataSource;
        this.writes = writes;
    }

    @Override
    public CompletableFuture<AppendResult> append(String recipient, String sender, String messageId, String envelope,
                                                  long serverTime, long expiresAt, QueueLimits limits) {
        return writes.submit(connection -> {
            AppendResult refused = checkLimits(connection, recipient, sender, envelope.length(), limits);
            if (refused != null) {
                return isDuplicate(connection, recipient, sender, messageId) ? new AppendResult.Duplicate() : refused;
            }
            PreparedStatement insert = statements.prepare(connection,
                    "INSERT INTO messages (recipient, sender, message_id, envelope, server_time, expires_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (recipient, sender, message_id) DO NOTHING RETURNING seq");
            insert.setString(1, recipient);
            insert.setString(2, sender);
            insert.setString(3, messageId);
            insert.setString(4, envelope);
            insert.setLong(5, serverTime);
            insert.setLong(6, expiresAt);
            long seq;
            try (ResultSet row = insert.executeQuery()) {
                if (!row.next()) {
                    return new AppendResult.Duplicate();
                }
                seq = row.getLong(1);
            }
            return new AppendResult.Stored(new StoredMessage(seq, recipient, sender, messageId, envelope, serverTime));
        });
    }

    /**
     * The refusal due if the message were queued, or null. One statement reads the recipient's
     * queue length, this sender's share of it and this sender's queued bytes (the last two are
     * kept by the triggers of V3__queue_shares_and_queued_bytes.sql).
     */
    private AppendResult checkLimits(java.sql.Connection connection, String recipient, String sender, int bytes,
                                     QueueLimits limits) throws java.sql.SQLException {
        PreparedStatement usage = statements.prepare(connection,
                "SELECT (SELECT pending FROM queue_lengths WHERE recipient = ?), "
                        + "(SELECT pending FROM queue_shares WHERE recipient = ? AND sender = ?), "
                        + "(SELECT bytes FROM queued_bytes WHERE sender = ?)");
        usage.setString(1, recipient);
        usage.setString(2, recipient);
        usage.setString(3, sender);
        usage.setString(4, sender);
        long queued;
        long share;
        long queuedBytes;
        try (ResultSet row = usage.executeQuery()) {
            row.next();
            queued = row.getLong(1);
            share = row.getLong(2);
            queuedBytes = row.getLong(3);
        }
        if (queued >= limits.queueCap()) {
            return new AppendResult.QueueFull();
        }
        if (share >= limits.senderShare()) {
            return new AppendResult.QueueShareFull();
        }
        if (queuedBytes + bytes > limits.senderBytes()) {
            return new AppendResult.QuotaExceeded();
        }
        return null;
    }

    private boolean isDuplicate(java.sql.Connection connection, String recipient, String sender, String messageId)
            throws java.sql.SQLException {
        PreparedStatement select = statements.prepare(connection,
                "SELECT 1 FROM messages WHERE recipient = ? AND sender = ? AND message_id = ?");
        select.setString(1, recipient);
        select.setString(2, sender);
        select.setString(3, messageId);
        try (ResultSet row = select.executeQuery()) {
            return row.next();
        }
    }

    @Override
    public List<StoredMessage> pending(String recipient, long afterSeq, int limit) {
        return Jdbc.query(dataSource,
                "SELECT seq, sender, message_id, envelope, server_time FROM messages "
                        + "WHERE recipient = ? AND envelope IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?",
                s -> {
                    s.setString(1, recipient);
                    s.setLong(2, afterSeq);
                    s.setInt(3, limit);
                },
                row -> new StoredMessage(row.getLong(1), recipient, row.getString(2), row.getString(3),
                        row.getString(4), row.getLong(5)));
    }

    @Override
    public CompletableFuture<Boolean> acknowledge(String recipient, String sender, String messageId) {
        // Deferred: it rides along with the next commit (see WriteQueue#submitDeferred).
        return writes.submitDeferred(connection -> {
            PreparedStatement erase = statements.prepare(connection,
                    "UPDATE messages SET envelope = NULL WHERE recipient = ? AND sender = ? AND message_id = ? AND envelope IS NOT NULL");
            erase.setString(1, recipient);
            erase.setString(2, sender);
            erase.setString(3, messageId);
            if (erase.executeUpdate() != 1) {
                return false;
            }
            return true;
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        return writes.flush();
    }

    @Override
    public CompletableFuture<Integer> purgeExpired(long now) {
        return writes.submit(connection -> {
            // The counts of undelivered rows among them are taken down by the triggers of V3.
            return Jdbc.update(connection, "DELETE FROM messages WHERE expires_at <= ?", s -> s.setLong(1, now));
        });
    }
}
