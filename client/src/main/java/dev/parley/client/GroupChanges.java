package dev.parley.client;

import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupStore;
import dev.parley.client.store.GroupStore.SnapshotPart;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupChangeRefused;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupOp;
import dev.parley.protocol.groups.GroupRules;
import dev.parley.protocol.groups.GroupSnapshots;
import dev.parley.protocol.groups.GroupState;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.protocol.payload.Payload;
import dev.parley.wire.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applying group changes here (docs/CLIENT-MODEL.md, "Groups"; the rules are the protocol's
 * {@link GroupRules#apply}): a change received from a member or made on this device is applied
 * to the held state and stored with a system line; a refused one leaves the state as it was and
 * becomes a warning line with its reason (the group history is the SDK's security log of
 * groups); a change beyond the next version is held (at most {@link GroupStore#MAX_HELD} per
 * group) until the versions between arrive. A new member applies the add change that makes it
 * one to the snapshot its admin sent, whose hash the change names; a newly linked device takes
 * the snapshots the approving device sends as they are (its own account's). Members that leave
 * lose their receiving chains here; a group this account left or was removed from loses all of
 * them and this device's sending chain.
 *
 * <p>Runs inside the caller's transaction (the receive transaction, or the one that queues a
 * change made here), under {@link Messaging#lock}; what the listener hears is added to
 * {@code events}, to run after the commit.
 */
final class GroupChanges {

    private final ClientStore store;
    private final GroupStates states;
    private final String self;
    private final ParleyListener listener;

    GroupChanges(ClientStore store, GroupStates states, String self, ParleyListener listener) {
        this.store = store;
        this.states = states;
        this.self = self;
        this.listener = listener;
    }

    /**
     * A change from {@code from}'s device {@code fromDevice}, signed (as it claims) by its author,
     * whose identity here is {@code authorIdentity}; {@code identities} gives the identity of the
     * author of a held change applied after it.
     */
    void receive(String from, int fromDevice, GroupChange change, Function<String, PublicIdentity> identities, long serverTime,
            long now, List<Runnable> events) throws ClientException {
        Optional<GroupStates.Held> held = states.held(change.groupId());
        PublicIdentity author = identities.apply(change.author());
        if (author == null) {
            refused(from, fromDevice, change, "bad_signature", "no identity is known for its author " + change.author(),
                    serverTime, now, events);
            return;
        }
        try {
            GroupState parent = held.map(GroupStates.Held::state).orElse(null);
            GroupState after;
            try {
                after = GroupRules.apply(parent, change, author);
            } catch (GroupChangeRefused e) {
                GroupState snapshot = snapshotFor(change);
                if (snapshot == null || e.reason() == GroupChangeRefused.Reason.BAD_SIGNATURE) {
                    throw e;
                }
                parent = snapshot; // a new member (or one added again): the state before the add that names it
                after = GroupRules.apply(snapshot, change, author);
            }
            applied(after, change, from, fromDevice, serverTime, now, events);
        } catch (GroupChangeRefused e) {
            boolean waiting = held.isEmpty() && !(change.op() instanceof GroupOp.Create);
            if (e.reason() == GroupChangeRefused.Reason.GAP || waiting) {
                if (store.groups.hold(change.groupId().text(), change.version(), change.encode(), change.hash(), now)) {
                    return; // applied when the versions between (or the snapshot) arrive
                }
            }
            refused(from, fromDevice, change, e.reason().code(), e.getMessage(), serverTime, now, events);
            return;
        }
        applyHeld(change.groupId(), identities, now, events);
    }

    /** A snapshot part; a snapshot from this account's own device (a newly linked device's groups) is applied once complete. */
    void snapshotPart(String from, boolean own, Payload.GroupSnapshotPart part, Function<String, PublicIdentity> identities,
            long now, List<Runnable> events) throws ClientException {
        String id = part.groupId().text();
        Optional<GroupStates.Held> held = states.held(part.groupId());
        if (held.isPresent() && held.get().active() && held.get().state().version() >= part.version()) {
            return; // nothing new to this device
        }
        store.groups.savePart(id, from, part.version(), part.stateHash(), new SnapshotPart(part.index(), part.total(),
                part.part()), now);
        if (own) {
            GroupState state = joined(id, from, part.stateHash());
            if (state != null) {
                store.groups.dropParts(id);
                GroupStore.Status status = state.isMember(self) ? GroupStore.Status.ACTIVE : GroupStore.Status.REMOVED;
                store.groups.saveState(id, state.encode(), state.hash(), state.version(), status, now);
                GroupEntry line = line(state.id(), "snapshot-" + WireJson.base64(state.hash()), self, 0, GroupEntry.Kind.SYSTEM,
                        "this device has the group " + state.name() + " (" + state.members().size() + " members)", 0, now);
                GroupInfo info = GroupStates.info(state, status);
                events.add(() -> listener.onGroupChanged(info, line));
            }
        }
        applyHeld(part.groupId(), identities, now, events);
    }

    /**
     * Stores {@code after}, the state {@code change} (by {@code from}'s device {@code device}; 0:
     * made on this device) produced, with its system line, and drops the chains of whoever left.
     */
    void applied(GroupState after, GroupChange change, String from, int device, long serverTime, long now,
            List<Runnable> events) {
        String id = after.id().text();
        GroupStore.Status status = after.isMember(self) ? GroupStore.Status.ACTIVE
                : change.op() instanceof GroupOp.Leave && change.author().equals(self) ? GroupStore.Status.LEFT
                : GroupStore.Status.REMOVED;
        store.groups.saveState(id, after.encode(), after.hash(), after.version(), status, now);
        store.groups.dropParts(id);
        for (String gone : GroupStates.leaving(change)) {
            store.groups.dropReceivers(id, gone);
        }
        if (status != GroupStore.Status.ACTIVE) {
            store.groups.dropReceivers(id, null);
            store.groups.dropSenderChain(id);
        }
        GroupEntry line = line(after.id(), "change-" + WireJson.base64(change.hash()), change.author(), device,
                GroupEntry.Kind.SYSTEM, GroupStates.describe(change), serverTime, now);
        GroupInfo info = GroupStates.info(after, status);
        events.add(() -> listener.onGroupChanged(info, line));
    }

    /** Applies the held changes of a group that now follow its state, lowest version first, as long as one does. */
    private void applyHeld(GroupId groupId, Function<String, PublicIdentity> identities, long now, List<Runnable> events)
            throws ClientException {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (byte[] bytes : store.groups.held(groupId.text())) {
                GroupChange change;
                try {
                    change = GroupChange.decode(bytes);
                } catch (ProtocolException e) {
                    continue; // held only after decoding: cannot happen
                }
                Optional<GroupStates.Held> held = states.held(groupId);
                PublicIdentity author = identities.apply(change.author());
                GroupState base = held.map(GroupStates.Held::state).orElse(null);
                GroupState snapshot = snapshotFor(change);
                try {
                    GroupState after;
                    try {
                        after = GroupRules.apply(base, change, author);
                    } catch (GroupChangeRefused e) {
                        if (snapshot == null) {
                            throw e;
                        }
                        after = GroupRules.apply(snapshot, change, author);
                    }
                    store.groups.dropHeld(groupId.text(), change.hash());
                    applied(after, change, change.author(), 0, 0, now, events);
                    progress = true;
                    break;
                } catch (GroupChangeRefused e) {
                    if (e.reason() != GroupChangeRefused.Reason.GAP && held.isPresent()) {
                        store.groups.dropHeld(groupId.text(), change.hash());
                        refused(change.author(), 0, change, e.reason().code(), e.getMessage(), 0, now, events);
                    }
                }
            }
        }
    }

    /**
     * The collected snapshot a change that adds this account starts from (its parent hash), or
     * null: an admin vouches for the snapshot by signing a change that names its hash.
     */
    private GroupState snapshotFor(GroupChange change) {
        if (!(change.op() instanceof GroupOp.Add add) || !add.usernames().contains(self)) {
            return null;
        }
        String id = change.groupId().text();
        for (String sender : store.groups.snapshotSenders(id, change.parentHash())) {
            GroupState state = joined(id, sender, change.parentHash());
            if (state != null) {
                return state;
            }
        }
        return null;
    }

    /** The snapshot of {@code hash} from {@code sender}, if all its parts arrived and they join to that hash. */
    private GroupState joined(String groupId, String sender, byte[] hash) {
        List<SnapshotPart> parts = store.groups.parts(groupId, sender, hash);
        if (parts.isEmpty() || parts.size() != parts.getFirst().total()) {
            return null;
        }
        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).index() != i || parts.get(i).total() != parts.size()) {
                return null;
            }
            bytes.add(parts.get(i).part());
        }
        try {
            return GroupSnapshots.join(store.groups.snapshotVersion(groupId, hash).orElse(-1L), hash, bytes);
        } catch (ProtocolException e) {
            return null;
        }
    }

    /** A refused change: a warning line in the group with its reason code (and the listener's {@code onGroupWarning}). */
    private void refused(String from, int device, GroupChange change, String code, String detail, long serverTime, long now,
            List<Runnable> events) {
        String who = from.equals(change.author()) ? from : from + " (signed as " + change.author() + ")";
        GroupEntry line = line(change.groupId(), "refused-" + WireJson.base64(change.hash()), from, device,
                GroupEntry.Kind.WARNING, "a change to the group from " + who + " was refused: " + code + " (" + detail + ")",
                serverTime, now);
        if (!store.groupHistory.add(line, true)) {
            return; // the same change refused before
        }
        events.add(() -> listener.onGroupWarning(line.group(), code, line));
    }

    private GroupEntry line(GroupId group, String id, String from, int device, GroupEntry.Kind kind, String text, long serverTime,
            long now) {
        GroupEntry entry = new GroupEntry(group.text(), id, from, device, from.equals(self) && device == 0, kind, text, now,
                serverTime);
        if (kind == GroupEntry.Kind.SYSTEM) {
            store.groupHistory.add(entry, true);
        }
        return entry;
    }
}
