package dev.parley.server.limits;

/**
 * A rate limit per key (a client address, an account, a target device): a token bucket per
 * key, built by {@link RateLimiters}. On one node the buckets are in memory
 * ({@link LocalRateLimiter}); in a cluster they are in Redis ({@link SharedRateLimiter}), so that
 * the limit holds for the key however its requests are spread over the nodes.
 *
 * <p>Every call may wait for Redis (at most {@link RedisBuckets#REQUEST_TIMEOUT}), so only
 * handlers that may block call it, never a handler on Jetty's network thread.
 */
public interface KeyedRateLimiter {

    /** Takes one token of {@code key}'s bucket; false, with nothing taken, when it has none. */
    default boolean tryAcquire(String key) {
        return tryAcquire(key, 1);
    }

    /** Takes {@code tokens} of {@code key}'s bucket at once; false, with nothing taken, when it has fewer. */
    boolean tryAcquire(String key, long tokens);

    /** Gives back {@code tokens} taken for something that was then not done (never more than the bucket holds). */
    void giveBack(String key, long tokens);
}
