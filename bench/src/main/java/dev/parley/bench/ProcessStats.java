package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of another process, read from {@code /proc/<pid>} (Linux).
 * CPU time is user + system of all the process's threads, in clock ticks of
 * {@link #TICKS_PER_SECOND}; the figures are only as fine as one tick (10 ms), so measure over
 * seconds, not milliseconds.
 */
public final class ProcessStats {

    /** USER_HZ: the unit of utime/stime in /proc/pid/stat; 100 on every Linux build that matters. */
    static final long TICKS_PER_SECOND = 100;

    private final long pid;

    public ProcessStats(long pid) {
        this.pid = pid;
    }

    public long pid() {
        return pid;
    }

    /** Total CPU time (user + system) the process has used so far, in microseconds. */
    public long cpuMicros() {
        String[] fields = statFields();
        long utime = Long.parseLong(fields[11]); // field 14 of the whole line
        long stime = Long.parseLong(fields[12]); // field 15
        return (utime + stime) * 1_000_000 / TICKS_PER_SECOND;
    }

    /**
     * {@link #cpuMicros} plus the CPU time of the children it has waited for (cutime, cstime):
     * for a parent that reaps its workers (PostgreSQL's postmaster), this and its live children's
     * {@link #cpuMicros} add up to all the CPU its process tree used, exited workers included.
     */
    long cpuMicrosWithReapedChildren() {
        String[] fields = statFields();
        long ticks = 0;
        for (int field = 11; field <= 14; field++) { // utime, stime, cutime, cstime: fields 14-17 of the line
            ticks += Long.parseLong(fields[field]);
        }
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }

    /** The parent's process id. */
    long parentPid() {
        return Long.parseLong(statFields()[1]); // field 4
    }

    /** The command line as the process shows it (PostgreSQL's workers set it to their title), arguments joined by spaces. */
    String title() {
        return read("cmdline").replace('\0', ' ').strip();
    }

    /** The fields of /proc/pid/stat after the command name (field 3 of the line is index 0). */
    private String[] statFields() {
        return fieldsAfterName(read("stat"));
    }

    /**
     * The fields of a {@code /proc/.../stat} line after the command name (field 3 of the line is
     * index 0; utime and stime are 11 and 12). The name (field 2) is in parentheses and may
     * contain spaces: the fields start after its last parenthesis.
     */
    static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** The command (or thread) name of a {@code /proc/.../stat} line: field 2, without its parentheses. */
    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** Resident set size, in bytes. */
    public long rssBytes() {
        for (String line : read("status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** The soft limit on open files ({@code ulimit -n}): every socket is one, on both ends of a loopback connection. */
    long openFilesLimit() {
        for (String line : read("limits").split("\n")) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file + " (is the server still running?)", e);
        }
    }
}
