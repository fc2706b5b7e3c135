package dev.parley.client;

import dev.parley.client.sessions.Bundles;
import dev.parley.client.sessions.LocalPreKeys;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.OutboxEntry;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.crypto.MlKem768;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.handshake.Initiator;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PreKeyBundle;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.protocol.session.Session;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import dev.parley.wire.frames.PreKeyFrames.BundleKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The encrypting and decrypting core of the SDK, with its durability rules (docs/CLIENT.md,
 * CRYPTO.md §3.4):
 *
 * <ul>
 *   <li><b>Outgoing:</b> the advanced session state and the envelope encrypted from it are
 *       committed in one transaction, as an outbox row, before anything is sent. The same
 *       envelope with the same message id is resent until the server acknowledges it as
 *       stored (the server deduplicates by sender, recipient and id), then the row is deleted.
 *       A crash at any point therefore neither reuses a message key (the state on disk is
 *       already past it) nor loses the message (the outbox is resent on the next connect).</li>
 *   <li><b>Incoming:</b> decrypt on a copy; commit the new session state, the message, the
 *       received id and any consumed prekeys in one transaction; only then acknowledge to the
 *       server. A replayed relay whose id was already received is acknowledged again and
 *       otherwise ignored.</li>
 * </ul>
 *
 * <p>All state changes run under one lock, so the receive thread and callers sending from
 * other threads never interleave on a session.
 */
final class Messaging {

    /** What Messaging needs from the connection. */
    interface Transport {
        /** {@code get_prekey_bundle}: the bundle, or UNKNOWN_USER / REFUSED. */
        BundleKeys fetchBundle(String username) throws ClientException;

        /** Sends an outbox entry (asynchronously); its ack removes it from the outbox. */
        void transmit(OutboxEntry entry);

        /** Acknowledges a relayed message to the server. */
        void ack(String id, String from);
    }

    private final ClientStore store;
    private final IdentityKeyPair identity;
    private final String username;
    private final Capabilities capabilities;
    private final LocalPreKeys preKeys;
    private final Identities identities;
    private final Randomness randomness;
    private final Clock clock;
    private final Transport transport;
    private final ParleyListener listener;
    private final ReentrantLock lock = new ReentrantLock();

    Messaging(ClientStore store, IdentityKeyPair identity, String username, LocalPreKeys preKeys, Randomness randomness,
            Clock clock, Transport transport, ParleyListener listener) {
        this.store = store;
        this.identity = identity;
        this.username = username;
        this.capabilities = preKeys.capabilities();
        this.preKeys = preKeys;
        this.identities = new Identities(store);
        this.randomness = randomness;
        this.clock = clock;
        this.transport = transport;
        this.listener = listener;
    }

    Identities identities() {
        return identities;
    }

    ReentrantLock lock() {
        return lock;
    }

    /**
     * Encrypts {@code payload} for {@code to} and commits the session and the outbox entry
     * (and, for a text, the history row) in one transaction; a typing indicator commits only
     * the session and is sent once. Starts a session from a fresh
     * bundle when there is none that can send to the contact's current identity.
     */
    OutboxEntry encryptAndQueue(String to, Payload payload) throws ClientException {
        return encryptAndQueue(to, payload, () -> { });
    }

