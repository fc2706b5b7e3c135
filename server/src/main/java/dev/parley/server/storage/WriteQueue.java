package dev.parley.server.storage;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer with group commit. Every write to the database is a {@link Write} handed
 * to this queue; one thread takes all writes waiting (up to {@link #MAX_BATCH}), runs them in
 * one transaction, each inside its own savepoint, commits once, and only then completes their
 * futures. So durability costs one fsync per batch instead of one per message, and a caller
 * never hears "done" for a write that is not on disk.
 *
 * <p>A write that throws is rolled back to its savepoint and fails alone; the others in the
 * batch still commit. Writes run on the writer thread and must not block on anything but the
 * database. Futures are completed on the writer thread: continuations must be quick or async.
 */
public final class WriteQueue implements AutoCloseable {

    /** Upper bound on writes per transaction: bounds commit latency under a burst. */
    static final int MAX_BATCH = 1024;

    private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

    /** One unit of work inside the shared transaction. */
    @FunctionalInterface
    public interface Write<T> {
        T apply(Connection connection) throws SQLException;
    }

    private record Pending<T>(Write<T> write, CompletableFuture<T> future) {
    }

    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final DataSource dataSource;
    private final Thread thread;
    private final DistributionSummary batchSizes;
    private final Timer commitTimer;
    private volatile boolean running = true;

    public WriteQueue(DataSource dataSource, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.batchSizes = DistributionSummary.builder("parley_db_write_batch_size")
                .description("Writes committed per transaction (group commit)").register(metrics);
        this.commitTimer = Timer.builder("parley_db_commit").description("Transaction commit time").register(metrics);
        this.thread = Thread.ofPlatform().name("parley-db-writer").daemon(false).unstarted(this::run);
        this.thread.start();
    }

    public <T> CompletableFuture<T> submit(Write<T> write) {
        var future = new CompletableFuture<T>();
        if (!running) {
            future.completeExceptionally(new IllegalStateException("storage is shutting down"));
            return future;
        }
        queue.add(new Pending<>(write, future));
        return future;
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            while (running || !queue.isEmpty()) {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                runBatch(connection, batch);
                batch.clear();
            }
        } catch (SQLException e) {
            log.error("database writer stopped: {}", e.toString());
            failAll(batch, e);
            failAll(new ArrayList<>(queue), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runBatch(Connection connection, List<Pending<?>> batch) throws SQLException {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                results[i] = batch.get(i).write().apply(connection);
                connection.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException e) {
                connection.rollback(savepoint);
                failures[i] = e;
            }
        }
        long start = System.nanoTime();
        try {
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            failAll(batch, e);
            return;
        }
        commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        batchSizes.record(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], failures[i]);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> pending, Object result, Throwable failure) {
        if (failure != null) {
            pending.future().completeExceptionally(failure);
        } else {
            pending.future().complete((T) result);
        }
    }

    private static void failAll(List<Pending<?>> batch, Throwable cause) {
        for (Pending<?> pending : batch) {
            pending.future().completeExceptionally(cause);
        }
    }

    /** Stops taking writes, finishes those already queued, then returns. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
