package dev.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delivery window of an online device (Mailbox): at most {@link #WINDOW} relays wait for
 * their acks; what is committed meanwhile waits in the queue (the backlog) and moves into each
 * slot an ack frees, in order: no ack that frees a slot for a backlog goes unheeded, including
 * when acks and new messages cross.
 */
class DeliveryWindowTest {

    static final int WINDOW = 3;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testLimits().withDeliveryWindow(WINDOW));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A distinct envelope per message, 8 base64url characters. */
    private static String envelope(int i) {
        return String.format("AAAA%04d", i);
    }

    private static JsonNode relay(TestClient client) {
        return client.awaitType("relay_message");
    }

    /** The first relay among the frames that arrive until none has for {@code quiet}, else null. */
    private static JsonNode relayWithin(TestClient client, Duration quiet) {
        return client.drain(quiet).stream().filter(frame -> frame.path("type").asText().equals("relay_message"))
                .findFirst().orElse(null);
    }

    @Test
    void aFullWindowHoldsTheRestUntilEachAckFreesASlotInOrder() {
        try (var alice = TestClient.registered(server, "win_alice"); var bob = TestClient.registered(server, "win_bob")) {
            for (int i = 0; i < 8; i++) {
                JsonNode answer = alice.sendMessage("win_bob", "w" + i, envelope(i));
                assertEquals("stored", answer.path("type").asText(), answer::toString);
            }
            List<JsonNode> first = new ArrayList<>();
            for (int i = 0; i < WINDOW; i++) {
                first.add(relay(bob));
            }
            assertEquals(List.of("w0", "w1", "w2"), first.stream().map(r -> r.path("id").asText()).toList());
            assertNull(relayWithin(bob, Duration.ofMillis(300)), "a relay beyond the window");

            bob.ack(first.get(1)); // any slot: the next in the queue takes it
            assertEquals("w3", relay(bob).path("id").asText());
            assertNull(relayWithin(bob, Duration.ofMillis(300)), "two relays for one ack");

            List<String> rest = new ArrayList<>();
            bob.ack(first.get(0));
            bob.ack(first.get(2));
            while (rest.size() < 4) {
                JsonNode next = relay(bob);
                rest.add(next.path("id").asText());
                bob.ack(next);
            }
            assertEquals(List.of("w4", "w5", "w6", "w7"), rest);
        }
    }

    @Test
    void acksCrossingNewMessagesLoseNoSlot() throws Exception {
        int messages = 600;
        try (var alice = TestClient.registered(server, "cross_alice"); var bob = TestClient.registered(server, "cross_bob")) {
            // Bob acks every relay as it comes while Alice sends without waiting for her answers:
            // the window fills again and again, and acks cross commits and relays.
            var received = CompletableFuture.supplyAsync(() -> {
                List<String> ids = new ArrayList<>();
                while (ids.size() < messages) {
                    JsonNode next = relay(bob);
                    ids.add(next.path("id").asText());
                    bob.ack(next);
                }
                return ids;
            });
            for (int i = 0; i < messages; i++) {
                alice.send(new SendMessage("c" + i, "cross_bob", null, List.of(new DeviceEnvelope(1, envelope(i)))));
            }
            for (int i = 0; i < messages; i++) {
                JsonNode answer = alice.awaitType("stored");
                assertEquals("stored", answer.path("type").asText(), answer::toString);
            }
            List<String> ids = received.get(60, TimeUnit.SECONDS);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                expected.add("c" + i);
            }
            assertEquals(expected, ids, "every message, once, in order");
            assertNull(relayWithin(bob, Duration.ofMillis(200)), "a relay after the last");
        }
    }
}
