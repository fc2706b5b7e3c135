package dev.parley.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for one test: {@code initdb} into a temporary folder, on a free
 * port of 127.0.0.1, trust authentication for user {@code postgres}. Unlike the shared server it
 * can be stopped and started again, for outage tests. The binaries are found under
 * {@code /usr/lib/postgresql/<version>/bin} (the newest version); without them the test fails
 * loudly. Run as root, the server runs as the {@code postgres} user ({@code runuser}), which
 * owns the folder, as PostgreSQL refuses to run as root.
 */
public final class PostgresProcess implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private PostgresProcess(Path bin, Path base, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Creates the cluster and starts the server. */
    public static PostgresProcess start() {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path base;
        try {
            base = Files.createTempDirectory("parley-pg");
            if (root) {
                Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
                UserPrincipalLookupService users = base.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(base, users.lookupPrincipalByName("postgres"));
                GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
                Files.getFileAttributeView(base, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a folder for a private PostgreSQL", e);
        }
        var process = new PostgresProcess(bin, base, freePort(), root);
        Runtime.getRuntime().addShutdownHook(new Thread(process::stopQuietly));
        process.run(List.of(bin.resolve("initdb").toString(), "-D", process.data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"));
        process.startServer();
        return process;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} that has {@code initdb}, {@code pg_ctl} and {@code postgres}. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
                for (Path version : versions) {
                    Path bin = version.resolve("bin");
                    if (Stream.of("initdb", "pg_ctl", "postgres").allMatch(tool -> Files.isExecutable(bin.resolve(tool)))) {
                        found.add(bin);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found.stream().max(Comparator.comparing(PostgresProcess::majorVersion)).orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (initdb, pg_ctl, postgres): install the "
                        + "postgresql package; this test needs a private server and is not skipped"));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A port outside the ephemeral range ({@link TestPorts}): the outage tests stop this server and start it again on it. */
    private static int freePort() {
        try {
            return TestPorts.free();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The maintenance database's URL. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public int port() {
        return port;
    }

    /** Starts the server again after {@link #stop}; returns once it accepts connections. */
    public synchronized void startAgain() {
        if (!running) {
            startServer();
        }
    }

    /** Stops the server (fast shutdown: open connections are closed); returns once it is down. */
    public synchronized void stop() {
        if (running) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
            running = false;
        }
    }

    private void startServer() {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + base
                + " -c shared_buffers=16MB -c max_connections=40 -c fsync=on -c synchronous_commit=on";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options, "-l",
                base.resolve("server.log").toString(), "-w", "-t", String.valueOf(COMMAND_TIMEOUT_SECONDS), "start"));
        running = true;
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).directory(base.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", full));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", full) + "' failed (" + process.exitValue() + "):\n"
                        + output + serverLog());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + full, e);
        }
    }

    private String serverLog() {
        try {
            Path log = base.resolve("server.log");
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void stopQuietly() {
        try {
            if (running) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
                running = false;
            }
        } catch (RuntimeException ignored) {
            // the JVM is exiting or the server is gone
        }
    }

    /** Stops the server and deletes its folder. */
    @Override
    public synchronized void close() {
        stopQuietly();
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
