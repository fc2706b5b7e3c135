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
