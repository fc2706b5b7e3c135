package dev.parley.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A cluster node stopped for an upgrade (docs/OPERATIONS.md, "Draining"): its {@code /readyz}
 * fails during the notice while it still serves, its clients are told to reconnect (1012), and
 * the recipient it held, logging in on another node, gets every message acknowledged to the
 * sender before and during the drain, while the sender, on another node, keeps sending.
 */
class ClusterDrainTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDrainedNodesClientMovesToAnotherNodeAndMissesNothingAcknowledged() throws Exception {
        try (var nodes = ClusterNodes.start(2, Duration.ofSeconds(1))) {
            TestIdentity bob = TestClient.registeredOffline(nodes.node(2), "cd_bob");
            var bobOnOne = TestClient.loggedIn(nodes.node(1), "cd_bob", bob);
            var alice = TestClient.registered(nodes.node(2), "cd_alice");
            Set<String> acknowledged = new HashSet<>();
            int sent = 0;
            for (; sent < 100; sent++) {
                alice.sendTextAsync(send(sent));
            }
            while (acknowledged.size() < 20) {
                collect(alice.next(), acknowledged);
            }

            int port = nodes.node(1).port();
            Thread drain = Thread.ofPlatform().name("test-drain").start(nodes.node(1).server()::drainAndClose);
            Eventually.await(() -> readyzStatus(port) == 503, "node 1 is not ready once its drain began");
            for (; sent < 200; sent++) { // the sender's node is not draining: it keeps taking messages
                alice.sendTextAsync(send(sent));
            }
            assertEquals(1012, bobOnOne.closeCode(Eventually.TIMEOUT), "bob is told to reconnect (1012)");
            drain.join(Eventually.TIMEOUT.toMillis());
            assertTrue(!drain.isAlive(), "node 1 finished draining");

            while (acknowledged.size() < sent) {
                collect(alice.next(), acknowledged);
            }
            bobOnOne.close();
            try (var bobOnTwo = TestClient.loggedIn(nodes.node(2), "cd_bob", bob)) {
                Set<String> delivered = new HashSet<>();
                while (!delivered.containsAll(acknowledged)) {
                    JsonNode relay = bobOnTwo.awaitType("relay_message");
                    bobOnTwo.ack(relay);
                    delivered.add(relay.path("id").asText());
                }
                assertEquals(acknowledged, delivered, "each acknowledged message delivered, nothing else");
            }
            alice.close();
        }
    }

    private static String send(int i) {
        return FrameCatalogue.encode(new SendMessage("cd" + i, "cd_bob", null, List.of(new DeviceEnvelope(1, "AAAA"))));
    }

    private static void collect(JsonNode frame, Set<String> acknowledged) {
        assertTrue(!frame.path("type").asText().equals("error"), () -> "a send was refused: " + frame);
        if (frame.path("type").asText().equals("stored")) {
            acknowledged.add(frame.path("re").asText());
        }
    }

    private static int readyzStatus(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
