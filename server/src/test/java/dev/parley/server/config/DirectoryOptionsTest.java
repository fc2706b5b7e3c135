package dev.parley.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --directory} and {@code --lookups-per-minute}: defaults, flags, variables, help and clear refusals. */
class DirectoryOptionsTest {

    private static ServerConfig parse(Map<String, String> environment, String... args) {
        var captured = new AtomicReference<ServerConfig>();
        var commandLine = new CommandLine(new ServerCommand(captured::set))
                .setDefaultValueProvider(new EnvironmentDefaults(environment::get));
        assertEquals(0, commandLine.execute(args));
        return captured.get();
    }

    @Test
    void theDirectoryIsOpenWithSixtyLookUpsAMinuteByDefault() {
        assertEquals(new DirectorySettings(DirectorySettings.Mode.OPEN, 60), parse(Map.of()).directory());
    }

    @Test
    void flagsAndVariablesSetTheModeAndTheLookUpRate() {
        assertEquals(new DirectorySettings(DirectorySettings.Mode.PRIVATE, 10),
                parse(Map.of(), "--directory", "private", "--lookups-per-minute", "10").directory());
        assertEquals(DirectorySettings.Mode.PRIVATE, parse(Map.of("PARLEY_DIRECTORY", "private")).directory().mode());
        assertEquals(DirectorySettings.Mode.OPEN,
                parse(Map.of("PARLEY_DIRECTORY", "private"), "--directory", "open").directory().mode(), "the flag wins");
    }

    @Test
    void helpListsBothOptionsWithTheirVariables() {
        var out = new StringWriter();
        var commandLine = new CommandLine(new ServerCommand(c -> { }));
        commandLine.setOut(new PrintWriter(out));
        assertEquals(0, commandLine.execute("--help"));
        for (String text : new String[] {"--directory", "PARLEY_DIRECTORY", "--lookups-per-minute", "PARLEY_LOOKUPS_PER_MINUTE"}) {
            assertTrue(out.toString().contains(text), text + " missing from --help");
        }
    }

    @Test
    void anUnknownModeOrANonPositiveRateIsAClearError() {
        assertRefusedNaming("--directory", "--directory", "closed");
        assertRefusedNaming("--lookups-per-minute", "--lookups-per-minute", "0");
    }

    private static void assertRefusedNaming(String option, String... args) {
        var err = new StringWriter();
        var commandLine = new CommandLine(new ServerCommand(c -> { }));
        commandLine.setErr(new PrintWriter(err));
        assertNotEquals(0, commandLine.execute(args));
        assertTrue(err.toString().contains(option), err.toString());
        assertTrue(!err.toString().contains("\tat "), "no stack trace");
    }
}
