package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ChildServer;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestIdentity;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.SessionFrames.Ping;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node that drains (docs/OPERATIONS.md, "Draining"): {@code /readyz} fails, upgrades are
 * refused with 503, every socket is closed with 1012, and every message acknowledged before or
 * during the drain is delivered once the node is back.
 */
class DrainTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDrainingNodeFailsReadinessClosesSocketsWith1012AndLosesNothingAcknowledged() throws Exception {
        var server = drainingServer(Duration.ofSeconds(1), Duration.ofSeconds(120));
        TestIdentity bob = TestClient.registeredOffline(server, "drain_bob");
        var alice = TestClient.registered(server, "drain_alice");
        JsonNode ready = readyz(server.port(), 200);
        assertEquals("no", ready.path("checks").path("draining").path("state").asText(), ready::toString);
        assertEquals("ok", ready.path("checks").path("database").path("state").asText(), ready::toString);

        // A client that does not read: its close frame cannot be written, so the drain waits for
        // it and the phase in which upgrades are refused can be watched.
        var slow = slowReader(server);
        int total = 400;
        for (int i = 0; i < total; i++) {
            alice.sendTextAsync(FrameCatalogue.encode(new SendMessage("d" + i, "drain_bob", null,
                    List.of(new DeviceEnvelope(1, "AAAA")))));
        }
        Set<String> acknowledged = new HashSet<>();
        while (acknowledged.size() < 50) {
            JsonNode frame = alice.next();
            if (frame.path("type").asText().equals("stored")) {
                acknowledged.add(frame.path("re").asText());
            }
        }

        Thread drain = Thread.ofPlatform().name("test-drain").start(server.server()::drainAndClose);
        Eventually.await(() -> readyzStatus(server.port()) == 503, "/readyz answers 503 once the drain began");
        JsonNode draining = readyz(server.port(), 503);
        assertEquals("not_ready", draining.path("status").asText(), draining::toString);
        assertEquals("draining", draining.path("checks").path("draining").path("state").asText(), draining::toString);

        assertEquals(1012, alice.closeCode(Eventually.TIMEOUT), "alice's socket closed with 1012 (service restart)");
        for (JsonNode frame : alice.drain(Duration.ofMillis(200))) {
            if (frame.path("type").asText().equals("stored")) {
                acknowledged.add(frame.path("re").asText());
            }
        }
        IOException refused = assertThrows(IOException.class, () -> RawWebSocket.connect(server));
        assertTrue(refused.getMessage().contains(" 503"), refused.getMessage());
        assertEquals(503, readyzStatus(server.port()), "still not ready while sockets are leaving");

        slow.close(); // the last socket goes: the drain ends and the server closes
        drain.join(Eventually.TIMEOUT.toMillis());
        assertTrue(!drain.isAlive(), "the drain ended once the last socket was gone");

        var restarted = server.restart();
        try (var bobClient = TestClient.connect(restarted)) {
            bobClient.identity(bob);
            assertEquals("logged_in", bobClient.login("drain_bob").path("type").asText());
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
            assertTrue(lost.isEmpty(), "acknowledged but lost by the drain: " + lost.size() + " of " + acknowledged.size());
        } finally {
            restarted.close();
        }
    }

    @Test
    void theDrainEndsAtItsTimeoutWhenASocketDoesNotLeave() throws Exception {
        var server = drainingServer(Duration.ZERO, Duration.ofSeconds(1));
        int port = server.port();
        try (var slow = slowReader(server)) {
            Thread drain = Thread.ofPlatform().name("test-drain").start(server.server()::drainAndClose);
            drain.join(Eventually.TIMEOUT.toMillis());
            assertTrue(!drain.isAlive(), "the drain ended at its timeout although a socket was still open");
            assertEquals(-1, readyzStatus(port), "the server is closed");
        }
    }

    /** The real main class: SIGTERM drains (1012 to the client) and the process exits with status 0. */
    @Test
    void aStopSignalDrainsAndExitsWithStatusZero() throws Exception {
        Path database = TestServer.newDatabaseFile();
        int port = ChildServer.freePort();
        Process process = ChildServer.start(port, database);
        try {
            var carol = TestClient.connect("ws://127.0.0.1:" + port + "/ws", "http://127.0.0.1:" + port);
            assertEquals("registered", carol.register("drain_carol").path("type").asText());
            process.destroy(); // SIGTERM
            assertEquals(1012, carol.closeCode(Eventually.TIMEOUT), "the client was told to reconnect (1012)");
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server exited after draining");
            assertEquals(0, process.exitValue(), "exit status after a drain");
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * A server with this drain notice and timeout, whose slow-reader grace (2 minutes) is longer
     * than a test: a socket that does not read stays until the drain's timeout or the test closes it.
     */
    private static TestServer drainingServer(Duration notice, Duration timeout) {
        return TestServer.start(config -> config
                .withConnectionLimits(config.connections().withOutgoing(64, 16 * 1024, Duration.ofMinutes(2)))
                .withCluster(config.cluster().withDrainNotice(notice).withDrainTimeout(timeout)));
    }

    /**
     * A socket that sends pings and reads none of the pongs, until the server holds answers it
     * cannot write: anything sent to it after that (a close frame) waits behind them. The pings
     * carry the longest id, so that each pong is as large as a pong can be: the server's socket
     * buffer (autotuned up to {@code net.ipv4.tcp_wmem}'s maximum, 4 MiB) fills three times
     * sooner than with one-character ids, which on a busy machine took more than 30 s.
     */
    private static RawWebSocket slowReader(TestServer server) throws IOException {
        var socket = RawWebSocket.connect(server);
        var batch = new java.io.ByteArrayOutputStream();
        String longestId = "x".repeat(dev.parley.wire.WireLimits.MAX_ID_CHARS);
        for (int i = 0; i < 100; i++) {
            batch.writeBytes(RawWebSocket.encode(FrameCatalogue.encode(new Ping(longestId))));
        }
        byte[] pings = batch.toByteArray();
        Thread.ofPlatform().daemon(true).name("test-slow-reader").start(() -> {
            try {
                while (true) {
                    socket.write(pings); // blocks once the server no longer reads; fails once closed
                }
            } catch (IOException closed) {
                // the test closed it, or the server dropped it
            }
        });
        Gauge queued = server.server().metrics().find("parley_outgoing_queued_chars").gauge();
        Eventually.await(() -> queued.value() >= 1_000, "answers pile up for the socket that does not read");
        return socket;
    }

    static JsonNode readyz(int port, int expectedStatus) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        return TestClient.JSON.readTree(response.body());
    }

    static int readyzStatus(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
