package dev.parley.server.cluster;

import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.wire.WireFrame;
import java.util.function.Supplier;

/**
 * A single node: every socket is here, so the cluster is this process's memory. Presence is
 * {@link OnlineUsers}' (an account is online while it holds a device connection), an
 * announced event is applied here and nowhere else, and there is no other node to notify.
 * Nothing leaves the process.
 */
public final class LocalCluster implements Cluster {

    private final String nodeId;
    private final OnlineUsers online;
    private volatile NodeEffects effects;

    public LocalCluster(String nodeId, OnlineUsers online) {
        this.nodeId = nodeId;
        this.online = online;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void attach(NodeEffects nodeEffects) {
        this.effects = nodeEffects;
    }

    @Override
    public boolean notifiesInCommitOrder() {
        return true;
    }

    @Override
    public void arrived(ClientConnection connection, OnlineUsers.Login login) {
        if (login.cameOnline()) {
            effects.apply(new ClusterEvent.PresenceChanged(connection.username(), true));
        }
    }

    @Override
    public void departed(ClientConnection connection, OnlineUsers.Departure departure) {
        if (departure == OnlineUsers.Departure.ACCOUNT_OFFLINE) {
            effects.apply(new ClusterEvent.PresenceChanged(connection.username(), false));
        }
    }

    @Override
    public void notifyElsewhere(String account, int device) {
        // No other node.
    }

    @Override
    public void sendToDevice(String account, int device, Supplier<WireFrame> frame) {
        ClientConnection connection = online.get(account, device);
        if (connection != null) {
            WireFrame built = frame.get();
            if (built != null) {
                connection.send(built);
            }
        }
    }

    @Override
    public void announce(ClusterEvent event) {
        effects.apply(event);
    }

    @Override
    public boolean isOnline(String account) {
        return online.isOnline(account);
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public void close() {
        // Nothing registered anywhere.
    }
}
