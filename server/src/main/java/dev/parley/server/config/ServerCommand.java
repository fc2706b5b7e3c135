package dev.parley.server.config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The server's command line. Every option also reads a {@code PARLEY_*} environment variable;
 * a flag wins over the variable, the variable over the default.
 */
@Command(name = "parley-server", mixinStandardHelpOptions = true, version = "Parley server 0.1.0",
        description = "Parley: a self-hostable end-to-end encrypted chat server. It relays and stores ciphertext only.",
        sortOptions = false)
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:PARLEY_HOST:-127.0.0.1}",
            description = "Address to bind (env PARLEY_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:PARLEY_PORT:-5000}",
            description = "Port to bind (env PARLEY_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--database-url", defaultValue = "${env:PARLEY_DATABASE_URL:-" + ServerConfig.DEFAULT_DATABASE_URL + "}",
            description = "JDBC URL (env PARLEY_DATABASE_URL, default ${DEFAULT-VALUE}).")
    String databaseUrl;

    @Option(names = "--allowed-origins", split = ",", defaultValue = "${env:PARLEY_ALLOWED_ORIGINS:-}",
            description = "Comma-separated origins allowed to open WebSockets and sign logins "
                    + "(env PARLEY_ALLOWED_ORIGINS; default: the server's own origin).")
    List<String> allowedOrigins;

    @Option(names = "--max-frame-bytes", defaultValue = "${env:PARLEY_MAX_FRAME_BYTES:-65536}",
            description = "Largest accepted WebSocket frame (env PARLEY_MAX_FRAME_BYTES, default ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--max-envelope-chars", defaultValue = "${env:PARLEY_MAX_ENVELOPE_CHARS:-49152}",
            description = "Largest envelope, in base64url characters (env PARLEY_MAX_ENVELOPE_CHARS, default ${DEFAULT-VALUE}).")
    int maxEnvelopeChars;

    @Option(names = "--message-rate", defaultValue = "${env:PARLEY_MESSAGE_RATE:-50}",
            description = "Frames per second per connection, sustained (env PARLEY_MESSAGE_RATE, default ${DEFAULT-VALUE}).")
    int messageRate;

    @Option(names = "--message-burst", defaultValue = "${env:PARLEY_MESSAGE_BURST:-200}",
            description = "Frames a connection may send in a burst (env PARLEY_MESSAGE_BURST, default ${DEFAULT-VALUE}).")
    int messageBurst;

    @Option(names = "--registrations-per-ip", defaultValue = "${env:PARLEY_REGISTRATIONS_PER_IP:-20}",
            description = "Registrations per client IP per hour (env PARLEY_REGISTRATIONS_PER_IP, default ${DEFAULT-VALUE}).")
    int registrationsPerIp;

    @Option(names = "--connections-per-ip", defaultValue = "${env:PARLEY_CONNECTIONS_PER_IP:-64}",
            description = "Open WebSockets per client IP (env PARLEY_CONNECTIONS_PER_IP, default ${DEFAULT-VALUE}).")
    int connectionsPerIp;

    @Option(names = "--idle-timeout", defaultValue = "${env:PARLEY_IDLE_TIMEOUT:-PT2M}",
            description = "Close a WebSocket silent for this long, ISO-8601 (env PARLEY_IDLE_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--queue-cap", defaultValue = "${env:PARLEY_QUEUE_CAP:-10000}",
            description = "Undelivered messages kept per recipient (env PARLEY_QUEUE_CAP, default ${DEFAULT-VALUE}).")
    int queueCap;

    @Option(names = "--queue-ttl", defaultValue = "${env:PARLEY_QUEUE_TTL:-P30D}",
            description = "How long an undelivered message is kept, ISO-8601 (env PARLEY_QUEUE_TTL, default ${DEFAULT-VALUE}).")
    Duration queueTtl;

    @Option(names = "--bundles-per-minute", defaultValue = "${env:PARLEY_BUNDLES_PER_MINUTE:-60}",
            description = "Prekey bundles one account may fetch per minute (env PARLEY_BUNDLES_PER_MINUTE, default ${DEFAULT-VALUE}).")
    int bundlesPerMinute;

    @Mixin
    ConnectionOptions connections;

    @Mixin
    StorageOptions storage;

    @Mixin
    MetricsOptions metrics;

    private final Consumer<ServerConfig> launcher;

    public ServerCommand(Consumer<ServerConfig> launcher) {
        this.launcher = launcher;
    }

    @Override
    public Integer call() {
        launcher.accept(toConfig());
        return 0;
    }

    ServerConfig toConfig() {
        var defaults = ServerConfig.Limits.defaults();
        var limits = new ServerConfig.Limits(maxFrameBytes, maxEnvelopeChars, messageRate, messageBurst,
                registrationsPerIp, connectionsPerIp, idleTimeout, queueCap, queueTtl, bundlesPerMinute,
                defaults.authClockSkew(), defaults.deliveryWindow());
        List<String> origins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new ServerConfig(host, port, databaseUrl, origins, limits, connections.toLimits(), storage.toLimits(),
                metrics.toEndpoint());
    }
}
