package dev.parley.server.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The bodies of {@code send_multi} messages ({@code message_bodies}, V6): a message's content,
 * stored once however many copies refer to it. A body lives exactly as long as a pending copy
 * refers to it: every path that erases or deletes a copy (the ack, expiry, unlink, identity
 * reset) calls {@link #releaseIfUnreferenced} in the same transaction, so the body goes with its
 * last copy and {@code secure_delete} overwrites it. Only the database writer calls this.
 */
final class MessageBodies {

    private MessageBodies() {
    }

    /** Stores a body of {@code sender}'s and returns its id; the caller counts it ({@link QueueCounts#bodyQueued}) once kept. */
    static long insert(WriterStatements statements, Connection connection, String sender, String content) throws SQLException {
        PreparedStatement insert = statements.prepare(connection,
                "INSERT INTO message_bodies (sender, content, stored_chars) VALUES (?, ?, ?) RETURNING id");
        insert.setString(1, sender);
        insert.setString(2, content);
        insert.setInt(3, content.length());
        try (ResultSet row = insert.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * Deletes the body if no copy refers to it any more, and takes it off its sender's count.
     * Runs once per acknowledged group copy, so its statement comes from the writer's cache
     * like every other statement of the ack.
     */
    static void releaseIfUnreferenced(WriterStatements statements, Connection connection, QueueCounts counts, long body)
            throws SQLException {
        PreparedStatement delete = statements.prepare(connection,
                "DELETE FROM message_bodies WHERE id = ? AND NOT EXISTS (SELECT 1 FROM messages WHERE body_id = ?) "
                        + "RETURNING sender, stored_chars");
        delete.setLong(1, body);
        delete.setLong(2, body);
        try (ResultSet row = delete.executeQuery()) {
            if (row.next()) {
                counts.bodyRemoved(row.getString(1), row.getLong(2));
            }
        }
    }
}
