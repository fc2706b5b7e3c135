package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.Connection;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore.OutboxEntry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What {@link Messaging} needs from the server, over the client's current connection: prekey
 * bundles (online only), outbox entries (sent if connected, else kept for the next connect)
 * and acks of relayed messages.
 */
final class ServerTransport implements Messaging.Transport {

    private final Supplier<Connection> connection;
    private final Supplier<ServerAddress> server;
    private final Outbox outbox;
    private final Duration requestTimeout;

    ServerTransport(Supplier<Connection> connection, Supplier<ServerAddress> server, Outbox outbox, Duration requestTimeout) {
        this.connection = connection;
        this.server = server;
        this.outbox = outbox;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public JsonNode fetchBundle(String username) throws ClientException {
        Connection current = connection.get();
        if (current == null || !current.isOpen()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "not connected to " + where() + ": a session with "
                    + username + " needs their prekeys from the server");
        }
        try {
            return current.request(Connection.JSON.createObjectNode().put("type", "get_prekey_bundle")
                    .put("username", username), requestTimeout).path("bundle");
        } catch (ServerError e) {
            throw switch (e.code()) {
                case "unknown_user" -> new ClientException(Reason.UNKNOWN_USER, "there is no user " + username + " on " + where());
                case "no_prekeys" -> new ClientException(Reason.REFUSED, username + " has not published prekeys yet; try again later");
                default -> ServerErrors.refused("prekey bundle of " + username, e);
            };
        }
    }

    @Override
    public void transmit(OutboxEntry entry) {
        outbox.transmit(entry);
    }

    @Override
    public void ack(String id, String from) {
        Connection current = connection.get();
        if (current == null) {
            return;
        }
        try {
            current.send(Connection.JSON.createObjectNode().put("type", "ack").put("id", id).put("from", from));
        } catch (ClientException lost) {
            // not acknowledged: the server replays it after the next login, and the received id deduplicates it
        }
    }

    private String where() {
        ServerAddress current = server.get();
        return current == null ? "a server" : current.toString();
    }
}
