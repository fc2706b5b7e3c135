package dev.parley.server.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read statements kept per physical SQLite connection ({@link ReadStatements}) through {@link Jdbc#query}. */
class ReadStatementsTest {

    @TempDir
    Path folder;
    private HikariDataSource pool;

    @BeforeEach
    void open() throws SQLException {
        var config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + folder.resolve("read.db"));
        config.setMaximumPoolSize(2);
        config.addDataSourceProperty("journal_mode", "WAL");
        pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        }
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private void write(String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> values(int from) {
        return Jdbc.query(pool, "SELECT v FROM t WHERE k >= ? ORDER BY k", Jdbc.params(from), row -> row.getString(1));
    }

    @Test
    void aConnectionPreparesEachReadOnceAndLendsItAgainWithItsParametersCleared() throws SQLException {
        try (Connection c = pool.getConnection()) {
            PreparedStatement first = ReadStatements.prepare(c, "SELECT ?");
            first.setInt(1, 7);
            try (var row = first.executeQuery()) {
                assertTrue(row.next());
                assertEquals(7, row.getInt(1));
            }
            PreparedStatement again = ReadStatements.prepare(c, "SELECT ?");
            assertSame(first, again, "prepared anew on the same connection");
            try (var row = again.executeQuery()) {
                assertTrue(row.next());
                assertNull(row.getObject(1), "the previous use's parameter was kept");
            }
            assertNotSame(first, ReadStatements.prepare(c, "SELECT ? + 1"));
            try (Connection other = pool.getConnection()) {
                assertNotSame(first, ReadStatements.prepare(other, "SELECT ?"), "two connections share a statement");
            }
        }
    }

    @Test
    void aKeptStatementSeesEveryWriteCommittedSinceItsLastUse() throws SQLException {
        write("INSERT INTO t VALUES (1, 'a')");
        for (int i = 0; i < 20; i++) {
            assertEquals(i + 1, values(1).size());
            write("INSERT INTO t VALUES (" + (i + 2) + ", 'x" + i + "')");
        }
        assertEquals(List.of("x18", "x19"), values(20));
        // Kept statements hold no read snapshot: a checkpoint can take the whole log.
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             var row = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            assertTrue(row.next());
            assertEquals(0, row.getInt(1), "the checkpoint was blocked");
        }
    }

    @Test
    void beyondTheLimitTheLeastRecentlyUsedIsClosedAndAFailedUseIsForgotten() throws SQLException {
        try (Connection c = pool.getConnection()) {
            PreparedStatement eldest = ReadStatements.prepare(c, "SELECT 0");
            for (int i = 1; i <= ReadStatements.PER_CONNECTION; i++) {
                ReadStatements.prepare(c, "SELECT " + i);
            }
            assertTrue(eldest.isClosed(), "kept beyond the limit");
            PreparedStatement failed = ReadStatements.prepare(c, "SELECT 1");
            ReadStatements.discard(c, "SELECT 1", failed);
            assertTrue(failed.isClosed());
            assertNotSame(failed, ReadStatements.prepare(c, "SELECT 1"), "a discarded statement lent again");
        }
        assertThrows(RuntimeException.class, () -> Jdbc.query(pool, "SELECT v FROM no_such_table", Jdbc.params(), row -> 1));
        assertEquals(List.of(), values(1), "the pool still reads after a failure");
    }

    @Test
    void theCachesOfClosedConnectionsAreDroppedAtTheNextNewStatement() throws SQLException {
        values(1);
        int before = ReadStatements.connections();
        pool.close();
        try (HikariDataSource next = new HikariDataSource(pool)) {
            try (Connection c = next.getConnection()) {
                ReadStatements.prepare(c, "SELECT 'after'");
            }
            assertTrue(ReadStatements.connections() < before + 1, "closed connections still cached: " + ReadStatements.connections());
        }
    }
}
