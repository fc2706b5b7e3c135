package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a server's CPU goes, by thread: user and system time of every thread of the process,
 * read from {@code /proc/<pid>/task/<tid>/stat} when the measured window starts and ends, summed
 * by thread family (the name with its numbers taken out: {@code qtp1-23} and {@code qtp1-7} are
 * both {@code qtp}; {@code ForkJoinPool-1-worker-3} is {@code ForkJoinPool-worker}, the carriers
 * of virtual threads). The report, {@code server_threads_us_per_msg}, gives each family that
 * used at least one clock tick its user and system microseconds per delivered message, largest
 * first. A thread that started or ended inside the window counts with what it used inside it as
 * far as /proc shows (an ended thread's time is lost: families of short-lived threads read low).
 * Like {@link ProcessStats}, as fine as a 10 ms tick: measure over seconds.
 */
final class ThreadCpuMeter implements RelayScenario.WindowMeter {

    private final ProcessStats process;
    private Map<Long, ThreadTicks> before = Map.of();
    private Map<Long, ThreadTicks> after = Map.of();

    ThreadCpuMeter(ProcessStats process) {
        this.process = process;
    }

    /** The meter of {@code target}'s process, or {@link RelayScenario.WindowMeter#NONE} when its pid is unknown. */
    static RelayScenario.WindowMeter of(Target target) {
        return target.stats() == null ? RelayScenario.WindowMeter.NONE : new ThreadCpuMeter(target.stats());
    }

    private record ThreadTicks(String family, long user, long system) {
    }

    @Override
    public void begin() {
        before = read();
    }

    @Override
    public void end() {
        after = read();
    }

    @Override
    public void report(Result result, long deliveredInWindow) {
        if (deliveredInWindow <= 0 || after.isEmpty()) {
            return;
        }
        Map<String, long[]> byFamily = new HashMap<>();
        after.forEach((tid, end) -> {
            ThreadTicks start = before.getOrDefault(tid, new ThreadTicks(end.family(), 0, 0));
            long[] sum = byFamily.computeIfAbsent(end.family(), f -> new long[2]);
            sum[0] += end.user() - start.user();
            sum[1] += end.system() - start.system();
        });
        double microsPerTick = 1e6 / ProcessStats.TICKS_PER_SECOND;
        Map<String, List<Double>> report = new LinkedHashMap<>();
        byFamily.entrySet().stream()
                .filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .forEach(e -> report.put(e.getKey(), List.of(
                        Result.round(e.getValue()[0] * microsPerTick / deliveredInWindow),
                        Result.round(e.getValue()[1] * microsPerTick / deliveredInWindow))));
        result.extra.put("server_threads_us_per_msg", report);
    }

    /** Every live thread's ticks so far, by thread id. */
    private Map<Long, ThreadTicks> read() {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        Map<Long, ThreadTicks> ticks = new HashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    String stat = Files.readString(thread.resolve("stat"));
                    String[] fields = ProcessStats.fieldsAfterName(stat);
                    ticks.put(Long.parseLong(thread.getFileName().toString()), new ThreadTicks(
                            family(ProcessStats.name(stat)),
                            Long.parseLong(fields[11]), Long.parseLong(fields[12]))); // utime, stime: fields 14 and 15
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the threads of process " + process.pid(), e);
        }
        return ticks;
    }

    /** The thread's name (as /proc shows it: at most 15 characters) without its numbers. */
    static String family(String name) {
        // A number is a counter (taken out) when it stands alone, ends the name or is 2+ digits
        // glued to a word (Jetty's qtp<hash>); "C2 CompilerThre" and "G1 Conc" keep theirs.
        String family = name.replaceAll("(?<=[-#_ .])\\d+|\\d+$|\\d{2,}", "")
                .replaceAll("([-#_ .])[-#_ .]+", "$1")
                .replaceAll("[-#_ .]+$", "")
                .strip();
        return family.isEmpty() ? "(numbered)" : family;
    }
}
