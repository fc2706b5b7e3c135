package dev.parley.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real server main class in a child JVM on a given port and database, so that a test can
 * kill it with SIGKILL ({@link Process#destroyForcibly}) and start it again on the same files.
 */
public final class ChildServer {

    private ChildServer() {
    }

    /** A free port that no outgoing connection can take while the child is down ({@link TestPorts#free}). */
    public static int freePort() throws IOException {
        return TestPorts.free();
    }

    /** Starts the server and waits until {@code /healthz} answers 200 (at most 60 s). */
    public static Process start(int port, Path database) throws Exception {
        return start(port, database, List.of(), database.resolveSibling("server-" + port + "-" + System.nanoTime() + ".log"));
    }

    /**
     * As {@link #start(int, Path)}, with {@code jvmOptions} for the child JVM (a small heap, say)
     * and its output in {@code log}.
     */
    public static Process start(int port, Path database, List<String> jvmOptions, Path log) throws Exception {
        return start(port, "jdbc:sqlite:" + database, jvmOptions, log);
    }

    /** As {@link #start(int, Path, List, Path)}, on the database at {@code databaseUrl} (PostgreSQL, say). */
    public static Process start(int port, String databaseUrl, List<String> jvmOptions, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "dev.parley.server.ServerMain", "--port", String.valueOf(port), "--metrics-port", "0", "--database-url",
                databaseUrl, "--message-rate", "100000", "--message-burst", "100000", "--registrations-per-ip", "1000"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var http = HttpClient.newHttpClient();
        // A bound, not a timing check: a JVM that starts while other test JVMs use both cores can take long.
        long deadline = System.nanoTime() + STARTUP_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server process exited with " + process.exitValue() + " before it answered: " + tail(log));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("server process did not answer /healthz within " + STARTUP_BOUND.toSeconds() + " s: " + tail(log));
    }

    private static final Duration STARTUP_BOUND = Duration.ofSeconds(60);

    /** The end of a child's log, for a failure message. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e.getMessage() + ")";
        }
    }
}
