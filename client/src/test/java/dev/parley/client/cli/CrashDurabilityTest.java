package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ParleyClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Acceptance: killing the CLI between encrypting a message and the server's ack, then running
 * it again, neither reuses a message key nor loses the message. The CLI runs as a child JVM
 * that halts itself at a fixed point ({@link ParleyClient#HALT_PROPERTY}): right after the
 * outbox commit (nothing sent yet), or when the server's stored ack arrives (the server has the
 * message; the client never processes the ack and resends it).
 */
class CrashDurabilityTest extends CliServerTest {

    @ParameterizedTest(name = "halt {0}")
    @CsvSource({"afterOutboxCommit, 86", "onAck, 87"})
    void killedSendIsDeliveredOnceAfterRestartWithoutKeyReuse(String haltPoint, int haltStatus) throws Exception {
        String alice = "crash_a_" + haltStatus;
        String bob = "crash_b_" + haltStatus;
        Path aliceHome = dir.resolve(alice);
        Path bobHome = dir.resolve(bob);
        assertEquals(0, cli.run(aliceHome, "register", alice).code());
        assertEquals(0, cli.run(bobHome, "register", bob).code());
        // An established session first, so that the crash hits a ratchet mid-conversation.
        assertEquals(0, cli.run(aliceHome, "send", bob, "before the crash").code());

        ChildResult crashed = runChild(aliceHome, haltPoint, "send", bob, "sent while crashing");
        assertEquals(haltStatus, crashed.status(), crashed::toString);
        try (ParleyClient inspect = ParleyClient.open(aliceHome)) {
            assertEquals(1, inspect.outboxSize(), "the encrypted message waits in the outbox");
        }

        // Run the CLI again: it resends the outbox on connect, then encrypts the next message
        // with the next key.
        ChildResult after = runChild(aliceHome, "", "send", bob, "after the restart");
        assertEquals(0, after.status(), after::toString);
        try (ParleyClient inspect = ParleyClient.open(aliceHome)) {
            assertEquals(0, inspect.outboxSize(), "the outbox is empty once the server stored everything");
        }

        Cli.Result received = cli.run(bobHome, "receive", "--wait", "3");
        assertEquals(0, received.code(), received::toString);
        assertTrue(received.err().isBlank(), "nothing undecryptable (a reused key would fail): " + received);
        List<String> texts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String line : received.lines()) {
            JsonNode message = json(line);
            texts.add(message.get("text").asText());
            ids.add(message.get("id").asText());
        }
        assertEquals(List.of("before the crash", "sent while crashing", "after the restart"), texts, received::toString);
        assertEquals(3, ids.stream().distinct().count());
        // Nothing more arrives later: the resend after the restart was deduplicated.
        assertEquals(List.of(), cli.run(bobHome, "receive", "--wait", "1").lines());
    }

    private record ChildResult(int status, String output) {}

    private ChildResult runChild(Path home, String haltPoint, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "-D" + ParleyClient.HALT_PROPERTY + "=" + haltPoint,
                "dev.parley.client.cli.ParleyCli", "--server", server.origin(), "--home", home.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "child", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child CLI did not finish: " + Files.readString(log));
        }
        return new ChildResult(process.exitValue(), Files.readString(log));
    }
}
