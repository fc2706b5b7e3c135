package dev.parley.server.config;

import java.time.Duration;
import java.util.List;

/**
 * Everything the server can be told at start. Built by {@link ServerCommand} from flags and
 * {@code PARLEY_*} environment variables, or directly by tests.
 *
 * @param host            address to bind
 * @param port            port to bind; 0 picks a free one (tests)
 * @param databaseUrl     JDBC URL; {@code jdbc:sqlite:...} is the embedded default
 * @param allowedOrigins  origins accepted on the WebSocket upgrade and inside auth signatures;
 *                        empty means "the server's own origin" ({@link #effectiveOrigins()})
 * @param limits          abuse and resource limits
 * @param connections     the gateway's proxy, bad-frame and outgoing-queue limits ({@link ConnectionLimits})
 * @param storage         limits on stored prekeys, queues and disk ({@link StorageLimits})
 * @param metrics         where Prometheus scrapes {@code /metrics}: never the public port
 * @param blobs           where attachment blobs are kept and their limits ({@link BlobLimits})
 * @param directory       open or private directory, and the lookup rate ({@link DirectorySettings})
 * @param cluster         alone or one node of several, and how nodes hand over ({@link ClusterSettings})
 * @param webBundle       whether the page loads the web client's bundle, when the build made one
 *                        (else its modules one by one; {@code http.WebAssets})
 */
