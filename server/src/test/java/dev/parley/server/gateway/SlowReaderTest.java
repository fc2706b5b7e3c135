package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import dev.parley.wire.frames.SessionFrames.Ping;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.frames.DirectoryFrames.GetPublicKeys;

/**
 * A client that never reads its answers: the server stops reading from it once its outgoing
 * queue is over the bound, disconnects it after the grace period, and the queued answers stay
 * bounded meanwhile (asserted on the server's own gauge, sampled all along).
 */
class SlowReaderTest {

    private static final int FRAMES = 64;
    private static final long CHARS = 16 * 1024;
    private static final long HARD_CAP = CHARS * ConnectionLimits.HARD_CAP_FACTOR;

    private static TestServer server() {
        return TestServer.start(TestServer.testLimits(),
                ConnectionLimits.defaults().withOutgoing(FRAMES, CHARS, Duration.ofSeconds(1)));
    }

    /** Writes {@code frame} until the server drops the socket; completes with the number of frames written. */
    private static CompletableFuture<Long> flood(RawWebSocket socket, String frame) {
        byte[] batch;
        var bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            bytes.writeBytes(RawWebSocket.encode(frame));
        }
        batch = bytes.toByteArray();
        return CompletableFuture.supplyAsync(() -> {
            long written = 0;
            try {
                while (written < 50_000_000L) {
                    socket.write(batch);
                    written += 100;
                }
            } catch (IOException dropped) {
                return written;
            }
            return -1L;
        }, Thread.ofPlatform().daemon(true)::start);
    }

    /** Waits for the flood to end (the server dropped the socket), sampling the queued-answers gauge meanwhile. */
    private static long maxQueuedWhile(TestServer server, CompletableFuture<Long> flood) throws Exception {
        Gauge queued = server.server().metrics().find("parley_outgoing_queued_chars").gauge();
        long max = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!flood.isDone() && System.nanoTime() < deadline) {
            max = Math.max(max, queued == null ? 0 : (long) queued.value());
            Thread.sleep(5);
        }
        assertTrue(flood.isDone(), "the server never dropped the socket that does not read");
        assertTrue(queued != null, "the server reports its queued answers");
        assertTrue(flood.get() > 0, "the socket was dropped while the client was writing");
        return max;
    }

    private static double slowReadersClosed(TestServer server) {
        Counter counter = server.server().metrics().find("parley_connections_closed").tag("reason", "slow_reader").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aClientPingingWithoutReadingIsDisconnectedAndItsQueueStaysBounded() throws Exception {
        try (var server = server(); var socket = RawWebSocket.connect(server)) {
            long max = maxQueuedWhile(server, flood(socket, FrameCatalogue.encode(new Ping("x"))));
            assertTrue(max <= HARD_CAP, "queued answers peaked at " + max + " chars, over the cap " + HARD_CAP);
            assertEquals(1.0, slowReadersClosed(server));
            waitForGauge(server, 0);
            try (var other = TestClient.connect(server)) {
                assertEquals("pong", other.request(new Ping(TestClient.nextId())).path("type").asText());
            }
        }
    }

    @Test
    void aLoggedInClientAskingForTheDirectoryWithoutReadingIsDisconnected() throws Exception {
        try (var server = server()) {
            for (int i = 0; i < 20; i++) {
                TestClient.registered(server, "dir_user_" + i).close();
            }
            var identity = new TestIdentity();
            try (var socket = RawWebSocket.connect(server)) {
                assertEquals("registered", socket.register(server, "dir_hog", identity).path("type").asText());
                try (var friend = TestClient.registered(server, "dir_friend")) {
                    assertEquals("stored", friend.sendMessage("dir_hog", "kept", "AAAA").path("type").asText());
                }
                long max = maxQueuedWhile(server, flood(socket, FrameCatalogue.encode(new GetPublicKeys("d"))));
                assertTrue(max <= HARD_CAP, "queued answers peaked at " + max + " chars, over the cap " + HARD_CAP);
                assertEquals(1.0, slowReadersClosed(server));
            }
            try (var again = TestClient.connect(server)) {
                again.identity(identity);
                assertEquals("logged_in", again.login("dir_hog").path("type").asText());
                assertEquals("kept", again.awaitType("relay_message").path("id").asText(),
                        "the dropped socket's unacknowledged message is still queued");
            }
        }
    }

    @Test
    void aReaderDrainingABacklogOfTheLargestMessagesIsNeverClosed() {
        try (var server = server()) {
            var bob = TestClient.registered(server, "big_bob");
            var identity = bob.identity();
            bob.close();
            String envelope = "A".repeat(TestServer.testLimits().maxEnvelopeChars());
            int messages = 300; // more than the delivery window, each ~48 KiB: far over the 128 KiB hard cap together
            try (var alice = TestClient.registered(server, "big_alice")) {
                for (int i = 0; i < messages; i++) {
                    assertEquals("stored", alice.sendMessage("big_bob", "b" + i, envelope).path("type").asText());
                }
            }
            try (var reader = TestClient.connect(server)) {
                reader.identity(identity);
                assertEquals("logged_in", reader.login("big_bob").path("type").asText());
                java.util.Set<String> received = new java.util.HashSet<>();
                while (received.size() < messages) {
                    var relay = reader.awaitType("relay_message");
                    reader.ack(relay);
                    received.add(relay.get("id").asText());
                }
                assertEquals(0.0, slowReadersClosed(server), "a reading client is never dropped");
            }
        }
    }

    private static void waitForGauge(TestServer server, long value) throws InterruptedException {
        Gauge queued = server.server().metrics().get("parley_outgoing_queued_chars").gauge();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((long) queued.value() != value && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(value, (long) queued.value(), "the dropped socket's queued answers were freed");
    }
}
