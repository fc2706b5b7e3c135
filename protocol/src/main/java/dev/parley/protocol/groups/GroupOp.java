package dev.parley.protocol.groups;

import dev.parley.protocol.Limits;
import java.util.HashSet;
import java.util.List;

/**
 * What a group change does (CRYPTO.md §11), with its {@code op} byte:
 *
 * <pre>
 * 0x01 create   u8 len || utf8 name || u16 count || count x ( u8 role || u8 len || utf8 username )
 * 0x02 add      u16 count || count x ( u8 len || utf8 username )
 * 0x03 remove   u16 count || count x ( u8 len || utf8 username )
 * 0x04 leave    (empty)
 * 0x05 rename   u8 len || utf8 name
 * 0x06 promote  u8 len || utf8 username
 * 0x07 demote   u8 len || utf8 username
 * </pre>
 *
 * The records enforce the field rules (usernames valid and each once, at most
 * {@link #MAX_USERNAMES} of them, names valid); whether an op fits the state it is applied to is
 * {@link GroupRules}' business.
 */
public sealed interface GroupOp {

    /** Most usernames one change names (create, add, remove): keeps the largest change far inside one payload. */
    int MAX_USERNAMES = Limits.MAX_GROUP_CHANGE_USERNAMES;

    /** The {@code op} byte. */
    int code();

    /** The initial members in the order given (the creator among them, as an admin). Prints no name. */
    record Create(String name, List<GroupMember> members) implements GroupOp {
        public Create {
            GroupFields.nameBytes(name);
            members = List.copyOf(members);
            if (members.isEmpty() || members.size() > MAX_USERNAMES) {
                throw new IllegalArgumentException("a group is created with 1.." + MAX_USERNAMES + " members");
            }
            if (new HashSet<>(members.stream().map(GroupMember::username).toList()).size() != members.size()) {
                throw new IllegalArgumentException("a change names each username once");
            }
        }

        public int code() { return 0x01; }

        @Override
        public String toString() {
            return "Create[members=" + members.size() + "]";
        }
    }

    record Add(List<String> usernames) implements GroupOp {
        public Add { usernames = GroupFields.requireUsernames(usernames, MAX_USERNAMES); }
        public int code() { return 0x02; }
    }

    /** Removes other members; an author removing itself uses {@link Leave}. */
    record Remove(List<String> usernames) implements GroupOp {
        public Remove { usernames = GroupFields.requireUsernames(usernames, MAX_USERNAMES); }
        public int code() { return 0x03; }
    }

    /** The author leaves. */
    record Leave() implements GroupOp {
        public int code() { return 0x04; }
    }

    /** Prints no name. */
    record Rename(String name) implements GroupOp {
        public Rename { GroupFields.nameBytes(name); }
        public int code() { return 0x05; }

        @Override
        public String toString() {
            return "Rename[]";
        }
    }

    record Promote(String username) implements GroupOp {
        public Promote { GroupFields.requireUsername(username); }
        public int code() { return 0x06; }
    }

    record Demote(String username) implements GroupOp {
        public Demote { GroupFields.requireUsername(username); }
        public int code() { return 0x07; }
    }
}