public record ServerConfig(String host, int port, String databaseUrl, List<String> allowedOrigins, Limits limits,
                           ConnectionLimits connections, StorageLimits storage, MetricsEndpoint metrics, BlobLimits blobs,
                           DirectorySettings directory, ClusterSettings cluster, boolean webBundle) {

    public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:data/parley.db";

    public ServerConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        if (blobs == null || directory == null || cluster == null) {
            throw new IllegalArgumentException("blob limits, directory and cluster settings are required");
        }
    }

    /** Serving the web client's bundle when the build made one ({@code webBundle}, the default). */
    public ServerConfig(String host, int port, String databaseUrl, List<String> allowedOrigins, Limits limits,
                        ConnectionLimits connections, StorageLimits storage, MetricsEndpoint metrics, BlobLimits blobs,
                        DirectorySettings directory, ClusterSettings cluster) {
        this(host, port, databaseUrl, allowedOrigins, limits, connections, storage, metrics, blobs, directory, cluster, true);
    }

    /** With the default {@link BlobLimits} and the default (open) {@link DirectorySettings}. */
    public ServerConfig(String host, int port, String databaseUrl, List<String> allowedOrigins, Limits limits,
                        ConnectionLimits connections, StorageLimits storage, MetricsEndpoint metrics) {
        this(host, port, databaseUrl, allowedOrigins, limits, connections, storage, metrics, BlobLimits.defaults(),
                DirectorySettings.defaults(), ClusterSettings.defaults());
    }

    /**
     * With the default {@link ConnectionLimits} and {@link StorageLimits}, and metrics on a free
     * loopback port (tests, embedded use).
     */
    public ServerConfig(String host, int port, String databaseUrl, List<String> allowedOrigins, Limits limits) {
        this(host, port, databaseUrl, allowedOrigins, limits, ConnectionLimits.defaults(), StorageLimits.defaults(),
                MetricsEndpoint.loopback(0));
    }

    /** Defaults used by {@code java -jar parley-server.jar} with no arguments. */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 5000, DEFAULT_DATABASE_URL, List.of(), Limits.defaults(),
                ConnectionLimits.defaults(), StorageLimits.defaults(), MetricsEndpoint.loopback(MetricsEndpoint.DEFAULT_PORT));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, databaseUrl, allowedOrigins, limits, connections, storage, metrics, blobs, directory, cluster, webBundle);
    }

    public ServerConfig withDatabaseUrl(String url) {
        return new ServerConfig(host, port, url, allowedOrigins, limits, connections, storage, metrics, blobs, directory, cluster, webBundle);
    }

    public ServerConfig withAllowedOrigins(List<String> origins) {
        return new ServerConfig(host, port, databaseUrl, origins, limits, connections, storage, metrics, blobs, directory, cluster, webBundle);
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(host, port, databaseUrl, allowedOrigins, newLimits, connections, storage, metrics, blobs, directory, cluster, webBundle);
    }

    public ServerConfig withConnectionLimits(ConnectionLimits newConnections) {
        return new ServerConfig(host, port, databaseUrl, allowedOrigins, limits, newConnections, storage, metrics, blobs, directory, cluster, webBundle);
    }

    public ServerConfig withStorage(StorageLimits newStorage) {
        return new ServerConfig(host, port, databaseUrl, allowedOrigins, limits, connections, newStorage, metrics, blobs, directory, cluster, webBundle);
    }

    public ServerConfig withMetrics(MetricsEndpoint endpoint) {
        return new ServerConfig(host, port, databaseUrl, allowedOrigins, limits, connections, storage, endpoint, blobs, directory, cluster, webBundle);
    }

    public ServerConfig withBlobs(BlobLimits newBlobs) {
        return new ServerConfig(host, port, databaseUrl, allowedOrigins, limits, connections, storage, metrics, newBlobs, directory, cluster, webBundle);
    }

    public ServerConfig withCluster(ClusterSettings newCluster) {
        return new ServerConfig(host, port, databaseUrl, allowedOrigins, limits, connections, storage, metrics, blobs, directory,
                newCluster, webBundle);
    }

    /** {@code false}: the page loads the web client's modules one by one even when the build bundled them ({@code --no-web-bundle}). */
    public ServerConfig withWebBundle(boolean bundle) {
        return new ServerConfig(host, port, databaseUrl, allowedOrigins, limits, connections, storage, metrics, blobs, directory, cluster, bundle);
    }

    public ServerConfig withDirectory(DirectorySettings newDirectory) {
        return new ServerConfig(host, port, databaseUrl, allowedOrigins, limits, connections, storage, metrics, blobs, newDirectory, cluster, webBundle);
    }

    /**
     * The origins that count as "this server": the configured list, or else the origins a
     * browser on this machine uses for the bound address and port ({@code actualPort} matters
     * when {@link #port()} was 0).
     */
    public List<String> effectiveOrigins(int actualPort) {
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins;
        }
        if (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("0.0.0.0")) {
            return List.of("http://127.0.0.1:" + actualPort, "http://localhost:" + actualPort);
        }
        return List.of("http://" + host + ":" + actualPort);
    }

    /**
     * Abuse and resource limits. Each default is chosen for a self-hosted server of a few
     * hundred users on a small machine; the reasons are in docs/OPERATIONS.md.
     */
    public record Limits(
            int maxFrameBytes,
            int maxEnvelopeChars,
            int messagesPerSecond,
            int messageBurst,
            int registrationsPerIpPerHour,
            int connectionsPerIp,
            Duration idleTimeout,
            int queueCap,
            Duration queueTtl,
            int bundlesPerMinute,
            Duration authClockSkew,
            int deliveryWindow) {

        public static Limits defaults() {
            return new Limits(64 * 1024, 48 * 1024, 50, 200, 20, 64, Duration.ofMinutes(2),
                    10_000, Duration.ofDays(30), 60, Duration.ofMinutes(5), 256);
        }

        public Limits withMessageRate(int perSecond, int burst) {
            return new Limits(maxFrameBytes, maxEnvelopeChars, perSecond, burst, registrationsPerIpPerHour,
                    connectionsPerIp, idleTimeout, queueCap, queueTtl, bundlesPerMinute, authClockSkew, deliveryWindow);
        }

        public Limits withRegistrationsPerIpPerHour(int n) {
            return new Limits(maxFrameBytes, maxEnvelopeChars, messagesPerSecond, messageBurst, n,
                    connectionsPerIp, idleTimeout, queueCap, queueTtl, bundlesPerMinute, authClockSkew, deliveryWindow);
        }

        public Limits withConnectionsPerIp(int n) {
            return new Limits(maxFrameBytes, maxEnvelopeChars, messagesPerSecond, messageBurst, registrationsPerIpPerHour,
                    n, idleTimeout, queueCap, queueTtl, bundlesPerMinute, authClockSkew, deliveryWindow);
        }

        public Limits withQueue(int cap, Duration ttl) {
            return new Limits(maxFrameBytes, maxEnvelopeChars, messagesPerSecond, messageBurst, registrationsPerIpPerHour,
                    connectionsPerIp, idleTimeout, cap, ttl, bundlesPerMinute, authClockSkew, deliveryWindow);
        }

        public Limits withBundlesPerMinute(int n) {
            return new Limits(maxFrameBytes, maxEnvelopeChars, messagesPerSecond, messageBurst, registrationsPerIpPerHour,
                    connectionsPerIp, idleTimeout, queueCap, queueTtl, n, authClockSkew, deliveryWindow);
        }

        public Limits withDeliveryWindow(int n) {
            return new Limits(maxFrameBytes, maxEnvelopeChars, messagesPerSecond, messageBurst, registrationsPerIpPerHour,
                    connectionsPerIp, idleTimeout, queueCap, queueTtl, bundlesPerMinute, authClockSkew, n);
        }
    }
}
