package dev.parley.server.gateway;

import dev.parley.server.config.ConnectionLimits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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
 *
 * <p>One lives in every connection, idle ones included, so it is kept small: its counters are
 * fields updated through {@link VarHandle}s rather than atomic objects, its bounds are read from
 * the shared {@link ConnectionLimits}, and its owner (the connection) supplies the socket and the
 * two callbacks as methods of a subclass rather than as captured lambdas.
 */
abstract class OutgoingQueue {

    private static final VarHandle FRAMES = FieldHandles.of(MethodHandles.lookup(), "frames", int.class);
    private static final VarHandle CHARS = FieldHandles.of(MethodHandles.lookup(), "chars", long.class);
    private static final VarHandle OVER_BOUND = FieldHandles.of(MethodHandles.lookup(), "overBound", boolean.class);
    private static final VarHandle GRACE_CHECK_PENDING = FieldHandles.of(MethodHandles.lookup(), "graceCheckPending", boolean.class);

    private final ConnectionLimits limits;
    private final LongAdder totalQueuedChars;
    private volatile int frames;
    private volatile long chars;
    private volatile boolean overBound;
    private volatile boolean graceCheckPending;
    private volatile long lastProgressNanos;
    private volatile boolean disconnected;

    OutgoingQueue(ConnectionLimits limits, LongAdder totalQueuedChars) {
        this.limits = limits;
        this.totalQueuedChars = totalQueuedChars;
    }

    /** Hands a frame to the socket; {@code whenLeft} runs once it has been written or has failed. */
    abstract void toSocket(String text, Runnable whenLeft);

    /** The queue is back under its soft bound (runs once per crossing). */
    abstract void belowBound();

    /** The socket must be dropped, for the reason given (runs at most once). */
    abstract void disconnect(String why);

    /** Queues a frame, or disconnects the socket if it would pass the hard cap. */
    void send(String text) {
        if (disconnected) {
            return;
        }
        int size = text.length();
        long queuedChars = (long) CHARS.getAndAdd(this, (long) size) + size;
        int queuedFrames = (int) FRAMES.getAndAdd(this, 1) + 1;
        if (queuedFrames > 1 && (queuedChars > limits.outgoingBytes() * ConnectionLimits.HARD_CAP_FACTOR
                || queuedFrames > limits.outgoingFrames() * ConnectionLimits.HARD_CAP_FACTOR)) {
            CHARS.getAndAdd(this, (long) -size);
            FRAMES.getAndAdd(this, -1);
            disconnectOnce("its outgoing queue passed the hard cap");
            return;
        }
        totalQueuedChars.add(size);
        if (isOver(queuedChars, queuedFrames) && OVER_BOUND.compareAndSet(this, false, true)) {
            lastProgressNanos = System.nanoTime();
            scheduleGraceCheck();
            recheck();
        }
        toSocket(text, () -> left(size));
    }

    /** Whether the queue is under its soft bound: the connection may be read and relayed to. */
    boolean hasRoom() {
        return !overBound;
    }

    long queuedChars() {
        return chars;
    }

    private void left(int size) {
        CHARS.getAndAdd(this, (long) -size);
        FRAMES.getAndAdd(this, -1);
        totalQueuedChars.add(-size);
        if (overBound) {
            lastProgressNanos = System.nanoTime();
            recheck();
        }
    }

    private void recheck() {
        if (!isOver(chars, frames) && OVER_BOUND.compareAndSet(this, true, false)) {
            belowBound();
        }
    }

    private boolean isOver(long queuedChars, int queuedFrames) {
        return queuedChars > limits.outgoingBytes() || queuedFrames > limits.outgoingFrames();
    }

    private void scheduleGraceCheck() {
        if (GRACE_CHECK_PENDING.compareAndSet(this, false, true)) {
            CompletableFuture.delayedExecutor(limits.outgoingGrace().toNanos(), TimeUnit.NANOSECONDS).execute(this::checkGrace);
        }
    }

    /** Disconnects if the queue is still over its bound and nothing has left for the grace period. */
    private void checkGrace() {
        graceCheckPending = false;
        if (disconnected || !overBound) {
            return;
        }
        long graceNanos = limits.outgoingGrace().toNanos();
        long idle = System.nanoTime() - lastProgressNanos;
        if (idle >= graceNanos) {
            disconnectOnce("it did not read its answers for the grace period");
        } else if (GRACE_CHECK_PENDING.compareAndSet(this, false, true)) {
            CompletableFuture.delayedExecutor(graceNanos - idle, TimeUnit.NANOSECONDS).execute(this::checkGrace);
        }
    }

    private void disconnectOnce(String why) {
        if (!disconnected) {
            disconnected = true;
            disconnect(why);
        }
    }
}
