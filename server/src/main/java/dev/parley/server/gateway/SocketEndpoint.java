package dev.parley.server.gateway;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One client's WebSocket, as Jetty sees it: turns Jetty's events into the {@link Gateway}'s
 * and asks Jetty for the next frame only when the connection may take one
 * ({@link ClientConnection#frameHandled}): that is how a client that sends faster than its messages
 * are committed, or reads slower than it is answered, is slowed down by TCP instead of growing
 * the server's queues. It holds the address slot taken at the upgrade and gives it back exactly
 * once, whether the socket closes or fails, or the upgrade fails before the socket opens. A
 * socket never runs without its slot: one that Jetty opens after its upgrade was reported failed
 * is disconnected at once. An error ends the connection as a close does, at once and only once:
 * for a socket that failed just as it opened (its client gone before its challenge was
 * written) Jetty reports the error but may not report a close for minutes, past the idle
 * timeout, and until then the server would count it open. Public only because Jetty binds its methods by reflection.
 */
public final class SocketEndpoint implements Session.Listener {

    private final Gateway gateway;
    private final String remoteAddress;
    private final AtomicBoolean slotReleased = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Session session;
    private volatile ClientConnection connection;

    SocketEndpoint(Gateway gateway, String remoteAddress) {
        this.gateway = gateway;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        if (slotReleased.get()) {
            session.disconnect();
            return;
        }
        connection = gateway.opened(session, remoteAddress);
        if (slotReleased.get()) { // failed while opening (the challenge could not be written)
            end();
            session.disconnect();
            return;
        }
        session.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        gateway.receive(connection, text);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        try {
            gateway.rejectBinary(connection);
        } finally {
            connection.frameHandled();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        end();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        gateway.failed(connection, cause);
        end();
        Session failed = session;
        if (failed != null) {
            failed.disconnect();
        }
    }

    /** The socket is gone: its slot is given back and the server forgets its connection, once. */
    private void end() {
        releaseSlot();
        ClientConnection ending = connection;
        if (ending != null && ended.compareAndSet(false, true)) {
            gateway.closed(ending);
        }
    }

    /** The upgrade failed (the 101 was not written): Jetty will not open this endpoint. */
    void upgradeFailed() {
        releaseSlot();
    }

    private void releaseSlot() {
        if (slotReleased.compareAndSet(false, true)) {
            gateway.released(remoteAddress);
        }
    }
}
