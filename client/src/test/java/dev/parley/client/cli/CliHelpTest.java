package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers {@code --help} (and {@code -h}) with its usage and exit code 0, without a server or an account. */
class CliHelpTest {

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"register", "users", "send", "receive", "chat", "safety-number", "verify", "reset", "resend"})
    void everyCommandAnswersHelp(String command) {
        var cli = new Cli("http://127.0.0.1:9"); // nothing listens there: help must not connect
        for (String flag : new String[] {"--help", "-h"}) {
            Cli.Result result = cli.run(home, command, flag);
            assertEquals(0, result.code(), result::toString);
            assertTrue(result.out().startsWith("Usage: parley " + command), result::toString);
            assertTrue(result.out().contains("--help"), result::toString);
            assertEquals("", result.err(), result::toString);
        }
    }

    @Test
    void theRootCommandListsTheCommands() {
        Cli.Result result = new Cli("http://127.0.0.1:9").run(home, "--help");
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().contains("Commands:"), result::toString);
    }
}
