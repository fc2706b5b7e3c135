package dev.parley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which server a scenario runs against. By default the bench starts a fresh Parley server from
 * the shaded jar as a child process, with an empty SQLite database in a temporary directory and
 * the per-client limits lifted (a benchmark drives thousands of clients from one address).
 */
final class ServerOptions {

    @Option(names = "--server", description = "Drive a running Parley server at this URL (e.g. http://127.0.0.1:5000) instead of starting one.")
    String serverUrl;

    @Option(names = "--server-pid", defaultValue = "-1",
            description = "With --server: the server's process id, to report its CPU and memory.")
    long serverPid;

    @Option(names = "--server-jar", description = "Parley server jar to start (default: <repo>/server/target/parley-server.jar).")
    Path serverJar;

    @Option(names = "--server-jvm-args", defaultValue = "-Xms512m -Xmx2g",
            description = "JVM options for the started server (default: ${DEFAULT-VALUE}).")
    String serverJvmArgs;

    @Option(names = "--server-option", paramLabel = "ARG",
            description = "An option for the started Parley server, after the bench's own (repeat it; e.g. "
                    + "--server-option=--commit-linger --server-option=PT0.001S).")
    List<String> serverOptions = new ArrayList<>();

    @Option(names = "--jfr", description = "Record a JFR profile of the started server into this file.")
    Path jfr;

    @Option(names = "--repo-root", description = "Parley checkout (default: -Dparley.repo.root or the working directory).")
    Path repoRoot;

    /** Limits lifted for load generation; everything else is the server's default behaviour. */
    static final List<String> BENCH_LIMITS = List.of(
            "--message-rate", "1000000", "--message-burst", "1000000",
            "--registrations-per-ip", "100000000", "--connections-per-ip", "1000000",
            "--bundles-per-minute", "1000000", "--queue-cap", "1000000", "--idle-timeout", "PT30M",
            "--one-time-prekeys-per-target", "1000000", "--queue-share", "1000000", "--queued-mib-per-account", "1000000",
            "--metrics-port", "0");

    Path repoRoot() {
        return repoRoot(repoRoot);
    }

    /** The checkout: {@code given} (a --repo-root option) if set, else -Dparley.repo.root, else the working directory. */
    static Path repoRoot(Path given) {
        if (given != null) {
            return given;
        }
        String property = System.getProperty("parley.repo.root");
        return Path.of(property != null ? property : "").toAbsolutePath();
    }

    /** The server jar a started Parley runs: --server-jar, else the checkout's. */
    Path jar() {
        return jar(serverJar, repoRoot());
    }

    /** The server jar: {@code given} (a --server-jar option) if set, else the one built in {@code repoRoot}. */
    static Path jar(Path given, Path repoRoot) {
        return given != null ? given : repoRoot.resolve("server/target/parley-server.jar");
    }

    /** The server under test: the one at --server, or a freshly started Parley. Close the returned handle after the run. */
    RunningServer startParley() {
        if (serverUrl != null) {
            return new RunningServer(new Target("parley", serverUrl.replaceAll("/+$", ""),
                    serverPid > 0 ? new ProcessStats(serverPid) : null), null, null);
        }
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar
                    + "; build it with ./mvnw -B -q -pl server -am package -DskipTests (bin/parley-bench does)");
        }
        Path workDir = tempDir("parley-bench");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(Arrays.stream(serverJvmArgs.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=name=" + RECORDING + ",settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=10ms");
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--host", "127.0.0.1", "--port", "{port}"));
        // A fresh SQLite file, unless a --server-option names the database (e.g. a PostgreSQL one).
        if (serverOptions.stream().noneMatch(option -> option.equals("--database-url") || option.startsWith("--database-url="))) {
            command.addAll(List.of("--database-url", "jdbc:sqlite:" + workDir.resolve("parley.db")));
        }
        command.addAll(BENCH_LIMITS);
        command.addAll(serverOptions);
        ChildProcess child = ChildProcess.start("parley-server", command, workDir, "/healthz");
        return new RunningServer(new Target("parley", "http://127.0.0.1:" + child.port(), child.stats()), child, jfr);
    }

    /** Starts one of the comparison relays in bench/peers (see bench/peers/setup.sh). */
    RunningServer startPeer(String kind) {
        Path peers = repoRoot().resolve("bench/peers");
        List<String> command = switch (kind) {
            case "socketio" -> {
                Path modules = peers.resolve("socketio/node_modules/socket.io");
                if (!Files.isDirectory(modules)) {
                    throw new PeerMissingException("socketio", "npm package socket.io not installed in " + modules.getParent()
                            + "; run bench/peers/setup.sh");
                }
                yield List.of("node", peers.resolve("socketio/relay.js").toString(), "{port}");
            }
            case "flask" -> {
                if (!Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/flask_socketio"))) {
                    throw new PeerMissingException("flask", "Debian package python3-flask-socketio not installed; run bench/peers/setup.sh");
                }
                yield List.of("/usr/bin/python3", peers.resolve("flask/relay.py").toString(), "{port}");
            }
            default -> throw new IllegalArgumentException("unknown peer '" + kind + "' (socketio or flask)");
        };
        ChildProcess child = ChildProcess.start(kind, command, tempDir("parley-bench-" + kind),
                "/socket.io/?EIO=4&transport=polling");
        return new RunningServer(new Target(kind, "http://127.0.0.1:" + child.port(), child.stats()), child, null);
    }

    /** The name of the JFR recording a server started with {@code --jfr} runs. */
    private static final String RECORDING = "parley-bench";

    /**
     * Writes the server's recording to {@code file} with {@code jcmd} while the server still runs:
     * a dump at exit can outlast the time a stopping server is given before it is killed.
     */
    static void dumpRecording(long pid, Path file) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JFR.dump", "name=" + RECORDING,
                    "filename=" + file.toAbsolutePath()).redirectErrorStream(true).start();
            String output = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (dump.waitFor() != 0 || !Files.isRegularFile(file)) {
                System.err.println("the JFR recording could not be written to " + file + ": " + output.strip());
            }
        } catch (java.io.IOException e) {
            System.err.println("the JFR recording could not be written to " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A target and, if the bench started it, its process. */
    record RunningServer(Target target, ChildProcess process, Path jfr) implements AutoCloseable {
        @Override
        public void close() {
            if (jfr != null && process != null) {
                dumpRecording(process.stats().pid(), jfr);
            }
            if (process != null) {
                process.closeAndDeleteData();
            }
        }
    }

    /** A comparison relay that is not installed: reported, never skipped silently. */
    static final class PeerMissingException extends RuntimeException {
        final String peer;

        PeerMissingException(String peer, String message) {
            super(message);
            this.peer = peer;
        }
    }
}
