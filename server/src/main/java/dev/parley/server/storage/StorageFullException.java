package dev.parley.server.storage;

/**
 * A write was not stored because the disk is full or below the free-space watermark; clients
 * see {@code storage_full}. Nothing of the write was committed.
 */
public final class StorageFullException extends RuntimeException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause, false, false); // an expected refusal: no stack trace to fill in
    }
}
