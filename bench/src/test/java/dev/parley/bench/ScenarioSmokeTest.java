package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each scenario, seconds long with small numbers, against a freshly started server from
 * server/target/parley-server.jar, so that the load generator cannot rot. These assert that
 * the tool works and its report is complete; they are not measurements. The first test lets the
 * bench start its own server; the others share one (--server, --server-pid) to stay fast.
 */
class ScenarioSmokeTest {

    private static ServerOptions.RunningServer shared;

    @BeforeAll
    static void startSharedServer() {
        var options = new ServerOptions();
        options.serverJvmArgs = "-Xmx512m";
        shared = options.startParley();
    }

    @AfterAll
    static void stopSharedServer() {
        if (shared != null) {
            shared.close();
        }
    }

    /** Options that point a scenario at the shared server. */
    private static String[] onShared(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--server";
        all[args.length + 1] = shared.target().httpBase();
        all[args.length + 2] = "--server-pid";
        all[args.length + 3] = Long.toString(shared.target().stats().pid());
        return all;
    }

    @Test
    void relayAsFastAsPossibleDeliversEverythingAndReportsServerCost() throws Exception {
        JsonNode result = run("relay", "--pairs", "4", "--size", "1024", "--warmup", "500ms", "--duration", "1s", "--json");
        assertReport(result, "relay");
        assertTrue(result.get("msgs_per_s").asDouble() > 0, () -> "nothing relayed: " + result);
        assertTrue(result.get("p50_ms").asDouble() > 0, () -> "no latency: " + result);
        assertTrue(result.get("server_cpu_us_per_msg").asDouble() > 0, () -> "no server CPU: " + result);
        JsonNode threads = result.get("server_threads_us_per_msg");
        assertTrue(threads != null && threads.has("parley-db-write"), () -> "no CPU of the database writer thread: " + result);
        assertEquals(2, threads.get("parley-db-write").size(), () -> "user and system time: " + result);
        assertEquals(8, result.get("connections").asInt());
        assertEquals(result.get("sent").asLong(), result.get("stored_acks").asLong(), () -> "not every message was stored: " + result);
    }

    @Test
    void relayAtAFixedRateNeverSendsAheadOfItsSchedule() throws Exception {
        JsonNode result = run(onShared("relay", "--pairs", "2", "--rate", "200", "--warmup", "500ms", "--duration", "2s", "--json"));
        assertReport(result, "relay");
        assertEquals(200, result.get("offered_per_s").asDouble());
        assertTrue(result.get("msgs_per_s").asDouble() > 0, () -> "nothing delivered: " + result);
        // Open loop: messages are sent when due, never earlier, whatever the machine's load
        // (how close delivery comes to the offered rate is a benchmark figure, not a test).
        long scheduled = 200 * 5 / 2; // 2.5 s of warm-up and measurement at 200/s
        assertTrue(result.get("sent").asLong() <= scheduled + 2, () -> "sent ahead of the schedule: " + result);
    }

    @Test
    void relayToSeveralDevicesDeliversEveryCopyAndTheTranscripts() throws Exception {
        JsonNode result = run(onShared("relay", "--pairs", "2", "--devices", "3", "--rate", "100", "--warmup", "500ms",
                "--duration", "1s", "--json"));
        assertReport(result, "relay");
        assertEquals(3, result.get("devices_per_account").asInt());
        assertEquals(12, result.get("connections").asInt(), () -> "two pairs of three-device accounts: " + result);
        long sent = result.get("sent").asLong();
        assertTrue(sent > 0, () -> "nothing sent: " + result);
        assertEquals(0, result.get("undelivered").asLong(), () -> "a receiving device missed a copy: " + result);
        // Each message is two frames (to the receiver, and the transcript to the sender's devices 2 and 3).
        assertEquals(2 * sent, result.get("stored_acks").asLong(), () -> "every frame stored: " + result);
        assertEquals(2 * sent, result.get("transcripts_delivered").asLong(), () -> "both other sending devices got each transcript: " + result);
    }

    @Test
    void idleHoldsAuthenticatedConnectionsAndReportsMemoryPerConnection() throws Exception {
        JsonNode result = run(onShared("idle", "--connections", "50", "--hold", "500ms", "--json"));
        assertReport(result, "idle");
        assertEquals(50, result.get("connections").asInt());
        assertTrue(result.has("rss_per_connection_kb"), () -> "no memory per connection: " + result);
    }

    @Test
    void connectChurnsAuthenticatedConnections() throws Exception {
        JsonNode result = run(onShared("connect", "--concurrency", "4", "--source-addresses", "2", "--warmup", "500ms", "--duration", "1s", "--json"));
        assertReport(result, "connect");
        assertTrue(result.get("msgs_per_s").asDouble() > 0, () -> "no connects: " + result);
    }

    @Test
    void drainDeliversAQueuedBacklogOnLogin() throws Exception {
        JsonNode result = run(onShared("drain", "--messages", "300", "--json"));
        assertReport(result, "drain");
        assertEquals(300, result.get("delivered").asInt());
    }

    @Test
    void plotDrawsAPngFromRelayResults(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.writeString(results, String.join("\n",
                "{\"scenario\":\"relay\",\"target\":\"parley\",\"offered_per_s\":100,\"msgs_per_s\":100,\"p50_ms\":1.0,\"p99_ms\":2.0}",
                "{\"scenario\":\"relay\",\"target\":\"parley\",\"offered_per_s\":200,\"msgs_per_s\":150,\"p50_ms\":3.0,\"p99_ms\":50.0}"));
        Path png = dir.resolve("plot.png");
        assertEquals(0, BenchMain.run("plot", "--output", png.toString(), results.toString()));
        assertIsPng(png);
    }

