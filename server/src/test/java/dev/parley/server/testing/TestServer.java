package dev.parley.server.testing;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.BlobLimits;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.config.MetricsEndpoint;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.StorageLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A real Parley server on a random port with its own SQLite file, for one test class. */
public final class TestServer implements AutoCloseable {

    private final ParleyServer server;
    private final Path databaseFile;
    private final ServerConfig config;

    private TestServer(ServerConfig config, Path databaseFile) {
        this.config = config;
        this.databaseFile = databaseFile;
        this.server = new ParleyServer(config, Clock.systemUTC());
        server.start();
    }

    /** Limits relaxed so that tests are not throttled, except where a test sets them. */
    public static ServerConfig.Limits testLimits() {
        return ServerConfig.Limits.defaults().withMessageRate(10_000, 10_000).withRegistrationsPerIpPerHour(10_000)
                .withConnectionsPerIp(10_000).withBundlesPerMinute(10_000);
    }

    /**
     * Storage limits for tests: no disk watermark (the test machine's free space must not decide
     * a test) and one-time prekeys not rationed per target, except where a test sets them.
     */
    public static StorageLimits testStorage() {
        return StorageLimits.defaults().withDiskWatermarkBytes(0).withOneTimePreKeysPerTargetPerHour(10_000);
    }

    public static TestServer start() {
        return start(testLimits());
    }

    public static TestServer start(ServerConfig.Limits limits) {
        return start(limits, newDatabaseFile());
    }

    /** A server with these limits and these gateway connection limits. */
    public static TestServer start(ServerConfig.Limits limits, ConnectionLimits connections) {
        Path databaseFile = newDatabaseFile();
        var config = new ServerConfig("127.0.0.1", 0, "jdbc:sqlite:" + databaseFile, List.of(), limits, connections,
                testStorage(), MetricsEndpoint.loopback(0));
        return new TestServer(config, databaseFile);
    }

    public static TestServer start(ServerConfig.Limits limits, Path databaseFile) {
        return start(limits, testStorage(), databaseFile);
    }

    public static TestServer start(StorageLimits storage) {
        return start(testLimits(), storage, newDatabaseFile());
    }

    public static TestServer start(ServerConfig.Limits limits, StorageLimits storage, Path databaseFile) {
        var config = new ServerConfig("127.0.0.1", 0, "jdbc:sqlite:" + databaseFile, List.of(), limits,
                ConnectionLimits.defaults(), storage, MetricsEndpoint.loopback(0));
        return new TestServer(config, databaseFile);
    }

    /** A server with these blob limits (the blob folder next to the database unless they name one). */
    public static TestServer start(StorageLimits storage, BlobLimits blobs) {
        Path databaseFile = newDatabaseFile();
        var config = new ServerConfig("127.0.0.1", 0, "jdbc:sqlite:" + databaseFile, List.of(), testLimits(),
                ConnectionLimits.defaults(), storage, MetricsEndpoint.loopback(0), blobs,
                dev.parley.server.config.DirectorySettings.defaults(), dev.parley.server.config.ClusterSettings.defaults());
        return new TestServer(config, databaseFile);
    }

    /** A server with the test limits and these directory settings (open or private, lookups per minute). */
    public static TestServer start(dev.parley.server.config.DirectorySettings directory) {
        Path databaseFile = newDatabaseFile();
        var config = new ServerConfig("127.0.0.1", 0, "jdbc:sqlite:" + databaseFile, List.of(), testLimits(),
                ConnectionLimits.defaults(), testStorage(), MetricsEndpoint.loopback(0),
                BlobLimits.defaults(), directory, dev.parley.server.config.ClusterSettings.defaults());
        return new TestServer(config, databaseFile);
    }

    /** A server with exactly this configuration (its database URL may name SQLite or PostgreSQL). */
    public static TestServer start(ServerConfig config) {
        return new TestServer(config, sqliteFile(config.databaseUrl()));
    }

    /** A server with the test limits on the database at {@code databaseUrl} (e.g. a {@link PostgresDatabases} URL). */
    public static TestServer onDatabase(String databaseUrl) {
        return start(new ServerConfig("127.0.0.1", 0, databaseUrl, List.of(), testLimits(), ConnectionLimits.defaults(),
                testStorage(), MetricsEndpoint.loopback(0)));
    }

    private static Path sqliteFile(String databaseUrl) {
        return databaseUrl.startsWith("jdbc:sqlite:") ? Path.of(databaseUrl.substring("jdbc:sqlite:".length())) : null;
    }

    /** Starts a new server process-internal instance on the same database (a restart). */
    public TestServer restart() {
        server.close();
        return new TestServer(config, databaseFile);
    }

    public static Path newDatabaseFile() {
        try {
            return Files.createTempDirectory("parley-test").resolve("parley.db");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A new database file migrated only up to schema {@code version}, as an older server left
     * it, for tests of later migrations; open it with {@link dev.parley.server.storage.Database}
     * (through {@code getUrl()}) to run the rest.
     */
    public static org.sqlite.SQLiteDataSource databaseAtSchema(String version) {
        var dataSource = new org.sqlite.SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + newDatabaseFile());
        org.flywaydb.core.Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").target(version)
                .load().migrate();
        return dataSource;
    }

    public int port() {
        return server.port();
    }

    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port() + "/ws";
    }

    /** The SQLite file; null on PostgreSQL. */
    public Path databaseFile() {
        return databaseFile;
    }

    public ParleyServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
