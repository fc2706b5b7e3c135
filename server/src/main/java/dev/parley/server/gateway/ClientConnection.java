package dev.parley.server.gateway;

import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.limits.FrameRates;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireFrame;
import io.github.bucket4j.Bucket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.eclipse.jetty.websocket.core.CloseStatus;

/**
 * One WebSocket connection. Jetty delivers a connection's frames one at a time, so the
 * fields written by frame handlers need no lock; {@link #username} is read by other threads
 * (routing, presence) and is volatile. {@link #send} may be called from any thread.
 *
 * <p>The server holds one per open socket, most of them idle, so what each costs is kept small
 * (docs/BENCHMARKS.md, "Idle connections"): counters are fields updated through
 * {@link VarHandle}s, callbacks shared by every connection are passed in once rather than
 * captured per connection, and the refused-frames counter exists only after a first refusal.
 */
public final class ClientConnection {

    /** The socket underneath, as Jetty offers it; every method may be called from any thread. */
    public interface Transport {
        /** Sends a text frame asynchronously; {@code whenLeft} runs once it was written or failed. */
        void sendText(String text, Runnable whenLeft);

        /** Asks for the next incoming frame. */
        void demand();

        /** Closes with a WebSocket close frame. */
        void close(int statusCode, String reason);

        /** Drops the TCP connection without a close handshake (for a peer that does not read). */
        void disconnect();
    }

    /**
     * At most this many of a connection's {@code send_message}s may wait for their commit at
     * once; past that its socket is not read until one commits. So a client sending faster than
     * the database commits is slowed by TCP back-pressure instead of filling the writer's queue
     * (which, unbounded, once let delivery collapse under overload: docs/BENCHMARKS.md).
     */
    public static final int MAX_UNCOMMITTED_SENDS = 256;

    private static final VarHandle UNCOMMITTED_SENDS = FieldHandles.of(MethodHandles.lookup(), "uncommittedSends", int.class);
    private static final VarHandle READING_PAUSED = FieldHandles.of(MethodHandles.lookup(), "readingPaused", boolean.class);

    /** The connection's number on this node; {@link #id} makes the text for logs when asked (no string per connection). */
    private final long serial;
    private final String remoteAddress;
    private final Transport transport;
    private final OutgoingQueue outgoing;
    private final ConnectionLimits limits;
    /** The frame-rate buckets, looked up for each frame (the address's before login, the account's after), never kept. */
    private final FrameRates frameRates;
    /** Null until this socket's first refused frame. */
    private BadFrames badFrames;
    private volatile int uncommittedSends;
    /**
     * True while no next frame is demanded because too many sends wait for their commit
     * ({@link #MAX_UNCOMMITTED_SENDS}) or too many answers wait to be sent ({@link OutgoingQueue}).
     */
    private volatile boolean readingPaused;
    private volatile Runnable roomForRelays = () -> { };
    private byte[] challenge;
    private volatile String username;
    private volatile int device;
    /** False while the account has no device list yet (logged in by the identity, to publish its first list). */
    private volatile boolean listed;
    /** The link channel this (not logged-in) connection waits on, or null. */
    private volatile byte[] linkChannel;
    private volatile boolean directorySubscriber;
    private volatile Object deliveryState;
    /** The UTC day (its start, ms) this connection's device was recorded as seen on; 0 until then. */
    private volatile long seenDay;

    /**
     * @param frameRates   the frame-rate buckets of client addresses (used until login) and of accounts (after it),
     *                     one for all connections
     * @param totalQueued  every connection's queued outgoing characters (a metric)
     * @param onSlowReader told, before the socket is dropped, that a connection did not read its answers and why
     *                     (one callback for all connections)
     */
    public ClientConnection(long serial, String remoteAddress, Transport transport, ConnectionLimits limits,
                      FrameRates frameRates, LongAdder totalQueued,
                      BiConsumer<ClientConnection, String> onSlowReader) {
        this.serial = serial;
        this.remoteAddress = remoteAddress;
        this.transport = transport;
        this.limits = limits;
        this.frameRates = frameRates;
        this.outgoing = new OutgoingQueue(limits, totalQueued) {
            @Override
            void toSocket(String text, Runnable whenLeft) {
                ClientConnection.this.transport.sendText(text, whenLeft);
            }

            @Override
            void belowBound() {
                outgoingBelowBound();
            }

            @Override
            void disconnect(String why) {
                onSlowReader.accept(ClientConnection.this, why);
                ClientConnection.this.transport.disconnect();
            }
        };
    }

    /** Opaque id for logs and cluster registrations ("c" and the serial), unique on this node. */
    public String id() {
        return "c" + serial;
    }

    /** The client's address: the TCP peer, or the address a trusted proxy forwarded for ({@link ClientAddresses}). */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** Sends a frame of the catalogue, encoded by {@link FrameCatalogue}. */
    public void send(WireFrame frame) {
        outgoing.send(FrameCatalogue.encode(frame));
    }

