package dev.parley.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
 *
 * <p>On PostgreSQL a batch begins with a plain {@code BEGIN} (read committed) and then takes
 * the transaction-level advisory locks of all its writes ({@link LockKeys}) in one statement,
 * in ascending key order, before any write runs and so before any {@code seq} is drawn. The
 * locks are released by the commit or rollback; a batch run again (with savepoints) takes them
 * again the same way, so every transaction waits only at its first statement, in one global
 * order.
 */
final class WriterTransaction {

    /** Takes the keys (an ascending bigint array) in the array's order; the ORDER BY keeps it so. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(?::bigint[]) AS k ORDER BY k) keys";

    private final Connection connection;
    private final Engine engine;

    WriterTransaction(Connection connection, Engine engine) throws SQLException {
        this.connection = connection;
        this.engine = engine;
        connection.setAutoCommit(true);
    }

    Connection connection() {
        return connection;
    }

    /**
     * SQLite: takes the write lock, waiting up to the connection's busy timeout for it.
     * PostgreSQL: begins and takes the advisory locks {@code keys} (ascending, distinct).
     */
    void begin(long[] keys) throws SQLException {
        if (engine == Engine.SQLITE) {
            execute("BEGIN IMMEDIATE");
            return;
        }
        execute("BEGIN");
        if (keys.length > 0) {
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                lock.setArray(1, connection.createArrayOf("bigint", java.util.Arrays.stream(keys).boxed().toArray()));
                lock.executeQuery().close();
            }
        }
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
