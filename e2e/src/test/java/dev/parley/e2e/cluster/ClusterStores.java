package dev.parley.e2e.cluster;

import dev.parley.server.testing.PostgresDatabases;
import dev.parley.server.testing.PostgresProcess;
import dev.parley.server.testing.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a {@link ClusterFixture}'s nodes share: a fresh PostgreSQL database (on the machine's
 * server, or on a private {@link PostgresProcess} that a test may stop) and a private
 * {@link RedisProcess}. The server module's test support starts and stops the servers; this
 * class only holds them for the fixture.
 */
final class ClusterStores implements AutoCloseable {

    private final PostgresProcess postgres; // null: the machine's server
    private final PostgresDatabases database;
    private final RedisProcess redis;

    private ClusterStores(PostgresProcess postgres, PostgresDatabases database, RedisProcess redis) {
        this.postgres = postgres;
        this.database = database;
        this.redis = redis;
    }

    static ClusterStores start(boolean privatePostgres) {
        PostgresProcess postgres = null;
        PostgresDatabases database = null;
        try {
            postgres = privatePostgres ? PostgresProcess.start() : null;
            database = postgres == null ? PostgresDatabases.fresh() : PostgresDatabases.fresh(postgres.url());
            return new ClusterStores(postgres, database, RedisProcess.start());
        } catch (RuntimeException | Error e) {
            if (database != null) {
                database.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    String jdbcUrl() {
        return database.url();
    }

    String redisUrl() {
        return redis.url();
    }

    void stopRedis() {
        redis.stop();
    }

    void startRedis() {
        redis.restart();
    }

    void stopPostgres() {
        requirePrivatePostgres().stop();
    }

    void startPostgres() {
        requirePrivatePostgres().startAgain();
    }

    /**
     * The private PostgreSQL server's files that hold what the nodes wrote: the cluster
     * database's own directory, the write-ahead log and the server's log (found from the
     * server's {@code data_directory}; the template and maintenance databases are left out).
     * None on the machine's server.
     */
    List<Path> postgresFiles() {
        if (postgres == null) {
            return List.of();
        }
        Path data;
        long oid;
        try (var db = DriverManager.getConnection(postgres.url()); var statement = db.createStatement()) {
            try (var result = statement.executeQuery("SHOW data_directory")) {
                result.next();
                data = Path.of(result.getString(1));
            }
            try (var result = statement.executeQuery("SELECT oid FROM pg_database WHERE datname = '" + database.name() + "'")) {
                result.next();
                oid = result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot ask the private PostgreSQL where its files are", e);
        }
        try (Stream<Path> base = Files.walk(data.resolve("base").resolve(String.valueOf(oid)));
                Stream<Path> wal = Files.walk(data.resolve("pg_wal"));
                Stream<Path> logs = Files.list(data.getParent())) {
            return Stream.of(base, wal, logs.filter(p -> p.getFileName().toString().endsWith(".log")))
                    .flatMap(files -> files).filter(Files::isRegularFile).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private PostgresProcess requirePrivatePostgres() {
        if (postgres == null) {
            throw new IllegalStateException("this cluster runs on the machine's PostgreSQL, which tests never stop:"
                    + " start it with Options.withPrivatePostgres()");
        }
        return postgres;
    }

    @Override
    public void close() {
        try {
            redis.close();
        } finally {
            if (postgres == null) {
                database.close();
            } else {
                postgres.close(); // the whole private server goes, with its files (it may be stopped: nothing to drop)
            }
        }
    }
}
