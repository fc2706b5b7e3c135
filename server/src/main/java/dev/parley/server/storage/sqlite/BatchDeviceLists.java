package dev.parley.server.storage.sqlite;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PostgreSQL: the device ids listed for the recipients of one writer batch, read with their queue
 * counts in the batch's one counting statement ({@link QueueCounts}), so that the device check
 * of each send ({@link DeviceListTable#deviceIds}) costs no statement of its own: on PostgreSQL a
 * statement's cost is mostly its round trip.
 *
 * <p>Invariant: an entry equals the account's list in the batch's transaction. It is read after
 * the batch took its advisory locks, and every change to a list takes its account's lock, so no
 * other transaction changes it before the commit; the batch's own changes drop the entry
 * ({@link #changed}, called by every write of {@link DeviceListTable}), and the next check reads
 * the table again. Everything is forgotten when the batch ends or is rolled back. Writer thread only.
 */
final class BatchDeviceLists {

    /** The value of an account read without a list (not registered). */
    private static final Set<Integer> NO_LIST = Set.of();

    private final Map<String, Set<Integer>> lists = new HashMap<>();

    /** A row of the counting statement: {@code username}'s list holds {@code device} (null: the list is empty). */
    void listed(String username, Integer device) {
        Set<Integer> ids = lists.computeIfAbsent(username, name -> new TreeSet<>());
        if (device != null) {
            ids.add(device);
        }
    }

    /** The counting statement read the lists of {@code usernames}: those without a row have none. */
    void read(Collection<String> usernames) {
        usernames.forEach(name -> lists.putIfAbsent(name, NO_LIST));
    }

    /** Whether {@code username}'s list was read in this batch and not changed since. */
    boolean known(String username) {
        return lists.containsKey(username);
    }

    /** A copy of {@code username}'s listed ids, or null when it has no list; only when {@link #known}. */
    Set<Integer> deviceIds(String username) {
        Set<Integer> ids = lists.get(username);
        return ids == NO_LIST ? null : new TreeSet<>(ids);
    }

    /** {@code username}'s list was written or deleted in this batch: read it from the table from now on. */
    void changed(String username) {
        lists.remove(username);
    }

    void clear() {
        lists.clear();
    }
}
