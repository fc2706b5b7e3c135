package dev.parley.server.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.server.storage.Engine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

/**
 * The connection pool to a PostgreSQL database, and the checks that it may be written to at
 * all: a node refuses to start when the server would acknowledge a commit before it is on
 * disk ({@code synchronous_commit = off}, or {@code fsync = off}), since {@code stored} is
 * sent right after the commit returns.
 *
 * <p>While the server is unreachable, a connection is waited for at most
 * {@link #CONNECTION_TIMEOUT}; then the read or write fails with
 * {@link dev.parley.server.storage.StorageUnavailableException} (clients hear
 * {@code unavailable}) instead of hanging. Hikari reconnects by itself when the server is back.
 */
public final class PostgresPool {

    /** The longest a read or a batch waits for a connection before it fails as unavailable. */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    /** The longest one statement may wait on a silent network before the connection counts as broken. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** Values of {@code synchronous_commit} under which a commit returns once it is flushed on this server. */
    private static final Set<String> DURABLE_COMMITS = Set.of("on", "local", "remote_write", "remote_apply");

    /**
     * Settings of every session (an {@code options} parameter in the URL replaces them): no
     * bitmap scans. Every statement Parley runs reads a few rows through an index, and the queue
     * counts read rows that are acknowledged all the time: an acknowledged copy leaves the
     * partial indexes' predicate, its old version is dead. A plain or index-only scan marks the
     * index entries of dead rows once it finds them dead, and later scans skip them; a bitmap
     * scan never marks them, so every count planned as one visited each copy acknowledged since
     * the last vacuum. PostgreSQL plans bitmap scans for such look-ups readily (always for
     * {@code = ANY}, and whenever its statistics are young): 0.2 ms and 260 buffers per count
     * after 25 s at 1,000 msgs/s, against 15 µs (docs/BENCHMARKS.md, "PostgreSQL: statements
     * per message").
     */
    static final String SESSION_OPTIONS = "-c enable_bitmapscan=off";

    private PostgresPool() {
    }

    /** Opens the pool and checks durability; throws (and closes the pool) if the database cannot be used. */
    public static HikariDataSource open(String jdbcUrl, int size) {
        return open(jdbcUrl, size, "parley-postgresql");
    }

    /** {@link #open(String, int)}, a pool named {@code name} (a second pool of the node: the blob store's). */
    public static HikariDataSource open(String jdbcUrl, int size, String name) {
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(Math.min(CONNECTION_TIMEOUT.toMillis() - 250, 2_000));
        // Unless the URL says otherwise: find a broken network within the socket timeout, not the OS's.
        config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "parley");
        config.addDataSourceProperty("options", SESSION_OPTIONS);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to the PostgreSQL database " + Engine.redacted(jdbcUrl) + ": "
                    + rootMessage(e), e);
        }
        try (Connection connection = dataSource.getConnection()) {
            requireDurableCommits(connection);
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            if (e instanceof IllegalStateException refused) {
                throw refused;
            }
            throw new IllegalStateException("cannot use the PostgreSQL database " + Engine.redacted(jdbcUrl) + ": "
                    + rootMessage(e), e);
        }
        return dataSource;
    }

    /** Refuses a server (or session) that acknowledges commits before they are durable. */
    static void requireDurableCommits(Connection connection) throws SQLException {
        String synchronousCommit = setting(connection, "synchronous_commit");
        if (!DURABLE_COMMITS.contains(synchronousCommit)) {
            throw new IllegalStateException("PostgreSQL has synchronous_commit = " + synchronousCommit
                    + ": it would acknowledge commits before they are on disk, and Parley acks a message as stored "
                    + "right after its commit. Set synchronous_commit = on (postgresql.conf, ALTER DATABASE or "
                    + "ALTER ROLE) and start again.");
        }
        String fsync = setting(connection, "fsync");
        if (!"on".equals(fsync)) {
            throw new IllegalStateException("PostgreSQL has fsync = " + fsync + ": committed data may be lost in a "
                    + "crash, and Parley acks a message as stored right after its commit. Set fsync = on and start again.");
        }
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SHOW " + name)) {
            row.next();
            return row.getString(1);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
