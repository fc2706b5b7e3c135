package dev.parley.server.gateway;

/** Told when a connection logs in or goes away (directory presence, delivery). */
public interface SessionListener {

    /** {@code connection} has just been authenticated as {@code connection.username()}. */
    void loggedIn(ClientConnection connection);

    /** A logged-in connection closed and no newer login of the user replaced it. */
    void loggedOut(ClientConnection connection);
}
