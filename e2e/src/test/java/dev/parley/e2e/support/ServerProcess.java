package dev.parley.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real Parley server ({@code dev.parley.server.Main}) in a child JVM with its own SQLite
 * file and its log (stdout and stderr) in a file, so that a test can search both for what the
 * server must never learn. It can be stopped and started again on the same port and database,
 * which is how the tests take the server away from connected browsers.
 */
public final class ServerProcess implements AutoCloseable {

    private final Path directory;
    private final Path database;
    private final Path log;
    private final int port;
    private Process process;

    private ServerProcess(Path directory, int port) {
        this.directory = directory;
        this.database = directory.resolve("parley.db");
        this.log = directory.resolve("server.log");
        this.port = port;
    }

    public static ServerProcess start() {
        try {
            var server = new ServerProcess(Files.createTempDirectory("parley-e2e"), freePort());
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port and database (after {@link #stop}). */
    public void restart() {
        startProcess();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void startProcess() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.parley.server.Main",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--database-url", "jdbc:sqlite:" + database,
                "--message-rate", "10000", "--message-burst", "10000", "--registrations-per-ip", "10000",
                "--connections-per-ip", "10000", "--bundles-per-minute", "10000"));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            awaitHealthy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() {
        var http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; log: " + readLog());
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url("/healthz"))).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("server did not become healthy; log: " + readLog());
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    public Path database() {
        return database;
    }

    /** Every file the server wrote: the database (with WAL and journal files) and its log. */
    public List<Path> filesWritten() {
        try (var files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String readLog() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
