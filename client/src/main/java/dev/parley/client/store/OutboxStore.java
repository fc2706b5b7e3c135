package dev.parley.client.store;

import dev.parley.protocol.keys.PublicIdentity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outbox (docs/CLIENT-MODEL.md, "The outbox"): what waits to be sent, in the order it was
 * queued. An entry holds its encoded payload until it is first sent; then it is sealed once
 * (CRYPTO.md §5): the shared {@code content}, the key that opens it, and one envelope per
 * recipient device (the device's key message), committed with the session states that produced
 * them ({@link #sealed}). The payload is gone from then on, so every resend carries the same
 * ciphertexts; a device that joins the recipient's list before the server stored the entry gets
 * a key message for the same content ({@link #addEnvelope}), one that left it loses its envelope.
 * Entries from before devices existed hold envelopes (for device 1) and no content: whole
 * messages. Part of {@link ClientStore}.
 */
public final class OutboxStore {

    /**
     * One entry: {@code payload} (encoded, not encrypted) until it is first sent, then
     * {@code content} (base64url; null for an entry from before devices existed), its key, and
     * the envelopes by device. Prints none of them.
     */
    public record OutboxEntry(String id, String recipient, byte[] payload, String content, byte[] contentKey,
            Map<Integer, String> envelopes) {
        public OutboxEntry {
            envelopes = Map.copyOf(envelopes);
        }

        public boolean encrypted() {
            return payload == null;
        }

        @Override
        public String toString() {
            return "OutboxEntry[id=" + id + ", recipient=" + recipient + ", encrypted=" + encrypted()
                    + ", devices=" + new TreeSet<>(envelopes.keySet()) + "]";
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
     * Queues a message that disappears: the server drops a copy still queued {@code expiresIn}
     * seconds after it stored it (the send frame's {@code expiresIn}).
     */
    public void queue(String recipient, String id, byte[] payload, long now, int expiresIn) {
        store.update("INSERT INTO outbox(id, recipient, payload, created_at, expires_in) VALUES (?,?,?,?,?)", id, recipient,
                payload, now, expiresIn > 0 ? expiresIn : null);
    }

    /** The entry's {@code expiresIn} (seconds), or null when it does not disappear. */
    public Integer expiresIn(String recipient, String id) {
        return store.query("SELECT expires_in FROM outbox WHERE recipient = ? AND id = ? AND expires_in IS NOT NULL",
                List.of(recipient, id), rs -> rs.getInt(1)).stream().findFirst().orElse(null);
    }

    /**
     * Replaces an entry's payload by its sealed form, encrypted for {@code encryptedFor} (call in
     * the transaction that stores the session states it came from): if the contact's identity
     * changes before the server stored it, the new identity could never decrypt it
     * ({@link UndeliveredStore#markUndelivered}).
     */
    public void sealed(String recipient, String id, String content, byte[] contentKey, Map<Integer, String> envelopes,
            PublicIdentity encryptedFor) {
        synchronized (store) {
            store.transaction(() -> {
                store.update("UPDATE outbox SET payload = NULL, content = ?, content_key = ?, encrypted_for = ?"
                        + " WHERE recipient = ? AND id = ?", content, contentKey, ClientStore.identityBytes(encryptedFor),
                        recipient, id);
                envelopes.forEach((device, envelope) -> addEnvelope(recipient, id, device, envelope));
            });
        }
    }

    /** Adds (or replaces) the envelope for one device of a sealed entry. */
    public void addEnvelope(String recipient, String id, int device, String envelope) {
        store.update("INSERT OR REPLACE INTO outbox_envelopes(recipient, id, device, envelope) VALUES (?,?,?,?)",
                recipient, id, device, envelope);
    }

    /** Removes the envelope for a device that is no longer in the recipient's list. */
    public void removeEnvelope(String recipient, String id, int device) {
        store.update("DELETE FROM outbox_envelopes WHERE recipient = ? AND id = ? AND device = ?", recipient, id, device);
    }

    /** Everything not yet stored by the server, oldest first. */
    public List<OutboxEntry> entries() {
        synchronized (store) {
            Map<String, Map<Integer, String>> envelopes = new HashMap<>();
            store.query("SELECT recipient, id, device, envelope FROM outbox_envelopes", List.of(), rs -> envelopes
                    .computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), key -> new TreeMap<>())
                    .put(rs.getInt(3), rs.getString(4)));
            return store.query("SELECT id, recipient, payload, content, content_key FROM outbox ORDER BY seq", List.of(),
                    rs -> new OutboxEntry(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getBytes(5),
                            envelopes.getOrDefault(rs.getString(2) + "/" + rs.getString(1), Map.of())));
        }
    }

    /** The entry, as it is stored now. */
    public Optional<OutboxEntry> entry(String recipient, String id) {
        return entries().stream().filter(e -> e.recipient().equals(recipient) && e.id().equals(id)).findFirst();
    }

    public int size() {
        return store.query("SELECT count(*) FROM outbox", List.of(), rs -> rs.getInt(1)).getFirst();
    }

    public boolean contains(String recipient, String id) {
        return !store.query("SELECT 1 FROM outbox WHERE recipient = ? AND id = ?", List.of(recipient, id), rs -> 1).isEmpty();
    }

    /** Deletes an entry (and its envelopes); returns whether it was there (so a repeated answer is seen as such). */
    public boolean remove(String recipient, String id) {
        return store.update("DELETE FROM outbox WHERE recipient = ? AND id = ?", recipient, id) > 0;
    }
}
