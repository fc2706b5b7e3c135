package dev.parley.server.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bucket4j.Bucket;

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

    private final String connectionId;
    private final String remoteAddress;
    private final Sink sink;
    private final Runnable closer;
    private final Bucket frameRate;
    private byte[] challenge;
    private volatile String username;
    private volatile boolean directorySubscriber;
    private volatile Object deliveryState;

    public Connection(String connectionId, String remoteAddress, Sink sink, Runnable closer, Bucket frameRate) {
        this.connectionId = connectionId;
        this.remoteAddress = remoteAddress;
        this.sink = sink;
        this.closer = closer;
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
