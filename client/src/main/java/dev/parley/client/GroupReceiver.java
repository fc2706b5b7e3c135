package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupMessage;
import dev.parley.protocol.groups.SenderKeyReceiver;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Payload;
import java.util.List;
import java.util.Optional;

/**
 * The receiving side of groups (docs/CLIENT-MODEL.md, "Groups"), inside {@link Receiver}'s
 * receive transaction and under {@link Messaging#lock}. Group payloads arrive pairwise (a sender
 * key distribution, a change or snapshot part, a receipt, a read-up-to from one's own devices);
 * a group message is the content of a relay marked {@code multi} (a {@code send_multi} copy),
 * with the sender's distribution in its envelope when this device needs it, and starts with
 * {@link GroupMessage#KIND} (the first byte decides nothing: {@link Receiver} routes by
 * {@code multi}). A distribution is
 * installed only from a member of the group held here (through the pairwise session of the
 * device it comes from); a group message is accepted only from a member of the held state (its
 * device already checked against the member's signed list by {@link SenderDevices}), found by
 * its chain among that device's receiving chains, signature checked before decryption (the
 * protocol's {@link SenderKeyReceiver}). A received text is stored, a delivery receipt to its
 * sender queued (pairwise, through the outbox), and the listener told after the commit.
 */
final class GroupReceiver {

    private final ClientStore store;
    private final Messaging messaging;
    private final GroupStates states;
    private final GroupChanges changes;
    private final Outbox outbox;
    private final Randomness randomness;
    private final ParleyListener listener;
    private final ContentReceiver content;

    GroupReceiver(ClientStore store, Messaging messaging, Outbox outbox, Randomness randomness, ContentReceiver content) {
        this.content = content;
        this.store = store;
        this.messaging = messaging;
        this.states = new GroupStates(store);
        this.changes = new GroupChanges(store, states, messaging.username, messaging.listener);
        this.outbox = outbox;
        this.randomness = randomness;
        this.listener = messaging.listener;
    }

    GroupChanges changes() {
        return changes;
    }

    /** Whether a pairwise payload is one of the group payloads (0x0B..0x0E). */
    static boolean isGroupPayload(Payload payload) {
        return payload instanceof Payload.SenderKey || payload instanceof Payload.GroupChangeUpdate
                || payload instanceof Payload.GroupSnapshotPart || payload instanceof Payload.GroupReceipt
                || payload instanceof Payload.GroupReadUpTo;
    }

    /**
     * Before the receive transaction: the author of a change must have an identity here, fetched
     * and trusted on first use like a first message's (its device list checked on the way).
     * SERVER_UNREACHABLE / TIMEOUT: the message waits for the next login.
     */
    void prepare(Payload payload) throws ClientException {
        if (payload instanceof Payload.GroupChangeUpdate update && known(update.change().author()) == null) {
            try {
                messaging.lists.refresh(update.change().author());
            } catch (ClientException e) {
                if (e.reason() == ClientException.Reason.SERVER_UNREACHABLE || e.reason() == ClientException.Reason.TIMEOUT) {
                    throw e;
                }
                // no identity: the change is refused (bad_signature) with the reason
            }
        }
    }

    /** The identity held here for {@code username} (this account's own for itself), or null. */
    private PublicIdentity known(String username) {
        if (username.equals(messaging.username)) {
            return messaging.identity.publicIdentity();
        }
        return store.contact(username).map(Contact::identity).orElse(null);
    }

    /** A group payload from {@code from}'s device {@code fromDevice} ({@code own}: this account's); returns whether something was queued. */
    boolean apply(String from, int fromDevice, boolean own, Payload payload, long serverTime, long now, List<Runnable> events)
            throws ClientException {
        switch (payload) {
            case Payload.SenderKey key -> install(from, fromDevice, key);
            case Payload.GroupChangeUpdate update -> changes.receive(from, fromDevice, update.change(), this::known, serverTime,
                    now, events);
            case Payload.GroupSnapshotPart part -> changes.snapshotPart(from, own, part, this::known, now, events);
            case Payload.GroupReceipt receipt -> {
                if (!own) {
                    receipt(from, receipt, events);
                }
            }
            case Payload.GroupReadUpTo read -> {
                if (own) {
                    store.groupHistory.markReadUpTo(read.groupId().text(), read.readUpTo());
                }
            }
            default -> {
            }
        }
        return false;
    }

    /**
     * Installs a distribution from a member of the group held here; from anyone else it is
     * ignored. For a group not held here at all (a device just linked whose snapshot is still on
     * its way) it is kept, and used only once the group is held with the sender as a member
     * ({@link #open} checks that for every message).
     */
    private void install(String from, int fromDevice, Payload.SenderKey key) throws ClientException {
        GroupId groupId = key.distribution().groupId();
        Optional<GroupStates.Held> held = states.held(groupId);
        if (held.isPresent() && (!held.get().active() || !held.get().state().isMember(from))) {
            return;
        }
        SenderKeyReceiver receiver = receiver(groupId.text(), from, fromDevice);
        store.groups.saveReceiver(groupId.text(), from, fromDevice, receiver.install(key.distribution()).encode());
    }

