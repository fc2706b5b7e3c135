package dev.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.StorageLimits;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * One sender cannot lock another user's inbox: it fills only its own share of the queue, and
 * its queued bytes over all recipients are bounded by a quota. Refusals come before any ack;
 * the share and the quota free up as the recipient acknowledges.
 */
class QueueShareAndQuotaTest {

    @Test
    void oneSenderFillsOnlyItsShareOfARecipientsQueue() {
        try (var server = TestServer.start(TestServer.testLimits().withQueue(20, Duration.ofDays(1)),
                TestServer.testStorage().withQueueShare(5), TestServer.newDatabaseFile())) {
            TestIdentity bob = TestClient.registeredOffline(server, "qs_bob");
            try (var mallory = TestClient.registered(server, "qs_mallory");
                 var alice = TestClient.registered(server, "qs_alice")) {
                for (int i = 0; i < 5; i++) {
                    assertStored(mallory.sendMessage("qs_bob", "m" + i, "ZW52"));
                }
                JsonNode refused = mallory.sendMessage("qs_bob", "m5", "ZW52");
                assertEquals("queue_share_full", refused.path("code").asText(), refused::toString);
                JsonNode resent = mallory.sendMessage("qs_bob", "m0", "ZW52");
                assertTrue(resent.path("duplicate").asBoolean(), () -> "a resend of a stored message is a duplicate: " + resent);
                for (int i = 0; i < 5; i++) {
                    assertStored(alice.sendMessage("qs_bob", "a" + i, "ZW52"));
                }

                try (var receiver = TestClient.loggedIn(server, "qs_bob", bob)) {
                    JsonNode first = receiver.awaitType("relay_message");
                    assertEquals("qs_mallory", first.path("from").asText());
                    receiver.ack(first);
                    Eventually.await(() -> acknowledged(server) == 1, "the ack is committed");
                }
                assertStored(mallory.sendMessage("qs_bob", "m5", "ZW52"));
            }
        }
    }

    @Test
    void aSendersQueuedBytesOverAllRecipientsAreBoundedByItsQuota() {
        String envelope = "A".repeat(3000);
        try (var server = TestServer.start(TestServer.testLimits(),
                TestServer.testStorage().withQueuedBytesPerAccount(10_000), TestServer.newDatabaseFile())) {
            TestIdentity bob = TestClient.registeredOffline(server, "qq_bob");
            TestClient.registeredOffline(server, "qq_carol");
            try (var mallory = TestClient.registered(server, "qq_mallory");
                 var alice = TestClient.registered(server, "qq_alice")) {
                assertStored(mallory.sendMessage("qq_bob", "m0", envelope));
                assertStored(mallory.sendMessage("qq_bob", "m1", envelope));
                assertStored(mallory.sendMessage("qq_carol", "m2", envelope));
                for (String to : new String[] {"qq_bob", "qq_carol"}) {
                    JsonNode refused = mallory.sendMessage(to, "m3", envelope);
                    assertEquals("quota_exceeded", refused.path("code").asText(), refused::toString);
                }
                assertStored(mallory.sendMessage("qq_bob", "small", "ZW52"));
                assertStored(alice.sendMessage("qq_bob", "a0", envelope));

                try (var receiver = TestClient.loggedIn(server, "qq_bob", bob)) {
                    JsonNode first = receiver.awaitType("relay_message");
                    assertEquals("m0", first.path("id").asText());
                    receiver.ack(first);
                    Eventually.await(() -> acknowledged(server) == 1, "the ack is committed");
                }
                assertStored(mallory.sendMessage("qq_carol", "m3", envelope));
            }
        }
    }

    private static void assertStored(JsonNode reply) {
        assertEquals("stored", reply.path("type").asText(), reply::toString);
    }

    private static double acknowledged(TestServer server) {
        return server.server().metrics().get("parley_messages_acknowledged").counter().count();
    }

}
