package dev.parley.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the Prometheus endpoint {@code /metrics} listens. It is never on the public port:
 * message counters that tick per message would let anyone watch live traffic. By default it
 * listens on loopback only; bound to any other address it requires a bearer token, so an
 * operator cannot expose it to the network by accident.
 *
 * @param host  address to bind; loopback unless a token is set
 * @param port  port to bind; 0 picks a free one, a negative port turns the endpoint off
 * @param token bearer token that scrapes must present, or null for none (loopback only)
 */
public record MetricsEndpoint(String host, int port, String token) {

    /** The Prometheus exporter port registered for OpenTelemetry's exporter, free on most hosts. */
    public static final int DEFAULT_PORT = 9464;

    public MetricsEndpoint {
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (port >= 0 && token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("metrics on the non-loopback address " + host
                    + " need a token (--metrics-token / PARLEY_METRICS_TOKEN)");
        }
    }

    public static MetricsEndpoint loopback(int port) {
        return new MetricsEndpoint("127.0.0.1", port, null);
    }

    public boolean enabled() {
        return port >= 0;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
