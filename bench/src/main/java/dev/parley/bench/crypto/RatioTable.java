package dev.parley.bench.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Pairs each {@link ParleyBenchmarks} result with the {@link LibsignalBenchmarks} result of
 * the same workload and prints a Markdown table with the ratio Parley time / libsignal time,
 * wall-clock and CPU (below 1: Parley is faster; the target for the ratchet in docs/BENCHMARKS.md is at
 * most 2).
 */
final class RatioTable {

    /** Row order and labels; a {@code Stored} Parley method compares with the same libsignal method. */
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("ratchetSameChain", "ratchet 1 KiB, same chain, sessions as objects");
        LABELS.put("ratchetSameChainStored", "ratchet 1 KiB, same chain, sessions stored as bytes");
        LABELS.put("ratchetWithTurns", "ratchet 1 KiB, turn every message, sessions as objects");
        LABELS.put("ratchetWithTurnsStored", "ratchet 1 KiB, turn every message, sessions stored as bytes");
        LABELS.put("sessionSetup", "session setup (PQXDH + first message)");
    }

    private RatioTable() {}

    /**
     * One measured benchmark: wall-clock µs/op (mean and its 99.9% confidence half-width) and the
     * CPU µs/op of {@link ProcessCpuProfiler} (NaN when it did not run).
     */
    record Score(double micros, double error, double cpu) {

        static Score of(RunResult run) {
            Result<?> primary = run.getPrimaryResult();
            Result<?> cpu = run.getSecondaryResults().get(ProcessCpuProfiler.LABEL);
            return new Score(primary.getScore(), primary.getScoreError(), cpu == null ? Double.NaN : cpu.getScore());
        }

        String text() {
            return Double.isNaN(error) ? fmt(micros) : fmt(micros) + " ± " + fmt(error);
        }
    }

    static String format(Collection<RunResult> results) {
        Map<String, Score> parley = new LinkedHashMap<>();
        Map<String, Score> libsignal = new LinkedHashMap<>();
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Score score = Score.of(run);
            if (benchmark.contains(ParleyBenchmarks.class.getSimpleName() + ".")) {
                parley.put(method, score);
            } else if (benchmark.contains(LibsignalBenchmarks.class.getSimpleName() + ".")) {
                libsignal.put(method, score);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("| workload | Parley µs/op | libsignal µs/op | ratio | Parley CPU µs/op | libsignal CPU µs/op | CPU ratio |");
        lines.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, String> row : LABELS.entrySet()) {
            Score ours = parley.get(row.getKey());
            Score theirs = libsignal.get(row.getKey().replace("Stored", ""));
            if (ours == null || theirs == null) {
                continue; // a comparison needs both (a method filter may have left one out)
            }
            lines.add("| " + row.getValue() + " | " + ours.text() + " | " + theirs.text()
                    + " | " + ratio(ours.micros(), theirs.micros())
                    + " | " + fmt(ours.cpu()) + " | " + fmt(theirs.cpu()) + " | " + ratio(ours.cpu(), theirs.cpu()) + " |");
        }
        return String.join(System.lineSeparator(), lines);
    }

    /** Parley's time over libsignal's: below 1, Parley is faster. */
    private static String ratio(double ours, double theirs) {
        return Double.isNaN(ours) || Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.2f", ours / theirs);
    }

    private static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }
}
