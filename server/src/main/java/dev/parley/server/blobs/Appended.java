package dev.parley.server.blobs;

/** What {@link BlobStore#append} did with one part. */
public sealed interface Appended {

    /**
     * The part is durable and the record says so: the blob holds {@code received} bytes (the
     * offset, for an empty part, which changes nothing) and expires at {@code expiresAt} (its
     * life from now on, when this part completed it).
     */
    record Stored(long received, long expiresAt) implements Appended {
    }

    /** Another part of the blob is being written on this node: nothing of this one was read. */
    record Busy() implements Appended {
    }

    /**
     * The record does not take a part at this offset now (another part landed first, maybe on
     * another node; the blob is complete, expired or deleted): nothing of the part was kept.
     */
    record Refused() implements Appended {
    }

    Appended BUSY = new Busy();
    Appended REFUSED = new Refused();
}
