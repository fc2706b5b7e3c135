package dev.parley.server.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token bucket per key in this node's memory: {@code capacity} tokens, refilled with
 * {@code refill} tokens per {@code period}. Idle keys are forgotten once their bucket is full
 * again, so the map stays as small as the set of recently active keys. Forgetting a full bucket
 * grants nothing: a new bucket for the key starts full too. Past {@value #FORGET_ABOVE} keys the
 * map is swept once every {@value #SWEEP_EVERY} new keys, so a large set of busy keys does not
 * make every look-up a scan.
 */
public final class LocalRateLimiter implements KeyedRateLimiter {

    private static final int FORGET_ABOVE = 100_000;
    private static final int SWEEP_EVERY = 1024;

    private final long capacity;
    /** Shared by every key's bucket. */
    private final BucketConfiguration configuration;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger newKeys = new AtomicInteger();

    public LocalRateLimiter(long capacity, Duration period, TimeMeter time) {
        this(capacity, capacity, period, time);
    }

    public LocalRateLimiter(long capacity, long refill, Duration period, TimeMeter time) {
        this.capacity = capacity;
        this.configuration = RateLimits.configuration(capacity, refill, period);
        this.time = time;
    }

    @Override
    public boolean tryAcquire(String key, long tokens) {
        return bucket(key).tryConsume(tokens);
    }

    @Override
    public void giveBack(String key, long tokens) {
        bucket(key).addTokens(tokens);
    }

    /** The key's bucket, shared by everyone who asks for the same key. */
    public Bucket bucket(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() > FORGET_ABOVE && newKeys.incrementAndGet() % SWEEP_EVERY == 0) {
            buckets.values().removeIf(full -> full.getAvailableTokens() >= capacity);
        }
        return buckets.computeIfAbsent(key, k -> RateLimits.bucket(configuration, time));
    }
}
