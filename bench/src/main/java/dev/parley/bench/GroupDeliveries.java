package dev.parley.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.AtomicHistogram;

/**
 * Which member devices have which message, and when the last of them got it. A message is
 * expected before its first frame is sent, with the number of device copies it makes; each
 * relayed copy counts down, and when none is left the time from when the message was due to
 * be sent to that last copy goes into the histogram (if the message was due inside the
 * measured window). Copies that arrive inside the window are counted as deliveries.
 */
final class GroupDeliveries {

    private record Pending(long dueNanos, boolean measured, AtomicInteger remaining) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicHistogram untilAll = new AtomicHistogram(TimeUnit.MINUTES.toNanos(5), 3);
    private final LongAdder copiesInWindow = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MIN_VALUE;
    private volatile long lastCompletion;

    /** From now on, copies arriving in [start, end) count, and messages due in it are measured. */
    void window(long startNanos, long endNanos) {
        windowStart = startNanos;
        windowEnd = endNanos;
    }

    /** Registers a message about to be sent. */
    void expect(String id, int copies, long dueNanos) {
        boolean measured = dueNanos >= windowStart && dueNanos < windowEnd;
        if (pending.putIfAbsent(id, new Pending(dueNanos, measured, new AtomicInteger(copies))) != null) {
            throw new IllegalStateException("message id used twice: " + id);
        }
    }

    /** One device's copy of {@code id} arrived. */
    void copy(String id) {
        long now = System.nanoTime();
        Pending message = pending.get(id);
        if (message == null) {
            unexpected.increment();
            return;
        }
        if (now >= windowStart && now < windowEnd) {
            copiesInWindow.increment();
        }
        int left = message.remaining().decrementAndGet();
        if (left == 0) {
            pending.remove(id);
            completed.increment();
            lastCompletion = now;
            if (message.measured()) {
                untilAll.recordValue(Math.min(now - message.dueNanos(), untilAll.getHighestTrackableValue()));
            }
        } else if (left < 0) {
            unexpected.increment();
        }
    }

    /** Waits until every expected copy arrived or {@code timeoutNanos} passed; returns the copies still missing. */
    long awaitAll(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return missing();
    }

    long missing() {
        long missing = 0;
        for (Pending message : pending.values()) {
            missing += Math.max(0, message.remaining().get());
        }
        return missing;
    }

    /** Time from due to the last device's copy, of the messages due in the window (ns). */
    AtomicHistogram untilAll() {
        return untilAll;
    }

    long copiesInWindow() {
        return copiesInWindow.sum();
    }

    long completed() {
        return completed.sum();
    }

    /** When the most recent message reached its last device (System.nanoTime). */
    long lastCompletion() {
        return lastCompletion;
    }

    /** Copies of messages never expected, or more copies than expected: errors. */
    long unexpected() {
        return unexpected.sum();
    }

    /**
     * Forgets the measured figures and the messages still pending (already reported missing by
     * {@link #awaitAll}; a copy of one arriving later counts as unexpected), for the next phase.
     */
    void reset() {
        pending.clear();
        untilAll.reset();
        copiesInWindow.reset();
        completed.reset();
        windowStart = Long.MAX_VALUE;
        windowEnd = Long.MIN_VALUE;
    }
}
