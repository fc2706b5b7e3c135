package dev.parley.server.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/** Builds the token buckets used for every rate limit, so they all refill the same way. */
public final class RateLimits {

    private RateLimits() {
    }

    /** A bucket holding at most {@code burst} tokens, refilled with {@code refill} tokens per {@code period}. */
    public static Bucket bucket(long burst, long refill, Duration period, TimeMeter time) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(refill, period))
                .withCustomTimePrecision(time)
                .build();
    }
}
