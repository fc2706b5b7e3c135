package dev.parley.server.cluster;

import dev.parley.server.cluster.ClusterEvent.AccountRegistered;
import dev.parley.server.cluster.ClusterEvent.DevicesChanged;
import dev.parley.server.cluster.ClusterEvent.IdentityReset;
import dev.parley.server.cluster.ClusterEvent.LinkReady;
import dev.parley.server.cluster.ClusterEvent.PresenceChanged;
import dev.parley.server.delivery.DeliveryHandlers;
import dev.parley.server.devices.DeviceNotices;
import dev.parley.server.devices.DeviceSessions;
import dev.parley.server.devices.LinkHandlers;
import dev.parley.server.directory.DirectoryHandlers;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.SessionFrames.ErrorFrame;

/**
 * What a node does with the sockets it holds for each {@link ClusterEvent}, alone or in a
 * cluster: the one place where an event becomes pushes, closes and memory changes.
 */
public final class LocalEffects implements NodeEffects {

    private final String node;
    private final OnlineUsers online;
    private final DeliveryHandlers delivery;
    private final DirectoryHandlers directory;
    private final DeviceNotices notices;
    private final LinkHandlers links;

    public LocalEffects(String node, OnlineUsers online, DeliveryHandlers delivery, DirectoryHandlers directory,
                        DeviceNotices notices, LinkHandlers links) {
        this.node = node;
        this.online = online;
        this.delivery = delivery;
        this.directory = directory;
        this.notices = notices;
        this.links = links;
    }

    /** The id of {@code connection} across the cluster: {@code node/connection}. */
    public static String qualified(String node, ClientConnection connection) {
        return node + "/" + connection.id();
    }

    @Override
    public void apply(ClusterEvent event) {
        switch (event) {
            case AccountRegistered e -> {
                delivery.userRegistered(e.account());
                directory.accountCreated(e.account());
                notices.listChanged(e.account(), 1);
            }
            case IdentityReset e -> {
                for (ClientConnection old : online.devicesOf(e.account())) {
                    if (!qualified(node, old).equals(e.keptConnection())) {
                        old.send(ErrorFrame.of(ErrorCode.IDENTITY_RESET, "this account's identity was reset", null));
                        old.close();
                    }
                }
                directory.accountChanged(e.account());
                notices.listChanged(e.account(), 1);
            }
            case DevicesChanged e -> {
                notices.listChanged(e.account(), e.version());
                notices.unlinked(e.account(), e.removed());
            }
            case LinkReady e -> links.approvedElsewhere(e.channel());
            case PresenceChanged e -> directory.presenceChanged(e.account(), e.online());
        }
    }

    @Override
    public void replaced(ClientConnection connection) {
        DeviceSessions.replaced(connection);
    }

    @Override
    public void readQueue(ClientConnection connection) {
        delivery.readQueue(connection);
    }

    @Override
    public void resynced() {
        delivery.reloadUsernames();
    }
}
