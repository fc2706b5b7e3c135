package dev.parley.server.storage;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;

/**
 * The database could not be reached: nothing was stored (a write) or read (a read). Clients
 * hear {@code unavailable} (docs/PROTOCOL.md §7) and try again later; a message is never acked
 * {@code stored} when this is why its write failed. The pool reconnects by itself, so this
 * lasts as long as the outage.
 */
public final class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(Throwable cause) {
        super("the database is unreachable; nothing was stored, try later", cause, false, false); // expected: no stack trace
    }

    /**
     * Whether {@code failure} (or a cause of it) says the database is unreachable: the pool
     * found no connection in time, the connection broke or was refused (SQLSTATE class 08),
     * or the server is shutting down or starting (57P01-57P03).
     */
    public static boolean isUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailableException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /** The unavailability behind {@code failure} (as thrown, or wrapped by a future), or null if that is not why it failed. */
    public static StorageUnavailableException in(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof StorageUnavailableException unavailable ? unavailable : null;
    }
}
