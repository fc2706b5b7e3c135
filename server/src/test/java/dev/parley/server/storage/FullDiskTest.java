package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.StorageLimits;
import dev.parley.server.testing.SmallDisk;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A real server whose database lives on an 8 MiB tmpfs: the disk fills up under it. Sends are
 * refused with {@code storage_full} before any ack, {@code /healthz} says not ready, the
 * database writer survives, and once space returns the server resumes by itself; nothing that
 * was acked is lost.
 */
class FullDiskTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aFullDiskRefusesSendsAndTheServerResumesWhenSpaceReturns() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(8)) {
            // No watermark: the writes themselves must hit the full disk.
            StorageLimits storage = TestServer.testStorage().withDiskWatermarkBytes(0);
            try (var server = TestServer.start(TestServer.testLimits(), storage, disk.path().resolve("parley.db"))) {
                TestIdentity bob = TestClient.registeredOffline(server, "fd_bob");
                try (var alice = TestClient.registered(server, "fd_alice")) {
                    List<String> acked = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        assertStored(alice.sendMessage("fd_bob", "before" + i, envelope(i)));
                        acked.add("before" + i);
                    }
                    assertEquals(200, health(server).statusCode());

                    disk.fill();
                    JsonNode first = alice.sendMessage("fd_bob", "full0", envelope(100));
                    assertEquals("storage_full", first.path("code").asText(), first::toString);
                    HttpResponse<String> notReady = health(server);
                    assertEquals(503, notReady.statusCode(), notReady::body);
                    assertEquals("not_ready", TestClient.JSON.readTree(notReady.body()).path("status").asText());
                    for (int i = 1; i < 5; i++) {
                        JsonNode refused = alice.sendMessage("fd_bob", "full" + i, envelope(100 + i));
                        assertEquals("storage_full", refused.path("code").asText(), refused::toString);
                    }
                    assertTrue(refusals(server) >= 1, "refusals are counted");

                    disk.removeFiller();
                    Eventually.await(() -> health(server).statusCode() == 200, "healthz ok again once space returns");
                    for (int i = 0; i < 3; i++) {
                        assertStored(alice.sendMessage("fd_bob", "after" + i, envelope(200 + i)));
                        acked.add("after" + i);
                    }

                    try (var receiver = TestClient.loggedIn(server, "fd_bob", bob)) {
                        assertEquals(Set.copyOf(acked), receivedIds(receiver, acked.size()),
                                "every acked message is delivered, no refused one");
                    }
                }
            }
        }
    }

    @Test
    void belowTheWatermarkSendsAreRefusedButAcksStillErase() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(8)) {
            long watermark = 3 * StorageLimits.MIB;
            StorageLimits storage = TestServer.testStorage().withDiskWatermarkBytes(watermark);
            try (var server = TestServer.start(TestServer.testLimits(), storage, disk.path().resolve("parley.db"))) {
                TestIdentity bob = TestClient.registeredOffline(server, "wm_bob");
                try (var alice = TestClient.registered(server, "wm_alice")) {
                    assertStored(alice.sendMessage("wm_bob", "kept", envelope(1)));

                    disk.fillUntil(watermark - StorageLimits.MIB);
                    Eventually.await(() -> health(server).statusCode() == 503, "healthz not ready under the watermark");
                    JsonNode refused = alice.sendMessage("wm_bob", "low", envelope(2));
                    assertEquals("storage_full", refused.path("code").asText(), refused::toString);

                    // The recipient can still read and acknowledge: erasures free space.
                    try (var receiver = TestClient.loggedIn(server, "wm_bob", bob)) {
                        JsonNode relay = receiver.awaitType("relay_message");
                        assertEquals("kept", relay.path("id").asText());
                        receiver.ack(relay);
                    }
                    Eventually.await(() -> server.server().metrics().get("parley_messages_acknowledged").counter().count() == 1,
                            "the erasure committed");
                    try (var again = TestClient.loggedIn(server, "wm_bob", bob)) {
                        assertTrue(again.drain(Duration.ofSeconds(1)).stream()
                                .noneMatch(f -> f.path("type").asText().equals("relay_message")),
                                "the acknowledged message was erased below the watermark");
                    }

                    disk.removeFiller();
                    Eventually.await(() -> health(server).statusCode() == 200, "healthz ok above the watermark");
                    assertStored(alice.sendMessage("wm_bob", "later", envelope(3)));
                }
            }
        }
    }

    private static void assertStored(JsonNode reply) {
        assertEquals("stored", reply.path("type").asText(), reply::toString);
    }

    private static String envelope(int seed) {
        byte[] bytes = new byte[2048];
        new java.util.Random(seed).nextBytes(bytes);
        return TestClient.b64(bytes);
    }

    private static Set<String> receivedIds(TestClient receiver, int expected) {
        Set<String> ids = new LinkedHashSet<>();
        while (ids.size() < expected) {
            JsonNode relay = receiver.awaitType("relay_message");
            ids.add(relay.path("id").asText());
            receiver.ack(relay);
        }
        receiver.drain(Duration.ofMillis(500)).stream()
                .filter(f -> f.path("type").asText().equals("relay_message"))
                .forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    private static double refusals(TestServer server) {
        return server.server().metrics().get("parley_storage_full_refusals").counter().count();
    }

    static HttpResponse<String> health(TestServer server) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(server.origin() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
