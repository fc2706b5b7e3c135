package dev.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

class WriteQueueTest {

    SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private WriteQueue open(Duration deferredDelay) {
        var dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + TestServer.newDatabaseFile());
        var writes = new WriteQueue(dataSource, metrics, deferredDelay, Duration.ZERO);
        writes.submit(c -> update(c, "CREATE TABLE t (x INTEGER)")).join();
        return writes;
    }

    private static int update(java.sql.Connection connection, String sql) throws java.sql.SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private long commits() {
        return metrics.get("parley_db_write_batch_size").summary().count();
    }

    @Test
    void deferredWritesJoinTheNextBatchInsteadOfCommittingAlone() throws Exception {
        try (WriteQueue writes = open(Duration.ofHours(1))) {
            long before = commits();
            CompletableFuture<Integer> deferred = writes.submitDeferred(c -> update(c, "INSERT INTO t VALUES (1)"));
            Thread.sleep(300);
            assertFalse(deferred.isDone(), "a deferred write waits for a batch to join");
            assertEquals(before, commits());
            writes.submit(c -> update(c, "INSERT INTO t VALUES (2)")).join();
            assertEquals(1, deferred.join());
            assertEquals(before + 1, commits(), "both writes took one transaction");
        }
    }

    @Test
    void flushCommitsDeferredWrites() {
        try (WriteQueue writes = open(Duration.ofHours(1))) {
            CompletableFuture<Integer> deferred = writes.submitDeferred(c -> update(c, "INSERT INTO t VALUES (1)"));
            writes.flush().join();
            assertTrue(deferred.isDone(), "flush completes after every write submitted before it");
        }
    }

    @Test
    void aDeferredWriteIsCommittedAloneOnceItsDelayHasPassed() {
        try (WriteQueue writes = open(Duration.ofMillis(20))) {
            assertEquals(1, writes.submitDeferred(c -> update(c, "INSERT INTO t VALUES (1)"))
                    .orTimeout(10, TimeUnit.SECONDS).join());
        }
    }

    @Test
    void closingCommitsWhatIsDeferred() throws InterruptedException {
        CompletableFuture<Integer> deferred;
        try (WriteQueue writes = open(Duration.ofHours(1))) {
            deferred = writes.submitDeferred(c -> update(c, "INSERT INTO t VALUES (1)"));
            Thread.sleep(300); // the writer is now waiting for the deferred write to fall due
        }
        assertEquals(1, deferred.orTimeout(10, TimeUnit.SECONDS).join(), "closing wakes the writer to commit it");
    }
}
