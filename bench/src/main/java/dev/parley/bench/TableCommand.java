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
 * Prints relay results as a Markdown table, with Parley's server CPU per message as a
 * fraction of each peer's. A peer is compared with the Parley run at the same offered rate
 * that came last before it (runs side by side, in that order), else the first such Parley run
 * in the files. A peer that was missing stays in the table as MISSING with the reason.
 */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Markdown table of relay --json results (one run per target) with CPU-per-message ratios to Parley.")
final class TableCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RESULTS", description = "Files of JSON result lines, in the order the runs were made.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (Path input : inputs) {
            for (String line : Files.readAllLines(input)) {
                if (line.startsWith("{")) {
                    JsonNode result = Result.JSON.readTree(line);
                    if ("relay".equals(result.path("scenario").asText())) {
                        results.add(result);
                    }
                }
            }
        }
        System.out.println("| server | offered msgs/s | delivered msgs/s | p50 ms | p99 ms | p99.9 ms | server CPU µs/msg | Parley's CPU/msg as a fraction of it | server RSS MiB | errors |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            JsonNode parley = parleyAtSameRate(results, i);
            String target = r.path("target").asText();
            if (r.has("missing")) {
                System.out.printf(Locale.ROOT, "| %s | MISSING: %s | | | | | | | | |%n", target, r.path("missing").asText());
                continue;
            }
            double cpu = r.path("server_cpu_us_per_msg").asDouble();
            String ratio = parley == null || target.equals("parley") || cpu <= 0 ? "—"
                    : String.format(Locale.ROOT, "%.2f", parley.path("server_cpu_us_per_msg").asDouble() / cpu);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.1f | %s | %.0f | %d |%n",
                    label(target), r.path("offered_per_s").asDouble(), r.path("msgs_per_s").asDouble(),
                    r.path("p50_ms").asDouble(), r.path("p99_ms").asDouble(), r.path("p999_ms").asDouble(),
                    cpu, ratio, r.path("server_rss_mb").asDouble(), r.path("errors").asLong());
        }
        return 0;
    }

    private static JsonNode parleyAtSameRate(List<JsonNode> results, int index) {
        double rate = results.get(index).path("offered_per_s").asDouble();
        JsonNode fallback = null;
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            if (r.path("target").asText().equals("parley") && r.path("offered_per_s").asDouble() == rate) {
                if (i < index) {
                    fallback = r; // the latest one before the peer's run
                } else if (fallback == null) {
                    fallback = r;
                }
            }
        }
        return fallback;
    }

    private static String label(String target) {
        return switch (target) {
            case "parley" -> "Parley (durable: stored before ack, erased on ack)";
            case "socketio" -> "socket.io relay (Node, stores nothing)";
            case "flask" -> "Flask-SocketIO relay (eventlet, stores nothing)";
            default -> target;
        };
    }
}
