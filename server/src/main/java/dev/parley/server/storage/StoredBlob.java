package dev.parley.server.storage;

/**
 * What the database knows of one blob (docs/PROTOCOL.md §9): its bytes are in the blob store.
 * {@code tokenHash} is the SHA-256 of its upload token. {@code expiresAt} ends the upload
 * window while pending, the blob's life once complete.
 */
public record StoredBlob(String id, String owner, long size, long received, byte[] tokenHash, boolean complete, long createdAt,
                         long expiresAt) {

    public boolean expired(long now) {
        return expiresAt <= now;
    }

    /** Neither the id (a capability) nor the token's hash is printed. */
    @Override
    public String toString() {
        return "StoredBlob[owner=" + owner + ", size=" + size + ", received=" + received + ", complete=" + complete
                + ", expiresAt=" + expiresAt + "]";
    }
}
