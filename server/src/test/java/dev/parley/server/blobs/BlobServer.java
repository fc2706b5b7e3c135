package dev.parley.server.blobs;

import dev.parley.server.config.BlobLimits;
import dev.parley.server.config.ClusterSettings;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.config.DirectorySettings;
import dev.parley.server.config.MetricsEndpoint;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.StorageLimits;
import dev.parley.server.storage.Engine;
import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A server for the blob tests on either engine, with that engine's default blob store: SQLite
 * with {@link DirectoryBlobStore} (files next to the database), or a fresh PostgreSQL database
 * with {@link DatabaseBlobStore} (chunk rows); and what the store holds of a blob. More nodes
 * can be started on the same PostgreSQL database. {@link #close} stops them and drops the
 * database.
 */
final class BlobServer implements AutoCloseable {

    private final Engine engine;
    private final ServerConfig config;
    private final PostgresDatabases postgres;
    private final TestServer server;
    private final List<TestServer> more = new java.util.ArrayList<>();

    private BlobServer(Engine engine, ServerConfig config, PostgresDatabases postgres) {
        this.engine = engine;
        this.config = config;
        this.postgres = postgres;
        this.server = TestServer.start(config);
    }

    static BlobServer start(Engine engine, StorageLimits storage, BlobLimits blobs) {
        PostgresDatabases postgres = engine == Engine.POSTGRESQL ? PostgresDatabases.fresh() : null;
        String url = postgres != null ? postgres.url() : "jdbc:sqlite:" + TestServer.newDatabaseFile();
        var config = new ServerConfig("127.0.0.1", 0, url, List.of(), TestServer.testLimits(), ConnectionLimits.defaults(),
                storage, MetricsEndpoint.loopback(0), blobs, DirectorySettings.defaults(), ClusterSettings.defaults());
        try {
            return new BlobServer(engine, config, postgres);
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    TestServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    Engine engine() {
        return engine;
    }

    /** Another node on the same PostgreSQL database (and blob store). */
    TestServer anotherNode() {
        if (postgres == null) {
            throw new IllegalStateException("nodes share a PostgreSQL database, not a SQLite file");
        }
        TestServer node = TestServer.start(config);
        more.add(node);
        return node;
    }

    /** Bytes the store holds of {@code blob} (a file's length, the chunk rows' total); 0 when none. */
    long heldBytes(String blob) {
        return held(blob)[0];
    }

    /** Whether the store holds anything of {@code blob}: its file (maybe empty), or a chunk row. */
    boolean holds(String blob) {
        return held(blob)[1] > 0;
    }

    /** {bytes, whether anything is held (0 or 1)}. */
    private long[] held(String blob) {
        if (postgres == null) {
            Path file = server.databaseFile().resolveSibling("blobs").resolve(blob);
            try {
                return new long[] {Files.size(file), 1};
            } catch (NoSuchFileException gone) { // never there, or deleted by the server as it was looked at
                return new long[] {0, 0};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (Connection connection = DriverManager.getConnection(postgres.url());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT COALESCE(SUM(length(bytes)), 0), COUNT(*) FROM blob_parts WHERE blob_id = ?")) {
            query.setString(1, blob);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new long[] {row.getLong(1), Math.min(1, row.getLong(2))};
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDBC URL of the PostgreSQL database (to look into it). */
    String postgresUrl() {
        return postgres.url();
    }

    @Override
    public void close() {
        try {
            for (TestServer node : more) {
                node.close();
            }
            server.close();
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
