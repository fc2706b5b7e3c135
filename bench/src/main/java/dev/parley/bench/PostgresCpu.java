package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time of a PostgreSQL server, from {@code /proc}, split three ways: the backends serving
 * one database (the cluster under test: their titles name it), the server's own background
 * workers (WAL writer, checkpointer, background writer, launchers), and everything else (other
 * databases' backends, workers that exited). The total is exact: the postmaster's own and
 * reaped children's time ({@link ProcessStats#cpuMicrosWithReapedChildren}) plus every live
 * child's. On a PostgreSQL shared with other work, "everything else" is that work.
 *
 * <p>A backend's title is {@code postgres: <cluster>: <user> <database> <host>(<port>) <state>},
 * a background worker's e.g. {@code postgres: 15/main: walwriter}.
 */
final class PostgresCpu {

    /** Titles of the server's own workers, shared by every database (PostgreSQL 15). */
    private static final Pattern BACKGROUND = Pattern.compile(
            ": (checkpointer|background writer|walwriter|autovacuum launcher|logical replication launcher|archiver|stats collector)\\b");

    private final long postmasterPid;
    private final String database;

    private PostgresCpu(long postmasterPid, String database) {
        this.postmasterPid = postmasterPid;
        this.database = database;
    }

    /** The server whose backends serve {@code database}, found from one of them; fails if none is connected. */
    static PostgresCpu serving(String database) {
        for (long pid : allPids()) {
            try {
                var process = new ProcessStats(pid);
                if (servesDatabase(process.title(), database)) {
                    return new PostgresCpu(process.parentPid(), database);
                }
            } catch (UncheckedIOException | NumberFormatException e) {
                // the process went away while being read
            }
        }
        throw new IllegalStateException("no PostgreSQL backend serving database " + database + " found in /proc");
    }

    /** CPU time so far, in microseconds, by who used it. */
    record Reading(long total, Map<Long, Long> ownBackends, Map<Long, Long> background) {
    }

    /** What was used between two readings, in microseconds. */
    record Used(long total, long ownBackends, long background) {
        long others() {
            return total - ownBackends - background;
        }
    }

    Reading read() {
        long total = new ProcessStats(postmasterPid).cpuMicrosWithReapedChildren();
        Map<Long, Long> own = new HashMap<>();
        Map<Long, Long> background = new HashMap<>();
        for (long pid : allPids()) {
            try {
                var process = new ProcessStats(pid);
                if (process.parentPid() != postmasterPid) {
                    continue;
                }
                long cpu = process.cpuMicros();
                String title = process.title();
                total += cpu;
                if (servesDatabase(title, database)) {
                    own.put(pid, cpu);
                } else if (BACKGROUND.matcher(title).find()) {
                    background.put(pid, cpu);
                }
            } catch (UncheckedIOException | NumberFormatException e) {
                // exited between listing and reading: its time is in the postmaster's reaped total next time
            }
        }
        return new Reading(total, own, background);
    }

    static Used between(Reading before, Reading after) {
        return new Used(after.total() - before.total(), grown(before.ownBackends(), after.ownBackends()),
                grown(before.background(), after.background()));
    }

    /** What the processes alive at the end used since the start (all of it, for those started since). */
    private static long grown(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (var entry : after.entrySet()) {
            sum += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
        }
        return sum;
    }

    private static boolean servesDatabase(String title, String database) {
        if (!title.startsWith("postgres: ")) {
            return false;
        }
        for (String word : title.split(" ")) {
            if (word.equals(database)) {
                return true;
            }
        }
        return false;
    }

    private static List<Long> allPids() {
        try (var entries = Files.list(Path.of("/proc"))) {
            return entries.map(path -> path.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
    }
}
