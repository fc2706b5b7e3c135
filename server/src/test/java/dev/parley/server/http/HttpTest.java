package dev.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.config.MetricsEndpoint;
import dev.parley.server.testing.LiveServerTest;
import dev.parley.server.testing.TestClient;
import dev.parley.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HttpTest extends LiveServerTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> get(String path) throws Exception {
        return get(server.origin() + path, null);
    }

    static HttpResponse<String> get(String url, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOk() throws Exception {
        var response = get("/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("ok", TestClient.JSON.readTree(response.body()).path("status").asText());
    }

    @Test
    void readyzAnswersReadyWithEveryCheckAndNoSecret() throws Exception {
        var response = get("/readyz");
        assertEquals(200, response.statusCode(), response.body());
        var body = TestClient.JSON.readTree(response.body());
        assertEquals("ready", body.path("status").asText());
        assertEquals(List.of("database", "draining", "storage"), List.copyOf(iterable(body.path("checks").fieldNames())));
        for (String name : List.of("database", "draining", "storage")) {
            assertTrue(body.path("checks").path(name).path("ready").asBoolean(), response.body());
        }
        assertTrue(!response.body().contains("jdbc") && !response.body().contains(".db"), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
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

    /** Requests Jetty refuses before any route runs: each answer still carries every security header. */
    @Test
    void errorAnswersCarryTheSecurityHeadersAndNoHtml() throws Exception {
        for (String path : List.of("/%2e%2e/x", "/a%00b", "/%", "/no-such-page")) {
            String answer = rawGet(server.port(), path);
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 4"), path + ": " + head);
            for (var header : SecurityHeaders.HEADERS.entrySet()) {
                String line = header.getKey().toLowerCase(Locale.ROOT) + ": " + header.getValue().toLowerCase(Locale.ROOT);
                assertTrue(head.contains(line), path + ": missing " + header.getKey() + " in\n" + head);
            }
            assertTrue(head.contains("content-type: text/plain"), path + ": " + head);
        }
    }

    @Test
    void metricsAreNotServedOnThePublicPort() throws Exception {
        var response = get("/metrics");
        assertEquals(404, response.statusCode());
        assertTrue(!response.body().contains("parley_"), response.body());
    }

    @Test
    void metricsAreInPrometheusFormatOnTheirOwnLoopbackPortAndCountMessages() throws Exception {
        try (var alice = TestClient.registered(server, "http_alice");
                var bob = TestClient.registered(server, "http_bob")) {
            assertEquals("stored", alice.sendMessage("http_bob", "note-to-self", "AAAA").path("type").asText());
        }
        var response = get("http://127.0.0.1:" + server.server().metricsPort() + "/metrics", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertTrue(response.body().contains("# TYPE parley_messages_stored_total counter"), response.body());
        assertTrue(response.body().lines().anyMatch(l -> l.startsWith("parley_messages_stored_total ") && !l.endsWith(" 0.0")));
        assertTrue(!response.body().contains("AAAA") && !response.body().contains("note-to-self"),
                "metrics carry counts, not message content or ids");
    }

    @Test
    void aMetricsTokenIsRequiredWhenConfigured() throws Exception {
        var config = new dev.parley.server.config.ServerConfig("127.0.0.1", 0,
                "jdbc:sqlite:" + TestServer.newDatabaseFile(), List.of(), TestServer.testLimits())
                .withStorage(TestServer.testStorage()).withMetrics(new MetricsEndpoint("127.0.0.1", 0, "scrape-token"));
        var tokenServer = new dev.parley.server.ParleyServer(config, java.time.Clock.systemUTC());
        tokenServer.start();
        try {
            String url = "http://127.0.0.1:" + tokenServer.metricsPort() + "/metrics";
            assertEquals(401, get(url, null).statusCode());
            assertEquals(401, get(url, "Bearer wrong-token!").statusCode());
            var ok = get(url, "Bearer scrape-token");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("parley_connections"), ok.body());
        } finally {
            tokenServer.close();
        }
    }

    /** A GET with the path sent exactly as given (HTTP clients would normalise or refuse it). */
    private static String rawGet(int port, String path) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            var out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
