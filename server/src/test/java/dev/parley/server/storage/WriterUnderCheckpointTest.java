package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.storage.sqlite.WalTruncation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * Writes that read before they write (a registration checks look-alike usernames first) must
 * not fail while the WAL truncation's checkpoint holds SQLite's write lock. In a deferred
 * transaction such a write upgraded from reader to writer, which SQLite refuses at once with
 * SQLITE_BUSY instead of waiting: registrations failed with internal_error now and then.
 */
class WriterUnderCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void readThenWriteBatchesWaitOutTruncatingCheckpoints() throws Exception {
        Path file = dir.resolve("writer.db");
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        source.setJournalMode("WAL");
        source.setBusyTimeout(10_000); // as the server's pool
        try (Connection setup = source.getConnection(); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE names (name TEXT PRIMARY KEY)");
        }
        AtomicBoolean stop = new AtomicBoolean();
        // Readers keep snapshots open, so each checkpoint waits for them with the write lock held.
        Thread reader = Thread.ofPlatform().start(() -> readUntil(source, stop));
        Thread checkpoints = Thread.ofPlatform().start(() -> {
            var truncation = new WalTruncation(source, file);
            while (!stop.get()) {
                truncation.run();
            }
        });
        List<String> failures = new ArrayList<>();
        try (var writes = new WriteQueue(source, new SimpleMeterRegistry(), WriteQueue.Health.NONE)) {
            for (int i = 0; i < 400; i++) {
                String name = "n" + i;
                try {
                    writes.submit(connection -> {
                        try (Statement statement = connection.createStatement();
                             ResultSet rows = statement.executeQuery("SELECT count(*) FROM names WHERE name = '" + name + "'")) {
                            rows.next();
                        }
                        try (Statement statement = connection.createStatement()) {
                            return statement.executeUpdate("INSERT INTO names VALUES ('" + name + "')");
                        }
                    }).join();
                } catch (CompletionException e) {
                    failures.add(name + ": " + e.getCause());
                }
            }
        } finally {
            stop.set(true);
            reader.join();
            checkpoints.join();
        }
        assertEquals(List.of(), failures.subList(0, Math.min(3, failures.size())), failures.size() + " writes failed");
    }

    private static void readUntil(SQLiteDataSource source, AtomicBoolean stop) {
        try (Connection connection = source.getConnection()) {
            connection.setAutoCommit(false);
            while (!stop.get()) {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT count(*) FROM names")) {
                    rows.next();
                }
                Thread.sleep(2);
                connection.commit();
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
