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
 * The queue limits are checked against {@link QueueCounts}, which every write here keeps in
 * step with {@code messages}.
 */
public final class SqliteMessageStore extends SqliteStore implements MessageStore {

    private final WriterStatements statements = new WriterStatements();
    private final QueueCounts counts;

    public SqliteMessageStore(DataSource dataSource, WriteQueue writes, QueueCounts counts) {
        super(dataSource, writes);
        this.counts = counts;
    }

    @Override
    public CompletableFuture<AppendResult> append(String recipient, String sender, String messageId, String envelope,
                                                  long serverTime, long expiresAt, QueueLimits limits) {
        return writes.submit(connection -> {
            counts.ensureLoaded(connection);
            AppendResult refused = counts.refusal(recipient, sender, envelope.length(), limits);
            if (refused != null) {
                return isDuplicate(connection, recipient, sender, messageId) ? new AppendResult.Duplicate() : refused;
            }
            PreparedStatement insert = statements.prepare(connection,
                    "INSERT INTO messages (recipient, sender, message_id, envelope, envelope_chars, server_time, expires_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recipient, sender, message_id) DO NOTHING RETURNING seq");
            bindMessageKey(insert, recipient, sender, messageId);
            insert.setString(4, envelope);
            insert.setInt(5, envelope.length());
            insert.setLong(6, serverTime);
            insert.setLong(7, expiresAt);
            long seq;
            try (ResultSet row = insert.executeQuery()) {
                if (!row.next()) {
                    return new AppendResult.Duplicate();
                }
                seq = row.getLong(1);
            }
            counts.queued(recipient, sender, envelope.length());
            return new AppendResult.Stored(new StoredMessage(seq, recipient, sender, messageId, envelope, serverTime));
        });
    }

    private boolean isDuplicate(java.sql.Connection connection, String recipient, String sender, String messageId)
            throws java.sql.SQLException {
        PreparedStatement select = statements.prepare(connection,
                "SELECT 1 FROM messages WHERE recipient = ? AND sender = ? AND message_id = ?");
        bindMessageKey(select, recipient, sender, messageId);
        try (ResultSet row = select.executeQuery()) {
            return row.next();
        }
    }

    /** Binds a message's key, {@code (recipient, sender, message_id)}, to the first three parameters. */
    private static void bindMessageKey(PreparedStatement statement, String recipient, String sender, String messageId)
            throws java.sql.SQLException {
        statement.setString(1, recipient);
        statement.setString(2, sender);
        statement.setString(3, messageId);
    }

    @Override
    public List<StoredMessage> pending(String recipient, long afterSeq, int limit) {
        return Jdbc.query(dataSource,
                "SELECT seq, sender, message_id, envelope, server_time FROM messages "
                        + "WHERE recipient = ? AND envelope IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?",
                Jdbc.params(recipient, afterSeq, limit),
                row -> new StoredMessage(row.getLong(1), recipient, row.getString(2), row.getString(3),
                        row.getString(4), row.getLong(5)));
    }

    @Override
    public CompletableFuture<Boolean> acknowledge(String recipient, String sender, String messageId) {
        // Deferred: it rides along with the next commit (see WriteQueue#submitDeferred).
        return writes.submitDeferred(connection -> {
            counts.ensureLoaded(connection);
            PreparedStatement erase = statements.prepare(connection,
                    "UPDATE messages SET envelope = NULL WHERE recipient = ? AND sender = ? AND message_id = ? "
                            + "AND envelope IS NOT NULL RETURNING envelope_chars");
            bindMessageKey(erase, recipient, sender, messageId);
            try (ResultSet row = erase.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                counts.removed(recipient, sender, row.getInt(1));
                return true;
            }
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        return writes.flush();
    }

    @Override
    public CompletableFuture<Integer> purgeExpired(long now) {
        return writes.submit(connection -> {
            counts.ensureLoaded(connection);
            return counts.deleteCounted(connection, "DELETE FROM messages WHERE expires_at <= ?", s -> s.setLong(1, now));
        });
    }
}
