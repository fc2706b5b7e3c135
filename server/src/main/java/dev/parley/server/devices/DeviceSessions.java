package dev.parley.server.devices;

import dev.parley.server.cluster.Cluster;
import dev.parley.server.delivery.DeliveryHandlers;
import dev.parley.server.directory.DirectoryHandlers;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.gateway.SessionListener;
import dev.parley.server.storage.DeviceStore;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import java.time.Clock;

/**
 * What a device's login and the end of a connection set going: the replaced connection of the
 * same device closed (other devices stay; on another node, through the {@link Cluster}), the
 * device's queue replayed, its last-seen time and the end of the link channel that linked it,
 * presence when the account's first device comes or its last goes (the cluster decides, over
 * every node), and a waiting link connection forgotten.
 */
public final class DeviceSessions implements SessionListener {

    private final OnlineUsers online;
    private final Cluster cluster;
    private final DeliveryHandlers delivery;
    private final DirectoryHandlers directory;
    private final DeviceStore devices;
    private final LinkWaiters linkWaiters;
    private final Clock clock;

    public DeviceSessions(OnlineUsers online, Cluster cluster, DeliveryHandlers delivery,
                          DirectoryHandlers directory, DeviceStore devices, LinkWaiters linkWaiters,
                          Clock clock) {
        this.online = online;
        this.cluster = cluster;
        this.delivery = delivery;
        this.directory = directory;
        this.devices = devices;
        this.linkWaiters = linkWaiters;
        this.clock = clock;
    }

    @Override
    public void loggedIn(ClientConnection connection) {
        OnlineUsers.Login login = online.loggedIn(connection);
        ClientConnection replaced = login.replaced();
        if (replaced != null && replaced != connection) {
            replaced(replaced);
        }
        // Before the replay: in cluster mode this node hears the device's notifications from now on.
        cluster.arrived(connection, login);
        if (!connection.isListed()) {
            return; // an account from before devices: nothing is relayed until its first list
        }
        // An unlink committed between this login's key check and now found no connection to
        // close: look again, now that this one can be found.
        if (devices.loginKey(connection.username(), connection.device()).isEmpty()) {
            connection.send(ErrorFrame.of(ErrorCode.DEVICE_UNLINKED, "this device was removed from the account", null));
            connection.close();
            return;
        }
        deviceReady(connection);
    }

    @Override
    public void closed(ClientConnection connection, OnlineUsers.Departure departure) {
        linkWaiters.closed(connection);
        directory.closed(connection);
        if (departure != OnlineUsers.Departure.NOT_CURRENT && connection.isListed()) {
            devices.loggedOut(connection.username(), connection.device(), clock.millis());
        }
        cluster.departed(connection, departure);
    }

    /** {@code connection}'s device logged in on a newer connection (here or on another node): told, then closed. */
    public static void replaced(ClientConnection connection) {
        connection.send(ErrorFrame.of(ErrorCode.SESSION_REPLACED, "this device logged in on another connection", null));
        connection.close();
    }

    /** A listed device is logged in (or has just published its account's first list): its queue is replayed. */
    public void deviceReady(ClientConnection connection) {
        delivery.startDelivery(connection);
        devices.loggedIn(connection.username(), connection.device(), clock.millis());
    }
}
