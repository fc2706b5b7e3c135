package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.ServerTest;
import org.junit.jupiter.api.BeforeAll;

/** The {@code parley} CLI pointed at the test class's server. */
abstract class CliServerTest extends ServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static Cli cli;

    @BeforeAll
    static void startCli() {
        cli = new Cli(server.origin());
    }

    static Cli.Result ok(Cli.Result result) {
        assertEquals(0, result.code(), result::toString);
        return result;
    }

    static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
