package dev.parley.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The relay workload on several server arrangements in one run, so that their figures can be
 * compared: one node on SQLite, and 1, 2, 3… nodes on one PostgreSQL database with a private
 * Redis (cluster mode). Clients connect to the nodes directly, not through a load balancer, so
 * where each message is delivered is chosen: {@code same-node} (sender and receiver on one
 * node) or {@code cross-node} (on different nodes; pairs spread evenly, see
 * {@link RelayPlacement}). For every setup, rate and placement: throughput, delivery latency,
 * and CPU per message of each node, PostgreSQL and Redis ({@link ClusterMeter}). One JSON line
 * per measurement with {@code --json}. A setup that cannot start is reported as an error line
 * with the reason, and the run goes on with the next.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Relay pairs on one SQLite node and on 1..N nodes on PostgreSQL + Redis, same-node and cross-node; "
                + "reports msgs/s, latency and CPU per message of every node, PostgreSQL and Redis.")
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--setups", split = ",", defaultValue = "sqlite,pg-1,pg-2,pg-3",
            description = "Server arrangements, in order: sqlite, pg (one node, no Redis), pg-N (N nodes + Redis) (default ${DEFAULT-VALUE}).")
    List<String> setups;

    @Option(names = "--rates", split = ",", defaultValue = "200,1000,0",
            description = "Offered msgs/s, open loop; 0 = as fast as the servers go, closed loop (default ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--placements", split = ",", defaultValue = "same-node,cross-node",
            description = "same-node and/or cross-node (cross-node only where there are two nodes or more) (default ${DEFAULT-VALUE}).")
    List<String> placements;

    @Option(names = "--pairs", defaultValue = "50", description = "Sender/receiver pairs (default ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--size", defaultValue = "1024", description = "Envelope size in bytes before base64 (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--window", defaultValue = "32", description = "Closed loop: messages in flight per pair (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--rounds", defaultValue = "1", description = "Times the whole sequence of setups is run (default ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin
    MeasuredWindow measured;

    @Option(names = "--server-jar", description = "Parley server jar (default: <repo>/server/target/parley-server.jar).")
    Path serverJar;

    @Option(names = "--node-jvm-args", defaultValue = "-Xms256m -Xmx1g",
            description = "JVM options of every node, the SQLite one too (default: ${DEFAULT-VALUE}).")
    String nodeJvmArgs;

    @Option(names = "--repo-root", description = "Parley checkout (default: -Dparley.repo.root or the working directory).")
    Path repoRoot;

    @Option(names = "--pg-host", defaultValue = "127.0.0.1", description = "PostgreSQL to create each run's database on (default ${DEFAULT-VALUE}).")
    String pgHost;

    @Option(names = "--pg-port", defaultValue = "5432", description = "(default ${DEFAULT-VALUE})")
    int pgPort;

    @Option(names = "--pg-user", defaultValue = "postgres", description = "A user that may create databases (default ${DEFAULT-VALUE}).")
    String pgUser;

    @Option(names = "--psql", defaultValue = "psql", description = "PostgreSQL's client, to create and drop the databases (default ${DEFAULT-VALUE}).")
    String psql;

    @Option(names = "--redis-server", defaultValue = "/usr/bin/redis-server",
            description = "redis-server binary; each cluster setup starts its own on a free port (default ${DEFAULT-VALUE}).")
    Path redisServer;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        List<ClusterSetup> parsed = setups.stream().map(ClusterSetup::parse).toList();
        List<RelayPlacement.Spread> spreads = placements.stream().map(ClusterCommand::spread).toList();
        var binaries = new RunningCluster.Binaries(jar(), nodeJvmArgs, psql, pgHost, pgPort, pgUser, redisServer);
        int status = 0;
        for (int round = 1; round <= rounds; round++) {
            for (ClusterSetup setup : parsed) {
                status = Math.max(status, runSetup(setup, spreads, binaries, round));
            }
        }
        return status;
    }

    private int runSetup(ClusterSetup setup, List<RelayPlacement.Spread> spreads, RunningCluster.Binaries binaries, int round) {
        int status = 0;
        try (var cluster = RunningCluster.start(setup, binaries)) {
            for (double rate : rates) {
                for (RelayPlacement.Spread spread : spreads) {
                    if (spread == RelayPlacement.Spread.CROSS_NODE && setup.nodes() < 2) {
                        continue;
                    }
                    Result result;
                    try {
                        result = measure(cluster, rate, spread, round);
                    } catch (RuntimeException e) {
                        result = failed(setup, round, e);
                        result.offeredPerSecond = rate;
                        result.extra.put("placement", spread.label);
                    }
                    status = Math.max(status, report.report(result));
                }
            }
        } catch (RuntimeException e) {
            status = Math.max(status, report.report(failed(setup, round, e)));
        }
        return status;
    }

    /** A measurement (or a whole setup) that could not run: one error, with the reason. */
    private static Result failed(ClusterSetup setup, int round, RuntimeException e) {
        var failed = new Result("cluster", "parley");
        failed.errors = 1;
        failed.extra.put("setup", setup.name());
        failed.extra.put("round", round);
        failed.extra.put("failed", e.getMessage() != null ? e.getMessage() : e.toString());
        return failed;
    }

    private Result measure(RunningCluster cluster, double rate, RelayPlacement.Spread spread, int round) {
        var settings = new RelayScenario.Settings(pairs, size, rate, window, measured.warmup, measured.duration);
        var placement = new RelayPlacement(cluster.nodes(), spread, true);
        // The nodes' CPU is read by the meter, all of them: the target names the first node only for its URL.
        var target = new Target("parley", cluster.nodes().getFirst().httpBase(), null);
        double settled = awaitQuiet(cluster);
        try (var transport = new ParleyRelay(placement, 1)) {
            Result result = new RelayScenario(settings, "cluster").run(target, transport, new ClusterMeter(cluster));
            result.extra.put("placement", spread.label);
            result.extra.put("round", round);
            result.extra.put("settle_s", settled);
            return result;
        }
    }

    /** Nodes using less than this share of one core are done with the previous measurement's leftovers. */
    static final double QUIET_SHARE = 0.1;
    static final long QUIET_TIMEOUT_SECONDS = 60;

    /**
     * Waits until the nodes are quiet: an open-loop run the servers could not keep up with
     * leaves frames they still work through after its clients are gone, and that work must not
     * count in (or slow) the next measurement. Returns the seconds waited; after
     * {@link #QUIET_TIMEOUT_SECONDS} it goes on anyway (the figure in the result shows it).
     */
    private static double awaitQuiet(RunningCluster cluster) {
        long start = System.nanoTime();
        long before = nodesCpu(cluster);
        while (System.nanoTime() - start < QUIET_TIMEOUT_SECONDS * 1_000_000_000L) {
            ChildProcess.sleep(1000);
            long after = nodesCpu(cluster);
            if (after - before < QUIET_SHARE * 1_000_000) {
                break;
            }
            before = after;
        }
        return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
    }

    private static long nodesCpu(RunningCluster cluster) {
        return cluster.nodes().stream().mapToLong(Target::cpuMicros).sum();
    }

    private Path jar() {
        return ServerOptions.jar(serverJar, ServerOptions.repoRoot(repoRoot));
    }

    private static RelayPlacement.Spread spread(String name) {
        for (RelayPlacement.Spread spread : RelayPlacement.Spread.values()) {
            if (spread.label.equals(name.strip())) {
                return spread;
            }
        }
        throw new IllegalArgumentException("unknown placement '" + name + "': same-node or cross-node");
    }
}
