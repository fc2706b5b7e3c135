package dev.parley.server.devices;

import dev.parley.server.gateway.ClientConnection;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections of new devices waiting on a link channel for their {@code link_sealed}: the
 * latest {@code link_open} of a channel holds it (a reconnect re-attaches). Whoever hands the
 * sealed link message to a waiter takes it out first, atomically, so it goes out once even when
 * an approval and a re-attach meet.
 */
public final class LinkWaiters {

    private final Map<ByteBuffer, ClientConnection> waiting = new ConcurrentHashMap<>();

    /** {@code connection} now waits on {@code channel}, instead of any earlier connection. */
    public void attach(byte[] channel, ClientConnection connection) {
        connection.waitOnLink(channel);
        waiting.put(key(channel), connection);
    }

    /** Takes the connection waiting on {@code channel} out; null if none. */
    public ClientConnection take(byte[] channel) {
        return waiting.remove(key(channel));
    }

    /** Takes {@code connection} out if it is the one waiting on {@code channel}; whether it was. */
    public boolean take(byte[] channel, ClientConnection connection) {
        return waiting.remove(key(channel), connection);
    }

    /** A connection closed: it waits no more. */
    public void closed(ClientConnection connection) {
        byte[] channel = connection.linkChannel();
        if (channel != null) {
            waiting.remove(key(channel), connection);
        }
    }

    private static ByteBuffer key(byte[] channel) {
        return ByteBuffer.wrap(channel.clone());
    }
}
