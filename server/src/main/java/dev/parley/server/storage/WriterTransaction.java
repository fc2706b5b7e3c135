package dev.parley.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The writer's transactions, controlled in SQL on a connection left in autocommit mode.
 *
 * <p>Each batch begins with {@code BEGIN IMMEDIATE}: it takes SQLite's write lock before any
 * write reads. A deferred transaction (the JDBC driver's default) takes only a read snapshot at
 * its first {@code SELECT} and upgrades to a writer at its first change; SQLite waits with the
 * busy timeout for a write lock only when a transaction starts, never for an upgrade, which it
 * refuses at once with {@code SQLITE_BUSY} when the lock is held. The WAL truncation's
 * checkpoint holds that lock for up to 200 ms while it waits for readers, so a batch whose
 * first write read before writing (a registration checks look-alike usernames first) failed
 * as a whole when it met one. With the lock taken first, the batch waits out the checkpoint.
 *
 * <p>The driver is kept out of transaction control entirely: with autocommit off it opens the
 * next transaction the moment one commits, and after SQLite rolled back by itself (a full
 * disk) it believes one is still open. Here the connection's state is only what SQL said.
 */
final class WriterTransaction {

    private final Connection connection;

    WriterTransaction(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(true);
    }

    Connection connection() {
        return connection;
    }

    /** Takes the write lock, waiting up to the connection's busy timeout for it. */
    void begin() throws SQLException {
        execute("BEGIN IMMEDIATE");
    }

    void commit() throws SQLException {
        execute("COMMIT");
    }

    /**
     * Undoes the open transaction. Fails ("no transaction is active") when SQLite has already
     * rolled it back by itself, as it does on a full disk; the caller then drops the connection.
     */
    void rollback() throws SQLException {
        execute("ROLLBACK");
    }

    /** Marks a point that {@link #rollbackToSavepoint} returns to; one at a time. */
    void savepoint() throws SQLException {
        execute("SAVEPOINT write");
    }

    void releaseSavepoint() throws SQLException {
        execute("RELEASE write");
    }

    void rollbackToSavepoint() throws SQLException {
        execute("ROLLBACK TO write");
        releaseSavepoint();
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
