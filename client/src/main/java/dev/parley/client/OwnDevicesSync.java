package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.HistoryStore;
import dev.parley.protocol.codec.Bytes;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.HistoryEntry;
import dev.parley.protocol.payload.Payload;
import dev.parley.protocol.payload.TrustState;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Sync payloads between this account's own devices (LINKED-DEVICES.md, "Sync payloads";
 * CRYPTO.md §4 types 0x06..0x0A). They go to one's own username, so the server routes them to
 * every other device of the account and sees only envelopes. Sending: queued in the outbox in
 * the caller's transaction, only while the account's accepted own list has another device.
 * Receiving ({@link #apply}): only from one's own account (the receiver checks {@code from}),
 * inside the receive transaction.
 */
final class OwnDevicesSync {

    /** What a received sync payload changed, for the listener (after the commit). */
    interface Effect {
        void report(ParleyListener listener);
    }

    /** Set on a device linked with history to come, until its last chunk arrived. */
    static final String AWAITING_HISTORY = "awaiting_history";

    private final ClientStore store;
    private final Supplier<String> self;
    private final Randomness randomness;
    private final Clock clock;

    OwnDevicesSync(ClientStore store, Supplier<String> self, Randomness randomness, Clock clock) {
        this.store = store;
        this.self = self;
        this.randomness = randomness;
        this.clock = clock;
    }

    /** This account's name (null before there is one). */
    String self() {
        return self.get();
    }

    /** Whether the accepted own list has a device besides this one. */
    boolean hasOtherDevices() {
        String own = self.get();
        return own != null && store.devices.list(own).map(list -> list.devices().size() > 1).orElse(false);
    }

    /** The sent transcript of {@code text} to {@code to}, encoded (id and sentAt the original's), or null when there is no other device. */
    byte[] transcript(String to, Payload.Text text) throws ClientException {
        return hasOtherDevices() ? Messaging.encode(new Payload.SentTranscript(text.id(), text.sentAt(), to, text.text())) : null;
    }

    /** Tells the other devices that {@code peer}'s messages up to {@code serverTime} were read here (in the caller's transaction). */
    void readUpTo(String peer, long serverTime) throws ClientException {
        queue(new Payload.ReadUpTo(MessageIds.random(randomness), clock.millis(), peer, serverTime));
    }

    /** Tells the other devices that a group's messages up to {@code serverTime} were read here (in the caller's transaction). */
    void groupReadUpTo(dev.parley.protocol.groups.GroupId group, long serverTime) throws ClientException {
        queue(new Payload.GroupReadUpTo(MessageIds.random(randomness), clock.millis(), group, serverTime));
    }

    /** Tells the other devices the user's trust decision about {@code peer}'s {@code identity}. */
    void trust(String peer, PublicIdentity identity, TrustState state) throws ClientException {
        queue(new Payload.TrustDecision(MessageIds.random(randomness), clock.millis(), peer, identityKey(identity), state));
    }

    /** Tells the other devices that the user blocked or unblocked {@code peer} (type 0x15, in the caller's transaction). */
    void block(String peer, boolean blocked) throws ClientException {
        queue(new Payload.Block(MessageIds.random(randomness), clock.millis(), peer, blocked));
    }

    /** Tells the other devices that this one was linked (the new device, after its first login). */
    void deviceLinked(int deviceId, long linkedAt, String name) throws ClientException {
        queue(new Payload.DeviceLinked(MessageIds.random(randomness), clock.millis(), deviceId, linkedAt, name));
    }

    private void queue(Payload payload) throws ClientException {
        if (hasOtherDevices()) {
            store.outbox.queue(self.get(), payload.id(), Messaging.encode(payload), clock.millis());
        }
    }

    /** Whether this device, linked with history, still waits for some of it. */
    boolean awaitingHistory() {
        return store.metaFlag(AWAITING_HISTORY);
    }

    /**
     * Applies a sync payload from this account's device {@code fromDevice} (inside the receive
     * transaction); returns what to tell the listener, or null. A payload that is not a sync
     * payload (a text to oneself is never sent) is ignored.
     */
    Effect apply(int fromDevice, Payload payload) {
        switch (payload) {
            case Payload.SentTranscript sent -> {
                var message = new SentElsewhere(sent.peer(), sent.id(), sent.text(), sent.sentAt(), fromDevice);
                store.history.saveTranscript(message);
                return listener -> listener.onSentElsewhere(message);
            }
            case Payload.ReadUpTo read -> {
                store.history.markReadUpTo(read.peer(), read.readUpTo());
                return null;
            }
            case Payload.TrustDecision decision -> {
                return applyTrust(decision);
            }
            case Payload.Block block -> {
                store.blocks.set(block.peer(), block.blocked(), clock.millis());
                return null;
            }
            case Payload.DeviceLinked linked -> {
                store.devices.saveName(linked.deviceId(), linked.name());
                return listener -> listener.onDeviceLinked(linked.deviceId(), linked.name(), linked.linkedAt());
            }
            case Payload.HistoryChunk chunk -> {
                if (!store.metaFlag(AWAITING_HISTORY)) {
                    return null; // history for a device linked after this one
                }
                for (HistoryEntry entry : chunk.entries()) {
                    store.history.importEntry(new HistoryStore.Entry(entry.direction() == HistoryEntry.Direction.OUTGOING,
                            entry.peer(), entry.messageId(), entry.sentAt(), entry.text()));
                }
                if (chunk.index() == chunk.total() - 1) {
                    store.putMetaFlag(AWAITING_HISTORY, false);
                }
                return listener -> listener.onHistoryProgress(chunk.index() + 1, chunk.total());
            }
            default -> {
                return null;
            }
        }
    }

    /** A trust decision applies only to the identity the contact has here now (LINKED-DEVICES.md, type 0x08). */
    private Effect applyTrust(Payload.TrustDecision decision) {
        var contact = store.contact(decision.peer());
        if (contact.isEmpty() || !Arrays.equals(identityKey(contact.get().identity()), decision.identity())) {
            return null;
        }
        Contact.Trust trust = decision.state() == TrustState.VERIFIED ? Contact.Trust.VERIFIED : Contact.Trust.UNVERIFIED;
        Contact updated = new Contact(contact.get().username(), contact.get().identity(), trust);
        store.saveContact(updated);
        return null;
    }

    /** The 64-byte {@code IK} of a trust decision: {@code IKs || IKd}. */
    static byte[] identityKey(PublicIdentity identity) {
        return Bytes.concat(identity.signingKey(), identity.dhKey());
    }
}
