package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientException;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code parley chat} as a process: typed lines are sent, incoming lines appear while it waits for input. */
class ChatCommandTest extends CliServerTest {

    @Test
    void typedLinesAreSentAndIncomingLinesAppearWhileTyping() throws Exception {
        Path aliceHome = registeredHome("alice", "chat_alice");
        BlockingQueue<IncomingMessage> atBob = new LinkedBlockingQueue<>();
        try (ParleyClient bob = registeredPeer("chat_bob", atBob)) {
            Process chat = chatProcess(aliceHome, "chat_bob");
            BlockingQueue<String> screen = screenOf(chat);
            try (Writer keyboard = new OutputStreamWriter(chat.getOutputStream(), StandardCharsets.UTF_8)) {
                assertEquals("Chatting with chat_bob as chat_alice. /quit to leave, /help for commands.", screen.poll(60, TimeUnit.SECONDS));
                keyboard.write("hi bob\n");
                keyboard.flush();
                IncomingMessage typed = atBob.poll(30, TimeUnit.SECONDS);
                assertNotNull(typed, "the typed line was sent");
                assertEquals("hi bob", typed.text());

                // Bob answers while alice's chat is waiting for her next line.
                bob.send("chat_alice", "hi alice \u001B[2J");
                String shown = screen.poll(30, TimeUnit.SECONDS);
                assertNotNull(shown, "the incoming message appeared");
                assertTrue(shown.matches("\\[\\d\\d:\\d\\d] chat_bob: hi alice \uFFFD\\[2J"), shown);

                keyboard.write("/quit\n");
                keyboard.flush();
            }
            assertTrue(chat.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, chat.exitValue(), () -> String.join("\n", List.copyOf(screen)));
        }
    }

    @Test
    void slashCommandsAreNeverSentAndDoubleSlashSendsALineStartingWithSlash() throws Exception {
        Path aliceHome = registeredHome("alice", "cmd_alice");
        BlockingQueue<IncomingMessage> atBob = new LinkedBlockingQueue<>();
        try (ParleyClient bob = registeredPeer("cmd_bob", atBob)) {
            Process chat = chatProcess(aliceHome, "cmd_bob");
            BlockingQueue<String> screen = screenOf(chat);
            try (Writer keyboard = new OutputStreamWriter(chat.getOutputStream(), StandardCharsets.UTF_8)) {
                assertTrue(awaitLine(screen, l -> l.startsWith("Chatting with cmd_bob")).startsWith("Chatting"));
                keyboard.write("/help\n/nosuch thing\n  /help\n//etc/hosts is a path\n");
                keyboard.flush();

                assertNotNull(awaitLine(screen, l -> l.contains("/quit")), "/help lists /quit");
                String refused = awaitLine(screen, l -> l.contains("unknown command"));
                assertNotNull(refused, "an unknown command is refused on the screen");
                assertTrue(refused.contains("/nosuch") && refused.contains("nothing was sent"), refused);
                IncomingMessage first = atBob.poll(30, TimeUnit.SECONDS);
                assertNotNull(first, "the // line was sent");
                assertEquals("/etc/hosts is a path", first.text(), "commands are not sent; // sends the rest from its second /");

                keyboard.write("/quit\n");
                keyboard.flush();
                assertTrue(chat.waitFor(30, TimeUnit.SECONDS), "/quit ends the chat while input stays open");
            }
            assertEquals(0, chat.exitValue(), () -> String.join("\n", List.copyOf(screen)));
            assertNull(atBob.poll(1, TimeUnit.SECONDS), "nothing else reached bob");
        }
    }

    @Test
    void messagesAPeersResetLeftUndeliveredAreAnnouncedAndResentWithSlashResend() throws Exception {
        Path aliceHome = registeredHome("alice", "rs_alice");
        String bobCode;
        try (ParleyClient bob = ParleyClient.open(dir.resolve("bob"))) {
            bobCode = bob.register(address, "rs_bob").display();
        }
        Cli.Result sent = cli.run(aliceHome, "send", "rs_bob", "are you there?");
        assertEquals(0, sent.code(), sent::toString);
        String id = sent.out().strip();
        BlockingQueue<IncomingMessage> atNewBob = new LinkedBlockingQueue<>();
        try (ParleyClient newBob = ParleyClient.open(dir.resolve("bob-new"), inbox(atNewBob))) {
            newBob.reset(address, "rs_bob", bobCode);
            Process chat = chatProcess(aliceHome, "rs_bob");
            BlockingQueue<String> screen = screenOf(chat);
            try (Writer keyboard = new OutputStreamWriter(chat.getOutputStream(), StandardCharsets.UTF_8)) {
                String notice = awaitLine(screen, l -> l.contains("could not be delivered"));
                assertNotNull(notice, "the chat says which message was not delivered");
                assertTrue(notice.contains(id) && notice.contains("/resend"), notice);
                keyboard.write("/resend\n");
                keyboard.flush();
                assertNotNull(awaitLine(screen, l -> l.equals("! resent 1 message")));
                IncomingMessage resent = atNewBob.poll(30, TimeUnit.SECONDS);
                assertNotNull(resent, "the new identity received the message");
                assertEquals("are you there?", resent.text());
                keyboard.write("/resend\n");
                keyboard.flush();
                assertNotNull(awaitLine(screen, l -> l.equals("! nothing to resend to rs_bob")), "resent once");
                keyboard.write("/quit\n");
                keyboard.flush();
                assertTrue(chat.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(0, chat.exitValue(), () -> String.join("\n", List.copyOf(screen)));
        }
    }

    /** A home registered through the CLI. */
    private Path registeredHome(String home, String username) {
        Path path = dir.resolve(home);
        ok(cli.run(path, "register", username));
        return path;
    }

    /** The chat's peer, an SDK client in the home "bob" whose messages go to {@code messages}. */
    private ParleyClient registeredPeer(String username, BlockingQueue<IncomingMessage> messages) throws Exception {
        ParleyClient bob = ParleyClient.open(dir.resolve("bob"), inbox(messages));
        try {
            bob.register(address, username);
            return bob;
        } catch (ClientException | RuntimeException e) {
            bob.close();
            throw e;
        }
    }

    private static ParleyListener inbox(BlockingQueue<IncomingMessage> messages) {
        return new ParleyListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                messages.add(message);
            }
        };
    }

    private static Process chatProcess(Path home, String peer) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ParleyCli.class.getName(), "--home", home.toString(), "chat", peer).redirectErrorStream(true).start();
    }

    /** Every line the process prints (stdout and stderr), in order. */
    private static BlockingQueue<String> screenOf(Process process) {
        BlockingQueue<String> screen = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(screen::add);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        return screen;
    }

    /** The next line that matches, skipping others; null if none came within 60 s. */
    private static String awaitLine(BlockingQueue<String> screen, java.util.function.Predicate<String> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = screen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
        }
        return null;
    }
}