    /** As above; {@code alsoCommit} runs in the same transaction (a deferred text leaves its table with it). */
    OutboxEntry encryptAndQueue(String to, Payload payload, Runnable alsoCommit) throws ClientException {
        if (to.equals(username)) {
            throw new ClientException(ClientException.Reason.REFUSED, "you cannot send messages to yourself");
        }
        lock.lock();
        try {
            Optional<Contact> contact = store.contact(to);
            if (contact.isPresent() && contact.get().trust() == Contact.Trust.CHANGED) {
                throw Identities.refusal(contact.get());
            }
            PeerSessions sessions = loadSessions(to);
            Optional<Session> current = sessions.current();
            boolean usable = current.isPresent() && current.get().canSend()
                    && contact.map(c -> c.identity().equals(current.get().remoteIdentity())).orElse(true);
            List<Runnable> events = new ArrayList<>();
            if (!usable) {
                PreKeyBundle bundle = verifiedBundle(to);
                Identities.Observed observed = identities.observe(to, bundle.identity());
                if (observed.changed()) {
                    events.add(() -> observed.report(listener));
                }
                if (observed.contact().trust() == Contact.Trust.CHANGED) {
                    events.forEach(Runnable::run);
                    throw Identities.refusal(observed.contact());
                }
                try {
                    sessions.adoptInitiated(Session.initiated(
                            Initiator.start(identity, bundle, randomness, MlKem768.encapsulator(randomness))));
                } catch (ProtocolException e) {
                    throw new ClientException(ClientException.Reason.FAILED, "cannot start a session with " + to + ": "
                            + e.failure(), e);
                }
            }
            OutboxEntry entry = encryptInto(sessions, to, payload);
            PublicIdentity recipient = sessions.current().orElseThrow().remoteIdentity();
            store.transaction(() -> {
                alsoCommit.run();
                store.saveSessions(to, PeerSessionsCodec.encode(sessions));
                if (!(payload instanceof Payload.Typing)) {
                    store.addToOutbox(entry, clock.millis(), recipient); // a typing indicator is not worth resending later
                }
                if (payload instanceof Payload.Text text) {
                    store.saveOutgoing(to, text.id(), text.text(), text.sentAt());
                    store.undelivered().encryptedFor(to, text.id(), recipient);
                }
            });
            events.forEach(Runnable::run);
            return entry;
        } finally {
            lock.unlock();
        }
    }

    private OutboxEntry encryptInto(PeerSessions sessions, String to, Payload payload) throws ClientException {
        try {
            byte[] wire = sessions.encrypt(Padding.encodeAndPad(payload));
            return new OutboxEntry(payload.id(), to, WireJson.base64(wire));
        } catch (ProtocolException e) {
            throw new ClientException(ClientException.Reason.FAILED, "cannot encrypt for " + to + ": " + e.failure(), e);
        }
    }

    private PreKeyBundle verifiedBundle(String to) throws ClientException {
        BundleKeys keys = transport.fetchBundle(to);
        try {
            return Bundles.verified(keys);
        } catch (ProtocolException e) {
            throw new ClientException(ClientException.Reason.REFUSED, "the prekey bundle of " + to
                    + " failed verification (" + e.failure() + "); nothing was sent", e);
        }
    }

    private PeerSessions loadSessions(String peer) throws ClientException {
        Optional<byte[]> stored = store.sessions(peer);
        if (stored.isEmpty()) {
            return new PeerSessions();
        }
        try {
            return PeerSessionsCodec.decode(stored.get());
        } catch (ProtocolException e) {
            throw new ClientException(ClientException.Reason.FAILED, "the stored session with " + peer + " is damaged", e);
        }
    }

    /** Handles one {@code relay_message}: decrypt, commit, acknowledge, then tell the listener. */
    void receive(RelayMessage relay) {
        List<Runnable> events = new ArrayList<>();
        Optional<OutboxEntry> receipt;
        lock.lock();
        try {
            receipt = receiveLocked(relay, events);
        } finally {
            lock.unlock();
        }
        receipt.ifPresent(transport::transmit);
        events.forEach(ParleyClient::safely);
    }

