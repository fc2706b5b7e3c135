package dev.parley.protocol.groups;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.groups.GroupChangeRefused.Reason;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.wire.signed.SignedBytes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Applying a group change to the held state (CRYPTO.md §11), the one place for these rules.
 * Checks run in this order, so that every refusal has one reason:
 *
 * <ol>
 *   <li>the change names another group than the held state: {@code invalid};
 *   <li>the signature does not verify under the author's identity: {@code bad_signature};
 *   <li>a create on a held group, anything but a create without one, or a create not at version
 *       1 with a zero parent hash, or whose author is not one of its admins: {@code invalid};
 *   <li>{@code version <= held}: {@code stale}; {@code version > held + 1}: {@code gap};
 *       {@code parentHash != stateHash(held)}: {@code forked};
 *   <li>the author is not an admin (add, remove, rename, promote, demote) or not a member
 *       (leave): {@code not_admin};
 *   <li>the op does not fit the state: {@code invalid} (adding a member, removing a non-member
 *       or oneself, the last admin leaving or demoting itself while others remain, the only
 *       member leaving, promoting an admin, demoting a non-admin, more than
 *       {@link Limits#MAX_GROUP_MEMBERS} members).
 * </ol>
 */
public final class GroupRules {

    private GroupRules() {}

    /**
     * The state {@code change} produces from {@code current}.
     *
     * @param current the held state, or null only to apply a create
     * @param authorIdentity the identity this device holds for {@code change.author()}
     * @throws GroupChangeRefused with the first rule the change breaks; nothing is changed
     */
    public static GroupState apply(GroupState current, GroupChange change, PublicIdentity authorIdentity)
            throws GroupChangeRefused {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(authorIdentity, "authorIdentity");
        if (current != null && !current.id().equals(change.groupId())) {
            throw refused(Reason.INVALID, "the change is for another group");
        }
        try {
            authorIdentity.verifySignature(SignedBytes.groupChange(change.body()), change.signature(), "group change");
        } catch (ProtocolException e) {
            throw refused(Reason.BAD_SIGNATURE, "the signature does not verify under the author's identity");
        }
        if (change.op() instanceof GroupOp.Create create) {
            if (current != null) {
                throw refused(Reason.INVALID, "create on a group already held");
            }
            return created(change, create);
        }
        if (current == null) {
            throw refused(Reason.INVALID, "no state held to apply the change to");
        }
        checkVersion(current, change);
        checkRole(current, change);
        return switch (change.op()) {
            case GroupOp.Add add -> added(current, add);
            case GroupOp.Remove remove -> removed(current, change.author(), remove);
            case GroupOp.Leave leave -> left(current, change.author());
            case GroupOp.Rename rename -> state(current, rename.name(), current.members());
            case GroupOp.Promote promote -> withRole(current, promote.username(), true);
            case GroupOp.Demote demote -> demoted(current, demote.username());
            case GroupOp.Create create -> throw new IllegalStateException("handled above");
        };
    }

    private static GroupState created(GroupChange change, GroupOp.Create create) throws GroupChangeRefused {
        if (change.version() != 1 || !MessageDigest.isEqual(change.parentHash(), new byte[GroupChange.HASH_SIZE])) {
            throw refused(Reason.INVALID, "a create makes version 1 from a zero parent hash");
        }
        if (create.members().stream().noneMatch(m -> m.admin() && m.username().equals(change.author()))) {
            throw refused(Reason.INVALID, "the creator must be an admin of the new group");
        }
        try {
            return GroupState.sorted(change.groupId(), 1, create.name(), create.members());
        } catch (IllegalArgumentException e) {
            throw refused(Reason.INVALID, e.getMessage());
        }
    }

    private static void checkVersion(GroupState current, GroupChange change) throws GroupChangeRefused {
        if (change.version() <= current.version()) {
            throw refused(Reason.STALE, "version " + change.version() + " is not above the held " + current.version());
        }
        if (change.version() > current.version() + 1) {
            throw refused(Reason.GAP, "version " + change.version() + " skips versions after the held " + current.version());
        }
        if (!MessageDigest.isEqual(change.parentHash(), current.hash())) {
            throw refused(Reason.FORKED, "the parent hash is not the held state's");
        }
    }

    private static void checkRole(GroupState current, GroupChange change) throws GroupChangeRefused {
        if (change.op() instanceof GroupOp.Leave) {
            if (!current.isMember(change.author())) {
                throw refused(Reason.NOT_ADMIN, "the author is not a member");
            }
        } else if (!current.isAdmin(change.author())) {
            throw refused(Reason.NOT_ADMIN, "the author is not an admin");
        }
    }

    private static GroupState added(GroupState current, GroupOp.Add add) throws GroupChangeRefused {
        List<GroupMember> members = new ArrayList<>(current.members());
        for (String username : add.usernames()) {
            if (current.isMember(username)) {
                throw refused(Reason.INVALID, username + " is already a member");
            }
            members.add(new GroupMember(username, false));
        }
        if (members.size() > Limits.MAX_GROUP_MEMBERS) {
            throw refused(Reason.INVALID, "a group has at most " + Limits.MAX_GROUP_MEMBERS + " members");
        }
        return state(current, current.name(), members);
    }

    private static GroupState removed(GroupState current, String author, GroupOp.Remove remove) throws GroupChangeRefused {
        Set<String> gone = new HashSet<>(remove.usernames());
        if (gone.contains(author)) {
            throw refused(Reason.INVALID, "an author leaves with leave, not remove");
        }
        for (String username : gone) {
            if (!current.isMember(username)) {
                throw refused(Reason.INVALID, username + " is not a member");
            }
        }
        return state(current, current.name(),
                current.members().stream().filter(m -> !gone.contains(m.username())).toList());
    }

    private static GroupState left(GroupState current, String author) throws GroupChangeRefused {
        if (current.members().size() == 1) {
            throw refused(Reason.INVALID, "the only member cannot leave");
        }
        if (current.isAdmin(author) && adminCount(current) == 1) {
            throw refused(Reason.INVALID, "the last admin cannot leave while others remain");
        }
        return state(current, current.name(),
                current.members().stream().filter(m -> !m.username().equals(author)).toList());
    }

    private static GroupState demoted(GroupState current, String username) throws GroupChangeRefused {
        if (!current.isAdmin(username)) {
            throw refused(Reason.INVALID, username + " is not an admin");
        }
        if (adminCount(current) == 1) {
            throw refused(Reason.INVALID, "the last admin cannot be demoted");
        }
        return withRole(current, username, false);
    }

    private static GroupState withRole(GroupState current, String username, boolean admin) throws GroupChangeRefused {
        GroupMember member = current.member(username);
        if (member == null) {
            throw refused(Reason.INVALID, username + " is not a member");
        }
        if (member.admin() == admin) {
            throw refused(Reason.INVALID, username + (admin ? " is already an admin" : " is not an admin"));
        }
        return state(current, current.name(), current.members().stream()
                .map(m -> m.username().equals(username) ? new GroupMember(username, admin) : m).toList());
    }

    private static long adminCount(GroupState state) {
        return state.members().stream().filter(GroupMember::admin).count();
    }

    /** The next version of {@code current}; a broken invariant is {@code invalid}. */
    private static GroupState state(GroupState current, String name, List<GroupMember> members) throws GroupChangeRefused {
        try {
            return GroupState.sorted(current.id(), current.version() + 1, name, members);
        } catch (IllegalArgumentException e) {
            throw refused(Reason.INVALID, e.getMessage());
        }
    }

    private static GroupChangeRefused refused(Reason reason, String message) {
        return new GroupChangeRefused(reason, message);
    }
}
