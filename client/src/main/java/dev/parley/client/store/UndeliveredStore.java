package dev.parley.client.store;

import dev.parley.client.MessageStatus;
import dev.parley.client.UndeliveredMessage;
import dev.parley.protocol.keys.PublicIdentity;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's side of texts that a contact's account reset left undelivered. When a contact's
 * identity changes the server has dropped the queue of the old identity, and an envelope made
 * for the old identity is useless to the new one. So every outgoing text to that contact
 * encrypted for another identity (or, written before the schema recorded it, for an unknown
 * one) that is {@code STORED}, or still {@code SENDING} with its envelope in the outbox, becomes
 * {@link MessageStatus#UNDELIVERED}, and the outbox envelopes made for another identity
 * (texts and receipts) are deleted so they are never sent to the new identity. Outbox entries
 * not encrypted yet stay {@code SENDING}: they are encrypted for the identity known when they
 * leave.
 *
 * <p>Invariant: an undelivered text is resent at most once. {@code resent_as} records the id
 * of its copy, set in the same transaction that queues the copy; only texts without it are
 * offered. All methods lock the {@link ClientStore}, like its own.
 */
public final class UndeliveredStore {

    private static final String OTHER_IDENTITY = "(encrypted_for IS NULL OR encrypted_for != ?)";
    private static final String ENVELOPE_FOR_OTHER = "payload IS NULL AND " + OTHER_IDENTITY;

    private final ClientStore store;

    UndeliveredStore(ClientStore store) {
        this.store = store;
    }

    /** Records the recipient identity a text was encrypted for (in the transaction that queued it). */
    public void encryptedFor(String peer, String id, PublicIdentity identity) {
        synchronized (store) {
            store.update("UPDATE messages SET encrypted_for = ? WHERE peer = ? AND id = ? AND outgoing = 1",
                    ClientStore.identityBytes(identity), peer, id);
        }
    }

    /**
     * {@code peer}'s identity is now {@code current}: marks the texts made for another identity
     * undelivered and drops the outbox envelopes made for another identity, in one transaction.
     * Returns the ids of the texts marked, in the order they were written.
     */
    public List<String> markUndelivered(String peer, PublicIdentity current) {
        byte[] identity = ClientStore.identityBytes(current);
        List<String> ids = new ArrayList<>();
        synchronized (store) {
            store.transaction(() -> {
                ids.addAll(store.query("SELECT id FROM messages WHERE peer = ? AND outgoing = 1 AND " + OTHER_IDENTITY
                        + " AND (status = 'STORED' OR (status = 'SENDING' AND id IN (SELECT id FROM outbox WHERE recipient = ? AND "
                        + ENVELOPE_FOR_OTHER + "))) ORDER BY rowid", List.of(peer, identity, peer, identity), rs -> rs.getString(1)));
                for (String id : ids) {
                    store.update("UPDATE messages SET status = ? WHERE peer = ? AND id = ? AND outgoing = 1",
                            MessageStatus.UNDELIVERED.name(), peer, id);
                }
                store.update("DELETE FROM outbox WHERE recipient = ? AND " + ENVELOPE_FOR_OTHER, peer, identity);
            });
        }
        return ids;
    }

    /** The undelivered texts to {@code peer} not resent yet, in the order they were written. */
    public List<UndeliveredMessage> list(String peer) {
        synchronized (store) {
            return store.query("SELECT id, text, sent_at FROM messages WHERE peer = ? AND outgoing = 1 AND status = ?"
                    + " AND resent_as IS NULL ORDER BY rowid", List.of(peer, MessageStatus.UNDELIVERED.name()),
                    rs -> new UndeliveredMessage(peer, rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
    }

    /** Records that undelivered text {@code id} was resent as {@code copyId}; false if it had been already. */
    public boolean markResent(String peer, String id, String copyId) {
        synchronized (store) {
            return store.update("UPDATE messages SET resent_as = ? WHERE peer = ? AND id = ? AND outgoing = 1"
                    + " AND resent_as IS NULL", copyId, peer, id) > 0;
        }
    }
}
