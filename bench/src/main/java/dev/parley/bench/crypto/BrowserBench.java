package dev.parley.bench.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import dev.parley.web.testing.Chromium;
import dev.parley.web.testing.StaticServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the web client's files ({@code /web/}) and the benchmark page ({@code /bench/},
 * {@code browser-bench/} of this module's resources) with the web module's
 * {@link StaticServer}, launches headless Chromium through {@link Chromium}, and runs the
 * page's {@code bench.js} in a fresh page per run.
 */
public final class BrowserBench implements AutoCloseable {

    /** Where the page lives in the repository (served as files, like {@code web/}). */
    static final String PAGE_DIR = "bench/src/main/resources/browser-bench";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run of bench.js: what was measured and the figure. */
    public record Result(int messages, int size, boolean turns, double seconds, double messagesPerSecond,
            double setupMillis, String userAgent) {}

    private final StaticServer server;
    private final Chromium chromium;

    private BrowserBench(StaticServer server, Chromium chromium) {
        this.server = server;
        this.chromium = chromium;
    }

    /** Starts the server on 127.0.0.1 (a secure context for Web Crypto) and Chromium. */
    public static BrowserBench start(Path repoRoot) throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        mounts.put("/web/", repoRoot.resolve("web"));
        mounts.put("/bench/", repoRoot.resolve(PAGE_DIR));
        StaticServer server = StaticServer.start(mounts);
        try {
            return new BrowserBench(server, Chromium.launch());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** {@code -Dparley.repo.root}, else the working directory or its parent, whichever holds {@code web/}. */
    public static Path repoRoot() {
        String root = System.getProperty("parley.repo.root");
        if (root != null) {
            return Path.of(root).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("web/js/protocol")) ? here : here.getParent();
    }

    /** Runs {@code messages} timed 1 KiB round trips (after {@code warmup} untimed ones). */
    public Result run(int messages, int warmup, boolean turns) throws IOException {
        Page page = chromium.newPage();
        try {
            page.navigate(server.url("/bench/index.html"));
            Object text = page.evaluate(
                    "async (args) => JSON.stringify(await (await import('/bench/bench.js')).run(args))",
                    Map.of("messages", messages, "warmup", warmup, "turns", turns, "size", Payloads.SIZE));
            JsonNode r = JSON.readTree((String) text);
            return new Result(r.get("messages").asInt(), r.get("size").asInt(), r.get("turns").asBoolean(),
                    r.get("seconds").asDouble(), r.get("messagesPerSecond").asDouble(), r.get("setupMillis").asDouble(),
                    r.get("userAgent").asText());
        } finally {
            page.context().close();
        }
    }

    /** The results as a Markdown table. */
    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder("| workload | messages | seconds | msgs/s | session setup ms |\n")
                .append("| --- | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| ratchet %d B, %s | %d | %.2f | %,.0f | %.1f |%n", r.size(),
                    r.turns() ? "turn every message" : "same chain", r.messages(), r.seconds(), r.messagesPerSecond(),
                    r.setupMillis()));
        }
        return out.toString();
    }

    @Override
    public void close() {
        try {
            chromium.close();
        } finally {
            server.close();
        }
    }
}
