package dev.parley.server.delivery;

import static dev.parley.server.delivery.MultiSendTest.CONTENT;
import static dev.parley.server.delivery.MultiSendTest.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The queue limits of a {@code send_multi}: a full device queue or a full share refuses that
 * recipient alone (in {@code stored.refused}); the sender's quota counts the body once and,
 * when passed, refuses the whole frame with nothing stored. One server, with small limits:
 * queues of 3, a share of 2, a quota of 10,000 characters.
 */
class MultiSendLimitsTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testLimits().withQueue(3, Duration.ofDays(1)),
                TestServer.testStorage().withQueueShare(2).withQueuedBytesPerAccount(10_000), TestServer.newDatabaseFile());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aFullQueueOrShareRefusesOnlyItsRecipient() {
        TestIdentity full = TestClient.registeredOffline(server, "ml_full");
        TestClient.registeredOffline(server, "ml_shared");
        try (var filler = TestClient.registered(server, "ml_filler");
                var sender = TestClient.registered(server, "ml_sender");
                var open = TestClient.registered(server, "ml_open")) {
            // ml_full's queue: 2 from filler (its whole share) and 1 from sender: 3, full.
            for (String id : List.of("f0", "f1")) {
                assertStored(filler.request(new SendMulti(id, CONTENT, List.of(to("ml_full", 1)))));
            }
            assertStored(sender.request(new SendMulti("s0", CONTENT, List.of(to("ml_full", 1)))));
            assertStored(sender.request(new SendMulti("s1", CONTENT, List.of(to("ml_shared", 1)))));
            assertStored(sender.request(new SendMulti("s2", CONTENT, List.of(to("ml_shared", 1)))));

            JsonNode stored = sender.request(new SendMulti("s3", CONTENT,
                    List.of(to("ml_full", 1), to("ml_shared", 1), to("ml_open", 1))));
            assertStored(stored);
            JsonNode refused = stored.path("refused");
            assertEquals(2, refused.size(), stored::toString);
            assertEquals("ml_full", refused.get(0).path("to").asText());
            assertEquals("queue_full", refused.get(0).path("code").asText());
            assertEquals("ml_shared", refused.get(1).path("to").asText());
            assertEquals("queue_share_full", refused.get(1).path("code").asText());
            assertEquals("s3", open.awaitType("relay_message").path("id").asText(), "the others get it");

            JsonNode resent = sender.request(new SendMulti("s0", CONTENT, List.of(to("ml_full", 1))));
            assertTrue(resent.path("duplicate").asBoolean(), () -> "a resend into a full queue is a duplicate: " + resent);
            try (var reader = TestClient.loggedIn(server, "ml_full", full)) {
                for (String id : List.of("f0", "f1", "s0")) {
                    JsonNode relay = reader.awaitType("relay_message");
                    assertEquals(id, relay.path("id").asText(), "nothing of s3 was stored for the full queue");
                    reader.ack(relay);
                }
            }
        }
    }

    @Test
    void theQuotaCountsTheBodyOnceAndRefusesTheWholeFrame() {
        String content = "B" + "A".repeat(5_999);
        TestClient.registeredOffline(server, "mq_a");
        TestClient.registeredOffline(server, "mq_b");
        TestClient.registeredOffline(server, "mq_c");
        try (var sender = TestClient.registered(server, "mq_sender")) {
            assertStored(sender.request(new SendMulti("q1", content, List.of(to("mq_a", 1), to("mq_b", 1), to("mq_c", 1)))));
            JsonNode over = sender.request(new SendMulti("q2", content, List.of(to("mq_a", 1), to("mq_b", 1))));
            assertEquals("quota_exceeded", over.path("code").asText(), over::toString);
            JsonNode resent = sender.request(new SendMulti("q1", content, List.of(to("mq_a", 1), to("mq_b", 1), to("mq_c", 1))));
            assertTrue(resent.path("duplicate").asBoolean(), resent::toString);
        }
    }

    private static void assertStored(JsonNode reply) {
        assertEquals("stored", reply.path("type").asText(), reply::toString);
    }
}
