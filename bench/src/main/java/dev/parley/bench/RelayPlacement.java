package dev.parley.bench;

import java.util.List;

/**
 * Which node each relay pair's sender and receiver connect to. On one server both are there;
 * on a cluster the pairs are spread evenly over the nodes, sender of pair {@code i} on node
 * {@code i mod N}, and its receiver on the same node ({@link Spread#SAME_NODE}: delivery never
 * leaves the node) or on the next one ({@link Spread#CROSS_NODE}: every message is stored
 * through one node and delivered by another, so each node sends to one neighbour and receives
 * from the other).
 *
 * @param nodes        the nodes, clients connect to each directly (no load balancer between)
 * @param spread       where receivers are, relative to their senders
 * @param probeRoutes  send one message per pair, and wait for it, before measuring: on a
 *                     cluster a username registered on one node reaches the others by an event
 *                     (docs/design/CLUSTER.md), and a route that does not work must fail the run
 *                     loudly rather than count as errors in the figures
 */
record RelayPlacement(List<Target> nodes, Spread spread, boolean probeRoutes) {

    enum Spread {
        SAME_NODE("same-node"), CROSS_NODE("cross-node");

        final String label;

        Spread(String label) {
            this.label = label;
        }
    }

    RelayPlacement {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no node to place clients on");
        }
        if (spread == Spread.CROSS_NODE && nodes.size() < 2) {
            throw new IllegalArgumentException("cross-node placement needs at least two nodes");
        }
    }

    /** Everything on one server, as the relay scenario always did. */
    static RelayPlacement single(Target target) {
        return new RelayPlacement(List.of(target), Spread.SAME_NODE, false);
    }

    int senderNode(int pair) {
        return pair % nodes.size();
    }

    int receiverNode(int pair) {
        return spread == Spread.SAME_NODE ? senderNode(pair) : (senderNode(pair) + 1) % nodes.size();
    }

    Target sender(int pair) {
        return nodes.get(senderNode(pair));
    }

    Target receiver(int pair) {
        return nodes.get(receiverNode(pair));
    }
}
