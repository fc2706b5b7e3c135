package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupOutboxStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupState;
import dev.parley.protocol.groups.SenderChain;
import dev.parley.protocol.payload.Padding;
import dev.parley.protocol.payload.Payload;
import dev.parley.wire.WireJson;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import dev.parley.wire.frames.DeliveryFrames.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The SDK's group operations ({@link ParleyClient}'s group methods delegate here): changes
 * through {@link GroupAdmin}, texts committed to the group history and the group outbox in one
 * transaction (sent by {@link GroupOutbox}), typing sent once to the devices that already hold
 * this device's chain (never queued, never a distribution: a lost typing frame must not leave a
 * device without the chain; naming the recipient set of its list when one is kept), read
 * receipts and the read-up-to sync, and what the history and the receipts say.
 */
final class Groups {

    /** Groups larger than this send no typing (GROUPS.md, "Clients"). */
    static final int MAX_TYPING_MEMBERS = 100;

    private final ClientStore store;
    private final Supplier<CurrentIdentity.Identity> identity;
    private final Supplier<ServerConnection> connection;
    private final GroupOutbox groupOutbox;
    private final Outbox outbox;
    private final OwnDevicesSync sync;
    private final Randomness randomness;
    private final Clock clock;
    private final Executor events;
    private final GroupStates states;
    private final GroupRecipientSets sets;

    Groups(ClientStore store, Supplier<CurrentIdentity.Identity> identity, Supplier<ServerConnection> connection,
            GroupOutbox groupOutbox, Outbox outbox, OwnDevicesSync sync, Randomness randomness, Clock clock, Executor events) {
        this.store = store;
        this.identity = identity;
        this.connection = connection;
        this.groupOutbox = groupOutbox;
        this.outbox = outbox;
        this.sync = sync;
        this.randomness = randomness;
        this.clock = clock;
        this.events = events;
        this.states = new GroupStates(store);
        this.sets = new GroupRecipientSets(store);
    }

