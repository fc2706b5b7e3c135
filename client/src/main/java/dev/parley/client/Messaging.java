package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.sessions.Bundles;
import dev.parley.client.sessions.LocalPreKeys;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.OutboxStore.OutboxEntry;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.protocol.session.Session;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.PreKeyFrames.BundleKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One identity's sessions with its contacts, and the encrypting side of the durability rules
 * (docs/CLIENT-MODEL.md, "The outbox"; CRYPTO.md §3.4): an outbox entry is encrypted when it is
 * first sent, and its envelope is committed in the same transaction as the session state that
 * produced it, before the frame goes out. A crash therefore neither reuses a message key (the
 * state on disk is already past it) nor loses the message (the entry is resent with the same id
 * and envelope). The receiving side is {@link Receiver}.
 *
 * <p>All session changes run under {@link #lock()}, so the receive thread, the outbox and
 * callers on other threads never interleave on a session.
 */
final class Messaging {

    /** What the sessions need from the server. */
    interface Transport {
        /** {@code get_prekey_bundle}: the bundle, or UNKNOWN_USER / REFUSED / SERVER_UNREACHABLE. */
        BundleKeys fetchBundle(String username) throws ClientException;

        /** Acknowledges a relayed message to the server. */
        void ack(String id, String from);
    }

    private final ClientStore store;
    private final Randomness randomness;
    // Shared with the receiving side (Receiver), which runs under the same lock:
    final IdentityKeyPair identity;
    final String username;
    final LocalPreKeys preKeys;
    final Identities identities;
    final Transport transport;
    final ParleyListener listener;
    /** Held for every change to a session or a contact's identity. */
    final ReentrantLock lock = new ReentrantLock();

    Messaging(ClientStore store, IdentityKeyPair identity, String username, LocalPreKeys preKeys, Randomness randomness,
            Transport transport, ParleyListener listener) {
        this.store = store;
        this.identity = identity;
        this.username = username;
        this.preKeys = preKeys;
        this.identities = new Identities(store);
        this.randomness = randomness;
        this.transport = transport;
        this.listener = listener;
    }

    /** Refuses what may not be sent to {@code to} at all: yourself, or a verified contact whose identity changed. */
    void checkSendable(String to) throws ClientException {
        if (to.equals(username)) {
            throw new ClientException(Reason.REFUSED, "you cannot send messages to yourself");
        }
        Optional<Contact> contact = store.contact(to);
        if (contact.isPresent() && contact.get().trust() == Contact.Trust.CHANGED) {
            throw Identities.refusal(contact.get());
        }
    }

    /**
     * Encrypts an outbox entry that holds its payload and commits the envelope with the session
     * state (and, for a text, the identity it was made for), in one transaction; returns the
     * envelope. Starts a session from a fresh bundle when there is none that can send to the
     * contact's current identity.
     */
    String encrypt(OutboxEntry entry) throws ClientException {
        String to = entry.recipient();
        lock.lock();
        try {
            checkSendable(to);
            PeerSessions sessions = sendingSessions(to);
            String envelope = encryptWith(sessions, to, entry.payload());
            PublicIdentity recipient = sessions.current().orElseThrow().remoteIdentity();
            store.transaction(() -> {
                store.saveSessions(to, PeerSessionsCodec.encode(sessions));
                store.outbox.encrypted(to, entry.id(), envelope, recipient);
                store.undelivered.encryptedFor(to, entry.id(), recipient);
            });
            return envelope;
        } finally {
            lock.unlock();
        }
    }

    /** Encrypts a typing indicator, committing only the session: it is sent once, never kept. */
    String encryptTyping(String to, Payload.Typing typing) throws ClientException {
        lock.lock();
        try {
            checkSendable(to);
            PeerSessions sessions = sendingSessions(to);
            String envelope = encryptWith(sessions, to, encode(typing));
            store.saveSessions(to, PeerSessionsCodec.encode(sessions));
            return envelope;
        } finally {
            lock.unlock();
        }
    }

    /** The sessions with {@code to}, with a current one that can send to their current identity. */
    private PeerSessions sendingSessions(String to) throws ClientException {
        Optional<Contact> contact = store.contact(to);
        PeerSessions sessions = loadSessions(to);
        Optional<Session> current = sessions.current();
        boolean usable = current.isPresent() && current.get().canSend()
                && contact.map(c -> c.identity().equals(current.get().remoteIdentity())).orElse(true);
        if (usable) {
            return sessions;
        }
        PreKeyBundle bundle = verifiedBundle(to);
        List<Runnable> events = new ArrayList<>();
        Identities.Observed observed = identities.observe(to, bundle.identity());
        if (observed.changed()) {
            events.add(() -> observed.report(listener));
        }
        events.forEach(Runnable::run);
        if (observed.contact().trust() == Contact.Trust.CHANGED) {
            throw Identities.refusal(observed.contact());
        }
        try {
            sessions.adoptInitiated(Session.initiated(Initiator.start(identity, bundle, randomness,
                    MlKem768.encapsulator(randomness))));
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "cannot start a session with " + to + ": " + e.failure(), e);
        }
        return sessions;
    }

    private String encryptWith(PeerSessions sessions, String to, byte[] payload) throws ClientException {
        try {
            return WireJson.base64(sessions.encrypt(Padding.pad(payload)));
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "cannot encrypt for " + to + ": " + e.failure(), e);
        }
    }

    private PreKeyBundle verifiedBundle(String to) throws ClientException {
        BundleKeys keys = transport.fetchBundle(to);
        try {
            return Bundles.verified(keys);
        } catch (ProtocolException e) {
            throw new ClientException(Reason.REFUSED, "the prekey bundle of " + to
                    + " failed verification (" + e.failure() + "); nothing was sent", e);
        }
    }

    /** A payload as an outbox entry keeps it until it is encrypted: encoded, checked to fit the largest padding bucket. */
    static byte[] encode(Payload payload) throws ClientException {
        byte[] encoded = PayloadCodec.encode(payload);
        try {
            Padding.bucketFor(encoded.length);
        } catch (ProtocolException e) {
            throw new ClientException(Reason.REFUSED, "the message is too long (at most " + Padding.MAX_PAYLOAD
                    + " bytes once encoded); nothing was sent");
        }
        return encoded;
    }

    PeerSessions loadSessions(String peer) throws ClientException {
        Optional<byte[]> stored = store.sessions(peer);
        if (stored.isEmpty()) {
            return new PeerSessions();
        }
        try {
            return PeerSessionsCodec.decode(stored.get());
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "the stored session with " + peer + " is damaged", e);
        }
    }
}