    private SenderKeyReceiver receiver(String groupId, String from, int fromDevice) {
        return store.groups.receiver(groupId, from, fromDevice).map(bytes -> {
            try {
                return SenderKeyReceiver.decode(bytes);
            } catch (ProtocolException e) {
                return SenderKeyReceiver.empty(); // damaged: the sender's next distribution repairs it
            }
        }).orElseGet(SenderKeyReceiver::empty);
    }

    private void receipt(String from, Payload.GroupReceipt receipt, List<Runnable> events) {
        String group = receipt.groupId().text();
        List<String> raised = receipt.messageIds().stream()
                .filter(id -> store.groupHistory.receipt(group, id, from, receipt.read())).toList();
        for (String id : raised) {
            store.groupHistory.raiseStatus(group, messaging.username, id,
                    receipt.read() ? MessageStatus.READ : MessageStatus.DELIVERED);
        }
        if (!raised.isEmpty()) {
            events.add(() -> listener.onGroupReceipt(group, from, receipt.read(), raised));
        }
    }

    /**
     * Opens a group message (the relay's content) from {@code from}'s device {@code fromDevice}
     * and stores what it brings; returns whether a receipt was queued. A message that cannot be
     * opened is reported as undecryptable (its pairwise envelope, if any, was applied).
     */
    boolean open(String from, int fromDevice, boolean own, String id, byte[] message, long serverTime, long now,
            List<Runnable> events) throws ClientException {
        byte[] chainId;
        try {
            chainId = GroupMessage.chainId(message);
        } catch (ProtocolException e) {
            return undecryptable(from, id, "MALFORMED", events);
        }
        for (String group : store.groups.receiverGroups(from, fromDevice)) {
            SenderKeyReceiver receiver = receiver(group, from, fromDevice);
            if (receiver.hasChain(chainId)) {
                return open(group, receiver, from, fromDevice, own, id, message, serverTime, now, events);
            }
        }
        return undecryptable(from, id, "no sender key of " + from + " (device " + fromDevice + ") opens this group message",
                events);
    }

    private boolean open(String group, SenderKeyReceiver receiver, String from, int fromDevice, boolean own, String id,
            byte[] message, long serverTime, long now, List<Runnable> events) throws ClientException {
        GroupId groupId = GroupSealing.groupId(group);
        Optional<GroupStates.Held> held = states.held(groupId);
        if (held.isEmpty() || !held.get().active() || !held.get().state().isMember(from)) {
            return undecryptable(from, id, "a group message from " + from + ", who is not a member of the group here", events);
        }
        Payload payload;
        try {
            var opened = receiver.decrypt(groupId, message, now);
            payload = GroupMessage.payload(opened.paddedPayload()); // a text or typing only
            store.groups.saveReceiver(group, from, fromDevice, opened.next().encode());
        } catch (ProtocolException e) {
            return undecryptable(from, id, e.failure().name(), events);
        }
        switch (payload) {
            case Payload.Text text -> {
                GroupEntry entry = new GroupEntry(group, text.id(), from, fromDevice, own, GroupEntry.Kind.TEXT, text.text(),
                        text.sentAt(), serverTime);
                if (!store.groupHistory.add(entry, false)) {
                    return false; // the same text again (under another relay id)
                }
                events.add(() -> listener.onGroupMessage(entry));
                content.textArrived(ConversationRef.group(group), text.id(), now, events);
                if (!own && store.contact(from).map(c -> c.trust() != Contact.Trust.CHANGED).orElse(false)) {
                    outbox.queue(from, new Payload.GroupReceipt(MessageIds.random(randomness), now, groupId, false,
                            List.of(text.id())));
                    return true;
                }
                return false;
            }
            case Payload.Typing typing -> {
                if (!own) {
                    events.add(() -> listener.onGroupTyping(group, from, typing.typing()));
                }
                return false;
            }
            default -> {
                if (!ContentReceiver.isContent(payload)
                        || !content.fromGroup(group, from, fromDevice, own, payload, serverTime, now, events)) {
                    return false; // a control, a message again, or one of this account's; GroupMessage.payload admits nothing else
                }
                if (store.contact(from).map(c -> c.trust() != Contact.Trust.CHANGED).orElse(false)) {
                    outbox.queue(from, new Payload.GroupReceipt(MessageIds.random(randomness), now, groupId, false,
                            List.of(payload.id())));
                    return true;
                }
                return false;
            }
        }
    }

    private boolean undecryptable(String from, String id, String reason, List<Runnable> events) {
        events.add(() -> listener.onUndecryptable(from, id, reason));
        return false;
    }
}
