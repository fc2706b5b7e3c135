package dev.parley.server;

import dev.parley.server.config.ServerCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run behind {@code parley-server.aot}, the JVM's ahead-of-time cache of the
 * server's classes, loaded and linked (docs/OPERATIONS.md, "Start time"). The build runs it once
 * after packaging the jar, with {@code -XX:AOTCacheOutput}: it starts a real server on a free
 * port over a fresh SQLite file in a temporary folder, fetches the page, its script and the
 * health check, opens a WebSocket and sends one frame (which is refused: no account is
 * involved), drains the server as a stop signal would and exits; the JVM writes the cache of
 * every class that run used as it exits.
 *
 * <p>The cache is valid only for the same jar and the same JVM options that matter to it
 * ({@code --enable-native-access=ALL-UNNAMED}); with any other the JVM says so and starts
 * without it, as before.
 */
public final class AotTraining {

    private static final Pattern SCRIPT = Pattern.compile("<script[^>]* src=\"([^\"]+)\"");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path folder = Files.createTempDirectory("parley-aot-training");
        int exit;
        try {
            CarrierThreads.configure();
            var command = new ServerCommand(config -> {
                ParleyServer server = ParleyServer.start(config);
                try {
                    exercise(server.port());
                } finally {
                    server.drainAndClose();
                }
            });
            exit = new CommandLine(command).execute("--host", "127.0.0.1", "--port", "0", "--metrics-port", "0",
                    "--database-url", "jdbc:sqlite:" + folder.resolve("parley.db"),
                    "--blob-dir", folder.resolve("blobs").toString());
        } finally {
            deleteTree(folder);
        }
        System.exit(exit);
    }

    private static void exercise(int port) {
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
        try {
            String page = get(http, base + "/");
            Matcher script = SCRIPT.matcher(page);
            while (script.find()) {
                get(http, base + script.group(1));
            }
            get(http, base + "/healthz");
            CompletableFuture<CharSequence> answer = new CompletableFuture<>();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(WAIT)
                    .header("Origin", base)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            answer.complete(data);
                            return null;
                        }
                    }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            socket.sendText("{\"type\":\"get_public_keys\",\"id\":\"training\",\"usernames\":[\"nobody\"]}", true);
            answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            socket.abort(); // the server's closing answer is not awaited
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the training run's requests failed", e);
        } finally {
            http.shutdownNow();
        }
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