    private CurrentIdentity.Identity current() throws ClientException {
        CurrentIdentity.Identity current = identity.get();
        if (current == null) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home has no account");
        }
        return current;
    }

    private GroupAdmin admin() throws ClientException {
        CurrentIdentity.Identity current = current();
        return new GroupAdmin(store, current.messaging(), current.receiver().groups().changes(), randomness, clock);
    }

    GroupSealing sealing() {
        CurrentIdentity.Identity current = identity.get();
        return current == null ? null : new GroupSealing(store, current.messaging(), states, randomness);
    }

    // ---- changes ------------------------------------------------------------------------------------

    GroupInfo create(String name, List<String> members) throws ClientException {
        List<Runnable> done = new ArrayList<>();
        GroupId id = admin().create(name, members, done);
        changed(done);
        return info(id.text());
    }

    /** One change (or a split add / remove / leave) to {@code group}, named by id or unique name. */
    void change(String group, GroupChangeWork work) throws ClientException {
        GroupId id = states.resolve(group).id();
        List<Runnable> done = new ArrayList<>();
        work.run(admin(), id, done);
        changed(done);
    }

    /** A change to run with the group's admin side. */
    @FunctionalInterface
    interface GroupChangeWork {
        void run(GroupAdmin admin, GroupId group, List<Runnable> events) throws ClientException;
    }

    void snapshotsToOwnDevices() throws ClientException {
        admin().snapshotsToOwnDevices();
        groupOutbox.pump();
    }

    private void changed(List<Runnable> done) {
        groupOutbox.pump();
        report(done);
    }

    // ---- texts, typing, reading -----------------------------------------------------------------------

    /** Commits a text to the group history and the group outbox; waits (connected) until the server stored it. */
    String send(String group, String text, Duration timeout, BooleanSupplier connected) throws ClientException {
        CurrentIdentity.Identity current = current();
        GroupStates.Held held = states.resolve(group);
        if (!held.active()) {
            throw new ClientException(Reason.REFUSED, "this account is no longer a member of group " + group);
        }
        String groupId = held.id().text();
        Payload.Text payload = new Payload.Text(MessageIds.random(randomness), clock.millis(), text);
        byte[] encoded = Messaging.encode(payload);
        String self = current.messaging().username;
        store.transaction(() -> {
            store.groupHistory.add(new GroupEntry(groupId, payload.id(), self, 0, true, GroupEntry.Kind.TEXT, text,
                    payload.sentAt(), 0), true);
            store.groupOutbox.queue(payload.id(), groupId, GroupOutboxStore.Kind.MESSAGE, encoded, List.of(), clock.millis());
        });
        groupOutbox.pump();
        awaitStored(groupId, self, payload.id(), timeout, connected);
        return payload.id();
    }

    /** Connected: waits until the server stored a group message of ours that was just queued, at most {@code timeout}. */
    void awaitStored(String groupId, String self, String id, Duration timeout, BooleanSupplier connected)
            throws ClientException {
        if (connected.getAsBoolean()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (store.groupHistory.outgoingStatus(groupId, self, id).orElse(MessageStatus.STORED) == MessageStatus.SENDING) {
                if (System.nanoTime() > deadline) {
                    throw new ClientException(connected.getAsBoolean() ? Reason.TIMEOUT : Reason.SERVER_UNREACHABLE, "group message "
                            + id + " is kept in the outbox, but the server has not stored it within "
                            + timeout.toSeconds() + " s; it is sent again on the next connect");
                }
                pause();
            }
        }
    }

    /** The group named by id or unique name, if this account is an active member of it (REFUSED otherwise). */
    GroupStates.Held active(String group) throws ClientException {
        GroupStates.Held held = states.resolve(group);
        if (!held.active()) {
            throw new ClientException(Reason.REFUSED, "this account is no longer a member of group " + group);
        }
        return held;
    }

    /** The group id of a group named by id or unique name. */
    String resolveId(String group) throws ClientException {
        return states.resolve(group).id().text();
    }

    /** Typing in {@code group}: once, if connected, to the members whose devices all hold this device's current chain. */
    void typing(String group, boolean typing) throws ClientException {
        CurrentIdentity.Identity current = current();
        GroupStates.Held held = states.resolve(group);
        ServerConnection open = connection.get();
        if (!held.active() || held.state().members().size() > MAX_TYPING_MEMBERS || open == null || !open.isOpen()) {
            return;
        }
        Messaging messaging = current.messaging();
        String groupId = held.id().text();
        messaging.lock.lock();
        try {
            var stored = store.groups.senderChain(groupId);
            if (stored.isEmpty()) {
                return; // nothing was distributed yet
            }
            Set<String> distributed = new HashSet<>(store.groups.distributed(groupId));
            Map<String, List<Integer>> devices = sealing().devicesOf(held.state().usernames(), new TreeMap<>());
            Set<String> recipients = new HashSet<>();
            devices.forEach((member, ids) -> ids.forEach(d -> recipients.add(member + "/" + d)));
            if (!recipients.containsAll(distributed)) {
                return; // the next text starts a new chain first
            }
            List<MultiRecipient> to = new ArrayList<>();
            devices.forEach((member, ids) -> {
                if (ids.stream().allMatch(d -> distributed.contains(member + "/" + d))) {
                    to.add(new MultiRecipient(member, ids.stream().map(d -> new MultiDevice(d, null)).toList()));
                }
            });
            if (to.isEmpty()) {
                return;
            }
            var payload = new Payload.Typing(MessageIds.random(randomness), clock.millis(), typing);
            var encrypted = SenderChain.decode(stored.get()).encrypt(held.id(), Padding.encodeAndPad(payload));
            store.groups.saveSenderChain(groupId, encrypted.next().encode(), false);
            typingFrame(open, groupId, new SendMulti(payload.id(), WireJson.base64(encrypted.message()), to));
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "cannot encrypt typing for the group: " + e.failure(), e);
        } finally {
            messaging.lock.unlock();
        }
    }

    /**
     * Sends a typing frame, naming the recipient set kept for exactly its list if there is one
     * ({@link GroupRecipientSets}); a set the server no longer holds is forgotten and the frame
     * goes once more with its list. Typing is never queued: any other failure loses it.
     */
    private void typingFrame(ServerConnection open, String groupId, SendMulti listed) {
        SendMulti frame = sets.frameFor(groupId, listed);
        open.requestAsync(frame, Stored.class).whenComplete((stored, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            if (stored != null && frame.recipientSet() == null && stored.recipientSet() != null) {
                sets.learned(groupId, listed, stored.recipientSet());
            } else if (frame.recipientSet() != null && cause instanceof dev.parley.client.net.ServerError refused
                    && refused.code().orElse(null) == dev.parley.wire.ErrorCode.UNKNOWN_RECIPIENT_SET) {
                sets.dropped(groupId, listed);
                typingFrame(open, groupId, listed);
            }
        });
    }

    /** Marks texts of a group seen; queues a read receipt to each sender of those that were unread, and the read-up-to sync. */
    void markRead(String group, List<String> ids) throws ClientException {
        GroupStates.Held held = states.resolve(group);
        String groupId = held.id().text();
        CurrentIdentity.Identity current = current();
        current.messaging().lock.lock();
        try {
            store.transaction(() -> {
                List<GroupEntry> read = store.groupHistory.markSeen(groupId, ids);
                Map<String, List<String>> bySender = new TreeMap<>();
                read.forEach(e -> bySender.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.id()));
                for (var sender : bySender.entrySet()) {
                    boolean changed = store.contact(sender.getKey()).map(c -> c.trust() == Contact.Trust.CHANGED).orElse(true);
                    if (!changed) {
                        outbox.queue(sender.getKey(), new Payload.GroupReceipt(MessageIds.random(randomness), clock.millis(),
                                held.id(), true, sender.getValue()));
                    }
                }
                var upTo = store.groupHistory.latestServerTime(groupId, read.stream().map(GroupEntry::id).toList());
                if (upTo.isPresent()) {
                    sync.groupReadUpTo(held.id(), upTo.get());
                }
            });
        } finally {
            current.messaging().lock.unlock();
        }
        outbox.pump();
    }

    // ---- what is held ------------------------------------------------------------------------------------

    List<GroupInfo> list() throws ClientException {
        return states.all().stream().map(GroupStates::info).toList();
    }

    GroupInfo info(String group) throws ClientException {
        return GroupStates.info(states.resolve(group));
    }

    List<GroupEntry> history(String group) throws ClientException {
        return store.groupHistory.history(states.resolve(group).id().text());
    }

    /** Texts not yet shown, of every group: received ones unread, and those this account's other devices sent. */
    List<GroupEntry> unseen() {
        return store.groupHistory.unseen();
    }

    GroupReceipts receipts(String group, String id) throws ClientException {
        GroupStates.Held held = states.resolve(group);
        String self = current().messaging().username;
        String groupId = held.id().text();
        MessageStatus status = store.groupHistory.outgoingStatus(groupId, self, id).orElseThrow(() ->
                new ClientException(Reason.REFUSED, "no message " + id + " of yours in group " + group));
        Map<String, Boolean> receipts = store.groupHistory.receipts(groupId, id);
        GroupState state = held.state();
        return new GroupReceipts(groupId, id, status, (int) state.usernames().stream().filter(m -> !m.equals(self)).count(),
                List.copyOf(receipts.keySet()), receipts.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                        .toList());
    }

    private void report(List<Runnable> done) {
        try {
            events.execute(() -> done.forEach(UnpromptedFrames::safely));
        } catch (RejectedExecutionException closed) {
            // the client is closing; the store has the state
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
