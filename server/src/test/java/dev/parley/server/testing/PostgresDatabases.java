package dev.parley.server.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A fresh PostgreSQL database with a random name, for one test (or one test class), dropped on
 * {@link #close}. By default on the shared server at 127.0.0.1:5432 as user {@code postgres}
 * (trust authentication); {@code PARLEY_TEST_POSTGRES_URL} names another server as a JDBC URL
 * of a database to connect to for {@code CREATE DATABASE} (e.g.
 * {@code jdbc:postgresql://db:5432/postgres?user=postgres&password=...}). A server that cannot be
 * reached fails the test: PostgreSQL tests are never skipped.
 */
public final class PostgresDatabases implements AutoCloseable {

    /** The shared test server's maintenance database. */
    public static final String DEFAULT_SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String serverUrl;
    private final String name;
    private final String url;

    private PostgresDatabases(String serverUrl, String name) {
        this.serverUrl = serverUrl;
        this.name = name;
        this.url = withDatabase(serverUrl, name);
    }

    /** The server's URL: {@code PARLEY_TEST_POSTGRES_URL}, else {@link #DEFAULT_SERVER_URL}. */
    public static String serverUrl() {
        String configured = System.getenv("PARLEY_TEST_POSTGRES_URL");
        return configured == null || configured.isBlank() ? DEFAULT_SERVER_URL : configured;
    }

    /** A new, empty database on the shared test server. */
    public static PostgresDatabases fresh() {
        return fresh(serverUrl());
    }

    /** A new, empty database on the server that {@code serverUrl} (a JDBC URL of a database there) reaches. */
    public static PostgresDatabases fresh(String serverUrl) {
        String name = "parley_test_" + HexFormat.of().formatHex(randomBytes());
        execute(serverUrl, "CREATE DATABASE " + name);
        return new PostgresDatabases(serverUrl, name);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The JDBC URL of this database (with the server URL's parameters). */
    public String url() {
        return url;
    }

    public String name() {
        return name;
    }

    /** Drops the database, closing whatever connections are still open to it. */
    @Override
    public void close() {
        execute(serverUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** {@code url} naming database {@code database} instead of the one it names. */
    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//");
        int pathStart = url.indexOf('/', hostStart + 2);
        if (hostStart < 0 || pathStart < 0) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + url);
        }
        int query = url.indexOf('?', pathStart);
        return url.substring(0, pathStart + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    private static void execute(String serverUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(serverUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests at " + serverUrl.replaceAll("(?i)password=[^&]*", "password=***")
                    + " failed on '" + sql + "' (is the server running? set PARLEY_TEST_POSTGRES_URL to use another): "
                    + e.getMessage(), e);
        }
    }
}
