package dev.parley.server.storage;

/** The username is already bound to an identity. */
public final class UsernameTakenException extends RuntimeException {
    public UsernameTakenException(String username) {
        super("username taken: " + username);
    }
}