    /** Sends a frame already encoded by {@link FrameCatalogue}: a broadcast is encoded once for all its receivers. */
    public void sendEncoded(String text) {
        outgoing.send(text);
    }

    public void close() {
        transport.close(CloseStatus.NORMAL, null);
    }

    /** Closes with 1012 (service restart): the client reconnects at once, through the proxy, to another node ({@link Drain}). */
    void closeForRestart() {
        transport.close(CloseStatus.SERVICE_RESTART, Drain.REASON);
    }

    /** Closes with 1008 (policy violation) and {@code reason}. */
    void closeForPolicy(String reason) {
        transport.close(CloseStatus.POLICY_VIOLATION, reason);
    }

    /** Characters of JSON text handed to the socket and not yet written. */
    public long queuedOutgoingChars() {
        return outgoing.queuedChars();
    }

    /**
     * Whether more relays may be queued: false while the outgoing queue is over its bound.
     * {@code whenRoom} (set with {@link #onRoomForRelays}) runs once it is back under.
     */
    public boolean hasRoomForRelays() {
        return outgoing.hasRoom();
    }

    /** What to run when the outgoing queue drops back under its bound (the mailbox's pump). */
    public void onRoomForRelays(Runnable whenRoom) {
        this.roomForRelays = whenRoom;
    }

    /** A send from this connection now waits for its commit; pair with {@link #sendSettled}. */
    public void sendPending() {
        UNCOMMITTED_SENDS.getAndAdd(this, 1);
    }

    /** A send from this connection was committed (or failed): reading resumes if it paused for it. */
    public void sendSettled() {
        UNCOMMITTED_SENDS.getAndAdd(this, -1);
        resumeReadingIfPaused();
    }

    private void outgoingBelowBound() {
        resumeReadingIfPaused();
        roomForRelays.run();
    }

    private boolean mayRead() {
        return uncommittedSends < MAX_UNCOMMITTED_SENDS && outgoing.hasRoom();
    }

    private void resumeReadingIfPaused() {
        if (readingPaused && mayRead() && READING_PAUSED.compareAndSet(this, true, false)) {
            transport.demand();
        }
    }

    /**
     * Called once the current frame is handled: asks for the next one, unless too many sends
     * wait for their commit or too many answers wait to leave; then whichever of those settles
     * first asks instead. Exactly one of the two wins the {@link #readingPaused} flag, so the
     * next frame is demanded exactly once.
     */
    void frameHandled() {
        if (mayRead()) {
            transport.demand();
            return;
        }
        readingPaused = true;
        if (mayRead() && READING_PAUSED.compareAndSet(this, true, false)) {
            transport.demand();
        }
    }

    /** Takes one token of the frame rate (the address's before login, the account's after). */
    boolean tryConsumeFrame() {
        return frameRate().tryConsume(1);
    }

    /** Gives back the token of a frame that turned out to be an ack of a relayed message. */
    void refundFrame() {
        frameRate().addTokens(1);
    }

    /**
     * Looked up for each frame rather than kept: an idle socket then holds no bucket, and every
     * socket of an address or account draws from the one bucket the limiter has for it now (a
     * bucket kept by a socket could outlive the limiter's, which forgets full ones).
     */
    private Bucket frameRate() {
        String user = username;
        return user != null ? frameRates.forAccount(user) : frameRates.forAddress(remoteAddress);
    }

    /** Counts a refused frame; true once the socket has sent too many and must be closed. */
    boolean strike() {
        if (badFrames == null) {
            badFrames = new BadFrames(limits.badFramesPerMinute());
        }
        return badFrames.strike();
    }

    /** The relays awaiting an ack on this connection; null before login. */
    AwaitingAcks awaitingAcks() {
        return deliveryState instanceof AwaitingAcks acks ? acks : null;
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

    /** The logged-in device's id, or 0 before login. */
    public int device() {
        return device;
    }

    /**
     * Whether the logged-in device is in its account's signed list. A device of an account from
     * before devices logs in unlisted, and may only publish its account's first list
     * ({@link Route#unlistedAllowed}).
     */
    public boolean isListed() {
        return listed;
    }

    /**
     * Logs in as device {@code deviceId} of {@code user}: from now on frames count against the
     * account's rate, not the address's. {@code inList}: see {@link #isListed}.
     */
    public void authenticate(String user, int deviceId, boolean inList) {
        this.device = deviceId;
        this.listed = inList;
        this.username = user;
    }

    /** The account's first list now names this device. */
    public void listed() {
        this.listed = true;
    }

    /** The link channel this connection waits on for its {@code link_sealed}, or null. */
    public byte[] linkChannel() {
        return linkChannel;
    }

    public void waitOnLink(byte[] channel) {
        this.linkChannel = channel;
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

    public long seenDay() {
        return seenDay;
    }

    public void setSeenDay(long day) {
        this.seenDay = day;
    }

    @Override
    public String toString() {
        return "ClientConnection[" + id() + (username == null ? "" : ", " + username + "/" + device) + "]";
    }
}
