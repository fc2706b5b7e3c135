package dev.parley.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.RedisProcess;
import io.github.bucket4j.TimeMeter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Rate limits kept in Redis (Bucket4j's Lettuce backend) by two nodes at once, each with its own
 * client and connection, on a redis-server of the test's own ({@link RedisProcess}): the limit holds for a key across
 * the nodes, keys expire once their bucket is full again, and while Redis is gone or does not
 * answer each node limits on its own without waiting, then shares again once Redis is back.
 */
class SharedRateLimitsTest {

    private static final Duration BACK_WITHIN = Duration.ofSeconds(90);

    /** One node's side: its own Redis client, buckets and limits. */
    private record Node(RedisClient client, RedisBuckets buckets, RateLimiters limiters) implements AutoCloseable {

        static Node on(RedisProcess redis, Duration requestTimeout) {
            var client = RedisClient.create();
            var buckets = new RedisBuckets(client, RedisURI.create(redis.url()), TimeMeter.SYSTEM_MILLISECONDS, requestTimeout,
                    new SimpleMeterRegistry());
            return new Node(client, buckets, RateLimiters.shared(buckets, TimeMeter.SYSTEM_MILLISECONDS));
        }

        @Override
        public void close() {
            buckets.close();
            client.shutdown();
        }
    }

    private static String address() {
        return "198.51.100." + UUID.randomUUID();
    }

    private static int taken(List<KeyedRateLimiter> limiters, String key, int attempts) {
        int taken = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiters.get(i % limiters.size()).tryAcquire(key)) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void aLimitHoldsForAKeyAcrossTwoNodes() throws Exception {
        try (var redis = RedisProcess.start(); var a = Node.on(redis, Duration.ofSeconds(10)); var b = Node.on(redis, Duration.ofSeconds(10))) {
            var onA = a.limiters().keyed("registrations", 3, Duration.ofHours(1));
            var onB = b.limiters().keyed("registrations", 3, Duration.ofHours(1));
            String key = address();
            assertEquals(3, taken(List.of(onA, onB), key, 10), "three in all, however they are spread over the nodes");
            assertEquals(3, taken(List.of(onA, onB), address(), 10), "another key has its own bucket");
            onA.giveBack(key, 1);
            assertTrue(onB.tryAcquire(key), "a token given back on one node is taken on the other");
            assertFalse(onA.tryAcquire(key));
            assertTrue(onB.tryAcquire(address(), 3) && !onA.tryAcquire(key, 1), "several tokens at once");

            var localA = RateLimiters.local(TimeMeter.SYSTEM_MILLISECONDS).keyed("registrations", 3, Duration.ofHours(1));
            var localB = RateLimiters.local(TimeMeter.SYSTEM_MILLISECONDS).keyed("registrations", 3, Duration.ofHours(1));
            assertEquals(6, taken(List.of(localA, localB), address(), 10), "in memory each node has its own (the contrast)");
            assertFalse(a.buckets().nodeLocal() || b.buckets().nodeLocal());
        }
    }

    @Test
    void aKeyExpiresWhenItsBucketWouldBeFullAgain() throws Exception {
        try (var redis = RedisProcess.start(); var a = Node.on(redis, Duration.ofSeconds(10));
             var inspect = RedisClient.create(redis.url()); var connection = inspect.connect()) {
            var limiter = a.limiters().keyed("uploads", 4, Duration.ofHours(1));
            String key = "an_account";
            assertTrue(limiter.tryAcquire(key));
            String redisKey = "parley:limit:uploads:4/4/3600000ms:" + key;
            assertEquals(List.of(redisKey), connection.sync().keys("parley:limit:*"), "one key, named by the limit and its numbers");
            long ttl = connection.sync().pttl(redisKey);
            long refillOne = Duration.ofMinutes(15).plus(RedisBuckets.KEEP_AFTER_FULL).toMillis();
            assertTrue(ttl > 0 && ttl <= refillOne, "expires once one token is back (15 min), not later: " + ttl);
            assertTrue(limiter.tryAcquire(key, 3));
            long emptied = connection.sync().pttl(redisKey);
            assertTrue(emptied > refillOne && emptied <= Duration.ofHours(1).plus(RedisBuckets.KEEP_AFTER_FULL).toMillis(),
                    "an empty bucket's key lives until all of it is back: " + emptied);
        }
    }

    @Test
    void whileRedisIsGoneEachNodeLimitsOnItsOwnAndTheyShareAgainOnceItIsBack() throws Exception {
        try (var redis = RedisProcess.start(); var a = Node.on(redis, Duration.ofSeconds(10)); var b = Node.on(redis, Duration.ofSeconds(10))) {
            var onA = a.limiters().keyed("bundles", 2, Duration.ofHours(1));
            var onB = b.limiters().keyed("bundles", 2, Duration.ofHours(1));
            String key = address();
            assertEquals(2, taken(List.of(onA, onB), key, 6));

            redis.kill();
            assertEquals(2, taken(List.of(onA), key, 5), "node A alone: its own bucket, full");
            assertEquals(2, taken(List.of(onB), key, 5), "node B alone: its own bucket, full");
            assertTrue(a.buckets().nodeLocal() && b.buckets().nodeLocal());

            redis.restart();
            awaitShared(a, onA);
            awaitShared(b, onB);
            assertEquals(2, taken(List.of(onA, onB), address(), 6), "shared again");
        }
    }

    @Test
    void aNodeStartedWhileRedisIsDownLimitsOnItsOwnUntilItConnects() throws Exception {
        try (var redis = RedisProcess.start()) {
            redis.kill();
            try (var a = Node.on(redis, Duration.ofSeconds(10)); var b = Node.on(redis, Duration.ofSeconds(10))) {
                var onA = a.limiters().keyed("uploads", 2, Duration.ofHours(1));
                var onB = b.limiters().keyed("uploads", 2, Duration.ofHours(1));
                assertTrue(a.buckets().nodeLocal(), "started without Redis");
                assertEquals(4, taken(List.of(onA, onB), address(), 8), "each node on its own");
                redis.restart();
                awaitShared(a, onA);
                awaitShared(b, onB);
                assertEquals(2, taken(List.of(onA, onB), address(), 8), "shared once connected");
            }
        }
    }

    @Test
    void aRedisThatDoesNotAnswerDelaysALimitByTheRequestTimeoutOnceThenNotAtAll() throws Exception {
        try (var redis = RedisProcess.start(); var a = Node.on(redis, Duration.ofMillis(500))) {
            var limiter = a.limiters().keyed("lookups", 1000, Duration.ofMinutes(1));
            String key = "an_account";
            assertTrue(limiter.tryAcquire(key));
            redis.pause();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    assertTrue(limiter.tryAcquire(key), "answered from the node's own bucket");
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                // Waiting for Redis on each call would take 50 x 500 ms; Lettuce's own timeout is 60 s.
                assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "50 limits while Redis hangs took " + took);
                assertTrue(a.buckets().nodeLocal());
            } finally {
                redis.resume();
            }
            awaitShared(a, limiter);
        }
    }

    /** Calls {@code limiter} until its node uses Redis again (after a retry pause and Lettuce's reconnection). */
    private static void awaitShared(Node node, KeyedRateLimiter limiter) throws InterruptedException {
        BooleanSupplier shared = () -> {
            limiter.tryAcquire(address());
            return !node.buckets().nodeLocal();
        };
        long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
        while (!shared.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the limits were not shared again within " + BACK_WITHIN);
            }
            Thread.sleep(100);
        }
    }
}
