package dev.parley.server.delivery;

import dev.parley.server.storage.MessageStore;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the expired rows of the delivery queue are deleted ({@link MessageStore#purgeExpired}):
 * at the earliest {@code expires_at} the queue holds, so that a disappearing message's copy
 * ({@code expiresIn}, docs/PROTOCOL.md §6) leaves the database at its expiry rather than at
 * the next hourly pass; at least every {@code maxInterval}; and never twice within
 * {@code minGap}, so that a stream of short timers costs at most one write transaction per
 * {@code minGap}. Until the sweep runs, an expired copy is still never relayed
 * ({@link MessageStore#pending} leaves it out).
 *
 * <p>One sweep is scheduled at a time, on the server's housekeeping thread. A stored copy
 * that expires before it calls {@link #due}; after each sweep the next one is set from the
 * earliest expiry left in the table, so a restart loses nothing.
 */
public final class ExpirySweeps {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeps.class);

    private final MessageStore messages;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final long minGapMillis;
    private final long maxIntervalMillis;

    private ScheduledFuture<?> next;
    private long nextAt = Long.MAX_VALUE;
    private long lastSweep = Long.MIN_VALUE / 2;

    public ExpirySweeps(MessageStore messages, ScheduledExecutorService scheduler, Clock clock, Duration minGap,
                        Duration maxInterval) {
        this.messages = messages;
        this.scheduler = scheduler;
        this.clock = clock;
        this.minGapMillis = minGap.toMillis();
        this.maxIntervalMillis = maxInterval.toMillis();
    }

    /** Sweeps now, then at each expiry. */
    public synchronized void start() {
        schedule(clock.millis());
    }

    /** A copy was stored that expires at {@code expiresAt} (ms): sweep then, unless a sweep comes sooner. */
    public synchronized void due(long expiresAt) {
        if (expiresAt < nextAt) {
            schedule(expiresAt);
        }
    }

    private void schedule(long at) {
        long when = Math.max(at, lastSweep + minGapMillis);
        if (next != null) {
            next.cancel(false);
        }
        nextAt = when;
        try {
            next = scheduler.schedule(this::sweep, Math.max(0, when - clock.millis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            next = null; // shutting down
        }
    }

    private void sweep() {
        long now = clock.millis();
        synchronized (this) {
            lastSweep = now;
            nextAt = Long.MAX_VALUE;
            next = null;
        }
        long following = now + maxIntervalMillis;
        try {
            int purged = messages.purgeExpired(now).join();
            if (purged > 0) {
                log.info("purged {} expired queue entries", purged);
            }
            OptionalLong earliest = messages.earliestExpiry();
            if (earliest.isPresent()) {
                following = Math.min(following, earliest.getAsLong());
            }
        } catch (RuntimeException e) {
            log.warn("purging expired messages failed: {}", e.toString());
        }
        due(following);
    }
}
