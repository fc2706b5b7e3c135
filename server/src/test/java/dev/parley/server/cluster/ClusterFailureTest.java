package dev.parley.server.cluster;

import static dev.parley.server.cluster.ClusterFrames.awaitWithin;
import static dev.parley.server.cluster.ClusterFrames.presence;
import static dev.parley.server.cluster.ClusterFrames.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.wire.frames.DirectoryFrames.FindUsers;
import io.lettuce.core.KillArgs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the cluster does when something fails, on nodes of its own with a short delivery sweep:
 * a notification that never came is made up within the sweep's bound; Redis killed and started
 * again (empty) loses no message, and the nodes register their devices and presence again; and
 * the accounts of a node that died (no heartbeat) go offline on the others.
 */
class ClusterFailureTest {

    private static final Duration SWEEP = Duration.ofSeconds(2);
    /** What a busy test machine may add to the bound: scheduling, the database read, the frame on its way. */
    private static final Duration MARGIN = Duration.ofSeconds(8);
    private static ClusterNodes nodes;

    @BeforeAll
    static void start() {
        nodes = ClusterNodes.start(3, SWEEP);
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void aCopyWhoseNotificationNeverCameIsDeliveredWithinTheSweep() {
        try (var bob = TestClient.registered(nodes.node(2), "fs_bob"); var alice = TestClient.registered(nodes.node(1), "fs_alice")) {
            long before = System.nanoTime();
            ClusterFrames.storeUnnotified(nodes, "fs_alice", "fs_bob", List.of(1), "swept", "c3dlcHQ");
            JsonNode relay = awaitWithin(bob, ClusterFrames.type("relay_message"), SWEEP.plus(MARGIN));
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            assertEquals("swept", relay.path("id").asText(), relay::toString);
            assertTrue(took.compareTo(SWEEP.plus(MARGIN)) <= 0, "delivered after " + took);
            bob.ack(relay);
        }
    }

    @Test
    void redisKilledAndStartedAgainLosesNoMessageAndTheNodesRegisterAgain() {
        TestIdentity bob = TestClient.registeredOffline(nodes.node(2), "fr_bob");
        try (var watcher = TestClient.registered(nodes.node(3), "fr_watch");
                var alice = TestClient.registered(nodes.node(1), "fr_alice")) {
            watcher.request(new FindUsers(TestClient.nextId(), List.of("fr_bob")));
            try (var bobOnline = TestClient.loggedIn(nodes.node(2), "fr_bob", bob)) {
                watcher.await(presence("fr_bob", true));

                nodes.redis.kill();
                Eventually.await(() -> !nodes.redisCluster(1).connected() && !nodes.redisCluster(2).connected(),
                        "the nodes notice that Redis is gone");
                for (int i = 0; i < 5; i++) {
                    JsonNode stored = alice.sendMessage("fr_bob", "during" + i, "ZHVyaW5n");
                    assertEquals("stored", stored.path("type").asText(), "the database stores without Redis: " + stored);
                }
                nodes.redis.restart();
                for (int i = 0; i < 5; i++) {
                    assertEquals("stored", alice.sendMessage("fr_bob", "after" + i, "YWZ0ZXI").path("type").asText());
                }
                JsonNode first = awaitWithin(bobOnline, ClusterFrames.type("relay_message"), Duration.ofSeconds(60));
                assertEquals("during0", first.path("id").asText(), first::toString);
                bobOnline.ack(first);
                for (int i = 1; i < 5; i++) {
                    receive(bobOnline, "during" + i);
                }
                for (int i = 0; i < 5; i++) {
                    receive(bobOnline, "after" + i);
                }

                // Redis came back empty: every node registered its devices and presence again.
                var redis = nodes.inspect().sync();
                Eventually.await(() -> redis.sismember(RedisNames.ONLINE, "fr_bob") && redis.sismember(RedisNames.ONLINE, "fr_alice")
                        && redis.sismember(RedisNames.ONLINE, "fr_watch"), "presence registered again");
                assertEquals(java.util.Set.of("n2/1"), redis.smembers(RedisNames.presence("fr_bob")));
                assertTrue(redis.get("parley:socket:fr_bob:1").startsWith("n2/"), "the socket key names node 2 again");
                assertEquals(java.util.Set.of("n1", "n2", "n3"), redis.smembers(RedisNames.NODES));

                // And it works as before: a message now, and presence pushes.
                assertEquals("stored", alice.sendMessage("fr_bob", "later", "bGF0ZXI").path("type").asText());
                receive(bobOnline, "later");
            }
            awaitWithin(watcher, presence("fr_bob", false), Duration.ofSeconds(30));
        }
    }

    @Test
    void aDroppedConnectionToRedisMakesTheNodesRegisterAgainAndForgetWhatTheyNoLongerHold() {
        TestClient.registeredOffline(nodes.node(2), "fz_ghost");
        try (var watcher = TestClient.registered(nodes.node(1), "fz_watch"); var held = TestClient.registered(nodes.node(2), "fz_held")) {
            watcher.request(new FindUsers(TestClient.nextId(), List.of("fz_ghost", "fz_held")));
            // What node 2 would have left behind had fz_ghost's departure reached a Redis that was away.
            var redis = nodes.inspect().sync();
            redis.sadd(RedisNames.presence("fz_ghost"), "n2/1");
            redis.sadd(RedisNames.ONLINE, "fz_ghost");
            redis.sadd(RedisNames.nodeDevices("n2"), "fz_ghost/1");
            redis.set("parley:socket:fz_ghost:1", "n2/c999999/1");
            redis.publish(RedisNames.EVENTS, BusCodec.PRESENCE_PREFIX + "fz_ghost 1");
            watcher.await(presence("fz_ghost", true));

            redis.clientKill(KillArgs.Builder.typePubsub());
            awaitWithin(watcher, presence("fz_ghost", false), Duration.ofSeconds(30));
            Eventually.await(() -> redis.exists("parley:socket:fz_ghost:1") == 0, "the stale socket key is removed");
            assertEquals(java.util.Set.of("n2/1"), redis.smembers(RedisNames.presence("fz_held")), "what node 2 holds stays");
            assertTrue(held.drain(Duration.ofMillis(300)).stream().noneMatch(f -> f.path("type").asText().equals("error")),
                    "the held connection is not disturbed");
            assertEquals("stored", watcher.sendMessage("fz_held", "z1", "c3RpbGw").path("type").asText());
            receive(held, "z1");
        }
    }

    @Test
    void theAccountsOfANodeThatDiedGoOfflineOnTheOthers() {
        TestIdentity carol = TestClient.registeredOffline(nodes.node(1), "fd_carol");
        try (var watcher = TestClient.registered(nodes.node(1), "fd_watch")) {
            watcher.request(new FindUsers(TestClient.nextId(), List.of("fd_carol")));
            var carolOnline = TestClient.loggedIn(nodes.node(3), "fd_carol", carol);
            watcher.await(presence("fd_carol", true));

            // Node 3 stops as if killed: no heartbeat, nothing removed from Redis.
            nodes.redisCluster(3).halt();
            nodes.node(3).close();
            carolOnline.close();
            awaitWithin(watcher, presence("fd_carol", false), NodeLiveness.TTL.plus(Duration.ofSeconds(30)));
            var redis = nodes.inspect().sync();
            assertEquals(0L, redis.exists(RedisNames.presence("fd_carol"), "parley:socket:fd_carol:1", RedisNames.nodeDevices("n3")));
            assertTrue(!redis.sismember(RedisNames.NODES, "n3"), "the dead node is forgotten");

            nodes.restart(3);
            try (var again = TestClient.loggedIn(nodes.node(3), "fd_carol", carol)) {
                watcher.await(presence("fd_carol", true));
            }
        }
    }
}
