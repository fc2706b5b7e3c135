package dev.parley.server.cluster;

import dev.parley.server.config.ClusterSettings;
import dev.parley.server.gateway.ClientConnection;
import dev.parley.server.gateway.OnlineUsers;
import dev.parley.wire.WireFrame;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * What the handlers call for anything that may concern a socket on another node
 * (docs/ARCHITECTURE.md, "Cluster"). A single node ({@link LocalCluster}) does it all in memory,
 * exactly as Parley always has; in cluster mode ({@link RedisCluster}) the nodes tell each
 * other through Redis. The database stays the only truth: nothing here holds what cannot be
 * rebuilt from the sockets each node holds, and a lost notification only delays a delivery.
 *
 * <p>The cluster decides presence (an account is online while any of its devices is connected
 * to any node) and which connection holds each device (one per device, cluster-wide); every
 * effect on a socket goes through the {@link NodeEffects} given to {@link #attach}.
 */
public interface Cluster extends AccountPresence, AutoCloseable {

    /** A {@link RedisCluster} when {@code settings} name a Redis, else a {@link LocalCluster}. */
    static Cluster start(ClusterSettings settings, OnlineUsers online, MeterRegistry metrics) {
        return settings.enabled() ? RedisCluster.start(settings, online, metrics) : new LocalCluster(settings.nodeId(), online);
    }

    /** This node's id ({@code --node-id}). */
    String nodeId();

    /**
     * Starts applying what happens in the cluster to this node's sockets. Called once, before the
     * node accepts connections; in cluster mode it returns once the node is in touch with the
     * others (it throws when Redis cannot be reached).
     */
    void attach(NodeEffects effects);

    /**
     * Whether notifications of committed copies reach a mailbox in commit order, so that a
     * mailbox may relay a notified copy without reading the store. True for one node (one
     * writer, completions in commit order); false in cluster mode, where another node's
     * earlier copy may be committed and its notification still on its way: there a
     * notification means "read the queue", unless the copy's store knew that nothing the
     * mailbox has not relayed was pending before it ({@link dev.parley.server.storage.StoredMessage#previousPending}).
     */
    boolean notifiesInCommitOrder();

    /**
     * {@code connection} has just logged in as its device here ({@code login}: what
     * {@link OnlineUsers} made of it; a connection of the same device on this node is already
     * replaced). Replaces the device's connection on any other node, and makes the account
     * online if it was not. In cluster mode it waits (briefly) until this node hears the
     * device's notifications, so that the queue replay that follows misses none.
     */
    void arrived(ClientConnection connection, OnlineUsers.Login login);

    /** A connection closed ({@code departure}: what that did on this node). */
    void departed(ClientConnection connection, OnlineUsers.Departure departure);

    /**
     * A copy for {@code account}'s {@code device} was committed and that device is not held by
     * this node: the node holding it, if any, reads the device's queue. Never blocks; at most
     * once (a lost notification is made up by the delivery sweep).
     */
    void notifyElsewhere(String account, int device);

    /**
     * Sends the frame {@code frame} builds (null: nothing) to {@code account}'s {@code device},
     * on whichever node holds it. {@code frame} is called only when the device may be connected
     * somewhere (never, alone, when it is not connected here); it may read the database.
     */
    void sendToDevice(String account, int device, Supplier<WireFrame> frame);

    /** Applies {@code event} to this node's sockets at once, and makes every other node apply it to theirs. */
    void announce(ClusterEvent event);

    /** Whether this node is in touch with the others (always, alone): part of its readiness. */
    boolean connected();

    /** Leaves the cluster: what this node registered is removed, and its accounts' presence with it. */
    @Override
    void close();
}
