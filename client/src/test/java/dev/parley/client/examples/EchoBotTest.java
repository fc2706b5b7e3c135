package dev.parley.client.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.cli.Cli;
import dev.parley.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example bot docs/CLIENT.md shows runs (as its own process) and answers through a real server. */
class EchoBotTest {

    @TempDir
    Path dir;

    @Test
    void theExampleTheDocsLinkStaysUnder40Lines() throws Exception {
        Path root = Path.of(System.getProperty("parley.repo.root", "."));
        String docs = Files.readString(root.resolve("docs/CLIENT.md"));
        String example = "../client/src/main/java/dev/parley/client/examples/EchoBot.java";
        assertTrue(docs.contains("(" + example + ")"), "docs/CLIENT.md links the example's source");
        assertTrue(Files.readString(root.resolve("docs").resolve(example)).lines().count() < 40, "the example stays under 40 lines");
    }

    @Test
    void echoesMessages() throws Exception {
        try (TestServer server = TestServer.start()) {
            var cli = new Cli(server.origin());
            Path botHome = dir.resolve("bot");
            Path userHome = dir.resolve("user");
            assertEquals(0, cli.run(botHome, "register", "echo_bot").code());
            assertEquals(0, cli.run(userHome, "register", "bot_user").code());
            // Sent before the bot runs: waits in the server's queue.
            assertEquals(0, cli.run(userHome, "send", "echo_bot", "are you there?").code());

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process bot = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    EchoBot.class.getName(), botHome.toString(), server.origin()).redirectErrorStream(true).start();
            try {
                var output = new BufferedReader(new InputStreamReader(bot.getInputStream(), StandardCharsets.UTF_8));
                String first = CompletableFuture.supplyAsync(() -> {
                    try {
                        return output.readLine();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).get(60, TimeUnit.SECONDS);
                assertEquals("echo_bot is echoing; Ctrl-C to stop", first);
                assertEquals(0, cli.run(userHome, "send", "echo_bot", "hello bot").code());

                var json = new ObjectMapper();
                List<String> answers = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (answers.size() < 2 && System.nanoTime() < deadline) {
                    for (String line : cli.run(userHome, "receive", "--wait", "1").lines()) {
                        answers.add(json.readTree(line).get("text").asText());
                    }
                }
                assertEquals(List.of("echo: are you there?", "echo: hello bot"), answers);
            } finally {
                bot.destroy();
                bot.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
