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
 * @param drainNotice   how long a stopping node keeps serving after {@code /readyz} turned 503,
 *                      so that the load balancer stops sending it clients before they are told
 *                      to reconnect; null means the default for the mode ({@link #noticeBeforeDrain})
 */
public record ClusterSettings(String redisUrl, String nodeId, Duration deliverySweep, Duration drainTimeout,
                              Duration drainNotice) {

    public static final Duration DEFAULT_DELIVERY_SWEEP = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A cluster node's default {@link #drainNotice}: the shipped HAProxy configuration takes a
     * node out after two failed checks one second apart; one more second covers a check under way.
     */
    public static final Duration DEFAULT_CLUSTER_DRAIN_NOTICE = Duration.ofSeconds(3);

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
        if (drainNotice != null && drainNotice.isNegative()) {
            throw new IllegalArgumentException("--drain-notice must not be negative");
        }
    }

    /** With the default {@link #drainNotice} for the mode. */
    public ClusterSettings(String redisUrl, String nodeId, Duration deliverySweep, Duration drainTimeout) {
        this(redisUrl, nodeId, deliverySweep, drainTimeout, null);
    }

    /**
     * How long a stopping node waits, answering {@code /readyz} with 503, before it refuses
     * upgrades and tells its clients to reconnect: {@link #drainNotice} when given, else
     * {@link #DEFAULT_CLUSTER_DRAIN_NOTICE} in cluster mode and nothing for a single node
     * (there is no other node a load balancer could send its clients to).
     */
    public Duration noticeBeforeDrain() {
        if (drainNotice != null) {
            return drainNotice;
        }
        return enabled() ? DEFAULT_CLUSTER_DRAIN_NOTICE : Duration.ZERO;
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
        return new ClusterSettings(url, nodeId, deliverySweep, drainTimeout, drainNotice);
    }

    public ClusterSettings withNodeId(String id) {
        return new ClusterSettings(redisUrl, id, deliverySweep, drainTimeout, drainNotice);
    }

    public ClusterSettings withDeliverySweep(Duration sweep) {
        return new ClusterSettings(redisUrl, nodeId, sweep, drainTimeout, drainNotice);
    }

    public ClusterSettings withDrainTimeout(Duration timeout) {
        return new ClusterSettings(redisUrl, nodeId, deliverySweep, timeout, drainNotice);
    }

    /** With this {@link #drainNotice} (null: the default for the mode). */
    public ClusterSettings withDrainNotice(Duration notice) {
        return new ClusterSettings(redisUrl, nodeId, deliverySweep, drainTimeout, notice);
    }

    static String randomNodeId() {
        return "node-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }
}
