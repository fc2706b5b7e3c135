package dev.parley.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the CPU went during one measured window of a cluster run, per message delivered in
 * it: each node's JVM, PostgreSQL (all of its processes; the backends serving this run's
 * database; its background workers; and what other databases used, if the server is shared),
 * the private Redis, the load generator, how many cores all of these kept busy together, and the
 * whole machine's busy share of its cores.
 * Every process here runs on the same cores, so these are shares of one machine, not of N.
 */
final class ClusterMeter implements RelayScenario.WindowMeter {

    private final RunningCluster cluster;
    private final ProcessStats bench = new ProcessStats(ProcessHandle.current().pid());
    private long[] nodesBefore;
    private long[] nodesAfter;
    private PostgresCpu.Reading postgresBefore;
    private PostgresCpu.Reading postgresAfter;
    private long redisBefore;
    private long redisAfter;
    private long benchBefore;
    private long benchAfter;
    private MachineCpu.Reading machineBefore;
    private MachineCpu.Reading machineAfter;
    private double loadBefore;
    private double loadAfter;
    private long wallBefore;
    private long wallAfter;

    ClusterMeter(RunningCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Analyzes the cluster's PostgreSQL database (see {@link RunningCluster#analyze}), so that
     * the window measures the plans of a server that has run for more than a minute.
     */
    @Override
    public void warmedUp() {
        cluster.analyze();
    }

    @Override
    public void begin() {
        wallBefore = System.nanoTime();
        machineBefore = MachineCpu.read();
        loadBefore = MachineCpu.loadAverage();
        nodesBefore = nodeCpu();
        postgresBefore = cluster.postgresCpu() == null ? null : cluster.postgresCpu().read();
        redisBefore = cluster.redisStats() == null ? 0 : cluster.redisStats().cpuMicros();
        benchBefore = bench.cpuMicros();
    }

    @Override
    public void end() {
        benchAfter = bench.cpuMicros();
        redisAfter = cluster.redisStats() == null ? 0 : cluster.redisStats().cpuMicros();
        postgresAfter = cluster.postgresCpu() == null ? null : cluster.postgresCpu().read();
        nodesAfter = nodeCpu();
        machineAfter = MachineCpu.read();
        loadAfter = MachineCpu.loadAverage();
        wallAfter = System.nanoTime();
    }

    @Override
    public void report(Result result, long delivered) {
        ClusterSetup setup = cluster.setup();
        result.extra.put("setup", setup.name());
        result.extra.put("storage", setup.storage());
        result.extra.put("nodes", setup.nodes());
        result.extra.put("redis", setup.redis());
        long nodesTotal = 0;
        List<Double> perNode = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int i = 0; i < nodesBefore.length; i++) {
            long used = nodesAfter[i] - nodesBefore[i];
            nodesTotal += used;
            perNode.add(perMessage(used, delivered));
            rss.add(Math.round(cluster.nodes().get(i).rssBytes() / (1024.0 * 1024.0) * 10) / 10.0);
        }
        result.serverCpu(0, nodesTotal, delivered); // server_cpu_us_per_msg: all nodes together
        result.serverRss(-1);
        result.extra.put("node_cpu_us_per_msg", perNode);
        result.extra.put("node_rss_mb", rss);
        long everything = nodesTotal;
        if (postgresBefore != null) {
            PostgresCpu.Used used = PostgresCpu.between(postgresBefore, postgresAfter);
            result.extra.put("pg_cpu_us_per_msg", perMessage(used.total(), delivered));
            result.extra.put("pg_own_backends_cpu_us_per_msg", perMessage(used.ownBackends(), delivered));
            result.extra.put("pg_background_cpu_us_per_msg", perMessage(used.background(), delivered));
            result.extra.put("pg_other_databases_cpu_s", used.others() / 1e6);
            everything += used.ownBackends() + used.background();
        }
        if (cluster.redisStats() != null) {
            result.extra.put("redis_cpu_us_per_msg", perMessage(redisAfter - redisBefore, delivered));
            everything += redisAfter - redisBefore;
        }
        result.extra.put("servers_cpu_us_per_msg", perMessage(everything, delivered));
        result.extra.put("bench_cpu_us_per_msg", perMessage(benchAfter - benchBefore, delivered));
        // How many cores the run's own processes kept busy: well under the machine's while it was
        // saturated means they waited (on each other, on locks) rather than for a core.
        double seconds = (wallAfter - wallBefore) / 1e9;
        result.extra.put("run_cores_used", Math.round((everything + benchAfter - benchBefore) / 1e6 / seconds * 100) / 100.0);
        result.extra.put("machine_busy", MachineCpu.busyFraction(machineBefore, machineAfter));
        result.extra.put("machine_steal", MachineCpu.stealFraction(machineBefore, machineAfter));
        result.extra.put("cores", Runtime.getRuntime().availableProcessors());
        result.extra.put("load_avg", List.of(loadBefore, loadAfter));
    }

    private long[] nodeCpu() {
        return cluster.nodes().stream().mapToLong(Target::cpuMicros).toArray();
    }

    private static double perMessage(long micros, long delivered) {
        return delivered <= 0 ? -1 : Math.round((double) micros / delivered * 10) / 10.0;
    }
}
