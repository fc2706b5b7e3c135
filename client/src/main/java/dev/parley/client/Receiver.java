package dev.parley.client;

import dev.parley.client.sessions.LocalPreKeys;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolException.Failure;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.groups.GroupMessage;
import dev.parley.protocol.keys.Capabilities;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.DevicePair;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.wire.WireLimits;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeliveryFrames.RelayMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Receiving (docs/CLIENT-MODEL.md, "Receiving"): a relayed message is decrypted on a copy of the
 * sessions with the sending device ({@code (from, fromDevice)}; with its {@code content}, as a
 * fan-out); the new session state, consumed prekeys, the history entry, the delivery receipt to
 * send (an outbox entry) and the {@code (from, id)} marker are committed in one transaction, and
 * only then is it acknowledged. A replay already committed is acknowledged again and not shown
 * twice; a message that cannot be decrypted is acknowledged and reported, and so is one from a
 * device that no device list its sender's identity signed has ({@link SenderDevices}: checked
 * before the decryption, and again with the message's identity, so nothing is committed for it
 * and no prekey is consumed). What comes from one's
 * own account must be made with one's own identity and is applied as a sync payload only
 * ({@link OwnDevicesSync#apply}); sync payloads from anyone else are ignored. Group payloads and
 * group messages (the content of a relay marked {@code multi}, with the distribution in the
 * envelope when there is one; never decided by the content's first byte) are
 * {@link GroupReceiver}'s, inside the same transaction.
 */
final class Receiver {

    private final ClientStore store;
    private final Messaging messaging;
    private final Capabilities capabilities;
    private final Outbox outbox;
    private final Randomness randomness;
    private final Clock clock;
    private final OwnDevicesSync sync;
    private final SenderDevices senders;
    private final GroupReceiver groups;
    private final ContentReceiver content;

    Receiver(ClientStore store, Messaging messaging, Outbox outbox, OwnDevicesSync sync, Randomness randomness, Clock clock) {
        this.sync = sync;
        this.senders = new SenderDevices(messaging.lists);
        this.store = store;
        this.messaging = messaging;
        this.capabilities = messaging.preKeys.capabilities();
        this.outbox = outbox;
        this.randomness = randomness;
        this.clock = clock;
        this.content = new ContentReceiver(store, messaging, outbox, randomness);
        this.groups = new GroupReceiver(store, messaging, outbox, randomness, content);
    }

    /** The group side of receiving (and the group changes this identity applies). */
    GroupReceiver groups() {
        return groups;
    }

    /** Handles one {@code relay_message}: decrypt, commit, acknowledge, then tell the listener. */
    void receive(RelayMessage relay) {
        List<Runnable> events = new ArrayList<>();
        boolean queued;
        messaging.lock.lock();
        try {
            queued = receiveLocked(relay, events);
        } finally {
            messaging.lock.unlock();
        }
        if (queued) {
            outbox.pump();
        }
        events.forEach(UnpromptedFrames::safely);
    }

    /** Decrypts and commits one relayed message; returns whether something was queued in the outbox. */
    private boolean receiveLocked(RelayMessage relay, List<Runnable> events) {
        String id = relay.id();
        String from = relay.from();
        int fromDevice = relay.fromDevice();
        boolean own = from.equals(messaging.username);
        if (store.history.received(from, id)) {
            messaging.transport.ack(id, from);
            return false;
        }
        long now = clock.millis();
        if (fromDevice < 1 || fromDevice > WireLimits.MAX_DEVICE_ID) {
            return undecryptable(from, id, Failure.MALFORMED, now, events);
        }
        if (own && fromDevice == messaging.device) {
            return undecryptable(from, id, Failure.NO_SESSION, now, events); // this device never sends to itself
        }
        PublicIdentity expected = own ? messaging.identity.publicIdentity()
                : store.contact(from).map(Contact::identity).orElse(null);
        SenderDevices.Verdict before = senders.beforeDecryption(from, fromDevice, expected);
        switch (before) {
            case SenderDevices.Refused refused -> {
                return undecryptable(from, id, refused.reason(), now, events);
            }
            case SenderDevices.Retry retry -> {
                return false; // not acknowledged: replayed after the next login
            }
            default -> {
            }
        }
        PeerSessions sessions;
        try {
            sessions = messaging.sessions.load(from, fromDevice);
        } catch (ClientException e) {
            return undecryptable(from, id, Failure.NO_SESSION, now, events);
        }
        byte[] envelope; // this device's pairwise message, if any
        byte[] content; // the shared content, if any: a fan-out's, or a group message
        try {
            envelope = relay.envelope() == null ? null : WireJson.fromBase64(relay.envelope());
            content = relay.content() == null ? null : WireJson.fromBase64(relay.content());
        } catch (IllegalArgumentException e) {
            return undecryptable(from, id, Failure.MALFORMED, now, events);
        }
        // Only multi tells what the content is (PROTOCOL.md §6): a send_multi copy's content is a group message and its
        // envelope a whole pairwise message; a send_message copy's content is a fan-out's, opened by its envelope's
        // content key. Never the content's first byte: a fan-out's content is ciphertext and may start with 0x04.
        boolean multi = relay.multi();
        if (envelope == null && (!multi || content == null || expected == null)) {
            // nothing to open pairwise, or a group message from an account never seen
            return undecryptable(from, id, multi && content != null ? Failure.NO_SESSION : Failure.MALFORMED, now, events);
        }
        LocalPreKeys.Handshake handshake = messaging.preKeys.forDecryption();
        Payload payload = null;
        PublicIdentity sender = expected;
        byte[] groupMessage = multi ? content : null;
        try {
            if (envelope != null) {
                Payload[] decoded = new Payload[1];
                sender = sessions.decrypt(envelope, messaging.identity, capabilities, handshake, randomness, clock.instant(),
                        plaintext -> {
                            Payload inside = Padding.unpadAndDecode(plaintext);
                            if (multi || content == null) {
                                decoded[0] = inside; // a whole pairwise message (beside a group message: a distribution)
                            } else if (inside instanceof Payload.ContentKey key) {
                                decoded[0] = FanOut.open(key, content);
                            } else {
                                throw new ProtocolException(Failure.MALFORMED, "a fan-out's envelope without its content key");
                            }
                        }, new DevicePair(messaging.device, fromDevice)).sender();
                payload = decoded[0];
            }
        } catch (ProtocolException e) {
            if (e.failure() != Failure.DUPLICATE) {
                return undecryptable(from, id, e.failure(), now, events);
            }
            store.history.markReceived(from, id, now);
            messaging.transport.ack(id, from);
            return false;
        }
        if (groupMessage != null && !GroupMessage.isGroupMessage(groupMessage)) {
            return undecryptable(from, id, Failure.MALFORMED, now, events);
        }
        if (own && !sender.equals(messaging.identity.publicIdentity())) {
            return undecryptable(from, id, Failure.INVALID_KEY, now, events); // "own" device with another identity
        }
        DeviceList listToStore;
        switch (senders.afterDecryption(from, fromDevice, before, sender)) {
            case SenderDevices.Accepted accepted -> listToStore = accepted.toStore();
            case SenderDevices.Refused refused -> {
                return undecryptable(from, id, refused.reason(), now, events);
            }
            default -> {
                return false; // the list could not be fetched: not acknowledged, replayed after the next login
            }
        }
        boolean group = payload != null && GroupReceiver.isGroupPayload(payload);
        if (group) {
            try {
                groups.prepare(payload);
            } catch (ClientException e) {
                return false; // the change's author could not be fetched: not acknowledged, replayed after the next login
            }
        }
        Identities.Observed[] observed = new Identities.Observed[1];
        boolean[] queued = {false};
        OwnDevicesSync.Effect[] effect = new OwnDevicesSync.Effect[1];
        List<Runnable> groupEvents = new ArrayList<>();
        Payload received = payload;
        PublicIdentity made = sender;
        byte[] groupContent = groupMessage;
        try {
            store.transaction(() -> {
                handshake.commit();
                store.history.markReceived(from, id, now);
                if (!own) {
                    observed[0] = messaging.identities.observe(from, made);
                    if (listToStore != null) { // the first list of this identity: after observe, which forgets an old one
                        messaging.lists.accept(from, listToStore);
                    }
                }
                if (group) {
                    queued[0] = groups.apply(from, fromDevice, own, received, relay.serverTime(), now, groupEvents);
                } else if (received instanceof Payload.SentPayload sent && own) {
                    this.content.fromOwnDevice(fromDevice, sent, relay.serverTime(), now, groupEvents);
                } else if (received != null && own) {
                    effect[0] = sync.apply(fromDevice, received);
                    if (received instanceof Payload.SentTranscript transcript) {
                        this.content.textArrived(ConversationRef.user(transcript.peer()), transcript.id(), now, groupEvents);
                    }
                } else if (received != null) {
                    queued[0] = record(from, fromDevice, received, relay.serverTime(), observed[0].contact(), now, groupEvents);
                }
                if (groupContent != null) {
                    queued[0] |= groups.open(from, fromDevice, own, id, groupContent, relay.serverTime(), now, groupEvents);
                }
                if (envelope != null) {
                    store.devices.saveSession(from, fromDevice, PeerSessionsCodec.encode(sessions));
                }
            });
        } catch (ClientException e) {
            return undecryptable(from, id, Failure.NO_SESSION, now, events);
        }
        events.addAll(groupEvents);
        ParleyListener listener = messaging.listener;
        if (own) {
            if (effect[0] != null) {
                OwnDevicesSync.Effect done = effect[0];
                events.add(() -> done.report(listener));
            }
            messaging.transport.ack(id, from);
            return true; // a trust decision may release held entries
        }
        if (observed[0].changed()) {
            Identities.Observed changed = observed[0];
            events.add(0, () -> changed.report(listener));
        }
        switch (received == null ? new Payload.Unknown(id, 0, 0, new byte[0]) : received) {
            case Payload.Text text -> events.add(() -> listener.onMessage(
                    new IncomingMessage(from, text.id(), text.text(), text.sentAt(), relay.serverTime(), fromDevice)));
            case Payload.DeliveryReceipt delivered -> events.add(() -> listener.onDelivered(from, delivered.messageIds()));
            case Payload.ReadReceipt read -> events.add(() -> listener.onRead(from, read.messageIds()));
            case Payload.Typing typing -> events.add(() -> listener.onTyping(from, typing.typing()));
            default -> {
            }
        }
        messaging.transport.ack(id, from);
        return queued[0];
    }

    /**
     * Stores what {@code payload} changes (inside the receive transaction; messages and controls through
     * {@link ContentReceiver}); returns whether a delivery receipt was queued.
     */
    private boolean record(String from, int fromDevice, Payload payload, long serverTime, Contact contact, long now,
            List<Runnable> events) throws ClientException {
        if (ContentReceiver.isContent(payload)) {
            return content.fromContact(from, fromDevice, payload, serverTime, contact, now, events);
        }
        switch (payload) {
            case Payload.Text text -> {
                store.history.saveIncoming(new IncomingMessage(from, text.id(), text.text(), text.sentAt(), serverTime,
                        fromDevice));
                content.textArrived(ConversationRef.user(from), text.id(), now, events);
                if (contact.trust() != Contact.Trust.CHANGED) {
                    outbox.queue(from, new Payload.DeliveryReceipt(MessageIds.random(randomness), now, List.of(text.id())));
                    return true;
                }
            }
            case Payload.DeliveryReceipt delivered -> delivered.messageIds()
                    .forEach(m -> store.history.raiseStatus(from, m, MessageStatus.DELIVERED));
            case Payload.ReadReceipt read -> read.messageIds()
                    .forEach(m -> store.history.raiseStatus(from, m, MessageStatus.READ));
            default -> {
                // typing needs no storage; unknown types, stray content keys and sync payloads from
                // another account are ignored (CRYPTO.md §4; sync payloads only from one's own devices)
            }
        }
        return false;
    }

    /** A message that can never be decrypted: remembered and acknowledged, so it does not block the queue. */
    private boolean undecryptable(String from, String id, Failure failure, long now, List<Runnable> events) {
        return undecryptable(from, id, failure.name(), now, events);
    }

    private boolean undecryptable(String from, String id, String reason, long now, List<Runnable> events) {
        store.history.markReceived(from, id, now);
        messaging.transport.ack(id, from);
        events.add(() -> messaging.listener.onUndecryptable(from, id, reason));
        return false;
    }

    /** Marks received messages read and queues one read receipt for those that were unread. */
    void markRead(String from, List<String> messageIds) throws ClientException {
        List<String> newlyRead = new ArrayList<>();
        messaging.lock.lock();
        try {
            store.transaction(() -> {
                messageIds.stream().filter(m -> store.history.markRead(from, m)).forEach(newlyRead::add);
                Optional<Contact> contact = store.contact(from);
                if (!newlyRead.isEmpty() && contact.isPresent() && contact.get().trust() != Contact.Trust.CHANGED) {
                    outbox.queue(from, new Payload.ReadReceipt(MessageIds.random(randomness), clock.millis(), newlyRead));
                }
                if (!newlyRead.isEmpty()) {
                    var upTo = store.history.latestServerTime(from, newlyRead);
                    if (upTo.isPresent()) {
                        sync.readUpTo(from, upTo.get());
                    }
                }
            });
        } finally {
            messaging.lock.unlock();
        }
        outbox.pump();
    }
}
