package dev.parley.server.storage;

/**
 * The database engine a JDBC URL names, and what differs between the two: where the
 * migrations are, how the writer's transactions begin, and whether the writer is the only
 * one (SQLite: one process, one writer) or one of several nodes' writers on one database
 * (PostgreSQL). Everything else is one SQL text for both (the stores in
 * {@code storage.sqlite}, whose package name is older than the second engine).
 */
public enum Engine {

    /** An embedded file ({@code jdbc:sqlite:path}); this process's writer is the only writer. */
    SQLITE("jdbc:sqlite:", "classpath:db/migration/sqlite"),
    /**
     * A server ({@code jdbc:postgresql://host:port/db?...}) that several nodes may write at
     * once: writes declare {@link LockKeys}, and counts are read from the tables per batch.
     */
    POSTGRESQL("jdbc:postgresql:", "classpath:db/migration/postgresql");

    private final String urlPrefix;
    private final String migrations;

    Engine(String urlPrefix, String migrations) {
        this.urlPrefix = urlPrefix;
        this.migrations = migrations;
    }

    /** The engine of {@code jdbcUrl}; refuses any other URL (without echoing a password it may hold). */
    public static Engine of(String jdbcUrl) {
        for (Engine engine : values()) {
            if (jdbcUrl.startsWith(engine.urlPrefix)) {
                return engine;
            }
        }
        throw new IllegalArgumentException("unsupported database URL (this build supports jdbc:sqlite:<file> and "
                + "jdbc:postgresql://host:port/database): " + redacted(jdbcUrl));
    }

    /** The URL with any credentials in it replaced, fit for logs and messages. */
    public static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceAll("//[^@/]*@", "//***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** The Flyway location of this engine's migrations. */
    String migrations() {
        return migrations;
    }

    /** Whether other processes may write the same database at the same time. */
    public boolean shared() {
        return this == POSTGRESQL;
    }
}
