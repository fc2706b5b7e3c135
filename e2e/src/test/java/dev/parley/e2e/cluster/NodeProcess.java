package dev.parley.e2e.cluster;

import dev.parley.e2e.support.ServerJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Parley node of a {@link ClusterFixture}: {@code dev.parley.server.ServerMain} in a child
 * JVM on a port fixed for its whole life (so it comes back where the proxy expects it), its
 * output appended to its own log file across restarts. It can be killed with SIGKILL, stopped
 * with SIGTERM and started again.
 */
public final class NodeProcess {

    /** The exit status of a JVM killed by SIGKILL (128 + signal 9): proof that nothing of it ran on. */
    public static final int KILLED = 128 + 9;
    private static final Pattern METRICS_AT = Pattern.compile("metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String id;
    private final int port;
    /** The metrics port of the running JVM: chosen by the kernel at each start and read from its log. */
    private volatile int metricsPort = -1;
    private final Path log;
    private final List<String> arguments;
    private volatile Process process;

    /** {@code arguments} are ServerMain's options besides host, ports and node id. */
    NodeProcess(String id, int port, Path log, List<String> arguments) {
        this.id = id;
        this.port = port;
        this.log = log;
        this.arguments = List.copyOf(arguments);
    }

    /**
     * Starts the JVM (not waiting for it) and returns the log's length before this start's lines.
     *
     * <p>The metrics endpoint binds port 0: a port picked here and bound later by the child can be
     * taken in between (an outgoing connection's local port, another test's listener), which once
     * failed a node's start with "Address already in use". Only the HTTP port stays fixed, because
     * the proxy expects the node there after a restart.
     */
    private long launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(id + " is running");
        }
        // A small heap and the quick JIT tier only: a node starts in less than half the time on a
        // loaded machine, and the kill test starts nodes ten times.
        List<String> command = new ArrayList<>(ServerJar.command(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")));
        command.addAll(List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--metrics-port", "0",
                "--node-id", id));
        command.addAll(arguments);
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Files.writeString(log, "---- " + id + " starting at " + java.time.Instant.now() + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return logStart;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The metrics port this start logs ("metrics at http://127.0.0.1:PORT/metrics"). The node
     * answers {@code /healthz} as soon as its HTTP server listens, before it starts the metrics
     * endpoint and logs its port (seconds later on a loaded machine), so this waits for the
     * line, at most 60 s, and fails with the log if the node exits first.
     */
    private int loggedMetricsPort(long logStart) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String text = readLog();
            Matcher line = METRICS_AT.matcher(text.substring((int) Math.min(logStart, text.length())));
            if (line.find()) {
                return Integer.parseInt(line.group(1));
            }
            Process current = process;
            if (!current.isAlive()) {
                throw new IllegalStateException(id + " exited with " + current.exitValue() + "; log:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + " is healthy but logged no metrics address within 60 s; log:\n" + tail());
            }
            Waits.pause(50);
        }
    }

    /** Waits (at most 180 s: a loaded 2-core machine starts a JVM slowly) until the node answers {@code /healthz}; fails with its log if it exits or never does. */
    private void awaitHealthy() {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            Process current = process;
            if (!current.isAlive()) {
                throw new IllegalStateException(id + " exited with " + current.exitValue() + "; log:\n" + tail());
            }
            if (status("/healthz") == 200) {
                return;
            }
            Waits.pause(100);
        }
        throw new IllegalStateException(id + " did not answer /healthz within 180 s; log:\n" + tail());
    }

    /** Starts the node and waits until it is healthy. */
    public void start() {
        metricsPort = -1;
        long logStart = launch();
        awaitHealthy();
        metricsPort = loggedMetricsPort(logStart);
    }

    /**
     * Kills the JVM with SIGKILL ({@link Process#destroyForcibly}, which on Linux is
     * {@code kill(pid, SIGKILL)}: no shutdown hook, no flush, no goodbye to any client) and
     * checks that it died of it (exit status {@link #KILLED}).
     */
    public void kill() {
        Process current = requireRunning();
        current.destroyForcibly();
        int status = waitFor(current, Duration.ofSeconds(30));
        if (status != KILLED) {
            throw new IllegalStateException(id + " exited with " + status + " instead of dying of SIGKILL (" + KILLED + ")");
        }
    }

    /** Sends SIGTERM (what an operator's stop does, {@link Process#destroy}) without waiting. */
    public void signalTerm() {
        requireRunning().destroy();
    }

    /** Waits at most {@code timeout} for the JVM to exit and returns its exit status. */
    public int awaitExit(Duration timeout) {
        Process current = process;
        if (current == null) {
            throw new IllegalStateException(id + " was never started");
        }
        return waitFor(current, timeout);
    }

    /** SIGKILL, waiting for the exit; nothing if it is not running (the end of a fixture: its data goes too). */
    void killIfRunning() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
            waitFor(current, Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, then SIGKILL after 20 s; nothing if it is not running. */
    void stop() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        current.destroy();
        try {
            if (!current.waitFor(20, TimeUnit.SECONDS)) {
                current.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** The HTTP status of {@code GET path} on this node, or -1 when it does not answer. */
    public int status(String path) {
        try {
            var request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notAnswering) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The WebSockets logged in on this node now (its {@code parley_connections} gauge, scraped
     * from its metrics port), or -1 when it does not answer.
     */
    public int connections() {
        int metrics = metricsPort;
        if (metrics < 0) {
            return -1;
        }
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build();
            String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith("parley_connections ")).findFirst()
                    .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1).strip()))
                    .orElseThrow(() -> new IllegalStateException(id + " has no parley_connections gauge"));
        } catch (IOException notAnswering) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String id() {
        return id;
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return origin() + path;
    }

    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    public String readLog() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail() {
        String text = readLog();
        return text.length() <= 8000 ? text : text.substring(text.length() - 8000);
    }

    private Process requireRunning() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException(id + " is not running");
        }
        return current;
    }

    private int waitFor(Process current, Duration timeout) {
        try {
            if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(id + " did not exit within " + timeout + "; log:\n" + tail());
            }
            return current.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return id + "@" + port;
    }
}
