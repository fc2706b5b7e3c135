package dev.parley.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run behind {@code parley.aot}, the JVM's ahead-of-time cache of the command-line
 * client's classes, loaded and linked (docs/CLIENT.md, "Start time"). The build runs it once after
 * the shade, with {@code -XX:AOTCacheOutput} and the client jar alone on the class path: it starts
 * the server jar named by its argument as a child process on a free port over a fresh SQLite file
 * in a temporary folder, runs the commands people run most in this JVM through
 * {@link ParleyCli#run} (two registrations, {@code users}, {@code send}, {@code receive},
 * {@code safety-number}, {@code --help}), stops the server and exits; the JVM writes the cache of
 * every class that run used as it exits.
 *
 * <p>What the commands print (a recovery code among it) is kept in memory and dropped; only a
 * failing command's error output is shown, and it fails the build. The cache is valid only for
 * the same jar and the JVM options that matter to it ({@code --enable-native-access=ALL-UNNAMED},
 * as {@code bin/parley} passes); with any other the JVM starts without it.
 */
public final class AotTraining {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private AotTraining() {
    }

    /** {@code args[0]}: the server's runnable jar ({@code server/target/parley-server.jar}). */
    public static void main(String[] args) {
        try {
            train(args);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1); // the client's threads would keep the JVM running
        }
        System.exit(0);
    }

    private static void train(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            throw new IllegalArgumentException("usage: AotTraining SERVER_JAR (an existing parley-server.jar)");
        }
        Path folder = Files.createTempDirectory("parley-cli-aot-training");
        int port = freePort();
        Process server = startServer(Path.of(args[0]), folder, port);
        try {
            awaitHealthy(server, port, folder.resolve("server.log"));
            exercise("http://127.0.0.1:" + port, folder);
        } finally {
            server.destroy(); // a stop signal: the server drains and exits
            if (!server.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
            deleteTree(folder);
        }
    }

    private static void exercise(String server, Path folder) {
        String alice = folder.resolve("alice").toString();
        String bob = folder.resolve("bob").toString();
        cli("--server", server, "register", "training_alice", "--home", alice);
        cli("--server", server, "register", "training_bob", "--home", bob);
        cli("users", "--home", alice);
        cli("send", "training_bob", "a training message", "--home", alice);
        cli("receive", "--wait", "1", "--home", bob);
        cli("send", "training_alice", "and its answer", "--home", bob);
        cli("receive", "--wait", "1", "--home", alice);
        cli("safety-number", "training_bob", "--home", alice);
        cli("--help");
    }

    /** Runs one command in this JVM; its output is dropped, a failure ends the training. */
    private static void cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ParleyCli.run(new PrintWriter(out), new PrintWriter(err), args);
        if (code != 0) {
            throw new IllegalStateException("'parley " + String.join(" ", args) + "' exited with " + code + ": " + err);
        }
    }

    private static Process startServer(Path jar, Path folder, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-jar", jar.toAbsolutePath().toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--metrics-port", "0",
                "--database-url", "jdbc:sqlite:" + folder.resolve("server.db"),
                "--blob-dir", folder.resolve("blobs").toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("server.log").toFile()).start();
    }

    private static void awaitHealthy(Process server, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(2)).build();
            Instant deadline = Instant.now().plus(WAIT);
            while (Instant.now().isBefore(deadline)) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("the training server exited: " + Files.readString(log));
                }
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the training server was not healthy within " + WAIT + ": " + Files.readString(log));
        } finally {
            http.shutdownNow();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
