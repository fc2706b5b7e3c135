package dev.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.ClusterSettings;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.config.MetricsEndpoint;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.RedisProcess;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In cluster mode {@code /readyz} also says whether Redis is connected, and follows it when it goes and comes back. */
class ReadinessInClusterTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void readinessFollowsTheConnectionToRedis() throws Exception {
        try (var redis = RedisProcess.start(); var database = PostgresDatabases.fresh();
             var server = TestServer.start(new ServerConfig("127.0.0.1", 0, database.url(), List.of(), TestServer.testLimits(),
                     ConnectionLimits.defaults(), TestServer.testStorage(), MetricsEndpoint.loopback(0))
                     .withCluster(ClusterSettings.defaults().withRedisUrl(redis.url()).withNodeId("ready-1")))) {
            Eventually.await(() -> status(server) == 200, "ready once connected to Redis");
            assertEquals("connected", redisState(server));

            redis.kill();
            Eventually.await(() -> status(server) == 503, "not ready while Redis is gone");
            assertEquals("disconnected", redisState(server));

            redis.restart();
            Eventually.await(() -> status(server) == 200, "ready again once Redis is back and this node registered again");
            assertEquals("connected", redisState(server));
        }
    }

    private static HttpResponse<String> readyz(TestServer server) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(server.origin() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int status(TestServer server) {
        return readyz(server).statusCode();
    }

    private static String redisState(TestServer server) throws Exception {
        JsonNode body = TestClient.JSON.readTree(readyz(server).body());
        return body.path("checks").path("redis").path("state").asText();
    }
}
