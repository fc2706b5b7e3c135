package dev.parley.server.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A truncating checkpoint must not hold up writes while a reader keeps an older snapshot: SQLite
 * admits no writer while such a checkpoint waits, so before the checkpoint's wait was bounded a
 * write queued behind it until the reader finished (or failed with SQLITE_BUSY after 10 s).
 */
class WalTruncationTest {

    @TempDir
    Path dir;

    @Test
    void aCheckpointWaitingForAnOldReaderLetsTheWriterIn() throws Exception {
        Path file = dir.resolve("wal.db");
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        source.setJournalMode("WAL");
        source.setBusyTimeout(10_000); // as the server's pool
        try (Connection writer = source.getConnection(); Connection reader = source.getConnection()) {
            execute(writer, "CREATE TABLE t (x INTEGER)");
            execute(writer, "INSERT INTO t VALUES (1)");
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
                rows.next(); // the reader holds this snapshot until it commits
            }
            execute(writer, "INSERT INTO t VALUES (2)"); // now the reader's snapshot is old
            var checkpoint = CompletableFuture.runAsync(new WalTruncation(source, file));
            Thread.sleep(WalTruncation.CHECKPOINT_WAIT_MILLIS / 2); // the checkpoint is waiting for the reader
            var write = CompletableFuture.runAsync(() -> execute(writer, "INSERT INTO t VALUES (3)"));
            try {
                write.get(5, TimeUnit.SECONDS); // still inside the reader's snapshot: before, this waited for it
            } finally {
                reader.commit();
            }
            checkpoint.get(5, TimeUnit.SECONDS);
            new WalTruncation(source, file).run(); // no old reader now: the WAL is truncated
            assertEquals(0, Files.size(dir.resolve("wal.db-wal")));
            try (Statement statement = writer.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
                rows.next();
                assertEquals(3, rows.getInt(1));
            }
        }
    }

    private static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