    /** Decrypts and commits one relayed message; returns the delivery receipt to send, if any. */
    private Optional<OutboxEntry> receiveLocked(RelayMessage relay, List<Runnable> events) {
        String id = relay.id();
        String from = relay.from();
        long serverTime = relay.serverTime();
        if (store.received(from, id)) {
            transport.ack(id, from);
            return Optional.empty();
        }
        long now = clock.millis();
        byte[] wire;
        try {
            wire = WireJson.fromBase64(relay.envelope());
        } catch (IllegalArgumentException e) {
            undecryptable(from, id, Failure.MALFORMED, now, events);
            return Optional.empty();
        }
        PeerSessions sessions;
        try {
            sessions = loadSessions(from);
        } catch (ClientException e) {
            undecryptable(from, id, Failure.NO_SESSION, now, events);
            return Optional.empty();
        }
        LocalPreKeys.Handshake handshake = preKeys.forDecryption();
        Payload payload;
        PublicIdentity sender;
        try {
            if (wire.length > 0 && (wire[0] & 0xFF) == FanOut.KIND) {
                FanOut.Received received = FanOut.receive(sessions, wire, identity, capabilities, handshake, randomness,
                        clock.instant());
                payload = received.payload();
                sender = received.sender();
            } else {
                Payload[] decoded = new Payload[1];
                sender = sessions.decrypt(wire, identity, capabilities, handshake, randomness, clock.instant(),
                        plaintext -> decoded[0] = Padding.unpadAndDecode(plaintext)).sender();
                payload = decoded[0];
            }
        } catch (ProtocolException e) {
            if (e.failure() == Failure.DUPLICATE) {
                store.markReceived(from, id, now);
                transport.ack(id, from);
            } else {
                undecryptable(from, id, e.failure(), now, events);
            }
            return Optional.empty();
        }
        Identities.Observed[] observed = new Identities.Observed[1];
        OutboxEntry[] receiptEntry = new OutboxEntry[1];
        try {
            store.transaction(() -> {
                observed[0] = identities.observe(from, sender);
                handshake.commit();
                store.markReceived(from, id, now);
                switch (payload) {
                    case Payload.Text text -> {
                        store.saveIncoming(new IncomingMessage(from, text.id(), text.text(), text.sentAt(), serverTime));
                        if (observed[0].contact().trust() != Contact.Trust.CHANGED && sessions.current().map(Session::canSend).orElse(false)) {
                            receiptEntry[0] = encryptInto(sessions, from,
                                    new Payload.DeliveryReceipt(MessageIds.random(randomness), now, List.of(text.id())));
                            store.addToOutbox(receiptEntry[0], now, sessions.current().orElseThrow().remoteIdentity());
                        }
                    }
                    case Payload.DeliveryReceipt delivered -> delivered.messageIds()
                            .forEach(m -> store.raiseStatus(from, m, MessageStatus.DELIVERED));
                    case Payload.ReadReceipt read -> read.messageIds().forEach(m -> store.raiseStatus(from, m, MessageStatus.READ));
                    default -> {
                        // typing needs no storage; unknown types and stray content keys are ignored (CRYPTO.md §4)
                    }
                }
                store.saveSessions(from, PeerSessionsCodec.encode(sessions));
            });
        } catch (ClientException e) {
            undecryptable(from, id, Failure.NO_SESSION, now, events);
            return Optional.empty();
        }
        if (observed[0].changed()) {
            Identities.Observed changed = observed[0];
            events.add(() -> changed.report(listener));
        }
        switch (payload) {
            case Payload.Text text -> events.add(() -> listener.onMessage(
                    new IncomingMessage(from, text.id(), text.text(), text.sentAt(), serverTime)));
            case Payload.DeliveryReceipt delivered -> events.add(() -> listener.onDelivered(from, delivered.messageIds()));
            case Payload.ReadReceipt read -> events.add(() -> listener.onRead(from, read.messageIds()));
            case Payload.Typing typing -> events.add(() -> listener.onTyping(from, typing.typing()));
            default -> {
            }
        }
        transport.ack(id, from);
        return Optional.ofNullable(receiptEntry[0]);
    }

    /** A message that can never be decrypted: remembered and acknowledged, so it does not block the queue. */
    private void undecryptable(String from, String id, Failure failure, long now, List<Runnable> events) {
        store.markReceived(from, id, now);
        transport.ack(id, from);
        events.add(() -> listener.onUndecryptable(from, id, failure.name()));
    }

    /** Encrypts and queues a read receipt for the given received messages that were unread. */
    Optional<OutboxEntry> markRead(String from, List<String> messageIds) throws ClientException {
        lock.lock();
        try {
            List<String> newlyRead = new ArrayList<>();
            store.transaction(() -> messageIds.stream().filter(m -> store.markRead(from, m)).forEach(newlyRead::add));
            Optional<Contact> contact = store.contact(from);
            if (newlyRead.isEmpty() || contact.isEmpty() || contact.get().trust() == Contact.Trust.CHANGED) {
                return Optional.empty();
            }
            return Optional.of(encryptAndQueue(from, new Payload.ReadReceipt(MessageIds.random(randomness), clock.millis(), newlyRead)));
        } finally {
            lock.unlock();
        }
    }
}
