package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The group scenario, seconds long with a small group, against a server the bench starts from
 * server/target/parley-server.jar: it runs every phase, delivers every copy, its figures are
 * sane (the group message cheaper to upload than the fan-outs, one distribution per remaining
 * device), the first group message names its recipients and every later one the recipient set
 * the server answered for them, and every copy the sampled members received opens. Not a measurement: no timing is
 * asserted.
 */
class GroupScenarioSmokeTest {

    @Test
    void aSmallGroupRunsEveryPhaseAndEveryKeptCopyOpens() throws Exception {
        JsonNode result = run("group", "--members", "6", "--devices", "2", "--size", "100", "--sizes", "3,6",
                "--cpu-rounds", "1", "--rate", "20", "--rounds", "1", "--warmup", "500ms", "--duration", "1s",
                "--rotations", "2", "--verify-members", "2", "--server-jvm-args", "-Xmx512m", "--json");
        assertEquals("group", result.get("scenario").asText());
        assertEquals(0, result.get("errors").asLong(), () -> "errors: " + result);
        assertEquals(11, result.get("connections").asInt(), () -> "the sender and five members of two devices: " + result);

        JsonNode first = result.get("first_message");
        assertEquals(0, first.get("set_frames").asInt(), first::toString);
        assertTrue(first.get("sets_issued").asLong() >= 1, () -> "the first message's answer names a set: " + first);

        JsonNode cost = result.get("cost");
        assertEquals(2, cost.size(), () -> "one cost row per size: " + result);
        for (JsonNode row : cost) {
            assertTrue(row.get("group_cpu_us").asDouble() > 0 && row.get("pairwise_cpu_us").asDouble() > 0, row::toString);
            assertEquals(1, row.get("group_frames").asInt(), row::toString);
            assertEquals(row.get("members").asInt() - 1, row.get("pairwise_frames").asInt(), row::toString);
            assertEquals(1, row.get("group_set_frames").asInt(), row::toString);
            assertTrue(row.get("group_set_bytes").asLong() < row.get("group_bytes").asLong(), row::toString);
        }
        JsonNode six = cost.get(1);
        assertEquals(10, six.get("copies").asInt());
        assertTrue(six.get("group_bytes").asLong() < six.get("pairwise_bytes").asLong(), six::toString);

        long messages = 0;
        for (JsonNode phase : result.get("load")) {
            assertTrue(phase.get("messages_sent").asLong() > 0, phase::toString);
            assertTrue(phase.get("deliveries_per_s").asDouble() > 0, phase::toString);
            assertTrue(phase.get("until_all_p50_ms").asDouble() > 0, phase::toString);
            assertTrue(phase.get("server_cpu_us_per_msg").asDouble() >= 0, phase::toString);
            messages += phase.get("messages_sent").asLong();
            if (phase.get("mode").asText().equals("group")) {
                // The set was answered before the load: every group message names it, none its recipients.
                assertEquals(phase.get("messages_sent").asLong(), phase.get("set_messages").asLong(), phase::toString);
                assertEquals(0, phase.get("list_messages").asLong(), phase::toString);
                assertTrue(phase.get("set_bytes_per_msg").asDouble() < first.get("bytes").asDouble(), phase::toString);
            }
        }
        JsonNode rotations = result.get("rotations");
        assertEquals(2, rotations.size());
        assertEquals(8, rotations.get(0).get("distributions").asInt(), () -> "four members of two devices remain: " + result);
        assertEquals(6, rotations.get(1).get("distributions").asInt());
        assertTrue(rotations.get(0).get("bytes").asLong() > 0 && rotations.get(0).get("until_all_ms").asDouble() > 0,
                rotations::toString);

        // The two sampled members' four devices each got the first chain's message, the first
        // group message, every load message (group and pairwise) and both rotations' first
        // messages, and opened them all.
        assertEquals(4 * (1 + 1 + messages + 2), result.get("verified_copies").asLong(), () -> "verified: " + result);
        assertEquals(0, result.get("verify_failures").asLong());
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
                .orElseThrow(() -> new AssertionError("no JSON line in: " + output));
        JsonNode result = Result.JSON.readTree(line);
        assertEquals(0, status, () -> "exit status for " + result);
        return result;
    }
}
