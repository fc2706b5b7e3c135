package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Prints {@code cluster --json} results as a Markdown table, one row per measurement in the
 * order they ran: throughput, latency, and CPU per delivered message of each node, all nodes,
 * PostgreSQL (all its processes; in brackets the backends of the run's own database), Redis,
 * every server process together (nodes, this database's backends, PostgreSQL's background
 * workers, Redis) and the load generator, the cores all of these kept busy, with the machine's
 * busy share and load average. A
 * measurement that failed keeps its row with the reason.
 */
@Command(name = "cluster-table", mixinStandardHelpOptions = true,
        description = "Markdown table of cluster --json results (one row per setup, placement and rate).")
final class ClusterTableCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RESULTS", description = "Files of JSON result lines, in the order the runs were made.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (Path input : inputs) {
            for (String line : Files.readAllLines(input)) {
                if (line.startsWith("{")) {
                    JsonNode result = Result.JSON.readTree(line);
                    if ("cluster".equals(result.path("scenario").asText())) {
                        results.add(result);
                    }
                }
            }
        }
        System.out.println("| round | setup | clients | offered msgs/s | delivered msgs/s | p50 ms | p99 ms | errors "
                + "| µs/msg per node | all nodes | PostgreSQL (own db) | Redis | all servers | load generator | cores used by the run | machine busy | load |");
        System.out.println("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (JsonNode r : results) {
            String offered = r.path("offered_per_s").asDouble() > 0 ? String.format(Locale.ROOT, "%,.0f", r.path("offered_per_s").asDouble()) : "max";
            if (r.has("failed")) {
                System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | FAILED: %s | | | 1 | | | | | | | | | |%n", r.path("round").asInt(),
                        r.path("setup").asText(), r.path("placement").asText("—"), offered, r.path("failed").asText());
                continue;
            }
            List<String> perNode = new ArrayList<>();
            r.path("node_cpu_us_per_msg").forEach(node -> perNode.add(String.format(Locale.ROOT, "%,.0f", node.asDouble())));
            String postgres = r.has("pg_cpu_us_per_msg") ? String.format(Locale.ROOT, "%,.0f (%,.0f)",
                    r.path("pg_cpu_us_per_msg").asDouble(), r.path("pg_own_backends_cpu_us_per_msg").asDouble()) : "—";
            String redis = r.has("redis_cpu_us_per_msg") ? String.format(Locale.ROOT, "%,.0f", r.path("redis_cpu_us_per_msg").asDouble()) : "—";
            JsonNode load = r.path("load_avg");
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %,.0f | %,.1f | %,.1f | %d | %s | %,.0f | %s | %s | %,.0f | %,.0f | %s | %.0f %% | %.1f–%.1f |%n",
                    r.path("round").asInt(), r.path("setup").asText(), r.path("placement").asText(), offered,
                    r.path("msgs_per_s").asDouble(), r.path("p50_ms").asDouble(), r.path("p99_ms").asDouble(), r.path("errors").asLong(),
                    String.join(" / ", perNode), r.path("server_cpu_us_per_msg").asDouble(), postgres, redis,
                    r.path("servers_cpu_us_per_msg").asDouble(), r.path("bench_cpu_us_per_msg").asDouble(),
                    r.has("run_cores_used") ? String.format(Locale.ROOT, "%.2f", r.path("run_cores_used").asDouble()) : "—",
                    100 * r.path("machine_busy").asDouble(), load.path(0).asDouble(), load.path(1).asDouble());
        }
        return 0;
    }
}
