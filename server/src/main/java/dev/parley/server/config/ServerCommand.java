package dev.parley.server.config;

import static picocli.CommandLine.Help.Visibility.NEVER;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The server's command line. Every option also reads a {@code PARLEY_*} environment variable
 * named after it ({@link EnvironmentDefaults}); a flag wins over the variable, the variable over
 * the default.
 */
@Command(name = "parley-server", mixinStandardHelpOptions = true, version = "Parley server 0.1.0",
        defaultValueProvider = EnvironmentDefaults.class, modelTransformer = EnvironmentDefaults.class,
        description = "Parley: a self-hostable end-to-end encrypted chat server. It relays and stores ciphertext only.",
        sortOptions = false, showDefaultValues = true)
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind.")
    String host;

    @Option(names = "--port", defaultValue = "5000",
            description = "Port to bind.")
    int port;

    @Option(names = "--database-url", defaultValue = ServerConfig.DEFAULT_DATABASE_URL,
            description = "JDBC URL.")
    String databaseUrl;

    @Option(names = "--allowed-origins", split = ",", defaultValue = "", showDefaultValue = NEVER,
            description = "Comma-separated origins allowed to open WebSockets and sign logins "
                    + "(default: the server's own origin).")
    List<String> allowedOrigins;

    @Option(names = "--max-frame-bytes", defaultValue = "65536",
            description = "Largest accepted WebSocket frame.")
    int maxFrameBytes;

    @Option(names = "--max-envelope-chars", defaultValue = "49152",
            description = "Largest envelope, in base64url characters.")
    int maxEnvelopeChars;

    @Option(names = "--message-rate", defaultValue = "50",
            description = "Frames per second per connection, sustained.")
    int messageRate;

    @Option(names = "--message-burst", defaultValue = "200",
            description = "Frames a connection may send in a burst.")
    int messageBurst;

    @Option(names = "--registrations-per-ip", defaultValue = "20",
            description = "Registrations per client IP per hour.")
    int registrationsPerIp;

    @Option(names = "--connections-per-ip", defaultValue = "64",
            description = "Open WebSockets per client IP.")
    int connectionsPerIp;

    @Option(names = "--idle-timeout", defaultValue = "PT2M",
            description = "Close a WebSocket silent for this long, ISO-8601.")
    Duration idleTimeout;

    @Option(names = "--queue-cap", defaultValue = "10000",
            description = "Undelivered messages kept per recipient.")
    int queueCap;

    @Option(names = "--queue-ttl", defaultValue = "P30D",
            description = "How long an undelivered message is kept, ISO-8601.")
    Duration queueTtl;

    @Option(names = "--bundles-per-minute", defaultValue = "60",
            description = "Prekey bundles one account may fetch per minute.")
    int bundlesPerMinute;

    @Option(names = "--web-bundle", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Serve the web client as one bundled script when the build made one (Linux x64 builds); "
                    + "--no-web-bundle serves its modules one by one, as in the source (for the browser's developer tools).")
    boolean webBundle;

    @Mixin
    ConnectionOptions connections;

    @Mixin
    StorageOptions storage;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    BlobOptions blobs;

    @Mixin
    DirectoryOptions directory;

    @Mixin
    ClusterOptions cluster;

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
        return new ServerConfig(host, port, databaseUrl, entries(allowedOrigins), limits, connections.toLimits(), storage.toLimits(),
                metrics.toEndpoint(), blobs.toLimits(), directory.toSettings(), cluster.toSettings(), webBundle);
    }

    /** The entries of a comma-separated option, stripped, without empty ones ({@code "a, ,b"} is a and b). */
    static List<String> entries(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::strip).filter(value -> !value.isEmpty()).toList();
    }
}
