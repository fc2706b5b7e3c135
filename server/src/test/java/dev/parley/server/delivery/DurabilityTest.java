package dev.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ChildServer;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;

/** A message acknowledged as stored survives a clean restart and a killed server process. */
class DurabilityTest {

    @Test
    void storedMessagesSurviveARestart() {
        var server = TestServer.start();
        TestIdentity bob;
        try (var bobClient = TestClient.registered(server, "rs_bob")) {
            bob = bobClient.identity();
        }
        try (var alice = TestClient.registered(server, "rs_alice")) {
            for (int i = 0; i < 10; i++) {
                assertEquals("stored", alice.sendMessage("rs_bob", "r" + i, "AAAA").path("type").asText());
            }
        }
        server = server.restart();
        try (var bobClient = TestClient.connect(server)) {
            bobClient.identity(bob);
            assertEquals("logged_in", bobClient.login("rs_bob").path("type").asText());
            for (int i = 0; i < 10; i++) {
                assertEquals("r" + i, bobClient.awaitType("relay_message").path("id").asText());
            }
        } finally {
            server.close();
        }
    }

    @Test
    void storedMessagesSurviveAKilledServerProcess() throws Exception {
        Path database = TestServer.newDatabaseFile();
        int port = ChildServer.freePort();
        Process process = ChildServer.start(port, database);
        String url = "ws://127.0.0.1:" + port + "/ws";
        String origin = "http://127.0.0.1:" + port;
        Set<String> acknowledged = new HashSet<>();
        TestIdentity bob;
        try {
            try (var bobClient = TestClient.connect(url, origin)) {
                assertEquals("registered", bobClient.register("kill_bob").path("type").asText());
                bob = bobClient.identity();
            }
            var alice = TestClient.connect(url, origin);
            assertEquals("registered", alice.register("kill_alice").path("type").asText());
            // Pipeline many sends, then kill -9 the server while acks are still arriving.
            int total = 2_000;
            for (int i = 0; i < total; i++) {
                alice.sendTextAsync(FrameCatalogue.encode(new SendMessage("k" + i, "kill_bob", null, List.of(new DeviceEnvelope(1, "AAAA")))));
            }
            while (acknowledged.size() < 300) {
                JsonNode frame = alice.next();
                if (frame.path("type").asText().equals("stored")) {
                    acknowledged.add(frame.path("re").asText());
                }
            }
            process.destroyForcibly().waitFor();
            for (JsonNode frame : alice.drain(Duration.ofMillis(200))) {
                if (frame.path("type").asText().equals("stored")) {
                    acknowledged.add(frame.path("re").asText());
                }
            }
        } finally {
            process.destroyForcibly().waitFor();
        }

        Process restarted = ChildServer.start(port, database);
        try (var bobClient = TestClient.connect(url, origin)) {
            bobClient.identity(bob);
            assertEquals("logged_in", bobClient.login("kill_bob").path("type").asText());
            Set<String> delivered = new HashSet<>();
            for (JsonNode frame : bobClient.drainUntilQuiet(Duration.ofSeconds(2), f -> {
                if (f.path("type").asText().equals("relay_message")) {
                    bobClient.ack(f);
                }
            })) {
                if (frame.path("type").asText().equals("relay_message")) {
                    delivered.add(frame.path("id").asText());
                }
            }
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(delivered);
            assertTrue(lost.isEmpty(), "acknowledged but lost after kill -9: " + lost.size() + " of " + acknowledged.size());
            assertTrue(acknowledged.size() >= 300);
        } finally {
            restarted.destroyForcibly().waitFor();
        }
    }
}
