package dev.parley.server.config;

import java.time.Duration;

/**
 * Whether this node is one of several (docs/design/CLUSTER.md, docs/OPERATIONS.md "Cluster").
 *
 * @param redisUrl      {@code redis://host:port} turns cluster mode on: nodes tell each other
 *                      through Redis what must reach a connection held by another node; null
 *                      for a single node (nothing leaves the process)
 * @param nodeId        this node's name in the cluster, unique among the running nodes (logs,
 *                      metrics, Redis keys); a random one when not given
 * @param deliverySweep in cluster mode, how often every connected device's queue is read from
 *                      the database even without a notification: the bound on the delay a lost
 *                      notification can cause
 * @param drainTimeout  how long a stopping node waits for its clients to leave after telling
 *                      them to reconnect elsewhere, before it closes what is left and exits
 */
public record ClusterSettings(String redisUrl, String nodeId, Duration deliverySweep, Duration drainTimeout) {

    public static final Duration DEFAULT_DELIVERY_SWEEP = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    public ClusterSettings {
        if (nodeId == null || !nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("--node-id must be 1 to 64 letters, digits, '_', '.' or '-'");
        }
        if (redisUrl != null && !(redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"))) {
            throw new IllegalArgumentException("--redis-url must start with redis:// or rediss://");
        }
        if (deliverySweep.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("--delivery-sweep must be at least 100ms");
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("--drain-timeout must not be negative");
        }
    }

    /** A single node with a random id. */
    public static ClusterSettings defaults() {
        return new ClusterSettings(null, randomNodeId(), DEFAULT_DELIVERY_SWEEP, DEFAULT_DRAIN_TIMEOUT);
    }

    /** Whether several nodes share the database (Redis configured). */
    public boolean enabled() {
        return redisUrl != null;
    }

    public ClusterSettings withRedisUrl(String url) {
        return new ClusterSettings(url, nodeId, deliverySweep, drainTimeout);
    }

    public ClusterSettings withNodeId(String id) {
        return new ClusterSettings(redisUrl, id, deliverySweep, drainTimeout);
    }

    public ClusterSettings withDeliverySweep(Duration sweep) {
        return new ClusterSettings(redisUrl, nodeId, sweep, drainTimeout);
    }

    public ClusterSettings withDrainTimeout(Duration timeout) {
        return new ClusterSettings(redisUrl, nodeId, deliverySweep, timeout);
    }

    static String randomNodeId() {
        return "node-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }
}
