package dev.parley.server.storage;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * How long the writer holds a small batch open for more writes before it commits it
 * ({@code --commit-linger}). Every commit costs the same fsync whether it carries one write or
 * fifty, so at moderate load, when writes arrive one at a time, holding the batch open for a
 * millisecond or two lets a few more share it (docs/BENCHMARKS.md, "Commit linger").
 * PostgreSQL's {@code commit_delay} (with {@code commit_siblings}) and MySQL's
 * {@code binlog_group_commit_sync_delay} do the same.
 *
 * <p>A linger pays only when other writers are active; a lone client that waits for each answer
 * before its next write would only be slowed. So the writer lingers only when the load shows
 * concurrency: the last batch got company (two or more writes that asked for a commit), or this
 * batch's oldest write arrived while the writer was still busy with the last batch. A client
 * writing one thing at a time shows neither and is never held.
 *
 * <p>Invariants: the oldest write of a batch never waits more than the linger beyond the moment
 * it was submitted; a batch that holds {@link #ENOUGH} writes is committed at the end of the slice
 * in which it got them (the linger is slept in slices of at most a {@link #SLICES}th, taking what
 * arrived after each, so the writer is not woken by every write); and the writer stops waiting
 * when nothing joined for {@link #GAPS_TO_WAIT} times the usual gap between writes (a moving
 * average), so a closed loop whose writes are all in the batch already does not wait out the
 * linger, and does not wait at all when that, or the usual gap itself, is under
 * {@link #SHORTEST_WAIT_NANOS}. Nothing is acknowledged before its commit: the linger only delays
 * the commit. The writer thread alone calls this class.
 *
 * <p>Known cost: one client with many writes in flight (a bridge, a bot) sends in bursts with
 * company, so the writer lingers for the rest of a burst while that client waits for acks: it
 * lost 4-22 % of its rate in the benchmark. The writer cannot tell it from many clients;
 * {@code --commit-linger PT0S} suits a server whose traffic is mostly such clients.
 */
final class CommitLinger {

    /** A batch this large commits without lingering: its fsync is already shared widely. */
    static final int ENOUGH = 32;
    /** The writer waits for the next write at most this many usual gaps. */
    static final int GAPS_TO_WAIT = 3;
    /**
     * A wait shorter than this is not taken, and while writes come closer together than this
     * (more than 10,000 a second) the writer does not linger at all: sleeping wakes up some
     * 50-100 µs late on Linux, and at such rates batches fill by themselves.
     */
    static final long SHORTEST_WAIT_NANOS = 100_000;
    /** The linger is waited out in at least this many slices, each ending with a look at the queue. */
    static final int SLICES = 4;
    /** The moving average of the gap between writes moves by 1/2^this of each new gap. */
    private static final int GAP_SMOOTHING_SHIFT = 3;

    private final long lingerNanos;
    /** {@link System#nanoTime} at which the newest write seen was submitted. */
    private long lastSubmitted;
    /** Moving average of the gap between consecutive writes' submissions, in nanoseconds. */
    private long usualGapNanos;
    /** Whether the last batch held two or more writes that asked for a commit. */
    private boolean lastBatchHadCompany;
    /** {@link System#nanoTime} when the writer finished the last batch. */
    private long lastBatchDone;

    CommitLinger(Duration linger) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("the commit linger cannot be negative");
        }
        this.lingerNanos = linger.toNanos();
        this.lastSubmitted = System.nanoTime();
        this.lastBatchDone = lastSubmitted;
        this.usualGapNanos = lingerNanos;
    }

    /**
     * Waits for more writes to join {@code batch} (taken from {@code queue}) if the load shows
     * concurrency. The writes from index {@code first} on asked for a commit (those before it are
     * deferred writes, which set no deadline); {@code submittedOf} gives a write's submission time.
     */
    <P> void collect(BlockingQueue<P> queue, List<P> batch, int first, ToLongFunction<P> submittedOf) {
        if (lingerNanos == 0) {
            return; // no linger: nothing to wait for, nothing to keep track of
        }
        long oldest = submittedOf.applyAsLong(batch.get(first));
        boolean concurrent = lastBatchHadCompany || oldest - lastBatchDone < 0;
        observe(batch, first, submittedOf);
        if (concurrent && usualGapNanos >= SHORTEST_WAIT_NANOS) {
            long deadline = oldest + lingerNanos;
            long lastJoined = System.nanoTime();
            while (batch.size() < ENOUGH) {
                long now = System.nanoTime();
                long left = Math.min(deadline - now, lastJoined + GAPS_TO_WAIT * usualGapNanos - now);
                if (left < SHORTEST_WAIT_NANOS) {
                    break;
                }
                // Sleep a slice and take what came, rather than wake for every write that arrives.
                LockSupport.parkNanos(Math.min(left, lingerNanos / SLICES));
                int seen = batch.size();
                if (queue.drainTo(batch, ENOUGH - batch.size()) > 0) {
                    observe(batch, seen, submittedOf);
                    lastJoined = System.nanoTime();
                }
            }
        }
        lastBatchHadCompany = batch.size() - first >= 2;
    }

    /** The writer has finished a batch (committed or failed); called before any of its writes is completed. */
    void batchDone() {
        lastBatchDone = System.nanoTime();
    }

    /** Takes the gaps between the writes of {@code batch} from index {@code from} on into the average. */
    private <P> void observe(List<P> batch, int from, ToLongFunction<P> submittedOf) {
        for (int i = from; i < batch.size(); i++) {
            long submitted = submittedOf.applyAsLong(batch.get(i));
            if (submitted - lastSubmitted > 0) {
                long gap = Math.min(submitted - lastSubmitted, lingerNanos);
                usualGapNanos += (gap - usualGapNanos) >> GAP_SMOOTHING_SHIFT;
                lastSubmitted = submitted;
            }
        }
    }
}
