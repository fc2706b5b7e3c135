package dev.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test, started as a child process so that its CPU time and memory can be read
 * from {@code /proc/<pid>} ({@link ProcessStats}). Its output goes to a log file next to its
 * data; the process is destroyed (and, after five seconds, killed) on {@link #close}.
 */
final class ChildProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path workDir;
    private final Path log;
    private final int port;

    private ChildProcess(String name, Process process, Path workDir, Path log, int port) {
        this.name = name;
        this.process = process;
        this.workDir = workDir;
        this.log = log;
        this.port = port;
    }

    /** Whether a started child answers on its port yet (checked every 100 ms until it does). */
    interface Readiness {
        boolean ready(int port) throws IOException, InterruptedException;
    }

    /**
     * Starts {@code command} (in which {@code {port}} is replaced by a free port) and waits until
     * an HTTP GET of {@code readyPath} on that port answers with a status below 500.
     */
    static ChildProcess start(String name, List<String> command, Path workDir, String readyPath) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        return start(name, command, workDir, port -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + readyPath)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() < 500);
    }

    /** Starts {@code command} ({@code {port}} replaced by a free port) and waits until {@code readiness} says it is up. */
    static ChildProcess start(String name, List<String> command, Path workDir, Readiness readiness) {
        int port = freePort();
        List<String> resolved = command.stream().map(arg -> arg.replace("{port}", Integer.toString(port))).toList();
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve(name + ".log");
            Process process = new ProcessBuilder(resolved).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            var child = new ChildProcess(name, process, workDir, log, port);
            // If the bench is stopped (Ctrl-C, kill), the server under test goes with it.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, name + "-stopper"));
            child.awaitReady(readiness);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + resolved, e);
        }
    }

    private void awaitReady(Readiness readiness) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; see " + log);
            }
            try {
                if (readiness.ready(port)) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException(name + " not ready within " + READY_TIMEOUT + "; see " + log);
    }

    int port() {
        return port;
    }

    ProcessStats stats() {
        return new ProcessStats(process.pid());
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Stops the process and deletes its working directory (database, log): a relay run at full
     * speed leaves hundreds of megabytes. A server that failed to start keeps its log, since
     * {@link #start} reports its path.
     */
    void closeAndDeleteData() {
        close();
        deleteTree(workDir);
    }

    /** Deletes a temporary directory and everything in it, as far as it can (best effort). */
    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
