package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.OutboxStore.OutboxEntry;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Digests;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.fanout.FanOut;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.PayloadCodec;
import dev.parley.protocol.session.PeerSessions;
import dev.parley.protocol.session.PeerSessionsCodec;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One identity's encrypting side (docs/CLIENT-MODEL.md, "The outbox" and "Devices"; CRYPTO.md
 * §3.4, §5). An outbox entry is sealed when it is first sent: its payload is encrypted once as
 * the fan-out content, and the content key goes to every device of the recipient's accepted
 * device list (or, to one's own account, to every other device of it) in that device's session.
 * The content, its key and the envelopes are committed in the same transaction as the session
 * states that produced them, before the frame goes out: a crash neither reuses a message key
 * nor loses the message. The receiving side is {@link Receiver}; sessions live in
 * {@link DeviceSessions}.
 *
 * <p>All session changes run under {@link #lock}, so the receive thread, the outbox and callers
 * on other threads never interleave on a session.
 */
final class Messaging {

    /** What the sessions need from the server. */
    interface Transport {
        /** {@code get_prekey_bundle} for one device: the bundle, or UNKNOWN_USER / REFUSED / SERVER_UNREACHABLE. */
        dev.parley.wire.frames.PreKeyFrames.BundleKeys fetchBundle(String username, int device) throws ClientException;

        /** {@code get_devices}: the server's answer about {@code username}'s devices. */
        dev.parley.wire.frames.DeviceFrames.Devices fetchDevices(String username) throws ClientException;

        /** Acknowledges a relayed message to the server. */
        void ack(String id, String from);
    }

    /** A sealed entry as it goes on the wire: the shared content (null for an entry from before devices) and the envelopes. */
    record Sealed(String content, List<DeviceEnvelope> envelopes) {
        static Sealed of(OutboxEntry entry) {
            List<DeviceEnvelope> envelopes = new ArrayList<>();
            entry.envelopes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> envelopes.add(new DeviceEnvelope(e.getKey(), e.getValue())));
            return new Sealed(entry.content(), envelopes);
        }

        @Override
        public String toString() {
            return "Sealed[devices=" + envelopes.stream().map(DeviceEnvelope::device).toList() + "]";
        }
    }

    private final ClientStore store;
    private final Randomness randomness;
    // Shared with the receiving side (Receiver, OwnDevicesSync), which runs under the same lock:
    final IdentityKeyPair identity;
    final String username;
    final int device;
    final dev.parley.client.sessions.LocalPreKeys preKeys;
    final Identities identities;
    final DeviceLists lists;
    final DeviceSessions sessions;
    final Transport transport;
    final ParleyListener listener;
    /** Held for every change to a session, a contact's identity or a device list. */
    final ReentrantLock lock = new ReentrantLock();

    Messaging(ClientStore store, IdentityKeyPair identity, String username, int device,
            dev.parley.client.sessions.LocalPreKeys preKeys, Randomness randomness, Transport transport,
            ParleyListener listener) {
        this.store = store;
        this.identity = identity;
        this.username = username;
        this.device = device;
        this.preKeys = preKeys;
        this.identities = new Identities(store);
        this.randomness = randomness;
        this.transport = transport;
        this.listener = listener;
        this.lists = new DeviceLists(store, identity, username, device, transport, identities, listener);
        this.sessions = new DeviceSessions(store, identity, username, randomness, transport, identities, listener);
    }

    /** Refuses what may not be sent to {@code to} at all: yourself, or a verified contact whose identity changed. */
    void checkSendable(String to) throws ClientException {
        if (to.equals(username)) {
            throw new ClientException(Reason.REFUSED, "you cannot send messages to yourself");
        }
        checkTrusted(to);
        Blocking.checkNotBlocked(store, to);
    }

    private void checkTrusted(String to) throws ClientException {
        Optional<Contact> contact = store.contact(to);
        if (contact.isPresent() && contact.get().trust() == Contact.Trust.CHANGED) {
            throw Identities.refusal(contact.get());
        }
    }

    /**
     * Seals an outbox entry that holds its payload for every device of its recipient and commits
     * it with the session states, in one transaction; returns what to send, or empty when there
     * is no device to send it to (a sync payload while this is the account's only device: the
     * entry is removed).
     */
    Optional<Sealed> seal(OutboxEntry entry) throws ClientException {
        String to = entry.recipient();
        lock.lock();
        try {
            if (!to.equals(username)) {
                checkTrusted(to);
            }
            try {
                return sealFor(entry, lists.recipientDevices(to));
            } catch (ClientException e) {
                if (e.reason() != Reason.REFUSED) {
                    throw e;
                }
                // a device of the held list is gone (unknown_device) or its bundle failed: check the list again, once
                return sealFor(entry, lists.refreshRecipientDevices(to));
            }
        } finally {
            lock.unlock();
        }
    }

    private Optional<Sealed> sealFor(OutboxEntry entry, List<Integer> devices) throws ClientException {
        String to = entry.recipient();
        if (devices.isEmpty()) {
            store.outbox.remove(to, entry.id());
            return Optional.empty();
        }
        Payload payload = decode(entry.payload());
        FanOut.Sealed sealed;
        try {
            sealed = FanOut.seal(payload, randomness);
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "cannot encrypt for " + to + ": " + e.failure(), e);
        }
        byte[] keyPayload = encode(sealed.keyPayload(entry.id(), payload.sentAt()));
        Map<Integer, PeerSessions> advanced = new LinkedHashMap<>();
        Map<Integer, String> envelopes = new LinkedHashMap<>();
        for (int d : devices) {
            PeerSessions peer = sessions.sending(to, d);
            envelopes.put(d, encryptWith(peer, to, keyPayload));
            advanced.put(d, peer);
        }
        PublicIdentity recipient = recipientIdentity(to);
        String content = WireJson.base64(sealed.content());
        store.transaction(() -> {
            advanced.forEach((d, peer) -> store.devices.saveSession(to, d, PeerSessionsCodec.encode(peer)));
            store.outbox.sealed(to, entry.id(), content, sealed.key(), envelopes, recipient);
            store.undelivered.encryptedFor(to, entry.id(), recipient);
        });
        return Optional.of(Sealed.of(store.outbox.entry(to, entry.id()).orElseThrow()));
    }

    /**
     * The recipient's device list changed after {@code entry} was sealed ({@code mismatched_devices}):
     * fetches and verifies the list again, drops the sessions and envelopes of devices that left it,
     * and adds a key message for the same content to each device that joined. Returns what to send
     * again under the same id (empty: a sync payload with no other device left, removed). An entry
     * from before devices existed has no content to add a device to: REFUSED.
     */
    Optional<Sealed> resealForDevices(OutboxEntry entry, long now) throws ClientException {
        String to = entry.recipient();
        lock.lock();
        try {
            List<Integer> devices = lists.refreshRecipientDevices(to);
            if (devices.isEmpty()) { // a sync payload, and this is now the account's only device
                store.outbox.remove(to, entry.id());
                return Optional.empty();
            }
            if (devices.equals(new ArrayList<>(new java.util.TreeSet<>(entry.envelopes().keySet())))) {
                throw new ClientException(Reason.REFUSED, "the server's devices for " + to + " differ from the device list "
                        + to + " signed; nothing was sent to a device the account did not approve");
            }
            if (entry.content() == null && devices.stream().anyMatch(d -> !entry.envelopes().containsKey(d))) {
                throw new ClientException(Reason.REFUSED, to + " linked a device since message " + entry.id()
                        + " was encrypted (before this client knew devices); send it again");
            }
            Map<Integer, PeerSessions> advanced = new LinkedHashMap<>();
            Map<Integer, String> added = new LinkedHashMap<>();
            if (entry.content() != null) {
                byte[] content = WireJson.fromBase64(entry.content());
                byte[] keyPayload = encode(new Payload.ContentKey(entry.id(), now, entry.contentKey(),
                        Digests.sha256(content)));
                for (int d : devices) {
                    if (!entry.envelopes().containsKey(d)) {
                        PeerSessions peer = sessions.sending(to, d);
                        added.put(d, encryptWith(peer, to, keyPayload));
                        advanced.put(d, peer);
                    }
                }
            }
            store.transaction(() -> {
                for (int d : entry.envelopes().keySet()) {
                    if (!devices.contains(d)) {
                        store.outbox.removeEnvelope(to, entry.id(), d);
                    }
                }
                advanced.forEach((d, peer) -> store.devices.saveSession(to, d, PeerSessionsCodec.encode(peer)));
                added.forEach((d, envelope) -> store.outbox.addEnvelope(to, entry.id(), d, envelope));
            });
            return Optional.of(Sealed.of(store.outbox.entry(to, entry.id()).orElseThrow()));
        } finally {
            lock.unlock();
        }
    }

    /** Encrypts a typing indicator for every device of {@code to}, committing only the sessions: it is sent once, never kept. */
    Sealed encryptTyping(String to, Payload.Typing typing) throws ClientException {
        lock.lock();
        try {
            checkSendable(to);
            List<Integer> devices = lists.recipientDevices(to);
            byte[] encoded = encode(typing);
            Map<Integer, PeerSessions> advanced = new LinkedHashMap<>();
            List<DeviceEnvelope> envelopes = new ArrayList<>();
            for (int d : devices) {
                PeerSessions peer = sessions.sending(to, d);
                envelopes.add(new DeviceEnvelope(d, encryptWith(peer, to, encoded)));
                advanced.put(d, peer);
            }
            store.transaction(() -> advanced.forEach((d, peer) -> store.devices.saveSession(to, d,
                    PeerSessionsCodec.encode(peer))));
            return new Sealed(null, envelopes);
        } finally {
            lock.unlock();
        }
    }

    private PublicIdentity recipientIdentity(String to) throws ClientException {
        if (to.equals(username)) {
            return identity.publicIdentity();
        }
        return store.contact(to).map(Contact::identity).orElseThrow(() -> new ClientException(Reason.FAILED,
                "no identity is known for " + to));
    }

    /** One whole pairwise message (padded {@code payload}) in {@code peer}'s current session, base64url; the caller commits {@code peer}. */
    String encryptWith(PeerSessions peer, String to, byte[] payload) throws ClientException {
        try {
            return WireJson.base64(peer.encrypt(Padding.pad(payload)));
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "cannot encrypt for " + to + ": " + e.failure(), e);
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

    private static Payload decode(byte[] encoded) throws ClientException {
        try {
            return PayloadCodec.decode(encoded);
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "an outbox entry is damaged (" + e.failure() + ")", e);
        }
    }
}
