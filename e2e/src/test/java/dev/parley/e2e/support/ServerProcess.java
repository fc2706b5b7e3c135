package dev.parley.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Parley server (its runnable jar, {@link ServerJar}) in a child JVM with its own SQLite
 * file and its log (stdout and stderr) in a file, so that a test can search both for what the
 * server must never learn. It can be stopped and started again on the same port and database,
 * which is how the tests take the server away from connected browsers.
 */
public final class ServerProcess implements ChatServer {

    private final Path directory;
    private final Path database;
    private final Path log;
    /** The server's own announcement; the port is read from it (other processes may be listening nearby). */
    private static final Pattern LISTENING = Pattern.compile("Parley server listening on http://127\\.0\\.0\\.1:(\\d+)");
    private int port;
    private Process process;
    /** Options added to the test defaults (a test class's own server settings, {@link #restartWith}). */
    private List<String> extraArgs = List.of();

    private ServerProcess(Path directory) {
        this.directory = directory;
        this.database = directory.resolve("parley.db");
        this.log = directory.resolve("server.log");
    }

    /** Starts the server on a port the operating system chooses. */
    public static ServerProcess start() {
        try {
            var server = new ServerProcess(Files.createTempDirectory("parley-e2e"));
            server.startProcess(0);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port and database (after {@link #stop}). */
    @Override
    public void restart() {
        startProcess(port);
    }

    /** Stops the server and starts it again on the same port and database with {@code args} added (e.g. {@code --directory private}). */
    public void restartWith(String... args) {
        stop();
        extraArgs = List.of(args);
        startProcess(port);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
    @Override
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

    private void startProcess(int requestedPort) {
        List<String> command = new ArrayList<>(ServerJar.command(List.of()));
        command.addAll(List.of("--host", "127.0.0.1", "--port", String.valueOf(requestedPort), "--metrics-port", "0",
                "--database-url", "jdbc:sqlite:" + database,
                "--message-rate", "10000", "--message-burst", "10000", "--registrations-per-ip", "10000",
                "--connections-per-ip", "10000", "--bundles-per-minute", "10000",
                "--one-time-prekeys-per-target", "10000"));
        command.addAll(extraArgs);
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            port = awaitListening(logStart);
            awaitHealthy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the bound port from the server's own log line (written after binding). */
    private int awaitListening(long logStart) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String text = readLog();
            Matcher m = LISTENING.matcher(text.substring((int) Math.min(logStart, text.length())));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; log: " + text);
            }
            pause(50);
        }
        throw new IllegalStateException("server did not start; log: " + readLog());
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
                if (response.statusCode() == 200 && process.isAlive()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(100);
        }
        throw new IllegalStateException("server did not become healthy; log: " + readLog());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String wsUrl() {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    @Override
    public Path database() {
        return database;
    }

    /** Every file the server wrote: the database (with WAL and journal files) and its log. */
    @Override
    public List<Path> filesWritten() {
        try (var files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String readLog() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
