package dev.parley.server.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Read statements kept per physical SQLite connection of the read pool, so that a read prepares
 * its SQL once per connection rather than at every use: preparing was about half of a login's
 * SQLite time (docs/BENCHMARKS.md, "Read statements kept per connection"). PostgreSQL
 * connections are not served here: its driver keeps server-side statements by SQL itself.
 *
 * <p>Invariants:
 * <ul>
 * <li>A physical connection is lent to one borrower at a time by the pool, and its statements
 *     are used only by that borrower while it holds the connection: a connection's cache needs
 *     no lock.</li>
 * <li>Statements are prepared on the physical connection, not on the pool's proxy, which would
 *     close them when the borrower gives the connection back.</li>
 * <li>A borrower closes every result set before it gives the connection back (which resets the
 *     statement, ending its read snapshot) and clears the parameters before binding; a statement
 *     whose use failed is closed and forgotten.</li>
 * <li>At most {@link #PER_CONNECTION} statements per connection, the least recently used closed
 *     beyond that. The caches of connections the pool has closed (idle timeout, lifetime) are
 *     dropped at the next statement prepared anew.</li>
 * </ul>
 */
final class ReadStatements {

    static final int PER_CONNECTION = 64;

    private static final Map<Connection, Map<String, PreparedStatement>> CACHES = new ConcurrentHashMap<>();

    private ReadStatements() {
    }

    /** What a read does with its statement: bind, execute, and close every result set it opens. */
    @FunctionalInterface
    interface StatementUse<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs {@code use} on the statement for {@code sql}: on SQLite the one kept with
     * {@code pooled}'s physical connection (forgotten and closed if the use fails), elsewhere a
     * new statement closed after.
     */
    static <T> T read(Connection pooled, String sql, StatementUse<T> use) throws SQLException {
        if (!pooled.isWrapperFor(SQLiteConnection.class)) {
            try (PreparedStatement statement = pooled.prepareStatement(sql)) {
                return use.apply(statement);
            }
        }
        Connection physical = pooled.unwrap(SQLiteConnection.class);
        PreparedStatement statement = kept(physical, sql);
        try {
            return use.apply(statement);
        } catch (SQLException | RuntimeException e) {
            forget(physical, sql, statement);
            throw e;
        }
    }

    /** The statement {@link #read} would use on {@code pooled}, a SQLite connection of the pool. */
    static PreparedStatement prepare(Connection pooled, String sql) throws SQLException {
        return kept(pooled.unwrap(SQLiteConnection.class), sql);
    }

    /** What {@link #read} does after a failed use: the statement is closed and forgotten. */
    static void discard(Connection pooled, String sql, PreparedStatement statement) throws SQLException {
        forget(pooled.unwrap(SQLiteConnection.class), sql, statement);
    }

    /** The statement for {@code sql} kept with {@code physical}, with its parameters cleared. */
    private static PreparedStatement kept(Connection physical, String sql) throws SQLException {
        Map<String, PreparedStatement> cache = CACHES.computeIfAbsent(physical, c -> leastRecentlyUsed());
        PreparedStatement statement = cache.get(sql);
        if (statement != null) {
            statement.clearParameters();
            return statement;
        }
        CACHES.keySet().removeIf(ReadStatements::closed); // never this one: its borrower holds it open
        statement = physical.prepareStatement(sql);
        cache.put(sql, statement);
        return statement;
    }

    private static void forget(Connection physical, String sql, PreparedStatement statement) {
        Map<String, PreparedStatement> cache = CACHES.get(physical);
        if (cache != null) {
            cache.remove(sql, statement);
        }
        try {
            statement.close();
        } catch (SQLException e) {
            // the use already failed; that failure is the one reported
        }
    }

    /** How many connections have a cache (tests). */
    static int connections() {
        return CACHES.size();
    }

    private static Map<String, PreparedStatement> leastRecentlyUsed() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= PER_CONNECTION) {
                    return false;
                }
                try {
                    eldest.getValue().close();
                } catch (SQLException e) {
                    // closing a statement of a live connection does not fail; if it did, it is dropped anyway
                }
                return true;
            }
        };
    }

    private static boolean closed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
