package dev.parley.client;

import java.util.List;

/**
 * A group as this device holds it: its id (43 characters, the text form of its 32 random bytes),
 * name, version (of the state last applied here), members sorted by username with their role,
 * and whether this account is still in it.
 */
public record GroupInfo(String id, String name, long version, List<Member> members, Status status) {

    /** A member and whether it is an admin. */
    public record Member(String username, boolean admin) {}

    /** {@code REMOVED}: an admin removed this account; {@code LEFT}: this account left. */
    public enum Status { ACTIVE, REMOVED, LEFT }

    public GroupInfo {
        members = List.copyOf(members);
    }

    public boolean isMember(String username) {
        return members.stream().anyMatch(m -> m.username().equals(username));
    }

    public boolean isAdmin(String username) {
        return members.stream().anyMatch(m -> m.username().equals(username) && m.admin());
    }

    /** The group's name and member list travel only end to end encrypted: neither reaches a log. */
    @Override
    public String toString() {
        return "GroupInfo[id=" + id + ", version=" + version + ", members=" + members.size() + ", " + status + "]";
    }
}
