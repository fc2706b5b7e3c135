package dev.parley.protocol.groups;

import dev.parley.protocol.codec.Utf8;

/**
 * A member of a group: an account's username ({@code [a-z0-9_]{3,32}}) and whether it is an
 * admin. The constructor enforces the username rule.
 */
public record GroupMember(String username, boolean admin) {

    public GroupMember {
        GroupFields.requireUsername(username);
    }

    /** The username's bytes, by which members are ordered. */
    byte[] usernameBytes() {
        return Utf8.encode(username);
    }
}
