package dev.parley.server.gateway;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's drain before it stops (docs/OPERATIONS.md, "Draining"), in this order:
 * <ol>
 *   <li>{@link #begin}: {@code /readyz} fails at once ({@link #draining}), so the load balancer
 *       stops sending this node new clients; upgrades are still taken meanwhile (the proxy may
 *       send a few before it notices);</li>
 *   <li>after the notice, the gateway refuses every upgrade with 503 ({@link #refusesUpgrades})
 *       and every open socket is closed with close code 1012 (service restart), which both
 *       clients answer by reconnecting through the proxy, to another node;</li>
 *   <li>{@link #run} returns once no socket is left, or at the timeout; the caller then stops
 *       the HTTP server and flushes the database writer.</li>
 * </ol>
 * A socket that opens while upgrades are being refused (its upgrade was taken just before) is
 * closed as it opens: {@link Gateway#opened} asks {@link #refusesUpgrades} after registering the
 * connection, and {@link #closeAll} runs after the switch, so every socket meets one of the two.
 * Nothing acknowledged can be lost by a drain: {@code stored} is sent only after the commit, and
 * a send in flight when its socket closes is sent again by the client's outbox.
 */
public final class Drain {

    private static final Logger log = LoggerFactory.getLogger(Drain.class);
    /** The close reason clients see; short (a close frame's reason holds at most 123 bytes). */
    public static final String REASON = "node restarting, reconnect";
    private static final long POLL_MILLIS = 50;

    private enum Phase { SERVING, NOTICE, REFUSING }

    private final OnlineUsers online;
    private volatile Phase phase = Phase.SERVING;

    public Drain(OnlineUsers online) {
        this.online = online;
    }

    /** Whether the drain has begun: the readiness check {@code draining} fails from then on. */
    public boolean draining() {
        return phase != Phase.SERVING;
    }

    /** Whether upgrades are refused (503) and new sockets closed as they open. */
    boolean refusesUpgrades() {
        return phase == Phase.REFUSING;
    }

    /** Fails readiness from now on. */
    public void begin() {
        if (phase == Phase.SERVING) {
            phase = Phase.NOTICE;
        }
    }

    /**
     * The whole drain: {@link #begin}, then {@code notice} for the load balancer to notice, then
     * upgrades refused and every socket closed with 1012, then up to {@code timeout} for the
     * sockets to go. Returns the number of sockets still open at the end (closed hard by the
     * HTTP server's stop).
     */
    public int run(Duration notice, Duration timeout) throws InterruptedException {
        begin();
        log.info("draining: /readyz fails; telling clients to reconnect in {} ms", notice.toMillis());
        Thread.sleep(notice);
        phase = Phase.REFUSING;
        long start = System.nanoTime();
        int told = closeAll();
        long deadline = start + timeout.toNanos();
        while (online.connectionCount() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
        }
        int left = online.connectionCount();
        log.info("drained: {} sockets told to reconnect, {} still open after {} ms", told, left,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return left;
    }

    /** Closes every open socket with 1012; returns how many. */
    private int closeAll() {
        int count = 0;
        for (ClientConnection connection : online.all()) {
            connection.closeForRestart();
            count++;
        }
        return count;
    }
}
