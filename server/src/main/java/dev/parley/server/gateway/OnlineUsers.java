package dev.parley.server.gateway;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected to this node: every open connection, and the logged-in one per username
 * (an account is one device, so a newer login replaces an older one).
 */
public final class OnlineUsers {

    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, Connection> byUser = new ConcurrentHashMap<>();

    void opened(Connection connection) {
        connections.add(connection);
    }

    /** Removes the connection; returns true if it was the logged-in connection of its user. */
    boolean closed(Connection connection) {
        connections.remove(connection);
        String user = connection.username();
        return user != null && byUser.remove(user, connection);
    }

    /** Makes {@code connection} the user's current one; returns the replaced connection or null. */
    public Connection loggedIn(Connection connection) {
        return byUser.put(connection.username(), connection);
    }

    public Connection get(String username) {
        return byUser.get(username);
    }

    public boolean isOnline(String username) {
        return byUser.containsKey(username);
    }

    public Collection<Connection> all() {
        return connections;
    }

    public int connectionCount() {
        return connections.size();
    }

    public int userCount() {
        return byUser.size();
    }
}
