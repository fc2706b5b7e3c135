package dev.parley.server.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketListener;
import io.github.bucket4j.MathType;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LockFreeBucket;
import java.time.Duration;

/** Builds the token buckets used for every rate limit, in memory or in Redis, so they all refill the same way. */
public final class RateLimits {

    private RateLimits() {
    }

    /** A bucket holding at most {@code burst} tokens, refilled with {@code refill} tokens per {@code period}. */
    public static Bucket bucket(long burst, long refill, Duration period, TimeMeter time) {
        return bucket(configuration(burst, refill, period), time);
    }

    /**
     * A bucket in memory with {@code configuration}, which it shares: the configuration is
     * immutable, so a limiter holding a bucket per key (an account, an address) makes it once,
     * and each bucket then costs its state only (about a hundred bytes less per key than
     * {@code Bucket.builder()}, which copies the limits into every bucket).
     */
    static Bucket bucket(BucketConfiguration configuration, TimeMeter time) {
        return new LockFreeBucket(configuration, MathType.INTEGER_64_BITS, time, BucketListener.NOPE);
    }

    /** The same bucket's configuration, for a bucket kept in Redis or a limiter's buckets in memory. */
    static BucketConfiguration configuration(long burst, long refill, Duration period) {
        return BucketConfiguration.builder().addLimit(bandwidth(burst, refill, period)).build();
    }

    private static Bandwidth bandwidth(long burst, long refill, Duration period) {
        return Bandwidth.builder().capacity(burst).refillGreedy(refill, period).build();
    }
}
