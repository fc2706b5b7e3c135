package dev.parley.server.storage;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>A write that throws fails alone; the others in the batch still commit. If the commit
 * itself fails (a full disk), the whole batch fails and the writer carries on with a fresh
 * connection: no failure stops it. Savepoints cost
 * two extra statements per write, so a batch first runs without them; only if a write throws
 * is the transaction rolled back and the batch run again with one savepoint per write. Writes
 * must therefore be functions of the database alone (no side effects of their own): they may
 * run twice, and only the committed run's results are reported. Each transaction takes the
 * write lock before its first write runs ({@link WriterTransaction}), so a write may read
 * before it writes without meeting {@code SQLITE_BUSY}.
 *
 * <p>Writes run on the writer thread and must not block on anything but the database.
 * Futures are completed in commit order ({@link CommitCompletions}), on the writer or on one
 * completer thread. Continuations run on either thread, one after another: they must be quick
 * and must never wait for another write. While writes arrive close together a small batch is
 * held open for up to the commit linger so that more share its fsync ({@link CommitLinger}).
 *
 * <p>On PostgreSQL several nodes' writers share the database: each write declares the
 * {@link LockKeys} of what it changes, and a batch takes all of them before its first write
 * ({@link WriterTransaction#begin}). A {@link BatchListener} keeps what the stores hold beside the
 * database (the queue counts) in step with the batches.
 */
public final class WriteQueue implements AutoCloseable {

    /** Upper bound on writes per transaction: bounds commit latency under a burst. */
    static final int MAX_BATCH = 1024;
    /** How long a deferred write may wait for a batch to join before it is committed on its own. */
    static final Duration DEFERRED_DELAY = Duration.ofMillis(50);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

    /** One unit of work inside the shared transaction. */
    @FunctionalInterface
    public interface Write<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Told of every failed write or batch ({@link DiskGuard} watches for a full disk this way). */
    @FunctionalInterface
    public interface Health {
        Health NONE = cause -> cause;

        /** A write or batch failed; returns the failure its writes complete with. */
        Throwable failed(Exception cause);
    }

    /** A write waiting for the writer; {@code submitted} is its {@link System#nanoTime} at submission. */
    private record Pending<T>(LockKeys keys, Write<T> write, CompletableFuture<T> future, long submitted) {
    }

    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    /** Writes submitted with {@link #submitDeferred}: each batch takes all of them before the others. */
    private final Queue<Pending<?>> deferredQueue = new ConcurrentLinkedQueue<>();
    /** {@link System#nanoTime} (made odd, so never 0) when the oldest deferred write waiting was submitted; 0 if none. */
    private final AtomicLong deferredSince = new AtomicLong();
    /** Writes cut off the end of a batch that had too many lock keys: they lead the next batch. */
    private final List<Pending<?>> carried = new ArrayList<>();
    private static final Write<Void> NOTHING = connection -> null;
    private final DataSource dataSource;
    private final Engine engine;
    private final Health health;
    private final Thread thread;
    private final CommitCompletions completions = new CommitCompletions();
    private final CommitLinger linger;
    private final DistributionSummary batchSizes;
    private final Timer commitTimer;
    private final long deferredDelayNanos;
    private volatile boolean running = true;
    /** Told of rollbacks and batch ends (see {@link #listen}). */
    private volatile BatchListener listener = BatchListener.NONE;

    public WriteQueue(DataSource dataSource, MeterRegistry metrics, Health health) {
        this(dataSource, Engine.SQLITE, metrics, DEFERRED_DELAY, Duration.ZERO, health);
    }

    /** @param commitLinger how long a small batch may wait for more writes (see {@link CommitLinger}) */
    public WriteQueue(DataSource dataSource, Engine engine, MeterRegistry metrics, Duration commitLinger, Health health) {
        this(dataSource, engine, metrics, DEFERRED_DELAY, commitLinger, health);
    }

    WriteQueue(DataSource dataSource, MeterRegistry metrics, Duration deferredDelay, Duration commitLinger) {
        this(dataSource, Engine.SQLITE, metrics, deferredDelay, commitLinger, Health.NONE);
    }

    WriteQueue(DataSource dataSource, Engine engine, MeterRegistry metrics, Duration deferredDelay, Duration commitLinger,
               Health health) {
        this.dataSource = dataSource;
        this.linger = new CommitLinger(commitLinger);
        this.engine = engine;
        this.health = health;
        this.deferredDelayNanos = deferredDelay.toNanos();
        this.batchSizes = DistributionSummary.builder("parley_db_write_batch_size")
                .description("Writes committed per transaction (group commit)").register(metrics);
        this.commitTimer = Timer.builder("parley_db_commit").description("Transaction commit time").register(metrics);
        this.thread = Thread.ofPlatform().name("parley-db-writer").daemon(false).unstarted(this::run);
        this.thread.start();
    }

    /** Registers what keeps state beside the database (one listener; see {@link BatchListener}). */
    public void listen(BatchListener listener) {
        this.listener = listener;
    }

    /** The engine this writer writes to. */
    public Engine engine() {
        return engine;
    }

    /** A write that changes nothing other writers of a shared database change (or runs on SQLite only). */
    public <T> CompletableFuture<T> submit(Write<T> write) {
        return enqueue(queue, LockKeys.NONE, write);
    }

    /** A write that changes only what {@code keys} cover (see {@link LockKeys}). */
    public <T> CompletableFuture<T> submit(LockKeys keys, Write<T> write) {
        return enqueue(queue, keys, write);
    }

    /**
     * Like {@link #submit}, but the write does not ask for a commit of its own: it joins the
     * next batch that commits anyway (taken ahead of the writes waiting in the queue), and at
     * the latest {@link #DEFERRED_DELAY} after it was submitted. Only for writes that
     * nobody waits for and whose order relative to queued writes does not matter. A
     * recipient's ack is one: it erases a message that is already committed, and if a crash
     * loses the erasure the message is delivered again and the client drops it by its id.
     * At moderate load each ack used to commit alone, one transaction per message on top of
     * the message's own (bin/parley-bench relay, docs/BENCHMARKS.md).
     */
    public <T> CompletableFuture<T> submitDeferred(LockKeys keys, Write<T> write) {
        return deferred(keys, write);
    }

    /** {@link #submitDeferred(LockKeys, Write)} of a write that declares nothing (tests on SQLite). */
    <T> CompletableFuture<T> submitDeferred(Write<T> write) {
        return deferred(LockKeys.NONE, write);
    }

    private <T> CompletableFuture<T> deferred(LockKeys keys, Write<T> write) {
        CompletableFuture<T> future = enqueue(deferredQueue, keys, write);
        deferredSince.compareAndSet(0, System.nanoTime() | 1);
        return future;
    }

    private <T> CompletableFuture<T> enqueue(Queue<Pending<?>> target, LockKeys keys, Write<T> write) {
        var future = new CompletableFuture<T>();
        if (!running) {
            future.completeExceptionally(new IllegalStateException("storage is shutting down"));
            return future;
        }
        target.add(new Pending<>(keys, write, future, System.nanoTime()));
        return future;
    }

    /** Completes once every write submitted before it, deferred ones included, is committed. */
    public CompletableFuture<Void> flush() {
        return submit(NOTHING);
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        WriterTransaction transaction = null;
        try {
            while (running || !queue.isEmpty() || !deferredQueue.isEmpty() || !carried.isEmpty()) {
                Pending<?> next = carried.isEmpty() ? queue.poll(untilDeferredDue(), TimeUnit.NANOSECONDS) : null;
                batch.addAll(carried);
                carried.clear();
                if (next != null || deferredDue() || (!running && !deferredQueue.isEmpty())) {
                    takeDeferred(batch);
                }
                int firstAsking = batch.size();
                if (next != null) {
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    continue;
                }
                queue.drainTo(batch, MAX_BATCH - batch.size());
                if (next != null) {
                    linger.collect(queue, batch, firstAsking, Pending::submitted);
                }
                if (engine.shared()) {
                    carryOverKeyBudget(batch);
                }
                try {
                    if (transaction == null) {
                        transaction = new WriterTransaction(dataSource.getConnection(), engine);
                    }
                    runBatch(transaction, batch);
                } catch (SQLException | RuntimeException e) {
                    transaction = batchFailed(transaction, batch, e);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(transaction);
        }
    }

    /**
     * A batch failed outside its writes: its begin, its commit, or the rollback after SQLite had
     * already rolled the transaction back itself (as it does when the disk is full). Nothing of
     * the batch was committed: its writes fail (none was reported done), the connection is
     * dropped and the next batch opens a fresh one, so the writer outlives any failure. Returns
     * the transaction to use next (none).
     */
    private WriterTransaction batchFailed(WriterTransaction transaction, List<Pending<?>> batch, Exception e) {
        linger.batchDone();
        listener.rolledBack();
        listener.ended();
        Throwable cause = health.failed(e);
        if (cause instanceof StorageFullException) {
            // DiskGuard has logged the full disk once; acks keep coming while it lasts.
            log.debug("database write batch of {} failed on a full disk, nothing of it was committed", batch.size());
        } else if (cause instanceof StorageUnavailableException) {
            log.warn("database write batch of {} failed, the database is unreachable; nothing of it was committed: {}",
                    batch.size(), e.toString());
        } else {
            log.error("database write batch of {} failed, nothing of it was committed: {}", batch.size(), e.toString());
        }
        List<Pending<?>> failed = List.copyOf(batch);
        completions.inOrder(failed.size(), () -> failAll(failed, cause));
        closeQuietly(transaction);
        return null;
    }

    /** Rolls back whatever may be open (SQLite may have done so already) and returns the connection to the pool. */
    private static void closeQuietly(WriterTransaction transaction) {
        if (transaction == null) {
            return;
        }
        try {
            transaction.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // nothing was open, or SQLite rolled back already
        }
        try {
            transaction.connection().close();
        } catch (SQLException | RuntimeException ignored) {
            // the pool discards it
        }
    }

    /** How long the writer may wait for a write before the oldest deferred one is due. */
    private long untilDeferredDue() {
        long since = deferredSince.get();
        return since == 0 ? IDLE_POLL_NANOS : Math.max(0, since + deferredDelayNanos - System.nanoTime());
    }

    private boolean deferredDue() {
        long since = deferredSince.get();
        return since != 0 && System.nanoTime() - since >= deferredDelayNanos;
    }

    /** Moves deferred writes into the batch (leaving room for one more), oldest first. */
    private void takeDeferred(List<Pending<?>> batch) {
        deferredSince.set(0);
        Pending<?> deferred;
        while (batch.size() < MAX_BATCH - 1 && (deferred = deferredQueue.poll()) != null) {
            batch.add(deferred);
        }
        if (!deferredQueue.isEmpty()) {
            deferredSince.compareAndSet(0, System.nanoTime() | 1);
        }
    }

    private void runBatch(WriterTransaction transaction, List<Pending<?>> batch) throws SQLException {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        long[] keys = NO_KEYS;
        LockKeys.Counted counted = NOTHING_COUNTED;
        if (engine.shared()) { // SQLite has one writer: nothing to lock, and its counts are kept in memory
            List<LockKeys> declared = batch.stream().map(Pending::keys).toList();
            keys = LockKeys.ascending(declared);
            counted = LockKeys.counted(declared);
        }
        transaction.begin(keys);
        listener.beforeWrites(transaction.connection(), counted);
        if (!runWithoutSavepoints(transaction.connection(), batch, results)) {
            listener.rolledBack();
            transaction.rollback();
            transaction.begin(keys);
            listener.beforeWrites(transaction.connection(), counted);
            runWithSavepoints(transaction, batch, results, failures);
        }
        listener.beforeCommit(transaction.connection());
        long start = System.nanoTime();
        transaction.commit();
        linger.batchDone(); // before any completion: a write its caller sends after hearing "done" came after this batch
        listener.ended();
        commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        batchSizes.record(batch.size());
        List<Pending<?>> committed = List.copyOf(batch);
        completions.inOrder(committed.size(), () -> {
            for (int i = 0; i < committed.size(); i++) {
                complete(committed.get(i), results[i], failures[i]);
            }
        });
    }

    private static final long[] NO_KEYS = new long[0];
    private static final LockKeys.Counted NOTHING_COUNTED = new LockKeys.Counted(Set.of(), Set.of());

    /** Moves the writes past {@link LockKeys#PER_BATCH} keys to the next batch, keeping their order. */
    private void carryOverKeyBudget(List<Pending<?>> batch) {
        int fitting = LockKeys.fitting(batch.stream().map(Pending::keys).toList());
        if (fitting < batch.size()) {
            List<Pending<?>> tail = batch.subList(fitting, batch.size());
            carried.addAll(tail);
            tail.clear();
        }
    }

    /** Runs every write; false as soon as one throws (the transaction must then be rolled back). */
    private static boolean runWithoutSavepoints(Connection connection, List<Pending<?>> batch, Object[] results) {
        for (int i = 0; i < batch.size(); i++) {
            try {
                results[i] = batch.get(i).write().apply(connection);
            } catch (SQLException | RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /** Runs every write in its own savepoint, so that one that throws is undone alone. */
    private void runWithSavepoints(WriterTransaction transaction, List<Pending<?>> batch, Object[] results,
                                   Throwable[] failures) throws SQLException {
        for (int i = 0; i < batch.size(); i++) {
            transaction.savepoint();
            try {
                results[i] = batch.get(i).write().apply(transaction.connection());
                transaction.releaseSavepoint();
            } catch (SQLException | RuntimeException e) {
                listener.rolledBack();
                transaction.rollbackToSavepoint();
                results[i] = null;
                failures[i] = e instanceof SQLException ? health.failed(e) : e;
            }
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
        // Wake the writer: it may be waiting for the oldest deferred write to fall due.
        queue.add(new Pending<>(LockKeys.NONE, NOTHING, new CompletableFuture<>(), System.nanoTime()));
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            completions.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
