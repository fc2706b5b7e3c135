package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU from {@code /proc/stat} (all cores, every process, ours and anyone
 * else's) and its load average: whether the cores were saturated during a measurement, and by
 * how much a hypervisor took them away (steal).
 */
final class MachineCpu {

    /** Cumulative jiffies of all cores: busy (neither idle nor waiting for I/O), steal, and all. */
    record Reading(long busy, long steal, long total) {
    }

    private MachineCpu() {
    }

    static Reading read() {
        String line = readFile("/proc/stat").lines().filter(l -> l.startsWith("cpu ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no cpu line in /proc/stat"));
        String[] fields = line.substring(4).trim().split("\\s+");
        long total = 0;
        // user nice system idle iowait irq softirq steal [guest guest_nice: already inside user and nice]
        for (int i = 0; i < Math.min(8, fields.length); i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[3]) + Long.parseLong(fields[4]);
        long steal = fields.length > 7 ? Long.parseLong(fields[7]) : 0;
        return new Reading(total - idle - steal, steal, total);
    }

    /** Fraction of all cores' time that was busy between two readings (1.0: every core, all the time). */
    static double busyFraction(Reading before, Reading after) {
        long total = after.total() - before.total();
        return total <= 0 ? 0 : (double) (after.busy() - before.busy()) / total;
    }

    static double stealFraction(Reading before, Reading after) {
        long total = after.total() - before.total();
        return total <= 0 ? 0 : (double) (after.steal() - before.steal()) / total;
    }

    /** The 1-minute load average. */
    static double loadAverage() {
        return Double.parseDouble(readFile("/proc/loadavg").split(" ")[0]);
    }

    private static String readFile(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
