package dev.parley.client;

import java.util.Objects;

/**
 * A conversation: with one user ({@link #user(String)}: a username) or a group
 * ({@link #group(String)}: the group's id, 43 characters, or a name only one group here has).
 * Exactly one of the two is set.
 */
public record ConversationRef(String user, String group) {

    public ConversationRef {
        if ((user == null) == (group == null)) {
            throw new IllegalArgumentException("a conversation is with a user or a group: exactly one of them");
        }
    }

    public static ConversationRef user(String username) {
        return new ConversationRef(Objects.requireNonNull(username, "username"), null);
    }

    public static ConversationRef group(String group) {
        return new ConversationRef(null, Objects.requireNonNull(group, "group"));
    }

    public boolean isGroup() {
        return group != null;
    }

    /** The username or the group as given. */
    public String name() {
        return group != null ? group : user;
    }

    @Override
    public String toString() {
        return group != null ? "ConversationRef[group=" + group + "]" : "ConversationRef[user=" + user + "]";
    }
}
