package dev.parley.server.limits;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * Makes the server's rate limits per key (registrations per address, look-ups, bundle fetches,
 * one-time prekeys per target device, blob uploads per account): in memory on a single node
 * ({@link #local}), in Redis in a cluster ({@link #shared}), where each falls back to this
 * node's own buckets while Redis is unreachable. The frame rate and the connections per address
 * are not made here: they stay in each node's memory ({@link FrameRates}, {@link ConnectionCounter}).
 */
public final class RateLimiters {

    private static final String KEY_PREFIX = "parley:limit:";

    private final TimeMeter time;
    private final RedisBuckets redis;

    private RateLimiters(TimeMeter time, RedisBuckets redis) {
        this.time = time;
        this.redis = redis;
    }

    /** Limits kept in this node's memory. */
    public static RateLimiters local(TimeMeter time) {
        return new RateLimiters(time, null);
    }

    /** Limits shared by the nodes of a cluster through {@code redis}. */
    public static RateLimiters shared(RedisBuckets redis, TimeMeter time) {
        return new RateLimiters(time, redis);
    }

    /**
     * The limit {@code name} (lower-case letters and '_', unique per limit): {@code capacity}
     * tokens per key, all of them refilled over {@code period}.
     */
    public KeyedRateLimiter keyed(String name, long capacity, Duration period) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("a limit's name is lower-case letters and '_'");
        }
        var local = new LocalRateLimiter(capacity, period, time);
        if (redis == null) {
            return local;
        }
        String prefix = KEY_PREFIX + name + ":" + capacity + "/" + capacity + "/" + period.toMillis() + "ms:";
        return new SharedRateLimiter(prefix, RateLimits.configuration(capacity, capacity, period), redis, local);
    }
}
