package dev.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpTest {

    static TestServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.origin() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOk() throws Exception {
        var response = get("/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("ok", TestClient.JSON.readTree(response.body()).path("status").asText());
    }

    @Test
    void theWebClientIsServedWithAStrictContentSecurityPolicy() throws Exception {
        var response = get("/");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("<html"), response.body());
        String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        for (String directive : new String[] {"default-src 'none'", "script-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'", "require-trusted-types-for 'script'"}) {
            assertTrue(csp.contains(directive), directive + " missing from " + csp);
        }
        assertTrue(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
    }

    @Test
    void metricsAreInPrometheusFormatAndCountMessages() throws Exception {
        try (var alice = TestClient.registered(server, "http_alice")) {
            alice.sendMessage("http_alice", "note-to-self", "AAAA");
        }
        var response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertTrue(response.body().contains("# TYPE parley_messages_stored_total counter"), response.body());
        assertTrue(response.body().lines().anyMatch(l -> l.startsWith("parley_messages_stored_total ") && !l.endsWith(" 0.0")));
        assertTrue(!response.body().contains("AAAA") && !response.body().contains("note-to-self"),
                "metrics carry counts, not message content or ids");
    }
}
