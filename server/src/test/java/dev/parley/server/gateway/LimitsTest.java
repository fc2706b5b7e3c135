package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.ServerConfig;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import dev.parley.wire.frames.SessionFrames.GetServerLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Per-address limits and the idle timeout, each on a server configured tightly for it. */
class LimitsTest {

    @Test
    void serverLimitsTellAClientTheOperatorsSettingsBeforeLogin() {
        var limits = TestServer.testLimits().withMessageRate(7, 21).withQueue(10, Duration.ofHours(2));
        try (var server = TestServer.start(limits); var client = TestClient.connect(server)) {
            var answer = client.request(new GetServerLimits("sl1"));
            assertEquals("server_limits", answer.path("type").asText(), answer::toString);
            assertEquals("sl1", answer.path("re").asText());
            assertEquals(limits.maxEnvelopeChars(), answer.path("maxEnvelopeChars").asInt());
            assertEquals(ClientConnection.MAX_UNCOMMITTED_SENDS, answer.path("sendWindow").asInt());
            assertEquals(7, answer.path("framesPerSecond").asInt());
            assertEquals(21, answer.path("frameBurst").asInt());
            assertEquals(7200, answer.path("queueTtlSeconds").asLong());
        }
    }

    @Test
    void registrationsPerAddressAreLimited() {
        try (var server = TestServer.start(TestServer.testLimits().withRegistrationsPerIpPerHour(2))) {
            TestClient.registered(server, "lim_one").close();
            TestClient.registered(server, "lim_two").close();
            try (var third = TestClient.connect(server)) {
                assertEquals("rate_limited", third.register("lim_three").path("code").asText());
            }
        }
    }

    @Test
    void connectionsPerAddressAreLimitedAndFreedOnClose() {
        try (var server = TestServer.start(TestServer.testLimits().withConnectionsPerIp(3))) {
            List<TestClient> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(TestClient.connect(server));
            }
            var refused = assertThrows(CompletionException.class, () -> TestClient.connect(server));
            assertTrue(String.valueOf(refused.getCause()).contains("WebSocketHandshake"), refused::toString);
            open.removeFirst().close();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            TestClient again = null;
            while (again == null && System.nanoTime() < deadline) {
                try {
                    again = TestClient.connect(server);
                } catch (CompletionException stillCounted) {
                    Thread.onSpinWait();
                }
            }
            assertTrue(again != null, "a closed connection frees its slot");
            again.close();
            open.forEach(TestClient::close);
        }
    }

    @Test
    void anIdleConnectionIsClosed() {
        ServerConfig.Limits limits = TestServer.testLimits();
        limits = new ServerConfig.Limits(limits.maxFrameBytes(), limits.maxEnvelopeChars(), limits.messagesPerSecond(),
                limits.messageBurst(), limits.registrationsPerIpPerHour(), limits.connectionsPerIp(), Duration.ofSeconds(1),
                limits.queueCap(), limits.queueTtl(), limits.bundlesPerMinute(), limits.authClockSkew(), limits.deliveryWindow());
        try (var server = TestServer.start(limits); var client = TestClient.connect(server)) {
            assertTrue(client.isClosed(Duration.ofSeconds(5)), "closed after the idle timeout");
        }
    }
}
