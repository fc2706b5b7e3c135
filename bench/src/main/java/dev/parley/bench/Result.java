package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one scenario run measured. Latencies are in milliseconds; a figure that could not be
 * measured (e.g. server CPU of a server the bench did not start) is -1.
 */
final class Result {

    /** Reads and writes result lines (not frames: those go through the wire catalogue). */
    static final ObjectMapper JSON = new ObjectMapper();

    final String scenario;
    final String target;
    double msgsPerSecond;
    double offeredPerSecond;
    double p50Ms = -1;
    double p99Ms = -1;
    double p999Ms = -1;
    double maxMs = -1;
    long errors;
    double serverCpuMicrosPerMessage = -1;
    double serverRssMb = -1;
    int connections;
    /** Scenario-specific figures, in insertion order. */
    final Map<String, Object> extra = new LinkedHashMap<>();

    Result(String scenario, String target) {
        this.scenario = scenario;
        this.target = target;
    }

    void latencies(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return;
        }
        p50Ms = nanos.getValueAtPercentile(50) / 1e6;
        p99Ms = nanos.getValueAtPercentile(99) / 1e6;
        p999Ms = nanos.getValueAtPercentile(99.9) / 1e6;
        maxMs = nanos.getMaxValue() / 1e6;
    }

    /** Server CPU per unit of work, from two {@link Target#cpuMicros} readings. */
    void serverCpu(long cpuMicrosBefore, long cpuMicrosAfter, long units) {
        if (cpuMicrosBefore >= 0 && cpuMicrosAfter >= 0 && units > 0) {
            serverCpuMicrosPerMessage = (double) (cpuMicrosAfter - cpuMicrosBefore) / units;
            extra.put("server_cpu_s", (cpuMicrosAfter - cpuMicrosBefore) / 1e6);
        }
    }

    void serverRss(long bytes) {
        if (bytes >= 0) {
            serverRssMb = bytes / (1024.0 * 1024.0);
        }
    }

    String toJson() {
        ObjectNode json = JSON.createObjectNode()
                .put("scenario", scenario)
                .put("target", target)
                .put("msgs_per_s", round(msgsPerSecond))
                .put("offered_per_s", round(offeredPerSecond))
                .put("p50_ms", round(p50Ms))
                .put("p99_ms", round(p99Ms))
                .put("p999_ms", round(p999Ms))
                .put("max_ms", round(maxMs))
                .put("errors", errors)
                .put("server_cpu_us_per_msg", round(serverCpuMicrosPerMessage))
                .put("server_rss_mb", round(serverRssMb))
                .put("connections", connections);
        extra.forEach((key, value) -> json.putPOJO(key, value instanceof Double d ? round(d) : value));
        return json.toString();
    }

    String toText() {
        var text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s against %s%n", scenario, target));
        line(text, "throughput", String.format(Locale.ROOT, "%.0f msgs/s%s", msgsPerSecond,
                offeredPerSecond > 0 ? String.format(Locale.ROOT, " (offered %.0f/s)", offeredPerSecond) : ""));
        if (p50Ms >= 0) {
            line(text, "latency", String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                    p50Ms, p99Ms, p999Ms, maxMs));
        }
        line(text, "errors", Long.toString(errors));
        line(text, "server CPU", serverCpuMicrosPerMessage < 0 ? "unknown"
                : String.format(Locale.ROOT, "%.1f µs per message", serverCpuMicrosPerMessage));
        line(text, "server RSS", serverRssMb < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MiB", serverRssMb));
        line(text, "connections", Integer.toString(connections));
        extra.forEach((key, value) -> line(text, key.replace('_', ' '),
                value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : String.valueOf(value)));
        return text.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "  %-22s %s%n", label, value));
    }

    /** The median of values sorted in ascending order (the mean of the middle two for an even count). */
    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
