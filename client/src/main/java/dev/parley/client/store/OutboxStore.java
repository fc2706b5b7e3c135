package dev.parley.client.store;

import dev.parley.protocol.keys.PublicIdentity;
import java.util.List;

/**
 * The outbox (docs/CLIENT-MODEL.md, "The outbox"): what waits to be sent, in the order it was
 * queued. An entry holds its encoded payload until it is first sent; then its envelope, committed
 * with the session state that produced it ({@link #encrypted}), replaces the payload for good, so
 * every resend carries the same ciphertext. Part of {@link ClientStore}.
 */
public final class OutboxStore {

    /**
     * One entry: {@code payload} (encoded, not encrypted) until it is first sent, then
     * {@code envelope} (base64url), exactly one of them set. Prints neither.
     */
    public record OutboxEntry(String id, String recipient, byte[] payload, String envelope) {
        public boolean encrypted() {
            return envelope != null;
        }

        @Override
        public String toString() {
            return "OutboxEntry[id=" + id + ", recipient=" + recipient + ", encrypted=" + encrypted() + "]";
        }
    }

    private final ClientStore store;

    OutboxStore(ClientStore store) {
        this.store = store;
    }

    /** Queues a payload for {@code recipient} under message id {@code id}, after everything queued before. */
    public void queue(String recipient, String id, byte[] payload, long now) {
        store.update("INSERT INTO outbox(id, recipient, payload, created_at) VALUES (?,?,?,?)", id, recipient, payload, now);
    }

    /**
     * Replaces an entry's payload by its envelope, encrypted for {@code encryptedFor} (call in the
     * transaction that stores the session state it came from): if the contact's identity changes
     * before the server stored it, the new identity could never decrypt it
     * ({@link UndeliveredStore#markUndelivered}).
     */
    public void encrypted(String recipient, String id, String envelope, PublicIdentity encryptedFor) {
        store.update("UPDATE outbox SET envelope = ?, payload = NULL, encrypted_for = ? WHERE recipient = ? AND id = ?",
                envelope, ClientStore.identityBytes(encryptedFor), recipient, id);
    }

    /** Everything not yet stored by the server, oldest first. */
    public List<OutboxEntry> entries() {
        return store.query("SELECT id, recipient, payload, envelope FROM outbox ORDER BY seq", List.of(),
                rs -> new OutboxEntry(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4)));
    }

    public int size() {
        return store.query("SELECT count(*) FROM outbox", List.of(), rs -> rs.getInt(1)).getFirst();
    }

    public boolean contains(String recipient, String id) {
        return !store.query("SELECT 1 FROM outbox WHERE recipient = ? AND id = ?", List.of(recipient, id), rs -> 1).isEmpty();
    }

    /** Deletes an entry; returns whether it was there (so a repeated answer is seen as such). */
    public boolean remove(String recipient, String id) {
        return store.update("DELETE FROM outbox WHERE recipient = ? AND id = ?", recipient, id) > 0;
    }
}
