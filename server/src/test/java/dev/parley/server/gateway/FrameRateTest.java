package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.parley.wire.frames.SessionFrames.Ping;

/**
 * The frame rate binds to the account after login and to the client address before it, so
 * reconnecting or opening more sockets gains nothing; every frame is counted before it is
 * parsed. Each server refills one token per second: the bounds below allow for that refill over
 * the test's own duration, however slow the machine.
 */
class FrameRateTest {

    private static final int BURST = 20;

    private static long pongs(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.path("type").asText().equals("pong")).count();
    }

    /** Sends and waits for the send; false once the socket is closed. */
    static boolean sent(TestClient client, String text) {
        try {
            client.sendText(text);
            return true;
        } catch (RuntimeException closed) {
            return false;
        }
    }

    /** Sends {@link #BURST} pings at once and returns the answer to each: a pong or a refusal. */
    private static List<JsonNode> pingBurst(TestClient client) {
        for (int i = 0; i < BURST; i++) {
            client.send(new Ping("p" + i));
        }
        List<JsonNode> answers = new ArrayList<>();
        while (answers.size() < BURST) {
            answers.add(client.await(f -> f.path("re").asText("").startsWith("p")));
        }
        return answers;
    }

    /** At most the burst plus one token per second of {@code since}, plus one for a refill in progress. */
    private static long allowed(long sinceNanos) {
        return BURST + (System.nanoTime() - sinceNanos) / 1_000_000_000L + 1;
    }

    @Test
    void reconnectingAsTheSameAccountGainsNothing() {
        try (var server = TestServer.start(TestServer.testLimits().withMessageRate(1, BURST))) {
            var first = TestClient.registered(server, "rate_reconnect");
            var identity = first.identity();
            first.close();
            long start = System.nanoTime();
            long answered = 0;
            for (int socket = 0; socket < 10; socket++) {
                try (var client = TestClient.connect(server)) {
                    client.identity(identity);
                    assertEquals("logged_in", client.login("rate_reconnect").path("type").asText());
                    answered += pongs(pingBurst(client));
                }
            }
            assertTrue(answered <= allowed(start), "10 sockets of one account got " + answered + " pongs");
        }
    }

    @Test
    void socketsOfOneAddressShareTheirRateBeforeLogin() {
        try (var server = TestServer.start(TestServer.testLimits().withMessageRate(1, BURST))) {
            long start = System.nanoTime();
            List<TestClient> clients = new ArrayList<>();
            for (int socket = 0; socket < 5; socket++) {
                clients.add(TestClient.connect(server));
            }
            long answered = 0;
            for (TestClient client : clients) {
                List<JsonNode> answers = pingBurst(client);
                answered += pongs(answers);
                assertTrue(answers.stream().allMatch(f -> f.path("type").asText().equals("pong")
                        || f.path("code").asText().equals("rate_limited")), answers::toString);
            }
            clients.forEach(TestClient::close);
            assertTrue(answered <= allowed(start), "5 sockets of one address got " + answered + " pongs");
        }
    }

    @Test
    void invalidFramesAreCountedBeforeTheyAreParsed() {
        var limits = TestServer.testLimits().withMessageRate(1, BURST);
        try (var server = TestServer.start(limits, ConnectionLimits.defaults().withBadFramesPerMinute(10_000));
             var client = TestClient.connect(server)) {
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                client.sendText("{\"id\":\"b" + i + "\",");
            }
            for (int i = 0; i < 5; i++) {
                client.send(new Ping("p" + i));
            }
            List<JsonNode> answers = new ArrayList<>();
            while (answers.size() < 105) {
                answers.add(client.next());
            }
            long parsed = answers.stream().filter(f -> f.path("code").asText().equals("bad_json")).count();
            assertTrue(parsed <= allowed(start), parsed + " of 100 invalid frames were parsed and answered bad_json");
            assertTrue(answers.stream().anyMatch(f -> f.path("code").asText().equals("rate_limited")
                    && f.path("re").asText().startsWith("p")), "refused unparsed frames still name their id: " + answers);
        }
    }

    @Test
    void aSocketThatKeepsSendingBadFramesIsClosed() {
        try (var server = TestServer.start(); var client = TestClient.connect(server); var bystander = TestClient.connect(server)) {
            for (int i = 0; i < 1_000 && sent(client, "{not json " + i); i++) {
                // until the server closes the socket
            }
            Integer code = client.closeCode(Duration.ofSeconds(30));
            // 1008 as sent; -1 if the kernel reset the socket (closed with our unread frames in
            // it) before the client read the close frame. Which one it was is counted on the server.
            assertTrue(code != null && (code == 1008 || code == -1), "closed with policy violation: " + code);
            var closed = server.server().metrics().find("parley_connections_closed").tag("reason", "bad_frames").counter();
            assertEquals(1.0, closed == null ? 0 : closed.count(), "closed by the server for bad frames");
            long answered = client.drain(Duration.ofMillis(200)).stream()
                    .filter(f -> f.path("code").asText().equals("bad_json")).count();
            assertTrue(answered <= 21, answered + " bad_json answers before the close");
            assertEquals("pong", bystander.request(new Ping(TestClient.nextId())).path("type").asText());
        }
    }
}
