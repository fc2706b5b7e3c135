package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster scenario, seconds long, so that it cannot rot: one SQLite node and two nodes on
 * PostgreSQL (127.0.0.1:5432, user postgres, a fresh database) with the bench's own Redis,
 * same-node and cross-node. These assert that every arrangement starts, every message is
 * stored and delivered across nodes, and the report has each process's CPU; they are not
 * measurements. PostgreSQL and redis-server must be there: without them the test fails.
 */
class ClusterScenarioSmokeTest {

    @Test
    void relaysOnSqliteAndAcrossTwoPostgresNodesAndReportsEveryProcessCost() throws Exception {
        List<JsonNode> results = run("cluster", "--setups", "sqlite,pg-2", "--rates", "200", "--pairs", "4",
                "--warmup", "500ms", "--duration", "1500ms", "--node-jvm-args", "-Xmx384m", "--json");
        assertEquals(List.of("sqlite/same-node", "pg-2/same-node", "pg-2/cross-node"),
                results.stream().map(r -> r.path("setup").asText() + "/" + r.path("placement").asText()).toList(), results::toString);
        for (JsonNode result : results) {
            assertEquals(0, result.get("errors").asLong(), () -> "errors: " + result);
            assertTrue(result.get("msgs_per_s").asDouble() > 0, () -> "nothing delivered: " + result);
            assertEquals(result.get("sent").asLong(), result.get("stored_acks").asLong(), () -> "not every message stored: " + result);
            assertEquals(0, result.get("undelivered").asLong(), () -> "a message never arrived: " + result);
            assertEquals(result.get("nodes").asInt(), result.get("node_cpu_us_per_msg").size(), () -> "one CPU figure per node: " + result);
            for (JsonNode node : result.get("node_cpu_us_per_msg")) {
                assertTrue(node.asDouble() > 0, () -> "a node without CPU: " + result);
            }
            assertTrue(result.get("machine_busy").asDouble() > 0, () -> "no machine CPU: " + result);
        }
        JsonNode cross = results.get(2);
        assertEquals("postgresql", cross.get("storage").asText());
        assertTrue(cross.get("pg_cpu_us_per_msg").asDouble() > 0, () -> "no PostgreSQL CPU: " + cross);
        assertTrue(cross.get("pg_own_backends_cpu_us_per_msg").asDouble() > 0, () -> "no CPU of this database's backends: " + cross);
        // Redis's share of a second-long run at this rate can be below one clock tick (10 ms): present, not necessarily positive.
        assertTrue(cross.has("redis_cpu_us_per_msg") && cross.get("redis_cpu_us_per_msg").asDouble() >= 0, () -> "no Redis CPU: " + cross);
        assertTrue(!results.get(0).has("pg_cpu_us_per_msg") && !results.get(0).has("redis_cpu_us_per_msg"),
                () -> "SQLite has neither PostgreSQL nor Redis: " + results.get(0));
    }

    @Test
    void aSetupThatCannotStartIsReportedAsAnErrorWithItsReason() throws Exception {
        var captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int status;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = BenchMain.run("cluster", "--setups", "pg-2", "--redis-server", "/nonexistent/redis-server", "--json");
        } finally {
            System.setOut(original);
        }
        JsonNode result = Result.JSON.readTree(captured.toString(StandardCharsets.UTF_8).strip());
        assertEquals(1, status);
        assertEquals(1, result.get("errors").asLong());
        assertTrue(result.get("failed").asText().contains("no redis-server at /nonexistent/redis-server"), result::toString);
    }

    @Test
    void clusterTableHasARowPerMeasurementAndKeepsFailures(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var results = dir.resolve("cluster.jsonl");
        java.nio.file.Files.writeString(results, String.join("\n",
                "# a comment line, as the run script writes",
                "{\"scenario\":\"cluster\",\"setup\":\"pg-2\",\"placement\":\"cross-node\",\"round\":1,\"offered_per_s\":0,"
                        + "\"msgs_per_s\":2027.4,\"p50_ms\":755.5,\"p99_ms\":1465.9,\"errors\":0,\"node_cpu_us_per_msg\":[100.6,112.1],"
                        + "\"server_cpu_us_per_msg\":212.8,\"pg_cpu_us_per_msg\":259.5,\"pg_own_backends_cpu_us_per_msg\":257.2,"
                        + "\"redis_cpu_us_per_msg\":4.9,\"servers_cpu_us_per_msg\":477.1,\"bench_cpu_us_per_msg\":55.2,"
                        + "\"run_cores_used\":1.08,\"machine_busy\":0.929,\"load_avg\":[8.55,8.75]}",
                "{\"scenario\":\"cluster\",\"setup\":\"pg-3\",\"round\":1,\"offered_per_s\":0,\"errors\":1,\"failed\":\"no redis-server\"}",
                "{\"scenario\":\"relay\",\"target\":\"parley\",\"msgs_per_s\":1}"));
        var captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, BenchMain.run("cluster-table", results.toString()));
        } finally {
            System.setOut(original);
        }
        List<String> rows = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, rows.size(), () -> String.join("\n", rows));
        assertEquals("| 1 | pg-2 | cross-node | max | 2,027 | 755.5 | 1,465.9 | 0 | 101 / 112 | 213 | 260 (257) | 5 | 477 | 55 | 1.08 | 93 % | 8.6–8.8 |",
                rows.get(2));
        assertTrue(rows.get(3).startsWith("| 1 | pg-3 | — | max | FAILED: no redis-server |"), rows.get(3));
    }

    /** Runs the command line in-process; returns its JSON lines, after checking the exit status. */
    private static List<JsonNode> run(String... args) throws Exception {
        var captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int status;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = BenchMain.run(args);
        } finally {
            System.setOut(original);
        }
        List<JsonNode> results = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList()) {
            results.add(Result.JSON.readTree(line));
        }
        assertEquals(0, status, results::toString);
        return results;
    }
}
