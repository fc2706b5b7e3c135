package dev.parley.client.store;

/** The local SQLite store failed (disk full, corrupt file). Unchecked: nothing can be retried locally. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
