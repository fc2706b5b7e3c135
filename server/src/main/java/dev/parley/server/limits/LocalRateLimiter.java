package dev.parley.server.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket per key in this node's memory: {@code capacity} tokens, refilled with
 * {@code refill} tokens per {@code period}. Keys whose bucket is full again are forgotten, so
 * the map stays as small as the set of recently active keys: every {@value #SWEEP_SECONDS}
 * seconds (at a look-up, by whichever thread finds the sweep due), and past
 * {@value #FORGET_ABOVE} keys also once every {@value #SWEEP_EVERY} new keys, so that a flood
 * of new keys cannot outgrow it in between. Forgetting a full bucket grants nothing: a new
 * bucket for the key starts full too.
 *
 * <p>Callers look a key's bucket up for each use rather than keep it (an idle socket then holds
 * no bucket). A token taken from a bucket in the instant it is forgotten is not counted: at most
 * one per use under way at that instant, once per sweep.
 */
public final class LocalRateLimiter implements KeyedRateLimiter {

    private static final int FORGET_ABOVE = 100_000;
    private static final int SWEEP_EVERY = 1024;
    private static final long SWEEP_SECONDS = 10;
    private static final long SWEEP_NANOS = SWEEP_SECONDS * 1_000_000_000L;

    private final long capacity;
    /** Shared by every key's bucket. */
    private final BucketConfiguration configuration;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger newKeys = new AtomicInteger();
    /** {@link TimeMeter#currentTimeNanos()} at which the next sweep is due. */
    private final AtomicLong nextSweep;

    public LocalRateLimiter(long capacity, Duration period, TimeMeter time) {
        this(capacity, capacity, period, time);
    }

    public LocalRateLimiter(long capacity, long refill, Duration period, TimeMeter time) {
        this.capacity = capacity;
        this.configuration = RateLimits.configuration(capacity, refill, period);
        this.time = time;
        this.nextSweep = new AtomicLong(time.currentTimeNanos() + SWEEP_NANOS);
    }

    @Override
    public boolean tryAcquire(String key, long tokens) {
        return bucket(key).tryConsume(tokens);
    }

    @Override
    public void giveBack(String key, long tokens) {
        bucket(key).addTokens(tokens);
    }

    /** The key's bucket, shared by everyone who asks for the same key; look it up for each use. */
    public Bucket bucket(String key) {
        long now = time.currentTimeNanos();
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_NANOS)) {
            forgetFull();
        }
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() > FORGET_ABOVE && newKeys.incrementAndGet() % SWEEP_EVERY == 0) {
            forgetFull();
        }
        return buckets.computeIfAbsent(key, k -> RateLimits.bucket(configuration, time));
    }

    /** Keys with a bucket now (a test's view). */
    int keys() {
        return buckets.size();
    }

    private void forgetFull() {
        buckets.values().removeIf(full -> full.getAvailableTokens() >= capacity);
    }
}
