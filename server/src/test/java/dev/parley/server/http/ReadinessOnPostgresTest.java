package dev.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Eventually;
import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.PostgresProcess;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code /readyz} on PostgreSQL follows the database: 503 with the database check failing while
 * it is stopped (the load balancer sends no new clients), 200 again once it is back. The state
 * names neither the host nor the user.
 */
class ReadinessOnPostgresTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void readinessFailsWhileTheDatabaseIsDownAndReturnsWithIt() throws Exception {
        try (var postgres = PostgresProcess.start(); var database = PostgresDatabases.fresh(postgres.url());
             var server = TestServer.onDatabase(database.url())) {
            assertEquals(200, readyz(server).statusCode());

            postgres.stop();
            Eventually.await(() -> readyz(server).statusCode() == 503, "not ready while PostgreSQL is down");
            var down = readyz(server);
            JsonNode check = TestClient.JSON.readTree(down.body()).path("checks").path("database");
            assertTrue(Set.of("failed", "no_answer").contains(check.path("state").asText()), down.body());
            assertTrue(!down.body().contains("127.0.0.1") && !down.body().contains("postgres"), down.body());

            postgres.startAgain();
            Eventually.await(() -> readyz(server).statusCode() == 200, "ready again once PostgreSQL is back");
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
}
