package dev.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The servers of one {@link ClusterSetup}, started fresh by the bench: a new database on the
 * given PostgreSQL (or a SQLite file), a private Redis in cluster mode, and the Parley nodes as
 * child processes, each on its own port, started one after the other (the first one migrates
 * the schema). Closing stops the nodes, then Redis, then drops the database.
 */
final class RunningCluster implements AutoCloseable {

    /** Where the bench finds what it starts. */
    record Binaries(Path serverJar, String nodeJvmArgs, String psql, String pgHost, int pgPort, String pgUser, Path redisServer) {
    }

    private final ClusterSetup setup;
    private final List<ChildProcess> nodes = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private PostgresDatabase database;
    private PostgresCpu postgresCpu;
    private PrivateRedis redis;

    private RunningCluster(ClusterSetup setup) {
        this.setup = setup;
    }

    static RunningCluster start(ClusterSetup setup, Binaries binaries) {
        var cluster = new RunningCluster(setup);
        try {
            cluster.startAll(binaries);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll(Binaries binaries) {
        if (!Files.isRegularFile(binaries.serverJar())) {
            throw new IllegalStateException("no server jar at " + binaries.serverJar()
                    + "; build it with ./mvnw -B -q -pl server -am package -DskipTests (bin/parley-bench does)");
        }
        String databaseUrl = null;
        if (setup.postgres()) {
            database = PostgresDatabase.create(binaries.psql(), binaries.pgHost(), binaries.pgPort(), binaries.pgUser());
            databaseUrl = database.jdbcUrl();
        }
        if (setup.redis()) {
            redis = PrivateRedis.start(binaries.redisServer());
        }
        for (int node = 1; node <= setup.nodes(); node++) {
            Path workDir = tempDir("parley-bench-node" + node);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(Arrays.stream(binaries.nodeJvmArgs().trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
            command.addAll(List.of("-jar", binaries.serverJar().toAbsolutePath().toString(), "--host", "127.0.0.1", "--port", "{port}",
                    "--database-url", databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + workDir.resolve("parley.db")));
            if (redis != null) {
                command.addAll(List.of("--redis-url", redis.url(), "--node-id", "node" + node));
            }
            command.addAll(ServerOptions.BENCH_LIMITS);
            ChildProcess child = ChildProcess.start("parley-node" + node, command, workDir, "/healthz");
            nodes.add(child);
            targets.add(new Target("parley", "http://127.0.0.1:" + child.port(), child.stats()));
        }
        if (database != null) {
            postgresCpu = PostgresCpu.serving(database.name());
        }
    }

    ClusterSetup setup() {
        return setup;
    }

    /** The nodes, in order; clients connect to them directly. */
    List<Target> nodes() {
        return List.copyOf(targets);
    }

    /**
     * Updates the PostgreSQL database's planner statistics ({@code ANALYZE}); nothing on SQLite.
     * The bench's database is new: until autovacuum analyzes it (within a minute or so of a
     * running server, once a tenth of its rows changed), PostgreSQL assumes most copies in
     * {@code messages} are pending, and plans the queue counts as scans over every copy of an
     * account. After the warm-up the table holds what a running server's does (mostly
     * acknowledged copies), and the window measures the plans that hold from then on
     * (docs/BENCHMARKS.md, "PostgreSQL: statements per message").
     */
    void analyze() {
        if (database != null) {
            database.analyze();
        }
    }

    /** PostgreSQL's CPU, split by who used it; null on SQLite. */
    PostgresCpu postgresCpu() {
        return postgresCpu;
    }

    /** The private Redis's process; null without cluster mode. */
    ProcessStats redisStats() {
        return redis == null ? null : redis.stats();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ChildProcess node : nodes) {
            try {
                node.closeAndDeleteData();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (redis != null) {
            redis.close();
        }
        if (database != null) {
            database.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
