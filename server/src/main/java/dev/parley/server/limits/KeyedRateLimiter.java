package dev.parley.server.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (client address, account): {@code capacity} tokens, refilled evenly
 * over {@code period}. Idle keys are forgotten once their bucket is full again, so the map
 * stays as small as the set of recently active keys.
 */
public final class KeyedRateLimiter {

    private final long capacity;
    private final Duration period;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public KeyedRateLimiter(long capacity, Duration period, TimeMeter time) {
        this.capacity = capacity;
        this.period = period;
        this.time = time;
    }

    public boolean tryAcquire(String key) {
        if (buckets.size() > 100_000) {
            buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= capacity);
        }
        return buckets.computeIfAbsent(key, k -> newBucket()).tryConsume(1);
    }

    private Bucket newBucket() {
        return RateLimits.bucket(capacity, capacity, period, time);
    }
}
