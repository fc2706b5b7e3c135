package dev.parley.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.server.config.MetricsEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} (Prometheus text format) on its own address, apart from the
 * public port (see {@link MetricsEndpoint} for why). Uses the JDK's HTTP server, as
 * Micrometer's Prometheus guide does: one scrape every few seconds needs nothing more.
 */
public final class MetricsServer implements AutoCloseable {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Binds and starts the endpoint; fails if its address cannot be bound. */
    public static MetricsServer start(MetricsEndpoint endpoint, PrometheusMeterRegistry registry) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(endpoint.host(), endpoint.port()), 16);
            byte[] expected = endpoint.token() == null ? null
                    : ("Bearer " + endpoint.token()).getBytes(StandardCharsets.UTF_8);
            http.createContext("/metrics", exchange -> answer(exchange, expected, registry));
            http.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().name("parley-metrics").daemon(true).factory()));
            http.start();
            return new MetricsServer(http);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for metrics on " + endpoint.host() + ":" + endpoint.port(), e);
        }
    }

    private static void answer(HttpExchange exchange, byte[] expectedAuthorization, PrometheusMeterRegistry registry)
            throws IOException {
        try (exchange) {
            SecurityHeaders.HEADERS.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (expectedAuthorization != null && !authorized(exchange, expectedAuthorization)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Constant-time comparison of the Authorization header with the expected one. */
    private static boolean authorized(HttpExchange exchange, byte[] expected) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
