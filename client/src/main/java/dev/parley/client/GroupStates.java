package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.GroupStore;
import dev.parley.client.store.GroupStore.StoredGroup;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.groups.GroupChange;
import dev.parley.protocol.groups.GroupId;
import dev.parley.protocol.groups.GroupMember;
import dev.parley.protocol.groups.GroupOp;
import dev.parley.protocol.groups.GroupState;
import java.util.List;
import java.util.Optional;

/**
 * The groups held here as protocol states and as what the SDK shows: a group named by its id
 * or by a name only one group has ({@link #resolve}), its {@link GroupInfo}, and the system line
 * a change applied makes ({@link #describe}: "alice added bob"), the one place for those words.
 */
final class GroupStates {

    /** A held group: its stored row and its decoded state. */
    record Held(StoredGroup stored, GroupState state) {
        GroupId id() {
            return state.id();
        }

        boolean active() {
            return stored.status() == GroupStore.Status.ACTIVE;
        }
    }

    private final ClientStore store;

    GroupStates(ClientStore store) {
        this.store = store;
    }

    /** The group with id {@code id}, if held here. */
    Optional<Held> held(GroupId id) throws ClientException {
        Optional<StoredGroup> stored = store.groups.group(id.text());
        return stored.isEmpty() ? Optional.empty() : Optional.of(decode(stored.get()));
    }

    /**
     * The group {@code group} names: its id (43 characters) or the name of exactly one group held
     * here (active ones first); REFUSED when there is none or the name is ambiguous.
     */
    Held resolve(String group) throws ClientException {
        try {
            Optional<Held> byId = held(GroupId.parse(group));
            if (byId.isPresent()) {
                return byId.get();
            }
        } catch (ProtocolException notAnId) {
            // a name, then
        }
        List<Held> named = all().stream().filter(h -> h.state().name().equals(group)).toList();
        List<Held> active = named.stream().filter(Held::active).toList();
        List<Held> candidates = active.isEmpty() ? named : active;
        if (candidates.isEmpty()) {
            throw new ClientException(Reason.REFUSED, "no group " + group + " here ('parley group list' shows them)");
        }
        if (candidates.size() > 1) {
            throw new ClientException(Reason.REFUSED, "several groups are named " + group + "; name one by its id ("
                    + String.join(", ", candidates.stream().map(h -> h.id().text()).toList()) + ")");
        }
        return candidates.getFirst();
    }

    /** Every group held here, oldest first. */
    List<Held> all() throws ClientException {
        List<Held> held = new java.util.ArrayList<>();
        for (StoredGroup stored : store.groups.groups()) {
            held.add(decode(stored));
        }
        return held;
    }

    private static Held decode(StoredGroup stored) throws ClientException {
        try {
            return new Held(stored, GroupState.decode(stored.state()));
        } catch (ProtocolException e) {
            throw new ClientException(Reason.FAILED, "the stored state of group " + stored.id() + " is damaged", e);
        }
    }

    static GroupInfo info(Held held) {
        return info(held.state(), held.stored().status());
    }

    static GroupInfo info(GroupState state, GroupStore.Status status) {
        return new GroupInfo(state.id().text(), state.name(), state.version(),
                state.members().stream().map(m -> new GroupInfo.Member(m.username(), m.admin())).toList(),
                GroupInfo.Status.valueOf(status.name()));
    }

    /** The system line for {@code change} applied to {@code before} (null for a create). */
    static String describe(GroupChange change) {
        String author = change.author();
        return switch (change.op()) {
            case GroupOp.Create create -> author + " created the group " + create.name() + " with "
                    + String.join(", ", create.members().stream().map(GroupMember::username).filter(u -> !u.equals(author))
                            .toList());
            case GroupOp.Add add -> author + " added " + String.join(", ", add.usernames());
            case GroupOp.Remove remove -> author + " removed " + String.join(", ", remove.usernames());
            case GroupOp.Leave leave -> author + " left";
            case GroupOp.Rename rename -> author + " renamed the group to " + rename.name();
            case GroupOp.Promote promote -> author + " made " + promote.username() + " an admin";
            case GroupOp.Demote demote -> author + " made " + demote.username() + " a member (no longer an admin)";
        };
    }

    /** The members {@code change} takes out of the group (removed, or the author leaving). */
    static List<String> leaving(GroupChange change) {
        return switch (change.op()) {
            case GroupOp.Remove remove -> remove.usernames();
            case GroupOp.Leave leave -> List.of(change.author());
            default -> List.of();
        };
    }

    /** The members {@code change} adds. */
    static List<String> joining(GroupChange change) {
        return change.op() instanceof GroupOp.Add add ? add.usernames() : List.of();
    }
}
