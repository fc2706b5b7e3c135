package dev.parley.bench;

/**
 * One server arrangement of the cluster benchmark, named on the command line:
 * <ul>
 *   <li>{@code sqlite}: one node on SQLite, Parley's default (no Redis);</li>
 *   <li>{@code pg}: one node on PostgreSQL without Redis (storage alone, no cluster mode);</li>
 *   <li>{@code pg-N}: N nodes on one PostgreSQL database and one Redis, in cluster mode
 *       ({@code --redis-url}); {@code pg-1} is cluster mode with a single node.</li>
 * </ul>
 */
record ClusterSetup(String name, boolean postgres, int nodes, boolean redis) {

    static final int MAX_NODES = 8;

    static ClusterSetup parse(String name) {
        String trimmed = name.strip();
        if (trimmed.equals("sqlite")) {
            return new ClusterSetup(trimmed, false, 1, false);
        }
        if (trimmed.equals("pg")) {
            return new ClusterSetup(trimmed, true, 1, false);
        }
        if (trimmed.matches("pg-[1-9]")) {
            int nodes = Integer.parseInt(trimmed.substring(3));
            if (nodes <= MAX_NODES) {
                return new ClusterSetup(trimmed, true, nodes, true);
            }
        }
        throw new IllegalArgumentException("unknown setup '" + name + "': sqlite, pg, or pg-N for N nodes (1 to " + MAX_NODES + ")");
    }

    String storage() {
        return postgres ? "postgresql" : "sqlite";
    }
}
