package dev.parley.server.config;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The command-line options of {@link ClusterSettings}, mixed into {@link ServerCommand}. */
final class ClusterOptions {

    @Option(names = "--redis-url",
            description = "redis://host:port: run as one node of a cluster (all nodes on the same PostgreSQL "
                    + "--database-url and Redis). Without it the node is alone.")
    String redisUrl;

    @Option(names = "--node-id", description = "This node's name in the cluster (logs, metrics); random when not given.")
    String nodeId;

    @Option(names = "--delivery-sweep", defaultValue = "PT10S",
            description = "Cluster mode: how often each connected device's queue is read even without a "
                    + "notification (the longest delay a lost notification causes), ISO-8601.")
    Duration deliverySweep;

    @Option(names = "--drain-timeout", defaultValue = "PT10S",
            description = "How long a stopping node waits for its clients to move to other nodes before it exits, ISO-8601.")
    Duration drainTimeout;

    @Option(names = "--drain-notice",
            description = "How long a stopping node answers /readyz with 503 before it tells its clients to reconnect, "
                    + "so that the load balancer has taken it out, ISO-8601 (default: PT3S in cluster mode, PT0S alone).")
    Duration drainNotice;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    ClusterSettings toSettings() {
        try {
            return new ClusterSettings(redisUrl == null || redisUrl.isBlank() ? null : redisUrl.strip(),
                    nodeId == null || nodeId.isBlank() ? ClusterSettings.randomNodeId() : nodeId.strip(),
                    deliverySweep, drainTimeout, drainNotice);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
