package dev.parley.server.devices;

import dev.parley.server.cluster.Cluster;
import dev.parley.server.delivery.DeliveryHandlers;
import dev.parley.server.directory.DirectoryHandlers;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.server.gateway.SessionListener;
import dev.parley.server.storage.DeviceStore;
import dev.parley.server.storage.LoginDevice;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;
import java.time.Clock;
import java.util.Optional;

/**
 * What a device's login and the end of a connection set going: the replaced connection of the
 * same device closed (other devices stay; on another node, through the {@link Cluster}), the
 * device's queue replayed, its last-seen day ({@link LastSeen}) and the end of the link channel
 * that linked it,
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
        Optional<LoginDevice> device = devices.loginDevice(connection.username(), connection.device());
        if (device.isEmpty()) {
            connection.send(ErrorFrame.of(ErrorCode.DEVICE_UNLINKED, "this device was removed from the account", null));
            connection.close();
            return;
        }
        deviceReady(connection, device.get().lastSeenDay());
    }

    /** An account from before devices has just published its first list: its device 1 is ready. */
    public void deviceReady(ClientConnection connection) {
        deviceReady(connection, null);
    }

    /** A listed device is logged in: its queue is replayed, and its day recorded unless it already is. */
    private void deviceReady(ClientConnection connection, Long recordedDay) {
        delivery.startDelivery(connection);
        long today = LastSeen.day(clock.millis());
        connection.setSeenDay(today);
        if (recordedDay == null || recordedDay != today) { // its first login (the link channel ends), or the day's
            devices.loggedIn(connection.username(), connection.device(), today);
        }
    }

    @Override
    public void closed(ClientConnection connection, OnlineUsers.Departure departure) {
        linkWaiters.closed(connection);
        directory.closed(connection);
        long today = LastSeen.day(clock.millis());
        if (departure != OnlineUsers.Departure.NOT_CURRENT && connection.isListed() && connection.seenDay() != today) {
            devices.loggedOut(connection.username(), connection.device(), today);
        }
        cluster.departed(connection, departure);
    }

    /** {@code connection}'s device logged in on a newer connection (here or on another node): told, then closed. */
    public static void replaced(ClientConnection connection) {
        connection.send(ErrorFrame.of(ErrorCode.SESSION_REPLACED, "this device logged in on another connection", null));
        connection.close();
    }
}
