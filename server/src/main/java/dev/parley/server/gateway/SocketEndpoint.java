package dev.parley.server.gateway;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.messages.ByteBufferMessageSink;
import org.eclipse.jetty.websocket.core.messages.MessageSink;
import org.eclipse.jetty.websocket.core.messages.StringMessageSink;

/**
 * One client's WebSocket, as Jetty's WebSocket core sees it: turns its frames and events into
 * the {@link Gateway}'s, and asks for the next frame only when the connection may take one
 * ({@link ClientConnection#frameHandled}): that is how a client that sends faster than its
 * messages are committed, or reads slower than it is answered, is slowed down by TCP instead of
 * growing the server's queues. Jetty's message sinks assemble a message from its fragments
 * (and enforce the text and binary message limits, closing with 1009 beyond them); pings are
 * answered here, and a ping, a pong or a fragment demands the next frame by itself.
 *
 * <p>It holds the address slot taken at the upgrade and gives it back exactly once, whether
 * the socket closes or fails, or the upgrade fails before the socket opens. A socket never runs
 * without its slot: one that Jetty opens after its upgrade was reported failed is disconnected
 * at once. An error ends the connection as a close does, at once and only once: for a socket
 * that failed just as it opened (its client gone before its challenge was written) Jetty
 * reports the error but may not report a close for minutes, past the idle timeout, and until
 * then the server would count it open.
 *
 * <p>Jetty's core API rather than its WebSocket API: the latter keeps a copy of the upgrade
 * request for the socket's life whose header fields hold on to the HTTP connection, parser and
 * channel of the upgrade (docs/BENCHMARKS.md, "Idle connections"); nothing here refers to the
 * upgrade request once the socket is open.
 */
final class SocketEndpoint implements FrameHandler {

    private static final VarHandle SLOT_RELEASED = FieldHandles.of(MethodHandles.lookup(), "slotReleased", boolean.class);
    private static final VarHandle ENDED = FieldHandles.of(MethodHandles.lookup(), "ended", boolean.class);

    private final Gateway gateway;
    private final String remoteAddress;
    private volatile boolean slotReleased;
    private volatile boolean ended;
    private volatile CoreSession session;
    private volatile ClientConnection connection;
    /** Jetty calls a handler's frame methods one at a time; these are touched only there. */
    private MessageSink textSink;
    /** Made at the socket's first binary frame (clients send none; each is refused). */
    private MessageSink binarySink;
    private MessageSink activeSink;

    SocketEndpoint(Gateway gateway, String remoteAddress) {
        this.gateway = gateway;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        if (slotReleased) {
            coreSession.abort();
            callback.succeeded();
            return;
        }
        textSink = new StringMessageSink(coreSession, args -> {
            gateway.receive(connection, (String) args[0]);
            return null;
        }, false);
        connection = gateway.opened(coreSession, remoteAddress);
        if (slotReleased) { // failed while opening (the challenge could not be written)
            end();
            coreSession.abort();
            callback.succeeded();
            return;
        }
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.TEXT -> accept(textSink, frame, callback);
            case OpCode.BINARY -> accept(binarySink(), frame, callback);
            case OpCode.CONTINUATION -> accept(activeSink, frame, callback);
            case OpCode.PING -> pong(frame, callback);
            case OpCode.PONG -> {
                callback.succeeded();
                session.demand();
            }
            case OpCode.CLOSE -> { // Jetty answers the close and then reports onClosed
                end();
                callback.succeeded();
            }
            default -> callback.failed(new IllegalStateException("unexpected WebSocket opcode " + frame.getOpCode()));
        }
    }

    private MessageSink binarySink() {
        if (binarySink == null) {
            binarySink = new ByteBufferMessageSink(session, args -> {
                try {
                    gateway.rejectBinary(connection);
                } finally {
                    connection.frameHandled();
                }
                return null;
            }, false);
        }
        return binarySink;
    }

    /** Hands a data frame to the sink of its message; the sink demands the next fragment itself. */
    private void accept(MessageSink sink, Frame frame, Callback callback) {
        if (sink == null) { // a continuation with no message under way: Jetty's parser already refuses it
            callback.succeeded();
            session.demand();
            return;
        }
        activeSink = frame.isFin() ? null : sink;
        sink.accept(frame, callback);
    }

    private void pong(Frame ping, Callback callback) {
        ByteBuffer payload = ping.hasPayload() ? BufferUtil.copy(ping.getPayload()) : BufferUtil.EMPTY_BUFFER;
        Runnable next = () -> {
            callback.succeeded();
            session.demand();
        };
        // A failed pong (the output already closed) still lets the close or error come through.
        session.sendFrame(new Frame(OpCode.PONG).setPayload(payload), Callback.from(next, failure -> next.run()), false);
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        gateway.failed(connection, cause);
        end();
        CoreSession failed = session;
        if (failed != null) {
            failed.abort();
        }
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        end();
        callback.succeeded();
    }

    /** The socket is gone: its slot is given back and the server forgets its connection, once. */
    private void end() {
        releaseSlot();
        ClientConnection ending = connection;
        if (ending != null && ENDED.compareAndSet(this, false, true)) {
            gateway.closed(ending);
        }
    }

    /** The upgrade failed (the 101 was not written): Jetty will not open this endpoint. */
    void upgradeFailed() {
        releaseSlot();
    }

    private void releaseSlot() {
        if (SLOT_RELEASED.compareAndSet(this, false, true)) {
            gateway.released(remoteAddress);
        }
    }
}
