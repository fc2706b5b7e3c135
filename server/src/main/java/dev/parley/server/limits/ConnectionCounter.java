package dev.parley.server.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client address, with a cap. Taking a slot is one atomic step (count,
 * then check, and give the slot back if over), so simultaneous upgrades from one address can
 * never get past the cap between a check and a count. Addresses with no open connection are
 * forgotten.
 *
 * <p>The count is of this node's sockets, in a cluster too: it is taken at every upgrade and
 * given back at every close, and keeping it in Redis would add a round trip to each and leave
 * slots held by a node that died. Across the cluster the load balancer in front limits
 * connections per address (the shipped HAProxy configuration does), so each node's cap is the
 * second line of defence.
 */
public final class ConnectionCounter {

    private final int maxPerAddress;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    public ConnectionCounter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Takes a slot for {@code address}; false (and nothing taken) if it already has the maximum. */
    public boolean tryOpen(String address) {
        int now = open.merge(address, 1, Integer::sum);
        if (now > maxPerAddress) {
            release(address);
            return false;
        }
        return true;
    }

    /** Gives back a slot taken by {@link #tryOpen}; call exactly once per successful tryOpen. */
    public void release(String address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Slots held over all addresses (a metric). */
    public int total() {
        return open.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Open connections of {@code address} (for tests and metrics). */
    public int count(String address) {
        return open.getOrDefault(address, 0);
    }
}
