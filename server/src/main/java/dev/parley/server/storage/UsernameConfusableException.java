package dev.parley.server.storage;

/** The username's confusable skeleton equals an existing account's (another username). */
public final class UsernameConfusableException extends RuntimeException {
    public UsernameConfusableException(String username) {
        super("username looks like an existing one: " + username);
    }
}
