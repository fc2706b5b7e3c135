package dev.parley.server.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected to this node (in cluster mode, {@link dev.parley.server.cluster.Cluster}
 * shares what concerns the other nodes): every open connection, the logged-in one per device of each
 * account (a newer login of the same device replaces an older one; other devices stay), and
 * the directory subscribers. An account is online while any of its devices is. Subscribers are
 * kept apart so that a presence push costs the number of subscribers, not the number of
 * connections (with 100,000 idle sockets, a scan of all of them on every login dominated
 * connect-with-auth CPU).
 *
 * <p>Each account's devices are an array of its logged-in connections, at most one per device,
 * never empty, never changed in place: it is replaced only inside {@link ConcurrentHashMap#compute}
 * of the outer map, so "first device online" and "last device gone" are decided atomically and a
 * reader always sees a whole array. An array rather than a map per account: an account has a
 * handful of devices, and a map each cost about 150 bytes per idle connection
 * (docs/BENCHMARKS.md, "Idle connections").
 */
public final class OnlineUsers {

    /** What a login did to the account's presence. */
    public record Login(ClientConnection replaced, boolean cameOnline) {
    }

    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, ClientConnection[]> byUser = new ConcurrentHashMap<>();
    private final Set<ClientConnection> directorySubscribers = ConcurrentHashMap.newKeySet();

    void opened(ClientConnection connection) {
        connections.add(connection);
    }

    /** What the end of a connection did to its device and account. */
    public enum Departure {
        /** Not logged in, or replaced by a newer login of its device. */
        NOT_CURRENT,
        /** Its device is now offline; another device of the account is online. */
        DEVICE_OFFLINE,
        /** Its device was the account's last one online. */
        ACCOUNT_OFFLINE
    }

    /** Removes the connection, and says what that did. */
    Departure closed(ClientConnection connection) {
        connections.remove(connection);
        directorySubscribers.remove(connection);
        String user = connection.username();
        if (user == null) {
            return Departure.NOT_CURRENT;
        }
        Departure[] departure = {Departure.NOT_CURRENT};
        byUser.computeIfPresent(user, (name, devices) -> {
            int at = indexOfDevice(devices, connection.device());
            if (at < 0 || devices[at] != connection) { // replaced by a newer login of its device
                return devices;
            }
            if (devices.length == 1) {
                departure[0] = Departure.ACCOUNT_OFFLINE;
                return null;
            }
            departure[0] = Departure.DEVICE_OFFLINE;
            ClientConnection[] rest = new ClientConnection[devices.length - 1];
            System.arraycopy(devices, 0, rest, 0, at);
            System.arraycopy(devices, at + 1, rest, at, rest.length - at);
            return rest;
        });
        return departure[0];
    }

    /** Makes {@code connection} its device's current one. */
    public Login loggedIn(ClientConnection connection) {
        ClientConnection[] replaced = {null};
        boolean[] cameOnline = {false};
        byUser.compute(connection.username(), (name, devices) -> {
            if (devices == null) {
                cameOnline[0] = true;
                return new ClientConnection[] {connection};
            }
            int at = indexOfDevice(devices, connection.device());
            ClientConnection[] changed = Arrays.copyOf(devices, at < 0 ? devices.length + 1 : devices.length);
            if (at >= 0) {
                replaced[0] = devices[at];
            }
            changed[at < 0 ? devices.length : at] = connection;
            return changed;
        });
        return new Login(replaced[0], cameOnline[0]);
    }

    /** The logged-in connection of {@code username}'s {@code device}, or null. */
    public ClientConnection get(String username, int device) {
        ClientConnection[] devices = byUser.get(username);
        int at = devices == null ? -1 : indexOfDevice(devices, device);
        return at < 0 ? null : devices[at];
    }

    private static int indexOfDevice(ClientConnection[] devices, int device) {
        for (int i = 0; i < devices.length; i++) {
            if (devices[i].device() == device) {
                return i;
            }
        }
        return -1;
    }

    /** The logged-in connections of every device of {@code username}. */
    public Collection<ClientConnection> devicesOf(String username) {
        ClientConnection[] devices = byUser.get(username);
        return devices == null ? List.of() : List.of(devices);
    }

    /** The logged-in connection of every device connected to this node (a snapshot). */
    public List<ClientConnection> devices() {
        List<ClientConnection> all = new ArrayList<>();
        for (ClientConnection[] devices : byUser.values()) {
            all.addAll(Arrays.asList(devices));
        }
        return all;
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
