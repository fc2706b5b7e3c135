package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.DeliveryFrames.Ack;
import dev.parley.wire.frames.DeviceFrames.Devices;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import dev.parley.wire.frames.PreKeyFrames.BundleKeys;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyBundle;
import dev.parley.wire.frames.PreKeyFrames.PreKeyBundleReply;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What {@link Messaging} needs from the server, over the client's current connection: prekey
 * bundles (online only) and acks of relayed messages.
 */
final class ServerTransport implements Messaging.Transport {

    private final Supplier<ServerConnection> connection;
    private final Supplier<ServerAddress> server;
    private final Duration requestTimeout;

    ServerTransport(Supplier<ServerConnection> connection, Supplier<ServerAddress> server, Duration requestTimeout) {
        this.connection = connection;
        this.server = server;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public BundleKeys fetchBundle(String username, int device) throws ClientException {
        ServerConnection current = open("a session with " + username + " needs their prekeys from the server");
        try {
            return current.request(new GetPreKeyBundle(current.nextRequestId(), username, device), PreKeyBundleReply.class,
                    requestTimeout).bundle();
        } catch (ServerError e) {
            if (e.is(ErrorCode.UNKNOWN_USER)) {
                throw new ClientException(Reason.UNKNOWN_USER, "there is no user " + username + " on " + where());
            }
            if (e.is(ErrorCode.NO_PREKEYS)) {
                throw new ClientException(Reason.REFUSED, username + " has not published prekeys yet; try again later");
            }
            if (e.is(ErrorCode.UNKNOWN_DEVICE)) {
                throw new ClientException(Reason.REFUSED, username + " has no device " + device + " on " + where()
                        + " (unlinked); the device list is fetched again");
            }
            throw ServerErrors.refused("prekey bundle of " + username, e);
        }
    }

    @Override
    public Devices fetchDevices(String username) throws ClientException {
        ServerConnection current = open("the devices of " + username + " come from the server");
        try {
            return current.request(new GetDevices(current.nextRequestId(), username), Devices.class, requestTimeout);
        } catch (ServerError e) {
            if (e.is(ErrorCode.UNKNOWN_USER)) {
                throw new ClientException(Reason.UNKNOWN_USER, "there is no user " + username + " on " + where());
            }
            throw ServerErrors.refused("the devices of " + username, e);
        }
    }

    private ServerConnection open(String why) throws ClientException {
        ServerConnection current = connection.get();
        if (current == null || !current.isOpen()) {
            throw new ClientException(Reason.SERVER_UNREACHABLE, "not connected to " + where() + ": " + why);
        }
        return current;
    }

    @Override
    public void ack(String id, String from) {
        ServerConnection current = connection.get();
        if (current == null) {
            return;
        }
        try {
            current.send(new Ack(id, from));
        } catch (ClientException lost) {
            // not acknowledged: the server replays it after the next login, and the received id deduplicates it
        }
    }

    private String where() {
        ServerAddress current = server.get();
        return current == null ? "a server" : current.toString();
    }
}
