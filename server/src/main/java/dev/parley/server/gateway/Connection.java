package dev.parley.server.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bucket4j.Bucket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket connection. Jetty delivers a connection's frames one at a time, so the
 * fields written by frame handlers need no lock; {@link #username} is read by other threads
 * (routing, presence) and is volatile. {@link #send} may be called from any thread.
 */
public final class Connection {

    /** Transport for outgoing text frames; async and thread-safe. */
    @FunctionalInterface
    public interface Sink {
        void sendText(String text);
    }

    /**
     * At most this many of a connection's {@code send_message}s may wait for their commit at
     * once; past that its socket is not read until one commits. So a client sending faster than
     * the database commits is slowed by TCP back-pressure instead of filling the writer's queue
     * (which, unbounded, once let delivery collapse under overload: docs/BENCHMARKS.md).
     */
    public static final int MAX_UNCOMMITTED_SENDS = 256;

    private final String connectionId;
    private final String remoteAddress;
    private final Sink sink;
    private final Runnable closer;
    private final Runnable demandNextFrame;
    private final Bucket frameRate;
    private final AtomicInteger uncommittedSends = new AtomicInteger();
    /** True while no next frame is demanded because of {@link #MAX_UNCOMMITTED_SENDS}. */
    private final AtomicBoolean readingPaused = new AtomicBoolean();
    private byte[] challenge;
    private volatile String username;
    private volatile boolean directorySubscriber;
    private volatile Object deliveryState;

    public Connection(String connectionId, String remoteAddress, Sink sink, Runnable closer, Runnable demandNextFrame,
                      Bucket frameRate) {
        this.connectionId = connectionId;
        this.remoteAddress = remoteAddress;
        this.sink = sink;
        this.closer = closer;
        this.demandNextFrame = demandNextFrame;
        this.frameRate = frameRate;
    }

    /** Opaque id for logs. */
    public String id() {
        return connectionId;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public void send(ObjectNode frame) {
        sink.sendText(Json.write(frame));
    }

    public void sendRaw(String text) {
        sink.sendText(text);
    }

    public void close() {
        closer.run();
    }

    /** A send from this connection now waits for its commit; pair with {@link #sendSettled}. */
    public void sendPending() {
        uncommittedSends.incrementAndGet();
    }

    /** A send from this connection was committed (or failed): reading resumes if it paused for it. */
    public void sendSettled() {
        if (uncommittedSends.decrementAndGet() < MAX_UNCOMMITTED_SENDS && readingPaused.compareAndSet(true, false)) {
            demandNextFrame.run();
        }
    }

    /**
     * Called once the current frame is handled: asks for the next one, unless too many sends
     * wait for their commit; then the first of them to settle asks instead. Exactly one of the
     * two wins the {@link #readingPaused} flag, so the next frame is demanded exactly once.
     */
    void frameHandled() {
        if (uncommittedSends.get() < MAX_UNCOMMITTED_SENDS) {
            demandNextFrame.run();
            return;
        }
        readingPaused.set(true);
        if (uncommittedSends.get() < MAX_UNCOMMITTED_SENDS && readingPaused.compareAndSet(true, false)) {
            demandNextFrame.run();
        }
    }

    boolean tryConsumeFrame() {
        return frameRate.tryConsume(1);
    }

    /** Issues a fresh challenge; any earlier one is void. */
    public void setChallenge(byte[] nonce) {
        this.challenge = nonce;
    }

    /** Returns the current challenge and voids it: each challenge answers one attempt. */
    public byte[] takeChallenge() {
        byte[] nonce = challenge;
        challenge = null;
        return nonce;
    }

    public boolean isAuthenticated() {
        return username != null;
    }

    /** The logged-in username, or null before login. */
    public String username() {
        return username;
    }

    public void authenticate(String user) {
        this.username = user;
    }

    public boolean isDirectorySubscriber() {
        return directorySubscriber;
    }

    public void subscribeToDirectory() {
        this.directorySubscriber = true;
    }

    /** State owned by the delivery package (its per-connection mailbox). */
    public <T> T deliveryState(Class<T> type) {
        return type.cast(deliveryState);
    }

    public void setDeliveryState(Object state) {
        this.deliveryState = state;
    }

    @Override
    public String toString() {
        return "Connection[" + connectionId + (username == null ? "" : ", " + username) + "]";
    }
}
