package dev.parley.server.cluster;

/**
 * Every Redis key and channel of cluster mode, in one place (docs/ARCHITECTURE.md, "Cluster").
 * Usernames are {@code [a-z0-9_]}, node ids {@code [A-Za-z0-9_.-]} and connection ids
 * {@code c<n>}, so none contains {@code :}, {@code /} or a space, and each name below parses back.
 *
 * <table>
 *   <caption>Keys and channels</caption>
 *   <tr><td>{@code parley:events}</td><td>channel: events for every node ({@link BusCodec})</td></tr>
 *   <tr><td>{@code parley:device:{account}:{device}}</td><td>channel: notifications for the node holding that device</td></tr>
 *   <tr><td>{@code parley:socket:{account}:{device}}</td><td>string: the connection holding the device, {@code node/connection/loginMillis}</td></tr>
 *   <tr><td>{@code parley:presence:{account}}</td><td>set: {@code node/device} per connected device</td></tr>
 *   <tr><td>{@code parley:online}</td><td>set: the accounts with at least one presence entry</td></tr>
 *   <tr><td>{@code parley:node:{id}}</td><td>string with a time to live: the node's heartbeat</td></tr>
 *   <tr><td>{@code parley:node:{id}:devices}</td><td>set: {@code account/device} the node holds (what goes when it dies)</td></tr>
 *   <tr><td>{@code parley:nodes}</td><td>set: the ids of the nodes that registered</td></tr>
 * </table>
 */
final class RedisNames {

    static final String EVENTS = "parley:events";
    static final String NODES = "parley:nodes";
    static final String ONLINE = "parley:online";
    private static final String DEVICE_CHANNEL = "parley:device:";

    private RedisNames() {
    }

    /** One device of one account. */
    record Device(String account, int device) {
        String channel() {
            return DEVICE_CHANNEL + account + ":" + device;
        }

        String socketKey() {
            return "parley:socket:" + account + ":" + device;
        }

        String presenceKey() {
            return presence(account);
        }

        /** The device's entry in its account's presence set, as this node's. */
        String presenceEntry(String node) {
            return node + "/" + device;
        }

        /** The device's entry in a node's set of held devices. */
        String nodeEntry() {
            return account + "/" + device;
        }

        /** The device of an entry of a node's set ({@link #nodeEntry}); null if it is not one. */
        static Device ofNodeEntry(String entry) {
            int slash = entry.lastIndexOf('/');
            try {
                return slash < 1 ? null : new Device(entry.substring(0, slash), Integer.parseInt(entry.substring(slash + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** The device a notification channel names; null for any other channel. */
        static Device ofChannel(String channel) {
            if (!channel.startsWith(DEVICE_CHANNEL)) {
                return null;
            }
            int colon = channel.lastIndexOf(':');
            try {
                return new Device(channel.substring(DEVICE_CHANNEL.length(), colon), Integer.parseInt(channel.substring(colon + 1)));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    static String presence(String account) {
        return "parley:presence:" + account;
    }

    static String heartbeat(String node) {
        return "parley:node:" + node;
    }

    static String nodeDevices(String node) {
        return "parley:node:" + node + ":devices";
    }
}
