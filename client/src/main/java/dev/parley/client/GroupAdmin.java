package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupOutboxStore;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChangeRefused;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupMember;
import dev.parley.protocol.groups.GroupOp;
import dev.parley.protocol.groups.GroupRules;
import dev.parley.protocol.groups.GroupSnapshots;
import dev.parley.protocol.groups.GroupState;
import dev.parley.protocol.payload.Payload;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes made on this device (docs/CLIENT-MODEL.md, "Groups"): each is signed with the account
 * identity, checked and applied here with the same rules as a received one
 * ({@link GroupRules#apply}: a change this device may not make is refused before anything is
 * sent), and queued in the group outbox in the same transaction, to every member of the new
 * state, the members it removes and this account's other devices, the added members first, each
 * after the snapshot of the state before the add. A create or add of more than
 * {@link GroupOp#MAX_USERNAMES} names is split into successive changes; the last admin leaving
 * makes the next member an admin first.
 */
final class GroupAdmin {

    /**
     * The largest snapshot part. A group update goes as a whole pairwise message to each device
     * (no shared content), so a member's copies of one part are that many envelopes in one
     * frame: six devices' copies of a part of 2,048 bytes, each with its session's overhead (a
     * first message's handshake included) and base64url, fit one 64 KiB frame.
     */
    static final int SNAPSHOT_PART_BYTES = 2048;

    private final ClientStore store;
    private final Messaging messaging;
    private final GroupStates states;
    private final GroupChanges changes;
    private final Randomness randomness;
    private final Clock clock;

    GroupAdmin(ClientStore store, Messaging messaging, GroupChanges changes, Randomness randomness, Clock clock) {
        this.store = store;
        this.messaging = messaging;
        this.states = new GroupStates(store);
        this.changes = changes;
        this.randomness = randomness;
        this.clock = clock;
    }

    /** Creates a group with this account as its admin; returns its id. Events for the listener are added to {@code events}. */
    GroupId create(String name, List<String> members, List<Runnable> events) throws ClientException {
        String self = messaging.username;
        Set<String> others = new LinkedHashSet<>(members);
        others.remove(self);
        List<String> rest = new ArrayList<>(others);
        List<String> first = rest.subList(0, Math.min(rest.size(), GroupOp.MAX_USERNAMES - 1));
        List<GroupMember> initial = new ArrayList<>();
        initial.add(new GroupMember(self, true));
        first.forEach(m -> initial.add(new GroupMember(m, false)));
        initial.sort((a, b) -> a.username().compareTo(b.username()));
        GroupId id = GroupId.random(randomness);
        GroupChange change;
        try {
            change = GroupChange.create(messaging.identity, self, id, name, initial);
        } catch (IllegalArgumentException e) {
            throw new ClientException(Reason.REFUSED, "cannot create the group: " + e.getMessage());
        }
        commit(null, change, events);
        List<String> later = new ArrayList<>(rest.subList(first.size(), rest.size()));
        add(id, later, events);
        return id;
    }

    /** Adds members, in changes of at most {@link GroupOp#MAX_USERNAMES}. */
    void add(GroupId group, List<String> users, List<Runnable> events) throws ClientException {
        for (int i = 0; i < users.size(); i += GroupOp.MAX_USERNAMES) {
            List<String> chunk = List.copyOf(users.subList(i, Math.min(users.size(), i + GroupOp.MAX_USERNAMES)));
            change(group, () -> new GroupOp.Add(chunk), events);
        }
    }

    /** Removes members, in changes of at most {@link GroupOp#MAX_USERNAMES}. */
    void remove(GroupId group, List<String> users, List<Runnable> events) throws ClientException {
        for (int i = 0; i < users.size(); i += GroupOp.MAX_USERNAMES) {
            List<String> chunk = List.copyOf(users.subList(i, Math.min(users.size(), i + GroupOp.MAX_USERNAMES)));
            change(group, () -> new GroupOp.Remove(chunk), events);
        }
    }

    /** Leaves the group; the last admin makes the next member an admin first. */
    void leave(GroupId group, List<Runnable> events) throws ClientException {
        GroupState state = active(group).state();
        String self = messaging.username;
        boolean lastAdmin = state.isAdmin(self) && state.members().stream().noneMatch(m -> m.admin() && !m.username().equals(self));
        var next = state.members().stream().filter(m -> !m.username().equals(self)).findFirst();
        if (lastAdmin && next.isPresent()) {
            change(group, () -> new GroupOp.Promote(next.get().username()), events);
        }
        change(group, GroupOp.Leave::new, events);
    }

    /** One change to {@code group} (an op that cannot be built, e.g. a bad name, is REFUSED). */
    void change(GroupId group, java.util.function.Supplier<GroupOp> op, List<Runnable> events) throws ClientException {
        GroupState parent = active(group).state();
        GroupChange change;
        try {
            change = GroupChange.next(messaging.identity, messaging.username, parent, op.get());
        } catch (IllegalArgumentException e) {
            throw new ClientException(Reason.REFUSED, "cannot change the group: " + e.getMessage());
        }
        commit(parent, change, events);
    }

    private GroupStates.Held active(GroupId group) throws ClientException {
        var held = states.held(group).filter(GroupStates.Held::active);
        if (held.isEmpty()) {
            throw new ClientException(Reason.REFUSED, "this account is not a member of group " + group.text());
        }
        return held.get();
    }

    /** Applies {@code change} to {@code parent} here and queues it (with the snapshot an add needs), in one transaction. */
    private void commit(GroupState parent, GroupChange change, List<Runnable> events) throws ClientException {
        messaging.lock.lock();
        try {
            GroupState after;
            try {
                after = GroupRules.apply(parent, change, messaging.identity.publicIdentity());
            } catch (GroupChangeRefused e) {
                throw new ClientException(Reason.REFUSED, "the group change was refused: " + e.getMessage());
            }
            long now = clock.millis();
            List<String> added = GroupStates.joining(change);
            List<String> recipients = new ArrayList<>(added);
            after.usernames().stream().filter(m -> !added.contains(m)).forEach(recipients::add);
            GroupStates.leaving(change).stream().filter(m -> !recipients.contains(m)).forEach(recipients::add);
            if (!recipients.contains(messaging.username)) {
                recipients.add(messaging.username); // this account's other devices
            }
            String group = change.groupId().text();
            store.transaction(() -> {
                changes.applied(after, change, messaging.username, 0, 0, now, events);
                if (!added.isEmpty()) {
                    queueSnapshot(parent, added, now);
                }
                queue(group, new Payload.GroupChangeUpdate(MessageIds.random(randomness), now, change), recipients, now);
            });
        } finally {
            messaging.lock.unlock();
        }
    }

    /** The parts of {@code state} to {@code recipients}, in order, as group updates. */
    void queueSnapshot(GroupState state, List<String> recipients, long now) throws ClientException {
        List<byte[]> parts = GroupSnapshots.split(state, SNAPSHOT_PART_BYTES);
        for (int i = 0; i < parts.size(); i++) {
            queue(state.id().text(), new Payload.GroupSnapshotPart(MessageIds.random(randomness), now, state.id(), state.version(),
                    state.hash(), i, parts.size(), parts.get(i)), recipients, now);
        }
    }

    /** Every group this account is in, to this account's other devices (a device just linked takes them as they are). */
    void snapshotsToOwnDevices() throws ClientException {
        long now = clock.millis();
        List<GroupStates.Held> active = states.all().stream().filter(GroupStates.Held::active).toList();
        store.transaction(() -> {
            for (GroupStates.Held held : active) {
                queueSnapshot(held.state(), List.of(messaging.username), now);
            }
        });
    }

    private void queue(String group, Payload payload, List<String> recipients, long now) throws ClientException {
        store.groupOutbox.queue(payload.id(), group, GroupOutboxStore.Kind.UPDATE, Messaging.encode(payload), recipients, now);
    }
}
