package dev.parley.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.BlobLimits;
import dev.parley.server.config.ClusterSettings;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.config.DirectorySettings;
import dev.parley.server.config.MetricsEndpoint;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.RedisProcess;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.DirectoryFrames.FindUsers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes in this JVM (one PostgreSQL database, one private Redis): registrations
 * from one address are limited as one however they are split over the nodes; while Redis is
 * down each node limits them on its own, and once Redis is back they are shared again.
 */
class ClusterRateLimitsTest {

    private static final int PER_ADDRESS = 5;
    private static final Duration BACK_WITHIN = Duration.ofSeconds(90);
    private final AtomicInteger names = new AtomicInteger();

    private static ServerConfig node(String id, String databaseUrl, String redisUrl) {
        return new ServerConfig("127.0.0.1", 0, databaseUrl, List.of(),
                TestServer.testLimits().withRegistrationsPerIpPerHour(PER_ADDRESS), ConnectionLimits.defaults(),
                TestServer.testStorage(), MetricsEndpoint.loopback(0), BlobLimits.defaults(), DirectorySettings.defaults(),
                new ClusterSettings(redisUrl, id, ClusterSettings.DEFAULT_DELIVERY_SWEEP, ClusterSettings.DEFAULT_DRAIN_TIMEOUT));
    }

    /** Registers new accounts on {@code nodes} in turn, {@code attempts} times; how many were registered. */
    private int registrations(List<TestServer> nodes, int attempts) {
        int registered = 0;
        for (int i = 0; i < attempts; i++) {
            try (var client = TestClient.connect(nodes.get(i % nodes.size()))) {
                JsonNode answer = client.register("crl_" + names.incrementAndGet());
                if (answer.path("type").asText().equals("registered")) {
                    registered++;
                } else {
                    assertEquals("rate_limited", answer.path("code").asText(), answer::toString);
                }
            }
        }
        return registered;
    }

    private static double nodeLocal(TestServer node) {
        return node.server().metrics().get("parley_rate_limits_node_local").gauge().value();
    }

    @Test
    void registrationsFromOneAddressAreLimitedAsOneAcrossNodesAndByEachNodeWhileRedisIsDown() throws Exception {
        try (var redis = RedisProcess.start(); var postgres = PostgresDatabases.fresh();
             var one = TestServer.start(node("n1", postgres.url(), redis.url()));
             var two = TestServer.start(node("n2", postgres.url(), redis.url()));
             var watcherOne = TestClient.registered(one, "crl_watcher_one");
             var watcherTwo = TestClient.registered(two, "crl_watcher_two")) {
            assertEquals(PER_ADDRESS - 2, registrations(List.of(one, two), 2 * PER_ADDRESS),
                    "one bucket for the address on both nodes (the watchers took two)");

            redis.kill();
            assertEquals(PER_ADDRESS, registrations(List.of(one), 2 * PER_ADDRESS), "node 1 alone, with its own bucket");
            assertEquals(PER_ADDRESS, registrations(List.of(two), 2 * PER_ADDRESS), "node 2 alone, with its own bucket");
            assertEquals(1.0, nodeLocal(one));
            assertEquals(1.0, nodeLocal(two));

            redis.restart(); // empty: the buckets start full again
            awaitShared(one, watcherOne);
            awaitShared(two, watcherTwo);
            assertEquals(PER_ADDRESS, registrations(List.of(two, one), 2 * PER_ADDRESS), "shared again");
        }
    }

    /** Looks a name up through {@code node} (a limited request: it tries Redis again) until the node's limits are shared. */
    private static void awaitShared(TestServer node, TestClient watcher) throws InterruptedException {
        long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
        while (nodeLocal(node) != 0.0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the limits were not shared again within " + BACK_WITHIN);
            }
            watcher.request(new FindUsers(TestClient.nextId(), List.of("crl_nobody")));
            Thread.sleep(200);
        }
    }
}
