package dev.parley.server.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/** Builds the token buckets used for every rate limit, in memory or in Redis, so they all refill the same way. */
public final class RateLimits {

    private RateLimits() {
    }

    /** A bucket holding at most {@code burst} tokens, refilled with {@code refill} tokens per {@code period}. */
    public static Bucket bucket(long burst, long refill, Duration period, TimeMeter time) {
        return Bucket.builder().addLimit(bandwidth(burst, refill, period)).withCustomTimePrecision(time).build();
    }

    /** The same bucket's configuration, for a bucket kept in Redis. */
    static BucketConfiguration configuration(long burst, long refill, Duration period) {
        return BucketConfiguration.builder().addLimit(bandwidth(burst, refill, period)).build();
    }

    private static Bandwidth bandwidth(long burst, long refill, Duration period) {
        return Bandwidth.builder().capacity(burst).refillGreedy(refill, period).build();
    }
}
