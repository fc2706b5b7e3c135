package dev.parley.server.directory;

import dev.parley.server.gateway.ClientConnection;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connections found which accounts with {@code find_users}: they receive that account's
 * presence, identity and device-list pushes, in both directory modes. A connection watches at
 * most {@value #MAX_WATCHED_PER_CONNECTION} accounts; names found past that are answered but
 * not watched. A connection is forgotten when it closes ({@link #closed}).
 *
 * <p>Both maps change only inside {@link ConcurrentHashMap#compute} of the watched map for the
 * connection, so the count per connection and the watcher sets agree.
 */
public final class Watchers {

    /** The most accounts one connection watches (a client's conversation peers, with room to spare). */
    public static final int MAX_WATCHED_PER_CONNECTION = 2_000;

    private final Map<String, Set<ClientConnection>> byAccount = new ConcurrentHashMap<>();
    private final Map<ClientConnection, Set<String>> byConnection = new ConcurrentHashMap<>();

    /** Makes {@code connection} watch {@code username}, unless it already watches as many accounts as it may. */
    void watch(ClientConnection connection, String username) {
        byConnection.compute(connection, (c, watched) -> {
            Set<String> names = watched == null ? ConcurrentHashMap.newKeySet() : watched;
            if (names.size() < MAX_WATCHED_PER_CONNECTION && names.add(username)) {
                byAccount.computeIfAbsent(username, name -> ConcurrentHashMap.newKeySet()).add(connection);
            }
            return names;
        });
    }

    /** The connections that watch {@code username} (a snapshot). */
    public Collection<ClientConnection> of(String username) {
        Set<ClientConnection> watchers = byAccount.get(username);
        return watchers == null ? List.of() : List.copyOf(watchers);
    }

    /** How many accounts {@code connection} watches. */
    int count(ClientConnection connection) {
        Set<String> names = byConnection.get(connection);
        return names == null ? 0 : names.size();
    }

    /** Forgets a closed connection. */
    public void closed(ClientConnection connection) {
        byConnection.compute(connection, (c, names) -> {
            if (names != null) {
                for (String name : names) {
                    byAccount.computeIfPresent(name, (n, watchers) -> {
                        watchers.remove(connection);
                        return watchers.isEmpty() ? null : watchers;
                    });
                }
            }
            return null;
        });
    }
}
