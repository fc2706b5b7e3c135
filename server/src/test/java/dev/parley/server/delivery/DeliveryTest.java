package dev.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;
import dev.parley.wire.frames.SessionFrames.Ping;

class DeliveryTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testLimits().withQueue(5, Duration.ofDays(1)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<JsonNode> relays(TestClient client, int expected) {
        List<JsonNode> relays = new ArrayList<>();
        while (relays.size() < expected) {
            relays.add(client.awaitType("relay_message"));
        }
        return relays;
    }

    private static double acknowledgedCount() {
        return server.server().metrics().get("parley_messages_acknowledged").counter().count();
    }

    @Test
    void anOnlineRecipientGetsTheMessageAfterTheSenderHearsStored() {
        try (var alice = TestClient.registered(server, "dl_alice"); var bob = TestClient.registered(server, "dl_bob")) {
            JsonNode ack = alice.sendMessage("dl_bob", "m1", "ZW52ZWxvcGU");
            assertEquals("stored", ack.path("type").asText(), ack::toString);
            JsonNode relay = bob.awaitType("relay_message");
            assertEquals("m1", relay.path("id").asText());
            assertEquals("dl_alice", relay.path("from").asText());
            assertEquals("ZW52ZWxvcGU", relay.path("envelope").asText());
            assertTrue(relay.path("serverTime").asLong() > 0);
        }
    }

    @Test
    void messagesToAnOfflineUserArriveInOrderAfterLogin() {
        TestIdentity bob = TestClient.registeredOffline(server, "off_bob");
        try (var alice = TestClient.registered(server, "off_alice")) {
            for (int i = 0; i < 5; i++) {
                assertEquals("stored", alice.sendMessage("off_bob", "o" + i, "AAAAA" + i).path("type").asText());
            }
        }
        try (var bobClient = TestClient.loggedIn(server, "off_bob", bob)) {
            List<String> ids = relays(bobClient, 5).stream().map(r -> r.path("id").asText()).toList();
            assertEquals(List.of("o0", "o1", "o2", "o3", "o4"), ids);
        }
    }

    @Test
    void aMessageWhoseAckIsLostIsReplayedWithTheSameIdAndDeliveredOnceToTheApplication() {
        TestIdentity bob = TestClient.registeredOffline(server, "lost_bob");
        try (var alice = TestClient.registered(server, "lost_alice")) {
            alice.sendMessage("lost_bob", "once", "AAAA");
        }
        Set<String> application = new LinkedHashSet<>(); // what a client shows: deduplicated by (from, id)
        int relayed = 0;
        try (var first = TestClient.loggedIn(server, "lost_bob", bob)) {
            JsonNode relay = first.awaitType("relay_message");
            relayed++;
            application.add(relay.path("from").asText() + "/" + relay.path("id").asText());
            // The connection drops before the ack reaches the server.
        }
        try (var second = TestClient.loggedIn(server, "lost_bob", bob)) {
            JsonNode replay = second.awaitType("relay_message");
            relayed++;
            assertEquals("once", replay.path("id").asText());
            assertFalse(application.add(replay.path("from").asText() + "/" + replay.path("id").asText()),
                    "the replay carries the same id, so the application sees it once");
            double acknowledgedBefore = acknowledgedCount();
            second.ack(replay);
            // The ack is group-committed asynchronously; the claim below is about a committed ack.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (acknowledgedCount() <= acknowledgedBefore && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(acknowledgedCount() > acknowledgedBefore, "the server committed the ack");
        }
        try (var third = TestClient.loggedIn(server, "lost_bob", bob)) {
            assertTrue(third.drain(Duration.ofMillis(500)).stream().noneMatch(f -> f.path("type").asText().equals("relay_message")),
                    "an acknowledged message is not replayed");
        }
        assertEquals(2, relayed);
        assertEquals(1, application.size());
    }

    @Test
    void aResentMessageIdIsAcknowledgedButQueuedOnce() {
        TestIdentity bob = TestClient.registeredOffline(server, "dup_bob");
        try (var alice = TestClient.registered(server, "dup_alice")) {
            assertEquals("stored", alice.sendMessage("dup_bob", "same", "AAAA").path("type").asText());
            JsonNode again = alice.sendMessage("dup_bob", "same", "AAAA");
            assertEquals("stored", again.path("type").asText());
            assertTrue(again.path("duplicate").asBoolean());
        }
        try (var bobClient = TestClient.loggedIn(server, "dup_bob", bob)) {
            List<JsonNode> frames = bobClient.drain(Duration.ofMillis(700));
            assertEquals(1, frames.stream().filter(f -> f.path("type").asText().equals("relay_message")).count());
        }
    }

    @Test
    void aFullQueueRefusesWithQueueFullAndLosesNothingAlreadyStored() {
        TestIdentity bob = TestClient.registeredOffline(server, "full_bob");
        try (var alice = TestClient.registered(server, "full_alice")) {
            for (int i = 0; i < 5; i++) {
                assertEquals("stored", alice.sendMessage("full_bob", "f" + i, "AAAA").path("type").asText());
            }
            JsonNode refused = alice.sendMessage("full_bob", "f5", "AAAA");
            assertEquals("queue_full", refused.path("code").asText(), refused::toString);
            assertEquals("f5", refused.path("re").asText());
        }
        try (var bobClient = TestClient.loggedIn(server, "full_bob", bob)) {
            assertEquals(5, relays(bobClient, 5).size());
        }
    }

    @Test
    void deliveryToAnUnknownUserIsRefused() {
        try (var alice = TestClient.registered(server, "unk_alice")) {
            assertEquals("unknown_user", alice.sendMessage("nobody_at_all", "u1", "AAAA").path("code").asText());
        }
    }

    @Test
    void aNewLoginReplacesTheOlderConnection() {
        TestIdentity identity = TestClient.registeredOffline(server, "twice_user");
        var first = TestClient.loggedIn(server, "twice_user", identity);
        try (var second = TestClient.loggedIn(server, "twice_user", identity)) {
            JsonNode notice = first.awaitType("error");
            assertEquals("session_replaced", notice.path("code").asText());
            assertTrue(first.isClosed(Duration.ofSeconds(5)));
            assertEquals("pong", second.request(new Ping(TestClient.nextId())).path("type").asText());
        }
    }

    @Test
    void directorySubscribersSeePresenceChanges() {
        try (var watcher = TestClient.registered(server, "pres_watch")) {
            JsonNode directory = watcher.request(new GetPublicKeys(TestClient.nextId()));
            assertTrue(directory.path("complete").asBoolean());
            try (var other = TestClient.registered(server, "pres_other")) {
                JsonNode online = watcher.await(f -> f.path("type").asText().equals("presence")
                        && f.path("username").asText().equals("pres_other"));
                assertTrue(online.path("online").asBoolean());
            }
            JsonNode offline = watcher.await(f -> f.path("type").asText().equals("presence")
                    && f.path("username").asText().equals("pres_other") && !f.path("online").asBoolean());
            assertFalse(offline.path("online").asBoolean());
        }
    }
}
