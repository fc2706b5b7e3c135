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
    @ValueSource(strings = {"register", "users", "send", "receive", "chat", "safety-number", "verify", "reset", "resend",
            "reply", "edit", "delete", "react", "timer", "search"})
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
    void theHomeAndServerMayFollowTheCommand() {
        // As `parley link --home DIR --name NAME` is written: the options are the root's, given after the command.
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        int code = dev.parley.client.cli.ParleyCli.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "devices", "--server", "http://127.0.0.1:9", "--home", home.toString());
        assertEquals(8, code, () -> out + " / " + err);
        assertTrue(err.toString().contains("no Parley account in " + home), err::toString);
    }

    @Test
    void theRootCommandListsTheCommands() {
        Cli.Result result = new Cli("http://127.0.0.1:9").run(home, "--help");
        assertEquals(0, result.code(), result::toString);
        assertTrue(result.out().contains("Commands:"), result::toString);
    }
}
