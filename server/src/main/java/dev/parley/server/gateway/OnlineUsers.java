package dev.parley.server.gateway;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected to this node: every open connection, the logged-in one per username (an
 * account is one device, so a newer login replaces an older one), and the directory
 * subscribers. Subscribers are kept apart so that a presence push costs the number of
 * subscribers, not the number of connections (with 100,000 idle sockets, a scan of all of them
 * on every login dominated connect-with-auth CPU).
 */
public final class OnlineUsers {

    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, ClientConnection> byUser = new ConcurrentHashMap<>();
    private final Set<ClientConnection> directorySubscribers = ConcurrentHashMap.newKeySet();

    void opened(ClientConnection connection) {
        connections.add(connection);
    }

    /** Removes the connection; returns true if it was the logged-in connection of its user. */
    boolean closed(ClientConnection connection) {
        connections.remove(connection);
        directorySubscribers.remove(connection);
        String user = connection.username();
        return user != null && byUser.remove(user, connection);
    }

    /** Makes {@code connection} the user's current one; returns the replaced connection or null. */
    public ClientConnection loggedIn(ClientConnection connection) {
        return byUser.put(connection.username(), connection);
    }

    public ClientConnection get(String username) {
        return byUser.get(username);
    }

    public boolean isOnline(String username) {
        return byUser.containsKey(username);
    }

    public Collection<ClientConnection> all() {
        return connections;
    }

    /** Marks an open connection as a directory subscriber until it closes. */
    public void subscribeToDirectory(ClientConnection connection) {
        connection.subscribeToDirectory();
        directorySubscribers.add(connection);
        if (!connections.contains(connection)) {
            directorySubscribers.remove(connection); // closed meanwhile: closed() may have run before the add
        }
    }

    /** The open connections that asked for directory pushes. */
    public Collection<ClientConnection> directorySubscribers() {
        return directorySubscribers;
    }

    public int connectionCount() {
        return connections.size();
    }

    public int userCount() {
        return byUser.size();
    }
}
