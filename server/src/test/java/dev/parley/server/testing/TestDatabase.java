package dev.parley.server.testing;

import dev.parley.server.config.StorageLimits;
import dev.parley.server.storage.Database;
import dev.parley.server.storage.Engine;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A fresh, migrated database on either engine for a store test: a new SQLite file, or a new
 * database on the shared PostgreSQL server ({@link PostgresDatabases}). {@link #close} closes it
 * and drops the PostgreSQL database. Store tests run on both: {@code @ParameterizedClass} with
 * {@code @EnumSource(Engine.class)}.
 */
public final class TestDatabase implements AutoCloseable {

    private final String url;
    private final PostgresDatabases postgres;
    private final Database database;

    private TestDatabase(String url, PostgresDatabases postgres, Database database) {
        this.url = url;
        this.postgres = postgres;
        this.database = database;
    }

    public static TestDatabase open(Engine engine, MeterRegistry metrics) {
        return open(engine, metrics, StorageLimits.defaults());
    }

    public static TestDatabase open(Engine engine, MeterRegistry metrics, StorageLimits limits) {
        String url = url(engine);
        PostgresDatabases postgres = engine == Engine.POSTGRESQL ? PostgresDatabases.fresh() : null;
        if (postgres != null) {
            url = postgres.url();
        }
        try {
            return new TestDatabase(url, postgres, Database.open(url, metrics, limits));
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    private static String url(Engine engine) {
        return engine == Engine.SQLITE ? "jdbc:sqlite:" + TestServer.newDatabaseFile() : null;
    }

    public Database database() {
        return database;
    }

    /** The database's JDBC URL (to open it again, from a second node, say). */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        try {
            database.close();
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
