package dev.parley.server.cluster;

import java.util.List;

/**
 * Something every node must apply to the sockets it holds ({@link NodeEffects#apply}): the node
 * where it happened applies it at once, every other node when it hears of it
 * ({@link Cluster#announce}). Usernames, node ids and connection ids never contain a space, so
 * {@link BusCodec} writes each event as one line of space-separated fields.
 */
public sealed interface ClusterEvent {

    /** A new account exists (device list version 1): sends may name it; open-directory subscribers hear of it. */
    record AccountRegistered(String account) implements ClusterEvent {
    }

    /**
     * The account's identity was replaced: every connection of the account is told and closed,
     * except {@code keptConnection} (the node-qualified id, {@code node/connection}, of the one
     * that reset it); its subscribers and watchers get the new identity and list.
     */
    record IdentityReset(String account, String keptConnection) implements ClusterEvent {
    }

    /** The account's device list is now {@code version}; {@code removed} devices are closed wherever they are. */
    record DevicesChanged(String account, long version, List<Integer> removed) implements ClusterEvent {
        public DevicesChanged {
            removed = List.copyOf(removed);
        }
    }

    /**
     * A link on {@code channel} was approved: the node whose new device waits on that channel
     * sends it {@code link_sealed}, read from the store (the sealed message never crosses Redis).
     */
    record LinkReady(byte[] channel) implements ClusterEvent {
    }

    /**
     * The account came online (its first device anywhere) or went offline (its last). Announced
     * only by the cluster itself, in the order the shared presence changed.
     */
    record PresenceChanged(String account, boolean online) implements ClusterEvent {
    }
}
