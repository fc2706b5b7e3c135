package dev.parley.server.blobs;

import dev.parley.server.storage.StoredBlob;
import java.time.Clock;
import java.time.Duration;

/**
 * The times a blob store writes into a blob's record when a part lands: the clock its upload
 * window is checked against, and the life ({@code --blob-ttl}) a part that completes the blob
 * gives it.
 */
public record BlobLife(Clock clock, Duration ttl) {

    public long now() {
        return clock.millis();
    }

    /** When a blob completed at {@code now} expires. */
    public long completeExpiresAt(long now) {
        return now + ttl.toMillis();
    }

    /**
     * Whether {@code blob} (null: no record) takes a part at {@code offset} at {@code now}: it is
     * pending, holds exactly {@code offset} bytes, and its upload window is open.
     */
    static boolean takesPart(StoredBlob blob, long offset, long now) {
        return blob != null && !blob.complete() && blob.received() == offset && !blob.expired(now);
    }
}
