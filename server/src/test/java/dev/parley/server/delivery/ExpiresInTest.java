package dev.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.storage.ErasureTestAccess;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A send's {@code expiresIn} (docs/PROTOCOL.md §6): a copy still queued when its disappearing
 * message expires is never relayed, and the sweep deletes it, its bytes leaving parley.db,
 * -wal and -shm (a {@code send_multi} body with its last copy).
 */
class ExpiresInTest {

    private static final Duration ERASURE_BOUND = Duration.ofSeconds(1);

    private static TestServer server() {
        return TestServer.start(TestServer.testLimits(), TestServer.testStorage().withErasureBound(ERASURE_BOUND),
                TestServer.newDatabaseFile());
    }

    private static String secret() {
        byte[] bytes = new byte[8192];
        new SecureRandom().nextBytes(bytes);
        bytes[0] = 0x04;
        return TestClient.b64(bytes);
    }

    @Test
    void aDisappearingMessageToAnOfflineDeviceIsNeverRelayedAfterItExpiredAndLeavesTheDatabase() throws Exception {
        try (var server = server(); var alice = TestClient.registered(server, "ex_alice")) {
            TestIdentity bob = TestClient.registeredOffline(server, "ex_bob");
            String disappearing = secret();
            String kept = secret();
            var frame = new SendMessage("gone", "ex_bob", null, List.of(new DeviceEnvelope(1, disappearing)), 1);
            assertEquals("stored", alice.request(frame).path("type").asText());
            assertEquals("stored", alice.request(new SendMessage("kept", "ex_bob", null, List.of(new DeviceEnvelope(1, kept))))
                    .path("type").asText());
            assertTrue(ErasureTestAccess.foundIn(server.databaseFile(), disappearing), "queued: its bytes are in the files");

            Thread.sleep(1_500); // past the expiry
            try (var online = TestClient.loggedIn(server, "ex_bob", bob)) {
                List<String> relayed = online.drain(Duration.ofSeconds(2)).stream()
                        .filter(f -> f.path("type").asText().equals("relay_message")).map(f -> f.path("id").asText()).toList();
                assertEquals(List.of("kept"), relayed, "only the message without a timer is relayed");
            }
            Eventually.await(() -> !ErasureTestAccess.foundIn(server.databaseFile(), disappearing),
                    "the expired copy's bytes are gone from parley.db, -wal and -shm");
            assertTrue(ErasureTestAccess.foundIn(server.databaseFile(), kept), "the other message is still queued");
        }
    }

    @Test
    void aDisappearingGroupMessageLeavesWithItsBodyWhenItExpires() throws Exception {
        try (var server = server(); var erin = TestClient.registered(server, "ex_erin")) {
            TestIdentity fay = TestClient.registeredOffline(server, "ex_fay");
            TestClient.registeredOffline(server, "ex_gil");
            String body = secret();
            var recipients = List.of(new MultiRecipient("ex_fay", List.of(new MultiDevice(1, null))),
                    new MultiRecipient("ex_gil", List.of(new MultiDevice(1, null))));
            JsonNode stored = erin.request(new SendMulti("group", body, recipients).withExpiresIn(1));
            assertEquals("stored", stored.path("type").asText(), stored::toString);
            assertTrue(ErasureTestAccess.foundIn(server.databaseFile(), body), "queued: the body is in the files");

            Thread.sleep(1_500);
            try (var online = TestClient.loggedIn(server, "ex_fay", fay)) {
                assertTrue(online.drain(Duration.ofSeconds(2)).stream()
                        .noneMatch(f -> f.path("type").asText().equals("relay_message")), "nothing relayed after the expiry");
            }
            Eventually.await(() -> !ErasureTestAccess.foundIn(server.databaseFile(), body),
                    "the body is gone from parley.db, -wal and -shm with its copies");
        }
    }

    @Test
    void aTimerOutOfRangeIsABadFrameAndNothingIsStored() {
        try (var server = server(); var alice = TestClient.registered(server, "ex_ann")) {
            TestClient.registeredOffline(server, "ex_ben");
            for (long seconds : new long[] {0, -1, WireLimits.MAX_EXPIRES_IN_SECONDS + 1L}) {
                ObjectNode frame = TestClient.JSON.createObjectNode().put("type", "send_message").put("id", "t" + (seconds + 2))
                        .put("to", "ex_ben").put("expiresIn", seconds);
                frame.putArray("devices").addObject().put("device", 1).put("envelope", "AAAA");
                alice.send(frame);
                String id = frame.path("id").asText();
                JsonNode answer = alice.await(f -> id.equals(f.path("re").asText(null)));
                assertEquals("error", answer.path("type").asText(), answer::toString);
                assertEquals("bad_frame", answer.path("code").asText(), answer::toString);
                assertTrue(answer.path("message").asText().startsWith("'expiresIn'"), answer::toString);
            }
            ObjectNode longest = TestClient.JSON.createObjectNode().put("type", "send_message").put("id", "max")
                    .put("to", "ex_ben").put("expiresIn", WireLimits.MAX_EXPIRES_IN_SECONDS);
            longest.putArray("devices").addObject().put("device", 1).put("envelope", "AAAA");
            assertEquals("stored", alice.request(longest).path("type").asText());
        }
    }

    @Test
    void aCopyExpiresAtTheEarlierOfItsTimerAndTheQueueTtl() {
        Duration ttl = Duration.ofDays(30);
        assertEquals(1_000 + ttl.toMillis(), DeliveryHandlers.expiresAt(1_000, ttl, null));
        assertEquals(1_000 + 5_000, DeliveryHandlers.expiresAt(1_000, ttl, 5));
        assertEquals(1_000 + Duration.ofHours(1).toMillis(), DeliveryHandlers.expiresAt(1_000, Duration.ofHours(1),
                WireLimits.MAX_EXPIRES_IN_SECONDS));
    }
}
