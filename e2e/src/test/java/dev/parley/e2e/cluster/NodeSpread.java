package dev.parley.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which node served which account's registration, read from the nodes' own logs
 * ({@code registered account=NAME}, written by the node that took the registration): the proof
 * that a test's clients, sent through the proxy, were not all on one node.
 */
final class NodeSpread {

    private static final Pattern REGISTERED = Pattern.compile("registered account=([a-z0-9_]+)");

    private NodeSpread() {
    }

    /** Node id to the accounts registered on it, in log order. */
    static Map<String, List<String>> registrations(ClusterFixture cluster) {
        Map<String, List<String>> spread = new LinkedHashMap<>();
        for (NodeProcess node : cluster.nodes()) {
            spread.put(node.id(), REGISTERED.matcher(node.readLog()).results().map(m -> m.group(1)).toList());
        }
        return spread;
    }

    /** Prints where the accounts were registered and fails unless at least two nodes took some. */
    static void assertSeveralNodesServed(ClusterFixture cluster) {
        Map<String, List<String>> spread = registrations(cluster);
        System.out.println("[cluster] registrations per node: " + spread);
        long serving = spread.values().stream().filter(accounts -> !accounts.isEmpty()).count();
        assertTrue(serving >= 2, "every registration went to one node, so no message crossed nodes: " + spread);
    }
}
