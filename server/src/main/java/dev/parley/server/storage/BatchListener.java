package dev.parley.server.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the stores keep beside the database for the writer's transactions (the queue counts):
 * told of rollbacks, of the end of each batch's writes and of each batch's end. All on the
 * writer thread.
 */
public interface BatchListener {
    BatchListener NONE = new BatchListener() {
    };

    /**
     * Something the writer did was rolled back (a whole batch, or one write to its savepoint),
     * before the next write runs: what was kept in memory may no longer be what the database holds.
     */
    default void rolledBack() {
    }

    /**
     * The batch's transaction began and took its locks; no write has run yet. {@code counted}:
     * the accounts whose queue counts its writes check. Called again when the batch is run again.
     */
    default void beforeWrites(Connection connection, LockKeys.Counted counted) throws SQLException {
    }

    /** Every write of the batch has run; in its transaction, just before the commit. A failure fails the batch. */
    default void beforeCommit(Connection connection) throws SQLException {
    }

    /** The batch's transaction ended, committed or not. */
    default void ended() {
    }
}

