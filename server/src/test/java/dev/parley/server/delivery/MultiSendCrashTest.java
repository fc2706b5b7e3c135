package dev.parley.server.delivery;

import static dev.parley.server.delivery.MultiSendTest.CONTENT;
import static dev.parley.server.delivery.MultiSendTest.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ChildServer;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code stored} for a {@code send_multi} means every copy of every recipient not refused is
 * on disk, body included: a server process killed with SIGKILL while many sends are in flight
 * delivers, after a restart, every send it answered {@code stored} to every recipient, with its
 * content.
 */
class MultiSendCrashTest {

    @Test
    void everyStoredSendReachesEveryRecipientAfterAKill() throws Exception {
        Path database = TestServer.newDatabaseFile();
        int port = ChildServer.freePort();
        String url = "ws://127.0.0.1:" + port + "/ws";
        String origin = "http://127.0.0.1:" + port;
        Process process = ChildServer.start(port, database);
        Set<String> stored = new HashSet<>();
        TestIdentity bob;
        TestIdentity carol;
        try {
            bob = registered(url, origin, "mk_bob");
            carol = registered(url, origin, "mk_carol");
            var alice = TestClient.connect(url, origin);
            assertEquals("registered", alice.register("mk_alice").path("type").asText());
            int total = 1_500;
            for (int i = 0; i < total; i++) {
                alice.sendTextAsync(FrameCatalogue.encode(new SendMulti("k" + i, CONTENT, List.of(to("mk_bob", 1), to("mk_carol", 1)))));
            }
            while (stored.size() < 200) {
                collect(alice.next(), stored);
            }
            process.destroyForcibly().waitFor();
            alice.drain(Duration.ofMillis(200)).forEach(frame -> collect(frame, stored));
        } finally {
            process.destroyForcibly().waitFor();
        }

        Process restarted = ChildServer.start(port, database);
        try {
            Map.of("mk_bob", bob, "mk_carol", carol).forEach((name, identity) -> {
                Set<String> lost = new HashSet<>(stored);
                lost.removeAll(delivered(url, origin, name, identity));
                assertTrue(lost.isEmpty(), name + ": stored but lost after kill -9: " + lost.size() + " of " + stored.size());
            });
        } finally {
            restarted.destroyForcibly().waitFor();
        }
    }

    private static void collect(JsonNode frame, Set<String> stored) {
        if (frame.path("type").asText().equals("stored")) {
            assertTrue(frame.path("refused").isMissingNode(), frame::toString);
            stored.add(frame.path("re").asText());
        }
    }

    private static TestIdentity registered(String url, String origin, String name) {
        try (var client = TestClient.connect(url, origin)) {
            assertEquals("registered", client.register(name).path("type").asText());
            return client.identity();
        }
    }

    /** The ids {@code name}'s device 1 is relayed after logging in, each checked for the content. */
    private static Set<String> delivered(String url, String origin, String name, TestIdentity identity) {
        try (var client = TestClient.connect(url, origin)) {
            client.identity(identity);
            assertEquals("logged_in", client.login(name).path("type").asText());
            Set<String> ids = new HashSet<>();
            for (JsonNode frame : client.drainUntilQuiet(Duration.ofSeconds(2), f -> {
                if (f.path("type").asText().equals("relay_message")) {
                    client.ack(f);
                }
            })) {
                if (frame.path("type").asText().equals("relay_message")) {
                    assertEquals(CONTENT, frame.path("content").asText());
                    ids.add(frame.path("id").asText());
                }
            }
            return ids;
        }
    }
}
