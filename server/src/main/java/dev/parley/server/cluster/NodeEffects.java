package dev.parley.server.cluster;

import dev.parley.server.gateway.ClientConnection;

/**
 * What this node does to the sockets it holds when the cluster tells it something, from this
 * node or another. Every method touches only this node's connections and memory, and none waits
 * for another node. {@link #apply} and {@link #resynced} may read the database; the others
 * never block.
 */
public interface NodeEffects {

    /** An event for every node (directory pushes, {@code devices_changed}, closing unlinked devices, ...). */
    void apply(ClusterEvent event);

    /** {@code connection}'s device logged in on another connection: {@code session_replaced}, then close. */
    void replaced(ClientConnection connection);

    /** A copy for {@code connection}'s device may have been committed: its mailbox reads its queue. */
    void readQueue(ClientConnection connection);

    /**
     * This node is in touch with the others again after it may have missed events: it reloads
     * what events would have told it (the usernames a send checks against).
     */
    void resynced();
}
