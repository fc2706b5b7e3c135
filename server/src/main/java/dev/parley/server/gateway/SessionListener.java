package dev.parley.server.gateway;

/** Told when a connection logs in or goes away (directory presence, delivery, device last-seen, link channels). */
public interface SessionListener {

    /** {@code connection} has just been authenticated as a device of {@code connection.username()}. */
    void loggedIn(ClientConnection connection);

    /** A connection closed, logged in or not; {@code departure} says what that did to its device and account. */
    void closed(ClientConnection connection, OnlineUsers.Departure departure);
}
