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

/**
 * The commit linger ({@link CommitLinger}): a small batch waits for company only while the load
 * shows concurrency, never longer than the linger, and not past the usual gap between writes.
 */
class CommitLingerTest {

    private static final Duration LINGER = Duration.ofMillis(400);

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private WriteQueue open() {
        var dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + TestServer.newDatabaseFile());
        WriteQueue writes = new WriteQueue(dataSource, metrics, WriteQueue.DEFERRED_DELAY, LINGER);
        writes.submit(sql("CREATE TABLE t (x INTEGER)")).join();
        return writes;
    }

    private static WriteQueue.Write<Integer> sql(String text) {
        return connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.executeUpdate(text);
            }
        };
    }

    private static WriteQueue.Write<Integer> insert(int x) {
        return sql("INSERT INTO t VALUES (" + x + ")");
    }

    private long commits() {
        return metrics.get("parley_db_write_batch_size").summary().count();
    }

    /** Submits {@code n} writes at once and waits for them: the writer has seen concurrency. */
    private static void burst(WriteQueue writes, int n) throws Exception {
        CompletableFuture<?>[] burst = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            burst[i] = writes.submit(insert(i));
        }
        CompletableFuture.allOf(burst).get(10, TimeUnit.SECONDS);
    }

    private static long millisToCommit(WriteQueue writes, WriteQueue.Write<?> write) throws Exception {
        long start = System.nanoTime();
        writes.submit(write).get(10, TimeUnit.SECONDS);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aClientWritingOneThingAtATimeIsNeverHeld() throws Exception {
        try (WriteQueue writes = open()) {
            for (int i = 0; i < 5; i++) {
                long took = millisToCommit(writes, insert(i));
                assertTrue(took < LINGER.toMillis() / 2, "write " + i + " of a lone client waited " + took + " ms");
            }
        }
    }

    @Test
    void underConcurrentWritesASmallBatchWaitsForCompany() throws Exception {
        try (WriteQueue writes = open()) {
            burst(writes, 4);
            long before = commits();
            CompletableFuture<Integer> first = writes.submit(insert(100));
            Thread.sleep(LINGER.toMillis() / 4);
            assertFalse(first.isDone(), "the batch waits for company");
            CompletableFuture<Integer> second = writes.submit(insert(101));
            assertEquals(1, first.get(10, TimeUnit.SECONDS));
            assertEquals(1, second.get(10, TimeUnit.SECONDS));
            assertEquals(before + 1, commits(), "both writes took one transaction");
        }
    }

    @Test
    void theOldestWriteWaitsNoLongerThanTheLinger() throws Exception {
        try (WriteQueue writes = open()) {
            burst(writes, 4);
            long took = millisToCommit(writes, insert(100));
            assertTrue(took >= LINGER.toMillis() / 2 && took < LINGER.toMillis() + 300,
                    "a write after concurrent ones lingers, for no longer than the linger: took " + took + " ms");
        }
    }

    @Test
    void aFullBatchCommitsWithoutWaitingOutTheLinger() throws Exception {
        try (WriteQueue writes = open()) {
            burst(writes, 4);
            long start = System.nanoTime();
            CompletableFuture<?>[] batch = new CompletableFuture<?>[CommitLinger.ENOUGH];
            batch[0] = writes.submit(insert(0));
            Thread.sleep(20); // the writer now lingers with one write
            for (int i = 1; i < batch.length; i++) {
                batch[i] = writes.submit(insert(i));
            }
            CompletableFuture.allOf(batch).get(10, TimeUnit.SECONDS);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < LINGER.toMillis() * 3 / 4, "enough writes to share a commit go at once, took " + took + " ms");
        }
    }

    @Test
    void aBatchStopsWaitingWhenWritesStopComingAtTheirUsualPace() throws Exception {
        try (WriteQueue writes = open()) {
            burst(writes, 200); // writes microseconds apart: the usual gap becomes tiny
            long took = millisToCommit(writes, insert(-1));
            assertTrue(took < LINGER.toMillis() / 2,
                    "when no write follows within a few usual gaps the batch commits, took " + took + " ms");
        }
    }
}
