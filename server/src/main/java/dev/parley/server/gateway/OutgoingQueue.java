package dev.parley.server.gateway;

import dev.parley.server.config.ConnectionLimits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The frames handed to Jetty for one socket that have not left yet (Jetty's send callback says
 * when one has). Two bounds, in frames and in characters of JSON text:
 *
 * <ul>
 *   <li>the <b>soft bound</b> ({@link ConnectionLimits#outgoingFrames()},
 *       {@link ConnectionLimits#outgoingBytes()}): while over it the connection is not read
 *       (so a client that does not read cannot make the server answer more) and the mailbox
 *       relays nothing new; when it is back under, {@code belowBound} runs once. A socket that
 *       stays over it while no frame leaves for {@link ConnectionLimits#outgoingGrace()} is
 *       disconnected;</li>
 *   <li>the <b>hard cap</b>, {@link ConnectionLimits#HARD_CAP_FACTOR} times the soft bound:
 *       a frame that would pass it is not queued and the socket is disconnected at once (pushes
 *       caused by other users are not bounded by the reading pause). A frame alone in the queue
 *       never trips it, so one large answer (the user list) always gets its chance.</li>
 * </ul>
 *
 * Disconnecting never touches the durable queue: unacknowledged messages are replayed at the
 * next login. Invariant: {@link #overBound} is true only while the queue is over the soft bound,
 * up to a race that the re-check after every change settles, so reading never stays paused on
 * an empty queue.
 */
final class OutgoingQueue {

    /** Hands a frame to the socket; {@code whenLeft} runs once it has been written or has failed. */
    @FunctionalInterface
    interface Send {
        void send(String text, Runnable whenLeft);
    }

    private final Send socket;
    private final Runnable belowBound;
    private final Consumer<String> disconnect;
    private final LongAdder totalQueuedChars;
    private final int softFrames;
    private final long softChars;
    private final long graceNanos;
    private final AtomicInteger frames = new AtomicInteger();
    private final AtomicLong chars = new AtomicLong();
    private final AtomicBoolean overBound = new AtomicBoolean();
    private final AtomicBoolean graceCheckPending = new AtomicBoolean();
    private volatile long lastProgressNanos;
    private volatile boolean disconnected;

    OutgoingQueue(Send socket, ConnectionLimits limits, LongAdder totalQueuedChars, Runnable belowBound,
                  Consumer<String> disconnect) {
        this.socket = socket;
        this.belowBound = belowBound;
        this.disconnect = disconnect;
        this.totalQueuedChars = totalQueuedChars;
        this.softFrames = limits.outgoingFrames();
        this.softChars = limits.outgoingBytes();
        this.graceNanos = limits.outgoingGrace().toNanos();
    }

    /** Queues a frame, or disconnects the socket if it would pass the hard cap. */
    void send(String text) {
        if (disconnected) {
            return;
        }
        int size = text.length();
        long queuedChars = chars.addAndGet(size);
        int queuedFrames = frames.incrementAndGet();
        if (queuedFrames > 1 && (queuedChars > softChars * ConnectionLimits.HARD_CAP_FACTOR
                || queuedFrames > softFrames * ConnectionLimits.HARD_CAP_FACTOR)) {
            chars.addAndGet(-size);
            frames.decrementAndGet();
            disconnect("its outgoing queue passed the hard cap");
            return;
        }
        totalQueuedChars.add(size);
        if (isOver(queuedChars, queuedFrames) && overBound.compareAndSet(false, true)) {
            lastProgressNanos = System.nanoTime();
            scheduleGraceCheck();
            recheck();
        }
        socket.send(text, () -> left(size));
    }

    /** Whether the queue is under its soft bound: the connection may be read and relayed to. */
    boolean hasRoom() {
        return !overBound.get();
    }

    long queuedChars() {
        return chars.get();
    }

    private void left(int size) {
        chars.addAndGet(-size);
        frames.decrementAndGet();
        totalQueuedChars.add(-size);
        if (overBound.get()) {
            lastProgressNanos = System.nanoTime();
            recheck();
        }
    }

    private void recheck() {
        if (!isOver(chars.get(), frames.get()) && overBound.compareAndSet(true, false)) {
            belowBound.run();
        }
    }

    private boolean isOver(long queuedChars, int queuedFrames) {
        return queuedChars > softChars || queuedFrames > softFrames;
    }

    private void scheduleGraceCheck() {
        if (graceCheckPending.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(graceNanos, TimeUnit.NANOSECONDS).execute(this::checkGrace);
        }
    }

    /** Disconnects if the queue is still over its bound and nothing has left for the grace period. */
    private void checkGrace() {
        graceCheckPending.set(false);
        if (disconnected || !overBound.get()) {
            return;
        }
        long idle = System.nanoTime() - lastProgressNanos;
        if (idle >= graceNanos) {
            disconnect("it did not read its answers for the grace period");
        } else if (graceCheckPending.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(graceNanos - idle, TimeUnit.NANOSECONDS).execute(this::checkGrace);
        }
    }

    private void disconnect(String why) {
        if (!disconnected) {
            disconnected = true;
            disconnect.accept(why);
        }
    }
}
