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
 * Prints relay results from one comparison run as a Markdown table, with Parley's server CPU
 * per message as a ratio of each peer's. A peer that was missing stays in the table as
 * MISSING with the reason.
 */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Markdown table of relay --json results (one run per target) with CPU-per-message ratios to Parley.")
final class TableCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RESULTS", description = "File of JSON result lines.")
    Path input;

    @Override
    public Integer call() throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (String line : Files.readAllLines(input)) {
            if (line.startsWith("{")) {
                JsonNode result = ParleyClient.JSON.readTree(line);
                if ("relay".equals(result.path("scenario").asText())) {
                    results.add(result);
                }
            }
        }
        JsonNode parley = results.stream().filter(r -> r.path("target").asText().equals("parley")).findFirst().orElse(null);
        System.out.println("| server | offered msgs/s | delivered msgs/s | p50 ms | p99 ms | p99.9 ms | server CPU µs/msg | Parley's CPU/msg as a fraction of it | server RSS MiB | errors |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (JsonNode r : results) {
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

    private static String label(String target) {
        return switch (target) {
            case "parley" -> "Parley (durable: stored before ack, erased on ack)";
            case "socketio" -> "socket.io relay (Node, stores nothing)";
            case "flask" -> "Flask-SocketIO relay (eventlet, stores nothing)";
            default -> target;
        };
    }
}