    @Test
    void plotDrawsCpuPerMessageWithOneSeriesPerBuild(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.writeString(results, String.join("\n",
                "# build=before round=1",
                "{\"scenario\":\"relay\",\"target\":\"parley\",\"offered_per_s\":1000,\"msgs_per_s\":1000,\"p50_ms\":0.6,\"p99_ms\":3.0,\"server_cpu_us_per_msg\":430}",
                "# build=after round=1",
                "{\"scenario\":\"relay\",\"target\":\"parley\",\"offered_per_s\":1000,\"msgs_per_s\":1000,\"p50_ms\":2.0,\"p99_ms\":5.0,\"server_cpu_us_per_msg\":316}"));
        Path png = dir.resolve("cpu.png");
        assertEquals(0, BenchMain.run("plot", "--measure", "cpu", "--series-key", "build", "--output", png.toString(),
                results.toString()));
        assertIsPng(png);
        assertNotEquals(0, BenchMain.run("plot", "--measure", "heap", "--output", png.toString(), results.toString()),
                "an unknown measure is refused");
    }

    @Test
    void tableShowsParleysCpuAsAFractionOfEachPeersAndKeepsMissingPeers(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("relay.jsonl");
        Files.writeString(results, String.join("\n",
                "{\"scenario\":\"relay\",\"target\":\"parley\",\"offered_per_s\":1000,\"msgs_per_s\":1000,\"server_cpu_us_per_msg\":50.0}",
                "{\"scenario\":\"relay\",\"target\":\"socketio\",\"offered_per_s\":1000,\"msgs_per_s\":1000,\"server_cpu_us_per_msg\":200.0}",
                "{\"scenario\":\"relay\",\"target\":\"flask\",\"missing\":\"not installed\",\"errors\":1}"));
        var captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, BenchMain.run("table", results.toString()));
        } finally {
            System.setOut(original);
        }
        String table = captured.toString(StandardCharsets.UTF_8);
        assertTrue(table.lines().anyMatch(line -> line.startsWith("| socket.io") && line.contains("| 0.25 |")), table);
        assertTrue(table.lines().anyMatch(line -> line.startsWith("| flask | MISSING: not installed")), table);
    }

    @Test
    void startReportsTheTimeToHealthyWithoutAndWithTheAotCache() throws Exception {
        JsonNode result = run("start", "--starts", "1", "--server-jvm-args", "-Xmx256m", "--json"); // the last line: with the cache
        assertEquals("start", result.get("scenario").asText());
        assertTrue(result.get("aot_cache").asBoolean(), () -> "the last line is not the cached start: " + result);
        assertTrue(result.get("jvm_args").asText().contains("-XX:AOTCache="), () -> "no cache option: " + result);
        assertTrue(result.get("start_median_ms").asDouble() > 0, () -> "no start time: " + result);
        assertTrue(result.get("start_cpu_median_ms").asDouble() > 0, () -> "no start CPU: " + result);
    }

    @Test
    void cliStartTimesACommandWithoutAndWithTheCliAotCache() throws Exception {
        JsonNode result = run("cli-start", "--runs", "1", "--server-jvm-args", "-Xmx256m", "--json"); // the last line: --help, cached
        assertEquals("cli-start", result.get("scenario").asText());
        assertEquals("--help", result.get("command").asText());
        assertTrue(result.get("aot_cache").asBoolean(), () -> "the last line is not the cached run: " + result);
        assertTrue(result.get("jvm_args").asText().contains("-XX:AOTCache="), () -> "no cache option: " + result);
        assertTrue(result.get("median_ms").asDouble() > 0, () -> "no time: " + result);
        assertTrue(result.get("cpu_median_ms").asDouble() > 0, () -> "no CPU: " + result);
    }

    private static void assertReport(JsonNode result, String scenario) {
        assertEquals(scenario, result.get("scenario").asText());
        assertEquals(0, result.get("errors").asLong(), () -> "errors: " + result + sharedServerProblems());
        for (String field : new String[] {"msgs_per_s", "p50_ms", "p99_ms", "p999_ms", "server_cpu_us_per_msg", "server_rss_mb", "connections"}) {
            assertTrue(result.has(field), () -> "no " + field + " in " + result);
        }
        assertTrue(result.get("server_rss_mb").asDouble() > 0, () -> "no server memory: " + result);
    }

    /** The shared server's warnings and errors, for a failure message (its log is deleted with it). */
    private static String sharedServerProblems() {
        try {
            var problems = java.nio.file.Files.readAllLines(shared.process().log()).stream()
                    .filter(line -> line.contains("WARN") || line.contains("ERROR") || line.contains("Exception"))
                    .limit(40).toList();
            return problems.isEmpty() ? "" : "\nthe shared server logged:\n" + String.join("\n", problems);
        } catch (java.io.IOException | RuntimeException e) {
            return "\n(the shared server's log could not be read: " + e + ")";
        }
    }

    /** Runs the command line in-process and returns its JSON line. */
    private static JsonNode run(String... args) throws Exception {
        var captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int status;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = BenchMain.run(args);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        String line = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no JSON line in: " + output + sharedServerProblems()));
        JsonNode result = Result.JSON.readTree(line);
        assertEquals(0, status, () -> "exit status for " + result);
        return result;
    }

    /** A written plot: a PNG of some size. */
    private static void assertIsPng(Path png) throws java.io.IOException {
        byte[] header = Files.readAllBytes(png);
        assertTrue(header.length > 1000 && header[1] == 'P' && header[2] == 'N' && header[3] == 'G');
    }
}
