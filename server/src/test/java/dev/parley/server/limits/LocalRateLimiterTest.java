package dev.parley.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.ManualTimeMeter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Buckets per key in memory: shared per key, limiting, and forgotten once full again (which grants nothing). */
class LocalRateLimiterTest {

    private final ManualTimeMeter time = new ManualTimeMeter();
    private final LocalRateLimiter limiter = new LocalRateLimiter(3, 1, Duration.ofSeconds(1), time);

    @Test
    void aKeyHasOneBucketThatLimitsEveryoneUsingIt() {
        assertSame(limiter.bucket("alice"), limiter.bucket("alice"));
        assertTrue(limiter.tryAcquire("alice", 2));
        assertTrue(limiter.tryAcquire("alice", 1));
        assertFalse(limiter.tryAcquire("alice", 1));
        assertTrue(limiter.tryAcquire("bob", 3));
        time.advance(Duration.ofSeconds(1));
        assertTrue(limiter.tryAcquire("alice", 1));
        assertFalse(limiter.tryAcquire("alice", 1));
    }

    @Test
    void fullBucketsAreForgottenAtTheNextSweepAndDrainedOnesKept() {
        limiter.bucket("idle");
        assertTrue(limiter.tryAcquire("busy", 3));
        var busy = limiter.bucket("busy");
        time.advance(Duration.ofSeconds(9));
        assertTrue(limiter.tryAcquire("busy", 3)); // refilled 9 tokens, capped at 3, now drained again
        assertEquals(2, limiter.keys());

        time.advance(Duration.ofSeconds(1)); // a sweep is due: "idle" is full, "busy" has 1 of 3 tokens
        assertSame(busy, limiter.bucket("busy"));
        assertEquals(1, limiter.keys());
        assertEquals(1, busy.getAvailableTokens(), "a bucket short of full is kept with what it has");

        time.advance(Duration.ofSeconds(10)); // "busy" full again: forgotten, and its new bucket is full, no more
        var again = limiter.bucket("busy");
        assertNotSame(busy, again);
        assertEquals(3, again.getAvailableTokens());
        assertTrue(limiter.tryAcquire("busy", 3));
        assertFalse(limiter.tryAcquire("busy", 1));
    }
}
