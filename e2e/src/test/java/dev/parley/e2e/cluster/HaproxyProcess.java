package dev.parley.e2e.cluster;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * HAProxy (Debian's {@code haproxy}) in front of a {@link ClusterFixture}'s nodes, configured by
 * rendering the repository's one template, {@code deploy/haproxy/parley.cfg.template}, exactly as
 * its header says: {@code {{LISTEN_PORT}}} and one {@code server} line per node in place of the
 * {@code {{SERVERS}}} line. Nothing else of the configuration is written here.
 */
final class HaproxyProcess implements AutoCloseable {

    static final String TEMPLATE = "deploy/haproxy/parley.cfg.template";
    /**
     * Every client of a test comes from 127.0.0.1, so the proxy's per-address limit (the
     * template's environment setting) is raised as the nodes' {@code --connections-per-ip} is.
     */
    private static final String CONNECTIONS_PER_ADDRESS = "10000";

    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private HaproxyProcess(Path config, Path log, int port) {
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /** Renders the template for {@code nodes} into {@code directory}, checks it with {@code haproxy -c} and starts the proxy on {@code port}. */
    static HaproxyProcess start(Path directory, int port, List<NodeProcess> nodes) {
        Path binary = binary();
        try {
            Path config = directory.resolve("haproxy.cfg");
            Files.writeString(config, render(Files.readString(template()), port, nodes));
            var proxy = new HaproxyProcess(config, directory.resolve("haproxy.log"), port);
            proxy.run(binary, "-c");
            proxy.process = proxy.command(binary, "-db").redirectOutput(ProcessBuilder.Redirect.appendTo(proxy.log.toFile())).start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The template with its two placeholders filled in, as its header describes: the line that is
     * {@code {{SERVERS}}} alone (the header's comments name it too) becomes the server lines.
     */
    static String render(String template, int port, List<NodeProcess> nodes) {
        if (!template.contains("{{LISTEN_PORT}}") || template.lines().filter(HaproxyProcess::isServersLine).count() != 1) {
            throw new IllegalStateException(TEMPLATE + " lacks {{LISTEN_PORT}} or a line that is {{SERVERS}} alone");
        }
        String servers = nodes.stream().map(n -> "    server " + n.id() + " 127.0.0.1:" + n.port() + " check")
                .collect(Collectors.joining("\n"));
        return template.lines().map(line -> isServersLine(line) ? servers : line.replace("{{LISTEN_PORT}}", String.valueOf(port)))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static boolean isServersLine(String line) {
        return line.strip().equals("{{SERVERS}}");
    }

    /** Waits (at most 60 s) until a request through the proxy reaches a node ({@code /healthz} answers 200). */
    void awaitServing() {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Waits.until(Duration.ofSeconds(60), () -> "HAProxy serving on port " + port + " (a node that passes /readyz behind it); log:\n" + readLog(),
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("haproxy exited with " + process.exitValue() + "; log:\n" + readLog());
                    }
                    try {
                        var request = HttpRequest.newBuilder(URI.create(origin() + "/healthz")).timeout(Duration.ofSeconds(5)).build();
                        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    String readLog() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder command(Path binary, String mode) {
        var builder = new ProcessBuilder(List.of(binary.toString(), mode, "-f", config.toString())).redirectErrorStream(true);
        builder.environment().put("PARLEY_PROXY_CONNECTIONS_PER_ADDRESS", CONNECTIONS_PER_ADDRESS);
        return builder;
    }

    /** Runs haproxy in {@code mode} (e.g. {@code -c}, check the configuration) and fails with its output unless it exits 0. */
    private void run(Path binary, String mode) throws IOException {
        Process check = command(binary, mode).start();
        String output = new String(check.getInputStream().readAllBytes());
        try {
            if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
                throw new IllegalStateException("haproxy " + mode + " refused " + config + ":\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The haproxy executable on the PATH (or Debian's /usr/sbin/haproxy); a missing one fails the tests with the way to install it. */
    static Path binary() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "haproxy"));
            }
        }
        candidates.add(Path.of("/usr/sbin/haproxy"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                "haproxy not found (the cluster tests run three Parley nodes behind it): install Debian's package,"
                        + " apt-get install -y haproxy"));
    }

    /**
     * The template in this repository: under {@code parley.repo.root} (set by the build for every
     * test), else found from the working directory upwards (a test started from an IDE).
     */
    static Path template() {
        String root = System.getProperty("parley.repo.root");
        if (root != null && Files.isRegularFile(Path.of(root, TEMPLATE))) {
            return Path.of(root, TEMPLATE);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(TEMPLATE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(TEMPLATE + " not found above " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
